"""Deep memoized recursion without touching the interpreter's recursion limit.

A memoized call made deeper than a per-thread *budget* raises the private
:class:`Unwind` (a ``BaseException``, so ``except Exception`` in user code lets
it pass) instead of recursing. Every memoized frame it passes releases what it
holds and re-raises; the outermost memoized frame on the thread catches it and
becomes the *driver* (:func:`drive`): it computes the pending call first (from
its own shallow frame, so the pending call has a whole budget of room below
it), then retries the calls above it, which now find the pending result and go
on. Purity makes the re-execution safe. The driver loop is iterative: pending
calls are made from its own frame, so they never nest another driver.

The budget is measured, not guessed, and shallow calls never pay for it: when
a call chain first reaches ``PROBE`` memoized levels the frames on the stack
are counted, and counted again ``PROBE`` levels later; the difference is the
cost of one level in frames, whatever the user's function does between
levels, and the budget uses a share of the room left below the recursion
limit. A recursion a few hundred levels deep therefore never unwinds. Once
one has unwound (a driver session), it goes on in segments of
``SESSION_BUDGET`` levels, which measured faster than long ones. If a
``RecursionError`` still happens inside a memoized call (a level costs more
than the frames show), the deepest memoized frame that sees it turns it into
an unwind and shrinks the budget; only a ``RecursionError`` raised with a
single memoized level on the stack, which no budget can avoid, reaches the
user.

Results of pending calls that the cache does not hold (it may be bounded,
conditional or expiring, and errors are not cached) are kept, for the
driver's session only, in ``ThreadState.resume``. The driver also remembers
the calls unwound above each pending call, so a dependency cycle longer than
the budget is reported as a :class:`~dptoolkit.errors.CycleError` (from the
outermost call) rather than unwound forever.

Counting: a miss is counted when a value is computed, so ``misses`` equals
the number of distinct calls computed; ``hits`` also count the re-reads of
pending results made while resuming (about one per segment).

Imports :mod:`._state` and :mod:`._flight` (never the miss paths, which import
it); only the sync miss path (:mod:`._sync`) calls into it.
"""

from __future__ import annotations

import operator
import sys
import threading
from collections.abc import Hashable
from typing import Any

from ._flight import CACHE, KEY, long_cycle, new
from ._state import CacheState, Raised

__all__ = ["MAX_DEPTH", "PROBE", "Raised", "ThreadState", "Unwind", "drive", "probe", "state"]

#: Memoized levels after which the stack is first measured.
PROBE = 32
#: Recursion units (Python frames) kept free below the deepest memoized level.
MARGIN = 150
#: Share of the remaining room the budget uses. Frames are what the probe can
#: count; C-level recursion (a ``__call__`` reached through a type slot, say)
#: costs units it cannot see, so the budget stays well inside the limit.
SHARE = 0.6
#: Upper bound on the live depth budget: each memoized level also uses some C
#: stack (and, from Python 3.12, a unit of the separate C recursion limit).
MAX_BUDGET = 1000
#: Live depth budget inside a driver session. Once a recursion has proved
#: deep, short segments are faster than long ones (the stack they unwind and
#: rebuild stays in the CPU caches), and every level is unwound once anyway.
SESSION_BUDGET = 24
#: Virtual depth (memoized calls along one dependency chain) at which a
#: runaway recursion is stopped with ``RecursionError``.
MAX_DEPTH = 1 << 24


class Unwind(BaseException):
    """Private: a memoized call passed the depth budget; compute ``call`` first.

    Attributes
    ----------
    call:
        ``(cache, key, args, kwargs, keepalive)`` of the call to compute first
        (*cache* the :class:`._state.CacheState` whose ``miss`` computes it).
    frames:
        The flights (:mod:`._flight`) of the memoized calls it unwinds (a copy
        of ``ThreadState.chain`` when it was raised), outermost first.
    """

    def __init__(self, call: tuple[Any, ...], frames: list[list[Any]]) -> None:
        super().__init__("dptoolkit internal: unwinding a deep memoized recursion")
        self.call = call
        self.frames = frames


