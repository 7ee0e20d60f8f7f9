"""The Redis backend: :class:`RedisStore`, a server shared by a fleet of workers.

The ``redis`` package is imported when a store is made, with an error naming
the extra when it is missing. Imports the protocol (:mod:`._protocol`);
imported by the package and the URL resolver only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
import urllib.parse
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from .._validate import check_number, show
from ..errors import InvalidInput, InvalidType, StoreError
from ._protocol import NS_LEN, Store, live_stores

__all__ = ["RedisStore"]

logger = logging.getLogger(__name__)

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
        self.location = hide_password(url)
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
        live_stores.add(self)

    # -- keys ----------------------------------------------------------------

    def _name(self, key: bytes) -> bytes:
        return self._prefix + key[:NS_LEN].hex().encode() + b":" + key[NS_LEN:].hex().encode()

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
        if len(prefix) < NS_LEN:
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
            f"store={hide_password(url)!r} needs the redis package: pip install 'dptoolkit[redis]'"
        ) from exc
    return redis


def hide_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
