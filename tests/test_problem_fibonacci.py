"""Fibonacci: every strategy against tilings, identities and gmpy2 when installed."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from dptoolkit.problems import fibonacci
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = fibonacci.STRATEGIES


def tilings(length: int) -> int:
    """Ways to tile a 1 x length strip with squares and dominoes, listed one by one."""
    count = 0
    for squares in range(length + 1):
        dominoes, rest = divmod(length - squares, 2)
        if rest:
            continue
        # choose the positions of the dominoes among all pieces
        count += sum(1 for _ in itertools.combinations(range(squares + dominoes), dominoes))
    return count


def test_the_first_numbers_by_hand() -> None:
    first = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144]
    for strategy in STRATEGIES:
        assert [fibonacci.solve(n, strategy=strategy).value for n in range(13)] == first
    assert [fibonacci.brute_force(n) for n in range(13)] == first


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=20)
@given(n=st.integers(0, 22))
def test_every_strategy_counts_tilings(strategy: str, n: int) -> None:
    expected = tilings(n - 1) if n else 0
    sol = fibonacci.solve(n, strategy=strategy)
    assert sol.value == expected
    assert sol.strategy == strategy


def test_naive_makes_the_textbook_number_of_calls() -> None:
    for n in (1, 5, 12, 20):
        calls = fibonacci.solve(n, strategy="naive").stats.calls
        assert calls == 2 * fibonacci.solve(n + 1).value - 1


def test_top_down_computes_each_state_once() -> None:
    stats = fibonacci.solve(200, strategy="top_down").stats
    assert stats.misses == 201


@settings(max_examples=40)
@given(n=st.integers(0, 3000))
def test_fast_doubling_agrees_with_the_table(n: int) -> None:
    assert (
        fibonacci.solve(n, strategy="fast").value == fibonacci.solve(n, strategy="bottom_up").value
    )


@pytest.mark.parametrize("n", [10**5, 10**5 + 1, 123_457, 2**17])
def test_fast_doubling_satisfies_cassini_and_doubling_identities(n: int) -> None:
    f = fibonacci.fast_fibonacci
    before, here, after = f(n - 1), f(n), f(n + 1)
    assert before + here == after
    assert before * after - here * here == (-1) ** n  # Cassini
    assert f(2 * n) == here * (2 * after - here)  # doubling
    assert f(2 * n + 1) == here * here + after * after


def test_fast_doubling_matches_gmpy2() -> None:
    gmpy2 = pytest.importorskip("gmpy2")

    for n in [*range(200), 4095, 4096, 65_537, 300_001]:
        assert fibonacci.fast_fibonacci(n) == int(gmpy2.fib(n)), n


def test_auto_is_fast_and_needs_no_witness() -> None:
    sol = fibonacci.solve(50)
    assert sol.strategy == "fast"
    assert sol.fields == ()
    assert sol.value == 12586269025


def test_naive_past_its_budget_refuses_before_running() -> None:
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        fibonacci.solve(35, strategy="naive")


@pytest.mark.parametrize("bits", [fibonacci.FFT_BITS, 300_001, 2**20])
def test_the_fft_product_of_large_factors_is_exact(bits: int) -> None:
    rng = random.Random(bits)
    x, y = rng.getrandbits(bits) | 1 << (bits - 1), rng.getrandbits(bits - 7)
    assert fibonacci._multiply(x, y) == x * y
    assert fibonacci._multiply(x, x) == x * x
    small = rng.getrandbits(1000)
    assert fibonacci._multiply(x, small) == x * small  # below the threshold: Karatsuba


def test_fibonacci_of_a_million_matches_gmpy2_or_the_identities() -> None:
    n = 1_000_000  # its last steps multiply through the FFT
    value = fibonacci.solve(n).value
    try:
        import gmpy2
    except ImportError:
        half, after = fibonacci.fast_fibonacci(n // 2), fibonacci.fast_fibonacci(n // 2 + 1)
        assert value == half * (2 * after - half)
    else:
        assert value == int(gmpy2.fib(n))


@pytest.mark.parametrize("error", [0.4, 1.0])
def test_a_wrong_fft_falls_back_to_the_exact_product(
    monkeypatch: pytest.MonkeyPatch, error: float
) -> None:
    real = np.fft.irfft

    def off_by(*args: object, **kwargs: object) -> np.ndarray:
        out = real(*args, **kwargs)  # type: ignore[call-overload]
        out[3] += error  # 0.4: not near an integer; 1.0: a wrong integer
        return out

    monkeypatch.setattr(np.fft, "irfft", off_by)
    rng = random.Random(1)
    x, y = rng.getrandbits(fibonacci.FFT_BITS + 5), rng.getrandbits(fibonacci.FFT_BITS + 9)
    assert fibonacci._multiply(x, y) == x * y
