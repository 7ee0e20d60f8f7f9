"""``strategy="top_down"``: memoized recursion on :func:`dptoolkit.memoize`.

The function memoized is, when :func:`~._codegen.fold` can prove it faithful,
a copy of the body with the per-state bookkeeping folded in (one Python frame
per level, as ``dp.memoize`` alone); else a wrapper generated from
:data:`~._codegen.COMPUTE`. Deep recursions and cycles are the memo engine's
(``memoize(...)`` and ``cache_info()`` are all this module uses of it).
"""

from __future__ import annotations

import textwrap
import types
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..errors import BudgetExceeded, CycleError
from ._codegen import (
    COMPUTE,
    builtins_in_scope,
    can_generate,
    compute_prologue,
    factory,
    fold,
    may_pass_keywords,
)
from ._seam import Run, member_of, outside, routed
from ._solution import Solution, Stats

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = ["solve_top_down"]


def solve_top_down(rec: Recurrence, goal: tuple[Any, ...]) -> Solution:
    from ..memo import memoize

    space = rec._space(goal)
    key = rec._key
    choices: dict[Any, Any] = {}
    ties: dict[Any, list[Any]] = {}
    stack: list[Any] = []  # the states being computed (keys), innermost last, for choose
    normalize = rec._normalize
    arity = rec._arity
    varargs = rec._varargs
    compute, set_route = _top_down_compute(rec, space, stack)
    compute.__name__ = compute.__qualname__ = rec.__name__  # memo names states by it
    memo = memoize(compute)

    def entry(*args: Any, **kw: Any) -> Any:
        if kw or (not varargs and len(args) != arity):
            args = normalize(args, kw)
        return memo(*args)

    direct = not (rec._has_defaults or varargs)
    if direct and isinstance(rec._body, types.FunctionType):
        direct = not may_pass_keywords(rec._body.__code__, rec._names)
    set_route(memo if direct else entry)
    try:
        with routed(rec, entry, Run(None, choices, stack, ties=ties, k=rec._k)):
            value = memo(*goal)
    except RecursionError as exc:  # past the memo engine's depth bound
        raise BudgetExceeded(
            f"strategy='top_down' recursed too deep at {rec._fmt(goal)}: {exc}; "
            "use 'bottom_up' or a smaller instance"
        ) from exc
    except CycleError as exc:
        # the memo engine names states by its keys (argument tuples): use the states
        if exc.cycle is not None:
            exc.cycle = [key(c) if isinstance(c, tuple) else c for c in exc.cycle]
        raise
    info = memo.cache_info()
    stats = Stats(
        calls=info.hits + info.misses,
        hits=info.hits,
        misses=info.misses,
        states=info.misses,
        peak=info.currsize,
    )
    sol = Solution(value, strategy="top_down", stats=stats, choices=choices)
    sol._recorded(key(goal), ties)
    return sol


# The function top_down memoizes runs once per state computed (a miss): it
# checks the state against the declared space, pushes it on the stack of
# states being computed (the top is the state choose records for; popped in
# ``finally``, as the memo engine's unwind passes through) and runs the body.
# A box of exact ints is tested inline; any other state goes to ``_dp_slow``,
# the general test, which raises for a state outside. Best, that bookkeeping
# is folded into a copy of the body itself (``_fold``): one Python frame per
# level, as with ``dp.memoize`` alone, and few more slots in it (frames are


def _top_down_compute(
    rec: Recurrence, space: Iterable[Any] | None, stack: list[Any]
) -> tuple[Callable[..., Any], Callable[[Callable[..., Any]], None]]:
    """The function to memoize for one top_down solve, and the setter of its route.

    *stack* receives the states being computed, innermost last. The route
    (where the body's calls of the recurrence go: the memoized function) is
    set afterwards, since it is made from the function returned.
    """
    member = member_of(space)
    key = rec._key

    def slow(state: Any) -> None:
        # the inline test failed (or there is none): the general one decides
        if member is not None and not member(state):
            parent = rec._state_args(stack[-1]) if stack else None
            outside(rec, rec._state_args(state), parent)

    body = rec._body
    if can_generate(rec):
        names = rec._names
        state = names[0] if rec._arity == 1 else "(" + "".join(f"{n}, " for n in names) + ")"
        epilogue = "_dp_stack.pop()\n"
        helpers: dict[str, Any] = {"_dp_stack": stack, "_dp_slow": slow}
        if isinstance(body, types.FunctionType):
            builtin = builtins_in_scope(body, ("type", "int"))
            exact = "type({}) is int" if builtin else "_dp_type({}) is _dp_int"
            prologue, constants = compute_prologue(space, member, names, state, exact)
            helpers["_dp_k"] = constants
            if not builtin:
                helpers.update(_dp_type=type, _dp_int=int)
            code = fold(body, prologue, epilogue, tuple(helpers))
            if code is not None:
                return rec._copy(code, {n: types.CellType(v) for n, v in helpers.items()})
        prologue, constants = compute_prologue(
            space, member, names, state, "_dp_type({}) is _dp_int"
        )
        make = factory(
            COMPUTE.format(
                params=", ".join(names),
                prologue=textwrap.indent(prologue, " " * 8).rstrip("\n"),
                epilogue=textwrap.indent(epilogue, " " * 12).rstrip("\n"),
            )
        )
        compute, set_body = make(None, stack, slow, type, int, constants)
        return compute, lambda route: set_body(rec._rebind(route))

    run: list[Callable[..., Any]] = [body]

    def compute_any(*args: Any) -> Any:
        state = key(args)
        if member is not None:
            slow(state)
        stack.append(state)
        try:
            return run[0](*args)
        finally:
            stack.pop()

    def set_route(route: Callable[..., Any]) -> None:
        run[0] = rec._rebind(route)

    return compute_any, set_route
