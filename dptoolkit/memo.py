"""The memo engine: ``@dp.memoize``, a drop-in for :func:`functools.cache` that goes further.

A memoized function is a :class:`dptoolkit._fastpath.FastWrapper` (a C object
when the extension is built): a cache hit on hashable positional arguments is
answered without running Python code. Everything else happens here, in the
``miss`` callable each wrapper is given:

* keys (:mod:`dptoolkit.keys`): unhashable arguments are frozen;
* bounded LRU caches, expiry (``ttl``), conditional caching, cached errors;
* single flight: concurrent calls of one key compute once, in threads and in
  asyncio, and a call that needs its own result raises :class:`CycleError`;
* deep recursion (:mod:`dptoolkit._deep`): a million memoized levels deep
  without ``RecursionError`` and without touching the recursion limit;
* per-instance caches for methods that never keep an instance alive;
* persistent or shared stores (``store=``, :mod:`dptoolkit.stores`).

The guide is ``docs/memo.md``; the private seams are in ``docs/internals.md``.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import functools
import inspect
import os
import reprlib
import threading
import time
import types
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar, overload

from . import _deep, _fastpath
from ._deep import Raised as _Raised
from ._deep import Unwind
from ._fastpath import Ready
from ._validate import (
    check_callable,
    check_clock,
    check_function_kind,
    check_int,
    check_number,
    show,
)
from .errors import CycleError, InvalidInput, InvalidType
from .keys import UNHASHABLE, freeze, make_key

if TYPE_CHECKING:
    from .stores import BoundStore, Store

__all__ = ["CacheInfo", "memoize"]

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class CacheInfo(NamedTuple):
    """Statistics of a memoized function, as :func:`functools.lru_cache` reports them.

    Attributes
    ----------
    hits : int
        Calls answered from the cache (or by joining a computation already
        running in another thread or task).
    misses : int
        Computations that ran to completion (returned or raised).
    maxsize : int or None
        The bound on the number of entries, ``None`` when unbounded.
    currsize : int
        Entries held now (unexpired ones, when there is a ``ttl``).
    """

    hits: int
    misses: int
    maxsize: int | None
    currsize: int


class Memoized(Protocol[R_co]):
    """The type of what :func:`memoize` returns (a callable with cache controls)."""

    @property
    def __wrapped__(self) -> Callable[..., R_co]: ...

    def __call__(self, *args: Any, **kwargs: Any) -> R_co: ...

    def __get__(self, obj: Any, owner: type | None = None) -> Any: ...

    def cache_info(self) -> CacheInfo: ...

    def cache_clear(self) -> None: ...

    def cache_parameters(self) -> dict[str, Any]: ...

    def cache_evict(self, *args: Any, **kwargs: Any) -> bool: ...


# ----------------------------------------------------------------------------
# options
# ----------------------------------------------------------------------------


class _Options(NamedTuple):
    maxsize: int | None
    ttl: float | None
    timer: Callable[[], float]
    typed: bool
    key: Callable[..., Hashable] | None
    store: object  # as given (reported by cache_parameters)
    cache_errors: bool
    condition: Callable[..., object] | None
    resolved: Store | None  # the Store object store= names


def _check_options(
    maxsize: object,
    ttl: object,
    timer: object,
    typed: object,
    key: object,
    store: object,
    cache_errors: object,
    condition: object,
) -> _Options:
    if maxsize is not None:
        maxsize = check_int("maxsize", maxsize, minimum=0)
    if ttl is not None:
        number = check_number("ttl", ttl, allow_inf=True)
        if number <= 0:
            raise InvalidInput(f"ttl={show(ttl)} must be a positive number of seconds or None")
        ttl = float(number)
    check_callable("timer", timer, optional=False)
    if not isinstance(typed, bool):
        raise InvalidType(f"typed={show(typed)} must be True or False")
    check_callable("key", key)
    if not isinstance(cache_errors, bool):
        raise InvalidType(f"cache_errors={show(cache_errors)} must be True or False")
    check_callable("condition", condition)
    resolved = None
    if store is not None:
        from .stores import resolve_store  # only when asked: stores import sqlite3

        resolved = resolve_store(store)  # an unknown URL fails here, at decoration
    return _Options(
        maxsize,
        ttl,
        timer,  # type: ignore[arg-type]
        typed,
        key,  # type: ignore[arg-type]
        store,
        cache_errors,
        condition,  # type: ignore[arg-type]
        resolved,
    )


# ----------------------------------------------------------------------------
# single flight between threads
# ----------------------------------------------------------------------------

# A flight is the record of one computation in progress:
# [owner ThreadState, status, outcome, gate or None, args, kwargs, miss, key].
# The gate is a lock the first waiter creates held; the owner releases it when
# the flight ends (a C call: it works even at the recursion limit), and each
# waiter passes it on (acquire, release).
_OWNER, _STATUS, _OUTCOME, _GATE, _ARGS, _KWARGS, _MISS, _KEY = range(8)
_PENDING, _VALUE, _ERROR, _RETRY = range(4)

_MISSING: Any = object()
_graph_lock = threading.Lock()
# thread -> the flight it is waiting for (the wait-for graph, for deadlocks)
_waiting: dict[_deep.ThreadState, list[Any]] = {}
# every synchronous miss function (its flights are its ``_dp_flights``), for fork
_misses: weakref.WeakSet[Any] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """In a forked child, forget the computations of threads the child does not have.

    Only the thread that called ``fork`` exists in the child: a flight another
    thread owned would never end, and a call of its key would wait forever.
    Such flights are dropped (their keys are computed afresh on demand), and
    the wait-for graph and its lock start clean (another thread may have held
    the lock at the fork).
    """
    global _graph_lock
    _graph_lock = threading.Lock()
    _waiting.clear()
    me = getattr(_deep._local, "state", None)
    for miss in list(_misses):
        flights = miss._dp_flights
        for key, flight in list(flights.items()):
            if flight[_OWNER] is not me:
                flight[_STATUS] = _RETRY
                del flights[key]


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _release(
    flights: dict[Hashable, list[Any]],
    key: Hashable,
    flight: list[Any],
    status: int,
    outcome: object,
) -> None:
    """End *flight* (ours): publish its outcome, unregister it, wake its waiters."""
    flight[_OUTCOME] = outcome
    flight[_STATUS] = status
    if flights.get(key) is flight:
        del flights[key]
    gate = flight[_GATE]
    if gate is not None:
        gate.release()


def _wait(st: _deep.ThreadState, flight: list[Any]) -> tuple[int, Any]:
    """Wait for another thread's *flight*; raise CycleError if that would deadlock.

    The wait-for graph (thread -> the flight it waits for) is walked under a
    lock. A cycle counts only if every flight on it is still pending: a flight
    released meanwhile (its owner unwound, or finished) cannot block anyone,
    and the owners along a real cycle are all blocked, so none of its flights
    can change while we look.
    """
    with _graph_lock:
        if flight[_STATUS] != _PENDING:
            return flight[_STATUS], flight[_OUTCOME]
        owner = flight[_OWNER]
        path = [flight]
        while owner is not st and len(path) <= len(_waiting) + 1:
            blocking = _waiting.get(owner)
            if blocking is None:
                break
            path.append(blocking)
            owner = blocking[_OWNER]
        if owner is st and all(f[_STATUS] == _PENDING for f in path):
            raise _cycle_error(flight, [*reversed(path), flight], threads=True)
        _waiting[st] = flight
        gate = flight[_GATE]
        if gate is None:
            gate = threading.Lock()
            gate.acquire()
            flight[_GATE] = gate
    try:
        # the owner sets the status before it reads the gate, and we stored the
        # gate before reading the status: one of us sees the other
        if flight[_STATUS] == _PENDING:
            gate.acquire()
            gate.release()
    finally:
        with _graph_lock:
            del _waiting[st]
    return flight[_STATUS], flight[_OUTCOME]


_short = reprlib.Repr()
_short.maxstring = 30
_short.maxother = 30
_short.maxlist = _short.maxtuple = _short.maxdict = _short.maxset = 5
_short.maxlevel = 3


def _call_repr(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [_short.repr(a) for a in args]
    parts += [f"{k}={_short.repr(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _state_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    if not kwargs:
        return args
    return (*args, *sorted(kwargs.items()))


def _display_name(func: object) -> str:
    """The name a message shows: the qualified name, less any ``<locals>`` prefix."""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    return str(name).rpartition("<locals>.")[2]


def _flight_repr(flight: list[Any]) -> str:
    return _call_repr(flight[_MISS]._dp_name, flight[_ARGS], flight[_KWARGS])


def _cycle_error(
    flight: list[Any], path: list[list[Any]] | None, *, threads: bool = False
) -> CycleError:
    """A CycleError for a call that needs its own result (*path*: the cycle, if known)."""
    call = _flight_repr(flight)
    if path is None:
        path = [flight, flight]
    shown = [_flight_repr(f) for f in path]
    if len(shown) > 8:
        shown = [*shown[:3], f"... ({len(shown) - 6} more)", *shown[-3:]]
    where = " across threads" if threads else ""
    return CycleError(
        f"{call} needs its own result: dependency cycle{where} {' -> '.join(shown)}",
        cycle=[_state_of(f[_ARGS], f[_KWARGS]) for f in path],
    )


def _own_cycle(st: _deep.ThreadState, flight: list[Any]) -> CycleError:
    chain = st.chain
    try:
        start = chain.index(flight)
    except ValueError:
        return _cycle_error(flight, None)
    return _cycle_error(flight, [*chain[start:], flight])


# ----------------------------------------------------------------------------
# asyncio
# ----------------------------------------------------------------------------


async def _raise_kept(kept: _Raised) -> Any:
    """What a hit on a cached exception of an ``async def`` function returns."""
    raise kept[0].with_traceback(kept[1])


def _retrieve(task: asyncio.Task[Any]) -> None:
    """Mark a shared computation's exception retrieved (its awaiters may all be gone)."""
    if not task.cancelled():
        task.exception()


