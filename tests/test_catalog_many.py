"""The catalog's many answers (issue 14): count(), witnesses() and solve(..., k=K).

For random small instances each problem's answers are checked against an
enumeration of every feasible solution from the problem's definition (written
here, independent of the recurrences): ``count()`` is the number of optimal
ones, ``witnesses()`` is exactly their set, ``k=K`` gives the K best values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import Any

import pytest
from dptoolkit.problems import (
    coin_change,
    edit_distance,
    interval_scheduling,
    knapsack,
    lcs,
    longest_path,
    matrix_chain,
    optimal_bst,
    palindrome,
    rod_cutting,
    shortest_path,
    subset_sum,
    tsp,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

ENGINE = ("naive", "top_down", "bottom_up")


def frozen(value: Any) -> Hashable:
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    return value  # type: ignore[no-any-return]


def agree(
    solve: Callable[..., dp.Solution],
    args: tuple[Any, ...],
    field: str,
    scored: dict[Hashable, Any],
    *,
    maximize: bool,
    strategy: str,
    k: int,
) -> None:
    """*solve*'s answers against *scored*: every feasible witness (frozen) and its value."""
    best = (max if maximize else min)(scored.values())
    optimal = {w for w, v in scored.items() if v == best}
    sol = solve(*args, strategy=strategy)
    assert sol.value == best
    assert sol.count() == len(optimal)
    listed = [frozen(getattr(w, field)) for w in sol.witnesses()]
    assert len(listed) == len(set(listed))
    assert set(listed) == optimal
    assert [frozen(getattr(w, field)) for w in sol.witnesses(1)] == listed[:1]
    top = solve(*args, strategy=strategy, k=k)
    assert top.value == best
    assert [s.value for s in top.k_best] == sorted(scored.values(), reverse=maximize)[:k]
    picked = [frozen(getattr(s, field)) for s in top.k_best]
    assert len(picked) == len(set(picked)), picked  # the K best distinct witnesses, each once
    for s in top.k_best:
        assert scored[frozen(getattr(s, field))] == s.value


strategies = st.sampled_from(ENGINE)
ks = st.integers(1, 12)


# -- knapsack ------------------------------------------------------------------------------


def knapsack_all(
    weights: list[int], values: list[int], capacity: int, unbounded: bool
) -> dict[Hashable, Any]:
    ranges = [range(capacity // w + 1) for w in weights] if unbounded else [range(2)] * len(weights)
    out: dict[Hashable, Any] = {}
    for counts in itertools.product(*ranges):
        if sum(c * w for c, w in zip(counts, weights, strict=True)) <= capacity:
            items = tuple(i for i, c in enumerate(counts) for _ in range(c))
            out[items] = sum(values[i] for i in items)
    return out


@settings(max_examples=40, deadline=None)
@given(
    items=st.lists(st.tuples(st.integers(1, 4), st.integers(0, 3)), max_size=5),
    capacity=st.integers(0, 7),
    unbounded=st.booleans(),
    strategy=st.sampled_from(("top_down", "bottom_up", "auto")),
    k=ks,
)
def test_knapsack(
    items: list[tuple[int, int]], capacity: int, unbounded: bool, strategy: str, k: int
) -> None:
    weights, values = [w for w, _ in items], [v for _, v in items]

    def solve(*args: Any, **kw: Any) -> dp.Solution:
        return knapsack.solve(*args, unbounded=unbounded, **kw)

    scored = knapsack_all(weights, values, capacity, unbounded)
    agree(
        solve, (weights, values, capacity), "items", scored, maximize=True, strategy=strategy, k=k
    )


# -- edit distance -----------------------------------------------------------------------


def scripts(a: str, b: str) -> dict[Hashable, Any]:
    """Every alignment of a with b as its (kind, i, j) operations, and its cost."""
    out: dict[Hashable, Any] = {}

    def extend(i: int, j: int, ops: tuple[tuple[str, int, int], ...]) -> None:
        if i == len(a) and j == len(b):
            out[ops] = sum(kind != "match" for kind, _, _ in ops)
            return
        if i < len(a) and j < len(b):
            extend(i + 1, j + 1, (*ops, ("match" if a[i] == b[j] else "substitute", i, j)))
        if i < len(a):
            extend(i + 1, j, (*ops, ("delete", i, j)))
        if j < len(b):
            extend(i, j + 1, (*ops, ("insert", i, j)))

    extend(0, 0, ())
    return out


words = st.text(alphabet="ab", max_size=4)


@settings(max_examples=40, deadline=None)
@given(a=words, b=words, strategy=st.sampled_from(("top_down", "bottom_up", "auto")), k=ks)
def test_edit_distance(a: str, b: str, strategy: str, k: int) -> None:
    agree(
        edit_distance.solve,
        (a, b),
        "operations",
        scripts(a, b),
        maximize=False,
        strategy=strategy,
        k=k,
    )


# -- LCS: distinct subsequences, not embeddings ------------------------------------------


def common(a: str, b: str) -> set[str]:
    subs = {
        "".join(a[i] for i in picked)
        for r in range(len(a) + 1)
        for picked in itertools.combinations(range(len(a)), r)
    }
    return {s for s in subs if lcs.is_subsequence(s, b)}


@settings(max_examples=60, deadline=None)
@given(
    a=st.text(alphabet="abc", max_size=6),
    b=st.text(alphabet="abc", max_size=6),
    strategy=st.sampled_from(("top_down", "bottom_up", "auto")),
    k=ks,
)
def test_lcs_counts_distinct_subsequences(a: str, b: str, strategy: str, k: int) -> None:
    # every common subsequence (the empty one too) is a witness, valued by its length
    scored = {x: len(x) for x in common(a, b)}
    agree(lcs.solve, (a, b), "sequence", scored, maximize=True, strategy=strategy, k=k)


# -- shortest and longest paths ----------------------------------------------------------

arcs_lists = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)), max_size=8
).map(lambda arcs: {(u, v): w for u, v, w in arcs if u != v})


