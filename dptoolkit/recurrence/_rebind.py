"""Routing by rebinding: a copy of the body whose own name calls the running strategy.

A recursive call inside the body names the recurrence (a closure cell or a
global). :func:`copy_body` copies the function with that name pointing at
an empty cell (or a private copy of the globals), filled by the setter it
returns, so a solve's recursive calls go straight to its strategy's entry
at the cost of one Python call. A body that is not a plain function, or
assigns globals, is returned as it is: its calls reach the recurrence
object, which routes through its context variable. Imports ``_codegen``
and ``_kbest`` (a ``k=`` run's body routes the copy it wraps).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._codegen import global_names, writes_globals
from ._kbest import Lifted

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = ["copy_body"]


def copy_body(
    rec: Recurrence,
    code: types.CodeType | None = None,
    extra: Mapping[str, types.CellType] | None = None,
) -> tuple[Callable[..., Any], Callable[[Callable[..., Any]], None]]:
    """A copy of the body, and the setter of where its calls of this recurrence go.

    The copy runs *code* (by default the body's own), whose free names
    are the body's plus those of *extra* (cells by name). Until the setter
    is called, its calls of this recurrence have nowhere to go. Without
    *code*, the body itself is returned when no reference needs routing
    (it is not a plain function, or it names the recurrence nowhere).
    """
    body = rec._body
    if isinstance(body, Lifted):  # a k= run: the copy inside it calls the route
        return body, body.set_route
    if not isinstance(body, types.FunctionType):
        return body, _ignore
    own = body.__code__
    cells = dict(zip(own.co_freevars, body.__closure__ or (), strict=True))
    route = types.CellType()  # empty until the setter fills it
    changed = False
    for name, cell in cells.items():
        try:
            contents = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if contents is rec:
            cells[name] = route
            changed = True
    globs = body.__globals__
    names = [n for n in global_names(own) if globs.get(n) is rec]
    if names and not writes_globals(own):
        # a global name: a copy of the globals (one that assigns globals
        # keeps the real ones, and its calls route through the recurrence)
        globs = dict(globs)
        changed = True
    else:
        names = []
    if not changed and code is None:
        return body, _ignore
    cells.update(extra or {})
    code = code or own
    func = types.FunctionType(
        code,
        globs,
        body.__name__,
        body.__defaults__,
        tuple(cells[n] for n in code.co_freevars) or None,
    )
    func.__kwdefaults__ = body.__kwdefaults__

    def set_route(target: Callable[..., Any]) -> None:
        route.cell_contents = target
        for name in names:
            globs[name] = target

    return func, set_route


def _ignore(target: Callable[..., Any]) -> None:
    """The route setter of a body that never names its recurrence."""
