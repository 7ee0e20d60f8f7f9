"""More than one answer from a catalog solver: ``k=``, and ``count()`` after ``auto``.

Private to :mod:`dptoolkit.problems`. The rules every solver shares:

* :func:`pick_k` checks ``k`` (``None`` or a positive int) and resolves the
  strategy: with ``k=``, ``"auto"`` is ``"bottom_up"`` (a kernel records no
  choices), and ``"fast"`` is refused with :class:`~dptoolkit.InvalidInput`
  naming the strategies that can;
* :func:`engine_later` marks a kernel's answer to an ``"auto"`` solve, so its
  ``count()`` and ``witnesses()`` re-solve once with ``bottom_up`` (the value
  stays the kernel's); an explicit ``strategy="fast"`` answer refuses them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from dptoolkit._validate import check_int
from dptoolkit.errors import InvalidInput

from ._run import pick

if TYPE_CHECKING:
    from dptoolkit.recurrence import Solution

__all__ = ["engine_later", "pick_k"]


def pick_k(
    strategy: object, strategies: Sequence[str], *, problem: str, k: object
) -> tuple[str, int | None]:
    """The strategy to run (as :func:`~._run.pick`) and the checked *k*.

    >>> pick_k("auto", ("naive", "top_down", "bottom_up", "fast"), problem="knapsack", k=3)
    ('bottom_up', 3)
    >>> pick_k("fast", ("naive", "top_down", "bottom_up", "fast"), problem="knapsack", k=3)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: k=3 needs the choices a solve records, and knapsack's 'fast' kernel records none; use strategy 'auto', 'bottom_up', 'top_down' or 'naive'
    """
    chosen = pick(strategy, strategies, problem=problem)
    if k is None:
        return chosen, None
    kk = check_int("k", k, minimum=1)
    if chosen == "fast":
        if strategy == "auto":
            return "bottom_up", kk
        raise InvalidInput(
            f"k={kk} needs the choices a solve records, and {problem}'s 'fast' kernel records "
            "none; use strategy 'auto', 'bottom_up', 'top_down' or 'naive'"
        )
    return chosen, kk


def engine_later(sol: Solution, asked: object, again: Callable[[], Solution]) -> Solution:
    """*sol* (a kernel's answer); if *asked* was ``"auto"``, ``count()``/``witnesses()`` use *again*."""
    if asked == "auto":
        sol._again = again
    return sol