# The memoized coroutines the current task is computing, innermost first, as a
# linked list of (miss, key, parent) nodes: each computation's task extends its
# creator's chain in O(1), and only joining a running computation walks it.
_achain: contextvars.ContextVar[tuple[Any, Hashable, Any] | None] = contextvars.ContextVar(
    "dptoolkit_memo_chain", default=None
)


def _in_achain(miss: object, key: Hashable) -> bool:
    node = _achain.get()
    while node is not None:
        if node[0] is miss and node[1] == key:
            return True
        node = node[2]
    return False


# ----------------------------------------------------------------------------
# one cache
# ----------------------------------------------------------------------------


_NOT_CACHED = (Unwind, RecursionError, CycleError)


class _Engine:
    """One cache and the miss path that fills it (a function, or one instance's method)."""

    __slots__ = ("clear", "counts", "evict", "info", "miss", "wrapper")

    def __init__(
        self,
        func: Callable[..., Any],
        name: str,
        opts: _Options,
        bound: BoundStore | None,
        ref: Callable[[], object] | None,
        is_async: bool,
        wrapper_cls: Any,
    ) -> None:
        build = _build_async if is_async else _build_sync
        self.miss, self.info, self.clear, self.evict = build(func, name, opts, bound, ref)
        self.counts: Callable[[], tuple[int, int]] = self.miss._dp_counts
        maxsize = opts.maxsize
        plain = opts.ttl is None and opts.key is None and not opts.cache_errors
        data = self.miss._dp_data
        self.wrapper = wrapper_cls(
            data if plain else {},
            self.miss,
            typed=opts.typed,
            lru=plain and maxsize is not None,
            awaitable=is_async,
        )
        self.wrapper.enabled = plain
        self.miss._dp_wrapper = self.wrapper


