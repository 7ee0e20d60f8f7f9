"""optimal_bst: every strategy against all BST shapes; the tree is re-costed from its depths."""

from __future__ import annotations

import math
import random

import pytest
from dptoolkit.problems import optimal_bst
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]
CLRS_P = [0.15, 0.10, 0.05, 0.10, 0.20]
CLRS_Q = [0.05, 0.10, 0.05, 0.05, 0.05, 0.10]
CLRS_TREE = (2, (1, None, None), (5, (4, (3, None, None), None), None))


def trees(lo, hi):
    """Every BST on keys lo..hi (1-based, inclusive), independently of the module."""
    if lo > hi:
        return [None]
    return [
        (r, a, b) for r in range(lo, hi + 1) for a in trees(lo, r - 1) for b in trees(r + 1, hi)
    ]


def cost(tree, p, q):
    """Expected cost from depths: keys and gaps in order, each at depth + 1 (independent)."""
    out = []

    def visit(node, level):
        if node is None:
            out.append(("gap", level))
            return
        key, left, right = node
        visit(left, level + 1)
        out.append(("key", key, level))
        visit(right, level + 1)

    visit(tree, 1)
    keys = [e for e in out if e[0] == "key"]
    gaps = [e for e in out if e[0] == "gap"]
    assert [k for _, k, _ in keys] == list(range(1, len(p) + 1))  # a BST holding every key
    assert len(gaps) == len(q)
    return sum(p[k - 1] * lvl for _, k, lvl in keys) + sum(
        q[g] * lvl for g, (_, lvl) in enumerate(gaps)
    )


def reference(p, q):
    return min(cost(t, p, q) for t in trees(1, len(p)))


@st.composite
def probabilities(draw, max_n=6):
    n = draw(st.integers(0, max_n))
    raw = draw(st.lists(st.integers(0, 20), min_size=2 * n + 1, max_size=2 * n + 1))
    if sum(raw) == 0:
        raw[-1] = 1
    total = sum(raw)
    values = [x / total for x in raw]
    return values[:n], values[n:]


