"""The catalog registry: every problem module registers complete entries, found by any spelling."""

from __future__ import annotations

import importlib
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit.catalog import problem_modules

ENGINE = {"naive", "top_down", "bottom_up"}
KNOWN = ENGINE | {"fast"}


PROBLEM_MODULES = [name.rsplit(".", 1)[-1] for name in problem_modules()]


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
    real = run_module.naive_calls

    def spy(*args: Any, **kwargs: Any) -> int:
        counted.append(real(*args, **kwargs))
        return counted[-1]

    monkeypatch.setattr(run_module, "naive_calls", spy)
    sol = problem.solve(*example_args(problem), strategy="naive")
    assert sol.stats is not None
    assert counted == [sol.stats.calls]


# ---------------------------------------------------------------- discovery and the template


def test_the_catalog_discovers_every_public_module_that_registers_entries() -> None:
    import pkgutil

    package = importlib.import_module("dptoolkit.problems")
    scanned = sorted(
        info.name for info in pkgutil.iter_modules(package.__path__) if info.name[0] != "_"
    )
    assert scanned == package.__all__
    registering = [
        n
        for n in scanned
        if hasattr(importlib.import_module(f"{package.__name__}.{n}"), "PROBLEMS")
    ]
    assert registering == PROBLEM_MODULES
    assert "graph_paths" in scanned and "graph_paths" not in PROBLEM_MODULES  # re-exports only
    assert not any(name.startswith("_") for name in PROBLEM_MODULES)
    assert {p.module for p in dp.catalog()} == set(problem_modules())


REQUIRED = {"PROBLEMS", "solve", "build", "brute_force"}


@pytest.mark.parametrize("modname", PROBLEM_MODULES)
def test_every_problem_module_follows_the_one_template(modname: str) -> None:
    """Sections in order (checks, recurrence, build, brute force, fast kernel, solve,
    PROBLEMS) and one rule for what is public: ``__all__``, and underscores elsewhere."""
    import inspect

    module = importlib.import_module(f"dptoolkit.problems.{modname}")
    public = set(module.__all__)
    assert public >= REQUIRED, f"{modname}.__all__ lacks {REQUIRED - public}"
    assert all(hasattr(module, name) for name in public)
    functions = {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__
    }
    for name in functions:
        assert name in public or name.startswith("_"), (
            f"{modname}.{name}: public but not in __all__"
        )
    line = {name: inspect.getsourcelines(f)[1] for name, f in functions.items()}
    source = inspect.getsource(module).splitlines()
    line["PROBLEMS"] = next(
        i + 1 for i, text in enumerate(source) if text.startswith("PROBLEMS = ")
    )
    sections: list[list[str]] = [
        ["_check"],
        ["_recurrence"],
        ["build"],
        ["brute_force"],
        [n for n in functions if n.startswith(("fast_", "_fast"))],
        ["solve"],
        ["PROBLEMS"],
    ]
    order = [(line[n], n) for group in sections for n in group if n in line]
    assert order == sorted(order), f"{modname}: sections out of template order: {order}"


def test_every_catalog_name_is_importable_from_the_package() -> None:
    import dptoolkit.problems as P

    for problem in dp.catalog():
        module = getattr(P, problem.name)  # the module of the problem's own name
        assert module.__name__ == problem.module
        assert module.solve is problem.solve


def test_graph_paths_keeps_the_first_names_as_functions() -> None:
    import dptoolkit.problems.graph_paths as gp
    from dptoolkit.problems import graph_paths, shortest_path

    assert graph_paths is gp
    assert gp.shortest_path is shortest_path.solve
    assert gp.build_shortest_path is shortest_path.build
    for name in ("all_pairs_shortest_paths", "longest_path", "count_paths", "grid_paths"):
        own = importlib.import_module(f"dptoolkit.problems.{name}")
        assert getattr(gp, name) is own.solve
        assert getattr(gp, f"build_{name}") is own.build


# ---------------------------------------------------------------- issue 15 defects


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_every_example_solves_as_it_is_in_every_strategy(problem: dp.Problem) -> None:
    # whatever loop a user writes over dp.catalog(): the example needs no coerce
    expected = problem.solve(*example_args(problem)).value
    for strategy in ("auto", *problem.strategies):
        sol = problem.solve(*problem.example, strategy=strategy)
        assert sol.value == expected, strategy
        for field in problem.witness:
            getattr(sol, field)


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
@pytest.mark.parametrize(
    ("typo", "meant"),
    [("bottomup", "bottom_up"), ("top-down", "top_down"), ("Naive", "naive"), ("atuo", "auto")],
)
def test_a_strategy_typo_gets_a_did_you_mean(problem: dp.Problem, typo: str, meant: str) -> None:
    with pytest.raises(dp.InvalidInput) as info:
        problem.solve(*problem.example, strategy=typo)
    assert str(info.value).startswith(f"strategy={typo!r} must be one of 'auto', ")
    assert str(info.value).endswith(f"; did you mean {meant!r}?")


F, D = Fraction, Decimal
_EDGES_F = [["s", "a", F(1, 3)], ["s", "b", F(1, 2)], ["b", "a", F(-1, 4)], ["a", "t", F(1, 6)]]
_EDGES_D = [
    ["s", "a", D("0.1")],
    ["s", "b", D("0.2")],
    ["b", "a", D("-0.15")],
    ["a", "t", D("0.3")],
]


def _apsp(value: Any) -> Any:
    return value["s"]["t"]


