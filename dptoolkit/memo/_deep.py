"""Deep memoized recursion without touching the interpreter's recursion limit.

The recursion limit counts frames per thread, and a fresh thread starts with
the whole limit free. So a memoized call made deeper than a per-thread
*budget* does not recurse on this thread: it runs its body on a fresh helper
thread (:func:`elsewhere`) and waits for it. The helper has a whole segment of
room below it, and hands the recursion on to another helper when that is used
up. Every level runs exactly once: nothing is unwound or re-executed, and a
helper's stack is mapped once, as it grows, whatever the depth or alignment.

The helpers act for the calling thread: they share its :class:`ThreadState`
(the chain of memoized calls in progress, so a dependency cycle of any length
is named where it closes, and the owner of its flights, so threads waiting for
them see one logical thread), and run in a copy of its ``contextvars``
context. Exactly one thread of a chain runs at a time; the others wait.

The budget is measured, not guessed, and shallow calls never pay for it: when
a call chain first reaches ``PROBE`` memoized levels the frames on the stack
are counted, and counted again ``PROBE`` levels later; the difference is the
cost of one level in frames, whatever the user's function does between
levels. The budget of this thread uses a share of the room left below the
recursion limit, and each helper's segment a share of a fresh thread's. A
recursion a few hundred levels deep therefore never starts a thread. If a
``RecursionError`` still happens inside a memoized call (a level costs more
than the frames showed), the deepest memoized frame that sees it runs its body
again on a fresh helper and shrinks the segment: only then is a level run
twice. A ``RecursionError`` raised in the first memoized call of a thread,
which no fresh thread can help, reaches the user.

An error crosses from a helper to the thread waiting for it with its
traceback trimmed to its innermost frames, and the outermost call re-raises
it with that short traceback: the raising end, not every level.

Imports :mod:`._state` (never the miss paths, which import it); only the sync
miss path (:mod:`._sync`) calls into it.
"""

from __future__ import annotations

import _thread
import contextvars
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from ._state import Raised

__all__ = [
    "MAX_DEPTH",
    "PROBE",
    "ThreadState",
    "after_fork",
    "elsewhere",
    "probe",
    "shrink",
    "state",
]

#: Memoized levels after which the stack is first measured.
PROBE = 32
#: Recursion units (Python frames) kept free below the deepest memoized level.
MARGIN = 150
#: Share of the remaining room the budget uses. Frames are what the probe can
#: count; C-level recursion (a ``__call__`` reached through a type slot, say)
#: costs units it cannot see, so the budget stays well inside the limit.
SHARE = 0.6
#: Share of a fresh helper thread's room its segment uses: its stack holds
#: nothing else, so less needs to be kept back (a misjudged level is retried).
HELPER_SHARE = 0.85
#: Upper bound on a thread's memoized levels: each also uses some C stack
#: (and, from Python 3.12, a unit of the separate C recursion limit).
MAX_BUDGET = 1000
#: Virtual depth (memoized calls along one dependency chain) at which a
#: runaway recursion is stopped with ``RecursionError``.
MAX_DEPTH = 1 << 24
#: Traceback entries an error keeps when it crosses from a helper thread.
KEEP_FRAMES = 40


class ThreadState:
    """What the memo engine keeps per (logical) thread.

    Attributes
    ----------
    chain:
        The flights (:mod:`._flight`) of the memoized calls in progress on
        this thread and its helpers, outermost first; ``len(chain)`` is the
        memoized depth.
    budget:
        Depth at which the next call probes or goes on on a helper thread.
    probe:
        ``None`` before the first probe of an outermost call, then
        ``(stack depth, frame)`` measured at the first probe; ``False`` once
        the budget is final.
    segment:
        Memoized levels a fresh helper thread runs before it hands on.
    base:
        Depth at which the running thread's segment started (0 on the
        user's own thread).
    kept:
        The last error that crossed from a helper, with its short traceback.
    stop:
        True once the user's thread was interrupted while helpers ran: the
        next deep call on a helper raises ``KeyboardInterrupt``.
    genuine:
        A ``RecursionError`` that a fresh thread did not avoid: the calls it
        passes do not try again.
    """

    __slots__ = ("base", "budget", "chain", "genuine", "kept", "probe", "segment", "stop")

    def __init__(self) -> None:
        self.chain: list[list[Any]] = []
        self.budget = PROBE
        self.probe: Any = None
        self.segment = MAX_BUDGET
        self.base = 0
        self.kept: Raised | None = None
        self.stop = False
        self.genuine: BaseException | None = None

    def reset(self) -> None:
        """Forget the budget (the next outermost call measures its own)."""
        self.budget = PROBE
        self.probe = None
        self.kept = None
        self.stop = False
        self.genuine = None


_local = threading.local()
_running: set[int] = set()  # idents of the helper threads computing now (set.add is atomic)
#: In a child forked by a helper thread: that thread's ident (its callers are
#: threads of the parent, so it can never hand its result back).
_orphan: list[int] = []


def helpers_running() -> int:
    """How many helper threads are computing now."""
    return len(_running)


def after_fork() -> None:
    """In a forked child: only the forking thread exists, so no other helper runs."""
    me = _thread.get_ident()
    mine = me in _running
    _running.clear()
    if mine:  # the child was forked by a helper: it still runs its segment
        _running.add(me)
        _orphan[:] = [me]


