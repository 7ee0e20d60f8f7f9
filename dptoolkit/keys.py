"""Cache keys: a call's arguments turned into one hashable value.

The memo engine keys its in-process cache with :func:`make_key`. For the calls
the C hit path can see (positional arguments, all hashable) the key is exactly
:func:`fast_key`: the argument itself for one ``int`` or ``str``, otherwise the
``args`` tuple (followed by the argument types when ``typed``). That rule is
written once, in :func:`fast_key`; the C hit path (``make_key`` in
``dptoolkit/_cmemo.c``, exposed as ``_cmemo.fast_key``) mirrors it, and a test
checks both agree. Everything else goes through :func:`freeze`.

Freezing
--------
Arguments that cannot be hashed are *frozen* into a canonical hashable value
that is equal for equal arguments of the same type and different otherwise:

========================  ===================================================
argument                  frozen form (``M`` is a private marker object)
========================  ===================================================
hashable value            the value itself
``list``, ``deque``       ``(M, type, (frozen items...))``
``tuple`` (unhashable)    ``(frozen items...)``; a subclass (namedtuple)
                          ``(M, type, (frozen items...))``
``dict``                  ``(M, type, frozenset((key, frozen value)...))``:
                          insertion order does not matter, as for ``==``
``OrderedDict``           ``(M, type, ((key, frozen value)...))``: order
                          matters, as for its ``==``
``set``                   ``(M, type, frozenset(items))``
``bytearray``             ``(M, type, bytes(value))``
``array.array``           ``(M, type, typecode, bytes)``
``numpy.ndarray``         ``(M, type, dtype, shape, bytes)``; arrays of Python
                          objects freeze their elements instead of the bytes;
                          a masked array adds its mask
========================  ===================================================

Because the marker is private and the type is part of the frozen form, a list
never shares a key with the tuple of the same items, a ``set`` never with a
``frozenset``, and an array never with the list of its numbers. Freezing costs
time proportional to the size of the argument: one pass over its items (dicts
and sets are frozen into ``frozenset``, never sorted). Arrays compare bitwise:
``0.0`` and ``-0.0`` differ, and a ``NaN`` matches the same ``NaN`` bits.
Nesting depth is bounded by the interpreter's recursion limit.

Examples
--------
>>> make_key(([1, 2],), {}, False) == make_key(([1, 2],), {}, False)
True
>>> make_key(([1, 2],), {}, False) == make_key(((1, 2),), {}, False)
False
>>> freeze({"b": 2, "a": 1}) == freeze({"a": 1, "b": 2})
True
"""

from __future__ import annotations

import array
import collections
from collections.abc import Callable, Hashable
from typing import Any

from ._validate import show
from .errors import InvalidType

__all__ = ["fast_key", "freeze", "make_key"]


