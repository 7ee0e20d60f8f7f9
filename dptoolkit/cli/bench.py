"""``dptoolkit bench [SUITE...]``: the benchmark suites, as ratios (``python -m dptoolkit.bench``).

A figure that could not be measured (its tool is not installed, no server to
time against) prints one way in every suite: ``n/a`` in the time column and
the reason in the note; ``--json`` gives ``"seconds": null`` and
``"measured": false``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from typing import IO, Any

from ..bench._timing import format_rows, measured
from ._common import UsageError, subcommand
from ._format import _dumps
from ._progress import make_progress, progress_enabled

#: What each suite measures, for ``--help`` (a suite missing here is listed by name).
ABOUT = {
    "memo": "@memoize against functools, cachetools and async-lru",
    "recurrence": "the recurrence engine's strategies against hand-written code",
    "catalog": "each problem's kernels against the plain way and outside tools",
    "stores": "SQLite and Redis stores against diskcache (starts a redis-server if found)",
}


def _suites() -> tuple[str, ...]:
    from ..bench import __main__ as bench_main

    return tuple(bench_main.SUITES)


def add_parser(sub: Any) -> None:
    listed = "; ".join(f"{name}: {ABOUT[name]}" if name in ABOUT else name for name in _suites())
    p = subcommand(
        sub,
        "bench",
        "run the benchmarks (docs/performance.md) and print ratios",
        "Run benchmark suites side by side with outside tools and print the "
        f"ratios (the same as 'python -m dptoolkit.bench'). Suites: {listed}.",
        run,
    )
    p.add_argument(
        "suites",
        nargs="*",
        metavar="SUITE",
        help=f"suites to run: {', '.join(_suites())} (default: all)",
    )
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: per suite, its rows (case, subject, seconds, ratio, note)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _record(row: Any) -> dict[str, Any]:
    ok = measured(row.seconds)
    return {
        "case": row.case,
        "subject": row.subject,
        "seconds": row.seconds if ok else None,
        "ratio": row.ratio if ok else None,
        "measured": ok,
        "note": row.note,
    }


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..bench import __main__ as bench_main

    suites: Sequence[str] = tuple(bench_main.SUITES)
    unknown = [name for name in args.suites if name not in suites]
    if unknown:
        raise UsageError(f"unknown suite {unknown[0]!r}; choose from {', '.join(suites)}")
    chosen = list(args.suites or suites)
    results: list[dict[str, Any]] = []
    enabled = progress_enabled(err, args.no_progress)
    with make_progress(len(chosen), stream=err, enabled=enabled, title="bench") as bar:
        for name in chosen:
            bar.step(name)
            modname = f"{bench_main.__package__}.{name}"
            try:
                module = importlib.import_module(modname)
            except ModuleNotFoundError as exc:
                if exc.name != modname:
                    raise
                results.append({"suite": name, "available": False, "rows": []})
                if not args.json:
                    out.write(f"\n## {name}\n\n(suite not available in this installation)\n")
                bar.advance()
                continue
            rows = module.run(quick=args.quick)
            bar.advance()
            results.append(
                {"suite": name, "available": True, "rows": [_record(row) for row in rows]}
            )
            if not args.json:
                out.write(f"\n## {name}\n\n{format_rows(rows)}\n")
                out.flush()
    if args.json:
        out.write(_dumps({"quick": bool(args.quick), "suites": results}) + "\n")
    return 0