def _orphaned(result: Any) -> None:
    """A helper of a forked child ended its segment: nobody in this process waits for it.

    Its callers were threads of the parent, so the child cannot go on with
    the program; it ends with status 1 and a named error (through
    ``threading.excepthook``) rather than vanishing with status 0 when its
    last thread returns.
    """
    exc = RuntimeError(
        "a process forked inside a memoized call that ran on a deep-recursion helper "
        "thread cannot return to that call's callers (they are threads of the parent "
        "process): in such a child, exec or os._exit() instead of returning "
        "(as multiprocessing does)"
    )
    if type(result) is Raised:
        exc.__context__ = result[0]
    try:
        threading.excepthook(
            threading.ExceptHookArgs([RuntimeError, exc, None, threading.current_thread()])
        )
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    finally:
        os._exit(1)


def state() -> ThreadState:
    """This thread's :class:`ThreadState` (created on first use)."""
    try:
        st: ThreadState = _local.state
    except AttributeError:
        st = _local.state = ThreadState()
    return st


def probe(st: ThreadState, depth: int, skip: int = 1) -> bool:
    """Called when the depth reaches ``st.budget``; True if the call must go elsewhere.

    The first call (at ``PROBE`` levels) counts the Python frames on the
    stack; the second, ``PROBE`` levels deeper, counts the frames added since,
    which gives the cost of one level, and sets the final budget from the
    room left below the recursion limit (and a helper's segment from a fresh
    thread's room). After that the budget is final. *skip* is how many frames
    up the memoized call's own frame is (it must still be on the stack at the
    second probe).
    """
    if st.stop:
        raise KeyboardInterrupt
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
    limit = sys.getrecursionlimit()
    if frame is None:  # not on this stack any more (cannot happen); be careful
        return _final(st, depth, depth, 1.0, limit)
    per_level = max(1.0, added / max(1, depth - PROBE))
    room = limit - (below + added) - MARGIN
    return _final(st, depth, depth + int(room / per_level * SHARE), per_level, limit)


def _final(st: ThreadState, depth: int, budget: int, per_level: float, limit: int) -> bool:
    st.budget = max(1, min(budget, depth + MAX_BUDGET))
    st.segment = max(1, min(int((limit - MARGIN) / per_level * HELPER_SHARE), MAX_BUDGET))
    st.probe = False
    return depth >= st.budget


def shrink(st: ThreadState, depth: int) -> None:
    """A RecursionError happened *depth* calls deep: make the segments shorter."""
    st.segment = max(1, min(st.segment, depth - st.base) * 3 // 4)
    st.budget = min(st.budget, depth)
    st.probe = False


def elsewhere(
    st: ThreadState,
    depth: int,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    """``func(*args, **kwargs)`` computed on a fresh helper thread, *depth* calls deep.

    The caller's thread waits (an interrupt while it waits stops the helpers
    at their next deep call, and is raised once they have stopped).

    Raises
    ------
    RecursionError
        *depth* passed :data:`MAX_DEPTH`, or no thread could be started.
    """
    if depth > MAX_DEPTH:
        st.genuine = RecursionError(
            f"memoized recursion deeper than {MAX_DEPTH} calls "
            "(dptoolkit.memo._deep.MAX_DEPTH); is it infinite?"
        )
        raise st.genuine
    box: list[Any] = []
    done = _thread.allocate_lock()
    done.acquire()
    context = contextvars.copy_context()

    def helper() -> None:
        ident = _thread.get_ident()
        _running.add(ident)
        _local.state = st
        try:
            box.append(context.run(func, *args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, RecursionError):
                st.genuine = exc  # a whole fresh thread did not suffice: final
            box.append(_keep(st, exc))
        finally:
            _running.discard(ident)
            done.release()
            if _orphan and _orphan[0] == ident:
                _orphaned(box[0] if box else None)

    saved = st.base, st.budget
    st.base = depth
    st.budget = depth + st.segment
    try:
        try:
            # a bare _thread (a threading.Thread costs 2-4x as much to start);
            # threading.current_thread() on it gives a _DummyThread
            _thread.start_new_thread(helper, ())
        except RecursionError:
            raise  # no room to start it here: a shallower call tries again
        except RuntimeError as exc:  # out of threads
            st.genuine = RecursionError(
                f"memoized recursion {depth} calls deep could not start a thread to go deeper: "
                f"{exc}"
            )
            raise st.genuine from None
        try:
            done.acquire()
        except BaseException:  # KeyboardInterrupt: stop the helpers, then raise it
            st.stop = True
            while True:
                try:
                    done.acquire()
                    break
                except BaseException:  # a second interrupt: keep waiting
                    continue
            raise
    finally:
        st.base, st.budget = saved
    result = box[0]
    if type(result) is Raised:
        raise result[0].with_traceback(result[1])
    return result


def _keep(st: ThreadState, exc: BaseException) -> Raised:
    """*exc* as it leaves a helper: with its innermost traceback entries only."""
    kept = st.kept
    if kept is None or kept[0] is not exc:
        tb = exc.__traceback__
        entries = []
        while tb is not None:
            entries.append(tb)
            tb = tb.tb_next
        short = entries[-KEEP_FRAMES] if len(entries) > KEEP_FRAMES else exc.__traceback__
        kept = st.kept = Raised((exc, short))
    return kept


def short_traceback(st: ThreadState, exc: BaseException) -> None:
    """At the outermost call: give *exc* the short traceback it crossed helpers with."""
    kept = st.kept
    if kept is not None and kept[0] is exc:
        exc.__traceback__ = kept[1]
