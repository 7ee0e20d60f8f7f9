"""Longest increasing subsequence: every strategy against all subsequences, witnesses checked."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from dptoolkit.problems import lis
from hypothesis import given, settings
from hypothesis import strategies as st

STRATEGIES = lis.STRATEGIES


def longest_by_subsequences(seq: list[Any]) -> int:
    """Try every subsequence (as a set of positions), keep the strictly increasing ones."""
    best = 0
    for mask in range(1 << len(seq)):
        picked = [seq[i] for i in range(len(seq)) if mask >> i & 1]
        if all(a < b for a, b in itertools.pairwise(picked)):
            best = max(best, len(picked))
    return best


def check_witness(seq: Any, indices: list[int], length: int) -> None:
    assert len(indices) == length
    assert indices == sorted(set(indices))
    assert all(0 <= i < len(seq) for i in indices)
    assert all(seq[a] < seq[b] for a, b in itertools.pairwise(indices))


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=50)
@given(seq=st.lists(st.integers(0, 8), max_size=10))
def test_every_strategy_finds_the_longest_subsequence(strategy: str, seq: list[int]) -> None:
    sol = lis.solve(seq, strategy=strategy)
    assert sol.value == longest_by_subsequences(seq)
    assert sol.strategy == strategy
    check_witness(seq, sol.indices, sol.value)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_strictness_strings_and_floats(strategy: str) -> None:
    assert lis.solve([2, 2, 2], strategy=strategy).value == 1
    assert lis.solve([], strategy=strategy).indices == []
    assert lis.solve("ACGTTGCA", strategy=strategy).value == 4  # A C G T
    sol = lis.solve([0.5, -1.25, 3.0, 2.5, 2.75], strategy=strategy)
    assert sol.value == 3  # 0.5 (or -1.25), 2.5, 2.75
    check_witness([0.5, -1.25, 3.0, 2.5, 2.75], sol.indices, 3)


def test_brute_force_reference_on_its_own() -> None:
    assert lis.brute_force([3, 1, 4, 1, 5]) == (3, [0, 2, 4])
    assert lis.brute_force([]) == (0, [])


def test_patience_sorting_agrees_with_the_table_on_mid_size_input() -> None:
    rng = random.Random(5)
    seq = [rng.randint(0, 500) for _ in range(400)]
    fast = lis.solve(seq)
    table = lis.solve(seq, strategy="bottom_up")
    assert fast.strategy == "fast"
    assert fast.value == table.value
    check_witness(seq, fast.indices, fast.value)
    check_witness(seq, table.indices, table.value)


def test_patience_sorting_on_structured_long_input() -> None:
    # blocks of k decreasing runs: one item per block rises, so the answer is the block count
    blocks, k = 2000, 7
    seq = [block * k + (k - 1 - j) for block in range(blocks) for j in range(k)]
    sol = lis.solve(seq)
    assert sol.value == blocks
    check_witness(seq, sol.indices, blocks)
    assert lis.solve(list(range(50_000))).value == 50_000
    assert lis.solve(list(range(50_000, 0, -1))).value == 1


def test_reading_the_length_never_builds_the_witness(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    real = lis.fast_lis

    def spy(seq: Any, *, witness: bool = False) -> Any:
        asked.append(witness)
        return real(seq, witness=witness)

    monkeypatch.setattr(lis, "fast_lis", spy)
    sol = lis.solve([3, 1, 4, 1, 5, 9, 2, 6])
    assert sol.value == 4 and asked == [False]
    check_witness([3, 1, 4, 1, 5, 9, 2, 6], sol.indices, 4)
    assert asked == [False, True]


def test_the_engine_strategies_share_one_witness_and_fast_may_differ_as_documented() -> None:
    # The module's Notes say which longest subsequence each gives; hold them to it.
    seq = [3, 1, 4, 1, 5, 9, 2, 6]
    engine = {s: lis.solve(seq, strategy=s).indices for s in ("naive", "top_down", "bottom_up")}
    assert set(map(tuple, engine.values())) == {(0, 2, 4, 5)}
    assert lis.solve(seq, strategy="fast").indices == [1, 2, 4, 7]
    assert lis.solve(seq).indices == [1, 2, 4, 7]  # auto is fast
    assert "witness of ``fast`` may differ" in (lis.__doc__ or "")


@settings(max_examples=60)
@given(seq=st.lists(st.integers(0, 6), max_size=9))
def test_every_witness_is_a_longest_increasing_subsequence(seq: list[int]) -> None:
    engine = [lis.solve(seq, strategy=s) for s in ("naive", "top_down", "bottom_up")]
    assert len({tuple(sol.indices) for sol in engine}) == 1  # one witness for the engine
    for sol in [*engine, lis.solve(seq, strategy="fast")]:
        chosen = sol.indices
        assert len(chosen) == sol.value == brute_force_length(seq)
        assert all(a < b and seq[a] < seq[b] for a, b in itertools.pairwise(chosen))


def brute_force_length(seq: list[int]) -> int:
    return lis.brute_force(seq)[0]
