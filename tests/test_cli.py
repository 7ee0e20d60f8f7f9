"""The ``dptoolkit`` command, checked against the library's own results.

Most checks call ``dptoolkit.cli.main([...])`` in-process (fast); a handful
run the installed ``dptoolkit`` script and ``python -m dptoolkit`` from a
temporary directory, the way users do.
"""

from __future__ import annotations

import io
import json
import math
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import types
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit import cli
from dptoolkit.cli import _common, _format
from dptoolkit.cli import compare as cli_compare

ROOT = pathlib.Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SUBCOMMANDS = ("list", "show", "solve", "trace", "compare", "bench")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    return json.loads(out)


def jsonable(value: Any) -> Any:
    """What the library's value looks like after a JSON round trip through the CLI."""
    return json.loads(json.dumps(_format._jsonable(value)))


def example_solution(problem: dp.Problem, strategy: str = "auto") -> dp.Solution:
    args = [json.loads(json.dumps(_format._jsonable(a))) for a in problem.example]
    if problem.coerce is not None:
        args = list(problem.coerce(args))
    return problem.solve(*args, strategy=strategy)


def assert_one_clean_line(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, err)


# --------------------------------------------------------------------------
# help
# --------------------------------------------------------------------------


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for sub in SUBCOMMANDS:
        assert re.search(rf"^\s+{sub}\s+\S", out, re.M), sub
    status, bare, _ = run(capsys)
    assert status == 0 and "COMMAND" in bare


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_every_subcommand_has_help(sub: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, sub, "--help")
    assert status == 0, err
    assert out.startswith(f"usage: dptoolkit {sub}")
    assert "--help" in out


# --------------------------------------------------------------------------
# list and show
# --------------------------------------------------------------------------


def test_list_json_is_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    entries = run_json(capsys, "list", "--json")
    problems = dp.catalog()
    assert [e["name"] for e in entries] == [p.name for p in problems]
    for entry, problem in zip(entries, problems, strict=True):
        assert entry["summary"] == problem.summary
        assert entry["recurrence"] == problem.recurrence
        assert (entry["time"], entry["space"]) == (problem.time, problem.space)
        assert entry["strategies"] == list(problem.strategies)
        assert entry["witness"] == list(problem.witness)
        assert entry["usage"].startswith(f"dptoolkit solve {problem.name}")


def test_list_table_has_a_row_per_problem(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # a pipe: whole rows, one per problem
    status, out, _ = run(capsys, "list")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "summary", "time", "space", "strategies"]
    rows = lines[2:]
    assert len(rows) == len(dp.catalog())
    for row, problem in zip(rows, dp.catalog(), strict=True):
        assert row.startswith(problem.name + " ")
        assert problem.time in row and ", ".join(problem.strategies) in row


