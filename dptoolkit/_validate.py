"""Argument validation in one place.

Every public entry point checks its arguments with these helpers, so bad input
fails fast with one kind of message: the argument's name, its value, and what
was expected (``capacity=-3 must be a non-negative integer``). Type problems
raise :class:`~dptoolkit.errors.InvalidType` (also a ``TypeError``); value
problems raise :class:`~dptoolkit.errors.InvalidInput` (a ``ValueError``).
"""

from __future__ import annotations

import inspect
import itertools
import math
import numbers
import reprlib
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from .errors import BudgetExceeded, InvalidInput, InvalidType

__all__ = [
    "NAIVE_CALL_LIMIT",
    "check_callable",
    "check_choice",
    "check_clock",
    "check_function_kind",
    "check_int",
    "check_naive_budget",
    "check_number",
    "check_numbers",
    "check_sequence",
    "show",
]

T = TypeVar("T")

_repr = reprlib.Repr()
_repr.maxstring = 40
_repr.maxother = 40
_repr.maxlist = 8
_repr.maxtuple = 8
_repr.maxdict = 6
_repr.maxset = 6


def show(value: object) -> str:
    """A short ``repr`` of *value* for an error message (long values are cut)."""
    return _repr.repr(value)


def _is_int(value: object) -> bool:
    # bool is an int subclass, but True as a capacity is almost surely a bug.
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(
    name: str,
    value: object,
    *,
    minimum: int | None = 0,
    maximum: int | None = None,
) -> int:
    """Return *value* as an ``int`` if it is an integer within bounds.

    >>> check_int("n", 5)
    5
    >>> check_int("capacity", -3)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: capacity=-3 must be a non-negative integer
    """
    what = _int_phrase(minimum, maximum)
    if not _is_int(value):
        raise InvalidType(f"{name}={show(value)} must be {what}")
    ivalue: int = int(value)  # type: ignore[call-overload]
    if (minimum is not None and ivalue < minimum) or (maximum is not None and ivalue > maximum):
        raise InvalidInput(f"{name}={show(value)} must be {what}")
    return ivalue


def _int_phrase(minimum: int | None, maximum: int | None) -> str:
    if minimum == 0 and maximum is None:
        return "a non-negative integer"
    if minimum == 1 and maximum is None:
        return "a positive integer"
    if minimum is None and maximum is None:
        return "an integer"
    if maximum is None:
        return f"an integer >= {minimum}"
    if minimum is None:
        return f"an integer <= {maximum}"
    return f"an integer between {minimum} and {maximum}"