class _Table:
    """The entries of one cache, for the options that need more than a dict.

    ``data`` maps a key to the value, or to ``(value, expires)`` with a
    ``ttl``; it is an ``OrderedDict`` in least-recently-used order when
    ``maxsize`` is set. Expired entries are dropped when they are looked up,
    and all of them whenever a new entry is stored (a queue in insertion
    order, which is expiry order, makes that cheap).
    """

    __slots__ = ("data", "maxsize", "move", "queue", "timer", "ttl")

    def __init__(self, opts: _Options) -> None:
        self.maxsize = opts.maxsize
        self.ttl = opts.ttl
        self.timer = opts.timer if opts.ttl is None else check_clock("timer", opts.timer)
        self.data: dict[Hashable, Any] = OrderedDict() if opts.maxsize is not None else {}
        self.move = getattr(self.data, "move_to_end", None)
        self.queue: collections.deque[tuple[float, Hashable]] = collections.deque()

    def get(self, key: Hashable) -> Any:
        """The live entry for *key* (refreshing its LRU position), or ``_MISSING``."""
        data = self.data
        entry = data.get(key, _MISSING)
        if entry is _MISSING:
            return _MISSING
        if self.ttl is not None:
            if self.timer() >= entry[1]:
                if data.get(key) is entry:
                    data.pop(key, None)
                return _MISSING
            entry = entry[0]
        if self.move is not None:
            try:  # noqa: SIM105 (suppress() costs a context manager per hit)
                self.move(key)
            except KeyError:
                pass
        return entry

    def put(self, key: Hashable, entry: Any) -> None:
        """Store *entry*: drop expired entries, then the least recently used ones."""
        maxsize, data = self.maxsize, self.data
        if maxsize == 0:
            return
        if self.ttl is not None:
            now = self.timer()
            queue = self.queue
            while queue and queue[0][0] <= now:
                expires, old = queue.popleft()
                current = data.get(old)
                if current is not None and current[1] == expires:
                    data.pop(old, None)
            expires = now + self.ttl
            entry = (entry, expires)
            queue.append((expires, key))
        data[key] = entry
        if maxsize is not None:
            if self.move is not None:
                try:  # noqa: SIM105 (as above)
                    self.move(key)
                except KeyError:
                    pass
            while len(data) > maxsize:
                try:
                    data.popitem(last=False)  # type: ignore[call-arg]
                except KeyError:
                    break

    def live(self) -> int:
        """The number of entries that have not expired."""
        if self.ttl is None:
            return len(self.data)
        now = self.timer()
        return sum(1 for entry in list(self.data.values()) if now < entry[1])

    def pop(self, key: Hashable) -> bool:
        """Remove *key*; True if it held a live entry."""
        entry = self.data.pop(key, _MISSING)
        if entry is _MISSING:
            return False
        return self.ttl is None or self.timer() < entry[1]

    def clear(self) -> None:
        self.data.clear()
        self.queue.clear()


