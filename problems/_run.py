"""Running a catalog problem under a strategy: the rules every solver shares.

Private to :mod:`dptoolkit.problems`. Every public solver checks its own
arguments, then comes here, so these read the same everywhere:

* :func:`pick` checks ``strategy`` (``strategy='greedy' must be one of
  'auto', 'naive', ...``; a problem without a kernel adds ``rod_cutting has
  no 'fast' kernel``) and resolves ``"auto"``: ``"fast"`` where the problem
  has a kernel, ``"bottom_up"`` otherwise;
* :func:`run` runs the problem's recurrence; a ``naive`` run is first costed
  (calls and depth of the call tree) and refused with
  :class:`~dptoolkit.BudgetExceeded` before any work when it is too big;
* :func:`refuse_naive` is that refusal for a reason of the problem's own.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from dptoolkit._validate import check_choice, check_naive_budget, check_sequence, show
from dptoolkit.errors import BudgetExceeded, InvalidInput, InvalidType
from dptoolkit.spaces import Space, _range_size

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = [
    "ENGINE",
    "FAST_MEMORY_LIMIT",
    "NAIVE_DEPTH_LIMIT",
    "TABLE_STATE_LIMIT",
    "WITH_FAST",
    "check_memory",
    "check_symbols",
    "is_nan",
    "pick",
    "refuse_naive",
    "run",
    "same_type",
    "state",
]

#: The strategies the recurrence engine runs (a problem without a kernel).
ENGINE = ("naive", "top_down", "bottom_up")
#: The strategies of a problem with a hand-tuned kernel.
WITH_FAST = (*ENGINE, "fast")

#: Most levels of plain recursion below the goal that ``strategy="naive"`` may
#: make: each level is an interpreter frame, and the default limit is 1000.
NAIVE_DEPTH_LIMIT = 300

#: Most states a ``top_down`` or ``bottom_up`` run may compute: a table of Python
#: objects that size takes a few hundred MB and tens of seconds to fill.
TABLE_STATE_LIMIT = 2**25

#: Most memory (bytes) a ``fast`` kernel may set out to use: past it, a clear
#: error naming the argument instead of a ``MemoryError`` or a swapping machine.
FAST_MEMORY_LIMIT = 2**31


def pick(strategy: object, strategies: Sequence[str], *, problem: str) -> str:
    """Check *strategy* against ``("auto", *strategies)`` and resolve ``"auto"``.

    ``"auto"`` is ``"fast"`` where the problem has a kernel, else ``"bottom_up"``.
    """
    allowed = ("auto", *strategies)
    if isinstance(strategy, str) and strategy == "fast" and "fast" not in strategies:
        listed = ", ".join(repr(s) for s in allowed)
        raise InvalidInput(
            f"strategy='fast' must be one of {listed}; {problem} has no 'fast' kernel"
        )
    chosen = check_choice("strategy", strategy, allowed)
    if chosen == "auto":
        return "fast" if "fast" in strategies else "bottom_up"
    return chosen


def run(
    rec: Recurrence,
    goal: tuple[Any, ...],
    strategy: str,
    *,
    children: Callable[[Any], Iterable[Any]],
    visits: int | None = None,
) -> Solution:
    """``rec.solve(*goal, strategy=strategy)``, refused first when the run would be too big.

    *children* lists the states one call of the recurrence calls (repeats
    included), states written as the engine keys them: the bare argument
    for a one-argument recurrence, the tuple otherwise; a naive run is
    costed with it. A ``bottom_up`` run fills every declared state, and a
    ``top_down`` run computes at most *visits* states (a bound the problem
    knows, exact where its memo reaches every state); past
    :data:`TABLE_STATE_LIMIT` either is refused.
    """
    if strategy == "naive":
        start = goal[0] if len(goal) == 1 else goal
        check_naive_budget(children, start, max_depth=NAIVE_DEPTH_LIMIT)
    elif strategy == "bottom_up":
        filled = _size(rec.space(*goal))
        if filled is not None and filled > TABLE_STATE_LIMIT:
            raise _too_many_states(strategy, "fill", filled)
    elif visits is not None and visits > TABLE_STATE_LIMIT:
        raise _too_many_states(strategy, "compute up to", visits)
    return rec.solve(*goal, strategy=strategy)


def _size(space: object) -> int | None:
    """The number of states of a declared space, when it is known without listing them."""
    if isinstance(space, range):
        return _range_size(space)
    if isinstance(space, Space):
        return space.size
    return None


def _too_many_states(strategy: str, verb: str, states: int) -> BudgetExceeded:
    return BudgetExceeded(
        f"strategy={strategy!r} would {verb} {states:,} states on this instance (more than "
        f"{TABLE_STATE_LIMIT:,}); use another strategy or a smaller instance"
    )


def check_memory(
    name: str,
    value: object,
    nbytes: int,
    *,
    limit: int = FAST_MEMORY_LIMIT,
    shown: str | None = None,
    strategy: str = "fast",
) -> None:
    """Refuse a run (``fast`` unless *strategy* says) needing more than *limit* bytes because of *name*.

    The message shows ``name=value`` (*shown* replaces the value's ``repr``).
    """
    if nbytes > limit:
        raise InvalidInput(
            f"{name}={shown or show(value)} is too large for strategy={strategy!r}: it would need about "
            f"{nbytes / 2**30:,.1f} GiB of memory (more than {limit / 2**30:,.0f} GiB)"
        )


def refuse_naive(what: str) -> BudgetExceeded:
    """The error for a naive run refused for a problem-specific reason (*what* it would do)."""
    return BudgetExceeded(
        f"strategy='naive' would {what} on this instance; use 'top_down' or 'bottom_up'"
    )


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
        if is_nan(item):
            raise InvalidInput(f"{name}[{k}]={show(item)} never equals itself; remove NaN items")
    return seq


def is_nan(item: object) -> bool:
    """Whether *item* is a NaN of any number type (float, numpy scalar, Decimal, complex)."""
    return isinstance(item, numbers.Number) and bool(item != item)


def same_type(like: Sequence[Hashable], items: list[Hashable]) -> Sequence[Hashable]:
    """*items* as a sequence of *like*'s kind: ``str``, ``bytes``, ``tuple``, else a list."""
    if isinstance(like, str):
        return "".join(items)  # type: ignore[arg-type]
    if isinstance(like, (bytes, bytearray)):
        return type(like)(items)  # type: ignore[arg-type]
    if isinstance(like, tuple):
        return tuple(items)
    return items


def state(choices: Any, key: tuple[Any, ...]) -> Any:
    """The label recorded for *key* (states of one argument may be stored bare)."""
    if key in choices:
        return choices[key]
    if len(key) == 1 and key[0] in choices:
        return choices[key[0]]
    raise KeyError(key)
