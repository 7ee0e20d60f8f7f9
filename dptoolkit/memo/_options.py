"""The options of ``@memoize``, checked once, at decoration.

Imports the validation helpers (and the stores, lazily, when ``store=`` is
given); every memo module may import it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, NamedTuple

from .._validate import check_callable, check_int, check_number, show
from ..errors import InvalidInput, InvalidType

if TYPE_CHECKING:
    from ..stores import Store

__all__ = ["Options", "check_options"]


class Options(NamedTuple):
    """The checked options of one memoized function."""

    maxsize: int | None
    ttl: float | None
    timer: Callable[[], float]
    typed: bool
    key: Callable[..., Hashable] | None
    store: object  # as given (reported by cache_parameters)
    cache_errors: bool
    condition: Callable[..., object] | None
    resolved: Store | None  # the Store object store= names

    def parameters(self) -> dict[str, object]:
        """What ``cache_parameters()`` reports."""
        return {
            "maxsize": self.maxsize,
            "ttl": self.ttl,
            "timer": self.timer,
            "typed": self.typed,
            "key": self.key,
            "store": self.store,
            "cache_errors": self.cache_errors,
            "condition": self.condition,
        }


def check_options(
    maxsize: object,
    ttl: object,
    timer: object,
    typed: object,
    key: object,
    store: object,
    cache_errors: object,
    condition: object,
) -> Options:
    """Check ``memoize``'s options; raise InvalidInput/InvalidType naming a bad one."""
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
        from ..stores import resolve_store  # only when asked: stores import sqlite3

        resolved = resolve_store(store)  # an unknown URL fails here, at decoration
    return Options(
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
