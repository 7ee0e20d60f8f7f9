"""``python -m dptoolkit.bench [SUITE ...] [--quick]``: run benchmark suites, print ratios."""

from __future__ import annotations

import argparse
import importlib
import sys

from ._timing import format_rows

SUITES = ("memo", "recurrence", "catalog", "stores", "classics")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dptoolkit.bench", description=__doc__)
    parser.add_argument(
        "suites",
        nargs="*",
        metavar="SUITE",
        help=f"suites to run (default: all of {', '.join(SUITES)})",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds")
    args = parser.parse_args(argv)
    unknown = [name for name in args.suites if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {unknown[0]!r}; choose from {', '.join(SUITES)}")
    for name in args.suites or SUITES:
        module = importlib.import_module(f"dptoolkit.bench.{name}")
        rows = module.run(quick=args.quick)
        print(f"\n## {name}\n")
        print(format_rows(rows))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
