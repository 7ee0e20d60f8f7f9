"""The ``dptoolkit`` command: browse the catalog, solve, trace, compare, benchmark.

Run ``dptoolkit --help`` (or ``python -m dptoolkit --help``) for the list of
subcommands, and ``dptoolkit SUBCOMMAND --help`` for each one:

    dptoolkit list                                   # the catalog as a table
    dptoolkit show knapsack                          # statement, recurrence, example
    dptoolkit solve knapsack '[1,3,5,2]' '[10,20,100,22]' 10
    dptoolkit solve edit_distance kitten sitting --json
    dptoolkit trace fibonacci 5                      # call tree, hits marked
    dptoolkit compare lcs ABCBDAB BDCABA             # every strategy side by side
    dptoolkit bench memo --quick                     # the benchmarks, as ratios

Problem arguments
-----------------
Each positional argument after the problem name is read as a JSON literal
when it is one (``10``, ``[1, 2]``, ``{"a": 1}``, ``true``, ``null``) and
taken as a plain string otherwise (``kitten``). Quote a string that looks
like a number to keep it a string: ``'"123"'``, and put an argument that
starts with ``-`` (other than a number) after ``--``. The problem's
``coerce`` hook (see ``dptoolkit.Problem``) then turns the literals into the
solver's arguments, e.g. an edge list into a networkx graph. Keyword options
of a solver go through ``--kw KEY=VALUE`` (repeatable; VALUE is read the
same way): ``dptoolkit solve knapsack '[2,3]' '[3,4]' 7 --kw unbounded=true``.

JSON output
-----------
``--json`` prints one JSON object (``list --json`` a list of objects).
Tuples become lists, sets sorted lists, numpy values plain numbers, mapping
keys strings, and the floats infinity and NaN become the strings ``"inf"``,
``"-inf"`` and ``"nan"`` (JSON has no such numbers).

Exit status
-----------
0 on success; 1 when ``compare`` finds strategies that disagree, or on an
unexpected internal error; 2 for bad input (an unknown problem, a bad
argument, a missing optional extra), reported as one line on stderr, never
a traceback. Set ``DPTOOLKIT_DEBUG=1`` to see the traceback of an internal
error.

This module is the one place in dptoolkit that writes to the standard
streams; the library itself only returns data.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import numbers
import os
import shutil
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, NoReturn

from .errors import DPError

if TYPE_CHECKING:
    from .catalog import Problem
    from .recurrence import Solution

__all__ = ["main"]

PROG = "dptoolkit"
PLOT_EXTRA = 'pip install "dptoolkit[plot]"'
TRACE_STRATEGIES = ("top_down", "naive")


# --------------------------------------------------------------------------
# errors and the argument parser
# --------------------------------------------------------------------------


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


def _lines(text: str) -> int:
    """A non-negative number of lines (0 means all)."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a non-negative integer")
    return number


def _table_option(p: argparse.ArgumentParser) -> None:
    """``--table FILE.png``, shared by ``solve`` and ``compare``."""
    p.add_argument(
        "--table",
        metavar="FILE.png",
        type=_png,
        help="draw the filled bottom-up table as a heatmap (needs the plot extra)",
    )


def _build_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Dynamic programming from the command line: browse the catalog of solved "
            "problems, solve one, trace its recursion, compare its strategies, benchmark."
        ),
        epilog=(
            "Problem arguments are JSON literals when they parse as JSON, else strings; "
            "solver keyword options go through --kw KEY=VALUE. "
            "Exit status: 0 ok, 1 strategies disagree or internal error, 2 bad input."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="the catalog as a table", description="List the catalog.")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(run=_cmd_list)

    p = sub.add_parser(
        "show",
        help="one problem: statement, recurrence, complexity, example",
        description="Show a problem: statement, recurrence, complexity, strategies, "
        "and its example solved.",
    )
    p.add_argument("name", metavar="NAME", help="a catalog name, e.g. knapsack or edit-distance")
    p.set_defaults(run=_cmd_show)

    def problem_args(p: argparse.ArgumentParser) -> None:
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

    p = sub.add_parser(
        "solve",
        help="solve one instance; print the value and the witness",
        description="Solve one instance of a catalog problem and print the value and "
        "the witness (the chosen items, the edit script, the path...).",
    )
    problem_args(p)
    p.add_argument(
        "--strategy",
        default="auto",
        help="naive, top_down, bottom_up, fast or auto (default: auto)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: value, strategy, witness fields; inf becomes "inf"',
    )
    _table_option(p)
    p.set_defaults(run=_cmd_solve)

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
    p.set_defaults(run=_cmd_trace)

    p = sub.add_parser(
        "compare",
        help="every strategy side by side: time, calls, hits, memory, value",
        description="Run every strategy of a problem on one instance and show them side "
        "by side: time, calls, hits, peak memory (tracemalloc) and the value. Exit "
        "status 1 when the values disagree.",
    )
    problem_args(p)
    p.add_argument(
        "--strategy",
        action="append",
        dest="strategies",
        metavar="S",
        help="compare only these strategies (repeatable; default: all)",
    )
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _table_option(p)
    p.set_defaults(run=_cmd_compare)

    p = sub.add_parser(
        "bench",
        help="run the benchmarks (docs/performance.md) and print ratios",
        description="Run benchmark suites side by side with outside tools and print the "
        "ratios (the same as 'python -m dptoolkit.bench').",
    )
    p.add_argument("suites", nargs="*", metavar="SUITE", help="suites to run (default: all)")
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=_cmd_bench)

    from ._explain_cli import add_parser as add_explain

    add_explain(sub)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