def _info_functions(
    opts: _Options,
    table: _Table,
    counts: Callable[[], tuple[int, int]],
    reset: Callable[[], None],
    bound: BoundStore | None,
    key_of: Callable[[tuple[Any, ...], dict[str, Any]], Hashable],
    store_call: Callable[
        [tuple[Any, ...], dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any] | None]
    ],
) -> tuple[
    Callable[[], CacheInfo], Callable[[], None], Callable[[tuple[Any, ...], dict[str, Any]], bool]
]:
    def info() -> CacheInfo:
        hits, misses = counts()
        return CacheInfo(hits, misses, opts.maxsize, table.live())

    def clear() -> None:
        table.clear()
        reset()
        if bound is not None:
            bound.clear()

    def evict(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        found = table.pop(key_of(args, kwargs))
        if bound is not None:
            found = bound.delete(*store_call(args, kwargs)) or found
        return found

    return info, clear, evict


def _key_function(opts: _Options) -> Callable[[tuple[Any, ...], dict[str, Any]], Hashable]:
    """The full (slow-path) key of a call: the user's ``key=`` or :func:`make_key`."""
    keyfunc, typed = opts.key, opts.typed
    if keyfunc is None:
        return lambda args, kwargs: make_key(args, kwargs, typed)

    def user_key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
        key = keyfunc(*args, **kwargs)
        try:
            hash(key)
        except TypeError:
            key = freeze(key)
        return key

    return user_key


def _target(
    ref: Callable[[], object] | None, name: str
) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """``args -> the arguments the function receives`` (the instance first, for a method)."""
    if ref is None:
        return lambda args: args

    def with_self(args: tuple[Any, ...]) -> tuple[Any, ...]:
        obj = ref()
        if obj is None:
            raise ReferenceError(f"the instance of memoized method {name} no longer exists")
        return (obj, *args)

    return with_self


def _store_call(
    opts: _Options, target: Callable[[tuple[Any, ...]], tuple[Any, ...]]
) -> Callable[[tuple[Any, ...], dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any] | None]]:
    """``(args, kwargs) -> what a store keys the call by``: the arguments, or what
    ``key=`` returns (after the instance, for a method), so the store and the
    in-process cache agree on which calls are the same."""
    keyfunc = opts.key
    if keyfunc is None:
        return lambda args, kwargs: (target(args), kwargs)
    return lambda args, kwargs: (target((keyfunc(*args, **kwargs),)), None)


