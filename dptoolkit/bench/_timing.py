"""Timing helpers shared by the benchmark suites."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Row", "fmt_time", "format_rows", "measured", "per_call", "time_once", "timed"]


@dataclass(frozen=True)
class Row:
    """One benchmark line: what was measured, its time, and its ratio to a baseline."""

    suite: str
    case: str
    subject: str
    seconds: float
    ratio: float | None = None  # seconds / baseline seconds (lower is better)
    note: str = ""


def time_once(func: Callable[[], Any]) -> float:
    """Seconds taken by one call of *func*, with the garbage collector paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        func()
        return time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()


def timed(
    func: Callable[[], Any],
    *,
    rounds: int = 5,
    setup: Callable[[], Any] | None = None,
    reduce: Callable[[Sequence[float]], float] = min,
) -> float:
    """Run *func* ``rounds`` times (after *setup* each time) and reduce the timings.

    The default reduction is the minimum, the least noisy estimate of the
    cost of the code itself on a shared machine; pass ``statistics.median``
    for a typical figure.
    """
    samples = []
    for _ in range(rounds):
        if setup is not None:
            setup()
        samples.append(time_once(func))
    return reduce(samples)


def per_call(func: Callable[[], Any], *, number: int, rounds: int = 7) -> float:
    """Seconds per call of *func*, timed in loops of *number* calls (minimum over rounds)."""

    def loop() -> None:
        for _ in range(number):
            func()

    return timed(loop, rounds=rounds) / number


def median(values: Sequence[float]) -> float:
    """The median of *values*."""
    return statistics.median(values)


def measured(seconds: float) -> bool:
    """Was this figure timed? Suites mark a missing tool with NaN (or 0) seconds."""
    return math.isfinite(seconds) and seconds > 0


def fmt_time(seconds: float) -> str:
    """Seconds as a person reads them (``2.0 ms``); ``n/a`` for a figure not measured."""
    if not measured(seconds):
        return "n/a"
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def format_rows(rows: Sequence[Row]) -> str:
    """Render benchmark rows as a Markdown table (also readable as plain text).

    A row that was not measured (its tool is missing) reads ``n/a`` with no
    ratio, whatever the suite put in its seconds.
    """
    lines = ["| suite | case | subject | time | ratio | note |", "|---|---|---|---|---|---|"]
    for row in rows:
        ok = measured(row.seconds)
        ratio = "" if row.ratio is None or not ok else f"{row.ratio:.2f}x"
        note = row.note or ("" if ok else "not measured")
        lines.append(
            f"| {row.suite} | {row.case} | {row.subject} | {fmt_time(row.seconds)} "
            f"| {ratio} | {note} |"
        )
    return "\n".join(lines)