def check_number(
    name: str,
    value: object,
    *,
    allow_negative: bool = True,
    allow_float: bool = True,
    allow_inf: bool = False,
) -> int | float:
    """Return *value* if it is a real number (never NaN, never bool).

    >>> check_number("weight", 2.5)
    2.5
    >>> check_number("weight", float("nan"))
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: weight=nan must be a number, not NaN
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "a number" if allow_float else "an integer"
        raise InvalidType(f"{name}={show(value)} must be {kind}")
    if not allow_float and not isinstance(value, numbers.Integral):
        raise InvalidType(f"{name}={show(value)} must be an integer")
    number: int | float = int(value) if isinstance(value, numbers.Integral) else float(value)
    if isinstance(number, float):
        if math.isnan(number):
            raise InvalidInput(f"{name}={show(value)} must be a number, not NaN")
        if math.isinf(number) and not allow_inf:
            raise InvalidInput(f"{name}={show(value)} must be finite")
    if not allow_negative and number < 0:
        raise InvalidInput(f"{name}={show(value)} must be non-negative")
    return number


def check_sequence(name: str, value: object, *, allow_str: bool = True) -> Sequence[Any]:
    """Return *value* if it is a sized, indexable sequence (``None`` is refused).

    Iterators and generators are materialized into a tuple once, so a solver
    can index them; sets and dicts are refused because they have no order.

    >>> check_sequence("a", "abc")
    'abc'
    >>> check_sequence("seq", None)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidType: seq=None must be a sequence (list, tuple, str, ...)
    """
    if isinstance(value, (str, bytes)):
        if not allow_str:
            raise InvalidType(f"{name}={show(value)} must be a sequence of numbers, not a string")
        return value
    if isinstance(value, Sequence):
        return value
    if _is_ndarray(value):
        arr: Any = value
        if arr.ndim != 1:
            raise InvalidInput(f"{name} must be one-dimensional, got an array of shape {arr.shape}")
        return arr.tolist()  # type: ignore[no-any-return]
    if isinstance(value, (Collection, dict)) or value is None or not isinstance(value, Iterable):
        raise InvalidType(f"{name}={show(value)} must be a sequence (list, tuple, str, ...)")
    return tuple(value)


def _is_ndarray(value: object) -> bool:
    return type(value).__module__ == "numpy" and type(value).__name__ == "ndarray"


def check_numbers(
    name: str,
    values: object,
    *,
    allow_negative: bool = True,
    allow_float: bool = True,
    minimum: int | None = None,
) -> list[int | float]:
    """Check a sequence of numbers element by element; messages name ``name[i]``.

    >>> check_numbers("weights", [3, 4])
    [3, 4]
    >>> check_numbers("weights", [3, -4], allow_negative=False)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: weights[1]=-4 must be non-negative
    """
    seq = check_sequence(name, values, allow_str=False)
    out: list[int | float] = []
    for i, item in enumerate(seq):
        number = check_number(
            f"{name}[{i}]", item, allow_negative=allow_negative, allow_float=allow_float
        )
        if minimum is not None and number < minimum:
            raise InvalidInput(f"{name}[{i}]={show(item)} must be >= {minimum}")
        out.append(number)
    return out


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Return *value* if it is one of *choices*; the message lists them.

    >>> check_choice("strategy", "greedy", ["naive", "top_down"])
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: strategy='greedy' must be one of 'naive', 'top_down'
    """
    options = list(choices)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(c) for c in options)
        error = InvalidInput if isinstance(value, str) else InvalidType
        raise error(f"{name}={show(value)} must be one of {listed}")
    return value


def check_callable(name: str, value: T | None, *, optional: bool = True) -> T | None:
    """Return *value* if it is callable (or ``None`` when *optional*).

    >>> check_callable("key", 3)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidType: key=3 must be callable or None
    """
    if value is None and optional:
        return None
    checked: object = value  # a T may be anything: mypy must not assume it callable
    if not callable(checked):
        tail = " or None" if optional else ""
        raise InvalidType(f"{name}={show(value)} must be callable{tail}")
    return value


def check_function_kind(name: str, func: object, *, allow_async: bool) -> None:
    """Refuse a function whose calls a cache cannot hand out twice.

    A generator function returns a one-shot iterator: cached, the second
    caller would get it used up. An ``async def`` body of a recurrence
    returns a coroutine, which can be awaited only once (``memoize`` runs
    those itself: *allow_async*).

    >>> def evens(n):
    ...     yield from range(0, n, 2)
    >>> check_function_kind("func", evens, allow_async=True)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidType: func=evens is a generator function: a cached call would hand out a used-up iterator; return a list or tuple instead
    """
    target = inspect.unwrap(func) if callable(func) else func
    label = getattr(func, "__qualname__", None) or show(func)
    if inspect.isgeneratorfunction(target) or inspect.isasyncgenfunction(target):
        raise InvalidType(
            f"{name}={label} is a generator function: a cached call would hand out a used-up "
            "iterator; return a list or tuple instead"
        )
    if not allow_async and inspect.iscoroutinefunction(target):
        raise InvalidType(
            f"{name}={label} is an async function: its calls return coroutines, each awaitable "
            "once; write the recurrence as a plain function"
        )


