"""Knapsack, 0/1 and unbounded: every strategy against exhaustive search, witnesses checked."""

from __future__ import annotations

import random
from typing import Any

import pytest
from dptoolkit.problems import knapsack
from hypothesis import given, settings
from hypothesis import strategies as st

STRATEGIES = knapsack.STRATEGIES


def exhaustive(
    weights: list[int], values: list[Any], capacity: int, unbounded: bool
) -> int | float:
    """The best value over every subset (0/1) or every multiset (unbounded) that fits."""
    most = [capacity // w if unbounded and w else 1 for w in weights]

    def loads(i: int, room: int) -> Any:
        # every vector of copy counts for items i.. whose weight fits in room
        if i == len(weights):
            yield ()
            return
        for count in range(most[i] + 1):
            if count * weights[i] > room:
                break
            for rest in loads(i + 1, room - count * weights[i]):
                yield (count, *rest)

    return max(sum(c * v for c, v in zip(counts, values)) for counts in loads(0, capacity))


def check_witness(
    items: list[int],
    weights: list[int],
    values: list[Any],
    capacity: int,
    unbounded: bool,
    best: Any,
) -> None:
    assert all(0 <= i < len(weights) for i in items)
    assert items == sorted(items)
    if not unbounded:
        assert len(set(items)) == len(items)
    assert sum(weights[i] for i in items) <= capacity
    assert sum(values[i] for i in items) == best


@st.composite
def instances(draw: Any, *, floats: bool = False) -> tuple[list[int], list[Any], int, bool]:
    unbounded = draw(st.booleans())
    n = draw(st.integers(0, 6))
    weights = draw(st.lists(st.integers(1 if unbounded else 0, 9), min_size=n, max_size=n))
    value = st.integers(0, 30)
    if floats:
        value = value | st.integers(0, 60).map(lambda k: k / 4)
    values = draw(st.lists(value, min_size=n, max_size=n))
    # unbounded plain recursion branches on every copy: keep its room small
    capacity = draw(st.integers(0, 10 if unbounded else 18))
    return weights, values, capacity, unbounded


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=40)
@given(instance=instances())
def test_every_strategy_finds_the_exhaustive_optimum(
    strategy: str, instance: tuple[list[int], list[Any], int, bool]
) -> None:
    weights, values, capacity, unbounded = instance
    sol = knapsack.solve(weights, values, capacity, unbounded=unbounded, strategy=strategy)
    best = exhaustive(weights, values, capacity, unbounded)
    assert sol.value == best
    assert sol.strategy == strategy
    check_witness(sol.items, weights, values, capacity, unbounded, best)


@settings(max_examples=40)
@given(instance=instances(floats=True))
def test_all_strategies_give_the_same_value_and_witness_with_float_values(
    instance: tuple[list[int], list[Any], int, bool],
) -> None:
    weights, values, capacity, unbounded = instance
    found = {
        s: knapsack.solve(weights, values, capacity, unbounded=unbounded, strategy=s)
        for s in STRATEGIES
    }
    best = exhaustive(weights, values, capacity, unbounded)
    for sol in found.values():
        assert sol.value == best
        check_witness(sol.items, weights, values, capacity, unbounded, best)
    # one tie rule (skip first) everywhere, so one witness
    assert len({tuple(sol.items) for sol in found.values()}) == 1


