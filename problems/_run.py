"""Running a catalog recurrence under a strategy (private to the string and graph problems)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from dptoolkit._validate import check_choice, check_naive_budget, check_sequence, show
from dptoolkit.errors import InvalidInput, InvalidType

__all__ = ["ENGINE", "STRATEGIES", "check_strategy", "check_symbols", "run", "state"]

#: Every strategy a solver with a fast kernel accepts.
STRATEGIES = ("auto", "naive", "top_down", "bottom_up", "fast")
#: The strategies the recurrence engine runs.
ENGINE = ("naive", "top_down", "bottom_up")


def check_strategy(strategy: object, allowed: Sequence[str] = STRATEGIES) -> str:
    """Return *strategy* if it is one of *allowed* (``strategy='greedy' must be one of ...``)."""
    return check_choice("strategy", strategy, allowed)


def check_symbols(name: str, value: object) -> Sequence[Hashable]:
    """A sequence of hashable items, none of them NaN (it would not equal itself)."""
    seq = check_sequence(name, value)
    if isinstance(seq, (str, bytes, bytearray)):
        return seq
    try:
        frozenset(seq)
        plain = True
    except TypeError:
        plain = False
    for k, item in enumerate(seq):
        if not plain:
            try:
                hash(item)
            except TypeError:
                raise InvalidType(f"{name}[{k}]={show(item)} must be hashable") from None
        if isinstance(item, float) and math.isnan(item):
            raise InvalidInput(f"{name}[{k}]={show(item)} never equals itself; remove NaN items")
    return seq


def run(
    rec: Any,
    goal: tuple[Any, ...],
    strategy: str,
    *,
    children: Callable[[Any], Iterable[Any]],
) -> Any:
    """``rec.solve(*goal, strategy=...)``; a naive run is first costed and refused if too big.

    *children* lists the states one call of the recurrence makes, for the
    pre-flight count of :func:`dptoolkit._validate.check_naive_budget`.
    """
    if strategy == "naive":
        check_naive_budget(children, goal)
    return rec.solve(*goal, strategy=strategy)


def state(choices: Any, key: tuple[Any, ...]) -> Any:
    """The label recorded for *key* (states of one argument may be stored bare)."""
    if key in choices:
        return choices[key]
    if len(key) == 1 and key[0] in choices:
        return choices[key[0]]
    raise KeyError(key)