def check_clock(name: str, clock: Callable[[], object]) -> Callable[[], float]:
    """*clock* wrapped so that every reading is checked: a real number of seconds, never NaN.

    A clock that returns text fails at its first reading with the option's
    name instead of deep in an expiry sum; a NaN reading, which compares
    false with everything and so would keep every entry forever, is refused too.

    >>> check_clock("timer", lambda: "noon")()
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidType: timer() returned 'noon'; timer= must return a number of seconds
    """

    def read() -> float:
        now = clock()
        if type(now) is float and now == now:
            return now
        if isinstance(now, bool) or not isinstance(now, numbers.Real):
            raise InvalidType(
                f"{name}() returned {show(now)}; {name}= must return a number of seconds"
            )
        if now != now:
            raise InvalidInput(f"{name}() returned {show(now)}; {name}= must not return NaN")
        return float(now)

    return read


#: Calls a ``strategy="naive"`` run of a catalog problem may make (about a second or two).
NAIVE_CALL_LIMIT = 1_000_000

S = TypeVar("S", bound=Hashable)


def check_naive_budget(
    children: Callable[[S], Iterable[S]],
    goal: S,
    *,
    limit: int = NAIVE_CALL_LIMIT,
    max_depth: int | None = None,
) -> int:
    """Count the calls plain recursion makes from *goal*; refuse before starting past *limit*.

    ``children(state)`` yields the states the recurrence calls from *state*,
    once per call (repeats included). The count is the size of the call tree,
    found by counting over the distinct states, so the check costs about what
    one ``top_down`` run would, never what the exponential run would. With
    *max_depth*, a chain of calls more than that many levels below the goal
    is refused too (plain recursion has one interpreter frame per level).

    >>> check_naive_budget(lambda n: [n - 1, n - 2] if n > 1 else [], 20)
    21891
    >>> check_naive_budget(lambda n: [n - 1, n - 2] if n > 1 else [], 40)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.BudgetExceeded: strategy='naive' would make more than 1,000,000 calls on this instance; use 'top_down' or 'bottom_up'
    >>> check_naive_budget(lambda n: [n - 1] if n else [], 500, max_depth=300)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.BudgetExceeded: strategy='naive' would recurse more than 300 levels deep on this instance; use 'top_down' or 'bottom_up'
    """

    def too_many() -> BudgetExceeded:
        return BudgetExceeded(
            f"strategy='naive' would make more than {limit:,} calls on this instance; "
            "use 'top_down' or 'bottom_up'",
            max_calls=limit,
        )

    def too_deep() -> BudgetExceeded:
        return BudgetExceeded(
            f"strategy='naive' would recurse more than {max_depth:,} levels deep on "
            "this instance; use 'top_down' or 'bottom_up'"
        )

    counts: dict[S, int] = {}
    heights: dict[S, int] = {}  # the deepest chain of calls below each state
    # (state, level): each entry is one call of the tree, `level` calls below the goal,
    # so a long stack or a deep entry settles the answer before the count is done
    stack: list[tuple[S, int]] = [(goal, 0)]
    while stack:
        state, level = stack[-1]
        if state in counts:
            stack.pop()
            continue
        kids = tuple(itertools.islice(children(state), limit + 1))  # a lazy list may be huge
        if len(kids) > limit:
            raise too_many()
        pending = [(kid, level + 1) for kid in kids if kid not in counts]
        if pending:
            if max_depth is not None and level >= max_depth:
                raise too_deep()
            stack.extend(pending)
            if len(stack) > limit:
                raise too_many()
            continue
        total = 1 + sum(counts[kid] for kid in kids)
        if total > limit or len(counts) >= limit:
            raise too_many()
        if max_depth is not None:
            height = 1 + max((heights[kid] for kid in kids), default=-1)
            if level + height > max_depth:
                raise too_deep()
            heights[state] = height
        counts[state] = total
        stack.pop()
    return counts[goal]
