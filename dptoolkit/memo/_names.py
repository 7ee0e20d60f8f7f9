"""How the memo engine names a function and a call in its messages.

Imports nothing of the engine; any memo module may import it.
"""

from __future__ import annotations

import reprlib
from collections.abc import Hashable
from typing import Any

__all__ = ["call_repr", "display_name", "state_of"]

_short = reprlib.Repr()
_short.maxstring = 30
_short.maxother = 30
_short.maxlist = _short.maxtuple = _short.maxdict = _short.maxset = 5
_short.maxlevel = 3


def call_repr(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """``name(arg, ..., kw=value)`` with long arguments shortened."""
    parts = [_short.repr(a) for a in args]
    parts += [f"{k}={_short.repr(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def state_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    """The state a call stands for in ``CycleError.cycle``: its arguments."""
    if not kwargs:
        return args
    return (*args, *sorted(kwargs.items()))


def display_name(func: object) -> str:
    """The name a message shows: the qualified name, less any ``<locals>`` prefix."""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    return str(name).rpartition("<locals>.")[2]