def digraph(arcs: dict[tuple[int, int], int], n: int = 4) -> Any:
    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from((u, v, w) for (u, v), w in arcs.items())
    return G


def walks(
    arcs: dict[tuple[int, int], int], s: int, t: int, most: int
) -> dict[tuple[int, ...], int]:
    """Every walk from s to t of at most *most* arcs, and its weight."""
    out: dict[tuple[int, ...], int] = {}
    frontier: list[tuple[tuple[int, ...], int]] = [((s,), 0)]
    for _ in range(most + 1):
        nxt = []
        for walk, w in frontier:
            if walk[-1] == t:
                out[walk] = w
            nxt.extend(((*walk, v), w + c) for (u, v), c in arcs.items() if u == walk[-1])
        frontier = nxt
    return out


@settings(max_examples=60, deadline=None)
@given(
    arcs=arcs_lists,
    s=st.integers(0, 3),
    t=st.integers(0, 3),
    strategy=st.sampled_from(("top_down", "bottom_up", "auto")),
    k=ks,
)
def test_shortest_path_counts_distinct_walks(
    arcs: dict[tuple[int, int], int], s: int, t: int, strategy: str, k: int
) -> None:
    G, rounds = digraph(arcs), 3  # a walk of at most V - 1 arcs
    found = walks(arcs, s, t, rounds)
    if not found:
        sol = shortest_path.solve(G, s, t, strategy=strategy)
        assert sol.value == float("inf") and sol.count() == 0 and list(sol.witnesses()) == []
        assert shortest_path.solve(G, s, t, strategy=strategy, k=k).k_best == []
        return
    agree(shortest_path.solve, (G, s, t), "path", found, maximize=False, strategy=strategy, k=k)


def dag_paths(arcs: dict[tuple[int, int], int], n: int) -> dict[Hashable, Any]:
    out: dict[Hashable, Any] = {}
    frontier: list[tuple[tuple[int, ...], int]] = [((v,), 0) for v in range(n)]
    while frontier:
        nxt = []
        for path, w in frontier:
            out[path] = w
            nxt.extend(((*path, v), w + c) for (u, v), c in arcs.items() if u == path[-1])
        frontier = nxt
    return out if n else {(): 0}


@settings(max_examples=60, deadline=None)
@given(
    arcs=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(-2, 3)), max_size=8
    ).map(lambda arcs: {(min(u, v), max(u, v)): w for u, v, w in arcs if u != v}),
    n=st.integers(0, 4),
    strategy=st.sampled_from(("top_down", "bottom_up", "auto")),
    k=ks,
)
def test_longest_path(arcs: dict[tuple[int, int], int], n: int, strategy: str, k: int) -> None:
    arcs = {a: w for a, w in arcs.items() if max(a) < n}
    scored = dag_paths(arcs, n)
    agree(
        lambda *a, **kw: longest_path.solve(digraph(arcs, n), **kw),
        (),
        "path",
        scored,
        maximize=True,
        strategy=strategy,
        k=k,
    )


# -- matrix chain, rod cutting, coin change, subset sum ------------------------------------


