"""``dptoolkit list``: the catalog as a table (or a JSON list)."""

from __future__ import annotations

import argparse
import os
import shutil
import textwrap
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from ._common import PROG, _signature_usage, subcommand
from ._format import _dumps, _is_terminal, _jsonable, _rich_table, _table

if TYPE_CHECKING:
    from ..catalog import Problem


def add_parser(sub: Any) -> None:
    p = subcommand(sub, "list", "the catalog as a table", "List the catalog.", run)
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..catalog import catalog

    problems = catalog()
    if args.json:
        out.write(_dumps([_describe(p) for p in problems], indent=2) + "\n")
        return 0
    rows = [[p.name, p.summary, p.time, p.space, ", ".join(p.strategies)] for p in problems]
    width = _width(out)
    drawn = None
    if _is_terminal(out) and (width is None or _room(HEADER, rows, width) >= sum(WRAPPED.values())):
        drawn = _rich_table(HEADER, rows, width=width, wrap=tuple(WRAPPED))
    out.write((drawn if drawn is not None else _fit(HEADER, rows, width)) + "\n")
    return 0


HEADER = ("name", "summary", "time", "space", "strategies")
WRAPPED = {1: 30, 4: 16}  # columns that may wrap, and their narrowest width


def _width(out: IO[str]) -> int | None:
    """The width to fit: ``COLUMNS`` when set, else the terminal's; None for a pipe or file."""
    text = os.environ.get("COLUMNS", "")
    if text.strip().isdigit() and int(text) > 0:
        return int(text)
    isatty = getattr(out, "isatty", None)
    if callable(isatty) and isatty():
        return shutil.get_terminal_size().columns
    return None


def _fit(header: Sequence[str], rows: list[list[str]], width: int | None) -> str:
    """The table within *width* columns: wrapped summaries, else one problem per block."""
    table = _table(header, rows)
    if width is None or max(map(len, table.splitlines()), default=0) <= width:
        return table
    natural = _natural(header, rows)
    room = _room(header, rows, width)
    if room >= sum(WRAPPED.values()):
        widths = list(natural)
        # share the room between the wrapping columns, the summary first
        widths[4] = max(WRAPPED[4], min(natural[4], room - max(WRAPPED[1], room * 2 // 3)))
        widths[1] = room - widths[4]
        return _wrapped_table(header, rows, widths)
    return _blocks(rows, width)


def _natural(header: Sequence[str], rows: list[list[str]]) -> list[int]:
    return [max(len(r[i]) for r in [list(header), *rows]) for i in range(len(header))]


def _room(header: Sequence[str], rows: list[list[str]], width: int) -> int:
    """The columns left for the wrapping columns once the others are laid out whole."""
    natural = _natural(header, rows)
    fixed = sum(w for i, w in enumerate(natural) if i not in WRAPPED) + 2 * (len(header) - 1)
    return width - fixed


def _wrapped_table(header: Sequence[str], rows: list[list[str]], widths: list[int]) -> str:
    lines: list[list[str]] = []
    for row in rows:
        cells = [
            textwrap.wrap(cell, widths[i], break_on_hyphens=False) or [""]
            if i in WRAPPED
            else [cell]
            for i, cell in enumerate(row)
        ]
        for k in range(max(len(c) for c in cells)):
            lines.append([c[k] if k < len(c) else "" for c in cells])
    return _table(header, lines)


def _blocks(rows: list[list[str]], width: int) -> str:
    """A terminal too narrow for columns: each problem as a short block of wrapped lines."""
    width = max(width, 20)
    out: list[str] = []
    for name, summary, time, space, strategies in rows:
        out.append(name)
        for text in (summary, f"time {time}, space {space}; {strategies}"):
            out.extend(textwrap.wrap(text, width, initial_indent="  ", subsequent_indent="    "))
    return "\n".join(out)


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
