"""Fuzzing the engines: ``dp.memoize`` and ``dp.recurrence`` options, arguments and misuse.

The property, as for the catalog (tests/test_fuzz_catalog.py): a call returns
what the undecorated function returns (or raises what it raises), or it is
refused with a :class:`dptoolkit.DPError` that is also a ``ValueError`` /
``TypeError`` (a ``BudgetExceeded`` for a run refused as too big) whose message
names the option or argument -- within a second of CPU time, never a hang.
"""

from __future__ import annotations

import _thread
import contextlib
import functools
import math
import re
import signal
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


class Overtime(BaseException):
    """A call ran past its CPU budget."""


@contextlib.contextmanager
def watchdog(cpu: float = 1.0, wall: float = 20.0) -> Iterator[None]:
    """As in test_fuzz_catalog: CPU time by ``ITIMER_PROF``, wall time by a timer thread."""

    def expire(signum: int, frame: object) -> None:
        raise Overtime(f"no answer within {cpu} s of CPU time")

    old_prof = signal.signal(signal.SIGPROF, expire)
    old_usr1 = signal.signal(signal.SIGUSR1, expire)
    timer = threading.Timer(wall, _thread.interrupt_main, args=(signal.SIGUSR1,))
    timer.daemon = True
    signal.setitimer(signal.ITIMER_PROF, cpu)
    timer.start()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        timer.cancel()
        signal.signal(signal.SIGPROF, old_prof)
        signal.signal(signal.SIGUSR1, old_usr1)


def outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    """``("ok", value)`` or ``("raised", exception)``; an Overtime fails the test."""
    try:
        with watchdog():
            return "ok", fn()
    except Overtime as e:
        pytest.fail(str(e))
    except Exception as e:
        return "raised", e


NAMED = re.compile(r"\b([A-Za-z_]\w*)(?:\[[^\]=]*\]|\(\S*\)|\.\w+)*=")


def assert_refusal(error: BaseException, names: set[str]) -> None:
    ok = isinstance(error, dp.DPError) and isinstance(
        error, (ValueError, TypeError, dp.BudgetExceeded)
    )
    assert ok, f"raised {type(error).__name__}: {error}"
    message = str(error)
    found = set(NAMED.findall(message)) | set(re.findall(r"^(\w+)", message))
    assert found & names, f"the message names none of {sorted(names)}: {message!r}"


POOL: list[Any] = [
    None, True, False, 0, 1, 3, -1, 10**30, 0.0, -0.0, 0.5, math.nan, math.inf, -math.inf,
    Decimal("2"), Decimal("NaN"), Fraction(1, 2), 1j, "", "abc", b"\xff", [], [1, [2]],
    (1, [2]), {}, {"a": [1]}, {1, 2}, frozenset(), object(), len, print,
    np.int8(3), np.float16(0.5), np.uint64(2**64 - 1), np.float64("nan"), np.bool_(True),
    np.array(3), np.array([[1, 2]]), np.array([1, None], dtype=object),
    (x for x in range(2)), range(3), slice(2), Ellipsis, type, int,
]  # fmt: skip

ANY = st.sampled_from(POOL)

# --------------------------------------------------------------- dp.memoize

OPTIONS = {
    "maxsize": st.one_of(ANY, st.integers(-2, 4), st.none()),
    "ttl": st.one_of(ANY, st.floats(allow_nan=True), st.none()),
    "timer": st.one_of(
        ANY,
        st.sampled_from([lambda: 0.0, lambda: "x", lambda: math.nan, lambda: None, lambda: 1]),
    ),
    "typed": st.one_of(ANY, st.booleans()),
    "key": st.one_of(ANY, st.sampled_from([lambda *a: a, lambda *a: [a], lambda *a: 1 / 0])),
    "cache_errors": st.one_of(ANY, st.booleans()),
    "condition": st.one_of(ANY, st.sampled_from([lambda *a: True, lambda *a: "no"])),
    "store": st.one_of(ANY, st.sampled_from(["", "memory://", "ftp://x", "sqlite://", "redis"])),
}


def double(x: Any) -> Any:
    return x * 2


