"""Fork safety: a child forked while other threads compute (deep or not) works on.

Only the forking thread exists in a forked child: the flights the other
threads own, their deep-recursion helpers and the threads waiting for them
are gone. In the child every key must still compute, correctly and once, and
never wait for a thread that is not there; the parent must not notice.

Runs with the C miss path and with its pure-Python twin. The child's work
runs under a deadline (an alarm in the child, a kill from the parent), so a
hang fails the test instead of hanging it.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit.memo import _deep, _flight

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

TIMEOUT = 30.0
#: Seconds the child has for its work before it counts as hung.
CHILD_DEADLINE = 60
DEEP = 20_000  # far past one thread's budget: the bottom runs on helper threads


@pytest.fixture(autouse=True)
def impl(memo_impl: str) -> str:
    """Every test twice: the C wrapper, then its pure-Python twin (conftest)."""
    return memo_impl


def fork() -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12: fork with threads
        return os.fork()


def in_child(work: Callable[[], object]) -> str:
    """Run *work* in a forked child under a deadline; return what it returned, as repr.

    The test fails if the child hangs, dies or raises (with the child's traceback).
    """
    read, write = os.pipe()
    pid = fork()
    if pid == 0:  # the child: report through the pipe, never return into pytest
        code = 1
        try:
            os.close(read)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(CHILD_DEADLINE)  # a hang kills the child
            try:
                text = "ok " + repr(work())
                code = 0
            except BaseException:
                text = "raised " + traceback.format_exc()
            os.write(write, text.encode())
        finally:
            os._exit(code)
    os.close(write)
    chunks = []
    deadline = time.monotonic() + CHILD_DEADLINE + 10
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                pytest.fail("the forked child hung")
            ready, _, _ = select.select([read], [], [], left)
            if ready:
                chunk = os.read(read, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    out = b"".join(chunks).decode()
    assert os.WIFEXITED(status), f"the child died: status {status}, said {out!r}"
    assert os.WEXITSTATUS(status) == 0, out
    assert out.startswith("ok "), out
    return out[3:]


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.001)


def deep_function(parent: int, reached: threading.Event, release: threading.Event) -> Any:
    """``down(n) = n`` computed by recursion; in the parent, ``down(0)`` blocks."""
    finished: collections.Counter[int] = collections.Counter()

    @dp.memoize
    def down(n: int) -> int:
        if n == 0:
            if os.getpid() == parent:
                reached.set()
                assert release.wait(TIMEOUT)
            value = 0
        else:
            value = down(n - 1) + 1
        finished[n] += 1
        return value

    down.finished = finished  # type: ignore[attr-defined]
    return down


@pytest.fixture
def deep_in_flight() -> Iterator[Any]:
    """A thread in the middle of ``down(DEEP)``: every level pending, the bottom on a helper."""
    reached, release = threading.Event(), threading.Event()
    down = deep_function(os.getpid(), reached, release)
    results: list[int] = []
    owner = threading.Thread(target=lambda: results.append(down(DEEP)))
    owner.start()
    try:
        assert reached.wait(TIMEOUT)
        assert _deep.helpers_running() > 0  # the bottom levels run on helper threads
        yield down
    finally:
        release.set()
        owner.join(TIMEOUT)
    assert not owner.is_alive()
    # the parent is unaffected: one value, every level computed once
    assert results == [DEEP]
    assert set(down.finished.values()) == {1}
    assert down.cache_info() == dp.CacheInfo(0, DEEP + 1, None, DEEP + 1)
    assert _deep.helpers_running() == 0


def test_a_child_forked_during_another_threads_deep_recursion_computes_every_key(
    deep_in_flight: Any,
) -> None:
    down = deep_in_flight

    def work() -> object:
        assert _deep.helpers_running() == 0  # the parent's helpers are not here
        assert _flight.waiting_count() == 0
        assert down.cache_info().currsize == 0  # nothing was finished at the fork
        values = (down(DEEP), down(0), down(DEEP // 2), down(DEEP + 5_000))
        assert _deep.helpers_running() == 0
        return values, sorted(set(down.finished.values())), down.cache_info()

    values, finished, info = eval(in_child(work), {"CacheInfo": dp.CacheInfo})
    assert values == (DEEP, 0, DEEP // 2, DEEP + 5_000)
    assert finished == [1]  # each level ran once in the child
    # down(0) and down(DEEP // 2) are hits, and so is down(DEEP) under down(DEEP + 1)
    assert info == dp.CacheInfo(3, DEEP + 5_001, None, DEEP + 5_001)


def test_a_child_forked_during_a_deep_recursion_sees_its_errors_and_cycles(
    deep_in_flight: Any,
) -> None:
    down = deep_in_flight

    @dp.memoize
    def bad(n: int) -> int:
        if n == 0:
            raise LookupError("bottom")
        return bad(n - 1) + down(n)

    @dp.memoize
    def loop(n: int) -> int:
        return loop(0) if n == DEEP else loop(n + 1)

    def work() -> object:
        with pytest.raises(LookupError, match="bottom"):
            bad(DEEP)
        with pytest.raises(dp.CycleError, match="loop"):
            loop(0)
        return down(3)

    assert in_child(work) == "3"


def test_a_multiprocessing_fork_child_during_a_deep_recursion(deep_in_flight: Any) -> None:
    down = deep_in_flight
    queue: Any = multiprocessing.get_context("fork").SimpleQueue()

    def target() -> None:
        queue.put((down(DEEP), down(7), down(DEEP + 100)))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        child = multiprocessing.get_context("fork").Process(target=target)
        child.start()
    child.join(CHILD_DEADLINE)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail("the multiprocessing child hung")
    assert child.exitcode == 0
    assert queue.get() == (DEEP, 7, DEEP + 100)


def test_a_child_forked_while_a_flight_has_waiters() -> None:
    started, release = threading.Event(), threading.Event()
    parent = os.getpid()
    runs: list[int] = []

    @dp.memoize
    def held(n: int) -> int:
        runs.append(n)
        if os.getpid() == parent and n == 7:
            started.set()
            assert release.wait(TIMEOUT)
        return n * 10

    results: list[int] = []
    owner = threading.Thread(target=lambda: results.append(held(7)))
    owner.start()
    assert started.wait(TIMEOUT)
    waiter = threading.Thread(target=lambda: results.append(held(7)))
    waiter.start()
    try:
        wait_for(lambda: _flight.waiting_count() == 1, "the waiter never blocked")

        def work() -> object:
            assert _flight.waiting_count() == 0
            return held(7), held(7), held(8), runs.count(7), held.cache_info()

        assert eval(in_child(work), {"CacheInfo": dp.CacheInfo}) == (
            70,
            70,
            80,
            2,  # once in the parent (unfinished at the fork), once in the child
            dp.CacheInfo(1, 2, None, 2),
        )
    finally:
        release.set()
        owner.join(TIMEOUT)
        waiter.join(TIMEOUT)
    assert results == [70, 70]
    assert runs == [7]
    assert held.cache_info() == dp.CacheInfo(1, 1, None, 1)


def test_a_child_forked_from_a_memoized_body_keeps_its_own_flights() -> None:
    # the forking thread's own calls in progress are still its own in the child:
    # the child may finish them, and calling one of them from inside is a cycle
    @dp.memoize
    def outer(n: int) -> object:
        if n == 0:
            return in_child(lambda: (inner(5), cyclic()))
        return outer(n - 1)

    @dp.memoize
    def inner(n: int) -> int:
        return n + 1

    def cyclic() -> str:
        try:
            outer(0)
        except dp.CycleError:
            return "cycle"
        return "no cycle"

    assert outer(3) == "(6, 'cycle')"
    assert outer.cache_info().misses == 4


def test_a_child_forked_on_a_helper_thread_ends_with_a_named_error_not_silently() -> None:
    # the calls above the fork ran on threads of the parent: the child cannot
    # return to them, and says so (status 1) instead of exiting 0 unnoticed
    parent = os.getpid()
    read, write = os.pipe()

    @dp.memoize
    def down(n: int) -> int:
        if n == 0:
            pid = fork()
            if pid == 0:
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(CHILD_DEADLINE)
                sys.stderr = os.fdopen(write, "w")  # pytest's capture is not ours
                threading.excepthook = threading.__excepthook__  # not pytest's
            return pid
        return down(n - 1)

    try:
        pid = down(DEEP)
    finally:
        if os.getpid() != parent:  # the child got back here: the test must fail
            os._exit(7)
    os.close(write)
    try:
        _, status = os.waitpid(pid, 0)
        said = os.read(read, 65536).decode()
    finally:
        os.close(read)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1, status
    assert "RuntimeError: a process forked inside a memoized call" in said
    assert down.cache_info() == dp.CacheInfo(0, DEEP + 1, None, DEEP + 1)


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