def test_brute_force_reference_on_its_own() -> None:
    assert knapsack.brute_force([1, 3, 4], [15, 20, 30], 4) == (35, [0, 1])
    assert knapsack.brute_force([2], [3], 7, unbounded=True) == (9, [0, 0, 0])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_clrs_greedy_counterexample(strategy: str) -> None:
    # CLRS Figure 16.2: greedy by value per pound takes item 0 and misses 220.
    sol = knapsack.solve([10, 20, 30], [60, 100, 120], 50, strategy=strategy)
    assert (sol.value, sol.items) == (220, [1, 2])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_wikipedia_boxes(strategy: str) -> None:
    # Wikipedia's figure: $4/12 kg, $2/2 kg, $1/1 kg, $2/1 kg, $10/4 kg, capacity 15 kg:
    # take every box but the heavy green one; unbounded, three yellow and three grey.
    weights, values = [12, 2, 1, 1, 4], [4, 2, 1, 2, 10]
    sol = knapsack.solve(weights, values, 15, strategy=strategy)
    assert (sol.value, sol.items) == (15, [1, 2, 3, 4])
    sol = knapsack.solve(weights, values, 15, unbounded=True, strategy=strategy)
    assert (sol.value, sol.items) == (36, [3, 3, 3, 4, 4, 4])


@pytest.mark.parametrize("unbounded", [False, True])
def test_fast_agrees_with_the_table_on_a_larger_instance(unbounded: bool) -> None:
    rng = random.Random(4)
    weights = [rng.randint(1, 60) for _ in range(30)]
    values = [rng.randint(1, 500) for _ in range(30)]
    fast = knapsack.solve(weights, values, 400, unbounded=unbounded)
    table = knapsack.solve(weights, values, 400, unbounded=unbounded, strategy="bottom_up")
    assert fast.strategy == "fast" and fast.value == table.value
    assert fast.items == table.items
    check_witness(fast.items, weights, values, 400, unbounded, fast.value)


@pytest.mark.parametrize("unbounded", [False, True])
def test_values_past_int64_fall_back_to_python_ints(unbounded: bool) -> None:
    big = 2**62
    weights, values = [1, 2, 3], [big, big + 1, 5]
    fast = knapsack.solve(weights, values, 40, unbounded=unbounded)
    table = knapsack.solve(weights, values, 40, unbounded=unbounded, strategy="bottom_up")
    assert fast.value == table.value == exhaustive(weights, values, 40, unbounded)
    assert isinstance(fast.value, int) and fast.value > 2**63
    assert fast.items == table.items


def test_reading_the_value_never_builds_the_choice_table(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded: list[bool] = []
    real = knapsack._fast

    def spy(*args: Any, record: bool) -> Any:
        recorded.append(record)
        return real(*args, record=record)

    monkeypatch.setattr(knapsack, "_fast", spy)
    sol = knapsack.solve([3, 4, 5], [4, 5, 6], 8)
    assert sol.value == 10
    assert recorded == [False]
    assert sol.items == [0, 2]
    assert sol.items == [0, 2]  # computed once
    assert recorded == [False, True]


def test_edge_cases() -> None:
    for strategy in STRATEGIES:
        assert knapsack.solve([], [], 10, strategy=strategy).items == []
        assert knapsack.solve([5], [9], 0, strategy=strategy).value == 0
        sol = knapsack.solve([0, 7], [3, 1], 0, strategy=strategy)  # a free item is taken
        assert (sol.value, sol.items) == (3, [0])
        assert knapsack.solve([11], [9], 10, strategy=strategy).items == []


def test_inputs_are_accepted_as_any_sequence() -> None:
    import numpy as np

    sol = knapsack.solve(np.array([1, 3, 4]), (15, 20, 30), 4)
    assert (sol.value, sol.items) == (35, [0, 1])


@pytest.mark.parametrize("unbounded", [False, True])
def test_huge_weights_with_a_common_factor_cost_a_short_row(unbounded: bool) -> None:
    scale = 10**12
    weights, values = [3 * scale, 5 * scale, 4 * scale, 7 * scale], [4, 6, 5, 9]
    fast = knapsack.solve(weights, values, 10 * scale + 7, unbounded=unbounded)
    table = knapsack.solve([3, 5, 4, 7], values, 10, unbounded=unbounded, strategy="top_down")
    assert (fast.value, fast.items) == (table.value, table.items)
    # a 0/1 capacity far past the total weight is the total weight
    everything = knapsack.solve([2, 3], [5, 7], 10**15)
    assert (everything.value, everything.items) == (12, [0, 1])
