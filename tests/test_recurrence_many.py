"""More than one answer of one recurrence: count(), witnesses(), solve(k=K) (issue 14).

Every property is checked against brute force from the problem's definition
(all monotone grid paths, all parenthesizations), not against the recurrence.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit.bench._workloads import grid_path

STRATEGIES = ("naive", "top_down", "bottom_up")
Cell = tuple[int, int]


# -- a user-written grid min-path recurrence -------------------------------------------


def came_from(state: Cell, label: Cell) -> Cell:
    return label


def path_of(sol: dp.Solution, goal: Cell) -> tuple[Cell, ...]:
    """The cells of the path a solution's choices record, top-left first."""
    cells = [state for state, _ in sol.walk(goal, came_from)]
    return (0, 0), *reversed(cells)


def all_paths(rows: int, cols: int) -> Iterator[tuple[Cell, ...]]:
    """Every monotone path from (0, 0) to (rows - 1, cols - 1): brute force."""
    for downs in itertools.combinations(range(rows + cols - 2), rows - 1):
        i = j = 0
        cells = [(0, 0)]
        for step in range(rows + cols - 2):
            if step in downs:
                i += 1
            else:
                j += 1
            cells.append((i, j))
        yield tuple(cells)


def price(grid: list[list[int]], cells: tuple[Cell, ...]) -> int:
    return sum(grid[i][j] for i, j in cells)


grids = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 2), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(grid=grids, strategy=st.sampled_from(STRATEGIES))
def test_count_and_witnesses_are_every_optimal_path(grid: list[list[int]], strategy: str) -> None:
    rows, cols = len(grid), len(grid[0])
    goal = (rows - 1, cols - 1)
    paths = list(all_paths(rows, cols))
    best = min(price(grid, p) for p in paths)
    optimal = {p for p in paths if price(grid, p) == best}
    sol = grid_path(grid).solve(*goal, strategy=strategy)
    assert sol.value == best
    assert sol.count(step=came_from) == len(optimal)
    found = [path_of(w, goal) for w in sol.witnesses(step=came_from)]
    assert len(found) == len(set(found))
    assert set(found) == optimal
    for w in sol.witnesses(step=came_from):
        assert w.value == best and w.count(step=came_from) == 1


@settings(max_examples=60, deadline=None)
@given(grid=grids, strategy=st.sampled_from(STRATEGIES), k=st.integers(1, 25))
def test_k_best_values_are_the_k_cheapest_paths(
    grid: list[list[int]], strategy: str, k: int
) -> None:
    rows, cols = len(grid), len(grid[0])
    goal = (rows - 1, cols - 1)
    prices = sorted(price(grid, p) for p in all_paths(rows, cols))
    sol = grid_path(grid).solve(*goal, strategy=strategy, k=k)
    assert [s.value for s in sol.k_best] == prices[:k]
    assert sol.value == prices[0]
    witnessed = [path_of(s, goal) for s in sol.k_best]
    assert len(set(witnessed)) == len(witnessed)  # one witness each, all different
    for s, cells in zip(sol.k_best, witnessed, strict=True):
        assert price(grid, cells) == s.value


def test_witnesses_are_lazy_and_limited() -> None:
    grid = [[0] * 12 for _ in range(12)]  # every path ties: C(22, 11) = 705,432 of them
    sol = grid_path(grid).solve(11, 11, strategy="bottom_up")
    assert sol.count(step=came_from) == math.comb(22, 11)
    first = next(sol.witnesses(step=came_from))
    assert len(first.choices) == 22
    assert len(list(sol.witnesses(3, step=came_from))) == 3
    assert list(sol.witnesses(0, step=came_from)) == []


def test_count_is_exact_past_floats() -> None:
    n = 40
    sol = grid_path([[1] * n for _ in range(n)]).solve(n - 1, n - 1, strategy="top_down")
    assert sol.count(step=came_from) == math.comb(2 * n - 2, n - 1)


def test_choose_records_every_tied_label_first_one_picked() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n: int) -> int:
        if n == 0:
            return 0
        return dp.choose([(1, "a"), (0, "b"), (0, "c"), (2, "d"), (0, "e")], best=min)  # type: ignore[no-any-return]

    for strategy in STRATEGIES:
        sol = f.solve(1, strategy=strategy)
        assert sol.choices[1] == "b" and sol._ties == {1: ["b", "c", "e"]}
        assert sol.count(step=lambda n, label: None) == 3


