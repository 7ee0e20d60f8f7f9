"""matrix_chain: every strategy against all bracketings; the order text is parsed and costed."""

from __future__ import annotations

import re

import pytest
from dptoolkit.problems import matrix_chain
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]


def bracketings(i, j):
    """Every full bracketing of matrices i..j as nested tuples (Catalan-many)."""
    if i == j:
        return [i]
    return [
        (left, right)
        for k in range(i, j)
        for left in bracketings(i, k)
        for right in bracketings(k + 1, j)
    ]


def cost_of(tree, dims):
    """(cost, rows, cols) of multiplying out a nested-tuple bracketing."""
    if isinstance(tree, int):
        return 0, dims[tree], dims[tree + 1]
    lc, lr, lk = cost_of(tree[0], dims)
    rc, rr, rk = cost_of(tree[1], dims)
    assert lk == rr
    return lc + rc + lr * lk * rk, lr, rk


def reference(dims):
    return min(cost_of(t, dims)[0] for t in bracketings(0, len(dims) - 2))


def parse(order):
    """Parse '((A1A2)A3)' into nested tuples of 0-based indices, checking the format."""
    tokens = re.findall(r"\(|\)|A\d+", order)
    assert "".join(tokens) == order, order
    pos = 0

    def item():
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok == "(":
            left, right = item(), item()
            assert tokens[pos] == ")"
            pos += 1
            return (left, right)
        assert tok.startswith("A")
        return int(tok[1:]) - 1

    tree = item()
    assert pos == len(tokens)
    return tree


def leaves(tree):
    return [tree] if isinstance(tree, int) else leaves(tree[0]) + leaves(tree[1])


def check_order(dims, sol):
    tree = parse(sol.order)
    assert leaves(tree) == list(range(len(dims) - 1))
    assert cost_of(tree, dims)[0] == sol.value


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(dims=st.lists(st.integers(1, 30), min_size=2, max_size=7))
def test_every_strategy_matches_all_bracketings(strategy, dims):
    sol = matrix_chain.solve(dims, strategy=strategy)
    assert sol.value == reference(dims)
    check_order(dims, sol)


@settings(max_examples=30)
@given(dims=st.lists(st.integers(1, 30), min_size=2, max_size=7))
def test_module_brute_force_agrees(dims):
    assert matrix_chain.brute_force(dims) == reference(dims)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_clrs_instance(strategy):
    sol = matrix_chain.solve([30, 35, 15, 5, 10, 20, 25], strategy=strategy)
    assert sol.value == 15125
    assert sol.order == "((A1(A2A3))((A4A5)A6))"


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_longer_chains_agree(strategy):
    import random

    rng = random.Random(4)
    dims = [rng.randint(1, 100) for _ in range(40)]
    sol = matrix_chain.solve(dims, strategy=strategy)
    assert sol.value == matrix_chain.solve(dims, strategy="bottom_up").value
    check_order(dims, sol)


def test_huge_dimensions_stay_exact():
    dims = [10**9, 10**9 + 7, 3, 10**9 + 9, 10**9] * 4
    fast = matrix_chain.solve(dims, strategy="fast")
    assert fast.value == matrix_chain.solve(dims, strategy="bottom_up").value
    check_order(dims, fast)


def test_one_and_two_matrices():
    assert (matrix_chain.solve([4, 7]).value, matrix_chain.solve([4, 7]).order) == (0, "A1")
    assert matrix_chain.solve([2, 3, 4], strategy="naive").order == "(A1A2)"


def test_the_value_does_not_build_the_order(monkeypatch):
    monkeypatch.setattr(matrix_chain, "_order", lambda *a: pytest.fail("order was built"))
    assert matrix_chain.solve([10, 100, 5, 50]).value == 7500


def test_naive_refuses_long_chains_before_starting():
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        matrix_chain.solve([2] * 20, strategy="naive")


def test_catalog_entry():
    problem = dp.catalog("matrix_chain")
    assert problem.witness == ("order",)
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="bottom_up").value == 15125


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_chain_of_zero_matrices_costs_nothing_in_every_strategy(strategy):
    # one dimension: the empty product (the identity), as math.prod([]) is 1
    sol = matrix_chain.solve([10], strategy=strategy)
    assert sol.value == 0 and sol.order == ""
    assert matrix_chain.brute_force([10]) == 0
    rec, goal = matrix_chain.build([10])
    assert rec.solve(*goal, strategy="bottom_up").value == 0


def test_no_dimension_at_all_is_still_refused():
    with pytest.raises(dp.InvalidInput, match=r"dims=\[\] must hold at least one dimension"):
        matrix_chain.solve([])
