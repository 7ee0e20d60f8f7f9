"""The memo engine side by side with functools, cachetools and async-lru.

``python -m dptoolkit.bench memo [--quick]``. Every ratio is this row's time
over its baseline's, both measured in this process, each the minimum over
several rounds (interleaved, so a burst of load from elsewhere hits both):

* hit and miss of one hashable int argument, against ``functools.cache``;
  ``lru_cache(128)`` against ``memoize(maxsize=128)``; cachetools and a
  textbook dict wrapper for scale. ``dp.memoize`` is measured twice: with
  the C hit path and with its pure-Python twin.
* a cold memoized recursion 200,000 calls deep, against ``functools.cache``
  run the way users must run it today: in a thread with a 1 GiB stack and a
  raised recursion limit (dp.memoize runs on the default stack and limit).
* a hit on a list argument (frozen into a key), against ``functools.cache``
  called on ``tuple(values)``;
* an async hit, against awaiting a plain coroutine; async-lru for scale;
* then the fresh-function rows of :mod:`._memo_cold` (a user's first calls:
  miss loop, cold deep recursion at two stack alignments, 1,000,000 deep,
  LCS ``top_down``), with the spread over rounds.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import time
from collections.abc import Callable
from typing import Any

from .. import _fastpath
from ..memo import memoize
from . import _memo_cold
from ._timing import Row
from ._workloads import on_big_stack

SUITE = "memo"


def _identity(n: int) -> int:
    return n


def _textbook(func: Callable[[int], int]) -> Any:
    cache: dict[int, int] = {}

    def wrapper(n: int) -> int:
        if n in cache:
            return cache[n]
        value = cache[n] = func(n)
        return value

    wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
    return wrapper


def _python_twin(decorate: Callable[[Any], Any], func: Any) -> Any:
    """Decorate *func* with the pure-Python hit path (whatever FastWrapper is)."""
    saved = _fastpath.FastWrapper
    _fastpath.FastWrapper = _fastpath.PyFastWrapper
    try:
        return decorate(func)
    finally:
        _fastpath.FastWrapper = saved


def _subjects() -> dict[str, Any]:
    subjects: dict[str, Any] = {
        "functools.cache": functools.cache(_identity),
        "dp.memoize (C)": memoize(_identity),
        "dp.memoize (Python twin)": _python_twin(memoize, _identity),
        "functools.lru_cache(128)": functools.lru_cache(128)(_identity),
        "dp.memoize(maxsize=128)": memoize(maxsize=128)(_identity),
        "textbook dict wrapper": _textbook(_identity),
    }
    if _fastpath.CFastWrapper is None:
        subjects["dp.memoize (C)"] = None
    try:
        import cachetools
    except ImportError:
        subjects["cachetools.cached({})"] = None
    else:
        subjects["cachetools.cached({})"] = cachetools.cached({})(_identity)
    return subjects


def _min_interleaved(funcs: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Call each timing function *rounds* times, interleaved; the minimum of each."""
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(rounds):
        for name, func in funcs.items():
            best[name] = min(best[name], func())
    return best


def _hit_timer(func: Any, number: int) -> Callable[[], float]:
    func(7)

    def measure() -> float:
        loop = range(number)
        start = time.perf_counter()
        for _ in loop:
            func(7)
        return (time.perf_counter() - start) / number

    return measure


def _empty_loop(number: int) -> Callable[[], float]:
    def measure() -> float:
        loop = range(number)
        start = time.perf_counter()
        for _ in loop:
            pass
        return (time.perf_counter() - start) / number

    return measure


def _miss_timer(func: Any, number: int) -> Callable[[], float]:
    def measure() -> float:
        func.cache_clear()
        keys = range(number)
        start = time.perf_counter()
        for key in keys:
            func(key)
        return (time.perf_counter() - start) / number

    return measure


def _call_rows(
    case: str, timers: dict[str, Callable[[], float]], rounds: int, note: str
) -> list[Row]:
    best = _min_interleaved(timers, rounds)
    loop = best.pop("(loop)", 0.0)
    base = best["functools.cache"] - loop
    rows = []
    for name, seconds in best.items():
        net = max(seconds - loop, 1e-12)
        rows.append(Row(SUITE, case, name, net, net / base, note))
    return rows


def _deep_functools(depth: int) -> float:
    """Time of a cold functools.cache recursion *depth* deep (1 GiB thread stack)."""
    return float(
        on_big_stack(functools.partial(_memo_cold.down_functools, depth), depth * 2 + 1000)
    )


def _deep_memo(depth: int, rounds: int, twin: bool) -> float:
    def down(n: int) -> int:
        return 0 if n == 0 else memo(n - 1) + 1

    memo = _python_twin(memoize, down) if twin else memoize(down)
    best = float("inf")
    for _ in range(rounds):
        memo.cache_clear()
        start = time.perf_counter()
        memo(depth)
        best = min(best, time.perf_counter() - start)
    return best