# -- a tree-shaped recurrence: splits into two parts -------------------------------------


def chain(dims: list[int]) -> dp.Recurrence:
    @dp.recurrence(states=lambda i, j: dp.intervals(len(dims) - 1))
    def cost(i: int, j: int) -> int:
        if i == j:
            return 0
        return dp.choose(  # type: ignore[no-any-return]
            (
                (cost(i, m) + cost(m + 1, j) + dims[i] * dims[m + 1] * dims[j + 1], m)
                for m in range(i, j)
            ),
            best=min,
        )

    return cost


def split(state: tuple[int, int], m: int) -> list[tuple[int, int]]:
    i, j = state
    return [(i, m), (m + 1, j)]


def orders(i: int, j: int, dims: list[int]) -> list[tuple[int, str]]:
    """Every parenthesization of matrices i..j with its cost: brute force."""
    if i == j:
        return [(0, f"M{i}")]
    out = []
    for m in range(i, j):
        for a, left in orders(i, m, dims):
            for b, right in orders(m + 1, j, dims):
                out.append((a + b + dims[i] * dims[m + 1] * dims[j + 1], f"({left}{right})"))
    return out


def order_of(sol: dp.Solution, i: int, j: int) -> str:
    if i == j:
        return f"M{i}"
    m = sol.choices[i, j]
    return f"({order_of(sol, i, m)}{order_of(sol, m + 1, j)})"


@settings(max_examples=40, deadline=None)
@given(
    dims=st.lists(st.integers(1, 3), min_size=2, max_size=7),
    strategy=st.sampled_from(("top_down", "bottom_up")),
    k=st.integers(1, 30),
)
def test_splits_count_multiply_and_k_best_sums_follow(
    dims: list[int], strategy: str, k: int
) -> None:
    n = len(dims) - 1
    every = orders(0, n - 1, dims)
    best = min(c for c, _ in every)
    rec = chain(dims)
    sol = rec.solve(0, n - 1, strategy=strategy).with_fields(
        step=split, witness_of=lambda s: {"order": order_of(s, 0, n - 1)}
    )
    optimal = {text for c, text in every if c == best}
    assert sol.count() == len(optimal)
    assert {w.order for w in sol.witnesses()} == optimal
    assert len(list(sol.witnesses())) == len(optimal)
    top = rec.solve(0, n - 1, strategy=strategy, k=k)
    assert [s.value for s in top.k_best] == sorted(c for c, _ in every)[:k]
    texts = [order_of(s, 0, n - 1) for s in top.k_best]
    assert len(set(texts)) == len(texts)
    assert all(dict((t, c) for c, t in every)[t] == s.value for t, s in zip(texts, top.k_best))


# -- the hook: witness fields, and a count where choice paths share a witness -----------


def lcs(a: str, b: str) -> dp.Recurrence:
    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def length(i: int, j: int) -> int:
        if i == 0 or j == 0:
            return 0
        options = [(length(i - 1, j), "up"), (length(i, j - 1), "left")]
        if a[i - 1] == b[j - 1]:
            options.append((length(i - 1, j - 1) + 1, "match"))
        return dp.choose(options, best=max)  # type: ignore[no-any-return]

    return length


def lcs_step(state: tuple[int, int], label: str) -> tuple[int, int]:
    i, j = state
    return {"up": (i - 1, j), "left": (i, j - 1), "match": (i - 1, j - 1)}[label]


def subsequence(a: str, sol: dp.Solution, goal: tuple[int, int]) -> str:
    picked = [a[i - 1] for (i, _), label in sol.walk(goal, lcs_step) if label == "match"]
    return "".join(reversed(picked))


def distinct_lcs(a: str, b: str) -> set[str]:
    """Every longest common subsequence, as strings: brute force over subsets of a."""
    found: set[str] = set()
    for size in range(len(a), -1, -1):
        for keep in itertools.combinations(range(len(a)), size):
            s = "".join(a[i] for i in keep)
            it = iter(b)
            if all(ch in it for ch in s):
                found.add(s)
        if found:
            return found
    return found


