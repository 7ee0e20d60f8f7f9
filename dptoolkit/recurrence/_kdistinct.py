"""``sol.k_best``: the K best *distinct* witnesses of a ``k=`` solve, each once.

A ``k=K`` run carries the K best choice paths of every state (:mod:`._kbest`).
Where the problem's witness map (``witness_of`` of ``Solution.with_fields``)
is one-to-one, those are the K best witnesses. Where several paths give one
witness (two orders of paying the same coins), the K best paths may hold
fewer than K witnesses. Then more paths are drawn: the run is repeated with 4
times as many entries per state (its best entries are the first of the wider
run's: every merge keeps its order), each path's witness keyed by its fields
(:func:`~._many.freeze`), until K distinct witnesses are found or the paths
run out. A witness is valued by its best path.

The draw is bounded: past :func:`most_drawn` paths (``max(16 K, 256)``), or
a wider run that would hold more than :data:`MOST_ENTRIES` entries over all
its states, ``k_best`` raises :class:`~dptoolkit.BudgetExceeded`, since the
cost grows with the paths drawn (a run with P entries per state costs about
P times the plain solve, and holds P entries a state), and a map that folds
that many paths into one witness wants a recurrence with one path per
witness.

Imports ``_kbest`` and ``_many`` only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import BudgetExceeded
from ._kbest import choices_of
from ._many import derived, freeze

__all__ = ["MOST_ENTRIES", "KRun", "k_best_of", "most_drawn"]

Entries = list[tuple[Any, Any]]

#: how much wider each repeated run is
GROWTH = 4

#: the most entries (over all states) a repeated, wider run may hold
MOST_ENTRIES = 1 << 22


def most_drawn(k: int) -> int:
    """The most choice paths a ``k=K`` solve draws to find K distinct witnesses."""
    return max(16 * k, 256)


class KRun:
    """What a ``k=K`` solve found: its finite ``(value, trace)`` entries, and how to draw more.

    *width* is the entries per state of the run that found them; *complete*
    says the goal had fewer (every path is drawn); *again* reruns with a
    wider width, returning ``(entries, complete)``. A plain-solve answer of
    ``k=1`` has ``plain`` set: its one entry's choices are the solution's own.
    """

    __slots__ = ("again", "complete", "entries", "k", "plain", "states", "width")

    def __init__(
        self,
        k: int,
        entries: Entries,
        width: int,
        complete: bool,
        again: Callable[[int], tuple[Entries, bool]] | None = None,
        *,
        plain: bool = False,
        states: int = 0,
    ) -> None:
        self.k = k
        self.entries = entries
        self.width = width
        self.complete = complete
        self.again = again
        self.plain = plain
        self.states = states

    def wider(self) -> bool:
        """Draw more paths (a wider run); False when there are no more to draw."""
        if self.complete or self.again is None:
            return False
        width = min(self.width * GROWTH, most_drawn(self.k))
        if self.width >= width or width * self.states > MOST_ENTRIES:
            raise BudgetExceeded(
                f"k={self.k}: the {self.k} best distinct witnesses are not among the "
                f"{self.width:,} best choice paths (several paths give one witness), and "
                f"{width:,} would be past the bound; write the recurrence so that each "
                "witness is one path, or ask a smaller k"
            )
        self.entries, self.complete = self.again(width)
        self.width = width
        return True


def _entry(sol: Any, run: KRun, value: Any, trace: Any) -> Any:
    choices = sol.choices if run.plain else choices_of(trace)
    return derived(sol, value, choices)


def k_best_of(sol: Any, run: KRun) -> list[Any]:
    """The K best distinct witnesses of *sol* (a ``k=`` solve), best first, each once."""
    k = run.k
    if sol._hook.witness_of is None:  # no fields: each path is its own witness
        return [_entry(sol, run, v, t) for v, t in run.entries[:k]]
    while True:
        seen: set[Any] = set()
        out: list[Any] = []
        for value, trace in run.entries:
            each = _entry(sol, run, value, trace)
            mark = freeze({name: getattr(each, name) for name in each.fields})
            if mark in seen:
                continue
            seen.add(mark)
            out.append(each)
            if len(out) == k:
                return out
        if not run.wider():
            return out
