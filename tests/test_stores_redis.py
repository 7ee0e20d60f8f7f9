"""The Redis store against a real ``redis-server`` started on a free loopback port.

Skipped when ``redis-server`` (or the ``redis`` package) is missing, unless
``DPTOOLKIT_REQUIRE_REDIS=1``, in which case the missing piece is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit.stores import RedisStore, resolve_store

pytestmark = pytest.mark.redis

REQUIRED = os.environ.get("DPTOOLKIT_REQUIRE_REDIS") == "1"


def _need(what: str) -> None:
    if REQUIRED:
        pytest.fail(f"{what} is missing and DPTOOLKIT_REQUIRE_REDIS=1")
    pytest.skip(f"{what} is not available")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A throwaway redis-server: no persistence, loopback only."""

    def __init__(self, binary: str, directory: Path) -> None:
        self.binary = binary
        self.directory = directory
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.02)
        self.kill()
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture(scope="module")
def redis_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        _need("redis-server (apt-get install redis-server)")
    try:
        import redis  # noqa: F401
    except ImportError:
        _need("the redis package (pip install 'dptoolkit[redis]')")
    assert binary is not None
    return binary


@pytest.fixture(scope="module")
def server(redis_binary: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    srv = RedisServer(redis_binary, tmp_path_factory.mktemp("redis"))
    srv.start()
    yield srv
    srv.kill()


@pytest.fixture
def url(server: RedisServer) -> str:
    server.client().flushall()
    return server.url


def square(n: int) -> int:
    return n * n


def cube(n: int) -> int:
    return n * n * n


# --------------------------------------------------------------------------
# the seam
# --------------------------------------------------------------------------


def test_round_trip_delete_clear(url: str) -> None:
    store = resolve_store(url)
    assert isinstance(store, RedisStore)
    sq, cu = store.bind(square), store.bind(cube)
    assert sq.get((3,), {}) == (False, None)
    for n in range(4):
        sq.set((n,), {}, [n * n, {"n": n}])
        cu.set((n,), {}, (n**3,))
    assert sq.get((3,), {}) == (True, [9, {"n": 3}])
    assert sq.delete((3,), {}) is True and sq.delete((3,), {}) is False
    sq.clear()
    assert all(sq.get((n,), {}) == (False, None) for n in range(4))
    assert all(cu.get((n,), {}) == (True, (n**3,)) for n in range(4))
    with pytest.raises(dp.UnsupportedValue, match="object"):
        sq.set((1,), {}, object())


def test_ttl_maps_to_redis_expiry(url: str, server: RedisServer) -> None:
    store = RedisStore(url, prefix="ttl-test:")
    bound = store.bind(square, ttl=30)
    bound.set((5,), {}, 25)
    client = server.client()
    (name,) = client.keys("ttl-test:*")
    assert 0 < client.pttl(name) <= 30_000
    store.bind(cube).set((5,), {}, 125)
    assert sorted(client.pttl(k) for k in client.keys("ttl-test:*"))[0] == -1  # no ttl: no expiry
    short = store.bind(square, ttl=0.05)
    short.set((6,), {}, 36)
    time.sleep(0.2)
    assert short.get((6,), {}) == (False, None)


def test_url_options_and_password_hiding(server: RedisServer) -> None:
    store = resolve_store(server.url + "?prefix=app1:&lock_timeout=2.5&socket_timeout=3")
    assert isinstance(store, RedisStore)
    assert store.prefix == "app1:" and store.lock_timeout == 2.5
    store.bind(square).set((1,), {}, 1)
    assert server.client().keys("app1:*")
    secret = RedisStore("redis://:hunter2@127.0.0.1:1/0")
    assert "hunter2" not in repr(secret) and "***" in secret.location
    with pytest.raises(dp.InvalidInput, match="lock_timeout"):
        resolve_store(server.url + "?lock_timeout=soon")


def test_a_client_that_is_not_a_redis_client_is_refused() -> None:
    pytest.importorskip("redis")
    with pytest.raises(dp.InvalidType, match=r"client=3 must be a redis\.Redis client"):
        RedisStore(client=3)


@pytest.mark.parametrize("path", ["/zz", "/0/1", "/db0"])
def test_a_redis_url_path_must_be_a_database_number(path: str) -> None:
    pytest.importorskip("redis")
    with pytest.raises(dp.InvalidInput, match=f"the path '{path}' must be a database number"):
        resolve_store(f"redis://127.0.0.1:6379{path}")


def test_an_outage_warning_points_at_the_callers_line() -> None:
    pytest.importorskip("redis")

    @dp.memoize(store=f"redis://127.0.0.1:{_free_port()}/0?retry_initial=60")
    def tri(n: int) -> int:
        return n * (n + 1) // 2

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert tri(10) == 55  # computed here: nothing listens on that port
    outage = [w for w in caught if "unreachable" in str(w.message)]
    assert len(outage) == 1 and outage[0].filename == __file__


def test_missing_redis_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(dp.StoreError, match=r"dptoolkit\[redis\]"):
        resolve_store("redis://127.0.0.1:6379/0")


def test_lock_is_released_only_by_its_owner(url: str, server: RedisServer) -> None:
    store = RedisStore(url, prefix="own:")
    bound = store.bind(square)
    client = server.client()
    with bound.lock((1,), {}):
        (lock_name,) = client.keys("own:lock:*")
        client.set(lock_name, b"someone-else")  # our lock expired; another worker took it
    assert client.get(lock_name) == b"someone-else"


def test_held_locks_are_renewed_and_block_others(url: str) -> None:
    holder = RedisStore(url, lock_timeout=0.2).bind(square)
    other = RedisStore(url, lock_timeout=0.2).bind(square)
    order: list[str] = []
    entered = threading.Event()

    def wait_for_lock() -> None:
        entered.wait()
        with other.lock((9,), {}):
            order.append("other")

    thread = threading.Thread(target=wait_for_lock)
    thread.start()
    with holder.lock((9,), {}):
        entered.set()
        time.sleep(0.8)  # four lock lifetimes: only renewal keeps it
        order.append("holder done")
    thread.join(timeout=10)
    assert order == ["holder done", "other"]


# --------------------------------------------------------------------------
# several processes
# --------------------------------------------------------------------------

SHARE = textwrap.dedent(
    """
    import sys
    from dptoolkit.stores import RedisStore

    def work(n):
        return {"n": n, "square": n * n}

    url, mode = sys.argv[1], sys.argv[2]
    bound = RedisStore(url).bind(work)
    if mode == "write":
        for n in range(50):
            bound.set((n,), {}, work(n))
        print("written", flush=True)
    else:
        print(sum(bound.get((n,), {}) == (True, work(n)) for n in range(50)), flush=True)
    """
)


def run(program: str, *args: str, timeout: float = 60) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", program, *args], capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_two_processes_share_results(url: str) -> None:
    assert run(SHARE, url, "read") == "0"
    assert run(SHARE, url, "write") == "written"
    assert run(SHARE, url, "read") == "50"


SINGLE_FLIGHT = textwrap.dedent(
    """
    import os, sys, time
    import dptoolkit as dp

    @dp.memoize(store=sys.argv[1])
    def slow(n):
        with open(sys.argv[2], "a") as log:   # one line per computation
            log.write(f"{os.getpid()}\\n")
        time.sleep(0.4)
        return n * 10

    start = float(sys.argv[3])
    time.sleep(max(0.0, start - time.time()))  # all workers ask at the same moment
    print([slow(1), slow(2)], flush=True)
    """
)


def test_single_flight_across_processes(url: str, tmp_path: Path) -> None:
    log = tmp_path / "computations.log"
    log.touch()
    start = str(time.time() + 1.5)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SINGLE_FLIGHT, url, str(log), start],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (_, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
    assert [out.strip() for out, _ in outputs] == ["[10, 20]"] * 4
    assert len(log.read_text().split()) == 2  # each key computed once in all


SHARE_MEMO = textwrap.dedent(
    """
    import sys
    import dptoolkit as dp

    @dp.memoize(store=sys.argv[1])
    def work(n):
        with open(sys.argv[2], "a") as log:
            log.write(f"{n}\\n")
        return {"n": n, "cube": n ** 3}

    print(sum(work(n)["cube"] for n in range(30)), flush=True)
    """
)


def test_memoized_functions_share_through_redis(url: str, tmp_path: Path) -> None:
    log = tmp_path / "computed.log"
    log.touch()
    assert run(SHARE_MEMO, url, str(log)) == str(sum(n**3 for n in range(30)))
    assert run(SHARE_MEMO, url, str(log)) == str(sum(n**3 for n in range(30)))
    assert sorted(int(n) for n in log.read_text().split()) == list(range(30))


HOLD_AND_DIE = textwrap.dedent(
    """
    import sys, time
    from dptoolkit.stores import RedisStore

    def work(n):
        return n

    bound = RedisStore(sys.argv[1], lock_timeout=1.0).bind(work)
    with bound.lock((7,), {}):
        print("locked", flush=True)
        time.sleep(600)
    """
)


def test_a_dead_lock_holder_does_not_block_the_others(url: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_DIE, url], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    work = _main_function("def work(n):\n    return n\n", "work")
    bound = RedisStore(url).bind(work)
    acquired = threading.Event()

    def take() -> None:
        with bound.lock((7,), {}):
            acquired.set()

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    assert acquired.wait(timeout=15)  # the dead worker's lock expired (1 s)


def _main_function(source: str, name: str) -> Any:
    scope: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(source, "<worker>", "exec", dont_inherit=True), scope)
    return scope[name]


