"""Coin change: every strategy against coin multisets tried one by one, witnesses checked."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from dptoolkit.problems import coin_change
from hypothesis import given, settings
from hypothesis import strategies as st

STRATEGIES = coin_change.STRATEGIES


def fewest_by_multisets(coins: list[int], amount: int) -> int | float:
    """The size of the smallest multiset of coins summing to amount (inf if none)."""
    if amount == 0:
        return 0
    usable = sorted(set(coins))
    for size in range(1, amount + 1):
        for combo in itertools.combinations_with_replacement(usable, size):
            if sum(combo) == amount:
                return size
    return math.inf


def greedy(coins: list[int], amount: int) -> int:
    """Largest coin first: optimal for canonical systems such as 1, 5, 10, 25."""
    count = 0
    for coin in sorted(coins, reverse=True):
        count += amount // coin
        amount %= coin
    return count


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=40)
@given(
    coins=st.lists(st.integers(1, 9), max_size=4),
    amount=st.integers(0, 16),
)
def test_every_strategy_finds_the_smallest_multiset(
    strategy: str, coins: list[int], amount: int
) -> None:
    sol = coin_change.solve(coins, amount, strategy=strategy)
    expected = fewest_by_multisets(coins, amount)
    assert sol.value == expected
    assert sol.strategy == strategy
    if expected == math.inf:
        assert sol.coins is None
    else:
        assert type(sol.value) is int
        assert sum(sol.coins) == amount
        assert len(sol.coins) == sol.value
        assert set(sol.coins) <= set(coins)
        assert sol.coins == sorted(sol.coins)


def test_brute_force_reference_on_its_own() -> None:
    assert coin_change.brute_force([1, 3, 4], 6) == (2, [3, 3])
    assert coin_change.brute_force([5, 7], 3) == (math.inf, None)
    assert coin_change.brute_force([], 0) == (0, [])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_where_greedy_fails(strategy: str) -> None:
    # 1, 3, 4: greedy pays 6 as 4 + 1 + 1; the optimum is 3 + 3.
    sol = coin_change.solve([1, 3, 4], 6, strategy=strategy)
    assert (sol.value, sol.coins) == (2, [3, 3])
    assert greedy([1, 3, 4], 6) == 3


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up"])
def test_us_coins_agree_with_greedy_on_large_amounts(strategy: str) -> None:
    rng = random.Random(11)
    us = [1, 5, 10, 25]
    for amount in [0, 99, 4321, *(rng.randint(0, 3000) for _ in range(3))]:
        sol = coin_change.solve(us, amount, strategy=strategy)
        assert sol.value == greedy(us, amount)
        assert sum(sol.coins) == amount


def test_unreachable_amounts_and_repeated_coins() -> None:
    for strategy in STRATEGIES:
        sol = coin_change.solve([2, 4], 7, strategy=strategy)
        assert sol.value == math.inf and sol.coins is None
        sol = coin_change.solve([], 3, strategy=strategy)
        assert sol.value == math.inf and sol.coins is None
        sol = coin_change.solve([3, 3, 3], 9, strategy=strategy)
        assert (sol.value, sol.coins) == (3, [3, 3, 3])
        assert coin_change.solve([7], 0, strategy=strategy).coins == []


def test_auto_is_fast_and_every_strategy_pays_with_the_same_coins() -> None:
    auto = coin_change.solve([1, 2, 5, 10, 20, 50], 289)
    assert auto.strategy == "fast"
    for strategy in ("top_down", "bottom_up"):
        other = coin_change.solve([1, 2, 5, 10, 20, 50], 289, strategy=strategy)
        assert auto.value == other.value == greedy([1, 2, 5, 10, 20, 50], 289)
        assert auto.coins == other.coins


@settings(max_examples=60)
@given(
    coins=st.lists(st.integers(1, 15), max_size=4),
    scale=st.sampled_from([1, 2, 3, 10]),
    amount=st.integers(0, 600),
)
def test_fast_gives_the_table_witness(coins: list[int], scale: int, amount: int) -> None:
    # amounts past (m - 1) * m2 exercise the jump down by the largest coin
    coins = [scale * c for c in coins]
    fast = coin_change.solve(coins, amount, strategy="fast")
    table = coin_change.solve(coins, amount, strategy="bottom_up")
    assert (fast.value, fast.coins) == (table.value, table.coins)


def test_fast_handles_huge_amounts_with_a_short_row() -> None:
    us = [1, 5, 10, 25]
    assert coin_change.solve(us, 10**15 + 42).value == greedy(us, 10**15 + 42)
    # past T = (15 - 1) * 10 every optimal payment holds a 15: the table's payment of
    # a smaller amount past T, plus 15s, is the payment of the larger one
    sol = coin_change.solve([6, 10, 15], 10**6 + 1)
    table = coin_change.solve([6, 10, 15], 4 * 10**4 + 1, strategy="bottom_up")
    fifteens = (10**6 - 4 * 10**4) // 15
    assert (sol.value, sol.coins) == (table.value + fifteens, table.coins + [15] * fifteens)
    assert coin_change.solve([4, 6], 10**18 + 1).value == math.inf  # the gcd does not divide it
