"""``dptoolkit trace NAME ARGS...``: the call tree with cache hits marked, and the counts."""

from __future__ import annotations

import argparse
from typing import IO, Any

from ._common import _built, _lines, _picture, _png, _prepare, _problem, problem_args
from ._format import _dumps

TRACE_STRATEGIES = ("top_down", "naive")


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "trace",
        help="the call tree with cache hits marked, and the counts",
        description="Trace the recursion of one instance: the call tree with cache "
        "hits marked, and the numbers of calls, hits and misses.",
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
    p.add_argument("--json", action="store_true", help="print the counts and the tree as JSON")
    p.add_argument(
        "--dag",
        metavar="FILE.png",
        type=_png,
        help="draw the subproblem graph, hits and misses marked (needs the plot extra)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    call_args, kwargs = _prepare(problem, args.args, args.kw)
    rec, goal = _built(problem, call_args, kwargs)
    trace = rec.trace(*goal, strategy=args.strategy)
    counts = {"calls": trace.calls, "hits": trace.hits, "misses": trace.misses}
    if args.dag:
        from .. import _plot

        _picture(
            args.dag,
            lambda: _plot.draw_dag(
                trace.graph(),
                args.dag,
                title=f"{problem.name}: subproblems ({args.strategy})",
                goal=goal,
            ),
        )
    tree = trace.render(max_nodes=args.limit or max(trace.calls, 1))
    if args.json:
        record = {"problem": problem.name, "strategy": args.strategy, **counts, "tree": tree}
        out.write(_dumps(record) + "\n")
        return 0
    out.write(tree + "\n")
    if args.dag:
        out.write(f"graph drawn to {args.dag}\n")
    return 0
