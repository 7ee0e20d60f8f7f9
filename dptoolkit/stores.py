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
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import logging
import os
import re
import sqlite3
import sys
import threading
import time
import urllib.parse
import warnings
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from ._codec import decode, encode, encode_key, register_codec
from ._digest import fingerprint, namespace
from ._validate import check_callable, check_number, show
from .errors import InvalidInput, InvalidType, StoreError

__all__ = [
    "BoundStore",
    "MemoryStore",
    "RedisStore",
    "SQLiteStore",
    "Store",
    "register_codec",
    "resolve_store",
]

logger = logging.getLogger(__name__)

_NS_LEN = 8  # bytes of the function namespace that prefix every key


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
# SQLite
# --------------------------------------------------------------------------

_FORMAT = "dptoolkit-store 1"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS dptoolkit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS dptoolkit_entries ("
    " key BLOB PRIMARY KEY,"  # namespace (8 bytes) + digest (16 bytes)
    " value BLOB NOT NULL,"  # the codec's bytes
    " expires REAL,"  # clock() time after which the entry is stale, or NULL
    " atime REAL NOT NULL,"  # last access (updated in batches), for LRU eviction
    " size INTEGER NOT NULL"  # len(value), for the byte bound
    ") WITHOUT ROWID",
)
_SQL_GET = "SELECT value, expires FROM dptoolkit_entries WHERE key = ?"
_SQL_SET = (
    "INSERT OR REPLACE INTO dptoolkit_entries (key, value, expires, atime, size)"
    " VALUES (?, ?, ?, ?, ?)"
)
_SQL_DELETE = "DELETE FROM dptoolkit_entries WHERE key = ?"
_SQL_TOUCH = "UPDATE dptoolkit_entries SET atime = ? WHERE key = ?"

_TOUCH_BATCH = 256  # access times are written in batches of this many hits...
_TOUCH_EVERY = 1.0  # ...or at least this often (seconds)

# stores whose per-thread connections a forked child must not reuse
_live_stores: weakref.WeakSet[Any] = weakref.WeakSet()
# connections inherited across fork: kept referenced so the child never closes them
_orphans: list[object] = []