def _deep_rows(depth: int, rounds: int) -> list[Row]:
    limit = sys.getrecursionlimit()
    best = {"functools": float("inf"), "C": float("inf"), "twin": float("inf")}
    for _ in range(rounds):  # interleaved, one round of each at a time
        best["functools"] = min(best["functools"], _deep_functools(depth))
        if _fastpath.CFastWrapper is not None:
            best["C"] = min(best["C"], _deep_memo(depth, 1, twin=False))
        best["twin"] = min(best["twin"], _deep_memo(depth, 1, twin=True))
    assert sys.getrecursionlimit() == limit
    base = best["functools"]
    case = f"cold recursion {depth:,} deep"
    rows = [
        Row(SUITE, case, "functools.cache (1 GiB stack, raised limit)", base, 1.0, "baseline"),
    ]
    if _fastpath.CFastWrapper is not None:
        rows.append(
            Row(SUITE, case, "dp.memoize (C)", best["C"], best["C"] / base, "default stack")
        )
    rows.append(
        Row(
            SUITE,
            case,
            "dp.memoize (Python twin)",
            best["twin"],
            best["twin"] / base,
            "default stack",
        )
    )
    return rows


def _async_rows(number: int, rounds: int) -> list[Row]:
    async def plain(n: int) -> int:
        return n

    async def work(n: int) -> int:
        return n

    memo_c = memoize(work)
    memo_py = _python_twin(memoize, work)
    subjects: dict[str, Any] = {"await plain coroutine": plain}
    if _fastpath.CFastWrapper is not None:
        subjects["dp.memoize (C)"] = memo_c
    subjects["dp.memoize (Python twin)"] = memo_py
    try:
        from async_lru import alru_cache
    except ImportError:
        note_lru = "async-lru not installed"
    else:
        note_lru = ""
        subjects["async_lru.alru_cache(None)"] = alru_cache(maxsize=None)(work)

    async def measure(func: Any) -> float:
        await func(7)
        loop = range(number)
        start = time.perf_counter()
        for _ in loop:
            await func(7)
        return (time.perf_counter() - start) / number

    async def main() -> dict[str, float]:
        best = dict.fromkeys(subjects, float("inf"))
        for _ in range(rounds):
            for name, func in subjects.items():
                best[name] = min(best[name], await measure(func))
        return best

    best = asyncio.run(main())
    base = best["await plain coroutine"]
    case = "async hit, one int argument"
    rows = [
        Row(
            SUITE,
            case,
            name,
            seconds,
            seconds / base,
            "baseline" if name == "await plain coroutine" else "",
        )
        for name, seconds in best.items()
    ]
    if note_lru:
        rows.append(Row(SUITE, case, "async_lru.alru_cache", float("nan"), None, note_lru))
    return rows


def _frozen_rows(number: int, rounds: int) -> list[Row]:
    """A hit whose argument is a list of 10 ints (frozen into a key on each call)."""

    def total(values: list[int]) -> int:
        return sum(values)

    subjects: dict[str, Any] = {
        "functools.cache on tuple(values)": functools.cache(lambda values: total(list(values))),
        "dp.memoize (list argument, frozen)": memoize(total),
    }
    try:
        import cachetools
    except ImportError:
        pass
    else:
        subjects["cachetools.cached({}, key=tuple)"] = cachetools.cached(
            {}, key=lambda values: tuple(values)
        )(total)
    values = list(range(10))
    convert = {"functools.cache on tuple(values)": tuple}

    def timer(name: str, func: Any) -> Callable[[], float]:
        to_arg = convert.get(name, lambda v: v)
        func(to_arg(values))

        def measure() -> float:
            loop = range(number)
            start = time.perf_counter()
            for _ in loop:
                func(to_arg(values))
            return (time.perf_counter() - start) / number

        return measure

    best = _min_interleaved({name: timer(name, f) for name, f in subjects.items()}, rounds)
    base = best["functools.cache on tuple(values)"]
    case = "hit, one list of 10 ints"
    return [
        Row(SUITE, case, name, seconds, seconds / base, "includes the tuple() call")
        if name.startswith("functools")
        else Row(SUITE, case, name, seconds, seconds / base, "")
        for name, seconds in best.items()
    ]


def run(quick: bool = False) -> list[Row]:
    """Measure the memo engine; ratios are to functools (or a plain coroutine)."""
    number = 20_000 if quick else 200_000
    rounds = 5 if quick else 25
    rows: list[Row] = []
    subjects = _subjects()
    missing = [name for name, func in subjects.items() if func is None]
    present = {name: func for name, func in subjects.items() if func is not None}

    hit_timers = {name: _hit_timer(func, number) for name, func in present.items()}
    hit_timers["(loop)"] = _empty_loop(number)
    rows += _call_rows("hit, one int argument", hit_timers, rounds, "loop overhead subtracted")

    miss_number = number // 10
    miss_timers = {name: _miss_timer(func, miss_number) for name, func in present.items()}
    miss_timers["(loop)"] = _empty_loop(miss_number)
    rows += _call_rows("miss, one int argument", miss_timers, rounds, "loop overhead subtracted")
    for name in missing:
        rows.append(Row(SUITE, "hit/miss", name, float("nan"), None, "not installed / not built"))

    rows += _frozen_rows(number // 10, rounds)

    depth = 20_000 if quick else 200_000
    rows += _deep_rows(depth, 3 if quick else 5)
    rows += _async_rows(number // 4, rounds)
    rows += _memo_cold.run(quick)
    return rows
