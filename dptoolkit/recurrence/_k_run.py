"""``solve(..., k=K)``: the K best, by running the body on :class:`~._kbest.KBest` values.

A derived recurrence runs a copy of the body whose calls of the recurrence go
to the running strategy's entry (:class:`~._kbest.Lifted` lifts each state's
result to a KBest); calls that reach the recurrence object itself (from a
helper) go to the derived one too. Any strategy runs it unchanged. Imports
``_kbest`` and ``_solution``; the derived recurrence is made with the
recurrence's own class, so this module does not import ``_decorator``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._kbest import Lifted, Refused, choices_of, entries_of, lift, refusal
from ._solution import Solution

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = ["solve_k"]


def solve_k(
    rec: Recurrence, goal: tuple[Any, ...], strategy: str, max_calls: int | None, k: int
) -> Solution:
    """The best solution of *goal*, with ``k_best``: the K best, best first."""
    func, set_route = rec._copy()
    body = Lifted(func, set_route, k, rec._signature, rec.__name__)
    derived = type(rec)(body, states=rec._states)
    derived._k = k
    derived.__name__ = rec.__name__
    set_route(derived)  # until a strategy routes the copy to its entry
    token = rec._route.set(derived)
    try:
        run = derived._run(goal, strategy, max_calls, None)
    except Refused as exc:
        raise refusal(rec.__name__, k, exc.what) from None
    finally:
        rec._route.reset(token)
    entries = list(entries_of(run.value))
    best = entries[0] if entries else (lift(run.value, k).entries[0][0], None)
    sol = Solution(best[0], strategy=strategy, stats=run.stats, choices=choices_of(best[1]))
    sol._goal = rec._key(goal)
    sol._kraw = entries
    return sol