def _after_fork_in_child() -> None:
    for store in list(_live_stores):
        store._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class SQLiteStore(Store):
    """Results in one SQLite file: persistent, and shared by the processes of a machine.

    Parameters
    ----------
    path : str or os.PathLike
        The database file (``~`` is expanded; a relative path is taken from
        the working directory when the store is made); created, with its
        parent directories, if absent.
        An existing file must be a dptoolkit store: any other SQLite
        database, or a file that is not SQLite at all, raises
        :class:`~dptoolkit.errors.StoreError` and is left untouched.
    max_entries, max_bytes : int or None
        Optional bounds on the number of entries and on the bytes of stored
        values. When a write takes the store past a bound, expired entries
        and then the least recently used ones are evicted. Checks run every
        ``bound // 10`` writes (at least every write, at most every 1000),
        so the store may briefly hold about 10% more per writing process.
    timeout : float
        Seconds to wait for another process's write lock before giving up
        with StoreError (the SQLite busy timeout, then retries with backoff).
    clock : callable
        Wall-clock seconds, for ``ttl`` expiry and access times (stored in
        the file, so it must agree between processes); ``time.time``.

    Raises
    ------
    StoreError
        The file cannot be opened or created, is corrupt, or is not a
        dptoolkit store. The message names the path.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "cache.db")
    >>> store = SQLiteStore(path)
    >>> bound = store.bind(divmod)
    >>> bound.set((7, 2), {}, (3, 1))
    >>> bound.get((7, 2), {})
    (True, (3, 1))
    >>> store.close()

    Notes
    -----
    The file runs in WAL mode with ``synchronous=NORMAL``: every result is
    committed before :meth:`set_bytes` returns, so it survives the process
    being killed (``kill -9``) at any later point; a power loss or operating
    system crash can lose the last commits (never corrupt the file). Each
    thread has its own connection with prepared statements; nothing touches
    the schema after the first open.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_entries: int | None = None,
        max_bytes: int | None = None,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(path, (str, os.PathLike)):
            raise InvalidType(f"path={show(path)} must be a file path")
        fspath = os.fspath(path)
        if not fspath or fspath == ":memory:":
            raise InvalidInput(f"path={fspath!r} must name a file")
        if max_entries is not None:
            max_entries = _check_bound("max_entries", max_entries)
        if max_bytes is not None:
            max_bytes = _check_bound("max_bytes", max_bytes)
        timeout = float(check_number("timeout", timeout, allow_negative=False))
        self.path = os.path.abspath(os.path.expanduser(fspath))
        self.location = self.path
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.timeout = timeout
        check_callable("clock", clock, optional=False)
        self._clock = clock
        self._local = threading.local()
        # every thread's connection, with its thread (closed when the thread is gone)
        self._conns: list[tuple[weakref.ref[threading.Thread], sqlite3.Connection]] = []
        self._conns_lock = threading.Lock()
        self._touched: dict[bytes, float] = {}
        self._last_touch_flush = time.monotonic()
        self._bounded = max_entries is not None or max_bytes is not None
        self._check_entries = max(1, min(1000, (max_entries or 10_000) // 10))
        self._check_bytes = max(1, (max_bytes or 0) // 10)
        self._writes = 0
        self._written = 0
        _live_stores.add(self)
        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the directory of store {self.path!r}: {exc}") from exc
        self._conn()  # open and check the file now: fail at decoration time
        if self._bounded:
            self._enforce_bounds()

    # -- connections ------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:  # (opened outside an except block: no AttributeError context)
            conn = self._open()
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self.timeout,
                isolation_level=None,  # autocommit: each statement commits
                check_same_thread=False,  # used by one thread; closed by close()
                cached_statements=64,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path!r}: {exc}") from exc
        try:
            self._retry(lambda: self._prepare(conn), "open")
        except BaseException:
            conn.close()
            raise
        self._local.conn = conn
        with self._conns_lock:
            alive = []
            for thread_ref, other in self._conns:
                thread = thread_ref()
                if thread is not None and thread.is_alive():
                    alive.append((thread_ref, other))
                else:  # its thread has ended: nobody else uses it
                    with contextlib.suppress(sqlite3.Error):
                        other.close()
            alive.append((weakref.ref(threading.current_thread()), conn))
            self._conns = alive
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        self._check_schema(conn)
        if str(journal).lower() != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        names = self._objects(conn)
        if not names:
            conn.execute("BEGIN IMMEDIATE")
            try:
                names = self._objects(conn)
                if not names:
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO dptoolkit_meta (name, value) VALUES ('format', ?)", (_FORMAT,)
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            names = self._objects(conn)
        if "dptoolkit_meta" not in names or "dptoolkit_entries" not in names:
            shown = ", ".join(sorted(names)[:5])
            raise StoreError(
                f"{self.path!r} is an SQLite database but not a dptoolkit store "
                f"(it holds {shown}); refusing to touch it: choose another path"
            )
        row = conn.execute("SELECT value FROM dptoolkit_meta WHERE name = 'format'").fetchone()
        if row is None or row[0] != _FORMAT:
            found = None if row is None else row[0]
            raise StoreError(
                f"{self.path!r} is a store of an unknown format ({found!r}, expected {_FORMAT!r})"
            )

    @staticmethod
    def _objects(conn: sqlite3.Connection) -> set[str]:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        return {str(name) for (name,) in rows}

    def _retry(self, action: Callable[[], Any], what: str) -> Any:
        """Run *action*, retrying while another process holds the lock."""
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                return action()
            except StoreError:
                raise
            except sqlite3.Error as exc:
                if _is_busy(exc) and time.monotonic() < deadline:
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
                    continue
                raise self._error(exc, what) from exc

    def _error(self, exc: sqlite3.Error, what: str) -> StoreError:
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            hint = " (the file is corrupt or not an SQLite database; it was left untouched)"
        elif _is_busy(exc):
            hint = f" (still locked by another process after {self.timeout:g} s)"
        else:
            hint = ""
        return StoreError(f"store {self.path!r}: {what} failed: {exc}{hint}")

    def close(self) -> None:
        """Write pending access times and close every thread's connection."""
        with contextlib.suppress(StoreError):
            self._flush_touches()
        with self._conns_lock:
            conns, self._conns = [c for _, c in self._conns], []
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    def _after_fork(self) -> None:
        with self._conns_lock:
            # closing them here could checkpoint and remove the parent's WAL files
            _orphans.extend(c for _, c in self._conns)
            self._conns = []
        self._conns_lock = threading.Lock()
        self._local = threading.local()
        self._touched = {}

    # -- the byte protocol -------------------------------------------------

    def get_bytes(self, key: bytes) -> bytes | None:
        conn = self._conn()
        try:
            row = conn.execute(_SQL_GET, (key,)).fetchone()
        except sqlite3.Error:
            row = self._retry(lambda: conn.execute(_SQL_GET, (key,)).fetchone(), "read")
        if row is None:
            return None
        now = self._clock()
        expires = row[1]
        if expires is not None and expires <= now:
            return None
        if self._bounded:  # access times only steer eviction
            touched = self._touched
            touched[key] = now
            if (
                len(touched) >= _TOUCH_BATCH
                or time.monotonic() - self._last_touch_flush > _TOUCH_EVERY
            ):
                self._flush_touches()
        return bytes(row[0])

    def set_bytes(self, key: bytes, data: bytes, ttl: float | None) -> None:
        now = self._clock()
        row = (key, data, None if ttl is None else now + ttl, now, len(data))
        conn = self._conn()
        try:
            conn.execute(_SQL_SET, row)
        except sqlite3.Error:
            self._retry(lambda: conn.execute(_SQL_SET, row), "write")
        if self._bounded:
            self._writes += 1
            self._written += len(data)
            if self._writes >= self._check_entries or (
                self.max_bytes is not None and self._written >= self._check_bytes
            ):
                self._enforce_bounds()

    def delete_bytes(self, key: bytes) -> bool:
        conn = self._conn()
        cursor = self._retry(lambda: conn.execute(_SQL_DELETE, (key,)), "delete")
        self._touched.pop(key, None)
        return bool(cursor.rowcount > 0)

    def clear_prefix(self, prefix: bytes) -> None:
        conn = self._conn()
        low = prefix
        high = _next_prefix(prefix)
        params: tuple[bytes, ...]
        if high is None:
            sql, params = "DELETE FROM dptoolkit_entries WHERE key >= ?", (low,)
        else:
            sql = "DELETE FROM dptoolkit_entries WHERE key >= ? AND key < ?"
            params = (low, high)
        self._retry(lambda: conn.execute(sql, params), "clear")
        for key in [k for k in list(self._touched) if k.startswith(prefix)]:
            self._touched.pop(key, None)

    def clear(self) -> None:
        """Remove every entry of every function."""
        conn = self._conn()
        self._retry(lambda: conn.execute("DELETE FROM dptoolkit_entries"), "clear")
        self._touched = {}

    def __len__(self) -> int:
        conn = self._conn()
        row = self._retry(
            lambda: conn.execute("SELECT count(*) FROM dptoolkit_entries").fetchone(), "count"
        )
        return int(row[0])

    # -- access times and eviction ------------------------------------------

    def _flush_touches(self) -> None:
        self._last_touch_flush = time.monotonic()
        touched, self._touched = self._touched, {}
        if not touched:
            return
        conn = self._conn()
        # list() copies in one C call: a thread that read self._touched just
        # before the swap may still add to this dict while we read it
        rows = [(t, k) for k, t in list(touched.items())]

        def write() -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(_SQL_TOUCH, rows)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

        try:
            self._retry(write, "record access times")
        except StoreError:
            # access times only steer eviction; losing a batch is harmless
            logger.debug("could not record access times in %s", self.path, exc_info=True)

    def _enforce_bounds(self) -> None:
        self._writes = 0
        self._written = 0
        self._flush_touches()
        conn = self._conn()
        now = self._clock()
        max_entries, max_bytes = self.max_entries, self.max_bytes

        def evict() -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "DELETE FROM dptoolkit_entries WHERE expires IS NOT NULL AND expires <= ?",
                    (now,),
                )
                if max_entries is not None:
                    (count,) = conn.execute("SELECT count(*) FROM dptoolkit_entries").fetchone()
                    if count > max_entries:
                        conn.execute(
                            "DELETE FROM dptoolkit_entries WHERE key IN (SELECT key FROM"
                            " dptoolkit_entries ORDER BY atime LIMIT ?)",
                            (count - max_entries,),
                        )
                if max_bytes is not None:
                    (total,) = conn.execute(
                        "SELECT coalesce(sum(size), 0) FROM dptoolkit_entries"
                    ).fetchone()
                    if total > max_bytes:
                        doomed = []
                        for key, size in conn.execute(
                            "SELECT key, size FROM dptoolkit_entries ORDER BY atime"
                        ):
                            if total <= max_bytes:
                                break
                            doomed.append((key,))
                            total -= size
                        conn.executemany(_SQL_DELETE, doomed)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

        self._retry(evict, "evict")