def bracketings(d: list[int], i: int, j: int) -> dict[str, int]:
    if i > j:
        return {"": 0}
    if i == j:
        return {f"A{i + 1}": 0}
    out: dict[str, int] = {}
    for m in range(i, j):
        for left, lc in bracketings(d, i, m).items():
            for right, rc in bracketings(d, m + 1, j).items():
                out[f"({left}{right})"] = lc + rc + d[i] * d[m + 1] * d[j + 1]
    return out


@settings(max_examples=40, deadline=None)
@given(dims=st.lists(st.integers(1, 3), min_size=1, max_size=6), strategy=strategies, k=ks)
def test_matrix_chain(dims: list[int], strategy: str, k: int) -> None:
    scored: dict[Hashable, Any] = dict(bracketings(dims, 0, len(dims) - 2))
    agree(matrix_chain.solve, (dims,), "order", scored, maximize=False, strategy=strategy, k=k)


def compositions(parts: list[int], n: int) -> list[tuple[int, ...]]:
    """Every sequence of *parts* (with repeats) summing to *n*."""
    if n == 0:
        return [()]
    return [(p, *rest) for p in parts if p <= n for rest in compositions(parts, n - p)]


@settings(max_examples=40, deadline=None)
@given(
    prices=st.lists(st.integers(0, 4), min_size=1, max_size=4),
    n=st.integers(0, 6),
    strategy=strategies,
    k=ks,
)
def test_rod_cutting_counts_cuttings_in_order(
    prices: list[int], n: int, strategy: str, k: int
) -> None:
    cuts = compositions(list(range(1, len(prices) + 1)), n)
    scored: dict[Hashable, Any] = {c: sum(prices[p - 1] for p in c) for c in cuts}
    agree(rod_cutting.solve, (prices, n), "pieces", scored, maximize=True, strategy=strategy, k=k)


@settings(max_examples=60, deadline=None)
@given(
    coins=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    amount=st.integers(0, 8),
    strategy=st.sampled_from(("top_down", "bottom_up", "auto")),
    k=ks,
)
def test_coin_change_counts_multisets(coins: list[int], amount: int, strategy: str, k: int) -> None:
    paid = compositions(sorted(set(coins)), amount)  # every order of paying
    if not paid:
        sol = coin_change.solve(coins, amount, strategy=strategy)
        top = coin_change.solve(coins, amount, strategy=strategy, k=k)
        assert sol.value == float("inf") and sol.count() == 0 and list(sol.witnesses()) == []
        assert top.k_best == [] and top.coins is None
        return
    scored = {tuple(sorted(p)): len(p) for p in paid}  # a witness is a multiset of coins
    agree(
        coin_change.solve, (coins, amount), "coins", scored, maximize=False, strategy=strategy, k=k
    )


@settings(max_examples=60, deadline=None)
@given(
    numbers=st.lists(st.integers(0, 4), max_size=6),
    target=st.integers(0, 8),
    strategy=st.sampled_from(("naive", "top_down", "bottom_up", "auto")),
)
def test_subset_sum_lists_every_subset(numbers: list[int], target: int, strategy: str) -> None:
    subsets = {
        chosen
        for r in range(len(numbers) + 1)
        for chosen in itertools.combinations(range(len(numbers)), r)
        if sum(numbers[i] for i in chosen) == target
    }
    sol = subset_sum.solve(numbers, target, strategy=strategy)
    assert sol.value == bool(subsets)
    listed = [tuple(w.indices) for w in sol.witnesses()]
    assert len(listed) == len(set(listed)) and set(listed) == subsets
    assert sol.count() == len(subsets)
    with pytest.raises(dp.InvalidInput, match="k=2: subset_sum answers yes or no"):
        subset_sum.solve(numbers, target, k=2)


# -- the classics: tsp, interval scheduling, optimal BST, palindrome ------------------------


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 5),
    cells=st.lists(st.integers(0, 3), min_size=25, max_size=25),
    strategy=strategies,
    k=ks,
)
def test_tsp(n: int, cells: list[int], strategy: str, k: int) -> None:
    D = [[0 if i == j else cells[5 * i + j] for j in range(n)] for i in range(n)]
    scored: dict[Hashable, Any] = {}
    for order in itertools.permutations(range(1, n)):
        tour = (0, *order, 0)
        scored[tour] = sum(D[u][v] for u, v in itertools.pairwise(tour))
    agree(tsp.solve, (D,), "tour", scored, maximize=False, strategy=strategy, k=k)


