"""Persistent and shared memo stores: ``@dp.memoize(store=...)``.

A store keeps memoized results outside the process:

* :class:`SQLiteStore` (``"sqlite:///path/to/cache.db"``): one file, the
  embedded default; results survive the process (and ``kill -9``) and are
  shared by every process on the machine that opens the same file.
* :class:`RedisStore` (``"redis://host:port/0"``): a server shared by a fleet
  of workers on any machine that reaches it, with single flight across
  processes (one worker computes a key, the others wait for its result).

The memo engine talks to a store through two objects (see
``docs/internals.md``, "Stores"): :func:`resolve_store` turns the ``store=``
option into a :class:`Store`, and :meth:`Store.bind` gives a
:class:`BoundStore` for one function, which turns arguments into stable keys
and values into bytes (:mod:`dptoolkit._digest`, :mod:`dptoolkit._codec`) and
calls the store's byte-level methods. A custom store subclasses
:class:`Store` and implements :meth:`~Store.get_bytes`,
:meth:`~Store.set_bytes`, :meth:`~Store.delete_bytes` and
:meth:`~Store.clear_prefix` (and :meth:`~Store.lock_key` for single flight).

The package is laid out one idea per module: ``_protocol`` (Store,
BoundStore, MemoryStore), ``_sqlite``, ``_redis`` and ``_resolve`` (URLs);
import the names from here.
"""

from __future__ import annotations

from .._codec import register_codec
from ._protocol import BoundStore, MemoryStore, Store
from ._redis import RedisStore
from ._resolve import resolve_store
from ._sqlite import SQLiteStore

__all__ = [
    "BoundStore",
    "MemoryStore",
    "RedisStore",
    "SQLiteStore",
    "Store",
    "register_codec",
    "resolve_store",
]
