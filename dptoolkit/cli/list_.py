"""``dptoolkit list``: the catalog as a table (or a JSON list)."""

from __future__ import annotations

import argparse
import shutil
from typing import IO, TYPE_CHECKING, Any

from ._common import PROG, _signature_usage
from ._format import _dumps, _jsonable, _short, _table

if TYPE_CHECKING:
    from ..catalog import Problem


def add_parser(sub: Any) -> None:
    p = sub.add_parser("list", help="the catalog as a table", description="List the catalog.")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..catalog import catalog

    problems = catalog()
    if args.json:
        out.write(_dumps([_describe(p) for p in problems], indent=2) + "\n")
        return 0
    rows = [[p.name, p.summary, p.time, p.space, ", ".join(p.strategies)] for p in problems]
    if out.isatty():
        columns = shutil.get_terminal_size().columns
        others = sum(max(len(r[i]) for r in rows) + 2 for i in (0, 2, 3, 4)) if rows else 0
        for row in rows:
            row[1] = _short(row[1], max(columns - others - 2, 24))
    out.write(_table(["name", "summary", "time", "space", "strategies"], rows) + "\n")
    return 0


def _describe(problem: Problem) -> dict[str, Any]:
    return {
        "name": problem.name,
        "summary": problem.summary,
        "recurrence": problem.recurrence,
        "time": problem.time,
        "space": problem.space,
        "strategies": list(problem.strategies),
        "witness": list(problem.witness),
        "module": problem.module,
        "aliases": list(problem.aliases),
        "usage": f"{PROG} solve {problem.name} {_signature_usage(problem)}".rstrip(),
        "example": _jsonable(problem.example),
    }
