"""Argument validation in one place.

Every public entry point checks its arguments with these helpers, so bad input
fails fast with one kind of message: the argument's name, its value, and what
was expected (``capacity=-3 must be a non-negative integer``). Type problems
raise :class:`~dptoolkit.errors.InvalidType` (also a ``TypeError``); value
problems raise :class:`~dptoolkit.errors.InvalidInput` (a ``ValueError``).
"""

from __future__ import annotations

import difflib
import inspect
import math
import numbers
import reprlib
from collections.abc import Callable, Collection, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from .errors import InvalidInput, InvalidType

__all__ = [
    "Number",
    "check_callable",
    "check_choice",
    "check_clock",
    "check_exact_number",
    "check_function_kind",
    "check_int",
    "check_number",
    "check_numbers",
    "check_sequence",
    "number_kind",
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


#: A number a solver computes with: exact kinds (``int``, ``Fraction``,
#: ``Decimal``) are kept as they are, other reals become ``float``.
Number = int | float | Fraction | Decimal


def check_number(
    name: str,
    value: object,
    *,
    allow_negative: bool = True,
    allow_float: bool = True,
    allow_inf: bool = False,
) -> int | float:
    """Return *value* as an ``int`` or a ``float`` (never NaN, never bool).

    For options (a timeout, a ttl) where a float is what the code needs;
    solvers use :func:`check_exact_number`, which keeps exact kinds exact.

    >>> check_number("weight", 2.5)
    2.5
    >>> check_number("weight", float("nan"))
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: weight=nan must be a number, not NaN
    """
    if isinstance(value, Decimal):
        raise InvalidType(
            f"{name}={show(value)} must be {'a number' if allow_float else 'an integer'}"
        )
    number = check_exact_number(
        name, value, allow_negative=allow_negative, allow_float=allow_float, allow_inf=allow_inf
    )
    return number if isinstance(number, int) else float(number)


def check_exact_number(
    name: str,
    value: object,
    *,
    allow_negative: bool = True,
    allow_float: bool = True,
    allow_inf: bool = False,
) -> Number:
    """Return *value* as a number (never NaN, never bool), exact kinds kept exact.

    Integers (``int``, numpy integers) become ``int``; ``Fraction`` and
    ``Decimal`` stay as they are, so sums of them stay exact; other reals
    (``float``, numpy floats) become ``float``. With ``allow_float=False``
    only integers pass.

    >>> check_exact_number("weight", Fraction(1, 3))
    Fraction(1, 3)
    >>> check_exact_number("weight", Decimal("NaN"))
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: weight=Decimal('NaN') must be a number, not NaN
    """
    kind = "a number" if allow_float else "an integer"
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        raise InvalidType(f"{name}={show(value)} must be {kind}")
    if not allow_float and not isinstance(value, numbers.Integral):
        raise InvalidType(f"{name}={show(value)} must be an integer")
    number: Number
    if isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, Decimal):
        if value.is_nan():
            raise InvalidInput(f"{name}={show(value)} must be a number, not NaN")
        if value.is_infinite() and not allow_inf:
            raise InvalidInput(f"{name}={show(value)} must be finite")
        number = value
    elif isinstance(value, Fraction):
        number = value
    else:
        number = float(value)
        if math.isnan(number):
            raise InvalidInput(f"{name}={show(value)} must be a number, not NaN")
        if math.isinf(number) and not allow_inf:
            raise InvalidInput(f"{name}={show(value)} must be finite")
    if not allow_negative and number < 0:
        raise InvalidInput(f"{name}={show(value)} must be non-negative")
    return number


def number_kind(name: str, number: Number, seen: dict[type, str]) -> None:
    """Refuse *number* when its kind does not add exactly with the kinds already *seen*.

    ``int`` adds exactly with every kind; ``float``, ``Fraction`` and
    ``Decimal`` each add only with themselves and ``int`` (Python would round
    a ``Fraction`` into a float, and refuses ``Decimal`` with either), so one
    instance holds at most one of them. *seen* maps each kind met so far to
    the name of its first number; the caller keeps it for one instance.

    >>> seen = {}
    >>> number_kind("values[0]", Fraction(1, 2), seen)
    >>> number_kind("values[1]", 0.5, seen)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidType: values[1]=0.5 is a float but values[0] is a Fraction: exact and inexact numbers would be rounded together; give one kind (int mixes with any)
    """
    kind = type(number)
    if kind is int or kind in seen:
        return
    seen[kind] = name
    others = [k for k in seen if k is not kind]
    if others:
        first = seen[others[0]]
        raise InvalidType(
            f"{name}={show(number)} is a {kind.__name__} but {first} is a "
            f"{others[0].__name__}: exact and inexact numbers would be rounded together; "
            "give one kind (int mixes with any)"
        )


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
) -> list[Number]:
    """Check a sequence of numbers element by element; messages name ``name[i]``.

    Exact kinds stay exact (see :func:`check_number`), and a sequence mixing
    kinds that would round together (a ``float`` with a ``Fraction``, a
    ``Decimal`` with either) is refused (see :func:`number_kind`).

    >>> check_numbers("weights", [3, 4])
    [3, 4]
    >>> check_numbers("weights", [3, -4], allow_negative=False)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: weights[1]=-4 must be non-negative
    """
    seq = check_sequence(name, values, allow_str=False)
    out: list[Number] = []
    kinds: dict[type, str] = {}
    for i, item in enumerate(seq):
        number = check_exact_number(
            f"{name}[{i}]", item, allow_negative=allow_negative, allow_float=allow_float
        )
        number_kind(f"{name}[{i}]", number, kinds)
        if minimum is not None and number < minimum:
            raise InvalidInput(f"{name}[{i}]={show(item)} must be >= {minimum}")
        out.append(number)
    return out


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Return *value* if it is one of *choices*; the message lists them, and the closest.

    >>> check_choice("strategy", "greedy", ["naive", "top_down"])
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: strategy='greedy' must be one of 'naive', 'top_down'
    >>> check_choice("strategy", "bottomup", ["naive", "top_down", "bottom_up"])
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: strategy='bottomup' must be one of 'naive', 'top_down', 'bottom_up'; did you mean 'bottom_up'?
    """
    options = list(choices)
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(c) for c in options)
        if not isinstance(value, str):
            raise InvalidType(f"{name}={show(value)} must be one of {listed}")
        wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
        close = difflib.get_close_matches(wanted, options, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InvalidInput(f"{name}={show(value)} must be one of {listed}{hint}")
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
