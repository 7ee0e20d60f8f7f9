"""What the command shows (issue 11, item 5), through the real entry points.

Each behaviour is checked by running the installed ``dptoolkit`` script or
``python -m dptoolkit`` in a temporary directory, as a user would; the few
that need a terminal or a stand-in suite call ``dptoolkit.cli.main`` with
fake streams.
"""

from __future__ import annotations

import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import types
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit.cli import main


def _script() -> str:
    here = pathlib.Path(sys.executable).parent / "dptoolkit"
    found = str(here) if here.exists() else shutil.which("dptoolkit")
    assert found, "the dptoolkit console script is not installed"
    return found


def dptoolkit(
    tmp_path: pathlib.Path, *argv: str, columns: int | None = None, module: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DPTOOLKIT_DEBUG", "COLUMNS")}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    command = [sys.executable, "-m", "dptoolkit"] if module else [_script()]
    return subprocess.run(
        [*command, *argv], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def one_line(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, err)


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def _in_terminal(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    out, err = _TTY(), _TTY()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


# --------------------------------------------------------------------------
# list and show
# --------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [72, 110])
def test_list_fits_columns(tmp_path: pathlib.Path, columns: int) -> None:
    done = dptoolkit(tmp_path, "list", columns=columns)
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= columns
    for problem in dp.catalog():
        assert problem.name in done.stdout


def test_list_in_a_terminal_is_drawn_within_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    status, out, _ = _in_terminal(monkeypatch, "list")
    assert status == 0
    text = ANSI.sub("", out)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 100
    assert all(p.name in text for p in dp.catalog())


def test_show_prints_plain_text(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "show", "knapsack", module=True)
    assert done.returncode == 0, done.stderr
    assert "weights w_i >= 0 and values v_i >= 0" in done.stdout
    for markup in ("``", ":func:", ":class:", ":mod:"):
        assert markup not in done.stdout
    assert "strategy: fast, chosen by auto" in done.stdout
    assert "(0-based indices into weights and values)" in done.stdout


def test_plain_text_rules() -> None:
    from dptoolkit.cli._rst import plain

    assert plain(":class:`Solution <dptoolkit.Solution>` and :func:`dp.memoize`") == (
        "Solution and dp.memoize"
    )
    assert plain("see `the docs <https://example.org>`_") == "see the docs (https://example.org)"
    assert plain("**bold** and *this* but a * b * c") == "bold and this but a * b * c"
    assert plain(".. note:: Careful.\n") == "Note: Careful."
    assert plain("as follows::\n\n    x = 1\n") == "as follows:\n\n    x = 1"


# --------------------------------------------------------------------------
# solve: witnesses that say what they are, auto's choice, the number hint
# --------------------------------------------------------------------------


def test_solve_says_what_the_witness_numbers_are(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "solve", "knapsack", "[12,2,1,1,4]", "[4,2,1,2,10]", "15")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "knapsack (strategy: fast, chosen by auto)"
    assert re.search(
        r"^items +\[1, 2, 3, 4\]  \(0-based indices into weights and values\)$", done.stdout, re.M
    )
    asked = dptoolkit(tmp_path, "solve", "knapsack", "[1]", "[1]", "1", "--strategy", "top_down")
    assert asked.stdout.splitlines()[0] == "knapsack (strategy: top_down)"
    record = json.loads(dptoolkit(tmp_path, "solve", "fibonacci", "10", "--json").stdout)
    assert record["chosen_by"] == "auto" and record["strategy"] == "fast"


def test_the_edit_script_shows_its_letters(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "solve", "edit_distance", "kitten", "sitting")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "operations  (7; a -> b; i indexes a, j indexes b, 0-based)" in out
    assert "substitute  a[0] 'k' -> b[0] 's'" in out
    assert "substitute  a[4] 'e' -> b[4] 'i'" in out
    assert "insert      b[6] 'g' before a[6]" in out
    assert out.count("match       a[") == 4
    deleted = dptoolkit(tmp_path, "solve", "edit_distance", "ab", "b")
    assert "delete      a[0] 'a'" in deleted.stdout


def test_a_number_where_a_string_was_wanted_gets_a_hint(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "solve", "edit_distance", "12345", "12354")
    assert done.returncode == 2 and done.stdout == ""
    one_line(done.stderr, "a=12345 must be a sequence", "quote it", "'\"12345\"'")
    quoted = dptoolkit(tmp_path, "solve", "edit_distance", '"12345"', '"12354"', "--json")
    assert quoted.returncode == 0, quoted.stderr
    assert json.loads(quoted.stdout)["value"] == 2
    traced = dptoolkit(tmp_path, "trace", "lcs", "12345", "12354")
    assert traced.returncode == 2
    one_line(traced.stderr, "dptoolkit trace", "quote it")
    compared = dptoolkit(tmp_path, "compare", "lcs", "12345", "12354")
    assert compared.returncode == 2
    one_line(compared.stderr, "dptoolkit compare", "quote it")
    # a value error is not a type confusion: no hint
    negative = dptoolkit(tmp_path, "solve", "fibonacci", "-3")
    one_line(negative.stderr, "n=-3")
    assert "quote" not in negative.stderr


# --------------------------------------------------------------------------
# compare: witnesses, refusals
# --------------------------------------------------------------------------


def test_compare_flags_a_different_witness_and_checks_both(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "compare", "lis", "[3,1,4,1,5,9,2,6]")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "all 4 strategies agree: value 4" in out
    assert re.search(r"^fast .*differs \(valid\)$", out, re.M)
    assert re.search(r"^naive .* same$", out, re.M)
    assert "witness of fast differs: indices [1, 2, 4, 7]" in out
    assert "both are valid" in out
    record = json.loads(dptoolkit(tmp_path, "compare", "lis", "[3,1,4,1,5,9,2,6]", "--json").stdout)
    runs = {r["strategy"]: r for r in record["runs"]}
    assert record["agree"] is True and record["witnesses_agree"] is False
    assert runs["fast"]["witness_same"] is False and runs["fast"]["witness_valid"] is True
    assert runs["naive"]["witness"] == {"indices": [0, 2, 4, 5]}
    same = dptoolkit(tmp_path, "compare", "knapsack", "[12,2,1,1,4]", "[4,2,1,2,10]", "15")
    assert "witness of" not in same.stdout and "differs" not in same.stdout


def test_compare_of_an_input_every_strategy_refuses_is_bad_input(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "compare", "fibonacci", "-3")
    assert done.returncode == 2 and done.stdout == ""
    one_line(done.stderr, "dptoolkit compare: error: fibonacci: n=-3 must be a non-negative")


def test_an_invalid_witness_is_a_disagreement(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dptoolkit.cli import compare

    real = dp.catalog("knapsack")

    def solve(*args: Any, strategy: str = "auto", **kwargs: Any) -> dp.Solution:
        sol = real.solve(*args, strategy=strategy, **kwargs)
        if strategy == "bottom_up":  # a strategy whose witness is wrong
            return sol.with_fields(witness={"items": [0]})
        return sol

    import dataclasses

    broken = dataclasses.replace(real, solve=solve)
    monkeypatch.setattr(compare, "_problem", lambda name: broken)
    status = main(["compare", "knapsack", "[1,2,3]", "[6,10,12]", "5", "--no-progress"])
    out = capsys.readouterr().out
    assert status == 1
    assert re.search(r"^bottom_up .*INVALID$", out, re.M)
    assert "INVALID WITNESS: bottom_up's items [0]" in out


def test_witness_checks_are_honest() -> None:
    from dptoolkit.cli._witness import check

    named = {"weights": [1, 2, 3], "values": [6, 10, 12], "capacity": 5, "unbounded": False}
    assert check("knapsack", 22, {"items": [1, 2]}, named) is True
    assert check("knapsack", 22, {"items": [0, 2]}, named) is False  # worth 18
    assert check("knapsack", 28, {"items": [0, 1, 2]}, named) is False  # too heavy
    assert check("knapsack", 12, {"items": [0, 0]}, named) is False  # 0/1: no repeats
    ed = {"a": "ab", "b": "b"}
    assert check("edit_distance", 1, {"operations": [("delete", 0, 0), ("match", 1, 0)]}, ed)
    assert not check("edit_distance", 1, {"operations": [("match", 0, 0), ("delete", 1, 1)]}, ed)
    assert check("lcs", 2, {"sequence": "BA"}, {"a": "ABA", "b": "BCA"}) is True
    assert check("lcs", 2, {"sequence": "AB"}, {"a": "ABA", "b": "BCA"}) is False
    assert check("matrix_chain", 1, {"order": "(A1A2)"}, {"dims": [1, 1, 1]}) is None


# --------------------------------------------------------------------------
# trace
# --------------------------------------------------------------------------


def test_trace_json_is_a_tree_and_the_text_names_the_flag(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "trace", "fibonacci", "4", "--json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    nodes = record["nodes"]
    assert [n["call"] for n in nodes] == [
        "fib(4)",
        "fib(3)",
        "fib(2)",
        "fib(1)",
        "fib(0)",
        "fib(1)",
        "fib(2)",
    ]
    assert nodes[0]["children"] == [1, 6] and nodes[6]["hit"] is True
    assert [n["value"] for n in nodes] == [3, 2, 1, 1, 0, 1, 1]
    text = dptoolkit(tmp_path, "trace", "fibonacci", "15", "--limit", "3")
    assert "render(" not in text.stdout
    assert "--limit 0 shows all 29 calls" in text.stdout


# --------------------------------------------------------------------------
# bench
# --------------------------------------------------------------------------


def test_bench_help_names_the_suites(tmp_path: pathlib.Path) -> None:
    from dptoolkit.bench.__main__ import SUITES

    done = dptoolkit(tmp_path, "bench", "--help")
    assert done.returncode == 0
    for name in SUITES:
        assert name in done.stdout
    assert "--json" in done.stdout


@pytest.fixture
def toy_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    from dptoolkit.bench import __main__ as bench_main
    from dptoolkit.bench._timing import Row

    def run_suite(quick: bool) -> list[Row]:
        return [
            Row("toy", "n=10", "dptoolkit", 0.002, ratio=0.5),
            Row("toy", "n=10", "othertool", float("nan"), None, "othertool not installed"),
            Row("toy", "n=10", "thirdtool", 0.0, None, "not installed (pip install x)"),
        ]

    toy = types.ModuleType("dptoolkit.bench.toy")
    toy.run = run_suite  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dptoolkit.bench.toy", toy)
    monkeypatch.setattr(bench_main, "SUITES", ("toy", "absent"))


@pytest.mark.usefixtures("toy_suite")
def test_bench_prints_an_unmeasured_figure_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "| toy | n=10 | othertool | n/a |  | othertool not installed |" in out
    assert "| toy | n=10 | thirdtool | n/a |  | not installed (pip install x) |" in out
    assert "nan" not in out and "0 ns" not in out


@pytest.mark.usefixtures("toy_suite")
def test_bench_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--json", "--quick"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["quick"] is True
    toy, absent = record["suites"]
    assert absent == {"suite": "absent", "available": False, "rows": []}
    ours, other, third = toy["rows"]
    assert ours == {
        "case": "n=10",
        "subject": "dptoolkit",
        "seconds": 0.002,
        "ratio": 0.5,
        "measured": True,
        "note": "",
    }
    assert other["seconds"] is None and other["measured"] is False
    assert third["seconds"] is None and third["measured"] is False


# --------------------------------------------------------------------------
# progress and tables on a terminal: rich when installed, plain otherwise
# --------------------------------------------------------------------------


def test_rich_draws_progress_and_tables_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rich")
    status, out, err = _in_terminal(monkeypatch, "compare", "lis", "[3,1,4,1,5,9,2,6]")
    assert status == 0
    assert "━" in err and "eta" in err and "8/8" in ANSI.sub("", err)  # rich's bar, with an ETA
    table = ANSI.sub("", out)
    assert re.search(r"^fast .*differs \(valid\)", table, re.M)
    assert "all 4 strategies agree" in table


def test_without_rich_the_plain_bar_shows_an_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)
    monkeypatch.setitem(sys.modules, "rich.console", None)
    status, out, err = _in_terminal(monkeypatch, "compare", "lis", "[3,1,4,1,5,9,2,6]")
    assert status == 0
    assert "lis [" in err and "/8" in err and ", eta " in err
    assert "\x1b[1m" not in out  # the plain table
    assert re.search(r"^fast .*differs \(valid\)$", out, re.M)


def test_the_plain_bar_estimates_time_left() -> None:
    from dptoolkit.cli._progress import _eta

    assert _eta(0.0, 0, 4) is None  # nothing done yet: no estimate
    assert _eta(0.0, 4, 4) is None  # all done
    left = _eta(__import__("time").perf_counter() - 2.0, 1, 3)
    assert left is not None and 3.5 < left < 5.0  # two steps left at ~2 s each


@pytest.mark.parametrize(
    "name", [p.name for p in dp.catalog() if p.example and p.witness and p.name != "matrix_chain"]
)
def test_every_example_witness_checks_valid(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    problem = dp.catalog(name)
    words = [json.dumps(a) for a in problem.example]
    assert main(["compare", name, *words, "--json", "--no-progress"]) == 0
    record = json.loads(capsys.readouterr().out)
    for run in record["runs"]:
        if "error" in run or "witness" not in run:
            continue
        expected = None if name == "all_pairs_shortest_paths" else True
        assert run["witness_valid"] is expected, (name, run)


def test_the_checks_agree_with_every_strategy_on_random_instances() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dptoolkit.cli._witness import check

    small = st.lists(st.integers(0, 6), max_size=6)

    @settings(max_examples=40, deadline=None, database=None)
    @given(weights=small, data=st.data(), capacity=st.integers(0, 12), seq=small)
    def run(weights: list[int], data: Any, capacity: int, seq: list[int]) -> None:
        values = data.draw(
            st.lists(st.integers(0, 9), min_size=len(weights), max_size=len(weights))
        )
        a = data.draw(st.text("ab", max_size=5))
        b = data.draw(st.text("ab", max_size=5))
        for strategy in ("top_down", "bottom_up", "fast"):
            sol = dp.catalog("knapsack").solve(weights, values, capacity, strategy=strategy)
            named = {"weights": weights, "values": values, "capacity": capacity}
            assert check("knapsack", sol.value, {"items": sol.items}, named) is True
            sol = dp.catalog("lis").solve(seq, strategy=strategy)
            assert check("lis", sol.value, {"indices": sol.indices}, {"seq": seq}) is True
            sol = dp.catalog("edit_distance").solve(a, b, strategy=strategy)
            ops = {"operations": sol.operations}
            assert check("edit_distance", sol.value, ops, {"a": a, "b": b}) is True
            assert check("edit_distance", sol.value + 1, ops, {"a": a, "b": b}) is False
            sol = dp.catalog("lcs").solve(a, b, strategy=strategy)
            assert check("lcs", sol.value, {"sequence": sol.sequence}, {"a": a, "b": b}) is True

    run()


# --------------------------------------------------------------------------
# solve --count, --all [--limit N], --k K (issue 14 item 5)
# --------------------------------------------------------------------------


def _subsets(weights: list[int], values: list[int], capacity: int) -> list[tuple[int, list[int]]]:
    """Every feasible 0/1 item set with its value, by enumeration (the definition)."""
    import itertools

    found = []
    for size in range(len(weights) + 1):
        for items in itertools.combinations(range(len(weights)), size):
            if sum(weights[i] for i in items) <= capacity:
                found.append((sum(values[i] for i in items), list(items)))
    return found


def test_count_all_and_k_through_the_script(tmp_path: pathlib.Path) -> None:
    weights, values, capacity = [1, 1, 2, 3], [1, 1, 2, 3], 3
    every = _subsets(weights, values, capacity)
    best = max(v for v, _ in every)
    optimal = sorted(items for v, items in every if v == best)
    argv = ["solve", "knapsack", json.dumps(weights), json.dumps(values), str(capacity)]
    done = dptoolkit(tmp_path, *argv, "--count", "--all", "--k", "4")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.splitlines()[0] == "knapsack (strategy: bottom_up, chosen by auto)"
    assert f"optimal solutions: {len(optimal)}" in out
    listed = re.findall(r"^  \d+\. items (\[.*\])$", out, re.M)
    assert sorted(json.loads(x) for x in listed) == optimal
    record = json.loads(dptoolkit(tmp_path, *argv, "--count", "--all", "--k", "4", "--json").stdout)
    assert record["count"] == len(optimal)
    assert sorted(w["items"] for w in record["witnesses"]) == optimal
    assert all(w["value"] == best for w in record["witnesses"])
    top = sorted((v for v, _ in every), reverse=True)[:4]
    assert [e["value"] for e in record["k_best"]] == top
    first = json.loads(dptoolkit(tmp_path, *argv, "--all", "--limit", "1", "--json").stdout)
    assert len(first["witnesses"]) == 1 and first["witnesses"][0]["items"] in optimal


def test_count_matches_enumeration_on_random_knapsacks(capsys: pytest.CaptureFixture[str]) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None, database=None)
    @given(
        pairs=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=5),
        capacity=st.integers(0, 8),
        k=st.integers(1, 5),
    )
    def run(pairs: list[tuple[int, int]], capacity: int, k: int) -> None:
        weights, values = [w for w, _ in pairs], [v for _, v in pairs]
        every = _subsets(weights, values, capacity)
        best = max(v for v, _ in every)
        argv = ["solve", "knapsack", json.dumps(weights), json.dumps(values), str(capacity)]
        assert main([*argv, "--count", "--all", "--k", str(k), "--json"]) == 0
        record = json.loads(capsys.readouterr().out)
        optimal = sorted(items for v, items in every if v == best)
        assert record["count"] == len(optimal)
        assert sorted(w["items"] for w in record["witnesses"]) == optimal
        assert [e["value"] for e in record["k_best"]] == sorted(
            (v for v, _ in every), reverse=True
        )[:k]

    run()


def test_questions_a_problem_cannot_answer_are_one_line(tmp_path: pathlib.Path) -> None:
    done = dptoolkit(tmp_path, "solve", "catalan", "5", "--count")
    assert done.returncode == 2 and done.stdout == ""
    one_line(done.stderr, "catalan: --count is not available", "does not declare")
    fast = dptoolkit(
        tmp_path, "solve", "knapsack", "[1]", "[1]", "1", "--all", "--strategy", "fast"
    )
    assert fast.returncode == 2
    one_line(fast.stderr, "--all is not available", "strategy='fast'")
    body = dptoolkit(tmp_path, "solve", "catalan", "5", "--k", "2")
    assert body.returncode == 2
    one_line(body.stderr, "catalan: --k is not available", "k=2")
    alone = dptoolkit(tmp_path, "solve", "knapsack", "[1]", "[1]", "1", "--limit", "2")
    assert alone.returncode == 2
    one_line(alone.stderr, "--limit N goes with --all")
    zero = dptoolkit(tmp_path, "solve", "knapsack", "[1]", "[1]", "1", "--k", "0")
    assert zero.returncode == 2
    one_line(zero.stderr, "--k", "positive integer")


def test_k_prints_the_witness_fields_of_each_entry(capsys: pytest.CaptureFixture[str]) -> None:
    from dptoolkit.problems import edit_distance

    assert main(["solve", "edit_distance", "abc", "bca", "--k", "3", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    top = edit_distance.solve("abc", "bca", k=3).k_best
    assert record["k_strategy"] == "bottom_up"
    assert [e["value"] for e in record["k_best"]] == [s.value for s in top]
    assert [e["operations"] for e in record["k_best"]] == [
        [list(op) for op in s.operations] for s in top
    ]