class _Marker:
    """A private object that only the freezer puts in keys (so they cannot collide)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"<{self._name}>"


#: Starts every frozen container: no user value can contain it.
FROZEN = _Marker("frozen")
#: Separates positional from keyword arguments in a key (as functools does).
KWARGS = _Marker("kwargs")

_FAST_TYPES = frozenset({int, str})


def fast_key(args: tuple[Any, ...], typed: bool = False) -> Hashable:
    """The cache key of a call with positional arguments *args* only: THE key rule.

    Parameters
    ----------
    args : tuple
        The positional arguments of one call (keyword arguments never reach
        the hit path).
    typed : bool, default False
        Whether arguments of different types are cached separately.

    Returns
    -------
    Hashable
        ``args[0]`` when there is exactly one argument whose type is exactly
        ``int`` or ``str``; otherwise the tuple *args*, followed by the
        arguments' types when *typed*. The key may still be unhashable (an
        argument that is a list): the caller decides what to do then.

    Examples
    --------
    >>> fast_key((5,))
    5
    >>> fast_key((5, "a"))
    (5, 'a')
    >>> fast_key((2.0,), typed=True)
    (2.0, <class 'float'>)
    >>> fast_key((True,))
    (True,)

    Notes
    -----
    The same rule as :func:`functools.lru_cache`'s: a lone ``int`` or ``str``
    is its own key (it hashes fast and cannot be confused with a tuple
    key), while ``bool`` or an ``int`` subclass is not exactly ``int``, so
    ``f(True)`` and ``f(1)`` are cached apart even when not *typed*. This is
    the only Python function that states the rule; everything else calls it.
    """
    if len(args) == 1 and type(args[0]) in _FAST_TYPES:
        key: Hashable = args[0]
        return key
    if typed:
        return args + tuple([type(a) for a in args])
    return args


def _freeze_list(value: Any) -> Hashable:
    items = tuple(value)
    try:
        hash(items)
    except TypeError:
        items = tuple(map(freeze, items))
    return (FROZEN, type(value), items)


def _freeze_tuple(value: Any) -> Hashable:
    items = tuple(map(freeze, value))
    if type(value) is tuple:
        return items
    return (FROZEN, type(value), items)


def _freeze_dict(value: Any) -> Hashable:
    try:
        pairs = frozenset(value.items())
    except TypeError:
        pairs = frozenset([(k, freeze(v)) for k, v in value.items()])
    return (FROZEN, type(value), pairs)


def _freeze_ordered_dict(value: Any) -> Hashable:
    return (FROZEN, type(value), tuple([(k, freeze(v)) for k, v in value.items()]))


def _freeze_set(value: Any) -> Hashable:
    return (FROZEN, type(value), frozenset(value))


def _freeze_bytes(value: Any) -> Hashable:
    return (FROZEN, type(value), bytes(value))


def _freeze_array(value: Any) -> Hashable:
    return (FROZEN, type(value), value.typecode, value.tobytes())


def _freeze_ndarray(value: Any) -> Hashable:
    if value.dtype.hasobject:
        content: Hashable = tuple(map(freeze, value.ravel().tolist()))
    else:
        content = value.tobytes()
    return (FROZEN, type(value), value.dtype, value.shape, content)


def _freeze_masked(value: Any) -> Hashable:
    # a masked array's tobytes() fills the masked cells, so the mask must count
    # (else [1, 2, --] would share a key with [1, 2, <the fill value>])
    import numpy as np  # loaded: value is a numpy array

    mask = np.ma.getmaskarray(value)  # no mask and an all-false one key alike
    return (FROZEN, type(value), _freeze_ndarray(value.data), mask.tobytes())


_FREEZERS: dict[type, Callable[[Any], Hashable]] = {
    list: _freeze_list,
    collections.deque: _freeze_list,
    tuple: _freeze_tuple,
    dict: _freeze_dict,
    collections.OrderedDict: _freeze_ordered_dict,
    set: _freeze_set,
    bytearray: _freeze_bytes,
    array.array: _freeze_array,
}

# Subclasses are matched in this order (OrderedDict before dict).
_BASES: tuple[tuple[type, Callable[[Any], Hashable]], ...] = (
    (list, _freeze_list),
    (collections.deque, _freeze_list),
    (tuple, _freeze_tuple),
    (collections.OrderedDict, _freeze_ordered_dict),
    (dict, _freeze_dict),
    (set, _freeze_set),
    (bytearray, _freeze_bytes),
    (array.array, _freeze_array),
)


#: Types whose values are never hashable: keys of their values are frozen
#: without trying ``hash`` first (a failed ``hash`` costs an exception).
UNHASHABLE: set[type] = {
    list,
    dict,
    set,
    bytearray,
    collections.deque,
    collections.OrderedDict,
    array.array,
}


def _freezer(cls: type) -> Callable[[Any], Hashable] | None:
    """The freezing function for values of type *cls* (unhashable), or None."""
    if any(base.__module__ == "numpy" and base.__name__ == "ndarray" for base in cls.__mro__):
        masked = any(base.__name__ == "MaskedArray" for base in cls.__mro__)
        array_freezer = _freeze_masked if masked else _freeze_ndarray
        _FREEZERS[cls] = array_freezer
        UNHASHABLE.add(cls)
        return array_freezer
    for base, function in _BASES:
        if issubclass(cls, base):
            _FREEZERS[cls] = function
            if base is not tuple:
                UNHASHABLE.add(cls)
            return function
    return None


def freeze(value: object) -> Hashable:
    """Return a canonical hashable stand-in for *value* (the value itself if hashable).

    Parameters
    ----------
    value
        Any argument: a hashable value, or a list, tuple, dict, set,
        bytearray, ``array.array`` or numpy array (nested as you like).

    Returns
    -------
    Hashable
        *value* when it is hashable; otherwise its frozen form (see the module
        notes), equal for equal values of the same type.

    Raises
    ------
    InvalidType
        *value* is unhashable and of a type that cannot be frozen.

    Examples
    --------
    >>> freeze(3)
    3
    >>> freeze([1, [2, 3]]) == freeze([1, [2, 3]])
    True
    >>> freeze([1, 2]) == freeze((1, 2))
    False

    Notes
    -----
    Cost is one pass over the value's items (``O(size)``); dictionaries and
    sets become ``frozenset`` objects, so no sorting is needed and keys of
    mixed, unorderable types work.
    """
    function = _FREEZERS.get(type(value))
    if function is not None:
        return function(value)
    try:
        hash(value)
    except TypeError:
        function = _freezer(type(value))
        if function is None:
            raise InvalidType(
                f"argument {show(value)} of type {type(value).__name__} is unhashable "
                "and dptoolkit cannot freeze it; pass key= to @memoize"
            ) from None
        return function(value)
    return value


def make_key(args: tuple[Any, ...], kwargs: dict[str, Any], typed: bool) -> Hashable:
    """Return the cache key of a call ``f(*args, **kwargs)``.

    Parameters
    ----------
    args, kwargs
        The call's positional and keyword arguments.
    typed
        Also distinguish arguments by type (``f(3)`` and ``f(3.0)``).

    Returns
    -------
    Hashable
        :func:`fast_key` ``(args, typed)`` when there are no keyword
        arguments and everything is hashable; otherwise a key built from the
        frozen arguments (keyword arguments in name order, so ``f(a=1, b=2)``
        and ``f(b=2, a=1)`` share an entry).

    Raises
    ------
    InvalidType
        An argument cannot be hashed or frozen; the message names it.

    Examples
    --------
    >>> make_key((5,), {}, False)
    5
    >>> make_key((1, 2), {}, False)
    (1, 2)
    >>> make_key((1,), {"b": 2}, False) == make_key((1,), {"b": 2}, False)
    True
    """
    if not kwargs:
        fast = fast_key(args, typed)
        if type(fast) is not tuple:  # a lone int or str: its own key
            return fast
        key: tuple[Any, ...] = fast
        for value in args:
            if type(value) in UNHASHABLE:
                break
        else:
            try:
                hash(key)
            except TypeError:
                pass
            else:
                return key
        key = _frozen_args(args)
        if typed:
            key += tuple([type(v) for v in args])
        return key
    items = sorted(kwargs.items()) if len(kwargs) > 1 else list(kwargs.items())
    key = (*args, KWARGS, *[v for item in items for v in item])
    if typed:
        key += tuple([type(v) for v in args]) + tuple([type(v) for _, v in items])
    try:
        hash(key)
    except TypeError:
        frozen: tuple[Any, ...] = (*_frozen_args(args), KWARGS)
        for name, value in items:
            frozen += (name, _freeze_argument(name, value))
        if typed:
            frozen += tuple([type(v) for v in args]) + tuple([type(v) for _, v in items])
        key = frozen
    return key


def _frozen_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        return tuple(map(freeze, args))
    except InvalidType as exc:
        for i, value in enumerate(args):  # name the argument that failed
            _freeze_argument(f"args[{i}]", value)
        raise exc


def _freeze_argument(name: str, value: object) -> Hashable:
    try:
        return freeze(value)
    except InvalidType as exc:
        raise InvalidType(f"{name}: {exc}") from None
