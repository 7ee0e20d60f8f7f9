"""Single flight: the record of one computation in progress, and waiting for it.

A *flight* is a list with named fields (indices, as CPython's ``lru_cache``
names its links): ``flight[OWNER]`` the owner's ``ThreadState``,
``flight[STATUS]`` one of ``PENDING, VALUE, ERROR, RETRY``,
``flight[OUTCOME]`` the value or a :class:`._state.Raised`, ``flight[GATE]``
a lock or None, ``flight[ARGS]``/``flight[KWARGS]`` the call (``ARGS`` is
None when the lone argument is the key: read it with :func:`call_args`),
``flight[CACHE]`` the :class:`._state.CacheState`, ``flight[KEY]`` its key.
A list, not a class: the miss path makes one per miss, and a list literal is
the cheapest record Python builds. :func:`new` builds one in field order.

The gate is a lock the first waiter creates held; the owner releases it when
the flight ends (a C call: it works even at the recursion limit), and each
waiter passes it on (acquire, release).

Imports :mod:`._state` and :mod:`._names`; imported by the miss paths. The C
miss path (``dptoolkit/_cmemo.c``) builds the same list, its fields named by
an enum in the same order.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable
from typing import Any

from ..errors import CycleError
from ._names import call_repr, state_of
from ._state import CacheState

__all__ = [
    "ARGS",
    "CACHE",
    "ERROR",
    "GATE",
    "KEY",
    "KWARGS",
    "OUTCOME",
    "OWNER",
    "PENDING",
    "RETRY",
    "STATUS",
    "VALUE",
    "after_fork",
    "call_args",
    "cycle_error",
    "new",
    "register",
    "release",
    "wait",
]

# the fields of a flight
OWNER, STATUS, OUTCOME, GATE, ARGS, KWARGS, CACHE, KEY = range(8)
# its statuses: still computing; ended with a value, with an error; or
# abandoned (the owner unwound or was interrupted: compute the key again)
PENDING, VALUE, ERROR, RETRY = range(4)

_graph_lock = threading.Lock()
# thread -> the flight it is waiting for (the wait-for graph, for deadlocks)
_waiting: dict[Any, list[Any]] = {}
# every synchronous cache (its flights are its ``flights``), for fork
_caches: weakref.WeakSet[CacheState] = weakref.WeakSet()


def new(
    owner: object,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    cache: CacheState | None,
    key: Hashable,
) -> list[Any]:
    """A pending flight (the miss path writes the same list inline, in this order)."""
    return [owner, PENDING, None, None, args, kwargs, cache, key]


def register(cache: CacheState) -> None:
    """Remember *cache* so that a forked child can drop its foreign flights."""
    _caches.add(cache)


def after_fork(me: object) -> None:
    """In a forked child, forget the computations of threads the child does not have.

    Only the thread that called ``fork`` (whose state is *me*) exists in the
    child: a flight another thread owned would never end, and a call of its
    key would wait forever. Such flights are dropped (their keys are computed
    afresh on demand), and the wait-for graph and its lock start clean
    (another thread may have held the lock at the fork).
    """
    global _graph_lock
    _graph_lock = threading.Lock()
    _waiting.clear()
    for cache in list(_caches):
        flights = cache.flights
        for key, flight in list(flights.items()):
            if flight[OWNER] is not me:
                flight[STATUS] = RETRY
                del flights[key]


def release(
    flights: dict[Hashable, list[Any]],
    key: Hashable,
    flight: list[Any],
    status: int,
    outcome: object,
) -> None:
    """End *flight* (ours): publish its outcome, unregister it, wake its waiters."""
    flight[OUTCOME] = outcome
    flight[STATUS] = status
    if flights.get(key) is flight:
        del flights[key]
    gate = flight[GATE]
    if gate is not None:
        gate.release()


def wait(st: object, flight: list[Any]) -> tuple[int, Any]:
    """Wait for another thread's *flight*; raise CycleError if that would deadlock.

    The wait-for graph (thread -> the flight it waits for) is walked under a
    lock. A cycle counts only if every flight on it is still pending: a flight
    released meanwhile (its owner unwound, or finished) cannot block anyone,
    and the owners along a real cycle are all blocked, so none of its flights
    can change while we look.
    """
    with _graph_lock:
        if flight[STATUS] != PENDING:
            return flight[STATUS], flight[OUTCOME]
        owner = flight[OWNER]
        path = [flight]
        while owner is not st and len(path) <= len(_waiting) + 1:
            blocking = _waiting.get(owner)
            if blocking is None:
                break
            path.append(blocking)
            owner = blocking[OWNER]
        if owner is st and all(f[STATUS] == PENDING for f in path):
            raise cycle_error(flight, [*reversed(path), flight], threads=True)
        _waiting[st] = flight
        gate = flight[GATE]
        if gate is None:
            gate = threading.Lock()
            gate.acquire()
            flight[GATE] = gate
    try:
        # the owner sets the status before it reads the gate, and we stored the
        # gate before reading the status: one of us sees the other
        if flight[STATUS] == PENDING:
            gate.acquire()
            gate.release()
    finally:
        with _graph_lock:
            del _waiting[st]
    return flight[STATUS], flight[OUTCOME]


def waiting_count() -> int:
    """How many threads wait for a flight now (for tests)."""
    return len(_waiting)


def call_args(flight: list[Any]) -> tuple[Any, ...]:
    """The positional arguments of *flight*'s call (the C miss path stores None
    for a call whose lone argument is its key)."""
    args: tuple[Any, ...] | None = flight[ARGS]
    return (flight[KEY],) if args is None else args


def _flight_repr(flight: list[Any]) -> str:
    cache = flight[CACHE]
    return call_repr("?" if cache is None else cache.name, call_args(flight), flight[KWARGS])


def cycle_error(
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
        cycle=[state_of(call_args(f), f[KWARGS]) for f in path],
    )


def own_cycle(chain: list[list[Any]], flight: list[Any]) -> CycleError:
    """A CycleError for *flight*, found on this thread's *chain* of flights."""
    try:
        start = chain.index(flight)
    except ValueError:
        return cycle_error(flight, None)
    return cycle_error(flight, [*chain[start:], flight])
