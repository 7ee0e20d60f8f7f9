"""Subset sum: every strategy against all subsets, the bitset against a set of sums."""

from __future__ import annotations

import itertools
import random

import pytest
from dptoolkit.problems import subset_sum
from hypothesis import given, settings
from hypothesis import strategies as st

STRATEGIES = subset_sum.STRATEGIES


def some_subset_sums_to(numbers: list[int], target: int) -> bool:
    return any(
        sum(subset) == target
        for size in range(len(numbers) + 1)
        for subset in itertools.combinations(numbers, size)
    )


def reachable_sums(numbers: list[int], cap: int) -> set[int]:
    """Every subset sum up to cap, grown as a plain set (no bit tricks)."""
    sums = {0}
    for x in numbers:
        sums |= {s + x for s in sums if s + x <= cap}
    return sums


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=50)
@given(numbers=st.lists(st.integers(0, 15), max_size=8), target=st.integers(0, 40))
def test_every_strategy_decides_like_all_subsets(
    strategy: str, numbers: list[int], target: int
) -> None:
    sol = subset_sum.solve(numbers, target, strategy=strategy)
    expected = some_subset_sums_to(numbers, target)
    assert sol.value is expected
    assert sol.strategy == strategy
    if expected:
        indices = sol.indices
        assert indices == sorted(set(indices))
        assert all(0 <= i < len(numbers) for i in indices)
        assert sum(numbers[i] for i in indices) == target
    else:
        assert sol.indices is None


@settings(max_examples=30)
@given(numbers=st.lists(st.integers(0, 12), max_size=7), target=st.integers(0, 30))
def test_all_strategies_name_the_same_subset(numbers: list[int], target: int) -> None:
    found = {str(subset_sum.solve(numbers, target, strategy=s).indices) for s in STRATEGIES}
    assert len(found) == 1


def test_brute_force_reference_on_its_own() -> None:
    assert subset_sum.brute_force([3, 34, 4, 12, 5, 2], 9) == (True, [2, 4])
    assert subset_sum.brute_force([3, 34, 4, 12, 5, 2], 30) == (False, None)
    assert subset_sum.brute_force([], 0) == (True, [])


def test_the_bitset_agrees_with_a_set_of_sums_on_a_large_instance() -> None:
    rng = random.Random(8)
    numbers = [rng.randint(1, 5000) for _ in range(120)]
    sums = reachable_sums(numbers, 30_000)
    for target in [0, 1, 2, 29_999, *rng.sample(range(30_000), 60)]:
        sol = subset_sum.solve(numbers, target)
        assert sol.value is (target in sums)
    hit = max(sums)
    indices = subset_sum.solve(numbers, hit).indices
    assert sum(numbers[i] for i in indices) == hit


def test_fast_and_the_table_agree_on_a_mid_size_instance() -> None:
    rng = random.Random(2)
    numbers = [rng.randint(1, 200) for _ in range(25)]
    for target in (0, 777, 1601, 5000):
        fast = subset_sum.solve(numbers, target)
        table = subset_sum.solve(numbers, target, strategy="bottom_up")
        assert fast.value is table.value
        assert fast.indices == table.indices


def test_zeros_and_the_empty_target() -> None:
    for strategy in STRATEGIES:
        assert subset_sum.solve([0, 0, 5], 5, strategy=strategy).indices == [2]
        assert subset_sum.solve([], 0, strategy=strategy).indices == []
        assert subset_sum.solve([], 4, strategy=strategy).value is False


def test_huge_numbers_and_targets_are_reduced_before_the_bitset() -> None:
    scale = 10**15
    sol = subset_sum.solve([3 * scale, 10**30, 4 * scale, 5 * scale], 9 * scale)
    assert (sol.value, sol.indices) == (True, [2, 3])
    assert sol.indices == subset_sum.solve([3, 10**5, 4, 5], 9, strategy="bottom_up").indices
    assert subset_sum.solve([3 * scale, 4 * scale], 5 * scale).value is False  # gcd
    assert subset_sum.solve([3, 4], 10**40).indices is None  # past the sum