@settings(max_examples=40, deadline=None)
@given(a=st.text("ab", max_size=6), b=st.text("ab", max_size=6))
def test_witnesses_are_distinct_as_the_problem_reports_them(a: str, b: str) -> None:
    goal = (len(a), len(b))
    expected = distinct_lcs(a, b)
    sol = lcs(a, b).solve(*goal, strategy="bottom_up")
    dressed = sol.with_fields(
        step=lcs_step,
        witness_of=lambda s: {"sequence": subsequence(a, s, goal)},
        count_by=lambda s: len(expected),  # the problem's own count (here: brute force)
    )
    found = [w.sequence for w in dressed.witnesses()]
    assert len(found) == len(set(found))  # several choice paths, one witness each
    assert set(found) == expected
    assert dressed.count() == len(set(found))
    # without count_by the count is of choice paths: never fewer
    assert sol.count(step=lcs_step) >= len(expected)


def test_k_best_solutions_get_the_problem_fields() -> None:
    from dptoolkit.problems import knapsack

    rec, goal = knapsack.build([1, 3, 5, 2], [10, 20, 100, 22], 10)
    sol = rec.solve(*goal, strategy="bottom_up", k=4).with_fields(
        witness_of=lambda s: {"items": knapsack._walk(s, goal)}
    )
    assert [(s.value, s.items) for s in sol.k_best] == [
        (142, [1, 2, 3]),
        (132, [0, 2, 3]),
        (130, [0, 1, 2]),
        (122, [2, 3]),
    ]


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up"])
def test_knapsack_counts_and_lists_its_optimal_item_sets(strategy: str) -> None:
    from dptoolkit.problems import knapsack

    weights, values, capacity = [1, 2, 3, 1, 2], [1, 1, 2, 1, 1], 4
    sol = knapsack.solve(weights, values, capacity, strategy=strategy)
    subsets = [
        s
        for r in range(len(weights) + 1)
        for s in itertools.combinations(range(len(weights)), r)
        if sum(weights[i] for i in s) <= capacity
    ]
    best = max(sum(values[i] for i in s) for s in subsets)
    optimal = {s for s in subsets if sum(values[i] for i in s) == best}
    assert sol.value == best and sol.count() == len(optimal)
    assert {tuple(w.items) for w in sol.witnesses()} == optimal


# -- what count(), witnesses() and k= refuse ---------------------------------------------


def fib_max() -> dp.Recurrence:
    @dp.recurrence(states=lambda n: range(n + 1))
    def fib(n: int) -> int:
        return n if n < 2 else max(fib(n - 1), fib(n - 2))  # type: ignore[no-any-return]

    return fib


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (lambda f, n: max(f(n - 1), f(n - 2)), "compared sub-results"),
        (lambda f, n: f(n - 1) * 2, "multiplied"),
        (lambda f, n: f(n - 1) + 1 if f(n - 2) else 0, "truth value"),
        (lambda f, n: -f(n - 1), "negated"),
        (lambda f, n: 5 - f(n - 1), "from a constant"),
        (lambda f, n: f(n - 1) + "x", "not a number"),
        (lambda f, n: "x", "returned 'x'"),
    ],
    ids=["max", "times", "if", "negate", "rsub", "add str", "returns str"],
)
@pytest.mark.parametrize("strategy", ["top_down", "bottom_up"])
def test_k_refuses_bodies_it_cannot_follow_and_says_what_they_did(
    body: Any, needle: str, strategy: str
) -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def g(n: int) -> Any:
        return n if n < 2 else body(g, n)

    with pytest.raises(dp.InvalidInput, match=f"k=3 .*the body of g .*{needle}") as info:
        g.solve(6, strategy=strategy, k=3)
    assert isinstance(info.value, ValueError)


def test_k_options_are_checked() -> None:
    rec = fib_max()
    with pytest.raises(dp.InvalidInput, match="k=0"):
        rec.solve(3, k=0)
    with pytest.raises(dp.InvalidType, match="k="):
        rec.solve(3, k="3")
    with pytest.raises(dp.InvalidInput, match="window"):
        rec.solve(3, strategy="bottom_up", k=2, window=2)


