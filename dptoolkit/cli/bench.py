"""``dptoolkit bench [SUITE...]``: the benchmark suites, as ratios (``python -m dptoolkit.bench``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import IO, Any

from ._common import UsageError
from ._progress import _Progress, _progress_enabled


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "bench",
        help="run the benchmarks (docs/performance.md) and print ratios",
        description="Run benchmark suites side by side with outside tools and print the "
        "ratios (the same as 'python -m dptoolkit.bench').",
    )
    p.add_argument("suites", nargs="*", metavar="SUITE", help="suites to run (default: all)")
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    import importlib

    from ..bench import __main__ as bench_main
    from ..bench._timing import format_rows

    suites: Sequence[str] = tuple(bench_main.SUITES)
    unknown = [name for name in args.suites if name not in suites]
    if unknown:
        raise UsageError(f"unknown suite {unknown[0]!r}; choose from {', '.join(suites)}")
    chosen = list(args.suites or suites)
    enabled = _progress_enabled(err, args.no_progress)
    with _Progress(len(chosen), stream=err, enabled=enabled, title="bench") as bar:
        for name in chosen:
            bar.step(name)
            modname = f"{bench_main.__package__}.{name}"
            try:
                module = importlib.import_module(modname)
            except ModuleNotFoundError as exc:
                if exc.name != modname:
                    raise
                out.write(f"\n## {name}\n\n(suite not available in this installation)\n")
                bar.advance()
                continue
            rows = module.run(quick=args.quick)
            bar.advance()
            out.write(f"\n## {name}\n\n{format_rows(rows)}\n")
            out.flush()
    return 0
