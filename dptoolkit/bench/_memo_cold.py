"""The memo engine as a user meets it: freshly decorated functions, cold caches.

Part of ``python -m dptoolkit.bench memo``. Each round decorates new
functions (dp.memoize and its baseline alike), so nothing is warm; rounds
alternate the subjects, and each row gives the best round, with the spread
(min-max over rounds) in its note:

* a loop of distinct one-int calls (every call a miss), against
  ``functools.cache``;
* a cold recursion 200,000 deep, started from two stack depths (the
  caller's frames shift where the recursion's frames fall in memory), against
  ``functools.cache`` on a 1 GiB thread stack with the limit raised;
* a recursion 1,000,000 deep (dp.memoize only: the bar is in seconds);
* ``rec.solve(300, 300, strategy="top_down")`` for LCS, against the same body
  under ``functools.cache`` (raised limit).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from ..memo import memoize
from ._timing import Row
from ._workloads import lcs_under, make_lcs, on_big_stack, random_strings

SUITE = "memo"


def _spread(times: list[float]) -> str:
    lo, hi = min(times), max(times)
    return f"best of {len(times)}; spread {_fmt(lo)}-{_fmt(hi)}"


def _fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f} ms"
    return f"{seconds * 1e6:.0f} us"


def _identity(n: int) -> int:
    return n


def _miss_loop(decorate: Callable[[Any], Any], number: int) -> float:
    func = decorate(_identity)  # a fresh function: a user's first calls
    keys = range(number)
    start = time.perf_counter()
    for key in keys:
        func(key)
    return time.perf_counter() - start


def down_functools(depth: int) -> float:
    """Time of one cold ``functools.cache`` recursion *depth* deep (needs a raised limit)."""

    @functools.cache
    def down(n: int) -> int:
        return 0 if n == 0 else down(n - 1) + 1

    start = time.perf_counter()
    down(depth)
    return time.perf_counter() - start


def _down_memo(depth: int, frames: int) -> float:
    def down(n: int) -> int:
        return 0 if n == 0 else memo(n - 1) + 1

    memo = memoize(down)

    def below(k: int) -> float:  # start the recursion *frames* frames deeper
        if k:
            return below(k - 1)
        start = time.perf_counter()
        memo(depth)
        return time.perf_counter() - start

    return below(frames)


def _lcs_functools(a: str, b: str) -> float:
    lcs = lcs_under(functools.cache, a, b)
    start = time.perf_counter()
    lcs(len(a), len(b))  # the same body under functools.cache
    return time.perf_counter() - start


def _lcs_top_down(a: str, b: str) -> float:
    lcs = make_lcs(a, b)
    start = time.perf_counter()
    lcs.solve(len(a), len(b), strategy="top_down")
    return time.perf_counter() - start


def _rows(case: str, times: dict[str, list[float]], base: str, notes: dict[str, str]) -> list[Row]:
    best = min(times[base])
    return [
        Row(
            SUITE,
            case,
            name,
            min(spent),
            min(spent) / best,
            "; ".join(filter(None, [notes.get(name, ""), _spread(spent)])),
        )
        for name, spent in times.items()
    ]


def run(quick: bool = False) -> list[Row]:
    """Fresh-function rows: miss loop, cold deep recursion, 1,000,000 deep, LCS top_down."""
    rounds = 3 if quick else 5
    rows: list[Row] = []

    number = 20_000 if quick else 200_000
    misses: dict[str, list[float]] = {"functools.cache": [], "dp.memoize": []}
    for _ in range(rounds):
        misses["functools.cache"].append(_miss_loop(functools.cache, number))
        misses["dp.memoize"].append(_miss_loop(memoize, number))
    case = f"miss loop, {number:,} distinct int calls, fresh function"
    rows += _rows(case, misses, "functools.cache", {"functools.cache": "baseline"})

    depth = 20_000 if quick else 200_000
    shallow, deeper = 0, 517  # two alignments of the recursion on the stack
    deep: dict[str, list[float]] = {
        "functools.cache (1 GiB stack, raised limit)": [],
        f"dp.memoize, started {shallow} frames down": [],
        f"dp.memoize, started {deeper} frames down": [],
    }
    limit = depth * 2 + 1000
    for _ in range(rounds):
        deep["functools.cache (1 GiB stack, raised limit)"].append(
            on_big_stack(functools.partial(down_functools, depth), limit)
        )
        deep[f"dp.memoize, started {shallow} frames down"].append(_down_memo(depth, shallow))
        deep[f"dp.memoize, started {deeper} frames down"].append(_down_memo(depth, deeper))
    case = f"cold recursion {depth:,} deep, fresh function"
    base = "functools.cache (1 GiB stack, raised limit)"
    rows += _rows(case, deep, base, {base: "baseline"})

    million = 100_000 if quick else 1_000_000
    times = [_down_memo(million, 0) for _ in range(2 if quick else 3)]
    rows.append(
        Row(SUITE, f"recursion {million:,} deep", "dp.memoize", min(times), None, _spread(times))
    )

    m = 100 if quick else 300
    a, b = random_strings(m, 2)
    lcs: dict[str, list[float]] = {"functools.cache (same body)": [], "dp top_down": []}
    for _ in range(rounds):
        lcs["functools.cache (same body)"].append(
            on_big_stack(functools.partial(_lcs_functools, a, b), 20 * m + 1000)
        )
        lcs["dp top_down"].append(_lcs_top_down(a, b))
    case = f"LCS {m}x{m}, rec.solve(strategy='top_down'), fresh recurrence"
    rows += _rows(
        case, lcs, "functools.cache (same body)", {"functools.cache (same body)": "baseline"}
    )
    return rows
