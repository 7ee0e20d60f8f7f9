"""dp.explain and `dptoolkit explain`: the page's data, its self-containment, its errors."""

from __future__ import annotations

import html.parser
import json
import pathlib
import re

import pytest
from dptoolkit.problems import fibonacci

import dptoolkit as dp
from dptoolkit._explain import EXPLAIN_MAX_CALLS, _events
from dptoolkit._explain_cli import main_explain
from dptoolkit._growth import fit


def page_json(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1).replace("<\\/", "</"))  # type: ignore[no-any-return]


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for key in ("src", "href"):
            if found.get(key):
                self.sources.append(str(found[key]))


def test_page_is_one_self_contained_file(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "fib.html"
    assert dp.explain("fibonacci", 6, path=target) == str(target)
    html = target.read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(html)
    assert tags.sources == []  # no script, stylesheet, image or link to fetch
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)
    assert {
        "instance",
        "value",
        "calls",
        "hits",
        "misses",
        "play",
        "next",
        "prev",
        "end",
    } <= tags.ids


def test_page_data_follows_the_memoized_run() -> None:
    data = page_json(dp.explain("fibonacci", 6, path=None))
    rec, goal = fibonacci.build(6)
    trace = rec.trace(*goal)
    assert data["instance"] == "fibonacci.solve(6)" and data["value"] == "8"
    assert (data["calls"], data["hits"], data["misses"]) == (trace.calls, trace.hits, trace.misses)
    events = data["events"]
    assert isinstance(events, list)
    assert sum(1 for kind, _ in events if kind == 0) == trace.calls
    stored = [i for kind, i in events if kind == 1]
    records = data["records"]
    assert isinstance(records, list)
    assert [records[i]["label"] for i in stored] == [str(s) for s in trace.fill_order]
    table = data["table"]
    assert isinstance(table, dict)
    assert table["texts"] == [["0", "1", "1", "2", "3", "5", "8"]] and table["goal"] == [0, 6]


def test_events_return_each_miss_after_its_subtree() -> None:
    rec, goal = fibonacci.build(4)
    trace = rec.trace(*goal)
    events = _events(trace)
    opened: list[int] = []
    for kind, i in events:
        if kind == 0:
            parent = trace.records[i].parent
            assert parent == -1 or parent in opened  # called by a running call
            if not trace.records[i].hit:
                opened.append(i)
        else:
            assert opened[-1] == i  # the innermost running call returns first
            opened.pop()
    assert opened == []


def test_knapsack_page_has_its_labels_witness_and_path() -> None:
    data = page_json(dp.explain("knapsack", path=None))
    table = data["table"]
    assert isinstance(table, dict)
    assert table["rowName"] == "first i items" and table["colName"] == "capacity w"
    assert table["rowTicks"][1] == "+#0 w12 v4"
    assert data["witness"] == {"items": "[1, 2, 3, 4]"}
    path = table["path"]
    assert path[0] == [5, 15] and path[-1][0] == 0


def test_growth_plot_fits_naive_as_exponential_and_memo_as_polynomial() -> None:
    data = page_json(dp.explain("fibonacci", 8, path=None))
    growth = data["growth"]
    assert isinstance(growth, dict)
    fits = growth["fits"]
    assert fits["naive"].endswith("^n") and fits["naive"].startswith("≈ 1.6")
    assert fits["top_down"].startswith("≈ n^") and fits["bottom_up"].startswith("≈ n^")
    naive = dict(growth["series"]["naive"])
    assert naive[10] == 177  # 2 F(11) - 1 calls
    assert "<svg" in growth["svg"] and "top_down" in growth["svg"]


def test_growth_plot_cuts_the_instance_where_the_goal_does_not_scale() -> None:
    """word_break's goal is ways(0) and tsp's a bitmask: their plots cut the instance instead."""
    words = ["cat", "cats", "and", "sand", "dog"]
    data = page_json(dp.explain("word_break", "catsanddog", words, path=None))
    growth = data["growth"]
    assert [n for n, _ in growth["sizes"]] == list(range(1, 11))
    assert all(goal == "ways(0)" for _, goal in growth["sizes"])  # each a prefix of the text
    top_down = [calls for _, calls in growth["series"]["top_down"]]
    assert top_down == sorted(top_down) and top_down[-1] > top_down[0]  # grows with the text
    assert "the instance cut to size n (n = 10 is ways(0))" in growth["svg"]
    D = [[0, 10, 15, 20], [5, 0, 9, 10], [6, 13, 0, 12], [8, 8, 9, 0]]
    growth = page_json(dp.explain("tsp", D, path=None))["growth"]
    assert [goal for _, goal in growth["sizes"]] == ["path(1, 0)", "path(3, 0)", "path(7, 0)"]
    assert growth["fits"]["top_down"].endswith("^n")  # Held-Karp: exponential in the cities


def test_fit_tells_exponential_from_polynomial() -> None:
    assert fit([(n, 3**n) for n in range(1, 9)])["kind"] == "exponential"  # type: ignore[index]
    assert fit([(n, n**3 + 1) for n in range(1, 9)])["kind"] == "polynomial"  # type: ignore[index]
    assert fit([(1, 1), (2, 2)]) is None


