"""The catalog registry: every problem module registers complete entries, found by any spelling."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit.catalog import PROBLEM_MODULES

ENGINE = {"naive", "top_down", "bottom_up"}
KNOWN = ENGINE | {"fast"}


def registered(modname: str) -> tuple[Any, ...]:
    module = importlib.import_module(f"dptoolkit.problems.{modname}")
    return tuple(module.PROBLEMS)


def example_args(problem: dp.Problem) -> tuple[Any, ...]:
    """The entry's example as solve() arguments (through ``coerce``, as the command line does)."""
    args = list(problem.example)
    return tuple(problem.coerce(args)) if problem.coerce is not None else tuple(args)


ALL = sorted((p for name in PROBLEM_MODULES for p in registered(name)), key=lambda p: p.name)


@pytest.mark.parametrize("modname", PROBLEM_MODULES)
def test_every_module_registers_entries_with_every_field_filled(modname: str) -> None:
    module = importlib.import_module(f"dptoolkit.problems.{modname}")
    problems = registered(modname)
    assert problems, f"{modname} registers no problem"
    for problem in problems:
        assert isinstance(problem, dp.Problem)
        assert problem.module == module.__name__
        for text in (
            problem.name,
            problem.summary,
            problem.recurrence,
            problem.time,
            problem.space,
        ):
            assert isinstance(text, str) and text.strip(), (problem.name, text)
        assert problem.name == problem.name.lower() and " " not in problem.name
        assert ENGINE <= set(problem.strategies) <= KNOWN, problem.strategies
        assert len(set(problem.strategies)) == len(problem.strategies)
        assert getattr(module, problem.solve.__name__) is problem.solve  # a public solver
        assert callable(problem.build)
        assert isinstance(problem.example, tuple) and problem.example
        assert all(field.isidentifier() for field in problem.witness)
        assert all(isinstance(alias, str) and alias for alias in problem.aliases)
        for section in ("Examples", "References", "Notes"):
            assert section in problem.doc, f"{problem.name}: module docstring lacks {section}"


def test_catalog_lists_every_registered_problem_once_sorted_by_name() -> None:
    listed = dp.catalog()
    names = [p.name for p in listed]
    assert names == sorted(names)
    assert len(names) == len(set(names))
    assert names == [p.name for p in ALL]
    assert {"fibonacci", "knapsack", "lis", "edit_distance", "shortest_path"} <= set(names)


def test_lookup_by_name_returns_the_module_entry() -> None:
    from dptoolkit.problems import knapsack

    problem = dp.catalog("knapsack")
    assert problem is knapsack.PROBLEMS[0]
    assert problem.solve is knapsack.solve
    assert problem.solve([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15).value == 15


def test_catalog_stays_the_function_after_its_module_is_imported() -> None:
    importlib.import_module("dptoolkit.catalog")
    importlib.import_module("dptoolkit.recurrence")
    assert callable(dp.catalog) and dp.catalog("fib").name == "fibonacci"
    assert callable(dp.recurrence)


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_any_spelling_of_a_name_or_alias_finds_the_entry(problem: dp.Problem) -> None:
    spellings = {
        problem.name,
        problem.name.upper(),
        problem.name.replace("_", "-"),
        problem.name.replace("_", " "),
        f"  {problem.name.title()}  ",
    }
    for alias in problem.aliases:
        spellings |= {alias, alias.replace("_", "-"), alias.upper()}
    for spelling in spellings:
        assert dp.catalog(spelling) is problem, spelling


def test_aliases_never_shadow_another_problem() -> None:
    seen: dict[str, str] = {}
    for problem in ALL:
        for spelling in (problem.name, *problem.aliases):
            key = spelling.lower().replace("-", "_").replace(" ", "_")
            assert seen.setdefault(key, problem.name) == problem.name, (spelling, seen[key])


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("knapsak", "'knapsack'"),
        ("fibonaci", "'fibonacci'"),
        ("coin-chang", "'coin_change'"),
        ("rod_cuting", "'rod_cutting'"),
        ("subset-summ", "'subset_sum'"),
    ],
)
def test_unknown_name_suggests_the_closest(typo: str, suggestion: str) -> None:
    with pytest.raises(dp.InvalidInput) as info:
        dp.catalog(typo)
    message = str(info.value)
    assert f"name={typo!r} is not a catalog problem" in message
    assert "did you mean" in message and suggestion in message


