"""The bottom-up replay of the explain page: each state in the declared order, and what it reads.

A bottom-up run makes no recursive calls: it computes the declared states in
order, and each recursive call of the body is a read of a cell filled
before. :func:`bottom_up_steps` runs the body that way through the strategy
seam (:mod:`dptoolkit.recurrence._seam`) and records, per state, the states
it read, so the page can fill the table in the declared order with arrows to
the cells each one reads. The counts are the engine's: a state computed is a
miss, a read a hit (``calls = misses + hits``).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from .errors import DPError, InvalidInput

if TYPE_CHECKING:
    from .recurrence import Recurrence

__all__ = ["MAX_READS", "bottom_up_steps"]

#: Most reads a replay records before it gives up (the page would be too long).
MAX_READS = 20_000


def bottom_up_steps(
    rec: Recurrence, goal: tuple[Any, ...], max_states: int
) -> list[tuple[Any, list[Any], Any]] | None:
    """``[(state, [states read], value), ...]`` in the declared order, or ``None``.

    ``None`` when the recurrence declares no states, declares more than
    *max_states*, reads more than :data:`MAX_READS` cells, or fails to run
    that way (the page then shows the top-down replay only). States are keyed
    as the engine keys them (bare for one-argument recurrences).

    Examples
    --------
    >>> import dptoolkit as dp
    >>> @dp.recurrence(states=lambda n: range(n + 1))
    ... def fib(n):
    ...     return n if n < 2 else fib(n - 1) + fib(n - 2)
    >>> bottom_up_steps(fib, (3,), 100)
    [(0, [], 0), (1, [], 1), (2, [1, 0], 1), (3, [2, 1], 2)]
    """
    from .recurrence import _seam  # the strategy seam: see its docstring

    try:
        space = rec.space(*goal)
    except DPError:
        return None
    if space is None:  # no states declared
        return None
    declared = list(itertools.islice(space, max_states + 1))
    if len(declared) > max_states:
        return None
    key, normalize = rec._key, rec._normalize
    arity, varargs = rec._arity, rec._varargs
    done: dict[Any, Any] = {}
    reads: list[Any] = []
    total = 0
    current: list[Any] = [None]

    def read(*args: Any, **kw: Any) -> Any:
        nonlocal total
        if kw or (not varargs and len(args) != arity):
            args = normalize(args, kw)
        state = key(args)
        if state not in done:
            raise InvalidInput(f"{rec._fmt(args)} is read before it is filled")
        total += 1
        if total > MAX_READS:
            raise InvalidInput(f"more than {MAX_READS} reads")
        reads.append(state)
        return done[state]

    body = rec._rebind(read)
    steps: list[tuple[Any, list[Any], Any]] = []
    try:
        with _seam.routed(rec, read, _seam.Run(lambda: current[0], {})):
            for item in declared:
                args = item if isinstance(item, tuple) else (item,)
                state = key(args)
                current[0] = state
                reads.clear()
                value = body(*args)
                done[state] = value
                steps.append((state, list(reads), value))
    except DPError:
        return None
    return steps