def test_a_bare_recurrence_can_be_explained() -> None:
    @dp.recurrence(states=lambda n, k: dp.grid(n + 1, k + 1))
    def binom(n: int, k: int) -> int:
        if k == 0 or k == n:
            return 1
        if k > n:
            return 0
        return binom(n - 1, k - 1) + binom(n - 1, k)

    data = page_json(dp.explain(binom, 5, 2, path=None))
    assert data["instance"] == "binom(5, 2)" and data["value"] == "10"
    table = data["table"]
    assert isinstance(table, dict)
    assert (table["rowName"], table["colName"]) == ("n", "k")


def test_script_end_tags_in_data_cannot_close_the_script() -> None:
    html = dp.explain("lcs", "</script>", "<b>", path=None)
    assert html.count("</script>") == 2  # the data block's and the program's
    assert page_json(html)["instance"] == "lcs.solve('</script>', '<b>')"


def test_too_large_an_instance_is_refused() -> None:
    with pytest.raises(dp.InvalidInput, match=f"more than {EXPLAIN_MAX_CALLS:,} calls"):
        dp.explain("fibonacci", 5000, path=None)


@pytest.mark.parametrize(
    ("target", "match"),
    [("no_such_problem", "is not a catalog problem"), (42, "must be a catalog problem")],
)
def test_bad_targets_name_the_argument(target: object, match: str) -> None:
    with pytest.raises(dp.InvalidInput, match=match):
        dp.explain(target, path=None)


def test_arguments_the_build_does_not_take_are_refused_by_name(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # edit_distance's build is the unit-cost recurrence: solve's variant= is not its
    with pytest.raises(
        dp.InvalidType, match=r"edit_distance.build\(a, b\) cannot take .*variant='osa'"
    ):
        dp.explain("edit_distance", "ab", "ba", variant="osa", path=None)
    with pytest.raises(TypeError, match=r"fibonacci.build\(n\) cannot take \(1, 2\)"):
        dp.explain("fibonacci", 1, 2, path=None)
    target = str(tmp_path / "x.html")
    assert main_explain(["edit_distance", "ab", "ba", "--kw", "variant=osa", "--html", target]) == 2
    err = capsys.readouterr().err
    assert "cannot take" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_every_catalog_problem_explains_its_example() -> None:
    for problem in dp.catalog():
        data = page_json(dp.explain(problem, path=None))
        assert data["events"], problem.name


def test_command_writes_the_page(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "edit.html"
    assert main_explain(["edit_distance", "kitten", "sitting", "--html", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"written to {target}" in out and "127 calls" in out
    assert page_json(target.read_text(encoding="utf-8"))["value"] == "3"
    assert main_explain(["shortest_path", "--html", str(tmp_path / "g.html")]) == 0
    assert "'s'→'a' 4" in capsys.readouterr().out


def test_command_errors_are_one_line(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main_explain(["nope"]) == 2
    assert "name='nope' is not a catalog problem" in capsys.readouterr().err
    assert main_explain(["fibonacci", "10", "--html", str(tmp_path / "x.png")]) == 2
    assert "must name an .html file" in capsys.readouterr().err
    assert main_explain(["fibonacci", "10", "--html", str(tmp_path / "no" / "x.html")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_explain_is_a_subcommand_of_dptoolkit(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dptoolkit import cli

    target = tmp_path / "fib.html"
    assert cli.main(["explain", "fibonacci", "7", "--html", str(target)]) == 0
    assert "fibonacci.solve(7)" in capsys.readouterr().out and target.exists()
    assert cli.main(["--help"]) == 0
    assert "explain" in capsys.readouterr().out


def test_a_recurrence_without_states_is_explained_without_a_table() -> None:
    @dp.recurrence
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    data = page_json(dp.explain(fib, 6, path=None))
    assert data["table"] is None and data["value"] == "8" and data["calls"] == 11
    growth = data["growth"]
    assert isinstance(growth, dict) and growth["series"]["bottom_up"] == []


def test_a_dict_table_is_one_row_in_fill_order() -> None:
    @dp.recurrence(states=lambda s: [s[:k] for k in range(len(s) + 1)])
    def length(s: str) -> int:
        return 0 if not s else 1 + length(s[:-1])

    data = page_json(dp.explain(length, "abc", path=None))
    table = data["table"]
    assert isinstance(table, dict)
    assert table["colTicks"] == ["''", "a", "ab", "abc"] and table["goal"] == [0, 3]


def test_bottom_up_replay_counts_as_the_engine_does() -> None:
    data = page_json(dp.explain("knapsack", path=None))
    replay = data["bottomUp"]
    assert isinstance(replay, dict)
    rec, goal = dp.catalog("knapsack").build([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15)
    stats = rec.solve(*goal, strategy="bottom_up").stats
    assert (replay["calls"], replay["hits"], replay["misses"]) == (
        stats.calls,
        stats.hits,
        stats.misses,
    )
    steps = replay["steps"]
    assert [s["cell"] for s in steps[:3]] == [[0, 0], [0, 1], [0, 2]]  # the declared order
    assert steps[-1]["cell"] == [5, 15] and steps[-1]["value"] == "15"
    assert all(len(s["reads"]) == len(s["readNames"]) for s in steps)


def test_a_huge_table_is_neither_filled_nor_drawn() -> None:
    data = page_json(dp.explain("knapsack", [3], [5], 10_000_000, path=None))
    assert data["table"] is None and data["bottomUp"] is None
    assert data["value"] == "5" and data["witness"] == {"items": "[0]"}
