"""The public types of the memo engine: ``CacheInfo`` and ``Memoized``.

Imports nothing of the engine; re-exported by :mod:`dptoolkit.memo`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, Protocol, TypeVar

__all__ = ["CacheInfo", "Memoized"]

R_co = TypeVar("R_co", covariant=True)


class CacheInfo(NamedTuple):
    """Statistics of a memoized function, as :func:`functools.lru_cache` reports them.

    Attributes
    ----------
    hits : int
        Calls answered from the cache (or by joining a computation already
        running in another thread or task).
    misses : int
        Computations that ran to completion (returned or raised).
    maxsize : int or None
        The bound on the number of entries, ``None`` when unbounded.
    currsize : int
        Entries held now (unexpired ones, when there is a ``ttl``).
    """

    hits: int
    misses: int
    maxsize: int | None
    currsize: int


class Memoized(Protocol[R_co]):
    """The type of what :func:`memoize` returns (a callable with cache controls)."""

    @property
    def __wrapped__(self) -> Callable[..., R_co]: ...

    def __call__(self, *args: Any, **kwargs: Any) -> R_co: ...

    def __get__(self, obj: Any, owner: type | None = None) -> Any: ...

    def cache_info(self) -> CacheInfo: ...

    def cache_clear(self) -> None: ...

    def cache_parameters(self) -> dict[str, Any]: ...

    def cache_evict(self, *args: Any, **kwargs: Any) -> bool: ...
