"""Deep recursion meets other threads and tasks: the single-flight guarantees hold.

A deep recursion runs its bottom levels on helper threads that act for the
calling thread. Threads waiting for any of its keys get its value or its
error, once computed; a dependency cycle through a helper is named as a
cycle; counts stay exact; asyncio's single flight is unaffected; the
recursion limit is never touched.

Runs with the C miss path and with its pure-Python twin; every wait has a
timeout, so a deadlock fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit import _fastpath
from dptoolkit.memo import _deep, _flight

TIMEOUT = 30.0
DEEP = 5_000  # past one thread's budget: the bottom levels run on helper threads
LIMIT = sys.getrecursionlimit()


@pytest.fixture(autouse=True, params=["c", "python"])
def impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Decorate with the C miss path, then with the pure-Python twin; forbid setrecursionlimit."""
    if request.param == "c":
        if _fastpath.CFastWrapper is None:
            if os.environ.get("DPTOOLKIT_REQUIRE_C") == "1":
                pytest.fail("DPTOOLKIT_REQUIRE_C=1 but the C extension is not built")
            pytest.skip("the C extension dptoolkit._cmemo is not built")
        monkeypatch.setattr(_fastpath, "FastWrapper", _fastpath.CFastWrapper)
    else:
        monkeypatch.setattr(_fastpath, "FastWrapper", _fastpath.PyFastWrapper)

    def forbidden(limit: int) -> None:
        raise AssertionError(f"sys.setrecursionlimit({limit}) was called")

    monkeypatch.setattr(sys, "setrecursionlimit", forbidden)
    yield str(request.param)
    assert _deep.helpers_running() == 0
    assert _flight.waiting_count() == 0
    assert sys.getrecursionlimit() == LIMIT


def run_threads(targets: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run each target in its own thread; ("ok", value) or ("error", exception) each."""
    results: list[tuple[str, Any]] = [("missing", None)] * len(targets)

    def wrap(i: int, target: Callable[[], Any]) -> None:
        try:
            results[i] = ("ok", target())
        except BaseException as exc:
            results[i] = ("error", exc)

    threads = [threading.Thread(target=wrap, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a thread hung"
    return results


def waiters_blocked(count: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while _flight.waiting_count() < count:
        assert time.monotonic() < deadline, "the waiters never blocked"
        time.sleep(0.001)


class Bottom(Exception):
    pass


def test_an_error_raised_thousands_of_levels_deep_reaches_every_waiter() -> None:
    reached, release = threading.Event(), threading.Event()
    bodies: list[int] = []

    @dp.memoize
    def down(n: int) -> int:
        bodies.append(n)
        if n == 0:
            reached.set()
            assert release.wait(TIMEOUT)
            raise Bottom("at the bottom")
        return down(n - 1) + 1

    def owner() -> int:
        return down(DEEP)

    def waiter(key: int) -> Callable[[], int]:
        def wait() -> int:
            assert reached.wait(TIMEOUT)
            return down(key)

        return wait

    def opener() -> None:
        assert reached.wait(TIMEOUT)
        assert _deep.helpers_running() > 0  # the bottom runs on a helper
        waiters_blocked(3)  # on the top key, one in the middle, the bottom one
        release.set()

    results = run_threads([owner, waiter(DEEP), waiter(DEEP // 2), waiter(0), opener])
    errors = [outcome for status, outcome in results[:4]]
    assert all(isinstance(e, Bottom) for e in errors), results
    assert len({id(e) for e in errors}) == 1  # one error, the same instance everywhere
    assert sorted(bodies) == list(range(DEEP + 1))  # every level ran once
    # every level failed once (a miss each); the three waiters were answered
    assert down.cache_info() == dp.CacheInfo(3, DEEP + 1, None, 0)
    with pytest.raises(Bottom):  # errors are not cached: computed again
        release.set()
        down(10)


def test_a_cycle_through_a_helper_and_another_thread_is_named_not_a_deadlock() -> None:
    a_in, b_in = threading.Event(), threading.Event()

    @dp.memoize
    def a(n: int) -> int:
        if n == 0:
            a_in.set()  # on a helper of the thread that called a(DEEP)
            assert b_in.wait(TIMEOUT)
            return b(0)
        return a(n - 1) + 1

    @dp.memoize
    def b(n: int) -> int:
        b_in.set()
        assert a_in.wait(TIMEOUT)
        return a(DEEP // 2)  # in flight on the other thread's helper chain

    def first_a() -> int:
        assert b_in.wait(TIMEOUT)
        return a(DEEP)

    results = run_threads([lambda: b(0), first_a])
    errors = [outcome for status, outcome in results]
    assert all(isinstance(e, dp.CycleError) for e in errors), results
    message = str(errors[0])
    assert "dependency cycle across threads" in message
    assert "a(" in message and "b(0)" in message
    assert a.cache_info().currsize == 0 and b.cache_info().currsize == 0
    # nothing is left claimed: alone, the same calls find the cycle on one thread
    with pytest.raises(dp.CycleError, match=r"b\(0\) -> a\(2500\)"):
        a(DEEP)


def test_a_long_cycle_closing_on_a_helper_names_its_ends() -> None:
    @dp.memoize
    def ring(n: int) -> int:
        return ring((n + 1) % (3 * DEEP)) + 1

    with pytest.raises(dp.CycleError, match=r"ring\(0\) needs its own result") as info:
        ring(0)
    assert "ring(0) -> ring(1) -> ring(2) -> ..." in str(info.value)
    assert len(info.value.cycle) == 3 * DEEP + 1
    assert info.value.cycle[0] == info.value.cycle[-1] == (0,)
    assert ring.cache_info() == dp.CacheInfo(0, 3 * DEEP, None, 0)


def test_threads_racing_through_one_deep_recursion_compute_each_key_once() -> None:
    bodies: list[int] = []
    go = threading.Barrier(4, timeout=TIMEOUT)

    @dp.memoize
    def down(n: int) -> int:
        bodies.append(n)
        return 0 if n == 0 else down(n - 1) + 1

    def start(top: int) -> Callable[[], int]:
        def run() -> int:
            go.wait()
            return down(top)

        return run

    tops = [4 * DEEP, 3 * DEEP, 2 * DEEP, DEEP]
    results = run_threads([start(top) for top in tops])
    assert results == [("ok", top) for top in tops]
    assert sorted(bodies) == list(range(4 * DEEP + 1))  # single flight, deep or not
    hits, misses, _, size = down.cache_info()
    assert misses == size == 4 * DEEP + 1
    assert hits <= 3 * 2  # each later thread met the others once (a join or a hit)


def test_asyncio_single_flight_around_a_deep_sync_recursion() -> None:
    bodies: list[int] = []

    @dp.memoize
    def down(n: int) -> int:
        return 0 if n == 0 else down(n - 1) + 1

    @dp.memoize
    async def shared(n: int) -> int:
        bodies.append(n)
        await asyncio.sleep(0.01)  # every task joins while this is in flight
        return down(n)  # deep: helper threads, while the loop's thread waits

    async def main() -> list[int]:
        return await asyncio.gather(*(shared(DEEP) for _ in range(10)))

    assert asyncio.run(main()) == [DEEP] * 10
    assert bodies == [DEEP]
    assert shared.cache_info().misses == 1
    assert down.cache_info() == dp.CacheInfo(0, DEEP + 1, None, DEEP + 1)