def _check_bound(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidType(f"{name}={show(value)} must be a positive integer or None")
    if value < 1:
        raise InvalidInput(f"{name}={show(value)} must be a positive integer or None")
    return value


def _next_prefix(prefix: bytes) -> bytes | None:
    number = int.from_bytes(prefix, "big") + 1
    if number >> (8 * len(prefix)):
        return None
    return number.to_bytes(len(prefix), "big")


# --------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------

# release or renew a lock only if it still carries our token
_LUA_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
_LUA_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


class RedisStore(Store):
    """Results on a Redis server, shared by every process that reaches it.

    Parameters
    ----------
    url : str
        ``redis://[:password@]host:port/db`` (``rediss://`` for TLS,
        ``unix:///path/to/socket``); redis-py's query options
        (``?socket_timeout=2``) are honoured.
    client : redis.Redis, optional
        An existing client to use instead of *url*.
    prefix : str
        Prepended to every key, so several applications can share a server.
    lock_timeout : float
        Seconds a single-flight lock lives without renewal. Its holder renews
        it while it computes; if the holder dies, the others take over after
        at most this long.
    retry_initial, retry_max : float
        After the server becomes unreachable, calls compute locally and the
        store tries the server again after *retry_initial* seconds, doubling
        up to *retry_max* while it stays down.

    Raises
    ------
    StoreError
        The ``redis`` package is not installed (``pip install 'dptoolkit[redis]'``).

    Notes
    -----
    Nothing connects until the first call, so a server that is down at
    decoration time costs nothing. When the server goes away, calls keep
    returning correct results computed locally; one ``RuntimeWarning`` is
    issued per outage, and sharing resumes when the server is back.
    ``ttl`` maps to Redis key expiry.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        client: Any = None,
        prefix: str = "dptoolkit:",
        lock_timeout: float = 10.0,
        retry_initial: float = 0.5,
        retry_max: float = 30.0,
    ) -> None:
        if not isinstance(url, str):
            raise InvalidType(f"url={show(url)} must be a string")
        if not isinstance(prefix, str):
            raise InvalidType(f"prefix={show(prefix)} must be a string")
        lock_timeout = float(check_number("lock_timeout", lock_timeout, allow_negative=False))
        if lock_timeout < 0.01:
            raise InvalidInput(f"lock_timeout={show(lock_timeout)} must be at least 0.01 s")
        self.retry_initial = float(
            check_number("retry_initial", retry_initial, allow_negative=False)
        )
        self.retry_max = float(check_number("retry_max", retry_max, allow_negative=False))
        redis = _import_redis(url)
        self._errors = redis.exceptions
        self._down_errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        if client is not None and not callable(getattr(client, "register_script", None)):
            raise InvalidType(f"client={show(client)} must be a redis.Redis client or None")
        if client is None:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            try:
                client = redis.Redis.from_url(
                    url,
                    socket_connect_timeout=1.0,
                    socket_timeout=5.0,
                    retry=Retry(NoBackoff(), 0),  # outages are handled here, with backoff
                )
            except ValueError as exc:
                raise InvalidInput(f"store={url!r} is not a valid Redis URL: {exc}") from exc
        self.url = url
        self.location = _hide_password(url)
        self.client = client
        self.prefix = prefix
        self._prefix = prefix.encode("utf-8")
        self.lock_timeout = lock_timeout
        self._lock_ms = max(10, int(lock_timeout * 1000))
        self._release = client.register_script(_LUA_RELEASE)
        self._renew = client.register_script(_LUA_RENEW)
        self._state_lock = threading.Lock()
        self._down_until: float | None = None
        self._backoff = self.retry_initial
        self._outages = 0
        self._held: dict[bytes, bytes] = {}
        self._renewer: threading.Thread | None = None
        self._renewer_stop = threading.Event()
        _live_stores.add(self)

    # -- keys ----------------------------------------------------------------

    def _name(self, key: bytes) -> bytes:
        return self._prefix + key[:_NS_LEN].hex().encode() + b":" + key[_NS_LEN:].hex().encode()

    # -- outages --------------------------------------------------------------

    def _available(self) -> bool:
        until = self._down_until
        return until is None or time.monotonic() >= until

    def _went_down(self, exc: BaseException) -> None:
        with self._state_lock:
            first = self._down_until is None
            if first:
                self._backoff = self.retry_initial
                self._outages += 1
            else:  # a retry failed: wait twice as long before the next one
                self._backoff = min(self._backoff * 2, self.retry_max)
            self._down_until = time.monotonic() + self._backoff
        if first:
            warnings.warn(
                f"Redis store {self.location!r} is unreachable ({exc}); computing locally "
                f"and retrying with backoff (outage {self._outages})",
                RuntimeWarning,
                stacklevel=_caller_level(),
            )

    def _came_back(self) -> None:
        if self._down_until is not None:
            with self._state_lock:
                self._down_until = None
                self._backoff = self.retry_initial
            logger.info("Redis store %s is reachable again", self.location)

    def _call(self, action: Callable[[], Any], default: Any, what: str) -> Any:
        if not self._available():
            return default
        try:
            result = action()
        except self._down_errors as exc:
            self._went_down(exc)
            return default
        except self._errors.RedisError as exc:
            raise StoreError(f"store {self.location!r}: {what} failed: {exc}") from exc
        if self._down_until is not None:
            self._came_back()
        return result

    @property
    def available(self) -> bool:
        """False while the store is in an outage (calls compute locally)."""
        return self._down_until is None

    # -- the byte protocol ----------------------------------------------------

    def get_bytes(self, key: bytes) -> bytes | None:
        name = self._name(key)
        data = self._call(lambda: self.client.get(name), None, "read")
        return None if data is None else bytes(data)

    def set_bytes(self, key: bytes, data: bytes, ttl: float | None) -> None:
        name = self._name(key)
        px = None if ttl is None else max(1, int(ttl * 1000))
        lock_name = self._lock_name(name)
        token = self._held.pop(lock_name, None)

        def write() -> None:
            if token is None:
                self.client.set(name, data, px=px)
                return
            # the value is in place: release our lock in the same round trip
            # (a raw EVALSHA: a Script in a pipeline costs a SCRIPT EXISTS trip)
            pipe = self.client.pipeline(transaction=False)
            pipe.set(name, data, px=px)
            pipe.evalsha(self._release.sha, 1, lock_name, token)
            written, released = pipe.execute(raise_on_error=False)
            if isinstance(written, Exception):
                raise written
            if isinstance(released, Exception):  # NOSCRIPT: a restarted server
                self._release(keys=[lock_name], args=[token])

        try:
            self._call(write, None, "write")
        except StoreError as exc:
            # e.g. OOM under maxmemory-policy noeviction: the caller still gets its value
            warnings.warn(
                f"{exc}; the result was not shared", RuntimeWarning, stacklevel=_caller_level()
            )

    def delete_bytes(self, key: bytes) -> bool:
        name = self._name(key)
        return bool(self._call(lambda: self.client.delete(name), 0, "delete"))

    def clear_prefix(self, prefix: bytes) -> None:
        pattern = self._prefix + prefix.hex().encode() + b":*"
        if len(prefix) < _NS_LEN:
            pattern = self._prefix + prefix.hex().encode() + b"*"

        def clear() -> None:
            batch = []
            for name in self.client.scan_iter(match=pattern, count=1000):
                batch.append(name)
                if len(batch) >= 1000:
                    self.client.unlink(*batch)
                    batch = []
            if batch:
                self.client.unlink(*batch)

        self._call(clear, None, "clear")

    @contextlib.contextmanager
    def lock_key(self, key: bytes) -> Iterator[None]:
        """Hold *key* across processes while its value is computed.

        The lock is a Redis key set with ``SET NX PX`` and a random token,
        renewed while held, released only by its owner (a compare-and-delete
        script; :meth:`set_bytes` releases it in the same round trip as the
        write). A waiter polls (with backoff) until the value appears or the
        lock is free; it never waits on a dead worker for more than
        ``lock_timeout``. During an outage the lock is skipped (the call
        computes locally).
        """
        name = self._name(key)
        lock_name = self._lock_name(name)
        token = os.urandom(16).hex().encode()
        client = self.client
        lock_ms = self._lock_ms

        def acquire() -> int:
            if client.set(lock_name, token, nx=True, px=lock_ms):
                return 1  # ours
            return 2 if client.exists(name) else 0  # 2: the value is there; 0: wait

        delay = 0.001
        while True:
            state = self._call(acquire, None, "lock")
            if state is None or state == 2:  # an outage, or the value is ready
                yield
                return
            if state == 1:
                break
            time.sleep(delay)
            delay = min(delay * 1.5, 0.05)
        self._held[lock_name] = token
        self._ensure_renewer()
        try:
            yield
        finally:
            # set_bytes releases the lock together with its write; otherwise here
            if self._held.pop(lock_name, None) is not None:
                with contextlib.suppress(StoreError):
                    self._call(
                        lambda: self._release(keys=[lock_name], args=[token]), None, "unlock"
                    )

    def _lock_name(self, name: bytes) -> bytes:
        return self._prefix + b"lock:" + name[len(self._prefix) :]

    def _ensure_renewer(self) -> None:
        thread = self._renewer
        if thread is not None and thread.is_alive():
            return
        with self._state_lock:
            if self._renewer is not None and self._renewer.is_alive():
                return
            self._renewer_stop = threading.Event()
            thread = threading.Thread(
                target=_renew_locks,
                args=(weakref.ref(self), self._renewer_stop, self.lock_timeout / 3),
                name="dptoolkit-redis-lock-renewer",
                daemon=True,
            )
            self._renewer = thread
            thread.start()

    def _renew_held(self) -> None:
        for lock_name, token in list(self._held.items()):
            with contextlib.suppress(Exception):
                self._renew(keys=[lock_name], args=[token, self._lock_ms])

    def close(self) -> None:
        """Stop the lock renewer and disconnect (the client reconnects on use)."""
        self._renewer_stop.set()
        with contextlib.suppress(Exception):
            self.client.connection_pool.disconnect()

    def _after_fork(self) -> None:
        self._held = {}
        self._renewer = None
        self._state_lock = threading.Lock()


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside dptoolkit.

    The depth varies (a memoized call, a method, ``cache_clear``, a direct
    :class:`BoundStore` call): count the dptoolkit frames between the
    function calling ``warnings.warn`` and the user's code.
    """
    frame: Any = sys._getframe(2)  # the caller of the function that warns
    level = 2
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name != "dptoolkit" and not name.startswith("dptoolkit."):
            break
        frame = frame.f_back
        level += 1
    return level


def _renew_locks(ref: weakref.ref[RedisStore], stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        store = ref()
        if store is None:
            return
        store._renew_held()
        del store


def _import_redis(url: str) -> Any:
    try:
        import redis
    except ImportError as exc:
        raise StoreError(
            f"store={_hide_password(url)!r} needs the redis package: pip install 'dptoolkit[redis]'"
        ) from exc
    return redis


def _hide_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


# --------------------------------------------------------------------------
# store= resolution
# --------------------------------------------------------------------------

_SQLITE_OPTIONS = {"max_entries": int, "max_bytes": int, "timeout": float}
_REDIS_OPTIONS = {"prefix": str, "lock_timeout": float, "retry_initial": float, "retry_max": float}
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def resolve_store(spec: object) -> Store:
    """The :class:`Store` named by ``memoize``'s ``store=`` option.

    Parameters
    ----------
    spec : Store or str
        A store object (returned as is) or a URL:
        ``"sqlite:///cache.db"`` (a path relative to the working directory;
        four slashes, ``"sqlite:////var/cache/app.db"``, for an absolute one;
        ``~`` is expanded) with optional query options ``max_entries``,
        ``max_bytes``, ``timeout``; or
        ``"redis://host:port/db"`` (also ``rediss://``, ``unix://``) with
        optional ``prefix``, ``lock_timeout``, ``retry_initial``,
        ``retry_max`` and redis-py's own connection options.

    Returns
    -------
    Store

    Raises
    ------
    InvalidType
        *spec* is neither a Store nor a string.
    InvalidInput
        The URL has an unknown scheme, no path, or an unknown option.
    StoreError
        The store cannot be opened (a corrupt or foreign SQLite file, a
        missing ``redis`` package).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()  # absolute: the URL gets four slashes
    >>> resolve_store("sqlite:///" + folder + "/results/cache.db?max_entries=1000")
    SQLiteStore('.../results/cache.db')
    >>> resolve_store("ftp://example.org/cache")
    Traceback (most recent call last):
    ...
    dptoolkit.errors.InvalidInput: store='ftp://example.org/cache' has an unknown scheme 'ftp': use 'sqlite:///path/to/file.db', 'redis://host:port/db' or a Store object
    """
    if isinstance(spec, Store):
        return spec
    if not isinstance(spec, str):
        raise InvalidType(
            f"store={show(spec)} must be a Store or a URL such as 'sqlite:///path/to/file.db'"
        )
    scheme, sep, rest = spec.partition("://")
    scheme = scheme.lower()
    if not sep:
        raise InvalidInput(
            f"store={spec!r} is not a store URL: use 'sqlite:///path/to/file.db', "
            "'redis://host:port/db' or a Store object"
        )
    if scheme == "sqlite":
        path_part, _, query = rest.partition("?")
        # as SQLAlchemy spells it: sqlite:///relative.db, sqlite:////absolute.db
        if not path_part.startswith("/") or len(path_part) < 2:
            raise InvalidInput(
                f"store={spec!r} names no file: use 'sqlite:///relative/file.db' or "
                "'sqlite:////absolute/file.db'"
            )
        path = urllib.parse.unquote(path_part[1:])
        options = _options(spec, query, _SQLITE_OPTIONS)
        return SQLiteStore(path, **options)
    if scheme in _REDIS_SCHEMES:
        base, _, query = spec.partition("?")
        if scheme != "unix":  # redis-py reads the path as the database number, or ignores it
            db = urllib.parse.urlsplit(base).path
            if not re.fullmatch(r"/?[0-9]*", db):
                raise InvalidInput(
                    f"store={_hide_password(spec)!r}: the path {db!r} must be a database "
                    "number, as in 'redis://host:6379/0'"
                )
        ours = {k: v for k, v in urllib.parse.parse_qsl(query) if k in _REDIS_OPTIONS}
        theirs = [(k, v) for k, v in urllib.parse.parse_qsl(query) if k not in _REDIS_OPTIONS]
        options = _options(spec, urllib.parse.urlencode(ours), _REDIS_OPTIONS)
        url = base + ("?" + urllib.parse.urlencode(theirs) if theirs else "")
        return RedisStore(url, **options)
    raise InvalidInput(
        f"store={spec!r} has an unknown scheme {scheme!r}: use 'sqlite:///path/to/file.db', "
        "'redis://host:port/db' or a Store object"
    )


def _options(spec: str, query: str, known: dict[str, type]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as exc:
        raise InvalidInput(f"store={spec!r} has a malformed query: {exc}") from None
    for name, text in pairs:
        kind = known.get(name)
        if kind is None:
            listed = ", ".join(sorted(known))
            raise InvalidInput(f"store={spec!r} has an unknown option {name!r} (known: {listed})")
        try:
            options[name] = kind(text)
        except ValueError:
            what = {int: "an integer", float: "a number"}.get(kind, f"a {kind.__name__}")
            raise InvalidInput(f"store={spec!r}: option {name}={text!r} must be {what}") from None
    return options