@FUZZ
@given(opts=st.fixed_dictionaries({}, optional=OPTIONS), args=st.lists(ANY, max_size=2))
def test_memoize_options_and_arguments(opts: dict[str, Any], args: list[Any]) -> None:
    """Any options: refused by name at decoration, or a cache that answers like the function."""
    status, made = outcome(lambda: dp.memoize(**opts))
    if status == "raised":
        assert_refusal(made, set(opts))
        return
    status, f = outcome(lambda: made(double))
    if status == "raised":
        assert_refusal(f, set(opts))
        return
    for _ in range(2):  # a miss, then (maybe) a hit
        expected = outcome(lambda: double(*args))
        got = outcome(lambda: f(*args))
        if got[0] == "raised" and isinstance(got[1], dp.DPError):
            assert_refusal(got[1], {*opts, "args", "key", "timer", "x", "condition"})
            continue
        if expected[0] == "raised":
            assert got[0] == "raised" and type(got[1]) is type(expected[1]), (got, expected)
            continue
        assert got[0] == "ok", got
        same = got[1] == expected[1] or (got[1] != got[1] and expected[1] != expected[1])
        if isinstance(got[1], np.ndarray):
            same = np.array_equal(got[1], expected[1], equal_nan=True)
        if opts.get("key") is None and opts.get("timer") is None:
            assert same, (got, expected)


MISUSE: dict[str, Callable[[], Any]] = {}


def misuse(fn: Callable[[], Any]) -> Callable[[], Any]:
    MISUSE[fn.__name__] = fn
    return fn


@misuse
def memoize_generator_function() -> Any:
    @dp.memoize
    def evens(n: int) -> Iterator[int]:
        yield from range(0, n, 2)

    return [list(evens(6)), list(evens(6))]  # the second must not be a used-up iterator


@misuse
def memoize_async_generator_function() -> Any:
    @dp.memoize
    async def ticks(n: int) -> Any:
        yield n

    return ticks(1)


@misuse
def recurrence_generator_body() -> Any:
    @dp.recurrence
    def walk(n: int) -> Iterator[int]:
        yield n

    return [list(walk(2)), list(walk(2))]


@misuse
def recurrence_async_body() -> Any:
    @dp.recurrence
    async def walk(n: int) -> int:
        return n

    coro = walk(2)
    coro.close()
    return coro


@misuse
def recurrence_keyword_only() -> Any:
    return dp.recurrence(lambda n, *, k=1: n)


@misuse
def recurrence_var_keyword() -> Any:
    return dp.recurrence(lambda n, **kw: n)


@misuse
def recurrence_not_callable() -> Any:
    return dp.recurrence(3)  # type: ignore[call-overload]


@misuse
def recurrence_states_one_shot() -> Any:
    return dp.recurrence(states=iter(range(3)))(lambda n: n)


@misuse
def recurrence_states_wrong_order() -> Any:
    @dp.recurrence(states=lambda n: range(n, -1, -1))
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return fib.solve(6, strategy="bottom_up").value


@misuse
def recurrence_states_without_goal() -> Any:
    @dp.recurrence(states=lambda n: range(n))
    def tri(n: int) -> int:
        return 0 if n == 0 else n + tri(n - 1)

    return tri.solve(5, strategy="bottom_up").value


@misuse
def recurrence_states_returns_none() -> Any:
    return dp.recurrence(states=lambda n: None)(lambda n: n).solve(3, strategy="bottom_up")


@misuse
def recurrence_method() -> Any:
    class Box:
        @dp.recurrence
        def size(self, n: int) -> int:
            return n

    return Box().size(3)


@misuse
def recurrence_cycle() -> Any:
    @dp.recurrence
    def loop(n: int) -> int:
        return loop(n)

    return loop.solve(1, strategy="top_down")


@misuse
def recurrence_unbounded_naive() -> Any:
    @dp.recurrence
    def down(n: int) -> int:
        return 0 if n == 0 else down(n - 1)

    return down.solve(10**6, strategy="naive", max_calls=1000)


@misuse
def memoize_timer_returns_text() -> Any:
    f = dp.memoize(ttl=5, timer=lambda: "noon")(double)
    return f(1), f(1)


@misuse
def memoize_timer_returns_nan() -> Any:
    f = dp.memoize(ttl=5, timer=lambda: math.nan)(double)
    return f(1), f(1)


@misuse
def memoize_bad_store_url() -> Any:
    return dp.memoize(store="sqlite://")(double)


@misuse
def strategy_typo() -> Any:
    return dp.recurrence(states=lambda n: range(n + 1))(lambda n: n).solve(2, strategy="bottomup")


