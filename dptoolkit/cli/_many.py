"""``solve --count``, ``--all [--limit N]`` and ``--k K``: more than one answer of one instance.

Counting and listing the optimal witnesses read the ties the engine recorded
(``sol.count()``, ``sol.witnesses(limit)``), so they need an engine strategy:
``auto`` picks ``bottom_up`` for them, and ``fast`` is refused by the library
with its reason. ``--k`` calls the problem's solver with ``k=K`` where it
takes one (the catalog's optimization problems: each entry with its witness
fields), else runs the problem's recurrence with ``k=K`` (values and raw
choices); either way ``sol.k_best``. A problem that does not support a question answers with
status 2 and one line saying so. Imports :mod:`._common` and :mod:`._format`;
imported by :mod:`.solve`.
"""

from __future__ import annotations

import argparse
import inspect
from typing import IO, TYPE_CHECKING, Any

from ..errors import DPError
from ._common import UsageError, _built, _witness, whole_number
from ._format import _field_lines, _one_line, _text

if TYPE_CHECKING:
    from ..catalog import Problem
    from ..recurrence import Solution

__all__ = ["add_options", "asked", "engine_strategy", "report", "write"]

#: ``--all`` without ``--limit`` lists at most this many (a count can be astronomical)
ALL_MAX = 10_000


_positive = whole_number(1, "positive")


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--count",
        action="store_true",
        help="also print how many distinct optimal solutions there are",
    )
    p.add_argument(
        "--all",
        action="store_true",
        dest="all_witnesses",
        help="also list every optimal solution (with --limit N, the first N)",
    )
    p.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="with --all: list at most N solutions",
    )
    p.add_argument(
        "--k",
        type=_positive,
        metavar="K",
        help="also print the K best values, best first (ties allowed)",
    )


def asked(args: argparse.Namespace) -> bool:
    if args.limit is not None and not args.all_witnesses:
        raise UsageError("--limit N goes with --all")
    return bool(args.count or args.all_witnesses or args.k)


def engine_strategy(args: argparse.Namespace) -> str:
    """The strategy to run: ``auto`` becomes ``bottom_up`` when ties must be recorded."""
    if args.strategy == "auto" and (args.count or args.all_witnesses):
        return "bottom_up"
    return str(args.strategy)


def _refused(problem: Problem, what: str, exc: DPError) -> UsageError:
    text = _one_line(exc)
    if text.startswith("step=None"):  # the solver declared no step for the witness walk
        text = (
            "its solver does not declare how one choice leads to the next, which "
            "counting and listing witnesses need"
        )
    return UsageError(f"{problem.name}: {what} is not available: {text}")


def report(
    problem: Problem,
    sol: Solution,
    args: argparse.Namespace,
    call_args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> dict[str, Any]:
    """The answers asked for, as JSON-ready data (``count``, ``witnesses``, ``k_best``)."""
    found: dict[str, Any] = {}
    if args.count:
        try:
            found["count"] = sol.count()
        except DPError as exc:
            raise _refused(problem, "--count", exc) from None
    if args.all_witnesses:
        try:
            if args.limit is None and (many := found.get("count") or sol.count()) > ALL_MAX:
                raise UsageError(
                    f"{problem.name}: --all would list {many:,} optimal solutions (more than "
                    f"{ALL_MAX:,}); add --limit N to list the first N, or --count to count them"
                )
            found["witnesses"] = [
                {"value": w.value, **_witness(problem, w)} for w in sol.witnesses(args.limit)
            ]
        except DPError as exc:
            raise _refused(problem, "--all", exc) from None
    if args.k:
        try:
            if "k" in inspect.signature(problem.solve).parameters:
                top = problem.solve(
                    *call_args, **{**kwargs, "strategy": args.strategy, "k": args.k}
                )
                strategy, best = top.strategy, top.k_best
            else:
                rec, goal = _built(problem, call_args, kwargs)
                strategy = "bottom_up" if args.strategy in ("auto", "fast") else args.strategy
                best = rec.solve(*goal, strategy=strategy, k=args.k).k_best
        except DPError as exc:
            raise _refused(problem, "--k", exc) from None
        found["k_strategy"] = strategy
        found["k_best"] = [{"value": e.value, **_witness(problem, e)} for e in best]
    return found


def write(found: dict[str, Any], args: argparse.Namespace, out: IO[str]) -> None:
    """The answers as text, after the solution's own lines."""
    lines: list[str] = []
    if "count" in found:
        lines.append(f"optimal solutions: {found['count']}")
    if "witnesses" in found:
        listed = found["witnesses"]
        cut = args.limit is not None and len(listed) == args.limit
        lines.append(
            f"every optimal solution ({len(listed)}{', the first ' + str(args.limit) if cut else ''}):"
        )
        for number, entry in enumerate(listed, 1):
            fields = [(k, v) for k, v in entry.items() if k != "value"]
            shown = "; ".join(f"{k} {_text(v)}" for k, v in fields) or _text(entry["value"])
            lines.append(f"  {number}. {shown}")
    if "k_best" in found:
        lines.append(
            f"the {args.k} best values ({found['k_strategy']}, best first; "
            f"{len(found['k_best'])} found):"
        )
        for number, entry in enumerate(found["k_best"], 1):
            rows = _field_lines(list(entry.items()))
            lines.append(f"  {number}. " + "; ".join(" ".join(r.split()) for r in rows))
    out.write("\n".join(lines) + "\n")
