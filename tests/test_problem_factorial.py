"""Factorial: every strategy against counted permutations, and fast against math.factorial."""

from __future__ import annotations

import itertools
import math

import pytest
from dptoolkit.problems import factorial
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = factorial.STRATEGIES


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_counts_permutations(strategy: str) -> None:
    for n in range(8):
        orderings = sum(1 for _ in itertools.permutations("abcdefg"[:n]))
        assert factorial.solve(n, strategy=strategy).value == orderings


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=15)
@given(n=st.integers(0, 250))
def test_every_strategy_matches_math_factorial(strategy: str, n: int) -> None:
    sol = factorial.solve(n, strategy=strategy)
    assert sol.value == math.factorial(n)
    assert sol.strategy == strategy


@settings(max_examples=80)
@given(n=st.integers(0, 5000))
def test_binary_splitting_matches_math_factorial(n: int) -> None:
    assert factorial.fast_factorial(n) == math.factorial(n)


@pytest.mark.parametrize("n", [2**14 - 1, 2**14, 2**14 + 1, 100_003])
def test_binary_splitting_on_large_n_and_powers_of_two(n: int) -> None:
    assert factorial.solve(n).value == math.factorial(n)


def test_brute_force_counts_orderings() -> None:
    assert [factorial.brute_force(n) for n in range(7)] == [1, 1, 2, 6, 24, 120, 720]


def test_chain_recurrence_makes_one_call_per_state() -> None:
    assert factorial.solve(40, strategy="naive").stats.calls == 41
    assert factorial.solve(40, strategy="top_down").stats.misses == 41


def test_deep_chains_work_top_down_and_naive_refuses_them() -> None:
    assert factorial.solve(5000, strategy="top_down").value == math.factorial(5000)
    assert factorial.solve(factorial.NAIVE_MAX_N, strategy="naive").stats.calls == 301
    with pytest.raises(dp.BudgetExceeded, match="recurse more than 300 levels deep"):
        factorial.solve(factorial.NAIVE_MAX_N + 1, strategy="naive")
