"""dptoolkit.testing: the agreement check and the hypothesis strategies users get."""

from __future__ import annotations

import importlib
import sys

import networkx as nx
import pytest
from hypothesis import given, settings

import dptoolkit as dp
from dptoolkit import testing
from dptoolkit.testing import (
    assert_strategies_agree,
    grids_with_obstacles,
    knapsack_instances,
    sequences,
    strings,
    weighted_dags,
    weighted_digraphs,
)


@dp.recurrence(states=lambda n: range(n + 1))
def stairs(n):
    return 1 if n < 2 else stairs(n - 1) + stairs(n - 2)


def test_agreeing_strategies_return_every_solution() -> None:
    sols = assert_strategies_agree(stairs, 12)
    assert set(sols) == {"naive", "top_down", "bottom_up"}
    assert {s.value for s in sols.values()} == {233}
    only = assert_strategies_agree(stairs, 12, strategies=["top_down", "bottom_up"])
    assert set(only) == {"top_down", "bottom_up"}


def test_disagreement_is_an_assertion_naming_the_strategies() -> None:
    seen = set()

    @dp.recurrence(states=lambda n: range(n + 1))
    def impure(n):  # remembers across calls: naive recomputes, so it differs
        first = n not in seen
        seen.add(n)
        return 0 if n == 0 else impure(n - 1) + (1 if first else 0)

    with pytest.raises(AssertionError, match="naive gives 3, top_down gives 0"):
        assert_strategies_agree(impure, 3)


def test_witness_checks() -> None:
    calls = []

    def ok(sol):
        calls.append(sol.strategy)

    assert_strategies_agree(stairs, 5, check_witness=ok)
    assert calls == ["naive", "top_down", "bottom_up"]
    with pytest.raises(AssertionError, match="invalid witness from naive"):
        assert_strategies_agree(stairs, 5, check_witness=lambda sol: False)

    def strict(sol):
        assert sol.value < 0, "too big"

    with pytest.raises(AssertionError, match="too big"):
        assert_strategies_agree(stairs, 5, check_witness=strict)


def test_naive_budget_is_passed_on() -> None:
    with pytest.raises(dp.BudgetExceeded):
        assert_strategies_agree(stairs, 20, max_calls=50)


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: assert_strategies_agree(len, 3), dp.InvalidType, "rec=<built-in function len>"),
        (lambda: assert_strategies_agree(stairs, 3, strategies=[]), dp.InvalidInput, "strategies=[]"),
        (lambda: assert_strategies_agree(stairs, 3, strategies="naive"), dp.InvalidInput, "strategies='naive'"),
        (lambda: assert_strategies_agree(stairs, 3, strategies=["fast"]), dp.InvalidInput, "'fast'"),
        (lambda: assert_strategies_agree(stairs, 3, check_witness=1), dp.InvalidType, "check_witness=1"),
        (lambda: sequences(min_size=3, max_size=1), dp.InvalidInput, "min_size=3"),
        (lambda: strings(""), dp.InvalidInput, "alphabet=''"),
        (lambda: knapsack_instances(max_weight=0), dp.InvalidInput, "max_weight=0"),
        (lambda: grids_with_obstacles(density=2), dp.InvalidInput, "density=2"),
        (lambda: weighted_dags(min_weight=3, max_weight=1), dp.InvalidInput, "min_weight=3"),
        (lambda: sequences(min_value="a"), dp.InvalidType, "min_value='a'"),
        (lambda: weighted_digraphs(max_weight=2.5), dp.InvalidType, "max_weight=2.5"),
        (lambda: weighted_dags(weight=None), dp.InvalidType, "weight=None"),
    ],
)  # fmt: skip
def test_bad_arguments_name_themselves(call, exc, message) -> None:
    with pytest.raises(exc) as info:
        call()
    assert message in str(info.value)


@settings(max_examples=25)
@given(
    sequences(max_size=5),
    strings("xy", min_size=1, max_size=4),
    knapsack_instances(max_items=4),
    grids_with_obstacles(max_rows=3, max_cols=4),
)
def test_strategies_draw_what_they_promise(seq, text, knap, grid) -> None:
    assert len(seq) <= 5 and all(-20 <= x <= 20 for x in seq)
    assert 1 <= len(text) <= 4 and set(text) <= {"x", "y"}
    weights, values, capacity = knap
    assert len(weights) == len(values) <= 4 and min(weights, default=1) >= 1 and capacity >= 0
    rows, cols, blocked = grid
    assert 1 <= rows <= 3 and 1 <= cols <= 4
    assert all(0 <= r < rows and 0 <= c < cols for r, c in blocked)
    assert (0, 0) not in blocked and (rows - 1, cols - 1) not in blocked


@settings(max_examples=25)
@given(weighted_dags(max_nodes=5, weight="w"), weighted_digraphs(max_nodes=4, min_weight=-3))
def test_graph_strategies(dag, digraph) -> None:
    assert nx.is_directed_acyclic_graph(dag) and dag.number_of_nodes() <= 5
    assert all("w" in data for _, _, data in dag.edges(data=True))
    assert all(-3 <= w <= 10 for _, _, w in digraph.edges(data="weight"))


def test_the_three_line_example_runs() -> None:
    from hypothesis import given as given_

    def make_lcs(a, b):
        @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
        def lcs(i, j):
            if i == 0 or j == 0:
                return 0
            if a[i - 1] == b[j - 1]:
                return lcs(i - 1, j - 1) + 1
            return max(lcs(i - 1, j), lcs(i, j - 1))

        return lcs

    @settings(max_examples=15)
    @given_(strings(max_size=6), strings(max_size=6))
    def check(a, b):
        assert_strategies_agree(make_lcs(a, b), len(a), len(b))

    check()


def test_missing_hypothesis_names_the_test_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.setitem(sys.modules, "hypothesis.strategies", None)
    fresh = importlib.reload(testing)  # importing the module itself needs no hypothesis
    try:
        assert fresh.assert_strategies_agree(stairs, 4)["bottom_up"].value == 5
        with pytest.raises(ImportError, match=r"dptoolkit\[test\]"):
            fresh.strings()
    finally:
        monkeypatch.undo()
        importlib.reload(testing)
