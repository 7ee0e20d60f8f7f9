"""Deep memoized recursion: far past the recursion limit, which stays untouched.

Runs with the C hit path and with its pure-Python twin (the autouse ``impl``
fixture). ``sys.setrecursionlimit`` is replaced by a function that fails the
test, so no code path may call it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit.memo import _deep

LIMIT = sys.getrecursionlimit()


@pytest.fixture(autouse=True)
def impl(memo_impl: str, recursion_limit_untouched: None) -> str:
    """Both implementations (``memo_impl``), and no recursion limit changed (see conftest)."""
    return memo_impl


@pytest.fixture(autouse=True)
def clean_thread_state() -> Any:
    """After each test, this thread holds no memo state (everything was restored)."""
    yield
    st = _deep.state()
    assert st.chain == []
    assert st.base == 0
    assert st.kept is None
    assert not st.stop
    assert st.budget == _deep.PROBE
    assert _deep.helpers_running() == 0
    assert sys.getrecursionlimit() == LIMIT


def test_a_million_levels_deep() -> None:
    @dp.memoize
    def down(n: int) -> int:
        return 0 if n == 0 else down(n - 1) + 1

    assert down(1_000_000) == 1_000_000
    info = down.cache_info()
    assert info.misses == 1_000_001  # every distinct call computed once
    assert info.currsize == 1_000_001
    # every level runs once, on this thread or a helper: nothing is re-read
    assert info.hits == 0
    assert down(999_999) == 999_999


def test_deep_fibonacci_values_are_right() -> None:
    @dp.memoize
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    a, b = 0, 1
    for _ in range(5000):
        a, b = b, a + b
    assert fib(5000) == a
    assert fib.cache_info().misses == 5001


def test_deep_recursion_in_another_thread() -> None:
    @dp.memoize
    def down(n: int) -> int:
        return 0 if n == 0 else down(n - 1) + 1

    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(down(100_000)))
    thread.start()
    thread.join()
    assert results == [100_000]


def test_deep_mutual_recursion() -> None:
    @dp.memoize
    def even(n: int) -> bool:
        return True if n == 0 else odd(n - 1)

    @dp.memoize
    def odd(n: int) -> bool:
        return False if n == 0 else even(n - 1)

    assert even(100_001) is False
    assert even.cache_info().misses + odd.cache_info().misses == 100_002
    assert odd(100_001) is True


def test_helper_frames_between_levels() -> None:
    def helper(n: int, hops: int) -> int:
        return helper(n, hops - 1) if hops else level(n - 1)

    @dp.memoize
    def level(n: int) -> int:
        return 0 if n == 0 else helper(n, 12) + 1

    assert level(30_000) == 30_000
    assert level.cache_info().misses == 30_001


def test_uneven_levels_that_outgrow_the_measured_budget() -> None:
    # shallow levels are cheap, deep ones add many frames: the budget measured
    # near the top is too generous below, and RecursionErrors must be absorbed
    def helper(n: int, hops: int) -> int:
        return helper(n, hops - 1) if hops else uneven(n - 1)

    @dp.memoize
    def uneven(n: int) -> int:
        if n == 0:
            return 0
        return (helper(n, 40) if n < 5_000 else uneven(n - 1)) + 1

    assert uneven(20_000) == 20_000


def test_a_genuine_recursion_error_propagates() -> None:
    def runaway(n: int) -> int:
        return runaway(n + 1)

    @dp.memoize
    def level(n: int) -> int:
        return runaway(0) if n == 0 else level(n - 1)

    with pytest.raises(RecursionError):
        level(3_000)
    assert level.cache_info().currsize == 0


def test_errors_deep_down_reach_the_right_handler() -> None:
    @dp.memoize
    def level(n: int) -> int:
        if n == 0:
            raise ValueError("bottom")
        if n == 12_000:
            try:
                return level(n - 1)
            except ValueError:
                return -1
        return level(n - 1) + 1

    assert level(20_000) == 7_999  # caught at 12,000, which returned -1
    assert level.cache_info().currsize == 8_001
    with pytest.raises(ValueError, match="bottom"):
        level(11_000)


def test_user_code_swallowing_base_exception_still_gets_the_right_answer() -> None:
    @dp.memoize
    def level(n: int) -> int:
        if n == 0:
            return 0
        try:
            return level(n - 1) + 1
        except BaseException:  # the point of the test
            return -(10**9)

    assert level(20_000) == 20_000


def test_a_bounded_cache_recurses_deep_too() -> None:
    @dp.memoize(maxsize=2)
    def down(n: int) -> int:
        return 0 if n == 0 else down(n - 1) + 1

    assert down(20_000) == 20_000
    assert down.cache_info().currsize == 2


def test_a_condition_false_everywhere_recurses_deep_too() -> None:
    @dp.memoize(condition=lambda n: False)
    def down(n: int) -> int:
        return 0 if n == 0 else down(n - 1) + 1

    assert down(20_000) == 20_000
    assert down.cache_info().currsize == 0


def test_deep_methods_and_keyword_calls() -> None:
    class Walker:
        @dp.memoize
        def down(self, n: int, *, step: int = 1) -> int:
            return 0 if n <= 0 else self.down(n - step, step=step) + 1

    assert Walker().down(20_000, step=1) == 20_000


def test_short_cycle_names_the_function_and_arguments() -> None:
    @dp.memoize
    def ring(n: int) -> int:
        return ring((n + 1) % 3)

    with pytest.raises(dp.CycleError, match=r"ring\(0\) needs its own result") as info:
        ring(0)
    assert "ring(1) -> ring(2) -> ring(0)" in str(info.value)
    assert info.value.cycle == [(0,), (1,), (2,), (0,)]
    assert isinstance(info.value, ValueError)


def test_a_call_on_itself_is_a_cycle() -> None:
    @dp.memoize
    def selfish(x: Any) -> Any:
        return selfish(x)

    with pytest.raises(dp.CycleError, match=r"selfish\(\[1, 2\]\)"):
        selfish([1, 2])


def test_long_cycle_past_the_budget_is_reported_not_unwound_forever() -> None:
    @dp.memoize
    def ring(n: int) -> int:
        return ring((n + 1) % 20_000) + 1

    with pytest.raises(dp.CycleError, match="ring"):
        ring(0)
    assert ring.cache_info().currsize == 0


def test_cycle_across_two_functions() -> None:
    @dp.memoize
    def ping(n: int) -> int:
        return pong(n)

    @dp.memoize
    def pong(n: int) -> int:
        return ping(n)

    with pytest.raises(dp.CycleError, match=r"ping\(4\) -> pong\(4\) -> ping\(4\)"):
        ping(4)


def test_an_error_deep_down_has_a_short_traceback_and_no_private_context() -> None:
    handled: list[object] = []

    @dp.memoize
    def level(n: int) -> int:
        if n == 0:
            raise ValueError("bottom")
        if n % 5_000 == 0:  # what a body sees as "the exception being handled"
            handled.append(sys.exc_info()[1])
        return level(n - 1) + 1

    with pytest.raises(ValueError, match="bottom") as caught:
        level(20_000)
    error = caught.value
    assert error.__context__ is None and error.__cause__ is None
    assert len(handled) >= 4 and all(e is None for e in handled)  # bodies may re-run
    frames = traceback.extract_tb(error.__traceback__)
    # the caller's end and the raising end, not two frames for each of 20,000 levels
    assert len(frames) < 500
    assert frames[-1].name == "level" and "raise ValueError" in str(frames[-1].line)


def test_deep_levels_see_the_callers_context_variables_and_run_once() -> None:
    import contextvars

    scale: contextvars.ContextVar[int] = contextvars.ContextVar("scale", default=1)
    runs: dict[int, int] = {}

    @dp.memoize
    def down(n: int) -> int:
        runs[n] = runs.get(n, 0) + 1
        return 0 if n == 0 else down(n - 1) + scale.get()

    token = scale.set(3)
    try:
        assert down(20_000) == 60_000  # the bottom levels ran on helper threads
    finally:
        scale.reset(token)
    assert set(runs.values()) == {1}  # every body ran exactly once
    assert down.cache_info() == dp.CacheInfo(0, 20_001, None, 20_001)


def test_a_thread_waiting_for_a_deep_call_gets_its_value() -> None:
    started = threading.Event()
    release = threading.Event()

    @dp.memoize
    def down(n: int) -> int:
        if n == 0:
            started.set()
            assert release.wait(10)
            return 0
        return down(n - 1) + 1

    results: list[int] = []
    owner = threading.Thread(target=lambda: results.append(down(5_000)))
    owner.start()
    assert started.wait(10)  # down(0) runs, on a helper of the owner's thread
    waiter = threading.Thread(target=lambda: results.append(down(0)))
    waiter.start()
    release.set()
    owner.join(10)
    waiter.join(10)
    assert sorted(results) == [0, 5_000]
    assert down.cache_info().misses == 5_001  # down(0) computed once, joined once


@pytest.mark.skipif(
    not hasattr(os, "kill") or threading.current_thread() is not threading.main_thread(),
    reason="needs SIGINT delivered to the main thread",
)
def test_ctrl_c_during_a_deep_recursion_stops_it_and_leaves_no_state() -> None:
    import signal

    reached = threading.Event()
    go = threading.Event()

    @dp.memoize
    def down(n: int) -> int:
        if n == 0:  # on a helper thread, far below the main thread's budget
            reached.set()
            go.wait(10)
            return 0
        return down(n - 1) + 1

    def interrupt() -> None:
        assert reached.wait(30)
        # aimed at the main thread, so its wait is interrupted there (a process-wide
        # kill may land on a helper thread and reach the main thread only later)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        time.sleep(1.0)  # room for the main thread to take it, even on a loaded machine
        go.set()

    timer = threading.Thread(target=interrupt)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            down(5_000)
    finally:
        go.set()
        timer.join()
    assert _deep.helpers_running() == 0
    assert down(5_000) == 5_000  # and the function works on