@settings(max_examples=40, deadline=None)
@given(
    jobs=st.lists(
        st.tuples(st.integers(0, 4), st.integers(1, 3), st.integers(0, 3)), max_size=5
    ).map(lambda js: [(s, s + d, w) for s, d, w in js]),
    strategy=strategies,
    k=ks,
)
def test_interval_scheduling(jobs: list[tuple[int, int, int]], strategy: str, k: int) -> None:
    scored: dict[Hashable, Any] = {
        chosen: sum(jobs[i][2] for i in chosen)
        for r in range(len(jobs) + 1)
        for chosen in itertools.combinations(range(len(jobs)), r)
        if interval_scheduling.compatible(jobs, chosen)
    }
    agree(
        interval_scheduling.solve, (jobs,), "indices", scored, maximize=True, strategy=strategy, k=k
    )


def bst_shapes(i: int, j: int) -> list[Any]:
    """Every BST on keys i+1 .. j as (root, left, right), None for no key."""
    if i == j:
        return [None]
    return [
        (r, left, right)
        for r in range(i + 1, j + 1)
        for left in bst_shapes(i, r - 1)
        for right in bst_shapes(r, j)
    ]


@settings(max_examples=40, deadline=None)
@given(
    weights=st.lists(st.integers(0, 3), min_size=1, max_size=9).filter(
        lambda ws: len(ws) % 2 == 1 and sum(ws) > 0
    ),
    strategy=strategies,
    k=ks,
)
def test_optimal_bst(weights: list[int], strategy: str, k: int) -> None:
    from fractions import Fraction

    total = sum(weights) or 1
    probs = [Fraction(w, total) for w in weights]
    p, q = probs[1::2], probs[0::2]  # n keys and n + 1 gaps
    scored: dict[Hashable, Any] = {
        frozen(t): optimal_bst.expected_cost(t, p, q) for t in bst_shapes(0, len(p))
    }
    agree(optimal_bst.solve, (p, q), "tree", scored, maximize=False, strategy=strategy, k=k)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet="abc", min_size=1, max_size=7),
    strategy=st.sampled_from(("top_down", "bottom_up", "auto")),
    k=ks,
)
def test_palindrome_counts_distinct_palindromes(text: str, strategy: str, k: int) -> None:
    subs = {
        "".join(text[i] for i in picked)
        for r in range(len(text) + 1)
        for picked in itertools.combinations(range(len(text)), r)
    }
    # every palindromic subsequence (the empty one too) is a witness, valued by its length
    scored = {x: len(x) for x in subs if x == x[::-1]}
    agree(palindrome.solve, (text,), "sequence", scored, maximize=True, strategy=strategy, k=k)


# -- kernels and auto ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("solve", "args"),
    [
        (knapsack.solve, ([1, 2, 3, 1, 2], [1, 1, 2, 1, 1], 4)),
        (edit_distance.solve, ("abc", "bca")),
        (lcs.solve, ("abcbdab", "bdcaba")),
        (
            shortest_path.solve,
            (digraph({(0, 1): 1, (1, 3): 1, (0, 2): 1, (2, 3): 1, (0, 3): 2}), 0, 3),
        ),
        (longest_path.solve, (digraph({(0, 1): 1, (1, 3): 1, (0, 2): 1, (2, 3): 1, (0, 3): 2}),)),
        (matrix_chain.solve, ([2, 2, 2, 2, 2],)),
        (coin_change.solve, ([1, 2, 3], 6)),
        (tsp.solve, ([[0, 1, 2, 1], [1, 0, 1, 2], [2, 1, 0, 1], [1, 2, 1, 0]],)),
        (interval_scheduling.solve, ([(0, 2, 1), (2, 4, 1), (0, 4, 2)],)),
        (optimal_bst.solve, ([0.25, 0.25], [0.2, 0.1, 0.2])),
        (palindrome.solve, ("abca",)),
    ],
)
def test_fast_refuses_and_auto_resolves(
    solve: Callable[..., dp.Solution], args: tuple[Any, ...]
) -> None:
    engine = solve(*args, strategy="bottom_up")
    auto = solve(*args)
    assert auto.strategy == "fast"
    assert auto.count() == engine.count()
    assert [w.as_dict() for w in auto.witnesses()] == [w.as_dict() for w in engine.witnesses()]
    with pytest.raises(dp.InvalidInput, match="top_down, bottom_up or naive"):
        solve(*args, strategy="fast").count()
    with pytest.raises(
        dp.InvalidInput, match=r"k=2 .*'fast' kernel records none; use strategy 'auto', 'bottom_up'"
    ):
        solve(*args, strategy="fast", k=2)
    assert solve(*args, k=2).strategy == "bottom_up"
    with pytest.raises(dp.InvalidInput, match="k=0"):
        solve(*args, k=0)
