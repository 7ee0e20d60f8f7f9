"""``dptoolkit trace NAME ARGS...``: the call tree with cache hits marked, and the counts."""

from __future__ import annotations

import argparse
import re
from typing import IO, TYPE_CHECKING, Any

from ..errors import DPError
from ._common import (
    _built,
    _lines,
    _number_hint,
    _picture,
    _png,
    _prepare,
    _problem,
    problem_args,
    subcommand,
)
from ._format import _dumps, _text

if TYPE_CHECKING:
    from ..trace import Trace

TRACE_STRATEGIES = ("top_down", "naive")


def add_parser(sub: Any) -> None:
    p = subcommand(
        sub,
        "trace",
        "the call tree with cache hits marked, and the counts",
        "Trace the recursion of one instance: the call tree with cache "
        "hits marked, and the numbers of calls, hits and misses.",
        run,
    )
    problem_args(p)
    p.add_argument(
        "--strategy",
        default="top_down",
        choices=TRACE_STRATEGIES,
        help="top_down (memoized, the default) or naive (no cache)",
    )
    p.add_argument(
        "--limit",
        type=_lines,
        default=200,
        metavar="LINES",
        help="show at most this many calls of the tree (default 200; 0 for all)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the counts and the call tree as JSON: nodes in call order, each with "
        "its call, state, value, hit, depth, parent and children ids",
    )
    p.add_argument(
        "--dag",
        metavar="FILE.png",
        type=_png,
        help="draw the subproblem graph, hits and misses marked (needs the plot extra)",
    )


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    call_args, kwargs = _prepare(problem, args.args, args.kw)
    try:
        rec, goal = _built(problem, call_args, kwargs)
        trace = rec.trace(*goal, strategy=args.strategy)
    except DPError as exc:
        raise _number_hint(exc, args.args, problem.name) from None
    counts = {"calls": trace.calls, "hits": trace.hits, "misses": trace.misses}
    if args.dag:  # the axes named as the problem names them (its build marks the recurrence)
        title = f"{problem.name}: subproblems ({args.strategy})"
        _picture(args.dag, lambda: trace.draw(args.dag, title=title))
    limit = args.limit or max(trace.calls, 1)
    if args.json:
        record = {
            "problem": problem.name,
            "strategy": args.strategy,
            **counts,
            **_tree(trace, limit),
        }
        out.write(_dumps(record) + "\n")
        return 0
    out.write(_cli_hint(trace.render(max_nodes=limit), trace.calls) + "\n")
    if args.dag:
        out.write(f"graph drawn to {args.dag}\n")
    return 0


# the library's hint names its own API; a CLI user sets --limit instead
_API_HINT = re.compile(r"\(render\(max_nodes=[^)]*\)[^)]*\)")


def _cli_hint(text: str, calls: int) -> str:
    return _API_HINT.sub(f"(--limit 0 shows all {calls:,} calls)", text)


def _call(name: str, state: Any) -> str:
    args = state if isinstance(state, tuple) else (state,)
    return f"{name}({', '.join(_text(a) if not isinstance(a, str) else repr(a) for a in args)})"


def _tree(trace: Trace, limit: int) -> dict[str, Any]:
    """The call tree as JSON data: nodes in call order (a preorder), each with its children.

    Flat, with ``parent`` and ``children`` ids rather than nested objects, so a
    tree thousands of calls deep is still one small JSON document.
    """
    shown = trace.records[:limit]
    nodes: list[dict[str, Any]] = [
        {
            "id": r.position,
            "parent": r.parent,
            "call": _call(trace.name, r.state),
            "state": r.state,
            "value": r.value,
            "hit": r.hit,
            "depth": r.depth,
            "children": [],
        }
        for r in shown
    ]
    for r in shown:
        if r.parent >= 0:
            nodes[r.parent]["children"].append(r.position)
    return {
        "value": trace.value,
        "depth": trace.depth,
        "shown": len(nodes),
        "truncated": len(nodes) < trace.calls,
        "root": 0 if nodes else None,
        "nodes": nodes,
        "fill_order": list(trace.fill_order),
    }
