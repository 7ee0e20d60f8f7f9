"""``dptoolkit solve NAME ARGS...``: the value and the witness of one instance."""

from __future__ import annotations

import argparse
from typing import IO, Any

from ..errors import DPError
from . import _many
from ._common import (
    _draw_table,
    _number_hint,
    _prepare,
    _problem,
    _solution_lines,
    _solve,
    _strategy_label,
    _table_option,
    _witness,
    problem_args,
    subcommand,
)
from ._format import _dumps


def add_parser(sub: Any) -> None:
    p = subcommand(
        sub,
        "solve",
        "solve one instance; print the value and the witness",
        "Solve one instance of a catalog problem and print the value and "
        "the witness (the chosen items, the edit script, the path...).",
        run,
    )
    problem_args(p)
    p.add_argument(
        "--strategy",
        default="auto",
        help="naive, top_down, bottom_up, fast or auto (default: auto; bottom_up with "
        "--count or --all, which need the ties an engine strategy records)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: value, strategy, witness fields; inf becomes "inf"',
    )
    _table_option(p)
    _many.add_options(p)


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    call_args, kwargs = _prepare(problem, args.args, args.kw)
    more = _many.asked(args)
    strategy = _many.engine_strategy(args) if more else args.strategy
    try:
        sol = _solve(problem, call_args, kwargs, strategy)
    except DPError as exc:
        raise _number_hint(exc, args.args, problem.name) from None
    found = _many.report(problem, sol, args, call_args, kwargs) if more else {}
    if args.table:
        _draw_table(problem, call_args, kwargs, args.table)
    if args.json:
        record: dict[str, Any] = {
            "problem": problem.name,
            "strategy": sol.strategy,
            **({"chosen_by": "auto"} if args.strategy == "auto" else {}),
            "value": sol.value,
            **_witness(problem, sol),
            **found,
        }
        out.write(_dumps(record) + "\n")
        return 0
    lines = [f"{problem.name} (strategy: {_strategy_label(sol, args.strategy)})"]
    lines += _solution_lines(problem, sol, call_args, kwargs)
    if args.table:
        lines.append(f"table drawn to {args.table}")
    out.write("\n".join(lines) + "\n")
    if found:
        _many.write(found, args, out)
    return 0
