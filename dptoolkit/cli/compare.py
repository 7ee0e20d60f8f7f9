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
    _named,
    _number_hint,
    _prepare,
    _problem,
    _solve,
    _table_option,
    _witness,
    problem_args,
    subcommand,
)
from ._format import (
    _dumps,
    _fmt_bytes,
    _fmt_seconds,
    _is_terminal,
    _one_line,
    _plain,
    _rich_table,
    _short,
    _table,
    _text,
)
from ._progress import make_progress, progress_enabled
from ._witness import check

if TYPE_CHECKING:
    from ..recurrence import Solution


def add_parser(sub: Any) -> None:
    p = subcommand(
        sub,
        "compare",
        "every strategy side by side: time, calls, hits, memory, value",
        "Run every strategy of a problem on one instance and show them side "
        "by side: time, calls, hits, peak memory (tracemalloc) and the value. Exit "
        "status 1 when the values disagree.",
        run,
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
    witness: dict[str, Any] | None = None
    valid: bool | None = None  # the witness checked against the problem's definition
    same_witness: bool = True
    agrees: bool = True


def _best_time(func: Callable[[], object], *, budget: float = 0.2, most: int = 50) -> float:
    """The fastest of repeated runs of *func*: at least two, more while under *budget* seconds.

    The first run may pay one-off costs (a lazy import, code generated on
    first use): a second run is always made unless the first took over a
    second, so those costs drop out of the figure.
    """
    best = math.inf
    spent = 0.0
    for done in range(1, most + 1):
        start = time.perf_counter()
        func()
        took = time.perf_counter() - start
        best = min(best, took)
        spent += took
        if spent >= budget and (done >= 2 or took > 1.0):
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
    enabled = progress_enabled(err, args.no_progress)
    with make_progress(2 * len(strategies), stream=err, enabled=enabled, title=problem.name) as bar:
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
            try:
                run.witness = _witness(problem, sol) or None
            except DPError:  # a strategy that cannot say its witness
                run.witness = None
            if sol.stats:  # a fast run measures none
                run.calls, run.hits = sol.stats.calls, sol.stats.hits
            bar.step(f"{strategy} (memory)")
            with _traced_memory() as peak:
                _solve(problem, call_args, kwargs, strategy)
                run.peak = peak()
            bar.advance()
    done = [r for r in runs if not r.error]
    if not done:
        raise _number_hint(_refused(runs), args.args, problem.name)
    reference = done[0].value
    named = _named(problem, call_args, kwargs)
    for run in done:
        run.agrees = _same(run.value, reference)
        if run.witness is not None:
            run.valid = check(problem.name, run.value, run.witness, named)
            run.same_witness = _same(run.witness, done[0].witness)
    agree = all(r.agrees and r.valid is not False for r in done)
    witnessed = any(r.witness is not None for r in done)
    if args.json:
        record = {
            "problem": problem.name,
            "agree": agree,
            "witnesses_agree": all(r.same_witness for r in done),
            "runs": [
                {
                    "strategy": r.strategy,
                    "value": r.value,
                    "seconds": r.seconds,
                    "calls": r.calls,
                    "hits": r.hits,
                    "peak_bytes": r.peak,
                    "agrees": r.agrees,
                    **(
                        {
                            "witness": r.witness,
                            "witness_same": r.same_witness,
                            "witness_valid": r.valid,
                        }
                        if r.witness is not None
                        else {}
                    ),
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
            rows.append([r.strategy, "-", "-", "-", "-", "-", "skipped", "-", r.error])
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
                _witness_cell(r),
                "",
            ]
        )
    header = ["strategy", "time", "calls", "hits", "peak memory", "value", "agrees", "witness"]
    header.append("note")
    if not any(r.error for r in runs):
        header, rows = header[:-1], [row[:-1] for row in rows]
    if not witnessed:
        header, rows = header[:7] + header[8:], [row[:7] + row[8:] for row in rows]
    right = [False, True, True, True, True]
    drawn = _rich_table(header, rows, right=right) if _is_terminal(out) else None
    lines = [drawn if drawn is not None else _table(header, rows, right=right), ""]
    if all(r.agrees for r in done):
        lines.append(f"all {len(done)} strategies agree: value {_short(_text(reference), 60)}")
    else:
        lines.append(
            "STRATEGIES DISAGREE: "
            + ", ".join(r.strategy for r in done if not r.agrees)
            + f" differ from {done[0].strategy}"
        )
    lines.extend(_witness_lines(done))
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


def _witness_cell(r: _Run) -> str:
    if r.witness is None:
        return "-"
    if r.valid is False:
        return "INVALID"
    if r.same_witness:
        return "same"
    return "differs (valid)" if r.valid else "differs (unchecked)"


def _witness_lines(done: list[_Run]) -> list[str]:
    """What the witnesses say: which strategies chose another one, and whether each is valid."""
    lines: list[str] = []
    first = done[0]
    for r in done:
        if r.valid is False:
            lines.append(
                f"INVALID WITNESS: {r.strategy}'s {_fields_text(r)} is not a solution "
                f"worth {_short(_text(r.value), 30)}"
            )
    others = [r for r in done if r.witness is not None and not r.same_witness]
    if not others or first.witness is None:
        return lines
    lines.append(f"witness of {first.strategy}: {_fields_text(first)}")
    for r in others:
        lines.append(f"witness of {r.strategy} differs: {_fields_text(r)}")
    if all(r.valid for r in [first, *others]):
        lines.append(
            "both are valid: optimal solutions of the same value, checked against the "
            "problem's definition (the strategies break ties differently)"
        )
    elif all(r.valid is None for r in [first, *others]):
        lines.append("(the witnesses were not checked: no checker for this problem)")
    return lines


def _fields_text(r: _Run) -> str:
    witness = r.witness or {}
    return "; ".join(f"{name} {_short(_text(value), 50)}" for name, value in witness.items())
