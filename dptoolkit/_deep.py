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
"""

from __future__ import annotations

import operator
import sys
import threading
from collections.abc import Callable, Hashable
from typing import Any

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
        ``(miss, key, args, kwargs, keepalive)`` of the call to compute first.
    frames:
        The in-flight records of the memoized calls it unwinds (a copy of
        ``ThreadState.chain`` when it was raised), outermost first; each has
        its function's miss at index 6 and its key at index 7.
    """

    def __init__(self, call: tuple[Any, ...], frames: list[list[Any]]) -> None:
        super().__init__("dptoolkit internal: unwinding a deep memoized recursion")
        self.call = call
        self.frames = frames


class Raised(tuple[BaseException, Any]):
    """``(error, traceback)``: an exception kept to be raised again.

    A kept exception (a ``cache_errors`` entry, a pending call's failure in a
    driver session, a failed flight other threads wait for) is raised again
    as ``raise kept[0].with_traceback(kept[1])``, from the traceback it had
    when it was kept: raising one instance again and again would otherwise
    lengthen its traceback by the frames of every raise, without bound.
    Being a tuple, ``Raised((error, error.__traceback__))`` runs no Python
    code, so it is safe at the recursion limit.
    """

    __slots__ = ()


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
        not hold (``miss -> {key: (ok, value or Raised)}``); ``None`` when
        there are none (so a plain cache costs nothing per call).
    """

    __slots__ = ("budget", "chain", "driving", "probe", "resume", "unwinding")

    def __init__(self) -> None:
        self.chain: list[list[Any]] = []
        self.budget = PROBE
        self.probe: Any = None
        self.driving = False
        self.unwinding: Unwind | None = None
        self.resume: dict[Callable[..., Any], dict[Hashable, tuple[bool, Any]]] | None = None

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
        ``(miss, key, args, kwargs, keepalive)`` of the outermost call, which
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
    # the calls unwound above the pending ones: miss -> {keys}
    virtual: dict[Callable[..., Any], set[Hashable]] = {}
    # pending[i] = (call, the calls unwound between pending[i-1] and it, virtual
    # depth); the unwound calls are kept as (miss, [keys]) when they all belong
    # to one function (the usual case), else as (None, [(miss, key), ...]),
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
            if len(set(map(_miss_of, frames))) == 1:  # one function: bulk operations
                miss = frames[0][6]
                keys = list(map(_key_of, frames))
                above = virtual.get(miss)
                if above is None:
                    above = virtual[miss] = set()
                size = len(above)
                above.update(keys)
                if len(above) != size + len(keys):  # a call repeats: find it
                    above.difference_update(keys)
                    _find_repeat(above, frames)
                unwound = (miss, keys)
            else:
                for flight in frames:
                    above = virtual.get(flight[6])
                    if above is None:
                        above = virtual[flight[6]] = set()
                    if flight[7] in above:
                        raise _long_cycle(flight)
                    above.add(flight[7])
                unwound = (None, [(flight[6], flight[7]) for flight in frames])
        above = virtual.get(u.call[0])
        if above is not None and u.call[1] in above:
            raise _long_cycle([None, 0, None, None, u.call[2], u.call[3], u.call[0], u.call[1]])
        u.frames = []
        pending.append((u.call, unwound, depth))

    kept: Raised | None = None  # the last error raised by a pending call
    try:
        push(unwind)
        st.budget = min(st.budget, SESSION_BUDGET)
        st.probe = False
        while True:
            call = pending[-1][0]
            miss = call[0]
            try:
                value = miss(*call[2], **call[3])
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
                for miss_, key in unwound:
                    virtual[miss_].discard(key)
            if outcome[0] and miss._dp_keeps and call[1] in miss._dp_data:
                continue  # the retry finds it in the cache
            if st.resume is None:
                st.resume = {}
            done = st.resume.get(miss)
            if done is None:
                done = st.resume[miss] = {}
            done[call[1]] = outcome
    finally:
        st.driving = False
        st.resume = None
        st.reset()


_miss_of = operator.itemgetter(6)
_key_of = operator.itemgetter(7)


def _find_repeat(above: set[Hashable], frames: list[list[Any]]) -> None:
    seen = set(above)
    for flight in frames:
        if flight[7] in seen:
            raise _long_cycle(flight)
        seen.add(flight[7])


def _long_cycle(flight: list[Any]) -> Exception:
    from .errors import CycleError
    from .memo import _call_repr, _state_of

    call = _call_repr(getattr(flight[6], "_dp_name", "?"), flight[4], flight[5])
    state = _state_of(flight[4], flight[5])
    return CycleError(
        f"{call} needs its own result: a dependency cycle longer than the live depth budget",
        cycle=[state, state],
    )
