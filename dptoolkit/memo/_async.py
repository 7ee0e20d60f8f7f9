"""The miss path of a memoized ``async def`` function: one task per key and loop.

Concurrent awaits of one key share one task (single flight between tasks);
a task that awaits its own key raises :class:`~dptoolkit.errors.CycleError`.

Imports :mod:`._state`, :mod:`._flight` (for the cycle message),
:mod:`._table`, :mod:`._calls`; imported by :mod:`._engine` only.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from .._fastpath import Ready
from ..keys import fast_key
from ._calls import Calls
from ._flight import cycle_error, new
from ._options import Options
from ._state import MISSING, CacheState, Raised
from ._sync import NOT_CACHED
from ._table import Table

if TYPE_CHECKING:
    from ..stores import BoundStore

__all__ = ["build_async"]


async def _raise_kept(kept: Raised) -> Any:
    """What a hit on a cached exception of an ``async def`` function returns."""
    raise kept[0].with_traceback(kept[1])


def _retrieve(task: asyncio.Task[Any]) -> None:
    """Mark a shared computation's exception retrieved (its awaiters may all be gone)."""
    if not task.cancelled():
        task.exception()


# The memoized coroutines the current task is computing, innermost first, as a
# linked list of (cache, key, parent) nodes: each computation's task extends
# its creator's chain in O(1), and only joining a running computation walks it.
_achain: contextvars.ContextVar[tuple[CacheState, Hashable, Any] | None] = contextvars.ContextVar(
    "dptoolkit_memo_chain", default=None
)


def _in_achain(cache: CacheState, key: Hashable) -> bool:
    node = _achain.get()
    while node is not None:
        owner, owned, parent = node
        if owner is cache and owned == key:
            return True
        node = parent
    return False


def build_async(
    func: Callable[..., Any],
    cache: CacheState,
    table: Table,
    opts: Options,
    calls: Calls,
    bound: BoundStore | None,
    ref: Callable[[], object] | None,
) -> None:
    """Build *cache*'s ``miss`` (and its ``counts``/``reset``) for the coroutine function *func*."""
    typed, keyfunc, condition, cache_errors = (
        opts.typed,
        opts.key,
        opts.condition,
        opts.cache_errors,
    )
    get, put = table.get, table.put
    full_key, target, store_call = calls
    running: dict[Hashable, asyncio.Task[Any]] = {}
    qualname = getattr(func, "__qualname__", cache.name)
    hits = misses = 0

    def miss(*args: Any, **kwargs: Any) -> Any:
        nonlocal hits
        if keyfunc is None and not kwargs and not typed:
            key = fast_key(args)
            try:
                entry = get(key)
            except TypeError:
                key = full_key(args, kwargs)
                entry = get(key)
        else:
            key = full_key(args, kwargs)
            entry = get(key)
        if entry is not MISSING:
            hits += 1
            if type(entry) is Raised:
                return _raise_kept(entry)
            return Ready(entry)  # what the C hit path returns
        sargs = target(args) if ref is not None else args
        coro = join(key, sargs, args, kwargs)
        # "coroutine 'fetch' was never awaited", not 'join'
        coro.__qualname__ = qualname  # type: ignore[attr-defined]
        return coro

    async def join(
        key: Hashable, sargs: tuple[Any, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        nonlocal hits
        loop = asyncio.get_running_loop()
        entry = get(key)
        if entry is not MISSING:
            hits += 1
            if type(entry) is Raised:
                raise entry[0].with_traceback(entry[1])
            return entry
        task = running.get(key)
        if task is not None and task.get_loop() is loop:
            if _in_achain(cache, key):
                raise cycle_error(new(None, args, kwargs, cache, key), None)
            hits += 1
        else:
            task = loop.create_task(compute(key, sargs, args, kwargs))
            task.add_done_callback(_retrieve)
            running[key] = task
        return await asyncio.shield(task)

    async def compute(
        key: Hashable,
        sargs: tuple[Any, ...],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        nonlocal hits
        _achain.set((cache, key, _achain.get()))  # this task's own context
        try:
            keep = condition is None or bool(condition(*args, **kwargs))
            if bound is not None and keep:
                skey = store_call(args, kwargs)
                found, value = bound.get(*skey)
                if not found:
                    with bound.lock(*skey):
                        found, value = bound.get(*skey)
                        if not found:
                            value = await call(key, sargs, kwargs, keep)
                            bound.set(*skey, value)
                if found:
                    hits += 1
            else:
                value = await call(key, sargs, kwargs, keep)
            if keep:
                put(key, value)
            return value
        finally:
            if running.get(key) is asyncio.current_task():
                del running[key]

    async def call(
        key: Hashable,
        sargs: tuple[Any, ...],
        kwargs: dict[str, Any],
        keep: bool,
    ) -> Any:
        nonlocal misses
        try:
            value = await func(*sargs, **kwargs)
        except Exception as exc:
            misses += 1
            if cache_errors and keep and not isinstance(exc, NOT_CACHED):
                put(key, Raised((exc, exc.__traceback__)))
            raise
        misses += 1
        return value

    def counts() -> tuple[int, int]:
        return int(cache.wrapper.hits) + hits, misses

    def reset() -> None:
        nonlocal hits, misses
        hits = misses = 0
        cache.wrapper.hits = 0

    cache.miss = miss
    cache.counts = counts
    cache.reset = reset