class ThreadState:
    """What the memo engine keeps per thread.

    Attributes
    ----------
    chain:
        The in-flight records of the memoized calls on this thread's stack,
        outermost first; ``len(chain)`` is the live memoized depth.
    budget:
        Live memoized depth at which the next call unwinds (or probes).
    probe:
        ``None`` before the first probe of an outermost call, then
        ``(stack depth, frame)`` measured at the first probe; ``False`` once
        the budget is final.
    driving:
        True while a driver loop runs on this thread.
    unwinding:
        The :class:`Unwind` in flight, if any (a frame that returns while one
        is pending, because user code swallowed it, raises it again).
    resume:
        The driver session's results of pending calls that the cache does
        not hold (``cache -> {key: (ok, value or Raised)}``); ``None`` when
        there are none (so a plain cache costs nothing per call).
    """

    __slots__ = ("budget", "chain", "driving", "probe", "resume", "unwinding")

    def __init__(self) -> None:
        self.chain: list[list[Any]] = []
        self.budget = PROBE
        self.probe: Any = None
        self.driving = False
        self.unwinding: Unwind | None = None
        self.resume: dict[CacheState, dict[Hashable, tuple[bool, Any]]] | None = None

    def reset(self) -> None:
        """Forget the budget (the next outermost call measures its own)."""
        self.budget = PROBE
        self.probe = None
        self.unwinding = None


_local = threading.local()


def state() -> ThreadState:
    """This thread's :class:`ThreadState` (created on first use)."""
    try:
        st: ThreadState = _local.state
    except AttributeError:
        st = _local.state = ThreadState()
    return st


def probe(st: ThreadState, depth: int, skip: int = 1) -> bool:
    """Called when the live depth reaches ``st.budget``; True if the call must unwind.

    The first call (at ``PROBE`` levels) counts the Python frames on the
    stack; the second, ``PROBE`` levels deeper, counts the frames added since,
    which gives the cost of one level, and sets the final budget from the
    room left below the recursion limit. After that the budget is final.
    *skip* is how many frames up the memoized call's own frame is (it must
    still be on the stack at the second probe).
    """
    mark = st.probe
    if mark is False:
        return True
    frame: Any = sys._getframe(skip)
    if mark is None:
        count = 0
        first = frame
        while frame is not None:
            count += 1
            frame = frame.f_back
        st.probe = (count, first)
        st.budget = depth + PROBE
        return False
    below, first = mark
    added = 0
    while frame is not None and frame is not first:
        added += 1
        frame = frame.f_back
    if frame is None:  # not on this stack any more (cannot happen); be careful
        return _final(st, depth, depth)
    per_level = max(1.0, added / max(1, depth - PROBE))
    room = sys.getrecursionlimit() - (below + added) - MARGIN
    return _final(st, depth, depth + int(room / per_level * SHARE))


def _final(st: ThreadState, depth: int, budget: int) -> bool:
    st.budget = max(1, min(budget, MAX_BUDGET))
    st.probe = False
    return depth >= st.budget