def check(p, q, sol):
    assert math.isclose(cost(sol.tree, p, q), sol.value, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(pq=probabilities())
def test_every_strategy_matches_all_shapes(strategy, pq):
    p, q = pq
    sol = optimal_bst.solve(p, q, strategy=strategy)
    assert math.isclose(sol.value, reference(p, q), rel_tol=1e-9, abs_tol=1e-12)
    check(p, q, sol)


@settings(max_examples=30)
@given(pq=probabilities(max_n=5))
def test_module_brute_force_agrees(pq):
    p, q = pq
    value, tree = optimal_bst.brute_force(p, q)
    assert math.isclose(value, reference(p, q), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(cost(tree, p, q), value, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(optimal_bst.expected_cost(tree, p, q), cost(tree, p, q))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_clrs_figure_15_9(strategy):
    sol = optimal_bst.solve(CLRS_P, CLRS_Q, strategy=strategy)
    assert math.isclose(sol.value, 2.75)
    assert sol.tree == CLRS_TREE


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up"])
def test_knuth_matches_the_full_search_on_larger_instances(strategy):
    rng = random.Random(11)
    n = 60
    raw = [rng.random() for _ in range(2 * n + 1)]
    total = sum(raw)
    p, q = [x / total for x in raw[:n]], [x / total for x in raw[n:]]
    full = optimal_bst.solve(p, q, strategy=strategy)
    fast = optimal_bst.solve(p, q, strategy="fast")
    assert math.isclose(fast.value, full.value, rel_tol=1e-12)
    check(p, q, fast)
    check(p, q, full)


def test_fast_on_a_large_instance_gives_a_valid_tree():
    rng = random.Random(3)
    n = 800
    raw = [rng.random() for _ in range(2 * n + 1)]
    total = sum(raw)
    p, q = [x / total for x in raw[:n]], [x / total for x in raw[n:]]
    sol = optimal_bst.solve(p, q)
    check(p, q, sol)  # also deep trees: the tree is built and costed without recursion limits


def test_skewed_probabilities_give_a_deep_tree():
    n = 400
    raw = [2.0**-k for k in range(n)]
    p = [x / (sum(raw) + 1e-300) for x in raw]
    q = [0.0] * (n + 1)
    q[-1] = 1 - math.fsum(p)
    sol = optimal_bst.solve(p, q)
    depth, node = 0, sol.tree
    while node is not None:
        depth += 1
        node = node[2]
    assert depth > 30


def test_no_keys():
    for strategy in STRATEGIES:
        sol = optimal_bst.solve([], [1.0], strategy=strategy)
        assert (sol.value, sol.tree) == (1.0, None)


BAD = [
    pytest.param(([0.5], [0.2, 0.2]), "sum to 0.9", id="sum-below-1"),
    pytest.param(([0.5], [0.5, 0.5]), "probabilities must sum to 1", id="sum-above-1"),
    pytest.param(([0.5], [0.5]), "q=[0.5] has 1 entries but p has 1", id="short-q"),
    pytest.param(([-0.5], [1.0, 0.5]), "p[0]=-0.5 must be non-negative", id="negative"),
    pytest.param(([math.nan], [0.5, 0.5]), "p[0]=nan", id="nan"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD)
def test_bad_input_names_the_argument(args, fragment):
    with pytest.raises(dp.InvalidInput) as info:
        optimal_bst.solve(*args)
    assert fragment in str(info.value)


def test_bad_types():
    with pytest.raises(dp.InvalidType, match="p=None"):
        optimal_bst.solve(None, [1.0])
    with pytest.raises(dp.InvalidType, match="q\\[0\\]='x'"):
        optimal_bst.solve([], ["x"])


def test_tolerance_accepts_rounding():
    p, q = [0.1] * 3, [0.7 / 4] * 4  # sums to 1 only up to rounding
    assert optimal_bst.solve(p, q).value > 0


def test_size_refusals_come_before_any_work():
    p, q = [0.0] * 14, [1 / 15] * 15
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        optimal_bst.solve(p, q, strategy="naive")
    n = 11000
    with pytest.raises(dp.InvalidInput, match="too large for strategy='fast'"):
        optimal_bst.solve([0.0] * n, [1 / (n + 1)] * (n + 1))


def test_catalog_entry():
    problem = dp.catalog("optimal-binary-search-tree")
    rec, goal = problem.build(*problem.example)
    assert math.isclose(rec.solve(*goal, strategy="bottom_up").value, 2.75)


@pytest.mark.parametrize("strategy", ["naive", "top_down", "bottom_up"])
def test_count_and_witnesses_list_every_optimal_tree(strategy):
    # dyadic probabilities: mirror-image trees cost exactly the same
    p, q = [0.25, 0.25], [0.125, 0.25, 0.125]
    sol = optimal_bst.solve(p, q, strategy=strategy)
    trees_ = {w.tree for w in sol.witnesses()}
    assert trees_ == {(1, None, (2, None, None)), (2, (1, None, None), None)}
    assert sol.count() == 2
    p, q = [0.0] * 3, [0.25] * 4  # only the gaps are searched: shallow gaps win
    sol = optimal_bst.solve(p, q, strategy=strategy)
    best = [t for t in trees(1, 3) if math.isclose(cost(t, p, q), sol.value)]
    assert {w.tree for w in sol.witnesses()} == set(best)
    assert sol.count() == len(best)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_exact_probabilities_stay_exact(strategy):
    from decimal import Decimal
    from fractions import Fraction as F

    p = [F(3, 20), F(1, 10), F(1, 20), F(1, 10), F(1, 5)]
    q = [F(1, 20), F(1, 10), F(1, 20), F(1, 20), F(1, 20), F(1, 10)]
    sol = optimal_bst.solve(p, q, strategy=strategy)
    assert type(sol.value) is F and sol.value == F(11, 4)
    assert sol.tree == CLRS_TREE and cost(sol.tree, p, q) == sol.value
    p = [Decimal(str(x)) for x in CLRS_P]
    q = [Decimal(str(x)) for x in CLRS_Q]
    sol = optimal_bst.solve(p, q, strategy=strategy)
    assert type(sol.value) is Decimal and sol.value == Decimal("2.75")


def test_mixed_kinds_are_refused_by_name():
    from decimal import Decimal
    from fractions import Fraction as F

    with pytest.raises(
        dp.InvalidType, match=r"q\[0\]=Fraction\(1, 4\) is a Fraction but p\[0\] is a float"
    ):
        optimal_bst.solve([0.5], [F(1, 4), F(1, 4)])
    with pytest.raises(dp.InvalidType, match="is a Decimal but p\\[0\\] is a Fraction"):
        optimal_bst.solve([F(1, 2)], [Decimal("0.25"), Decimal("0.25")])
    with pytest.raises(dp.InvalidInput, match=r"p\[0\]=Fraction\(-1, 2\) must be non-negative"):
        optimal_bst.solve([F(-1, 2)], [1, F(1, 2)])