# --------------------------------------------------------------------------
# the entry point
# --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dptoolkit`` command with *argv* (default ``sys.argv[1:]``).

    Returns the exit status: 0 on success, 1 when ``compare`` finds
    disagreeing strategies or on an internal error, 2 for bad input.

    >>> main(["solve", "fibonacci", "10", "--json"])  # doctest: +SKIP
    {"problem": "fibonacci", "strategy": "...", "value": 55}
    0
    """
    parser = _build_parser()
    out, err = sys.stdout, sys.stderr
    args: argparse.Namespace | None = None
    try:
        try:
            args = parser.parse_args(None if argv is None else list(argv))
        except SystemExit as exc:  # --help and --version
            return exc.code if isinstance(exc.code, int) else 0
        if args.command is None:
            parser.print_help(out)
            return 0
        status: int = args.run(args, out, err)
        return status
    except UsageError as exc:
        where = exc.prog or (f"{PROG} {args.command}" if args is not None else PROG)
        _say(err, f"{where}: error: {exc}")
        return 2
    except DPError as exc:
        where = f"{PROG} {args.command}" if args is not None else PROG
        name = getattr(args, "name", None)
        subject = f"{name}: " if name else ""
        _say(err, f"{where}: error: {subject}{_one_line(exc)}")
        return 2
    except KeyboardInterrupt:
        _say(err, f"{PROG}: interrupted")
        return 130
    except BrokenPipeError:  # e.g. `dptoolkit list | head -1`
        return 0
    except ModuleNotFoundError as exc:
        if exc.name != "dptoolkit.problems" or os.environ.get("DPTOOLKIT_DEBUG"):
            raise
        _say(err, _shadowed_checkout())
        return 1
    except Exception as exc:
        if os.environ.get("DPTOOLKIT_DEBUG"):
            raise
        _say(
            err,
            f"{PROG}: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(a bug; set DPTOOLKIT_DEBUG=1 for the traceback)",
        )
        return 1


def _shadowed_checkout() -> str:
    """Why the catalog is missing: Python found a source checkout's dptoolkit first.

    ``problems/`` is mapped to ``dptoolkit.problems`` when the package is
    installed; a ``python -m dptoolkit`` started in the repository root after a
    non-editable install imports the checkout's ``dptoolkit/``, which has no
    catalog inside.
    """
    import dptoolkit

    here = os.path.dirname(os.path.abspath(dptoolkit.__file__))
    return (
        f"{PROG}: error: the catalog (dptoolkit.problems) is missing: Python imported "
        f"dptoolkit from {here}, a source checkout, instead of the installed package; "
        "run the 'dptoolkit' command, run from another directory, or install with "
        "'pip install -e .'"
    )


def _say(stream: IO[str], line: str) -> None:
    stream.write(line + "\n")
    stream.flush()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


# --------------------------------------------------------------------------
# problems and their arguments
# --------------------------------------------------------------------------


def _problem(name: str) -> Problem:
    from .catalog import catalog

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


def _fields(problem: Problem, sol: Solution) -> list[str]:
    names = getattr(sol, "fields", None)
    if names is None:
        names = problem.witness
    return [name for name in names if not callable(getattr(sol, name, None))]


def _witness(problem: Problem, sol: Solution) -> dict[str, Any]:
    return {name: getattr(sol, name) for name in _fields(problem, sol)}


# --------------------------------------------------------------------------
# text and JSON rendering
# --------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """A JSON-safe copy of *value*: tuples to lists, inf and nan to strings.

    >>> _jsonable({1: (2, float("inf")), "s": {3, 1}})
    {'1': [2, 'inf'], 's': [1, 3]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return "nan"
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        return number
    if isinstance(value, Mapping):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [_jsonable(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=repr)
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and type(value).__module__ == "numpy":
        return _jsonable(tolist())
    if isinstance(value, (list, tuple)) or (
        isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray))
    ):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    return json.dumps(_jsonable(key)) if not isinstance(key, numbers.Number) else str(key)


