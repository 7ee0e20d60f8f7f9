"""What the subcommands share: the parser type, reading arguments, finding problems, pictures.

Imports :mod:`._format`; imported by every subcommand module and the entry point.
"""

from __future__ import annotations

import argparse
import inspect
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import DPError
from ._format import _dumps, _field_lines, _one_line

if TYPE_CHECKING:
    from ..catalog import Problem
    from ..recurrence import Solution

PROG = "dptoolkit"
PLOT_EXTRA = 'pip install "dptoolkit[plot]"'


class UsageError(Exception):
    """Bad input on the command line: reported as one line, exit status 2.

    *prog* is the command that failed (``dptoolkit solve``); when omitted the
    entry point fills in the running subcommand.
    """

    def __init__(self, message: str, *, prog: str | None = None) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage dump) and no exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')", prog=self.prog)


def subcommand(
    sub: Any, name: str, summary: str, description: str, run: Callable[..., int]
) -> argparse.ArgumentParser:
    """Register the subcommand *name* on the subparsers *sub*: its one-line *summary*
    (in ``dptoolkit --help``), its *description* (in its own ``--help``) and the
    ``run(args, out, err)`` it calls. Returns its parser, for its arguments.
    """
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description)
    parser.set_defaults(run=run)
    return parser


def _literal(text: str) -> Any:
    """Read one command-line argument: a JSON literal when it is one, else the string.

    >>> _literal("[1, 2]"), _literal("10"), _literal("kitten"), _literal('"7"')
    ([1, 2], 10, 'kitten', '7')
    """
    try:
        return json.loads(text)
    except ValueError:
        return text


def _keyword(text: str) -> tuple[str, Any]:
    """Parse ``--kw KEY=VALUE``; VALUE is read like a positional argument.

    >>> _keyword("unbounded=true")
    ('unbounded', True)
    """
    key, sep, value = text.partition("=")
    key = key.strip().replace("-", "_")
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, _literal(value)


def _png(text: str) -> str:
    """A picture file name: it must end in ``.png``."""
    if not text.lower().endswith(".png"):
        raise argparse.ArgumentTypeError(f"picture file {text!r} must end in .png")
    return text


def whole_number(minimum: int, what: str) -> Callable[[str], int]:
    """An argparse type: an integer at least *minimum*, else "'x' must be a *what* integer"."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be a {what} integer")
        return number

    return parse


#: A number of lines to show (0 means all).
_lines = whole_number(0, "non-negative")


def _table_option(p: argparse.ArgumentParser) -> None:
    """``--table FILE.png``, shared by ``solve`` and ``compare``."""
    p.add_argument(
        "--table",
        metavar="FILE.png",
        type=_png,
        help="draw the filled bottom-up table as a heatmap (needs the plot extra)",
    )


def problem_args(p: argparse.ArgumentParser) -> None:
    """``NAME ARGS... [--kw KEY=VALUE]``, shared by solve, trace and compare."""
    p.add_argument("name", metavar="NAME", help="a catalog name (see 'dptoolkit list')")
    p.add_argument(
        "args",
        metavar="ARGS",
        nargs="*",
        default=[],
        help="the problem's arguments: JSON literals, else strings",
    )
    p.add_argument(
        "--kw",
        metavar="KEY=VALUE",
        action="append",
        type=_keyword,
        default=[],
        help="a keyword option of the solver, VALUE a JSON literal (repeatable), "
        "e.g. --kw unbounded=true",
    )


def _problem(name: str) -> Problem:
    from ..catalog import catalog

    try:
        return catalog(name)
    except DPError as exc:  # the message names the argument and suggests close names
        raise UsageError(_one_line(exc)) from None


def _signature_usage(problem: Problem) -> str:
    """``WEIGHTS VALUES CAPACITY [--kw unbounded=...]`` from the solver's signature."""
    try:
        sig = inspect.signature(problem.solve)
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return "ARGS..."
    words = []
    for param in sig.parameters.values():
        if param.name == "strategy":
            continue
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            word = param.name.upper()
            words.append(word if param.default is param.empty else f"[{word}]")
        elif param.kind is param.VAR_POSITIONAL:
            words.append(f"[{param.name.upper()}...]")
        elif param.kind is param.KEYWORD_ONLY:
            default = "..." if param.default is param.empty else _dumps(param.default)
            words.append(f"[--kw {param.name}={default}]")
    return " ".join(words)