@pytest.mark.parametrize("columns", [200, 120, 100, 80, 60, 40])
def test_list_fits_the_terminal_width(
    columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    status, out, _ = run(capsys, "list")
    assert status == 0
    assert max(len(line) for line in out.splitlines()) <= columns, out
    words = " ".join(out.split())
    for problem in dp.catalog():  # wrapped, never cut: every word of every summary is there
        assert problem.name in out
        assert " ".join(problem.summary.split()) in words or all(
            w in words for w in problem.summary.split()
        ), problem.name


@pytest.mark.parametrize("name", [p.name for p in dp.catalog()])
def test_show_explains_and_solves_the_example(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = dp.catalog(name)
    status, out, err = run(capsys, "show", name)
    assert status == 0, err
    assert out.startswith(f"{name}: {problem.summary}")
    for line in problem.recurrence.strip().splitlines():
        assert line.strip() in out
    assert problem.time in out and problem.space in out
    assert f"dptoolkit solve {name}" in out
    if problem.example:
        sol = example_solution(problem)
        value_line = rf"^  value +({re.escape(_format._text(sol.value))}|\(row: from)"
        assert re.search(value_line, out, re.M), out
        for field, value in _common._witness(problem, sol).items():
            assert f"  {field} " in out, (field, out)
            if isinstance(value, (list, tuple)) and len(_format._text(value)) <= 72:
                assert _format._text(value) in out, (field, out)
    # plain text: no reST markup reaches the terminal
    for markup in ("``", ":func:", ":class:", ":mod:", ":math:", "::\n"):
        assert markup not in out, (markup, out)


# --------------------------------------------------------------------------
# solve
# --------------------------------------------------------------------------


def test_solve_knapsack_matches_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    record = run_json(capsys, "solve", "knapsack", "[1,3,5,2]", "[10,20,100,22]", "10", "--json")
    sol = dp.catalog("knapsack").solve([1, 3, 5, 2], [10, 20, 100, 22], 10)
    assert record["problem"] == "knapsack"
    assert record["value"] == sol.value
    assert record["items"] == list(sol.items)
    status, out, _ = run(capsys, "solve", "knapsack", "[1,3,5,2]", "[10,20,100,22]", "10")
    assert status == 0
    assert re.search(rf"^value\s+{sol.value}$", out, re.M)
    items = re.escape(str(list(sol.items)))
    # the witness says what its numbers are (issue 11)
    assert re.search(rf"^items\s+{items}  \(0-based indices into weights and values\)$", out, re.M)
    assert out.startswith("knapsack (strategy: fast, chosen by auto)\n"), out


def test_solve_reads_strings_aliases_and_strategies(capsys: pytest.CaptureFixture[str]) -> None:
    record = run_json(
        capsys, "solve", "edit-distance", "kitten", "sitting", "--strategy", "top_down", "--json"
    )
    sol = dp.catalog("edit_distance").solve("kitten", "sitting", strategy="top_down")
    assert record["strategy"] == "top_down"
    assert record["value"] == sol.value
    assert record["operations"] == [list(op) for op in sol.operations]


def test_solve_passes_keyword_options(capsys: pytest.CaptureFixture[str]) -> None:
    record = run_json(
        capsys, "solve", "knapsack", "[2,3]", "[3,4]", "7", "--kw", "unbounded=true", "--json"
    )
    sol = dp.catalog("knapsack").solve([2, 3], [3, 4], 7, unbounded=True)
    assert record["value"] == sol.value and record["items"] == list(sol.items)
    bounded = dp.catalog("knapsack").solve([2, 3], [3, 4], 7)
    assert record["value"] != bounded.value  # the option really reached the solver


@pytest.mark.parametrize("name", [p.name for p in dp.catalog() if p.example])
def test_solve_json_of_every_example_matches_the_library(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = dp.catalog(name)
    words = [json.dumps(_format._jsonable(a)) for a in problem.example]
    record = run_json(capsys, "solve", name, *words, "--json")
    sol = example_solution(problem)
    assert record["value"] == jsonable(sol.value)
    for field in problem.witness:
        if not callable(getattr(sol, field)):
            assert record[field] == jsonable(getattr(sol, field)), field


def test_json_values_are_json_safe() -> None:
    value = {"d": {(1, 2): math.inf, 3: -math.inf}, "t": (1, (2, 3)), "s": {2, 1}, "n": math.nan}
    assert _format._jsonable(value) == {
        "d": {"[1, 2]": "inf", "3": "-inf"},
        "t": [1, [2, 3]],
        "s": [1, 2],
        "n": "nan",
    }
    np = pytest.importorskip("numpy")
    assert _format._jsonable(np.array([[1, 2]], dtype=np.int64)) == [[1, 2]]
    assert type(_format._jsonable(np.int64(7))) is int
    json.dumps(_format._jsonable(value), allow_nan=False)  # strict JSON: no Infinity/NaN tokens


# --------------------------------------------------------------------------
# trace
# --------------------------------------------------------------------------


def test_trace_fibonacci_counts(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "trace", "fibonacci", "5")
    assert status == 0, err
    rec, goal = dp.catalog("fibonacci").build(5)
    assert out.strip() == rec.trace(*goal).render().strip()
    assert out.count("(hit)") == 3
    counts = run_json(capsys, "trace", "fibonacci", "5", "--json")
    assert (counts["calls"], counts["hits"], counts["misses"]) == (9, 3, 6)
    # the tree is data (issue 11): one node per call, in call order, with its children
    library5 = rec.trace(*goal)
    nodes = counts["nodes"]
    assert counts["root"] == 0 and counts["shown"] == 9 and counts["truncated"] is False
    assert [n["state"] for n in nodes] == [r.state for r in library5.records]
    assert [(n["parent"], n["hit"], n["depth"]) for n in nodes] == [
        (r.parent, r.hit, r.depth) for r in library5.records
    ]
    for node in nodes:
        assert node["children"] == [m["id"] for m in nodes if m["parent"] == node["id"]]
        assert f"{node['call']} = {node['value']}" in out
    assert nodes[0]["call"] == "fib(5)" and nodes[0]["value"] == counts["value"] == 5
    naive = run_json(capsys, "trace", "fibonacci", "5", "--strategy", "naive", "--json")
    assert naive["calls"] == 15 and naive["hits"] == 0
    top = run_json(capsys, "trace", "fibonacci", "10", "--json")
    library = rec.trace(10, strategy="top_down")
    assert (top["calls"], top["hits"], top["misses"]) == (
        library.calls,
        library.hits,
        library.misses,
    )


def test_trace_cuts_long_trees(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "trace", "fibonacci", "12", "--strategy", "naive", "--limit", "5")
    assert status == 0
    assert "more calls not shown" in out
    assert len(out.splitlines()) < 15
    # the hint names the CLI's flag, not the library's render(max_nodes=...)
    assert "render(" not in out and "--limit 0 shows all" in out
    cut = run_json(
        capsys, "trace", "fibonacci", "12", "--strategy", "naive", "--limit", "5", "--json"
    )
    assert cut["shown"] == 5 and cut["truncated"] is True and cut["calls"] == 465
    assert all(child < 5 for node in cut["nodes"] for child in node["children"])


# --------------------------------------------------------------------------
# compare
# --------------------------------------------------------------------------


def test_compare_runs_every_strategy(capsys: pytest.CaptureFixture[str]) -> None:
    problem = dp.catalog("fibonacci")
    record = run_json(capsys, "compare", "fibonacci", "15", "--json")
    assert record["agree"] is True
    assert [r["strategy"] for r in record["runs"]] == list(problem.strategies)
    for run_ in record["runs"]:
        sol = problem.solve(15, strategy=run_["strategy"])
        assert run_["value"] == sol.value
        if sol.stats:
            assert run_["calls"] == sol.stats.calls and run_["hits"] == sol.stats.hits
        assert run_["seconds"] >= 0 and run_["peak_bytes"] >= 0
    status, out, _ = run(capsys, "compare", "lcs", "ABCBDAB", "BDCABA")
    assert status == 0
    assert f"all {len(dp.catalog('lcs').strategies)} strategies agree" in out


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def _fake_problem(values: dict[str, Any]) -> dp.Problem:
    def solve(n: int, *, strategy: str = "auto") -> Any:
        chosen = "top_down" if strategy == "auto" else strategy
        return dp.Solution(values[chosen], strategy=chosen)

    return dp.Problem(
        name="fake",
        summary="a problem whose strategies disagree",
        recurrence="f(n) = ?",
        time="O(1)",
        space="O(1)",
        strategies=tuple(values),
        solve=solve,
        module=__name__,
    )


def test_compare_marks_disagreement_and_draws_progress(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _fake_problem({"naive": 1, "top_down": 1, "bottom_up": 2})
    monkeypatch.setattr(cli_compare, "_problem", lambda name: fake)
    monkeypatch.setitem(sys.modules, "rich", None)  # the plain bar (without the cli extra)
    tty = _TTY()
    monkeypatch.setattr(sys, "stderr", tty)
    status = cli.main(["compare", "fake", "3"])
    out = capsys.readouterr().out
    assert status == 1
    assert "STRATEGIES DISAGREE: bottom_up differ from naive" in out
    assert re.search(r"^bottom_up .*DIFFERS", out, re.M)
    drawn = tty.getvalue()
    assert "fake [" in drawn and "/6" in drawn and drawn.endswith("\r\x1b[K")
    quiet = _TTY()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert cli.main(["compare", "fake", "3", "--no-progress", "--strategy", "naive"]) == 0
    assert quiet.getvalue() == ""


def test_compare_with_some_strategies_refusing_still_compares_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "compare", "fibonacci", "40", "--no-progress")
    assert status == 0, err
    assert re.search(r"^naive .*skipped .*BudgetExceeded", out, re.M)
    assert "all 3 strategies agree: value 102334155" in out


# --------------------------------------------------------------------------
# bench
# --------------------------------------------------------------------------


def test_bench_runs_suites_and_prints_ratios(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dptoolkit.bench import __main__ as bench_main
    from dptoolkit.bench._timing import Row

    calls: list[bool] = []

    def run_suite(quick: bool) -> list[Row]:
        calls.append(quick)
        return [Row("toy", "n=10", "dptoolkit", 0.002, ratio=0.5)]

    toy = types.ModuleType("dptoolkit.bench.toy")
    toy.run = run_suite  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dptoolkit.bench.toy", toy)
    monkeypatch.setattr(bench_main, "SUITES", ("toy", "absent"))
    status, out, _ = run(capsys, "bench", "--quick")
    assert status == 0 and calls == [True]
    assert "## toy" in out and "| toy | n=10 | dptoolkit | 2.0 ms | 0.50x |" in out
    assert "## absent" in out and "not available" in out
    status, _, err = run(capsys, "bench", "nosuch")
    assert status == 2
    assert_one_clean_line(err, "unknown suite 'nosuch'", "toy")


# --------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------


BAD = [
    (["solve", "knapsak", "[1]", "[1]", "1"], ["knapsak", "did you mean 'knapsack'"]),
    (["solve", "knapsack", "[1,2]", "[3,4]", "-3"], ["knapsack", "capacity=-3"]),
    (["solve", "knapsack", "[1,2]"], ["knapsack", "usage: dptoolkit solve knapsack"]),
    (["solve", "knapsack", "[1]", "[1]", "1", "--strategy", "greedy"], ["strategy='greedy'"]),
    (["solve", "knapsack", "[1]", "[1]", "1", "--kw", "nonsense"], ["--kw", "KEY=VALUE"]),
    (["solve", "knapsack", "[1]", "[1]", "1", "--kw", "colour=1"], ["knapsack", "colour"]),
    (["solve", "lis", "[3,1,2]", "--kw", "k=2"], ["lis", "--k K", "not --kw k="]),
    (["solve", "edit_distance", "kitten", "sitting", "--table", "x.txt"], ["--table", ".png"]),
    (["trace", "fibonacci", "5", "--dag", "x.svg"], ["--dag", "'x.svg'", ".png"]),
    (["trace", "fibonacci", "5", "--limit", "-2"], ["--limit", "'-2'"]),
    (["trace", "fibonacci", "-1"], ["fibonacci", "n=-1"]),
    (["trace", "fibonacci", "5", "--strategy", "bottom_up"], ["--strategy", "bottom_up"]),
    (["compare", "fibonacci", "5", "--strategy", "greedy"], ["strategy='greedy'"]),
    # every strategy refuses the input: bad input, not a table of refusals (issue 15)
    (["compare", "fibonacci", "-3"], ["dptoolkit compare: error: fibonacci: n=-3"]),
    (["compare", "fibonacci", "-3", "--json"], ["fibonacci", "n=-3"]),
    (["compare", "fibonacci", "40", "--strategy", "naive"], ["strategy='naive' would make"]),
    (["show", "fibonaci"], ["did you mean 'fibonacci'"]),
    (["frobnicate"], ["invalid choice", "frobnicate"]),
    (["solve"], ["required", "NAME"]),
]


@pytest.mark.parametrize(("argv", "needles"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_status_2(
    argv: list[str],
    needles: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: pathlib.Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert_one_clean_line(err, f"dptoolkit {argv[0]}" if argv[0] in SUBCOMMANDS else "dptoolkit")
    assert_one_clean_line(err, *needles)


# --------------------------------------------------------------------------
# pictures
# --------------------------------------------------------------------------


def _need_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if os.environ.get("DPTOOLKIT_REQUIRE_PLOT") == "1":
            raise
        pytest.skip("matplotlib (the plot extra) is not installed")


def test_pictures_are_png_files(capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path) -> None:
    _need_matplotlib()
    table = tmp_path / "table.png"
    status, out, err = run(capsys, "solve", "lcs", "ABCBDAB", "BDCABA", "--table", str(table))
    assert status == 0, err
    assert table.read_bytes()[:8] == PNG_MAGIC and table.stat().st_size > 1000
    assert f"table drawn to {table}" in out
    dag = tmp_path / "dag.png"
    status, out, err = run(capsys, "trace", "fibonacci", "6", "--dag", str(dag))
    assert status == 0, err
    assert dag.read_bytes()[:8] == PNG_MAGIC
    compared = tmp_path / "compare.png"
    status, _, err = run(capsys, "compare", "fibonacci", "8", "--table", str(compared))
    assert status == 0, err
    assert compared.read_bytes()[:8] == PNG_MAGIC


def test_table_grid_lays_out_dict_and_array_tables() -> None:
    from dptoolkit._plot import table_grid

    np = pytest.importorskip("numpy")
    grid, labels = table_grid(np.arange(6).reshape(2, 3))
    assert grid.tolist() == [[0, 1, 2], [3, 4, 5]] and labels is None
    grid, labels = table_grid({0: 5, 2: math.inf})
    assert grid.shape == (1, 3) and math.isnan(grid[0, 1]) and math.isinf(grid[0, 2])
    grid, labels = table_grid({(0, "a"): 1, (1, "b"): None})
    assert labels == ["(0, 'a')", "(1, 'b')"] and grid[0, 0] == 1 and math.isnan(grid[0, 1])


def test_missing_matplotlib_names_the_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    target = tmp_path / "t.png"
    status, _, err = run(capsys, "solve", "lcs", "AB", "BA", "--table", str(target))
    assert status == 2 and not target.exists()
    assert_one_clean_line(err, 'pip install "dptoolkit[plot]"')
    status, _, err = run(capsys, "trace", "fibonacci", "4", "--dag", str(target))
    assert status == 2
    assert_one_clean_line(err, 'pip install "dptoolkit[plot]"')


# --------------------------------------------------------------------------
# the README tour, and the real entry points
# --------------------------------------------------------------------------


def test_readme_tour_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.S | re.M)
    assert section is not None
    block = re.findall(r"```(?:sh|bash|console)\n(.*?)```", section.group(1), re.S)[0]
    commands = [shlex.split(line) for line in block.splitlines() if line.startswith("dptoolkit")]
    assert len(commands) >= 3
    for argv in commands:
        status, out, err = run(capsys, *argv[1:])
        assert status == 0, (argv, err)
        assert out.strip(), argv


def _script() -> str:
    here = pathlib.Path(sys.executable).parent / "dptoolkit"
    found = str(here) if here.exists() else shutil.which("dptoolkit")
    assert found, "the dptoolkit console script is not installed"
    return found


def _subprocess(argv: list[str], cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DPTOOLKIT_DEBUG"}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_installed_script(tmp_path: pathlib.Path) -> None:
    done = _subprocess(
        [_script(), "solve", "knapsack", "[1,3,5,2]", "[10,20,100,22]", "10", "--json"], tmp_path
    )
    assert done.returncode == 0, done.stderr
    sol = dp.catalog("knapsack").solve([1, 3, 5, 2], [10, 20, 100, 22], 10)
    record = json.loads(done.stdout)
    assert (record["value"], record["items"]) == (sol.value, list(sol.items))
    bad = _subprocess([_script(), "solve", "knapsack", "[1,2]", "[3,4]", "-3"], tmp_path)
    assert bad.returncode == 2 and bad.stdout == ""
    assert_one_clean_line(bad.stderr, "capacity=-3")
    trace = _subprocess([_script(), "trace", "fibonacci", "5", "--json"], tmp_path)
    assert trace.returncode == 0, trace.stderr
    assert [json.loads(trace.stdout)[k] for k in ("calls", "hits", "misses")] == [9, 3, 6]


def test_python_dash_m_from_a_temp_dir(tmp_path: pathlib.Path) -> None:
    done = _subprocess([sys.executable, "-m", "dptoolkit", "list", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert [e["name"] for e in json.loads(done.stdout)] == [p.name for p in dp.catalog()]
    bad = _subprocess([sys.executable, "-m", "dptoolkit", "show", "nosuch"], tmp_path)
    assert bad.returncode == 2
    assert_one_clean_line(bad.stderr, "name='nosuch' is not a catalog problem")


def test_a_shadowing_source_checkout_gets_a_clear_message(tmp_path: pathlib.Path) -> None:
    # `python -m dptoolkit` started in a source checkout after a non-editable
    # install imports the checkout's dptoolkit/, which has no catalog inside.
    source = pathlib.Path(__file__).resolve().parents[1] / "dptoolkit"
    shutil.copytree(
        source, tmp_path / "dptoolkit", ignore=shutil.ignore_patterns("*.so", "__pycache__")
    )
    proc = subprocess.run(
        [sys.executable, "-m", "dptoolkit", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    import dptoolkit

    if pathlib.Path(dptoolkit.__file__).resolve().parent == source:
        # an editable install's finder still maps dptoolkit.problems: it works
        assert proc.returncode == 0, proc.stderr
        assert "knapsack" in proc.stdout
    else:
        assert proc.returncode == 1
        assert "source checkout" in proc.stderr
        assert str(tmp_path / "dptoolkit") in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_names_no_keyword_the_cli_has_an_option_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "solve", "lis")
    assert status == 2
    assert "usage: dptoolkit solve lis SEQ" in err and "--kw k=" not in err
    status, out, _ = run(capsys, "show", "egg_drop")
    assert status == 0 and "dptoolkit solve egg_drop EGGS FLOORS\n" in out


def test_all_without_limit_refuses_an_astronomical_list(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dptoolkit.cli import _many

    text = "a" * 100  # Fibonacci(101) segmentations: listing them would never end
    status, out, err = run(capsys, "solve", "word_break", text, '["a", "aa"]', "--all")
    assert status == 2 and out == ""
    assert_one_clean_line(err, "word_break", "573,147,844,013,817,084,101", "--limit N")
    status, out, _ = run(
        capsys, "solve", "word_break", text, '["a", "aa"]', "--all", "--limit", "2"
    )
    assert status == 0 and "(2, the first 2)" in out
    monkeypatch.setattr(_many, "ALL_MAX", 4)  # the cap is the count, not the length of text
    status, out, _ = run(capsys, "solve", "word_break", "aaa", '["a", "aa"]', "--all")
    assert status == 0 and "every optimal solution (3)" in out
    status, _, err = run(capsys, "solve", "word_break", "aaaa", '["a", "aa"]', "--all", "--count")
    assert status == 2 and "list 5 optimal solutions" in err
