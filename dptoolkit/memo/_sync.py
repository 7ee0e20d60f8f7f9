"""The miss path of a synchronous memoized function: single flight, deep recursion.

:func:`build_sync` makes the ``miss`` callable the hit-path wrapper calls
when it cannot answer: it claims the key (single flight between threads, a
cycle on one thread named), computes it, stores it, and hands deep
recursion to the driver (:mod:`._deep`).

Imports :mod:`._state`, :mod:`._flight`, :mod:`._deep`, :mod:`._table`,
:mod:`._calls`; imported by :mod:`._engine` only.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from .. import _fastpath
from ..errors import CycleError
from ..keys import UNHASHABLE, fast_key, freeze
from . import _deep, _flight
from ._calls import Calls
from ._deep import elsewhere
from ._flight import ERROR, GATE, KEY, OUTCOME, OWNER, PENDING, RETRY, STATUS, VALUE
from ._options import Options
from ._state import MISSING, CacheState, Raised
from ._table import Table

if TYPE_CHECKING:
    from ..stores import BoundStore

__all__ = ["NOT_CACHED", "build_sync"]

#: Exceptions never kept as a cached error (``cache_errors=True``).
NOT_CACHED = (RecursionError, CycleError)


def _after_fork_in_child() -> None:
    # only the forking thread exists in the child: drop the other threads'
    # flights and forget their helper threads
    _flight.after_fork(getattr(_deep._local, "state", None))
    _deep.after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _finish(st: _deep.ThreadState, exc: BaseException) -> None:
    """The outermost call failed (the C miss path's hook): short traceback, reset."""
    _deep.short_traceback(st, exc)
    st.reset()


if _fastpath._cmemo is not None:
    _fastpath._cmemo.setup(
        _deep.state, Raised, _deep.shrink, _finish, _deep.PROBE, _deep.ThreadState
    )


def c_miss_options(
    func: Callable[..., Any],
    cache: CacheState,
    opts: Options,
    bound: BoundStore | None,
    ref: Callable[[], object] | None,
) -> dict[str, Any]:
    """The C miss path's arguments for the wrapper, or ``{}`` when this cache needs Python.

    The C type computes misses itself in the common case: no ``key=``,
    ``ttl``, ``condition``, ``cache_errors`` or store, not an instance's
    cache, and ``maxsize`` None or positive (an LRU bound).
    """
    if (
        opts.key is not None
        or opts.ttl is not None
        or opts.condition is not None
        or opts.cache_errors
        or bound is not None
        or ref is not None
        or opts.maxsize == 0
    ):
        return {}
    data = cache.data
    bounded = opts.maxsize is not None
    return {
        "compute": func,
        "flights": cache.flights,
        "record": cache,
        "evict": functools.partial(data.popitem, last=False) if bounded else None,  # type: ignore[call-arg]
        "maxsize": opts.maxsize if bounded else -1,
    }


def build_sync(
    func: Callable[..., Any],
    cache: CacheState,
    table: Table,
    opts: Options,
    calls: Calls,
    bound: BoundStore | None,
    ref: Callable[[], object] | None,
) -> None:
    """Build *cache*'s ``miss`` (and its ``counts``/``reset``) for the function *func*."""
    keyfunc, condition, cache_errors = opts.key, opts.condition, opts.cache_errors
    data = table.data
    get, put = table.get, table.put
    maxsize = opts.maxsize
    move = table.move
    raw = opts.ttl is None  # data holds bare values (no expiry times)
    inline_put = raw and maxsize != 0  # storing is data[key] = value (then LRU eviction)
    data_get = data.get
    simple_key = keyfunc is None and not opts.typed
    full_key, target, store_call = calls
    flights = cache.flights
    claim = flights.setdefault
    local = _deep._local
    new_state = _deep.state
    probe = _deep.probe
    PROBE = _deep.PROBE
    unhashable = UNHASHABLE
    simple = condition is None and bound is None and ref is None
    hits = misses = 0

    # One miss function for every option set: the option branches cost a few
    # flag tests per call. Its except clauses stay inline (no helper shared
    # with another path) because they may run at the recursion limit, where
    # calling any Python function raises RecursionError again.
    def miss(*args: Any, **kwargs: Any) -> Any:
        # The C hit path could not answer this call: find, wait for or compute it.
        nonlocal hits, misses
        if kwargs or not simple_key:
            key = full_key(args, kwargs)
        elif len(args) == 1 and type(args[0]) in unhashable:
            # a list, say: frozen without a failed hash first (= make_key(args,
            # {}, False)); the C path cannot see frozen keys: answer hits here
            key = (freeze(args[0]),)
            if raw:
                entry = data_get(key, MISSING)
                if entry is not MISSING and type(entry) is not Raised:
                    hits += 1
                    if move is not None:
                        try:  # noqa: SIM105 (suppress() costs a context manager per hit)
                            move(key)
                        except KeyError:
                            pass
                    return entry
        else:
            key = fast_key(args)  # the key rule (keys.fast_key)
        try:
            st = local.state
        except AttributeError:
            st = new_state()
        flight = [st, PENDING, None, None, args, kwargs, cache, key]  # the _flight fields
        try:
            other = claim(key, flight)
        except TypeError:
            key = flight[KEY] = full_key(args, kwargs)
            other = claim(key, flight)
        if other is not flight:
            return join(st, other, args, kwargs)
        chain = st.chain
        depth = len(chain)
        # -- we own the key: look again, then compute ----------------------
        try:
            entry = data_get(key, MISSING) if raw else get(key)
            if entry is not MISSING:
                return found(key, flight, entry)
            # past the budget: measure the stack, or go on on a helper thread
            away = depth >= st.budget and probe(st, depth)
            if simple:
                sargs = args
                keep = True
            else:
                sargs = args if ref is None else target(args)
                keep = condition is None or bool(condition(*args, **kwargs))
        except BaseException:
            if flight[STATUS] == PENDING:  # still ours: release it (C operations only)
                flight[STATUS] = RETRY
                del flights[key]
                if flight[GATE] is not None:
                    flight[GATE].release()
            raise
        chain.append(flight)
        retry = False
        while True:
            try:
                if away:
                    if retry:
                        _deep.shrink(st, depth)
                    value = elsewhere(st, depth, compute, (sargs, args, kwargs, keep), {})
                elif simple or bound is None or not keep:
                    if kwargs:
                        value = func(*sargs, **kwargs)
                    elif len(sargs) == 1:  # a plain call: no C recursion, less stack per level
                        value = func(sargs[0])
                    else:
                        value = func(*sargs)
                else:
                    value = through_store(sargs, args, kwargs)
            except BaseException as exc:
                if isinstance(exc, RecursionError) and exc is not st.genuine:
                    if not away and depth > st.base:
                        # a level costs more than the probe measured: run the body
                        # again on a fresh thread (out of this handler: continue)
                        away = retry = True
                        continue
                    if not away:  # the first call on this thread: no fresh thread helps
                        st.genuine = exc
                    # (else starting the helper overflowed: a shallower call retries)
                chain.pop()
                # Release the key first, with C operations only: this may run at the
                # recursion limit, where any Python call raises RecursionError again.
                if not isinstance(exc, Exception) or (depth and isinstance(exc, RecursionError)):
                    flight[STATUS] = RETRY  # KeyboardInterrupt: others compute it again
                else:
                    flight[OUTCOME] = Raised((exc, exc.__traceback__))  # C only, as above
                    flight[STATUS] = ERROR
                del flights[key]
                if flight[GATE] is not None:
                    flight[GATE].release()
                failed(st, key, depth, keep, exc)
                raise
            break
        chain.pop()
        misses += 1
        if keep:
            try:
                if inline_put:
                    data[key] = value  # (a key's __eq__ may run, and raise)
                else:
                    put(key, value)  # runs the timer, user code
            except BaseException:
                _flight.release(flights, key, flight, RETRY, None)  # never leave it claimed
                raise
            if inline_put and maxsize is not None and len(data) > maxsize:
                try:  # noqa: SIM105 (least recently used first)
                    data.popitem(last=False)  # type: ignore[call-arg]
                except KeyError:  # emptied meanwhile by another thread
                    pass
        flight[OUTCOME] = value
        flight[STATUS] = VALUE
        del flights[key]
        if flight[GATE] is not None:
            flight[GATE].release()
        if not depth and st.budget != PROBE:
            st.reset()
        return value

    def compute(
        sargs: tuple[Any, ...], args: tuple[Any, ...], kwargs: dict[str, Any], keep: bool
    ) -> Any:
        # the body of one call, as a helper thread runs it
        if simple or bound is None or not keep:
            return func(*sargs, **kwargs)
        return through_store(sargs, args, kwargs)

    def found(key: Hashable, flight: list[Any], entry: Any) -> Any:
        # the value was there after all (another thread, a frozen key, a resume)
        nonlocal hits
        hits += 1
        if move is not None and key in data:
            try:  # noqa: SIM105 (as above)
                move(key)
            except KeyError:
                pass
        if type(entry) is Raised:
            _flight.release(flights, key, flight, ERROR, entry)
            raise entry[0].with_traceback(entry[1])
        _flight.release(flights, key, flight, VALUE, entry)
        return entry

    def through_store(sargs: tuple[Any, ...], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        # the store seam: get; else lock, get again, compute, set
        nonlocal hits, misses
        assert bound is not None
        skey = store_call(args, kwargs)
        found_, value = bound.get(*skey)
        if not found_:
            with bound.lock(*skey):
                found_, value = bound.get(*skey)
                if not found_:
                    value = func(*sargs, **kwargs)
                    bound.set(*skey, value)
                    return value
        hits += 1
        misses -= 1  # the caller counts a miss for every value it stores
        return value

    def failed(
        st: _deep.ThreadState, key: Hashable, depth: int, keep: bool, exc: BaseException
    ) -> None:
        # the computation raised (its flight is released): count it (and cache
        # it, with cache_errors) before the caller re-raises it
        nonlocal misses
        if depth and isinstance(exc, RecursionError) and exc is not st.genuine:
            return  # a shallower call computes it again: not a miss yet
        misses += 1
        if cache_errors and keep and isinstance(exc, Exception) and not isinstance(exc, NOT_CACHED):
            put(key, Raised((exc, exc.__traceback__)))
        if not depth:
            _deep.short_traceback(st, exc)
            st.reset()

    def join(
        st: _deep.ThreadState, other: list[Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        # the key is in flight: ours (a cycle) or another thread's (wait for it)
        nonlocal hits
        if other[OWNER] is st:
            raise _flight.own_cycle(st.chain, other)
        status, outcome = _flight.wait(st, other)
        if status == VALUE:
            hits += 1
            return outcome
        if status == ERROR:
            hits += 1  # answered without computing, as a value would be
            raise outcome[0].with_traceback(outcome[1])
        return miss(*args, **kwargs)  # the owner unwound: try again

    def counts() -> tuple[int, int]:
        wrapper = cache.wrapper
        return int(wrapper.hits) + hits, misses + int(wrapper.misses)

    def reset() -> None:
        nonlocal hits, misses
        hits = misses = 0
        cache.wrapper.hits = 0
        cache.wrapper.misses = 0

    cache.miss = miss
    cache.counts = counts
    cache.reset = reset
    _flight.register(cache)
