"""The SQLite backend: :class:`SQLiteStore`, one file shared by the processes of a machine.

Imports the protocol (:mod:`._protocol`); imported by the package and the URL
resolver only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from .._validate import check_callable, check_number, show
from ..errors import InvalidInput, InvalidType, StoreError
from ._protocol import Store, live_stores, orphans

__all__ = ["SQLiteStore"]

logger = logging.getLogger(__name__)

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
        if not fspath or fspath == ":memory:" or "\x00" in fspath:
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
        live_stores.add(self)
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

    def _tampered(self, what: str, found: object) -> StoreError:
        # a file changed outside dptoolkit: refuse the entry, and leave it (and
        # every other entry) where it is for the user to inspect
        return StoreError(
            f"store {self.path!r}: an entry's {what} is {show(found)}, of type "
            f"{type(found).__name__}, which dptoolkit never writes (the file was changed "
            "outside dptoolkit); it was left untouched"
        )

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
            orphans.extend(c for _, c in self._conns)
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
        data, expires = row
        now = self._clock()
        if expires is not None:
            if type(expires) is not float and type(expires) is not int:
                raise self._tampered("expiry time", expires)
            if expires <= now:
                return None
        if type(data) is not bytes:
            raise self._tampered("value", data)
        if self._bounded:  # access times only steer eviction
            touched = self._touched
            touched[key] = now
            if (
                len(touched) >= _TOUCH_BATCH
                or time.monotonic() - self._last_touch_flush > _TOUCH_EVERY
            ):
                self._flush_touches()
        return data

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