def test_unknown_name_without_a_near_miss_and_a_non_string() -> None:
    with pytest.raises(ValueError, match=r"'zzzz' is not a catalog problem$"):
        dp.catalog("zzzz")
    with pytest.raises(TypeError, match="name=42"):
        dp.catalog(42)  # type: ignore[call-overload]


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_the_example_agrees_under_every_strategy_and_has_its_witness(
    problem: dp.Problem,
) -> None:
    args = example_args(problem)
    auto = problem.solve(*args)
    assert isinstance(auto, dp.Solution)
    assert auto.strategy in problem.strategies
    assert set(problem.witness) <= set(auto.fields)
    for strategy in problem.strategies:
        sol = problem.solve(*args, strategy=strategy)
        assert sol.strategy == strategy
        assert sol.value == auto.value, strategy
        for field in problem.witness:
            getattr(sol, field)  # every strategy can produce the witness


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_build_gives_the_one_recurrence_and_its_goal(problem: dp.Problem) -> None:
    assert problem.build is not None
    rec, goal = problem.build(*example_args(problem))
    assert isinstance(rec, dp.Recurrence)
    goal = goal if isinstance(goal, tuple) else (goal,)
    top_down = rec.solve(*goal, strategy="top_down").value
    assert rec.solve(*goal, strategy="bottom_up").value == top_down


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_the_value_and_witness_never_build_the_bottom_up_table(
    problem: dp.Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    recurrence = importlib.import_module("dptoolkit.recurrence._bottom_up")
    built: list[int] = []
    real = recurrence._to_table

    def counting(*args: Any) -> Any:
        built.append(1)
        return real(*args)

    monkeypatch.setattr(recurrence, "_to_table", counting)
    sol = problem.solve(*example_args(problem), strategy="bottom_up")
    assert sol.strategy == "bottom_up" and sol.value is not None
    for field in problem.witness:
        getattr(sol, field)
    assert built == []
    table = sol.table  # still there on demand
    assert table is not None
    if not isinstance(table, dict):  # a dense box: converted once, on this access
        assert built == [1]


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_strategy_checks_and_auto_read_the_same_everywhere(problem: dp.Problem) -> None:
    args = example_args(problem)
    listed = ", ".join(repr(s) for s in ("auto", *problem.strategies))
    with pytest.raises(dp.InvalidInput) as info:
        problem.solve(*args, strategy="greedy")
    assert str(info.value) == f"strategy='greedy' must be one of {listed}"
    with pytest.raises(dp.InvalidType, match="strategy=None must be one of"):
        problem.solve(*args, strategy=None)
    if "fast" in problem.strategies:
        assert problem.solve(*args).strategy == "fast"
    else:
        assert problem.solve(*args).strategy == "bottom_up"
        with pytest.raises(dp.InvalidInput) as info:
            problem.solve(*args, strategy="fast")
        assert str(info.value) == (
            f"strategy='fast' must be one of {listed}; {problem.name} has no 'fast' kernel"
        )


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_the_naive_preflight_counts_exactly_the_calls_the_run_makes(
    problem: dp.Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An exact count keeps the refusal of a too-big naive run deterministic: it never
    # depends on how far a run gets in time, only on the instance.
    run_module = importlib.import_module("dptoolkit.problems._run")
    counted: list[int] = []
    real = run_module.check_naive_budget

    def spy(*args: Any, **kwargs: Any) -> int:
        counted.append(real(*args, **kwargs))
        return counted[-1]

    monkeypatch.setattr(run_module, "check_naive_budget", spy)
    sol = problem.solve(*example_args(problem), strategy="naive")
    assert sol.stats is not None
    assert counted == [sol.stats.calls]
