"""The strategy seam: what every way of running a recurrence uses from the engine.

A strategy (``_naive``, ``_top_down``, ``_bottom_up``) and the call tracer
(:mod:`dptoolkit.trace`) run a :class:`~dptoolkit.Recurrence` through this
module and nothing else of the engine's internals:

* :class:`Run` -- where :func:`~dptoolkit.choose` records the choice of the
  state being computed; :data:`ACTIVE` holds the running one.
* :func:`routed` -- the block during which calls that reach the recurrence
  object go to the strategy's entry, and choices go to its :class:`Run`.
* :func:`outside`, :func:`cycle_error` -- the errors for a state outside the
  declared space and for a state that depends on itself.
* :func:`depth_allowance` -- how deep plain recursion may go from here.
* :func:`member_of` -- the cheap membership test of a declared space.

Of the recurrence itself a strategy reads only these attributes, the
engine's internal protocol: ``_body`` (the user's function), ``_rebind(route)``
(a copy of the body whose own name calls *route*), ``_normalize(args,
kwargs)`` (a call's positional state), ``_key(args)`` / ``_state_args(state)``
(state <-> arguments), ``_space(goal)`` / ``_membership(goal)``, ``_fmt(args)``
(a state as text), ``_arity``, ``_varargs``, ``_names``, ``_has_defaults``,
``_route`` (the context variable :func:`routed` sets).

This module imports no other module of the engine (the recurrence only for
type checking), so any may import it.
"""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from ..errors import CycleError, InvalidInput
from ..spaces import Space

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = [
    "ACTIVE",
    "Run",
    "cycle_error",
    "depth_allowance",
    "member_of",
    "outside",
    "routed",
]

# Python frames one level of naive recursion takes (shim + body), plus slack
# for helpers the body may call.
_FRAMES_PER_LEVEL = 2
_DEPTH_MARGIN = 60


class Run:
    """A running solve, as :func:`~dptoolkit.choose` sees it: where to record a choice.

    The state being computed is the last of *stack* when there is one (the
    states being computed, innermost last; ``None`` when empty), else what
    *current* returns. *ties* receives, for a state where candidates tied
    for the best, every tied label (the picked one first); *k* is the K of a
    ``k=`` run (:mod:`._kbest`), else ``None``.
    """

    __slots__ = ("choices", "current", "k", "stack", "ties")

    def __init__(
        self,
        current: Callable[[], Any] | None,
        choices: dict[Any, Any] | None,
        stack: list[Any] | None = None,
        ties: dict[Any, list[Any]] | None = None,
        k: int | None = None,
    ) -> None:
        self.current = current
        self.choices = choices
        self.stack = stack
        self.ties = ties
        self.k = k


ACTIVE: ContextVar[Run | None] = ContextVar("dptoolkit.recurrence.active", default=None)


@contextlib.contextmanager
def routed(rec: Recurrence, route: Callable[..., Any], run: Run) -> Iterator[None]:
    """While the block runs, calls of *rec* go to *route* and choices are recorded in *run*."""
    route_token = rec._route.set(route)
    active_token = ACTIVE.set(run)
    try:
        yield
    finally:
        ACTIVE.reset(active_token)
        rec._route.reset(route_token)


def cycle_error(rec: Recurrence, cycle: list[Any]) -> CycleError:
    """The error for a chain of live calls (states, first == last) that came back to a state."""
    chain = " -> ".join(rec._fmt(rec._state_args(s)) for s in cycle)
    return CycleError(
        f"state {rec._fmt(rec._state_args(cycle[-1]))} depends on itself: {chain}", cycle=cycle
    )


def outside(rec: Recurrence, args: tuple[Any, ...], parent: tuple[Any, ...] | None) -> None:
    """Raise the error for state *args* (read by *parent*) outside the declared states."""
    where = f" (read by {rec._fmt(parent)})" if parent is not None else ""
    raise InvalidInput(f"state {rec._fmt(args)}{where} is outside the declared states")


def _frame_depth() -> int:
    depth = 0
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def depth_allowance() -> int:
    """How many levels of plain recursion fit under the interpreter's limit from here."""
    room = sys.getrecursionlimit() - _frame_depth() - _DEPTH_MARGIN
    return max(1, room // _FRAMES_PER_LEVEL)


def member_of(space: Iterable[Any] | None) -> Callable[[Any], bool] | None:
    """The membership test of a declared space, or None when it has no cheap one."""
    if isinstance(space, (Space, range, set, frozenset)):
        return space.__contains__
    return None