def test_memoize_on_methods_answers_like_the_method() -> None:
    """Methods (an unhashable instance, __slots__ without __weakref__), classmethods,
    staticmethods: each answers as the undecorated method would, per instance."""

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __init__(self, k: int) -> None:
            self.k = k

        @dp.memoize
        def times(self, x: int) -> int:
            return x * self.k

        @dp.memoize
        @classmethod
        def plus(cls, x: int) -> int:
            return x + 1

        @dp.memoize
        @staticmethod
        def minus(x: int) -> int:
            return x - 1

    class Slotted:
        __slots__ = ("v",)

        def __init__(self, v: int) -> None:
            self.v = v

        @dp.memoize
        def add(self, x: int) -> int:
            return x + self.v

    a, b = Unhashable(2), Unhashable(3)
    assert [a.times(5), b.times(5), a.times(5)] == [10, 15, 10]
    assert [Unhashable.plus(1), a.plus(1), Unhashable.minus(1), b.minus(1)] == [2, 2, 0, 0]
    with pytest.warns(RuntimeWarning, match="cannot be weakly referenced"):
        assert [Slotted(1).add(1), Slotted(5).add(1)] == [2, 6]


@pytest.mark.parametrize("name", sorted(MISUSE))
def test_misuse_is_refused_by_name(name: str) -> None:
    """Each misuse either works as plain Python would, or is refused with a named error."""
    status, value = outcome(MISUSE[name])
    if status == "raised":
        names = {
            "func", "body", "states", "strategy", "timer", "store", "max_calls", "n",
            "fib", "tri", "loop", "down", "size", "walk", "evens", "ticks", "goal", "state",
        }  # fmt: skip
        assert_refusal(value, names)
    elif name == "memoize_generator_function":
        assert value == [[0, 2, 4], [0, 2, 4]]
    elif name == "recurrence_generator_body":
        assert value == [[2], [2]]
    else:
        pytest.fail(f"{name} returned {value!r} instead of a clear refusal")


# --------------------------------------------------------------- dp.recurrence


STATES = st.one_of(
    ANY,
    st.sampled_from(
        [
            lambda n: range(n + 1),
            lambda n: range(n, -1, -1),
            lambda n: [n],
            lambda n: list(range(n + 1)) * 2,
            lambda n: (k for k in range(n + 1)),
            lambda n: None,
            lambda n: n,
            lambda: range(3),
            range(10),
            [0, 1, 2],
        ]
    ),
)


@FUZZ
@given(
    states=STATES,
    n=st.one_of(st.integers(-2, 12), ANY),
    strategy=st.sampled_from(["naive", "top_down", "bottom_up", "auto", "fast", "bottomup"]),
)
def test_recurrence_states_and_goals(states: Any, n: Any, strategy: str) -> None:
    """``tri(n) = n + tri(n - 1)`` with any states, goal and strategy: right, or refused by name."""

    def body(k: int) -> int:
        return 0 if k <= 0 else k + tri(k - 1)

    status, tri = outcome(lambda: dp.recurrence(states=states)(body))
    if status == "raised":
        assert_refusal(tri, {"states"})
        return

    def plain(k: Any) -> Any:  # the same body, as plain Python
        return 0 if k <= 0 else k + plain(k - 1)

    expected = outcome(lambda: plain(n))
    if isinstance(expected[1], RecursionError) and states is None:
        return  # an unbounded goal with no declared space: the user's recursion to bound
    status, sol = outcome(lambda: tri.solve(n, strategy=strategy))
    if status == "ok":
        assert expected[0] == "ok" and sol.value == expected[1], (n, sol.value, expected)
        return
    error = sol
    if expected[0] == "raised" and type(error) is type(expected[1]):
        return  # the body's own error, passed through
    if isinstance(error, (dp.OrderError, dp.CycleError)):
        return  # a misordered or cyclic declared space, named in the message by state
    if not isinstance(error, dp.DPError) and callable(states):
        # the user's own states function failed (e.g. len(None)): its error passes through
        with contextlib.suppress(Exception):
            list(states(n))
            pytest.fail(f"states({n!r}) works, yet solve raised {error!r}")
        return
    names = {"states", "strategy", "n", "k", "goal", "state", "body", "max_calls", "tri", "dims"}
    assert_refusal(error, names)


def test_recurrence_methods_and_partials() -> None:
    """Bodies that are not plain functions: a partial works; a bound method works."""
    add = dp.recurrence(functools.partial(lambda base, n: base + n, 10))
    assert add(5) == 15

    class Grid:
        def __init__(self) -> None:
            self.paths = dp.recurrence(self._paths)

        def _paths(self, r: int, c: int) -> int:
            return 1 if r == 0 or c == 0 else self.paths(r - 1, c) + self.paths(r, c - 1)

    assert Grid().paths(3, 3) == math.comb(6, 3)