def _build_sync(
    func: Callable[..., Any],
    name: str,
    opts: _Options,
    bound: BoundStore | None,
    ref: Callable[[], object] | None,
) -> tuple[Any, Any, Any, Any]:
    keyfunc, condition, cache_errors = opts.key, opts.condition, opts.cache_errors
    table = _Table(opts)
    data = table.data
    get, put = table.get, table.put
    maxsize = opts.maxsize
    move = table.move
    plain = opts.ttl is None and opts.maxsize is None  # data holds bare values, unbounded
    data_get = data.get
    simple_key = keyfunc is None and not opts.typed
    full_key = _key_function(opts)
    target = _target(ref, name)
    store_call = _store_call(opts, target)
    flights: dict[Hashable, list[Any]] = {}
    claim = flights.setdefault
    local = _deep._local
    new_state = _deep.state
    probe = _deep.probe
    PROBE = _deep.PROBE
    MISSING = _MISSING
    unhashable = UNHASHABLE
    simple = condition is None and bound is None and ref is None
    hits = misses = 0

    def general_miss(*args: Any, **kwargs: Any) -> Any:
        # The C hit path could not answer this call: find, wait for or compute
        # it (flight fields by literal index: 0 owner, 1 status, 2 outcome, 3 gate).
        nonlocal hits, misses
        if kwargs or not simple_key:
            key = full_key(args, kwargs)
        elif len(args) == 1:
            kind = type(args[0])
            if kind is int or kind is str:
                key = args[0]
            elif kind in unhashable:
                key = full_key(args, kwargs)
            else:
                key = args
        else:
            key = args
        try:
            st = local.state
        except AttributeError:
            st = new_state()
        flight = [st, 0, None, None, args, kwargs, miss, key]
        try:
            other = claim(key, flight)
        except TypeError:
            key = flight[7] = full_key(args, kwargs)
            other = claim(key, flight)
        if other is not flight:
            return join(st, other, args, kwargs)
        chain = st.chain
        depth = len(chain)
        # -- we own the key: look again, then compute ----------------------
        try:
            entry = data_get(key, MISSING) if plain else get(key)
            if entry is not MISSING:
                return found(key, flight, entry)
            if depth >= st.budget or st.resume is not None:
                entry = deep_checks(st, key, flight, depth)
                if entry is not MISSING:
                    return found(key, flight, entry)
            if simple:
                sargs = args
                cache = True
            else:
                sargs = args if ref is None else target(args)
                cache = condition is None or bool(condition(*args, **kwargs))
        except BaseException:
            if flight[1] == 0:  # still ours: release it (C operations only, as below)
                flight[1] = 3  # _RETRY
                del flights[key]
                if flight[3] is not None:
                    flight[3].release()
            raise
        chain.append(flight)
        try:
            if simple or bound is None or not cache:
                value = func(*sargs, **kwargs) if kwargs else func(*sargs)
            else:
                value = through_store(sargs, args, kwargs)
        except BaseException as exc:
            chain.pop()
            # Release the key first, with C operations only: this may run at the
            # recursion limit, where any Python call raises RecursionError again.
            # (And no local variable may hold the unwind: frames it passes
            # would form reference cycles with its traceback.)
            if exc is st.unwinding:  # an unwind passing through: once per level, lean
                flight[1] = 3  # _RETRY: the key will be computed again
                del flights[key]
                if flight[3] is not None:
                    flight[3].release()
                if depth or st.driving:
                    # drop the traceback so far: the frames below are freed now,
                    # not kept (and traced by the collector) until the driver
                    exc.__traceback__ = None
                    raise
            else:
                if (
                    st.unwinding is not None
                    or not isinstance(exc, Exception)  # KeyboardInterrupt: others go on
                    or (depth and isinstance(exc, RecursionError))
                ):
                    flight[1] = 3  # _RETRY
                else:
                    flight[2] = _Raised((exc, exc.__traceback__))  # C only, as above
                    flight[1] = 2  # _ERROR
                del flights[key]
                if flight[3] is not None:
                    flight[3].release()
                if st.unwinding is None:  # an error, or a RecursionError to turn into an unwind
                    failed(st, key, args, kwargs, depth, cache, exc)
                    raise
                # user code replaced the unwind with another exception: resume it
                if depth or st.driving:
                    raise st.unwinding from None
        else:
            chain.pop()
            if st.unwinding is not None:  # user code swallowed an unwind: resume it
                _release(flights, key, flight, _RETRY, None)
                return failed(st, key, args, kwargs, depth, cache, st.unwinding)
            misses += 1
            if cache:
                try:
                    if plain:
                        data[key] = value
                    else:
                        put(key, value)  # runs the timer, user code
                except BaseException:
                    _release(flights, key, flight, _RETRY, None)  # never leave it claimed
                    raise
            flight[2] = value
            flight[1] = 1  # _VALUE
            del flights[key]
            if flight[3] is not None:
                flight[3].release()
            if not depth and st.budget != PROBE and not st.driving:
                st.reset()
            return value
        # An unwind reached the outermost memoized call: drive from here, out of
        # the handler, so what the driven calls raise never gets it as __context__.
        keep = None if ref is None else target(args)[0]
        return _deep.drive(st, (miss, key, args, kwargs, keep))

    def fast_miss(*args: Any, **kwargs: Any) -> Any:
        # general_miss without the options (no key=, typed, ttl, maxsize=0,
        # condition, store, instance): the per-level cost of a cold recursion
        nonlocal hits, misses
        if kwargs:
            key = full_key(args, kwargs)
        elif len(args) == 1:
            kind = type(args[0])
            if kind is int or kind is str:
                key = args[0]
            elif kind in unhashable:  # a list, say: freeze without a failed hash first
                key = (freeze(args[0]),)  # = make_key(args, {}, False)
                # the C path cannot see frozen keys: answer their hits here, at once
                entry = data_get(key, MISSING)
                if entry is not MISSING:
                    hits += 1
                    if move is not None:
                        try:  # noqa: SIM105 (as above)
                            move(key)
                        except KeyError:
                            pass
                    return entry
            else:
                key = args
        else:
            key = args
        try:
            st = local.state
        except AttributeError:
            st = new_state()
        flight = [st, 0, None, None, args, kwargs, miss, key]
        try:
            other = claim(key, flight)
        except TypeError:
            key = flight[7] = full_key(args, kwargs)
            other = claim(key, flight)
        if other is not flight:
            return join(st, other, args, kwargs)
        chain = st.chain
        depth = len(chain)
        # -- we own the key: look again, then compute ----------------------
        try:
            entry = data_get(key, MISSING)
            if entry is not MISSING:
                return found(key, flight, entry)
            if depth >= st.budget or st.resume is not None:
                entry = deep_checks(st, key, flight, depth)
                if entry is not MISSING:
                    return found(key, flight, entry)
        except BaseException:
            if flight[1] == 0:  # still ours: release it (C operations only, as below)
                flight[1] = 3  # _RETRY
                del flights[key]
                if flight[3] is not None:
                    flight[3].release()
            raise
        chain.append(flight)
        try:
            value = func(*args, **kwargs) if kwargs else func(*args)
        except BaseException as exc:
            chain.pop()
            # Release the key first, with C operations only: this may run at the
            # recursion limit, where any Python call raises RecursionError again.
            # (And no local variable may hold the unwind: frames it passes
            # would form reference cycles with its traceback.)
            if exc is st.unwinding:  # an unwind passing through: once per level, lean
                flight[1] = 3  # _RETRY: the key will be computed again
                del flights[key]
                if flight[3] is not None:
                    flight[3].release()
                if depth or st.driving:
                    # drop the traceback so far: the frames below are freed now,
                    # not kept (and traced by the collector) until the driver
                    exc.__traceback__ = None
                    raise
            else:
                if (
                    st.unwinding is not None
                    or not isinstance(exc, Exception)  # KeyboardInterrupt: others go on
                    or (depth and isinstance(exc, RecursionError))
                ):
                    flight[1] = 3  # _RETRY
                else:
                    flight[2] = _Raised((exc, exc.__traceback__))  # C only, as above
                    flight[1] = 2  # _ERROR
                del flights[key]
                if flight[3] is not None:
                    flight[3].release()
                if st.unwinding is None:  # an error, or a RecursionError to turn into an unwind
                    failed(st, key, args, kwargs, depth, True, exc)
                    raise
                # user code replaced the unwind with another exception: resume it
                if depth or st.driving:
                    raise st.unwinding from None
        else:
            chain.pop()
            if st.unwinding is not None:  # user code swallowed an unwind: resume it
                _release(flights, key, flight, _RETRY, None)
                return failed(st, key, args, kwargs, depth, True, st.unwinding)
            misses += 1
            try:
                data[key] = value  # (a key's __eq__ may run, and raise)
            except BaseException:
                _release(flights, key, flight, _RETRY, None)  # never leave it claimed
                raise
            if maxsize is not None and len(data) > maxsize:  # least recently used first
                try:  # noqa: SIM105 (as above)
                    data.popitem(last=False)  # type: ignore[call-arg]
                except KeyError:  # emptied meanwhile by another thread
                    pass
            flight[2] = value
            flight[1] = 1  # _VALUE
            del flights[key]
            if flight[3] is not None:
                flight[3].release()
            if not depth and st.budget != PROBE and not st.driving:
                st.reset()
            return value
        # as in general_miss: drive out of the handler
        return _deep.drive(st, (miss, key, args, kwargs, None))

    def deep_checks(st: _deep.ThreadState, key: Hashable, flight: list[Any], depth: int) -> Any:
        # past the depth budget (probe or unwind), or in a driver session
        if st.resume is not None:
            done = st.resume.get(miss)
            if done is not None:
                outcome = done.get(key)
                if outcome is not None:
                    return outcome[1]  # a value, or a _Raised to raise again
        if depth >= st.budget and probe(st, depth, 2):
            args = flight[4]
            keep = None if ref is None else target(args)[0]
            st.unwinding = Unwind((miss, key, args, flight[5], keep), st.chain[:])
            raise st.unwinding
        return MISSING

    def found(key: Hashable, flight: list[Any], entry: Any) -> Any:
        # the value was there after all (another thread, a frozen key, a resume)
        nonlocal hits
        hits += 1
        if move is not None and key in data:
            try:  # noqa: SIM105 (as above)
                move(key)
            except KeyError:
                pass
        if type(entry) is _Raised:
            _release(flights, key, flight, _ERROR, entry)
            raise entry[0].with_traceback(entry[1])
        flight[2] = entry
        flight[1] = 1  # _VALUE
        del flights[key]
        if flight[3] is not None:
            flight[3].release()
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
        st: _deep.ThreadState,
        key: Hashable,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        depth: int,
        cache: bool,
        exc: BaseException,
    ) -> Any:
        # the computation raised (its flight is released): a swallowed unwind to
        # resume, a RecursionError to turn into an unwind, or an error to count
        # (and cache, with cache_errors) before the caller re-raises it
        nonlocal misses
        if st.unwinding is not None:  # swallowed by user code: resume unwinding
            if depth or st.driving:
                raise st.unwinding
            keep = None if ref is None else target(args)[0]
            return _deep.drive(st, (miss, key, args, kwargs, keep))
        if depth and isinstance(exc, RecursionError):
            # a level costs more than the budget assumed: unwind, retry shallower
            _deep.shrink(st, depth)
            keep = None if ref is None else target(args)[0]
            st.unwinding = Unwind((miss, key, args, kwargs, keep), st.chain[:])
            raise st.unwinding from None
        misses += 1
        if (
            cache_errors
            and cache
            and isinstance(exc, Exception)
            and not isinstance(exc, _NOT_CACHED)
        ):
            put(key, _Raised((exc, exc.__traceback__)))
        if not depth and not st.driving:
            st.reset()
        return MISSING

    def join(
        st: _deep.ThreadState, other: list[Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        # the key is in flight: ours (a cycle) or another thread's (wait for it)
        nonlocal hits
        if other[_OWNER] is st:
            raise _own_cycle(st, other)
        status, outcome = _wait(st, other)
        if status == _VALUE:
            hits += 1
            return outcome
        if status == _ERROR:
            hits += 1  # answered without computing, as a value would be
            raise outcome[0].with_traceback(outcome[1])
        return miss(*args, **kwargs)  # the owner unwound: try again

    # the lean path serves plain and LRU caches without other options
    lean = simple and simple_key and opts.ttl is None and opts.maxsize != 0
    miss = fast_miss if lean else general_miss

    def counts() -> tuple[int, int]:
        return int(miss._dp_wrapper.hits) + hits, misses  # type: ignore[attr-defined]

    def reset() -> None:
        nonlocal hits, misses
        hits = misses = 0
        miss._dp_wrapper.hits = 0  # type: ignore[attr-defined]

    info, clear, evict = _info_functions(opts, table, counts, reset, bound, full_key, store_call)
    miss._dp_name = name  # type: ignore[attr-defined]
    miss._dp_data = data  # type: ignore[attr-defined]
    miss._dp_counts = counts  # type: ignore[attr-defined]
    # a stored value stays until the driver's retry reads it (see _deep.drive)
    miss._dp_keeps = plain and condition is None  # type: ignore[attr-defined]
    miss._dp_flights = flights  # type: ignore[attr-defined]
    _misses.add(miss)
    return miss, info, clear, evict


def _build_async(
    func: Callable[..., Any],
    name: str,
    opts: _Options,
    bound: BoundStore | None,
    ref: Callable[[], object] | None,
) -> tuple[Any, Any, Any, Any]:
    typed, keyfunc, condition, cache_errors = (
        opts.typed,
        opts.key,
        opts.condition,
        opts.cache_errors,
    )
    table = _Table(opts)
    data = table.data
    get, put = table.get, table.put
    full_key = _key_function(opts)
    target = _target(ref, name)
    store_call = _store_call(opts, target)
    running: dict[Hashable, asyncio.Task[Any]] = {}
    qualname = getattr(func, "__qualname__", name)
    hits = misses = 0

    def miss(*args: Any, **kwargs: Any) -> Any:
        nonlocal hits
        if keyfunc is None and not kwargs and not typed:
            key: Hashable = args
            if len(args) == 1 and (type(args[0]) is int or type(args[0]) is str):
                key = args[0]
            try:
                entry = get(key)
            except TypeError:
                key = full_key(args, kwargs)
                entry = get(key)
        else:
            key = full_key(args, kwargs)
            entry = get(key)
        if entry is not _MISSING:
            hits += 1
            if type(entry) is _Raised:
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
        if entry is not _MISSING:
            hits += 1
            if type(entry) is _Raised:
                raise entry[0].with_traceback(entry[1])
            return entry
        task = running.get(key)
        if task is not None and task.get_loop() is loop:
            if _in_achain(miss, key):
                raise _cycle_error([None, 0, None, None, args, kwargs, miss, key], None)
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
        _achain.set((miss, key, _achain.get()))  # this task's own context
        try:
            cache = condition is None or bool(condition(*args, **kwargs))
            if bound is not None and cache:
                skey = store_call(args, kwargs)
                found, value = bound.get(*skey)
                if not found:
                    with bound.lock(*skey):
                        found, value = bound.get(*skey)
                        if not found:
                            value = await call(key, sargs, kwargs, cache)
                            bound.set(*skey, value)
                if found:
                    hits += 1
            else:
                value = await call(key, sargs, kwargs, cache)
            if cache:
                put(key, value)
            return value
        finally:
            if running.get(key) is asyncio.current_task():
                del running[key]

    async def call(
        key: Hashable,
        sargs: tuple[Any, ...],
        kwargs: dict[str, Any],
        cache: bool,
    ) -> Any:
        nonlocal misses
        try:
            value = await func(*sargs, **kwargs)
        except Exception as exc:
            misses += 1
            if cache_errors and cache and not isinstance(exc, _NOT_CACHED):
                put(key, _Raised((exc, exc.__traceback__)))
            raise
        misses += 1
        return value

    def counts() -> tuple[int, int]:
        return int(miss._dp_wrapper.hits) + hits, misses  # type: ignore[attr-defined]

    def reset() -> None:
        nonlocal hits, misses
        hits = misses = 0
        miss._dp_wrapper.hits = 0  # type: ignore[attr-defined]

    info, clear, evict = _info_functions(opts, table, counts, reset, bound, full_key, store_call)
    miss._dp_name = name  # type: ignore[attr-defined]
    miss._dp_data = data  # type: ignore[attr-defined]
    miss._dp_counts = counts  # type: ignore[attr-defined]
    return miss, info, clear, evict


# ----------------------------------------------------------------------------
# methods
# ----------------------------------------------------------------------------


class _Method:
    """``instance.method`` for a memoized method: the instance's own cache.

    It holds the instance (as a bound method does); the cache itself refers to
    it only weakly, so the instance is freed as soon as nothing else holds it,
    and its cache with it.
    """

    __slots__ = ("__func__", "__self__", "_engine")

    def __init__(self, owner: Any, obj: object, engine: _Engine | None) -> None:
        self.__func__ = owner
        self.__self__ = obj
        self._engine = engine

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        engine = self._engine
        if engine is None:  # an instance that cannot be weakly referenced: no cache
            return self.__func__._dp_uncached(self.__self__, args, kwargs)
        return engine.wrapper(*args, **kwargs)

    def cache_info(self) -> CacheInfo:
        """This instance's statistics."""
        if self._engine is None:
            return CacheInfo(0, 0, self.__func__.cache_parameters()["maxsize"], 0)
        return self._engine.info()  # type: ignore[no-any-return]

    def cache_clear(self) -> None:
        """Empty this instance's cache and reset its statistics."""
        if self._engine is not None:
            self._engine.clear()

    def cache_evict(self, *args: Any, **kwargs: Any) -> bool:
        """Drop this instance's entry for these arguments; True if it was there."""
        if self._engine is None:
            return False
        return bool(self._engine.evict(args, kwargs))

    def cache_parameters(self) -> dict[str, Any]:
        """The options the method was memoized with."""
        return self.__func__.cache_parameters()  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        # __name__, __qualname__, __wrapped__, __module__, ...: the function's
        return getattr(self.__func__, name)

    # the class attributes a bound method takes from its function instead
    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return self.__func__.__doc__  # type: ignore[no-any-return]

    @property
    def __signature__(self) -> inspect.Signature:
        # the function's, less its first parameter, as for a bound method
        return inspect.signature(types.MethodType(self.__func__, self.__self__))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a bound method is: the instance and the attribute name
        return getattr, (self.__self__, self.__func__.__name__)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is _Method
            and other.__self__ is self.__self__
            and other.__func__ is self.__func__
        )

    def __hash__(self) -> int:
        return hash((id(self.__self__), id(self.__func__)))

    def __repr__(self) -> str:
        return f"<memoized method {self.__qualname__} of {self.__self__!r}>"


# ----------------------------------------------------------------------------
# the decorator
# ----------------------------------------------------------------------------


def _decorate(func: object, opts: _Options) -> Any:
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
    name = _display_name(func)
    is_async = inspect.iscoroutinefunction(func)
    bound = None if opts.resolved is None else opts.resolved.bind(func, ttl=opts.ttl)
    # read at decoration (tests swap it for the pure-Python twin); instances use the same
    wrapper_cls = _fastpath.FastWrapper
    engine = _Engine(func, name, opts, bound, None, is_async, wrapper_cls)
    wrapper = engine.wrapper
    functools.update_wrapper(wrapper, func)
    # per-instance caches, keyed by id() and dropped by a weakref callback
    instances: dict[int, tuple[weakref.ref[Any], _Engine]] = {}
    warned: set[type] = set()
    # [hits, misses] of instances collected since the last cache_clear, and
    # the calls on instances that cannot be weakly referenced (never cached)
    retired = [0, 0]
    uncached = 0

    def engines() -> list[_Engine]:
        return [engine] + [entry[1] for entry in list(instances.values())]

    def cache_info() -> CacheInfo:
        """Hits, misses, maxsize and current size (all instances, for a method)."""
        hits, misses, size = retired[0], retired[1] + uncached, 0
        for one in engines():
            info = one.info()
            hits += info.hits
            misses += info.misses
            size += info.currsize
        return CacheInfo(hits, misses, opts.maxsize, size)

    def cache_clear() -> None:
        """Empty the cache (every instance's, for a method) and reset the statistics."""
        nonlocal uncached
        for one in engines():
            one.clear()
        retired[0] = retired[1] = 0
        uncached = 0

    def cache_parameters() -> dict[str, Any]:
        """The options this function was memoized with."""
        return {
            "maxsize": opts.maxsize,
            "ttl": opts.ttl,
            "timer": opts.timer,
            "typed": opts.typed,
            "key": opts.key,
            "store": opts.store,
            "cache_errors": opts.cache_errors,
            "condition": opts.condition,
        }

    def cache_evict(*args: Any, **kwargs: Any) -> bool:
        """Drop the entry for these arguments; True if there was one.

        On a method, ``Class.method.cache_evict(instance, *args)`` drops the
        instance's entry.
        """
        if args:
            entry = instances.get(id(args[0]))
            if entry is not None and entry[0]() is args[0]:
                found = bool(entry[1].evict(args[1:], kwargs))
                try:  # and Class.method(instance, ...)'s entry, if the instance can be a key
                    return bool(engine.evict(args, kwargs)) or found
                except InvalidType:  # an unhashable instance (it defines __eq__)
                    return found
        return bool(engine.evict(args, kwargs))

    def call_uncached(obj: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        nonlocal uncached
        uncached += 1
        return func(obj, *args, **kwargs)

    def bind(obj: object) -> _Method:
        entry = instances.get(id(obj))
        if entry is not None and entry[0]() is obj:
            return _Method(wrapper, obj, entry[1])
        try:
            ref = weakref.ref(obj, functools.partial(_forget, instances, id(obj), retired))
        except TypeError:
            cls = type(obj)
            if cls not in warned:
                warned.add(cls)
                warnings.warn(
                    f"memoized method {name}: instances of {cls.__qualname__} cannot be weakly "
                    "referenced, so their results are not cached (add '__weakref__' to __slots__)",
                    RuntimeWarning,
                    stacklevel=3,
                )
            return _Method(wrapper, obj, None)
        one = _Engine(func, name, opts, bound, ref, is_async, wrapper_cls)
        entry = instances.setdefault(id(obj), (ref, one))
        return _Method(wrapper, obj, entry[1])

    wrapper.cache_info = cache_info
    wrapper.cache_clear = cache_clear
    wrapper.cache_parameters = cache_parameters
    wrapper.cache_evict = cache_evict
    wrapper._bind = bind
    wrapper._dp_uncached = call_uncached
    if is_async:
        _mark_coroutine_function(wrapper)
    return wrapper


def _forget(
    instances: dict[int, tuple[weakref.ref[Any], _Engine]],
    ident: int,
    retired: list[int],
    ref: weakref.ref[Any],
) -> None:
    """An instance was collected: drop its cache, keep its statistics."""
    entry = instances.get(ident)
    if entry is not None and entry[0] is ref:
        del instances[ident]
        hits, misses = entry[1].counts()
        retired[0] += hits
        retired[1] += misses


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
    allows completes without changing the recursion limit; ``misses`` then
    equals the number of distinct calls computed, while ``hits`` also counts
    the re-reads made when resuming after an unwind. The guide is
    ``docs/memo.md``.
    """
    opts = _check_options(maxsize, ttl, timer, typed, key, store, cache_errors, condition)
    if func is None:
        return functools.partial(_decorate, opts=opts)
    return _decorate(func, opts)
