"""One cache and its miss path, behind one hit-path wrapper (a function, or one instance's).

Imports the miss paths (:mod:`._sync`, :mod:`._async`), :mod:`._table`,
:mod:`._calls` and :mod:`.._fastpath`; used by :mod:`._decorator` and
:mod:`._methods`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._async import build_async
from ._calls import calls_for
from ._options import Options
from ._state import CacheState
from ._sync import build_sync, c_miss_options
from ._table import Table
from ._types import CacheInfo

if TYPE_CHECKING:
    from ..stores import BoundStore

__all__ = ["Engine"]


class Engine:
    """One cache: its table, its miss path and the wrapper a caller holds.

    Attributes
    ----------
    cache : CacheState
        The record the memo modules share (data, flights, counts, miss).
    wrapper : FastWrapper
        The hit-path wrapper; its ``miss`` is ``cache.miss``.
    """

    __slots__ = ("bound", "cache", "calls", "maxsize", "table", "wrapper")

    def __init__(
        self,
        func: Callable[..., Any],
        name: str,
        opts: Options,
        bound: BoundStore | None,
        ref: Callable[[], object] | None,
        is_async: bool,
        wrapper_cls: Any,
    ) -> None:
        self.table = table = Table(opts)
        self.cache = cache = CacheState(name, table.data)
        self.calls = calls = calls_for(opts, ref, name)
        self.bound = bound
        self.maxsize = maxsize = opts.maxsize
        build = build_async if is_async else build_sync
        build(func, cache, table, opts, calls, bound, ref)
        # the C path reads the table itself when its entries are bare values
        plain = opts.ttl is None and opts.key is None and not opts.cache_errors
        fast = {} if is_async else c_miss_options(func, cache, opts, bound, ref)
        self.wrapper = wrapper_cls(
            table.data if plain else {},
            cache.miss,
            typed=opts.typed,
            lru=plain and maxsize is not None,
            awaitable=is_async,
            **fast,
        )
        self.wrapper.enabled = plain
        cache.wrapper = self.wrapper

    def counts(self) -> tuple[int, int]:
        """``(hits, misses)`` so far."""
        return self.cache.counts()

    def info(self) -> CacheInfo:
        """This cache's statistics."""
        hits, misses = self.cache.counts()
        return CacheInfo(hits, misses, self.maxsize, self.table.live())

    def clear(self) -> None:
        """Empty the cache (and its store), reset the statistics."""
        self.table.clear()
        self.cache.reset()
        if self.bound is not None:
            self.bound.clear()

    def evict(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Drop the entry of one call; True if there was one."""
        found = self.table.pop(self.calls.key(args, kwargs))
        if self.bound is not None:
            found = self.bound.delete(*self.calls.store(args, kwargs)) or found
        return found
