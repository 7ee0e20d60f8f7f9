"""The ``dptoolkit`` command: browse the catalog, solve, trace, compare, benchmark.

Run ``dptoolkit --help`` (or ``python -m dptoolkit --help``) for the list of
subcommands, and ``dptoolkit SUBCOMMAND --help`` for each one:

    dptoolkit list                                   # the catalog as a table
    dptoolkit show knapsack                          # statement, recurrence, example
    dptoolkit solve knapsack '[1,3,5,2]' '[10,20,100,22]' 10
    dptoolkit solve edit_distance kitten sitting --json
    dptoolkit solve knapsack '[1,1,2]' '[1,1,2]' 2 --count --all --k 3
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
``"-inf"`` and ``"nan"`` (JSON has no such numbers). ``solve --json`` names
the strategy that ran and, when ``auto`` chose it, ``"chosen_by": "auto"``;
``trace --json`` gives the call tree as ``nodes`` in call order (each with
``call``, ``state``, ``value``, ``hit``, ``depth``, ``parent`` and
``children`` ids); ``compare --json`` gives each run's ``witness`` with
``witness_same`` and ``witness_valid``; ``solve --count/--all/--k`` add
``count``, ``witnesses`` and ``k_best`` (with ``k_strategy``); ``bench --json`` each suite's rows,
``"seconds": null`` where a figure was not measured.

Exit status
-----------
0 on success; 1 when ``compare`` finds strategies that disagree, or on an
unexpected internal error; 2 for bad input (an unknown problem, a bad
argument, a missing optional extra, an instance that every strategy
``compare`` runs refuses), reported as one line on stderr, never
a traceback. Set ``DPTOOLKIT_DEBUG=1`` to see the traceback of an internal
error.

This package is the one place in dptoolkit that writes to the standard
streams; the library itself only returns data. One module per subcommand
(``list_``, ``show``, ``solve``, ``trace``, ``compare``, ``bench``: each an
``add_parser(sub)`` and a ``run(args, out, err)``) over the shared
``_common`` (arguments, problems, pictures), ``_format`` (text and JSON),
``_progress`` (the progress bar), ``_rst`` (docstrings as plain text) and
``_witness`` (what a witness means, and checking one). With the ``cli``
extra (rich) installed, progress bars and the tables printed to a terminal
are rich's; without it, plain text of the same content.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import _explain_cli as explain
from ..errors import DPError
from . import bench, compare, list_, show, solve, trace
from ._common import PROG, UsageError, _Parser
from ._format import _one_line, _say

__all__ = ["main"]


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
    for command in (list_, show, solve, trace, compare, bench, explain):
        command.add_parser(sub)
    return parser


def _version() -> str:
    from .. import __version__

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