def test_a_body_parameter_named_k_keeps_its_keyword() -> None:
    @dp.recurrence(states=lambda n, k: dp.grid(n + 1, k + 1))
    def binom(n: int, k: int) -> int:
        if k == 0 or k == n:
            return 1
        if k > n:
            return 0
        return binom(n - 1, k - 1) + binom(n - 1, k)  # type: ignore[no-any-return]

    assert binom.solve(n=6, k=2, strategy="bottom_up").value == 15
    assert [s.value for s in binom.solve(6, 2, k=2).k_best] == [15]


def test_count_and_witnesses_say_what_they_need() -> None:
    sol = grid_path([[1, 2], [3, 4]]).solve(1, 1, strategy="bottom_up")
    with pytest.raises(dp.InvalidInput, match="step=None"):
        sol.count()
    with pytest.raises(dp.InvalidType, match="step=3"):
        sol.count(step=3)  # type: ignore[arg-type]
    with pytest.raises(dp.InvalidInput, match="limit=-1"):
        sol.witnesses(-1, step=came_from)
    fast = dp.Solution(3, strategy="fast")
    with pytest.raises(dp.InvalidInput, match="strategy='fast' recorded no ties"):
        fast.count(step=came_from)
    windowed = grid_path([[1, 2], [3, 4]]).solve(1, 1, strategy="bottom_up", window=2)
    with pytest.raises(dp.InvalidInput, match="window=2"):
        windowed.count(step=came_from)
    with pytest.raises(dp.InvalidInput, match="k_best needs"):
        _ = sol.k_best
    top = grid_path([[1, 2], [3, 4]]).solve(1, 1, k=2)
    with pytest.raises(dp.InvalidInput, match="k= solve records no ties"):
        top.count(step=came_from)


def test_choices_that_loop_are_a_cycle_error() -> None:
    sol = dp.Solution(0, strategy="top_down", choices={1: "x", 2: "y"})
    sol._recorded(1, {})
    flip = {1: 2, 2: 1}
    with pytest.raises(dp.CycleError):
        sol.count(step=lambda state, label: flip[state])
    with pytest.raises(dp.CycleError):
        list(sol.witnesses(step=lambda state, label: flip[state]))


def _feasible(weights: list[int], capacity: int, unbounded: bool) -> list[tuple[int, ...]]:
    """Every item multiset (0/1: subset) of total weight <= capacity, as sorted indices."""
    limits = [capacity // w if unbounded and w else 1 for w in weights]
    out = []
    for counts in itertools.product(*(range(c + 1) for c in limits)):
        if sum(c * w for c, w in zip(counts, weights, strict=True)) <= capacity:
            out.append(tuple(i for i, c in enumerate(counts) for _ in range(c)))
    return out


@settings(max_examples=50, deadline=None)
@given(
    items=st.lists(st.tuples(st.integers(1, 4), st.integers(0, 3)), min_size=0, max_size=5),
    capacity=st.integers(0, 7),
    unbounded=st.booleans(),
    strategy=st.sampled_from(("top_down", "bottom_up")),
    k=st.integers(1, 12),
)
def test_knapsack_answers_match_enumeration(
    items: list[tuple[int, int]], capacity: int, unbounded: bool, strategy: str, k: int
) -> None:
    from dptoolkit.problems import knapsack

    weights = [w for w, _ in items]
    values = [v for _, v in items]
    feasible = _feasible(weights, capacity, unbounded)
    worth = {s: sum(values[i] for i in s) for s in feasible}
    best = max(worth.values())
    optimal = {s for s in feasible if worth[s] == best}
    sol = knapsack.solve(weights, values, capacity, unbounded=unbounded, strategy=strategy)
    assert sol.value == best
    assert sol.count() == len(optimal)
    assert {tuple(w.items) for w in sol.witnesses()} == optimal
    rec, goal = knapsack.build(weights, values, capacity, unbounded=unbounded)
    top = rec.solve(*goal, strategy=strategy, k=k).with_fields(
        witness_of=lambda s: {"items": knapsack._walk(s, goal)}
    )
    assert [s.value for s in top.k_best] == sorted(worth.values(), reverse=True)[:k]
    assert all(worth[tuple(s.items)] == s.value for s in top.k_best)
    assert len({tuple(s.items) for s in top.k_best}) == len(top.k_best)
