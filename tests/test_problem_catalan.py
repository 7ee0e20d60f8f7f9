"""Catalan numbers: every strategy against Dyck words generated one by one, and math.comb."""

from __future__ import annotations

import math

import pytest
from dptoolkit.problems import catalan
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = catalan.STRATEGIES


def dyck_words(n: int) -> list[str]:
    """Every balanced string of n pairs, built by placing '(' while any are left and ')' while open."""
    words: list[str] = []

    def grow(prefix: str, opened: int, closed: int) -> None:
        if closed == n:
            words.append(prefix)
            return
        if opened < n:
            grow(prefix + "(", opened + 1, closed)
        if closed < opened:
            grow(prefix + ")", opened, closed + 1)

    grow("", 0, 0)
    return words


def test_dyck_words_are_distinct_and_balanced() -> None:
    words = dyck_words(4)
    assert len(set(words)) == len(words) == 14
    assert "(()())()" in words and "())(()" not in words


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=15)
@given(n=st.integers(0, 9))
def test_every_strategy_counts_dyck_words(strategy: str, n: int) -> None:
    sol = catalan.solve(n, strategy=strategy)
    assert sol.value == len(dyck_words(n))
    assert sol.strategy == strategy


def test_brute_force_matches_generated_words() -> None:
    assert [catalan.brute_force(n) for n in range(7)] == [len(dyck_words(n)) for n in range(7)]


def test_naive_makes_three_to_the_n_calls() -> None:
    for n in range(8):
        assert catalan.solve(n, strategy="naive").stats.calls == 3**n


@settings(max_examples=60)
@given(n=st.integers(0, 2500))
def test_fast_matches_the_binomial_closed_form(n: int) -> None:
    assert catalan.fast_catalan(n) == math.comb(2 * n, n) // (n + 1)


@pytest.mark.parametrize("n", [10_000, 65_537])
def test_fast_matches_the_closed_form_on_large_n(n: int) -> None:
    assert catalan.solve(n).value == math.comb(2 * n, n) // (n + 1)


def test_the_table_agrees_with_fast_on_a_long_run() -> None:
    assert catalan.solve(300, strategy="bottom_up").value == catalan.solve(300).value
    assert catalan.solve(300, strategy="top_down").value == catalan.solve(300).value


def test_naive_past_its_budget_refuses_before_running() -> None:
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        catalan.solve(14, strategy="naive")
