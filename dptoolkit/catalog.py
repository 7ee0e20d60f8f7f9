"""The registry of solved problems in :mod:`dptoolkit.problems`.

``dp.catalog()`` lists every problem; ``dp.catalog("knapsack")`` returns one.
Each problem module declares its entries in a module-level ``PROBLEMS`` tuple
of :class:`Problem`; this module only finds and indexes them. It finds them
itself: every public module of :mod:`dptoolkit.problems` (the package's
``__all__``, a scan of its directory, so an installed wheel and a source
checkout find the same) that exposes ``PROBLEMS``. The problem modules are
imported on the first call, so ``import dptoolkit`` stays light.

This module is callable: ``dp.catalog`` *is* this module, so both
``dp.catalog("knapsack")`` and ``import dptoolkit.catalog`` (then
``dptoolkit.catalog.Problem``, ``dptoolkit.catalog("lis")``) work.

>>> import dptoolkit.catalog
>>> dptoolkit.catalog("fib").name, dptoolkit.catalog.Problem.__name__
('fibonacci', 'Problem')
"""

from __future__ import annotations

import difflib
import importlib
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from .errors import InvalidInput, InvalidType

if TYPE_CHECKING:
    from .recurrence import Recurrence, Solution

__all__ = ["Problem", "catalog", "problem_modules"]


@dataclass(frozen=True)
class Problem:
    """One catalog entry: what the problem is, and how to solve and study it.

    Attributes
    ----------
    name:
        The catalog name (``"knapsack"``); hyphenated spellings are accepted too.
    summary:
        One line: what is computed.
    recurrence:
        The recurrence as text, as a textbook would print it.
    time, space:
        Complexity of the ``bottom_up`` strategy, e.g. ``"O(n W)"``.
    strategies:
        The strategies ``solve`` accepts, besides ``"auto"``.
    solve:
        ``solve(*args, strategy="auto", **kwargs) -> dp.Solution``.
    module:
        The dotted name of the defining module.
    example:
        Arguments of a small instance, for ``dptoolkit show`` and the docs.
    witness:
        The names of the witness fields on the returned Solution.
    build:
        ``build(*args, **kwargs) -> (recurrence, goal)``: the problem's one
        ``@dp.recurrence`` for this instance and the goal state, for tracing
        and for comparing strategies. ``None`` when there is none.
    coerce:
        Turns JSON-literal command-line arguments into ``solve`` arguments
        (e.g. an edge list into a networkx graph). Identity by default.
    aliases:
        Other accepted names.
    """

    name: str
    summary: str
    recurrence: str
    time: str
    space: str
    strategies: tuple[str, ...]
    solve: Callable[..., Solution]
    module: str
    example: tuple[Any, ...] = ()
    witness: tuple[str, ...] = ()
    build: Callable[..., tuple[Recurrence, tuple[Any, ...]]] | None = None
    coerce: Callable[[Sequence[Any]], tuple[Any, ...]] | None = None
    aliases: tuple[str, ...] = field(default=())

    @property
    def doc(self) -> str:
        """The defining module's docstring: statement, recurrence, example, references."""
        return importlib.import_module(self.module).__doc__ or ""

    def __repr__(self) -> str:
        return f"<Problem {self.name}: {self.summary}>"

    def _repr_html_(self) -> str:
        from ._html import problem_html

        return problem_html(self)


def _normalize(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def problem_modules() -> list[str]:
    """The dotted names of the modules of :mod:`dptoolkit.problems` that register entries."""
    package = importlib.import_module("dptoolkit.problems")
    names = [f"{package.__name__}.{name}" for name in package.__all__]
    return [name for name in names if hasattr(importlib.import_module(name), "PROBLEMS")]


def _load() -> dict[str, Problem]:
    index: dict[str, Problem] = {}
    for modname in problem_modules():
        for problem in importlib.import_module(modname).PROBLEMS:
            index[problem.name] = problem
    return index


_index: dict[str, Problem] | None = None


def _problems() -> dict[str, Problem]:
    global _index
    if _index is None:
        _index = _load()
    return _index


@overload
def catalog() -> list[Problem]: ...
@overload
def catalog(name: str) -> Problem: ...
def catalog(name: str | None = None) -> list[Problem] | Problem:
    """List the catalog, or look one problem up by name.

    Parameters
    ----------
    name:
        A problem name such as ``"knapsack"`` or ``"edit-distance"``; omit it
        to get every problem, sorted by name.

    Raises
    ------
    dptoolkit.InvalidInput
        For an unknown name; the message suggests the closest names.
    """
    problems = _problems()
    if name is None:
        from ._html import Catalog

        return Catalog(problems[key] for key in sorted(problems))
    if not isinstance(name, str):
        raise InvalidType(f"name={name!r} must be a problem name (a string)")
    wanted = _normalize(name)
    for problem in problems.values():
        if wanted == problem.name or wanted in (_normalize(a) for a in problem.aliases):
            return problem
    close = difflib.get_close_matches(wanted, list(problems), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise InvalidInput(f"name={name!r} is not a catalog problem{hint}")


class _CallableModule(types.ModuleType):
    """This module's type: calling the module calls :func:`catalog`."""

    def __call__(self, name: str | None = None) -> list[Problem] | Problem:
        return catalog() if name is None else catalog(name)


sys.modules[__name__].__class__ = _CallableModule