#: problem -> instances (args, expected exact value, how to read the value). Values were
#: worked by hand: s-b-a-t weighs 1/2 - 1/4 + 1/6 = 5/12 < s-a-t = 1/2, and so on.
EXACT: dict[str, list[tuple[tuple[Any, ...], Any, Any]]] = {
    "knapsack": [
        (([1, 2], [F(1, 3), F(1, 2)], 3), F(5, 6), None),
        (([1, 2], [D("0.1"), D("0.25")], 3), D("0.35"), None),
        (([2, 3], [F(1, 7), 1], 5), F(8, 7), None),  # int mixes with any kind
    ],
    "rod_cutting": [
        (([F(1, 3), F(3, 4)], 3), F(13, 12), None),
        (([D("0.1"), D("0.25")], 4), D("0.50"), None),
    ],
    "shortest_path": [
        ((_EDGES_F, "s", "t"), F(5, 12), None),
        ((_EDGES_D, "s", "t"), D("0.35"), None),
    ],
    "all_pairs_shortest_paths": [((_EDGES_F,), F(5, 12), _apsp), ((_EDGES_D,), D("0.35"), _apsp)],
    "longest_path": [((_EDGES_F,), F(1, 2), None), ((_EDGES_D,), D("0.4"), None)],
    # 0-1-2-0 = 1/2 + 1/4 + 1/3 = 13/12 (every tour of three cities has this length)
    "tsp": [
        (([[0, F(1, 2), F(1, 3)], [F(1, 2), 0, F(1, 4)], [F(1, 3), F(1, 4), 0]],), F(13, 12), None),
        (
            ([[0, D("0.5"), D("0.3")], [D("0.5"), 0, D("0.25")], [D("0.3"), D("0.25"), 0]],),
            D("1.05"),
            None,
        ),
    ],
    # (0, 2) then (2, 4): 1/3 + 1/2 = 5/6 beats (1, 3) alone at 2/3
    "interval_scheduling": [
        (([(0, 2, F(1, 3)), (2, 4, F(1, 2)), (1, 3, F(2, 3))],), F(5, 6), None)
    ],
    # root k1: 1/4 + 2 (1/6) + 2 (1/4) + 3 (1/6) + 3 (1/6) = 25/12 (k2 at the root is the mirror)
    "optimal_bst": [(([F(1, 4), F(1, 4)], [F(1, 6), F(1, 6), F(1, 6)]), F(25, 12), None)],
}

#: problems whose numbers must be integers (or that take none): exact non-integers are
#: refused by name.
INTEGERS_ONLY: dict[str, tuple[tuple[Any, ...], str]] = {
    "coin_change": (([1, F(5, 2)], 7), "coins[1]=Fraction(5, 2)"),
    "subset_sum": (([1, D("2.5")], 3), "numbers[1]=Decimal('2.5')"),
    "matrix_chain": (([10, F(3, 2), 4],), "dims[1]=Fraction(3, 2)"),
    "fibonacci": ((F(5, 1),), "n=Fraction(5, 1)"),
    "catalan": ((D("5"),), "n=Decimal('5')"),
    "factorial": ((F(3, 1),), "n=Fraction(3, 1)"),
    "grid_paths": ((D("3"), 3), "rows=Decimal('3')"),
    "egg_drop": ((F(2, 1), 10), "eggs=Fraction(2, 1)"),
    "word_break": (([F(1, 2), D("0.3")], ["a"]), "text=[Fraction(1, 2)"),
}

#: problems that only compare their items (no arithmetic): exact kinds work as they are.
COMPARED: dict[str, tuple[tuple[Any, ...], Any]] = {
    "lis": (([F(1, 3), D("0.2"), F(1, 2), D("0.9")],), 3),
    "lcs": (([F(1, 2), F(1, 3)], [F(1, 3), F(2, 4)]), 1),
    "edit_distance": (([F(1, 2), D("0.5")], [F(1, 2)]), 1),
    "count_paths": (([[F(1, 3), D("0.5")], [D("0.5"), 2]], F(1, 3), 2), 1),  # nodes, not numbers
    "palindrome": (([F(1, 2), D("0.3"), F(1, 2)],), 3),
}


@pytest.mark.parametrize("problem", ALL, ids=lambda p: p.name)
def test_exact_numbers_stay_exact_in_every_strategy_or_are_refused_by_name(
    problem: dp.Problem,
) -> None:
    name = problem.name
    if name in EXACT:
        for args, expected, read in EXACT[name]:
            for strategy in ("auto", *problem.strategies):
                value = problem.solve(*args, strategy=strategy).value
                value = read(value) if read else value
                assert type(value) is type(expected) and value == expected, (strategy, value)
    elif name in INTEGERS_ONLY:
        args, fragment = INTEGERS_ONLY[name]
        for strategy in ("auto", *problem.strategies):
            with pytest.raises(dp.InvalidType) as info:
                problem.solve(*args, strategy=strategy)
            assert fragment in str(info.value)
    elif name in COMPARED:
        args, expected = COMPARED[name]
        for strategy in ("auto", *problem.strategies):
            assert problem.solve(*args, strategy=strategy).value == expected
    else:
        pytest.fail(f"{name}: add an exact-number instance (EXACT, INTEGERS_ONLY or COMPARED)")


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (
            lambda: dp.catalog("knapsack").solve([1, 2], [F(1, 3), 0.5], 3),
            "values[1]=0.5 is a float",
        ),
        (
            lambda: dp.catalog("rod_cutting").solve([D("0.1"), F(1, 2)], 2),
            "prices[1]=Fraction(1, 2)",
        ),
        (
            lambda: dp.catalog("shortest_path").solve([[0, 1, D("1")], [1, 2, 0.5]], 0, 2),
            "G[1][2]['weight']=0.5 is a float but G[0][1]['weight'] is a Decimal",
        ),
    ],
)
def test_a_mix_of_number_kinds_that_would_round_is_refused(call: Any, fragment: str) -> None:
    with pytest.raises(dp.InvalidType) as info:
        call()
    assert fragment in str(info.value)