def _dumps(value: Any, **options: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, **options)


def _text(value: Any) -> str:
    """A value as a person reads it: ``inf`` rather than ``math.inf``, lists as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return str(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, tuple) for v in value):
        return repr(list(value))
    return repr(_plain(value))


def _plain(value: Any) -> Any:
    """numpy scalars and arrays as plain Python, for repr."""
    if type(value).__module__ == "numpy":
        tolist = getattr(value, "tolist", None)
        if callable(tolist):
            return tolist()
    return value


def _field_lines(items: Sequence[tuple[str, Any]]) -> list[str]:
    width = max((len(name) for name, _ in items), default=0)
    lines = []
    for name, value in items:
        matrix = _matrix(value)
        if matrix is not None:
            lines.append(f"{name:<{width}}  (row: from, column: to)")
            lines.extend(f"{'':<{width}}  {row}" for row in matrix.splitlines())
            continue
        text = _text(value)
        if len(text) > 72 and isinstance(value, (list, tuple)) and value:
            lines.append(f"{name:<{width}}  ({len(value)})")
            lines.extend(f"{'':<{width}}  {_text(v)}" for v in value)
        else:
            lines.append(f"{name:<{width}}  {text}")
    return lines


def _matrix(value: Any) -> str | None:
    """A mapping of mappings (``value[u][v]``) as a text matrix, or None."""
    if not isinstance(value, Mapping) or not value or len(value) > 30:
        return None
    rows = list(value)
    if not all(isinstance(value[r], Mapping) for r in rows):
        return None
    columns: list[Any] = []
    for r in rows:
        columns.extend(c for c in value[r] if c not in columns)
    cells = [
        [_text(r), *(_text(value[r][c]) if c in value[r] else "" for c in columns)] for r in rows
    ]
    return _table(["", *(_text(c) for c in columns)], cells, right=[False] + [True] * len(columns))


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = ()
) -> str:
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=False)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=False)):
            flush_right = i < len(right) and right[i]
            parts.append(cell.rjust(width) if flush_right else cell.ljust(width))
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def _fmt_bytes(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024**2:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024**2:.1f} MiB"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 1)] + "..."


# --------------------------------------------------------------------------
# a small progress bar (stderr, only on a terminal)
# --------------------------------------------------------------------------


class _Progress:
    """``[#####-----] 2/4 top_down 1.3s`` on one terminal line, redrawn in place.

    Silent unless *enabled*; a background thread redraws the elapsed time
    while a slow step runs, so a long naive recursion visibly progresses.
    """

    WIDTH = 20

    def __init__(self, total: int, *, stream: IO[str], enabled: bool, title: str) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.enabled = enabled
        self.title = title
        self.done = 0
        self.label = ""
        self.started = time.perf_counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._tick, name="dptoolkit-progress")
            self._thread.daemon = True
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.enabled:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()

    def step(self, label: str) -> None:
        """Start the next step, called *label*."""
        with self._lock:
            self.label = label
            self.started = time.perf_counter()
        self._draw()

    def advance(self) -> None:
        """Finish the current step."""
        with self._lock:
            self.done = min(self.done + 1, self.total)
        self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(0.1):
            self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            filled = self.WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            elapsed = time.perf_counter() - self.started
            self.stream.write(
                f"\r\x1b[K{self.title} [{bar}] {self.done}/{self.total} {self.label} {elapsed:.1f}s"
            )
            self.stream.flush()


def _progress_enabled(stream: IO[str], disabled: bool) -> bool:
    if disabled:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


# --------------------------------------------------------------------------
# pictures
# --------------------------------------------------------------------------


def _picture(path: str, draw: Callable[[], None]) -> None:
    from . import _plot

    try:
        draw()
    except _plot.MissingExtra as exc:
        raise UsageError(f"{exc}; install it with: {PLOT_EXTRA}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}") from None


def _draw_table(problem: Problem, args: tuple[Any, ...], kwargs: dict[str, Any], path: str) -> None:
    from . import _plot

    rec, goal = _built(problem, args, kwargs)
    sol = rec.solve(*goal, strategy="bottom_up")
    if getattr(sol, "table", None) is None:
        raise UsageError(f"{problem.name}: the bottom-up run kept no table to draw")
    _picture(
        path,
        lambda: _plot.draw_table(
            sol.table, path, title=f"{problem.name}: bottom-up table", goal=goal
        ),
    )


def _built(
    problem: Problem, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, tuple[Any, ...]]:
    if problem.build is None:
        raise UsageError(f"{problem.name}: has no recurrence to trace or draw")
    rec, goal = problem.build(*args, **kwargs)
    return rec, tuple(goal) if isinstance(goal, (tuple, list)) else (goal,)


# --------------------------------------------------------------------------
# subcommands
# --------------------------------------------------------------------------


def _cmd_list(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .catalog import catalog

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


def _cmd_show(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    lines = [f"{problem.name}: {problem.summary}"]
    if problem.aliases:
        lines.append(f"also: {', '.join(problem.aliases)}")
    statement = _statement(problem.doc)
    if statement:
        lines += ["", "Statement", *_indent(statement)]
    lines += ["", "Recurrence", *_indent(problem.recurrence)]
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
        items = [("value", sol.value), *_witness(problem, sol).items()]
        lines += _indent("\n".join(_field_lines(items)))
    out.write("\n".join(lines) + "\n")
    return 0


def _indent(text: str) -> list[str]:
    return ["  " + line if line else "" for line in text.splitlines()]


def _shell_word(value: Any) -> str:
    text = value if isinstance(value, str) else _dumps(value, separators=(",", ":"))
    safe = text and all(c.isalnum() or c in "_-.,:/+=" for c in text)
    return text if safe else "'" + text.replace("'", "'\\''") + "'"


def _cmd_solve(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    call_args, kwargs = _prepare(problem, args.args, args.kw)
    sol = _solve(problem, call_args, kwargs, args.strategy)
    witness = _witness(problem, sol)
    if args.table:
        _draw_table(problem, call_args, kwargs, args.table)
    if args.json:
        record: dict[str, Any] = {
            "problem": problem.name,
            "strategy": sol.strategy,
            "value": sol.value,
            **witness,
        }
        out.write(_dumps(record) + "\n")
        return 0
    lines = [f"{problem.name} (strategy: {sol.strategy})"]
    lines += _field_lines([("value", sol.value), *witness.items()])
    if args.table:
        lines.append(f"table drawn to {args.table}")
    out.write("\n".join(lines) + "\n")
    return 0


def _cmd_trace(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    call_args, kwargs = _prepare(problem, args.args, args.kw)
    rec, goal = _built(problem, call_args, kwargs)
    trace = rec.trace(*goal, strategy=args.strategy)
    counts = {"calls": trace.calls, "hits": trace.hits, "misses": trace.misses}
    if args.dag:
        from . import _plot

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


@dataclass
class _Run:
    strategy: str
    value: Any = None
    seconds: float = 0.0
    calls: int | None = None
    hits: int | None = None
    peak: int = 0
    error: str = ""
    agrees: bool = True


def _best_time(func: Callable[[], object], *, budget: float = 0.2, most: int = 50) -> float:
    """The fastest of repeated runs of *func*: at least one, more while under *budget* seconds."""
    best = math.inf
    spent = 0.0
    for _ in range(most):
        start = time.perf_counter()
        func()
        took = time.perf_counter() - start
        best = min(best, took)
        spent += took
        if spent >= budget:
            break
    return best


@contextmanager
def _traced_memory() -> Iterator[Callable[[], int]]:
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        yield lambda: max(tracemalloc.get_traced_memory()[1] - base, 0)
    finally:
        if started:
            tracemalloc.stop()


def _same(a: Any, b: Any) -> bool:
    """Do two strategies' values agree? Floats to a relative 1e-9."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real):
        if a == b:
            return True
        fa, fb = float(a), float(b)
        return math.isclose(fa, fb, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _cmd_compare(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    problem = _problem(args.name)
    call_args, kwargs = _prepare(problem, args.args, args.kw)
    strategies = list(args.strategies or problem.strategies)
    for strategy in strategies:
        if strategy not in problem.strategies:
            raise UsageError(
                f"{problem.name}: strategy={strategy!r} must be one of "
                + ", ".join(repr(s) for s in problem.strategies)
            )
    if args.table:
        _draw_table(problem, call_args, kwargs, args.table)
    runs: list[_Run] = []
    enabled = _progress_enabled(err, args.no_progress)
    with _Progress(2 * len(strategies), stream=err, enabled=enabled, title=problem.name) as bar:
        for strategy in strategies:
            run = _Run(strategy)
            runs.append(run)
            # timed first (best of repeated runs, so one-off costs such as lazy
            # imports drop out), then one run under tracemalloc for the peak
            bar.step(f"{strategy} (time)")
            solutions: list[Solution] = []

            def once(strategy: str = strategy, keep: list[Solution] = solutions) -> None:
                keep[:] = [_solve(problem, call_args, kwargs, strategy)]

            try:
                run.seconds = _best_time(once)
            except DPError as exc:  # e.g. naive refused past its call budget
                run.error = f"{type(exc).__name__}: {_one_line(exc)}"
                bar.advance()
                bar.advance()
                continue
            bar.advance()
            sol = solutions[0]
            run.value = sol.value
            if sol.stats:  # a fast run measures none
                run.calls, run.hits = sol.stats.calls, sol.stats.hits
            bar.step(f"{strategy} (memory)")
            with _traced_memory() as peak:
                _solve(problem, call_args, kwargs, strategy)
                run.peak = peak()
            bar.advance()
    done = [r for r in runs if not r.error]
    reference = done[0].value if done else None
    for run in done:
        run.agrees = _same(run.value, reference)
    agree = all(r.agrees for r in done)
    if args.json:
        record = {
            "problem": problem.name,
            "agree": agree,
            "runs": [
                {
                    "strategy": r.strategy,
                    "value": r.value,
                    "seconds": r.seconds,
                    "calls": r.calls,
                    "hits": r.hits,
                    "peak_bytes": r.peak,
                    "agrees": r.agrees,
                    **({"error": r.error} if r.error else {}),
                }
                for r in runs
            ],
        }
        out.write(_dumps(record) + "\n")
        return 0 if agree else 1
    rows = []
    for r in runs:
        if r.error:
            rows.append([r.strategy, "-", "-", "-", "-", "-", "skipped", r.error])
            continue
        rows.append(
            [
                r.strategy,
                _fmt_seconds(r.seconds),
                "-" if r.calls is None else str(r.calls),
                "-" if r.hits is None else str(r.hits),
                _fmt_bytes(r.peak),
                _short(_text(r.value), 40),
                "ok" if r.agrees else "DIFFERS",
                "",
            ]
        )
    header = ["strategy", "time", "calls", "hits", "peak memory", "value", "agrees", "note"]
    if not any(r.error for r in runs):
        header, rows = header[:-1], [row[:-1] for row in rows]
    lines = [_table(header, rows, right=[False, True, True, True, True]), ""]
    if not done:
        lines.append("no strategy finished")
    elif agree:
        lines.append(f"all {len(done)} strategies agree: value {_short(_text(reference), 60)}")
    else:
        lines.append(
            "STRATEGIES DISAGREE: "
            + ", ".join(r.strategy for r in done if not r.agrees)
            + f" differ from {done[0].strategy}"
        )
    if args.table:
        lines.append(f"table drawn to {args.table}")
    out.write("\n".join(lines) + "\n")
    return 0 if agree else 1


def _cmd_bench(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    import importlib

    from .bench import __main__ as bench_main
    from .bench._timing import format_rows

    suites: Sequence[str] = tuple(bench_main.SUITES)
    unknown = [name for name in args.suites if name not in suites]
    if unknown:
        raise UsageError(f"unknown suite {unknown[0]!r}; choose from {', '.join(suites)}")
    chosen = list(args.suites or suites)
    enabled = _progress_enabled(err, args.no_progress)
    with _Progress(len(chosen), stream=err, enabled=enabled, title="bench") as bar:
        for name in chosen:
            bar.step(name)
            modname = f"{bench_main.__package__}.{name}"
            try:
                module = importlib.import_module(modname)
            except ModuleNotFoundError as exc:
                if exc.name != modname:
                    raise
                out.write(f"\n## {name}\n\n(suite not available in this installation)\n")
                bar.advance()
                continue
            rows = module.run(quick=args.quick)
            bar.advance()
            out.write(f"\n## {name}\n\n{format_rows(rows)}\n")
            out.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
