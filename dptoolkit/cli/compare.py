"""``dptoolkit compare NAME ARGS...``: every strategy side by side (time, calls, memory, value)."""

from __future__ import annotations

import argparse
import math
import numbers
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from ..errors import DPError
from ._common import (
    UsageError,
    _draw_table,
    _prepare,
    _problem,
    _solve,
    _table_option,
    problem_args,
)
from ._format import _dumps, _fmt_bytes, _fmt_seconds, _one_line, _plain, _short, _table, _text
from ._progress import _Progress, _progress_enabled

if TYPE_CHECKING:
    from ..recurrence import Solution


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "compare",
        help="every strategy side by side: time, calls, hits, memory, value",
        description="Run every strategy of a problem on one instance and show them side "
        "by side: time, calls, hits, peak memory (tracemalloc) and the value. Exit "
        "status 1 when the values disagree.",
    )
    problem_args(p)
    p.add_argument(
        "--strategy",
        action="append",
        dest="strategies",
        metavar="S",
        help="compare only these strategies (repeatable; default: all)",
    )
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _table_option(p)
    p.set_defaults(run=run)


@dataclass
class _Run:
    strategy: str
    value: Any = None
    seconds: float = 0.0
    calls: int | None = None
    hits: int | None = None
    peak: int = 0
    error: str = ""
    refusal: DPError | None = None
    agrees: bool = True


def _best_time(func: Callable[[], object], *, budget: float = 0.2, most: int = 50) -> float:
    """The fastest of repeated runs of *func*: at least one, more while under *budget* seconds."""
    best = math.inf
    spent = 0.0
    for _ in range(most):
        start = time.perf_counter()
        func()
        took = time.perf_counter() - start
        best = min(best, took)
        spent += took
        if spent >= budget:
            break
    return best


@contextmanager
def _traced_memory() -> Iterator[Callable[[], int]]:
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        yield lambda: max(tracemalloc.get_traced_memory()[1] - base, 0)
    finally:
        if started:
            tracemalloc.stop()


def _same(a: Any, b: Any) -> bool:
    """Do two strategies' values agree? Floats to a relative 1e-9."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real):
        if a == b:
            return True
        fa, fb = float(a), float(b)
        return math.isclose(fa, fb, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    call_args, kwargs = _prepare(problem, args.args, args.kw)
    strategies = list(args.strategies or problem.strategies)
    for strategy in strategies:
        if strategy not in problem.strategies:
            raise UsageError(
                f"{problem.name}: strategy={strategy!r} must be one of "
                + ", ".join(repr(s) for s in problem.strategies)
            )
    if args.table:
        _draw_table(problem, call_args, kwargs, args.table)
    runs: list[_Run] = []
    enabled = _progress_enabled(err, args.no_progress)
    with _Progress(2 * len(strategies), stream=err, enabled=enabled, title=problem.name) as bar:
        for strategy in strategies:
            run = _Run(strategy)
            runs.append(run)
            # timed first (best of repeated runs, so one-off costs such as lazy
            # imports drop out), then one run under tracemalloc for the peak
            bar.step(f"{strategy} (time)")
            solutions: list[Solution] = []

            def once(strategy: str = strategy, keep: list[Solution] = solutions) -> None:
                keep[:] = [_solve(problem, call_args, kwargs, strategy)]

            try:
                run.seconds = _best_time(once)
            except DPError as exc:  # e.g. naive refused past its call budget
                run.error = f"{type(exc).__name__}: {_one_line(exc)}"
                run.refusal = exc
                bar.advance()
                bar.advance()
                continue
            bar.advance()
            sol = solutions[0]
            run.value = sol.value
            if sol.stats is not None:
                run.calls, run.hits = sol.stats.calls, sol.stats.hits
            bar.step(f"{strategy} (memory)")
            with _traced_memory() as peak:
                _solve(problem, call_args, kwargs, strategy)
                run.peak = peak()
            bar.advance()
    done = [r for r in runs if not r.error]
    if not done:
        raise _refused(runs)
    reference = done[0].value if done else None
    for run in done:
        run.agrees = _same(run.value, reference)
    agree = all(r.agrees for r in done)
    if args.json:
        record = {
            "problem": problem.name,
            "agree": agree,
            "runs": [
                {
                    "strategy": r.strategy,
                    "value": r.value,
                    "seconds": r.seconds,
                    "calls": r.calls,
                    "hits": r.hits,
                    "peak_bytes": r.peak,
                    "agrees": r.agrees,
                    **({"error": r.error} if r.error else {}),
                }
                for r in runs
            ],
        }
        out.write(_dumps(record) + "\n")
        return 0 if agree else 1
    rows = []
    for r in runs:
        if r.error:
            rows.append([r.strategy, "-", "-", "-", "-", "-", "skipped", r.error])
            continue
        rows.append(
            [
                r.strategy,
                _fmt_seconds(r.seconds),
                "-" if r.calls is None else str(r.calls),
                "-" if r.hits is None else str(r.hits),
                _fmt_bytes(r.peak),
                _short(_text(r.value), 40),
                "ok" if r.agrees else "DIFFERS",
                "",
            ]
        )
    header = ["strategy", "time", "calls", "hits", "peak memory", "value", "agrees", "note"]
    if not any(r.error for r in runs):
        header, rows = header[:-1], [row[:-1] for row in rows]
    lines = [_table(header, rows, right=[False, True, True, True, True]), ""]
    if agree:
        lines.append(f"all {len(done)} strategies agree: value {_short(_text(reference), 60)}")
    else:
        lines.append(
            "STRATEGIES DISAGREE: "
            + ", ".join(r.strategy for r in done if not r.agrees)
            + f" differ from {done[0].strategy}"
        )
    if args.table:
        lines.append(f"table drawn to {args.table}")
    out.write("\n".join(lines) + "\n")
    return 0 if agree else 1


def _refused(runs: list[_Run]) -> DPError:
    """The error to report when every strategy refused the input: it is bad input.

    A refusal of the input itself (an ``InvalidInput`` such as ``n=-3 must be
    a non-negative integer``) is preferred to a strategy's own budget refusal
    (naive's ``BudgetExceeded``), which says less about the input.
    """
    from ..errors import BudgetExceeded

    refusals = [r.refusal for r in runs if r.refusal is not None]
    for exc in refusals:
        if not isinstance(exc, BudgetExceeded):
            return exc
    return refusals[0]
