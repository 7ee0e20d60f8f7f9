"""``dptoolkit show NAME``: statement, recurrence, complexity, strategies, the example solved."""

from __future__ import annotations

import argparse
import inspect
from typing import IO, Any

from ._common import (
    PROG,
    _prepare,
    _problem,
    _signature_usage,
    _solution_lines,
    _solve,
    _strategy_label,
    subcommand,
)
from ._format import _dumps, _indent, _shell_word
from ._rst import plain


def add_parser(sub: Any) -> None:
    p = subcommand(
        sub,
        "show",
        "one problem: statement, recurrence, complexity, example",
        "Show a problem: statement, recurrence, complexity, strategies, and its example solved.",
        run,
    )
    p.add_argument("name", metavar="NAME", help="a catalog name, e.g. knapsack or edit-distance")


def _statement(doc: str) -> str:
    """The opening of a module docstring: the text before its first numpydoc section."""
    lines = inspect.cleandoc(doc).splitlines()
    kept: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and following.strip() and set(following.strip()) <= set("-="):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    lines = [f"{problem.name}: {plain(problem.summary)}"]
    if problem.aliases:
        lines.append(f"also: {', '.join(problem.aliases)}")
    statement = plain(_statement(problem.doc))
    if statement:
        lines += ["", "Statement", *_indent(statement)]
    lines += ["", "Recurrence", *_indent(plain(problem.recurrence))]
    lines += ["", "Complexity", f"  time {problem.time}, space {problem.space}"]
    lines += ["", "Strategies", f"  {', '.join(problem.strategies)} (and auto, the default)"]
    lines += ["", "Usage", f"  {PROG} solve {problem.name} {_signature_usage(problem)}".rstrip()]
    if problem.witness:
        lines.append(f"  witness: {', '.join(problem.witness)}")
    if problem.example:
        shown = " ".join(_shell_word(a) for a in problem.example)
        lines += ["", "Example", f"  $ {PROG} solve {problem.name} {shown}"]
        example_args, kwargs = _prepare(problem, [_dumps(a) for a in problem.example], [])
        sol = _solve(problem, example_args, kwargs, "auto")
        lines.append(f"  strategy: {_strategy_label(sol, 'auto')}")
        lines += _indent("\n".join(_solution_lines(problem, sol, example_args, kwargs)))
    out.write("\n".join(lines) + "\n")
    return 0
