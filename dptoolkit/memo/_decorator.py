"""``@memoize``: the decorator, and what it hangs on the wrapper.

Imports :mod:`._options`, :mod:`._engine`, :mod:`._methods` and
:mod:`.._fastpath`; re-exported by :mod:`dptoolkit.memo`.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
import weakref
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .. import _fastpath
from .._validate import check_function_kind, show
from ..errors import InvalidType
from ._engine import Engine
from ._methods import Instances
from ._names import display_name
from ._options import Options, check_options
from ._types import CacheInfo, Memoized

if TYPE_CHECKING:
    from ..stores import Store

__all__ = ["memoize"]

R = TypeVar("R")


def _decorate(func: object, opts: Options) -> Any:
    if isinstance(func, (classmethod, staticmethod)):
        # @dp.memoize above @classmethod or @staticmethod: memoize the function
        # and wrap it again, as @classmethod above @dp.memoize would
        return type(func)(_decorate(func.__func__, opts))
    if not callable(func):
        hint = ""
        if isinstance(func, int) and not isinstance(func, bool):
            hint = f"; to bound the cache, write memoize(maxsize={func!r})"
        raise InvalidType(f"func={show(func)} must be callable{hint}")
    check_function_kind("func", func, allow_async=True)
    name = display_name(func)
    is_async = inspect.iscoroutinefunction(func)
    bound = None if opts.resolved is None else opts.resolved.bind(func, ttl=opts.ttl)
    # read at decoration (tests swap it for the pure-Python twin); instances use the same
    wrapper_cls = _fastpath.FastWrapper
    engine = Engine(func, name, opts, bound, None, is_async, wrapper_cls)
    wrapper = engine.wrapper
    functools.update_wrapper(wrapper, func)
    instances = Instances(func, name, opts, bound, is_async, wrapper_cls)

    def cache_info() -> CacheInfo:
        """Hits, misses, maxsize and current size (all instances, for a method)."""
        hits, size = instances.retired_hits, 0
        misses = instances.retired_misses + instances.uncached
        for one in [engine, *instances.all()]:
            info = one.info()
            hits += info.hits
            misses += info.misses
            size += info.currsize
        return CacheInfo(hits, misses, opts.maxsize, size)

    def cache_clear() -> None:
        """Empty the cache (every instance's, for a method) and reset the statistics."""
        engine.clear()
        instances.clear()

    def cache_parameters() -> dict[str, Any]:
        """The options this function was memoized with."""
        return opts.parameters()

    def cache_evict(*args: Any, **kwargs: Any) -> bool:
        """Drop the entry for these arguments; True if there was one.

        On a method, ``Class.method.cache_evict(instance, *args)`` drops the
        instance's entry.
        """
        if args:
            one = instances.get(args[0])
            if one is not None:
                found = bool(one.evict(args[1:], kwargs))
                try:  # and Class.method(instance, ...)'s entry, if the instance can be a key
                    return bool(engine.evict(args, kwargs)) or found
                except InvalidType:  # an unhashable instance (it defines __eq__)
                    return found
        return bool(engine.evict(args, kwargs))

    wrapper.cache_info = cache_info
    wrapper.cache_clear = cache_clear
    wrapper.cache_parameters = cache_parameters
    wrapper.cache_evict = cache_evict
    # the hit path's __get__ calls _bind(instance) (a C partial: no extra frame)
    wrapper._bind = functools.partial(instances.bind, wrapper)
    wrapper._repr_html_ = functools.partial(_html_of, weakref.ref(wrapper))  # notebooks
    if is_async:
        _mark_coroutine_function(wrapper)
    return wrapper


def _html_of(ref: weakref.ref[Any]) -> str:
    """A memoized function in a notebook: its options and cache_info (see dptoolkit._html)."""
    from .._html import memo_html

    return memo_html(ref())


def _mark_coroutine_function(wrapper: Any) -> None:
    mark = getattr(inspect, "markcoroutinefunction", None)
    if mark is not None:  # Python >= 3.12
        mark(wrapper)
    else:  # asyncio.iscoroutinefunction's marker on 3.10 and 3.11
        wrapper._is_coroutine = asyncio.coroutines._is_coroutine  # type: ignore[attr-defined]


@overload
def memoize(func: Callable[..., R], /) -> Memoized[R]: ...


@overload
def memoize(
    func: None = None,
    /,
    *,
    maxsize: int | None = None,
    ttl: float | None = None,
    timer: Callable[[], float] = time.monotonic,
    typed: bool = False,
    key: Callable[..., Hashable] | None = None,
    store: str | Store | None = None,
    cache_errors: bool = False,
    condition: Callable[..., object] | None = None,
) -> Callable[[Callable[..., R]], Memoized[R]]: ...


def memoize(
    func: Callable[..., Any] | None = None,
    /,
    *,
    maxsize: int | None = None,
    ttl: float | None = None,
    timer: Callable[[], float] = time.monotonic,
    typed: bool = False,
    key: Callable[..., Hashable] | None = None,
    store: str | Store | None = None,
    cache_errors: bool = False,
    condition: Callable[..., object] | None = None,
) -> Any:
    """Cache a function's results: ``@memoize`` or ``@memoize(maxsize=..., ...)``.

    Parameters
    ----------
    func : callable, optional
        The function (or ``async def`` function, or method) to memoize; when
        omitted, ``memoize(...)`` returns the decorator.
    maxsize : int or None, default None
        ``None`` keeps every result; an integer keeps at most that many,
        evicting the least recently used (``0`` caches nothing).
    ttl : float or None, default None
        Seconds a result stays valid; an older one is computed again.
    timer : callable, default time.monotonic
        The clock ``ttl`` is measured with (inject a fake one in tests).
    typed : bool, default False
        Cache arguments of different types apart (``f(3)`` and ``f(3.0)``).
    key : callable, optional
        ``key(*args, **kwargs)`` returns the cache key of a call (for a
        method, the arguments after ``self``); overrides the default keys.
    store : str or Store, optional
        Also keep results in a persistent or shared store:
        ``"sqlite:///path/to/cache.db"``, ``"redis://host:port/0"`` or a
        :class:`dptoolkit.Store` (see ``docs/stores.md``).
    cache_errors : bool, default False
        Cache an exception the function raises and raise it again for the
        same arguments (by default exceptions are never cached).
    condition : callable, optional
        ``condition(*args, **kwargs) -> bool``: cache a call's result only
        when it returns true.

    Returns
    -------
    callable
        The memoized function, with ``cache_info()``, ``cache_clear()``,
        ``cache_parameters()``, ``cache_evict(*args, **kwargs)`` and
        ``__wrapped__``; or the decorator, when *func* is omitted.

    Raises
    ------
    InvalidInput, InvalidType
        An option is out of range or of the wrong type (raised at decoration,
        naming the option and its value).

    Examples
    --------
    >>> @memoize
    ... def fib(n):
    ...     return n if n < 2 else fib(n - 1) + fib(n - 2)
    >>> for i in range(16):
    ...     _ = fib(i)
    >>> fib.cache_info()
    CacheInfo(hits=28, misses=16, maxsize=None, currsize=16)
    >>> @memoize(maxsize=2)
    ... def total(values):
    ...     return sum(values)
    >>> total([1, 2]), total([1, 2]), total.cache_info().hits
    (3, 3, 1)
    >>> memoize(maxsize=-1)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: maxsize=-1 must be a non-negative integer

    Notes
    -----
    Hits on hashable positional arguments are answered in C (see
    ``docs/internals.md``). Concurrent calls of one key compute once (threads
    and asyncio); a call that needs its own result raises
    :class:`dptoolkit.CycleError`. Recursion deeper than the interpreter
    allows completes without changing the recursion limit (deep levels run
    on helper threads, each body once, so the counts are exact). Misses are
    computed in C too, in the common case. The guide is ``docs/memo.md``.
    """
    opts = check_options(maxsize, ttl, timer, typed, key, store, cache_errors, condition)
    if func is None:
        return functools.partial(_decorate, opts=opts)
    return _decorate(func, opts)
