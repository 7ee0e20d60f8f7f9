"""The dptoolkit catalog: classic dynamic-programming problems, solved every way.

Each problem is a module named by its catalog name (``knapsack``,
``shortest_path``, ...). It defines its recurrence once with
``@dp.recurrence`` and exposes ``solve(..., strategy="auto")`` returning a
:class:`dptoolkit.Solution`, ``build(...)`` (the recurrence and its goal),
``brute_force(...)`` and ``PROBLEMS`` (its :class:`dptoolkit.Problem`
entries). Use :func:`dptoolkit.catalog` to list them.

The modules load on first use: ``import dptoolkit.problems as P`` costs a
directory listing, and ``P.knapsack`` imports the knapsack module then.
``__all__`` and ``dir(P)`` list every public module of the package, found by
scanning it (so a new module needs no registration): the problem modules,
and ``graph_paths``, which keeps the five graph problems' first names as
functions (``graph_paths.shortest_path`` is ``shortest_path.solve``).

Every solver reads its arguments the same way and refuses, before any work,
what it could not finish: a ``naive`` run past a million calls or 300 levels
of recursion, a ``top_down`` or ``bottom_up`` run past 2**25 states
(:class:`dptoolkit.BudgetExceeded`), and a ``fast`` kernel that would need
more than 2 GiB (:class:`dptoolkit.InvalidInput` naming the argument).
Exact numbers stay exact: ``int``, ``Fraction`` and ``Decimal`` inputs give
results of the same kind in every strategy, and a mix that would round
(``Fraction`` with ``float``) is refused with :class:`dptoolkit.InvalidType`.

>>> import dptoolkit.problems as P
>>> "knapsack" in P.__all__ and "shortest_path" in dir(P)
True
>>> P.knapsack.solve([1, 2], [3, 4], 2).value
4
"""

from __future__ import annotations

import importlib as _importlib
import pkgutil as _pkgutil
import types as _types

#: Every public module of the package (names not starting with ``_``), by a scan
#: of its directory (or archive): nothing is imported to list them.
__all__ = sorted(
    info.name for info in _pkgutil.iter_modules(__path__) if not info.name.startswith("_")
)


def __getattr__(name: str) -> _types.ModuleType:
    if name in __all__:
        return _importlib.import_module(f"{__name__}.{name}")  # binds it here for next time
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | {n for n in globals() if n.startswith("__")})
