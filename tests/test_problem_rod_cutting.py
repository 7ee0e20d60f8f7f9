"""Rod cutting: every strategy against all cut patterns, the CLRS table, and unbounded knapsack."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from dptoolkit.problems import knapsack, rod_cutting
from hypothesis import given, settings
from hypothesis import strategies as st

STRATEGIES = rod_cutting.STRATEGIES

CLRS_PRICES = [1, 5, 8, 9, 10, 17, 17, 20, 24, 30]
CLRS_REVENUE = [0, 1, 5, 8, 10, 13, 17, 18, 22, 25, 30]  # r_0 .. r_10, CLRS Section 15.1


def best_by_cut_patterns(prices: list[Any], n: int) -> Any:
    """Try every subset of the n - 1 cut positions."""
    best = None
    for cuts in itertools.product((0, 1), repeat=max(n - 1, 0)):
        marks = [0] + [k + 1 for k, cut in enumerate(cuts) if cut] + [n]
        pieces = [b - a for a, b in itertools.pairwise(marks)]
        if n and max(pieces) <= len(prices):
            revenue = sum(prices[p - 1] for p in pieces)
            best = revenue if best is None else max(best, revenue)
    return 0 if n == 0 else best


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=40)
@given(
    prices=st.lists(
        st.integers(0, 30) | st.integers(0, 40).map(lambda k: k / 2), min_size=1, max_size=9
    ),
    n=st.integers(0, 11),
)
def test_every_strategy_finds_the_best_cut_pattern(
    strategy: str, prices: list[Any], n: int
) -> None:
    sol = rod_cutting.solve(prices, n, strategy=strategy)
    assert sol.value == best_by_cut_patterns(prices, n)
    assert sol.strategy == strategy
    assert sum(sol.pieces) == n
    assert all(1 <= p <= len(prices) for p in sol.pieces)
    assert sum(prices[p - 1] for p in sol.pieces) == sol.value


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_clrs_price_table(strategy: str) -> None:
    revenue = [rod_cutting.solve(CLRS_PRICES, n, strategy=strategy).value for n in range(11)]
    assert revenue == CLRS_REVENUE
    assert rod_cutting.solve(CLRS_PRICES, 4, strategy=strategy).pieces == [2, 2]
    assert rod_cutting.solve(CLRS_PRICES, 10, strategy=strategy).pieces == [10]


def test_brute_force_reference_on_its_own() -> None:
    assert rod_cutting.brute_force(CLRS_PRICES, 4) == (10, [2, 2])
    assert rod_cutting.brute_force([2], 3) == (6, [1, 1, 1])


def test_naive_makes_two_to_the_n_calls() -> None:
    for n in range(1, 11):
        assert rod_cutting.solve(CLRS_PRICES, n, strategy="naive").stats.calls == 2**n


def test_a_long_rod_agrees_with_unbounded_knapsack() -> None:
    rng = random.Random(3)
    prices = [rng.randint(1, 100) for _ in range(40)]
    n = 700
    oracle = knapsack.solve(list(range(1, 41)), prices, n, unbounded=True, strategy="fast")
    for strategy in ("top_down", "bottom_up"):
        sol = rod_cutting.solve(prices, n, strategy=strategy)
        assert sol.value == oracle.value
        assert sum(sol.pieces) == n


def test_a_rod_longer_than_the_price_list() -> None:
    for strategy in STRATEGIES:
        sol = rod_cutting.solve([1, 3], 5, strategy=strategy)
        assert (sol.value, sorted(sol.pieces)) == (7, [1, 2, 2])
        assert rod_cutting.solve([4], 0, strategy=strategy).pieces == []
