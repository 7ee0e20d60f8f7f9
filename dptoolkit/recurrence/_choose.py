"""``dp.choose``: pick the best candidate of a state and record the choice (and ties).

The one place a body tells the engine which candidate it picked: the label
goes to the running solve's :class:`~._seam.Run` (``choices``), and where
several candidates tie for the best, all their labels, the picked one first
(``ties``), so ``sol.count()`` and ``sol.witnesses()`` can follow every
optimal answer. In a ``k=`` run the candidates' values are
:class:`~._kbest.KBest` and the K best of them are kept
(:func:`~._kbest.choose_k`). Imports the seam and ``_kbest`` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._validate import show
from ..errors import InvalidInput
from ._kbest import choose_k
from ._seam import ACTIVE

__all__ = ["choose"]


def choose(candidates: Iterable[tuple[Any, Any]], best: Any) -> Any:
    """Pick the best ``(value, label)`` candidate and record its label.

    The label is recorded as the choice of the state being computed, in
    whichever strategy is running, so the witness can be rebuilt from
    ``sol.choices`` afterwards.

    Parameters
    ----------
    candidates : iterable of (value, label)
        The options of this state. A generator is fine: it is consumed
        before the choice is recorded.
    best : min or max
        ``min`` (or ``"min"``) for the smallest value, ``max`` for the largest;
        the first of equal values wins, and the labels of all equal to the
        best (``==``) are recorded as ties, for ``sol.count()`` and
        ``sol.witnesses()``.

    Returns
    -------
    The best value.

    Raises
    ------
    dptoolkit.InvalidInput
        If there are no candidates, or a candidate is not a pair, or *best* is
        not ``min`` or ``max``.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> dp.choose([(3, "left"), (5, "right"), (5, "down")], best=max)
    5
    >>> weights, values = (2, 3, 4), (3, 4, 6)
    >>> @dp.recurrence(states=lambda i, w: dp.grid(i + 1, w + 1))
    ... def knap(i, w):
    ...     if i == 0:
    ...         return 0
    ...     options = [(knap(i - 1, w), "skip")]
    ...     if weights[i - 1] <= w:
    ...         options.append((knap(i - 1, w - weights[i - 1]) + values[i - 1], "take"))
    ...     return dp.choose(options, best=max)
    >>> sol = knap.solve(3, 6, strategy="bottom_up")
    >>> sol.value, sol.choices[3, 6], sol.choices[2, 2]
    (9, 'take', 'skip')
    """
    if best is max or best == "max":
        maximize = True
    elif best is min or best == "min":
        maximize = False
    else:
        raise InvalidInput(f"best={show(best)} must be min or max")
    run = ACTIVE.get()
    state: Any = None
    if run is not None:
        stack = run.stack
        if stack is not None:
            state = stack[-1] if stack else None
        else:
            state = run.current() if run.current is not None else None
        if run.k is not None:
            return choose_k(candidates, maximize, state, run.k)
    found = False
    best_value: Any = None
    best_label: Any = None
    tied: list[Any] | None = None
    for item in candidates:
        try:
            value, label = item
        except (TypeError, ValueError):
            raise InvalidInput(f"candidate {show(item)} must be a (value, label) pair") from None
        if not found or (value > best_value if maximize else value < best_value):
            best_value, best_label, found = value, label, True
            tied = None
        elif value == best_value:
            if tied is None:
                tied = [best_label, label]
            else:
                tied.append(label)
    if not found:
        raise InvalidInput("candidates=[] must hold at least one (value, label) pair")
    if run is not None and run.choices is not None:
        run.choices[state] = best_label
        if tied is not None and run.ties is not None:
            run.ties[state] = tied
    return best_value
