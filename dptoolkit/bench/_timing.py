"""Timing helpers shared by the benchmark suites."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Row", "format_rows", "per_call", "time_once", "timed"]


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


def format_rows(rows: Sequence[Row]) -> str:
    """Render benchmark rows as a Markdown table (also readable as plain text)."""

    def fmt_time(seconds: float) -> str:
        if seconds < 1e-6:
            return f"{seconds * 1e9:.0f} ns"
        if seconds < 1e-3:
            return f"{seconds * 1e6:.2f} us"
        if seconds < 1:
            return f"{seconds * 1e3:.1f} ms"
        return f"{seconds:.2f} s"

    lines = ["| suite | case | subject | time | ratio | note |", "|---|---|---|---|---|---|"]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
        lines.append(
            f"| {row.suite} | {row.case} | {row.subject} | {fmt_time(row.seconds)} "
            f"| {ratio} | {row.note} |"
        )
    return "\n".join(lines)
