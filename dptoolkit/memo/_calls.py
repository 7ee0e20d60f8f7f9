"""How one call maps to a cache key, to the function's arguments, to a store key.

Imports :mod:`dptoolkit.keys` and :mod:`._options`; used by the miss paths.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from ..keys import freeze, make_key
from ._options import Options

__all__ = ["Calls", "calls_for", "key_function", "store_call", "target"]

Args = tuple[Any, ...]
Kwargs = dict[str, Any]


def key_function(opts: Options) -> Callable[[Args, Kwargs], Hashable]:
    """The full (slow-path) key of a call: the user's ``key=`` or :func:`make_key`."""
    keyfunc, typed = opts.key, opts.typed
    if keyfunc is None:
        return lambda args, kwargs: make_key(args, kwargs, typed)

    def user_key(args: Args, kwargs: Kwargs) -> Hashable:
        key = keyfunc(*args, **kwargs)
        try:
            hash(key)
        except TypeError:
            key = freeze(key)
        return key

    return user_key


def target(ref: Callable[[], object] | None, name: str) -> Callable[[Args], Args]:
    """``args -> the arguments the function receives`` (the instance first, for a method)."""
    if ref is None:
        return lambda args: args

    def with_self(args: Args) -> Args:
        obj = ref()
        if obj is None:
            raise ReferenceError(f"the instance of memoized method {name} no longer exists")
        return (obj, *args)

    return with_self


def store_call(
    opts: Options, to_target: Callable[[Args], Args]
) -> Callable[[Args, Kwargs], tuple[Args, Kwargs | None]]:
    """``(args, kwargs) -> what a store keys the call by``: the arguments, or what
    ``key=`` returns (after the instance, for a method), so the store and the
    in-process cache agree on which calls are the same."""
    keyfunc = opts.key
    if keyfunc is None:
        return lambda args, kwargs: (to_target(args), kwargs)
    return lambda args, kwargs: (to_target((keyfunc(*args, **kwargs),)), None)


class Calls(NamedTuple):
    """The three mappings of one cache's calls (see the functions above)."""

    key: Callable[[Args, Kwargs], Hashable]
    target: Callable[[Args], Args]
    store: Callable[[Args, Kwargs], tuple[Args, Kwargs | None]]


def calls_for(opts: Options, ref: Callable[[], object] | None, name: str) -> Calls:
    """The :class:`Calls` of a cache with these options (*ref*: the instance, for a method)."""
    to_target = target(ref, name)
    return Calls(key_function(opts), to_target, store_call(opts, to_target))