def _prepare(
    problem: Problem, raw: Sequence[str], kw: Sequence[tuple[str, Any]]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The solver's positional and keyword arguments from the command line."""
    values = [_literal(text) for text in raw]
    args = tuple(problem.coerce(values)) if problem.coerce is not None else tuple(values)
    kwargs = dict(kw)
    if "strategy" in kwargs:
        raise UsageError(f"{problem.name}: use --strategy, not --kw strategy=...")
    try:
        inspect.signature(problem.solve).bind(*args, **kwargs)
    except TypeError as exc:
        raise UsageError(
            f"{problem.name}: {_one_line(exc).replace('solve()', 'solve')}; "
            f"usage: {PROG} solve {problem.name} {_signature_usage(problem)}"
        ) from None
    except ValueError:  # pragma: no cover - no signature to check against
        pass
    return args, kwargs


def _solve(
    problem: Problem, args: tuple[Any, ...], kwargs: dict[str, Any], strategy: str
) -> Solution:
    return problem.solve(*args, strategy=strategy, **kwargs)


def _number_hint(exc: DPError, raw: Sequence[str], name: str) -> DPError | UsageError:
    """*exc*, with a hint to quote when an argument read as a number was refused by type.

    ``dptoolkit solve edit_distance 12345 12354``: the arguments parse as JSON
    numbers, and the solver wants sequences. The answer names the argument and
    says how to pass the string (``'"12345"'``).
    """
    from ..errors import InvalidType

    if not isinstance(exc, InvalidType):
        return exc
    message = _one_line(exc)
    numeric = [
        text
        for text in raw
        if isinstance(_literal(text), (int, float)) and not isinstance(_literal(text), bool)
    ]
    named = [text for text in numeric if f"={text.strip()} " in message + " "]
    chosen = (named or numeric)[:1]
    if not chosen:
        return exc
    text = chosen[0].strip()
    return UsageError(
        f"{name}: {message} (hint: {text} was read as a number; to pass it as a string, "
        f"quote it: '\"{text}\"')"
    )


def _fields(problem: Problem, sol: Solution) -> list[str]:
    names = getattr(sol, "fields", None)
    if names is None:
        names = problem.witness
    return [name for name in names if not callable(getattr(sol, name, None))]


def _witness(problem: Problem, sol: Solution) -> dict[str, Any]:
    return {name: getattr(sol, name) for name in _fields(problem, sol)}


def _named(problem: Problem, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The solver's arguments by parameter name, defaults filled in."""
    try:
        bound = inspect.signature(problem.solve).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return {}
    bound.apply_defaults()
    return dict(bound.arguments)


def _solution_lines(
    problem: Problem, sol: Solution, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[str]:
    """``value`` and the witness fields, each captioned with what its numbers are."""
    from ._witness import caption, render

    named = _named(problem, args, kwargs)
    witness = _witness(problem, sol)
    captions: dict[str, str] = {}
    rendered: dict[str, list[str]] = {}
    for name, value in witness.items():
        text = caption(problem.name, name, named) if value is not None else None
        if text:
            captions[name] = text
        lines = render(problem.name, name, value, named)
        if lines is not None:
            rendered[name] = lines
    items = [("value", sol.value), *witness.items()]
    return _field_lines(items, captions=captions, rendered=rendered)


def _strategy_label(sol: Solution, requested: str) -> str:
    """``fast, chosen by auto`` when auto chose, else the strategy run."""
    return f"{sol.strategy}, chosen by auto" if requested == "auto" else str(sol.strategy)


def _picture(path: str, draw: Callable[[], None]) -> None:
    from .. import _plot

    try:
        draw()
    except _plot.MissingExtra as exc:
        raise UsageError(f"{exc}; install it with: {PLOT_EXTRA}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}") from None


def _draw_table(problem: Problem, args: tuple[Any, ...], kwargs: dict[str, Any], path: str) -> None:
    from .. import _plot

    _built(problem, args, kwargs)  # a problem without a recurrence has no table
    sol = problem.solve(*args, strategy="bottom_up", **kwargs)  # with the problem's axis labels
    if getattr(sol, "table", None) is None:
        raise UsageError(f"{problem.name}: the bottom-up run kept no table to draw")
    _picture(path, lambda: _plot.draw_solution(sol, path, title=f"{problem.name}: bottom-up table"))


def _built(
    problem: Problem, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, tuple[Any, ...]]:
    if problem.build is None:
        raise UsageError(f"{problem.name}: has no recurrence to trace or draw")
    rec, goal = problem.build(*args, **kwargs)
    return rec, tuple(goal) if isinstance(goal, (tuple, list)) else (goal,)