# --------------------------------------------------------------------------
# outages
# --------------------------------------------------------------------------


def test_server_killed_and_restarted(redis_binary: str, tmp_path: Path) -> None:
    server = RedisServer(redis_binary, tmp_path)
    server.start()
    try:
        store = RedisStore(server.url, retry_initial=0.05, retry_max=0.2)
        bound = store.bind(square)
        bound.set((1,), {}, 1)
        assert bound.get((1,), {}) == (True, 1)

        server.kill()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for n in range(2, 40):  # calls go on; nothing is shared
                assert bound.get((n,), {}) == (False, None)
                with bound.lock((n,), {}):
                    bound.set((n,), {}, n * n)
                time.sleep(0.005)
            computed: list[int] = []

            @dp.memoize(store=store)
            def tri(n: int) -> int:
                computed.append(n)
                return n * (n + 1) // 2

            assert [tri(n) for n in (10, 20, 10)] == [55, 210, 55]  # right, computed here
            assert computed == [10, 20]
        outage = [w for w in caught if "unreachable" in str(w.message)]
        assert len(outage) == 1 and issubclass(outage[0].category, RuntimeWarning)
        assert not store.available

        server.start()  # same port, empty
        deadline = time.monotonic() + 10
        while not store.available and time.monotonic() < deadline:
            bound.get((0,), {})
            time.sleep(0.05)
        assert store.available
        bound.set((50,), {}, 2500)
        assert server.client().dbsize() == 1  # sharing resumed
        assert RedisStore(server.url).bind(square).get((50,), {}) == (True, 2500)

        server.kill()  # a second outage warns again
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bound.get((50,), {})
            bound.get((51,), {})
        assert len([w for w in caught if "unreachable" in str(w.message)]) == 1
    finally:
        server.kill()


def test_retries_back_off(redis_binary: str, tmp_path: Path) -> None:
    # a server that never answers: the store must not try it on every call
    server = RedisServer(redis_binary, tmp_path)  # never started
    store = RedisStore(server.url, retry_initial=0.2, retry_max=1.0)
    attempts = 0
    real = store.client.get

    def counting_get(*args: Any) -> Any:
        nonlocal attempts
        attempts += 1
        return real(*args)

    store.client.get = counting_get
    bound = store.bind(square)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(200):
            assert bound.get((1,), {}) == (False, None)
    assert attempts == 1  # the rest fell within the backoff window
    time.sleep(0.25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bound.get((1,), {})
    assert attempts == 2
