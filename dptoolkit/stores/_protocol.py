"""The store protocol: :class:`Store`, :class:`BoundStore` and the in-process :class:`MemoryStore`.

A backend subclasses :class:`Store` and implements the byte-level methods;
:class:`BoundStore` turns one function's arguments into stable keys
(:mod:`dptoolkit._digest`) and its values into bytes (:mod:`dptoolkit._codec`).
This module also keeps the registry of live stores that a forked child resets.
Imported by the backends and the URL resolver of this package; nothing here
imports a backend.
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import os
import threading
import time
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from .._codec import decode, encode, encode_key
from .._digest import fingerprint, namespace
from .._validate import check_callable, check_number, show
from ..errors import InvalidInput, StoreError

__all__ = ["BoundStore", "MemoryStore", "Store"]

NS_LEN = 8  # bytes of the function namespace that prefix every key


def _check_ttl(ttl: object) -> float | None:
    if ttl is None:
        return None
    value = check_number("ttl", ttl, allow_negative=False)
    if value <= 0:
        raise InvalidInput(f"ttl={show(ttl)} must be a positive number of seconds or None")
    return float(value)


# --------------------------------------------------------------------------
# the protocol
# --------------------------------------------------------------------------


class Store(abc.ABC):
    """A place to keep memoized results: bytes keys to bytes values.

    Subclasses implement the byte-level methods below; :meth:`bind` wraps
    them for one function (keys from arguments, values to bytes). Stores are
    safe to share between threads, and between processes when the backend
    is (SQLite file, Redis server).
    """

    #: where the store lives, for messages (a URL or a path)
    location: str = "?"

    def bind(self, func: Callable[..., Any], *, ttl: float | None = None) -> BoundStore:
        """A :class:`BoundStore` keeping *func*'s results here.

        Parameters
        ----------
        func : callable
            The function being memoized (its ``__wrapped__`` chain is
            followed to find its code).
        ttl : float or None
            Seconds an entry stays valid after it is written; ``None`` keeps
            it until it is evicted or cleared.

        Raises
        ------
        InvalidInput
            *ttl* is not a positive number or None.
        UnsupportedValue
            *func* closes over a value with no stable encoding (see
            :func:`dptoolkit._digest.fingerprint`).
        """
        return BoundStore(self, func, ttl=_check_ttl(ttl))

    @abc.abstractmethod
    def get_bytes(self, key: bytes) -> bytes | None:
        """The value stored under *key*, or ``None`` (absent or expired)."""

    @abc.abstractmethod
    def set_bytes(self, key: bytes, data: bytes, ttl: float | None) -> None:
        """Store *data* under *key*; durable (or shared) when this returns."""

    @abc.abstractmethod
    def delete_bytes(self, key: bytes) -> bool:
        """Remove *key*; True if it was there."""

    @abc.abstractmethod
    def clear_prefix(self, prefix: bytes) -> None:
        """Remove every key starting with *prefix* (one function's namespace)."""

    def lock_key(self, key: bytes) -> AbstractContextManager[None]:
        """Hold *key* while its value is computed (single flight); no-op by default."""
        return contextlib.nullcontext()

    def close(self) -> None:  # noqa: B027 (optional hook, not abstract)
        """Release connections; the store reopens them if it is used again."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"


class BoundStore:
    """One function's view of a :class:`Store` (see ``docs/internals.md``).

    Keys are ``namespace(func) + blake2b(fingerprint(func) + args)``: the
    first eight bytes name the function (so :meth:`clear` removes its
    entries only), the rest digest its code and the canonical encoding of
    the arguments.
    """

    __slots__ = ("_hasher", "func", "namespace", "store", "ttl")

    def __init__(self, store: Store, func: Callable[..., Any], *, ttl: float | None) -> None:
        self.store = store
        self.func = func
        self.ttl = ttl
        self.namespace = namespace(func)
        self._hasher = hashlib.blake2b(fingerprint(func), digest_size=16)

    def key(self, args: tuple[Any, ...], kwargs: dict[str, Any] | None) -> bytes:
        """The store key of a call (raises UnsupportedValue for unencodable arguments)."""
        hasher = self._hasher.copy()
        hasher.update(encode_key(args, kwargs))
        return self.namespace + hasher.digest()

    def get(self, args: tuple[Any, ...], kwargs: dict[str, Any] | None) -> tuple[bool, object]:
        """``(True, value)`` if the store holds this call's result, else ``(False, None)``."""
        data = self.store.get_bytes(self.key(args, kwargs))
        if data is None:
            return False, None
        try:
            return True, decode(data)
        except StoreError as exc:
            raise StoreError(f"store {self.store.location!r}: {exc}") from exc.__cause__

    def set(self, args: tuple[Any, ...], kwargs: dict[str, Any] | None, value: object) -> None:
        """Store this call's result; it is durable (or shared) when this returns.

        Raises UnsupportedValue, naming the type, before touching the store
        when the value cannot be encoded.
        """
        data = encode(value)
        self.store.set_bytes(self.key(args, kwargs), data, self.ttl)

    def delete(self, args: tuple[Any, ...], kwargs: dict[str, Any] | None) -> bool:
        """Remove this call's entry; True if it was there."""
        return self.store.delete_bytes(self.key(args, kwargs))

    def clear(self) -> None:
        """Remove this function's entries (every version of its code)."""
        self.store.clear_prefix(self.namespace)

    def lock(
        self, args: tuple[Any, ...], kwargs: dict[str, Any] | None
    ) -> AbstractContextManager[None]:
        """A context manager held while this call's value is computed."""
        return self.store.lock_key(self.key(args, kwargs))

    def __repr__(self) -> str:
        name = getattr(self.func, "__qualname__", self.func)
        return f"<BoundStore {name} in {self.store!r}>"


# --------------------------------------------------------------------------
# in memory (tests, and a model for custom stores)
# --------------------------------------------------------------------------


class MemoryStore(Store):
    """A store in a dict of this process: nothing persists; for tests and examples.

    Parameters
    ----------
    clock : callable
        Returns the current time in seconds (for ``ttl``); ``time.time``.

    Examples
    --------
    >>> store = MemoryStore()
    >>> bound = store.bind(len)
    >>> bound.set(("ab",), {}, 2)
    >>> bound.get(("ab",), {})
    (True, 2)
    """

    location = "memory"

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._data: dict[bytes, tuple[bytes, float | None]] = {}
        check_callable("clock", clock, optional=False)
        self._clock = clock
        self._lock = threading.Lock()

    def get_bytes(self, key: bytes) -> bytes | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        data, expires = entry
        if expires is not None and expires <= self._clock():
            return None
        return data

    def set_bytes(self, key: bytes, data: bytes, ttl: float | None) -> None:
        expires = None if ttl is None else self._clock() + ttl
        self._data[key] = (data, expires)

    def delete_bytes(self, key: bytes) -> bool:
        return self._data.pop(key, None) is not None

    def clear_prefix(self, prefix: bytes) -> None:
        with self._lock:
            for key in [k for k in self._data if k.startswith(prefix)]:
                del self._data[key]

    def __len__(self) -> int:
        return len(self._data)


# --------------------------------------------------------------------------
# fork safety
# --------------------------------------------------------------------------

# stores whose per-thread connections a forked child must not reuse
live_stores: weakref.WeakSet[Any] = weakref.WeakSet()
# connections inherited across fork: kept referenced so the child never closes them
orphans: list[object] = []


def _after_fork_in_child() -> None:
    for store in list(live_stores):
        store._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
