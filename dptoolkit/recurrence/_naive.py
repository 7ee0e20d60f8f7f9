"""``strategy="naive"``: plain recursion, no cache, with a call budget and a depth guard.

The exponential reference: every call runs the body. Past ``max_calls`` calls,
or deeper than the interpreter allows, :class:`~dptoolkit.BudgetExceeded`.
Uses the seam and :class:`~._solution.Solution` only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import BudgetExceeded
from ._seam import Run, cycle_error, depth_allowance, outside, routed
from ._solution import Solution, Stats

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = ["solve_naive"]


def solve_naive(rec: Recurrence, goal: tuple[Any, ...], max_calls: int) -> Solution:
    member = rec._membership(goal)
    normalize = rec._normalize
    arity = rec._arity
    varargs = rec._varargs
    key = rec._key
    fmt = rec._fmt
    max_depth = depth_allowance()
    stack: list[tuple[Any, ...]] = []
    live: set[Any] = set()
    seen: set[Any] = set()
    choices: dict[Any, Any] = {}
    ties: dict[Any, list[Any]] = {}
    calls = 0
    body: Callable[..., Any] = rec._body

    def call(*args: Any, **kw: Any) -> Any:
        nonlocal calls
        if kw or (not varargs and len(args) != arity):
            args = normalize(args, kw)
        calls += 1
        if calls > max_calls:
            raise BudgetExceeded(
                f"strategy='naive' passed max_calls={max_calls:,} at {fmt(args)}; "
                "use 'top_down' or 'bottom_up', or raise max_calls",
                max_calls=max_calls,
            )
        state = key(args)
        if state in live:
            where = next(i for i, s in enumerate(stack) if key(s) == state)
            raise cycle_error(rec, [key(s) for s in stack[where:]] + [state])
        if member is not None and not member(state):
            outside(rec, args, stack[-1] if stack else None)
        if len(stack) >= max_depth:
            raise BudgetExceeded(
                f"strategy='naive' reached recursion depth {len(stack):,} at {fmt(args)}, "
                f"deeper than the interpreter allows (sys.getrecursionlimit()="
                f"{sys.getrecursionlimit()}); use 'top_down' or 'bottom_up'"
            )
        seen.add(state)
        live.add(state)
        stack.append(args)
        try:
            return body(*args)
        finally:
            stack.pop()
            live.discard(state)

    body = rec._rebind(call)
    try:
        with routed(rec, call, Run(lambda: key(stack[-1]), choices, ties=ties, k=rec._k)):
            value = call(*goal)
    except RecursionError as exc:
        raise BudgetExceeded(
            f"strategy='naive' ran out of interpreter stack at recursion depth "
            f"{len(stack):,} (sys.getrecursionlimit()={sys.getrecursionlimit()}); "
            "use 'top_down' or 'bottom_up'"
        ) from exc
    stats = Stats(calls=calls, hits=0, misses=calls, states=len(seen), peak=0)
    sol = Solution(value, strategy="naive", stats=stats, choices=choices)
    sol._recorded(key(goal), ties)
    return sol
