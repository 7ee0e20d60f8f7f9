"""Threads: single flight, shared errors, cross-thread cycles, unwinding leaders.

Runs with the C hit path and with its pure-Python twin. Every wait in these
tests has a timeout, so a deadlock fails the test instead of hanging it.
"""

from __future__ import annotations

import collections
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import dptoolkit as dp

TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def impl(memo_impl: str) -> str:
    """Every test here runs with the C hit path, then the pure-Python twin (see conftest)."""
    return memo_impl


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


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_computes_a_key_another_thread_had_in_flight() -> None:
    started = threading.Event()
    release = threading.Event()

    @dp.memoize
    def held(n: int) -> int:
        if threading.current_thread() is not threading.main_thread():
            started.set()
            assert release.wait(TIMEOUT)
        return n * 10

    worker = threading.Thread(target=held, args=(7,))
    worker.start()
    try:
        assert started.wait(TIMEOUT)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12: fork with threads
            pid = os.fork()
        if pid == 0:  # the child: the worker thread does not exist here
            code = 3
            try:
                signal.alarm(10)  # a hang fails the test instead of blocking it
                code = 0 if held(7) == 70 and held(7) == 70 else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    finally:
        release.set()
        worker.join(TIMEOUT)
    assert held(7) == 70
