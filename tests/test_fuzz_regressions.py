"""Regressions: each input the fuzzers (tests/test_fuzz_*.py) found mishandled, fixed at its cause.

One test per finding, named for it; docs/reliability.md lists the findings and
where each fix lives.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

import dptoolkit as dp


# F1: @dp.memoize on a generator function cached the generator, so the second
# call got a used-up iterator (silently empty). Fix: _validate.check_function_kind.
def test_memoize_refuses_a_generator_function() -> None:
    def evens(n: int) -> Iterator[int]:
        yield from range(0, n, 2)

    with pytest.raises(dp.InvalidType, match=r"func=.*evens is a generator function"):
        dp.memoize(evens)
    with pytest.raises(TypeError, match="generator function"):
        dp.memoize(maxsize=4)(evens)


def test_memoize_refuses_an_async_generator_function() -> None:
    async def ticks(n: int) -> object:
        yield n

    with pytest.raises(dp.InvalidType, match=r"func=.*ticks is a generator function"):
        dp.memoize(ticks)


def test_memoize_still_takes_async_functions() -> None:
    import asyncio

    @dp.memoize
    async def twice(n: int) -> int:
        return 2 * n

    assert asyncio.run(twice(4)) == 8


# F2: @dp.recurrence on a generator or async body returned (and cached) one-shot
# generators and coroutines. Fixed on main by the `rec` branch (recurrence/_decorator.py).
def test_recurrence_refuses_generator_and_async_bodies() -> None:
    def walk(n: int) -> Iterator[int]:
        yield n

    async def later(n: int) -> int:
        return n

    with pytest.raises(dp.InvalidType, match=r"walk.* is a generator function"):
        dp.recurrence(walk)
    with pytest.raises(dp.InvalidType, match=r"later.* is an async function"):
        dp.recurrence(states=lambda n: range(n + 1))(later)


# F3: a ttl cache whose timer= returns text raised a bare TypeError from an
# expiry sum; one returning NaN never expired anything. Fix: _validate.check_clock
# (every reading of a ttl cache's clock is checked).
def test_memoize_timer_that_returns_text_is_named() -> None:
    f = dp.memoize(ttl=5, timer=lambda: "noon")(abs)
    with pytest.raises(dp.InvalidType, match=r"timer\(\) returned 'noon'; timer= must return"):
        f(-1)


def test_memoize_timer_that_returns_nan_is_refused() -> None:
    f = dp.memoize(ttl=5, timer=lambda: math.nan)(abs)
    with pytest.raises(dp.InvalidInput, match=r"timer\(\) returned nan"):
        f(-1)


def test_memoize_timer_is_reported_as_given() -> None:
    def clock() -> float:
        return 0.0

    f = dp.memoize(ttl=5, timer=clock)(abs)
    assert f(-2) == 2 and f(-2) == 2
    assert f.cache_parameters()["timer"] is clock
    assert f.cache_info().hits == 1


# F4: fibonacci/factorial/catalan top_down and bottom_up keep every value of the
# table: factorial(65535) needed 4 GiB, fibonacci(10**6) 40 GiB (MemoryError, or the
# OOM killer), though the state count is far under the table limit. Fix: each
# solve sizes its table of big integers (_run.check_memory, now per strategy).
@pytest.mark.parametrize(
    ("name", "n"), [("fibonacci", 10**6), ("factorial", 65535), ("catalan", 10**6)]
)
@pytest.mark.parametrize("strategy", ["top_down", "bottom_up"])
def test_tables_of_big_integers_are_sized_up_front(name: str, n: int, strategy: str) -> None:
    problem = dp.catalog(name)
    with pytest.raises(dp.InvalidInput, match=rf"n={n} is too large for strategy='{strategy}'"):
        problem.solve(n, strategy=strategy)
    assert problem.solve(300, strategy=strategy).value == problem.solve(300, strategy="fast").value


# F5: a store path with a NUL byte ("sqlite:///a%00b.db" or a literal "\x00")
# raised sqlite3's bare ValueError("embedded null byte"). Fix: SQLiteStore's path check
# (stores/_sqlite.py) refuses it with the others that name no file.
@pytest.mark.parametrize("url", ["sqlite:////tmp/a\x00b.db", "sqlite:////tmp/a%00b.db"])
def test_store_path_with_a_nul_byte_is_named(url: str) -> None:
    with pytest.raises(dp.InvalidInput, match=r"path='/tmp/a\\x00b.db' must name a file"):
        dp.memoize(store=url)


@pytest.mark.parametrize(
    ("name", "n", "strategy"),
    [
        ("factorial", 10**8, "fast"),  # fits in memory, takes hours
        ("catalan", 10**5, "bottom_up"),  # n^2 / 2 big products
        ("fibonacci", 2**32 - 1, "fast"),  # found by random exploration (as np.uint32)
    ],
)
def test_a_number_sequence_run_of_hours_is_refused_up_front(
    name: str, n: int, strategy: str
) -> None:
    # F6: the size limits counted memory only, so runs that fit but take hours started
    problem = dp.catalog(name)
    with pytest.raises(dp.InvalidInput) as info:
        problem.solve(n, strategy=strategy)
    assert f"n={n} is too large for strategy={strategy!r}" in str(info.value)
    # and just inside the bound the same strategy still answers
    assert problem.solve(200, strategy=strategy).value > 0