def shrink(st: ThreadState, depth: int) -> None:
    """A RecursionError happened at live depth *depth*: make the budget smaller."""
    st.budget = max(1, min(st.budget, depth) * 3 // 4)
    st.probe = False


def drive(st: ThreadState, first: tuple[Any, ...]) -> Any:
    """Run the driver loop: compute the deepest pending call first, then retry.

    Parameters
    ----------
    st
        This thread's state (``st.chain`` is empty: the caller is the
        outermost memoized frame and has released everything it held).
    first
        ``(cache, key, args, kwargs, keepalive)`` of the outermost call, which
        ``st.unwinding`` (the :class:`Unwind` that reached it) interrupted.

    Returns
    -------
    object
        The value of the outermost call.

    Raises
    ------
    CycleError
        A call is its own ancestor through a chain longer than the budget
        (shorter cycles are caught where they close, by the memo engine).
    RecursionError
        The virtual depth passed :data:`MAX_DEPTH`.
    """
    unwind = st.unwinding
    assert unwind is not None
    st.driving = True
    st.unwinding = None
    # the calls unwound above the pending ones: cache -> {keys}
    virtual: dict[CacheState, set[Hashable]] = {}
    # pending[i] = (call, the calls unwound between pending[i-1] and it, virtual
    # depth); the unwound calls are kept as (miss, [keys]) when they all belong
    # to one function (the usual case), else as (None, [(cache, key), ...]),
    # never as flights: those hold arguments the collector would trace
    pending: list[tuple[tuple[Any, ...], tuple[Any, list[Any]], int]] = [(first, (None, []), 0)]

    def push(u: Unwind) -> None:
        frames = u.frames
        depth = pending[-1][2] + len(frames)
        if depth > MAX_DEPTH:
            raise RecursionError(
                f"memoized recursion deeper than {MAX_DEPTH} calls "
                "(dptoolkit._deep.MAX_DEPTH); is it infinite?"
            )
        unwound: tuple[Any, list[Any]] = (None, [])
        if frames:
            if len(set(map(_cache_of, frames))) == 1:  # one function: bulk operations
                cache = frames[0][CACHE]
                keys = list(map(_key_of, frames))
                above = virtual.get(cache)
                if above is None:
                    above = virtual[cache] = set()
                size = len(above)
                above.update(keys)
                if len(above) != size + len(keys):  # a call repeats: find it
                    above.difference_update(keys)
                    _find_repeat(above, frames)
                unwound = (cache, keys)
            else:
                for flight in frames:
                    above = virtual.get(flight[CACHE])
                    if above is None:
                        above = virtual[flight[CACHE]] = set()
                    if flight[KEY] in above:
                        raise long_cycle(flight)
                    above.add(flight[KEY])
                unwound = (None, [(flight[CACHE], flight[KEY]) for flight in frames])
        cache, key, args, kwargs = u.call[:4]
        above = virtual.get(cache)
        if above is not None and key in above:
            raise long_cycle(new(None, args, kwargs, cache, key))
        u.frames = []
        pending.append((u.call, unwound, depth))

    kept: Raised | None = None  # the last error raised by a pending call
    try:
        push(unwind)
        st.budget = min(st.budget, SESSION_BUDGET)
        st.probe = False
        while True:
            call = pending[-1][0]
            cache, key, args, kwargs = call[:4]
            try:
                value = cache.miss(*args, **kwargs)
            except Unwind as u:
                st.unwinding = None
                push(u)
                continue
            except Exception as exc:
                if len(pending) == 1:
                    raise
                # an error climbs the pending calls one by one: keep the
                # traceback it had where it was raised, not one more segment each
                if kept is None or kept[0] is not exc:
                    kept = Raised((exc, exc.__traceback__))
                outcome: tuple[bool, Any] = (False, kept)
            else:
                if len(pending) == 1:
                    return value
                outcome = (True, value)
            owner, unwound = pending.pop()[1]
            if owner is not None:
                virtual[owner].difference_update(unwound)
            else:
                for cache_, key_ in unwound:
                    virtual[cache_].discard(key_)
            if outcome[0] and cache.keeps and key in cache.data:
                continue  # the retry finds it in the cache
            if st.resume is None:
                st.resume = {}
            done = st.resume.get(cache)
            if done is None:
                done = st.resume[cache] = {}
            done[key] = outcome
    finally:
        st.driving = False
        st.resume = None
        st.reset()


_cache_of = operator.itemgetter(CACHE)
_key_of = operator.itemgetter(KEY)


def _find_repeat(above: set[Hashable], frames: list[list[Any]]) -> None:
    seen = set(above)
    for flight in frames:
        if flight[KEY] in seen:
            raise long_cycle(flight)
        seen.add(flight[KEY])
