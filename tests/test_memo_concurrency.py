"""Threads: single flight, shared errors, cross-thread cycles, unwinding leaders.

Also with deep recursion, whose bottom levels run on helper threads that act
for the calling thread: waiters of any of its keys get its value or its
error, a cycle through a helper is named, counts stay exact, asyncio's single
flight is unaffected. (Forked children: test_memo_fork.py.)

Runs with the C hit path and with its pure-Python twin; the recursion limit
is never touched. Every wait in these tests has a timeout, so a deadlock
fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit.memo import _deep, _flight

TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def impl(memo_impl: str, recursion_limit_untouched: None) -> Iterator[str]:
    """Every test twice (C wrapper, pure-Python twin: conftest); nothing left waiting."""
    yield memo_impl
    assert _deep.helpers_running() == 0
    assert _flight.waiting_count() == 0


def waiters_blocked(count: int) -> None:
    """Return once *count* threads wait for a computation in flight (white-box)."""
    from dptoolkit.memo import _flight

    deadline = time.monotonic() + TIMEOUT
    while _flight.waiting_count() < count:
        assert time.monotonic() < deadline, "the waiters never blocked"
        time.sleep(0.001)


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


def test_concurrent_calls_of_one_key_run_the_body_once() -> None:
    started = threading.Event()
    release = threading.Event()
    calls = []

    @dp.memoize
    def slow(n: int) -> object:
        calls.append(n)
        started.set()
        assert release.wait(TIMEOUT)
        return object()

    def first() -> object:
        return slow(1)

    def later() -> object:
        assert started.wait(TIMEOUT)
        return slow(1)

    def opener() -> None:
        assert started.wait(TIMEOUT)
        waiters_blocked(3)
        release.set()

    results = run_threads([first, later, later, later, opener])
    values = [value for kind, value in results[:4]]
    assert all(kind == "ok" for kind, _ in results)
    assert calls == [1]
    assert all(value is values[0] for value in values)
    info = slow.cache_info()
    assert (info.hits, info.misses) == (3, 1)


def test_waiters_get_the_same_exception_and_it_is_not_cached() -> None:
    started = threading.Event()
    release = threading.Event()
    calls = []

    @dp.memoize
    def fails(n: int) -> int:
        calls.append(n)
        started.set()
        assert release.wait(TIMEOUT)
        raise ValueError(f"failed {len(calls)}")

    def later() -> int:
        assert started.wait(TIMEOUT)
        return fails(1)

    def opener() -> None:
        assert started.wait(TIMEOUT)
        waiters_blocked(2)
        release.set()

    results = run_threads([lambda: fails(1), later, later, opener])
    errors = [value for kind, value in results[:3]]
    assert [kind for kind, _ in results[:3]] == ["error"] * 3
    assert all(error is errors[0] for error in errors)
    assert str(errors[0]) == "failed 1"
    assert calls == [1]
    # the waiters were answered without computing: hits, as in asyncio
    assert fails.cache_info()[:2] == (2, 1)
    with pytest.raises(ValueError, match="failed 2"):
        fails(1)  # not cached: computed again


def test_cache_errors_shares_the_cached_exception_across_threads() -> None:
    calls = []

    @dp.memoize(cache_errors=True)
    def fails(n: int) -> int:
        calls.append(n)
        raise KeyError(n)

    results = run_threads([lambda: fails(2)] * 6)
    errors = [value for _, value in results]
    assert all(isinstance(e, KeyError) and e is errors[0] for e in errors)
    assert calls == [2]


def test_a_cycle_between_two_threads_raises_instead_of_deadlocking() -> None:
    both = threading.Barrier(2, timeout=TIMEOUT)

    @dp.memoize
    def a(n: int) -> int:
        both.wait()  # b(n) is in flight in the other thread
        return b(n) + 1

    @dp.memoize
    def b(n: int) -> int:
        both.wait()  # a(n) is in flight in the other thread
        return a(n) + 1

    results = run_threads([lambda: a(1), lambda: b(1)])
    assert [kind for kind, _ in results] == ["error", "error"]
    assert all(isinstance(e, dp.CycleError) for _, e in results)
    messages = " ".join(str(e) for _, e in results)
    assert "a(1)" in messages and "b(1)" in messages
    assert a.cache_info().currsize == b.cache_info().currsize == 0


def test_overlapping_recursions_compute_each_key_once() -> None:
    completed: collections.Counter[int] = collections.Counter()
    lock = threading.Lock()

    @dp.memoize
    def down(n: int) -> int:
        value = 0 if n == 0 else down(n - 1) + 1
        with lock:
            completed[n] += 1
        return value

    targets = [lambda k=k: down(k) for k in (3000, 2500, 2000, 1500, 3000, 10)]
    results = run_threads(targets)
    assert [value for _, value in results] == [3000, 2500, 2000, 1500, 3000, 10]
    assert set(completed.values()) == {1}
    assert len(completed) == 3001
    assert down.cache_info().misses == 3001


def test_a_leader_that_unwinds_neither_hangs_nor_doubles_its_waiters_work() -> None:
    # one thread recurses a long way down (and unwinds, again and again) while
    # others ask for keys it holds in flight at those moments
    completed: collections.Counter[int] = collections.Counter()
    lock = threading.Lock()
    going = threading.Event()

    @dp.memoize
    def down(n: int) -> int:
        if n == 60_000:
            going.set()
        value = 0 if n == 0 else down(n - 1) + 1
        with lock:
            completed[n] += 1
        return value

    def waiter(k: int) -> Callable[[], int]:
        def call() -> int:
            assert going.wait(TIMEOUT)
            return down(k)

        return call

    results = run_threads([lambda: down(80_000), *(waiter(k) for k in (59_990, 40_000, 20_000))])
    assert [value for _, value in results] == [80_000, 59_990, 40_000, 20_000]
    assert set(completed.values()) == {1}
    assert down.cache_info().misses == 80_001


def test_many_threads_hammering_a_bounded_cache() -> None:
    @dp.memoize(maxsize=16)
    def square(n: int) -> int:
        return n * n

    def work(seed: int) -> bool:
        return all(square((seed * 7 + i) % 40) == ((seed * 7 + i) % 40) ** 2 for i in range(2000))

    results = run_threads([lambda s=s: work(s) for s in range(6)])
    assert results == [("ok", True)] * 6
    info = square.cache_info()
    assert info.currsize <= 16
    assert info.hits + info.misses == 12_000


def test_a_leader_stopped_by_a_base_exception_lets_a_waiter_compute() -> None:
    class Stop(BaseException):
        pass

    started = threading.Event()
    release = threading.Event()
    calls = []

    @dp.memoize
    def work(n: int) -> str:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            started.set()
            assert release.wait(TIMEOUT)
            raise Stop  # like KeyboardInterrupt: not an error of the computation
        return "done"

    def waiter() -> str:
        assert started.wait(TIMEOUT)
        return work(1)

    def opener() -> None:
        assert started.wait(TIMEOUT)
        waiters_blocked(1)
        release.set()

    results = run_threads([lambda: work(1), waiter, opener])
    assert isinstance(results[0][1], Stop)
    assert results[1] == ("ok", "done")
    assert len(calls) == 2


# -- deep recursion (its bottom levels on helper threads) meets other threads and tasks

DEEP = 5_000  # past one thread's budget


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


def test_a_deep_owner_stopped_by_a_base_exception_lets_its_waiters_compute() -> None:
    class Stop(BaseException):
        pass

    reached, release = threading.Event(), threading.Event()
    stopped: list[bool] = []
    bodies: list[int] = []

    @dp.memoize
    def down(n: int) -> int:
        bodies.append(n)
        if n == 0:
            if not stopped:  # the first time only, on a helper of the owner
                stopped.append(True)
                reached.set()
                assert release.wait(TIMEOUT)
                raise Stop
            return 0
        return down(n - 1) + 1

    def waiter() -> int:
        assert reached.wait(TIMEOUT)
        return down(DEEP // 2)

    def opener() -> None:
        assert reached.wait(TIMEOUT)
        waiters_blocked(1)
        release.set()

    results = run_threads([lambda: down(DEEP), waiter, opener])
    assert isinstance(results[0][1], Stop)
    assert results[1] == ("ok", DEEP // 2)  # computed again, not waited for forever
    assert sorted(bodies) == sorted([*range(DEEP + 1), *range(DEEP // 2 + 1)])
    # every computation that ran to its end (returned or raised) is a miss
    assert down.cache_info() == dp.CacheInfo(0, DEEP + 1 + DEEP // 2 + 1, None, DEEP // 2 + 1)
