"""The records the memo modules share: one cache's state, and a kept exception.

:class:`CacheState` is the one object through which the modules of the memo
engine see a cache: the miss paths that fill it (:mod:`._sync`,
:mod:`._async`, and the C miss path, which holds it as ``flight[CACHE]``),
the single-flight messages (:mod:`._flight`) and the statistics
(:mod:`._engine`). Nothing is stamped on function objects.

Imports nothing of the engine; any memo module may import it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["MISSING", "CacheState", "Raised"]

#: "No entry": a sentinel no user value can be.
MISSING: Any = object()


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


class CacheState:
    """One cache (a function's, or one instance's method cache) as the modules see it.

    Attributes
    ----------
    name : str
        The function's name as messages show it (no ``<locals>`` prefix).
    data : dict
        The entries (an ``OrderedDict`` when bounded); the C hit path reads
        it directly when ``plain``.
    flights : dict
        Key -> the flight (see :mod:`._flight`) computing it now (sync only).
    miss : callable
        The miss path: what the hit path calls when it cannot answer.
    wrapper : object
        The hit-path wrapper (``FastWrapper``) in front of ``miss``; it counts
        the hits it answers.
    counts : callable
        ``() -> (hits, misses)``, the hit path's hits included.
    reset : callable
        Zero both counts.
    """

    __slots__ = (
        "__weakref__",
        "counts",
        "data",
        "flights",
        "keeps",
        "miss",
        "name",
        "reset",
        "wrapper",
    )

    def __init__(self, name: str, data: dict[Hashable, Any]) -> None:
        self.name = name
        self.data = data
        self.flights: dict[Hashable, list[Any]] = {}
        self.miss: Callable[..., Any] = _unset
        self.wrapper: Any = None
        self.counts: Callable[[], tuple[int, int]] = lambda: (0, 0)
        self.reset: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        return f"<memo cache of {self.name}>"


def _unset(*args: Any, **kwargs: Any) -> Any:  # pragma: no cover (replaced at once)
    raise RuntimeError("memo cache used before its miss path was built")
