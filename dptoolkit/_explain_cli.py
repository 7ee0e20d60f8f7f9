"""``dptoolkit explain PROBLEM [ARGS...] --html FILE``: write the explain page of one instance.

Self-contained: :func:`add_parser` registers the subcommand on the
``dptoolkit`` parser (its ``run`` takes ``(args, out, err)`` and returns the
exit status; errors are raised as :class:`~dptoolkit.DPError` for the
command to report), and :func:`main_explain` runs it on its own.
Arguments are read as the other subcommands read them: a JSON literal when
it is one (``[1, 2]``, ``10``, ``true``), else the string itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from .errors import DPError, InvalidInput

__all__ = ["add_parser", "main_explain"]

DESCRIPTION = """\
Write one self-contained HTML page (nothing fetched) that steps through a
memoized run of PROBLEM on ARGS: the call tree growing with hits marked, the
table filling in order, the cells each state reads, live counters, the
witness at the end, and calls against n for naive, top_down and bottom_up.
Without ARGS, the problem's example is used."""

EPILOG = """\
examples:
  dptoolkit explain fibonacci 8 --html fib.html
  dptoolkit explain knapsack "[12,2,1,1,4]" "[4,2,1,2,10]" 15 --html knapsack.html
  dptoolkit explain edit_distance kitten sitting --html edit.html"""


def _literal(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _keyword(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"--kw {text!r} must be NAME=VALUE")
    return name, _literal(value)


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``explain`` on the subparsers *sub* of the ``dptoolkit`` parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "explain",
        help="an HTML page that steps through a run",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", metavar="PROBLEM", help="a catalog problem (dptoolkit list)")
    p.add_argument(
        "args", nargs="*", metavar="ARGS", help="its solve arguments (JSON literals or strings)"
    )
    p.add_argument(
        "--kw", action="append", default=[], type=_keyword, metavar="NAME=VALUE",
        help="a keyword argument of solve (repeatable), e.g. --kw unbounded=true",
    )  # fmt: skip
    p.add_argument(
        "--html",
        default="explain.html",
        metavar="FILE",
        help="where to write the page (default: explain.html)",
    )
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """Write the page; say where and how many steps it has."""
    from ._explain import build_instance, page, page_data
    from .catalog import catalog

    if not args.html.endswith((".html", ".htm")):
        raise InvalidInput(f"--html {args.html!r} must name an .html file")
    problem = catalog(args.name)
    if problem.build is None:
        raise InvalidInput(f"{problem.name} has no recurrence to step through")
    values = [_literal(text) for text in args.args] or list(problem.example)
    call_args = tuple(problem.coerce(values)) if problem.coerce is not None else tuple(values)
    kwargs = dict(args.kw)
    rec, goal = build_instance(problem, call_args, kwargs)
    data = page_data(problem, rec, goal, call_args, kwargs)
    try:
        with open(args.html, "w", encoding="utf-8") as handle:
            handle.write(page(data))
    except OSError as exc:
        raise InvalidInput(f"cannot write {args.html!r}: {exc.strerror or exc}") from None
    out.write(
        f"explain page of {data['instance']} written to {args.html}: {len(data['events'])} steps, "
        f"{data['calls']} calls ({data['misses']} misses, {data['hits']} hits); value {data['value']}\n"
    )
    return 0


def main_explain(argv: Sequence[str] | None = None) -> int:
    """``dptoolkit explain`` on its own: 0 on success, 2 for bad input (the message on stderr)."""
    parser = argparse.ArgumentParser(prog="dptoolkit")
    add_parser(parser.add_subparsers(dest="command"))
    try:
        args = parser.parse_args(["explain", *(sys.argv[1:] if argv is None else argv)])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    try:
        return run(args, sys.stdout, sys.stderr)
    except DPError as exc:
        sys.stderr.write(f"dptoolkit explain: error: {exc}\n")
        return 2
