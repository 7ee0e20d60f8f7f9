"""``solve(..., k=K)``: the K best, by running the body on :class:`~._kbest.KBest` values.

A derived recurrence runs a copy of the body whose calls of the recurrence go
to the running strategy's entry (:class:`~._kbest.Lifted` lifts each state's
result to a KBest); calls that reach the recurrence object itself (from a
helper) go to the derived one too. Any strategy runs it unchanged. The run
is kept as a :class:`~._kdistinct.KRun`, so ``k_best`` can draw more paths
when several give one witness.

``k=1`` is the plain solve: its best is the 1-best, and its recorded
choices are that entry's witness, so it costs what the plain solve costs.

Imports ``_kbest``, ``_kdistinct`` and ``_solution``; the derived recurrence
is made with the recurrence's own class, so this module does not import
``_decorator``.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

from ._kbest import Lifted, Refused, choices_of, finite, lift, refusal
from ._kdistinct import MOST_ENTRIES, KRun
from ._many import infeasible
from ._solution import Solution

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = ["solve_k"]


def _entries(
    rec: Recurrence, goal: tuple[Any, ...], strategy: str, max_calls: int | None, width: int
) -> tuple[list[tuple[Any, Any]], Any]:
    """A run carrying *width* entries per state: the goal's ``(value, trace)`` entries, stats."""
    func, set_route = rec._copy()
    body = Lifted(func, set_route, width, rec._signature, rec.__name__, MOST_ENTRIES)
    derived = type(rec)(body, states=rec._states)
    derived._k = width
    derived.__name__ = rec.__name__
    set_route(derived)  # until a strategy routes the copy to its entry
    token = rec._route.set(derived)
    collecting = gc.isenabled()
    if collecting:  # the traces are many small tuples, none in a cycle: nothing to collect
        gc.disable()
    try:
        run = derived._run(goal, strategy, max_calls, None)
    except Refused as exc:
        raise refusal(rec.__name__, width, exc.what) from None
    finally:
        if collecting:
            gc.enable()
        rec._route.reset(token)
    return lift(run.value, width).items(), run.stats


def solve_k(
    rec: Recurrence, goal: tuple[Any, ...], strategy: str, max_calls: int | None, k: int
) -> Solution:
    """The best solution of *goal*, with ``k_best``: the K best distinct witnesses, best first."""
    if k == 1:
        sol = rec._run(goal, strategy, max_calls, None)
        found = [] if infeasible(sol.value) else [(sol.value, None)]
        sol._kraw = KRun(1, found, 1, True, plain=True)
        return sol
    raw, stats = _entries(rec, goal, strategy, max_calls, k)

    def again(width: int) -> tuple[list[tuple[Any, Any]], bool]:
        wide, _ = _entries(rec, goal, strategy, max_calls, width)
        return finite(wide), len(wide) < width

    entries = finite(raw)
    best = entries[0] if entries else (raw[0][0], None)
    sol = Solution(best[0], strategy=strategy, stats=stats, choices=choices_of(best[1]))
    sol._goal = rec._key(goal)
    sol._kraw = KRun(k, entries, k, len(raw) < k, again, states=stats.states)
    return sol
