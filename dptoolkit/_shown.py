"""How a :class:`~dptoolkit.Solution` shows itself: stats that say why they are missing,
the notebook display, the table picture, and its witness fields in ``dir()``.

A mixin, so the recurrence engine's ``Solution`` keeps its one idea (the
answer of a solve) and takes these few methods from here; the work is done in
:mod:`dptoolkit._html` and :mod:`dptoolkit._plot`.
"""

from __future__ import annotations

from typing import Any

from ._labels import NoStats, missing

__all__ = ["Shown"]


class Shown:
    """Display methods of a Solution (it sets ``_stats``, ``_fields`` and ``_labels``)."""

    _stats: Any
    _fields: tuple[str, ...]
    #: the public names this mixin adds (no witness field may take them)
    NAMES = frozenset({"stats", "draw_table"})

    @property
    def stats(self) -> Any:
        """What the run did: a :class:`~dptoolkit.Stats`.

        A run that measures nothing (``fast``) gives a false object whose
        attributes raise :class:`~dptoolkit.errors.NotRecorded` naming the
        strategies that do, so ``if sol.stats:`` reads as expected.
        """
        if self._stats is None:
            return NoStats(missing(self, "stats"))  # type: ignore[arg-type]
        return self._stats

    def draw_table(self, path: Any = None, **options: Any) -> Any:
        """The table as a matplotlib Figure (the ``plot`` extra), saved to *path* if given.

        Axes are named by the problem; the goal cell and the witness path are
        marked. See :doc:`the Seeing it page <../seeing>`.

        Raises
        ------
        dptoolkit.errors.NotRecorded
            When the run keeps no table (only ``bottom_up`` does).
        """
        from ._plot import draw_solution

        return draw_solution(self, path, **options)  # type: ignore[arg-type]

    def _repr_html_(self) -> str:
        from ._html import solution_html

        return solution_html(self)  # type: ignore[arg-type]

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._fields))
