"""The SQLite store, the MemoryStore and ``resolve_store``, through the memo seam."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dptoolkit as dp
from dptoolkit.stores import BoundStore, MemoryStore, SQLiteStore, Store, resolve_store


def square(n: int) -> int:
    return n * n


def cube(n: int) -> int:
    return n * n * n


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fresh(source: str, name: str = "f") -> Any:
    """A function compiled from source, as a new version of a module would define it."""
    scope: dict[str, Any] = {"__name__": "tests.versions"}
    exec(compile(textwrap.dedent(source), "<version>", "exec"), scope)
    return scope[name]


# --------------------------------------------------------------------------
# resolve_store
# --------------------------------------------------------------------------


def test_resolve_store_passes_store_objects_through(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    assert resolve_store(store) is store
    memory = MemoryStore()
    assert resolve_store(memory) is memory


def test_resolve_sqlite_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as SQLAlchemy spells them: three slashes and a relative path, four and an absolute one
    absolute = resolve_store(f"sqlite:///{tmp_path}/a.db")
    assert isinstance(absolute, SQLiteStore) and absolute.path == str(tmp_path / "a.db")
    assert (tmp_path / "a.db").exists()
    monkeypatch.chdir(tmp_path)
    relative = resolve_store("sqlite:///sub/dir/rel.db?max_entries=10&max_bytes=4096&timeout=2.5")
    assert isinstance(relative, SQLiteStore)
    assert relative.path == str(tmp_path / "sub" / "dir" / "rel.db")
    assert (relative.max_entries, relative.max_bytes, relative.timeout) == (10, 4096, 2.5)
    spaced = resolve_store("sqlite:///with%20space.db")
    assert isinstance(spaced, SQLiteStore) and spaced.path == str(tmp_path / "with space.db")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home = resolve_store("sqlite:///~/h.db")
    assert isinstance(home, SQLiteStore) and home.path == str(tmp_path / "home" / "h.db")


@pytest.mark.parametrize(
    "spec, error, pattern",
    [
        ("ftp://host/cache", dp.InvalidInput, r"store='ftp://host/cache'.*unknown scheme 'ftp'"),
        ("memcached://h:1", dp.InvalidInput, r"store='memcached://h:1'"),
        ("cache.db", dp.InvalidInput, r"store='cache.db' is not a store URL"),
        ("sqlite://", dp.InvalidInput, r"names no file"),
        ("sqlite:///", dp.InvalidInput, r"names no file"),
        ("sqlite://cache.db", dp.InvalidInput, r"store='sqlite://cache.db' names no file"),
        ("sqlite:///x.db?colour=red", dp.InvalidInput, r"unknown option 'colour'"),
        ("sqlite:///x.db?max_entries=many", dp.InvalidInput, r"max_entries='many' must be an int"),
        ("sqlite:///x.db?max_entries=0", dp.InvalidInput, r"max_entries=0"),
        (3, dp.InvalidType, r"store=3 must be a Store or a URL"),
        (None, dp.InvalidType, r"store=None"),
        (Path("x.db"), dp.InvalidType, r"store=PosixPath|store=WindowsPath"),
        (b"sqlite:///x.db", dp.InvalidType, r"store=b'sqlite"),
    ],
)
def test_resolve_store_rejects_bad_specs(spec: object, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        resolve_store(spec)


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"max_entries": -1}, dp.InvalidInput, r"max_entries=-1"),
        ({"max_entries": 2.5}, dp.InvalidType, r"max_entries=2.5"),
        ({"max_bytes": True}, dp.InvalidType, r"max_bytes=True"),
        ({"timeout": -1}, dp.InvalidInput, r"timeout=-1"),
        ({"clock": "now"}, dp.InvalidType, r"clock='now' must be callable"),
    ],
)
def test_sqlite_store_option_validation(
    tmp_path: Path, kwargs: dict[str, Any], error: type, pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        SQLiteStore(tmp_path / "a.db", **kwargs)


def test_sqlite_store_path_validation() -> None:
    with pytest.raises(dp.InvalidType, match="path=3"):
        SQLiteStore(3)  # type: ignore[arg-type]
    with pytest.raises(dp.InvalidInput, match="':memory:'"):
        SQLiteStore(":memory:")


@pytest.mark.parametrize(
    "ttl, error", [(0, dp.InvalidInput), (-1, dp.InvalidInput), ("1", dp.InvalidType)]
)
def test_bind_validates_ttl(ttl: object, error: type) -> None:
    with pytest.raises(error, match="ttl="):
        MemoryStore().bind(square, ttl=ttl)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# the seam, against every store
# --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "cache.db")
    return MemoryStore()


VALUES = [
    None,
    0,
    -(10**30),
    2.5,
    float("-inf"),
    "text",
    b"\x00bytes",
    (1, (2, [3, {"k": None}])),
    {1: "a", (2, 3): [4.0]},
    {1, 2, 3},
]


def test_seam_round_trip(store: Store) -> None:
    bound = store.bind(square)
    assert isinstance(bound, BoundStore)
    assert bound.get((1,), {}) == (False, None)
    for i, value in enumerate(VALUES):
        bound.set((i,), {}, value)
    for i, value in enumerate(VALUES):
        found, got = bound.get((i,), {})
        assert found and got == value and type(got) is type(value)
    # None is a value like any other, told apart from a miss
    assert bound.get((0,), {}) == (True, None)


def test_seam_keys_from_any_arguments(store: Store) -> None:
    bound = store.bind(square)
    bound.set(([1, 2], {"b": {3, 4}}), {"opt": np.arange(3)}, "hit")
    assert bound.get(([1, 2], {"b": {4, 3}}), {"opt": np.arange(3)}) == (True, "hit")
    assert bound.get(([1, 2], {"b": {4, 3}}), {"opt": np.arange(4)}) == (False, None)
    assert bound.get(((1, 2), {"b": {4, 3}}), {"opt": np.arange(3)}) == (False, None)
    with pytest.raises(dp.UnsupportedValue, match="stable key"):
        bound.get((object(),), {})


def test_seam_arrays_and_numpy_scalars(store: Store) -> None:
    bound = store.bind(square)
    table = np.arange(12, dtype=np.int16).reshape(3, 4)
    bound.set(("table",), {}, table)
    bound.set(("scalar",), {}, np.float32(0.25))
    found, got = bound.get(("table",), {})
    assert found and got.dtype == np.int16 and got.shape == (3, 4)
    np.testing.assert_array_equal(got, table)
    assert type(bound.get(("scalar",), {})[1]) is np.float32


def test_unsupported_value_is_refused_before_writing(store: Store) -> None:
    bound = store.bind(square)
    with pytest.raises(dp.UnsupportedValue, match="object") as info:
        bound.set((1,), {}, object())
    assert isinstance(info.value, dp.StoreError) and isinstance(info.value, TypeError)
    assert bound.get((1,), {}) == (False, None)


def test_delete_and_clear_touch_one_function_only(store: Store) -> None:
    sq, cu = store.bind(square), store.bind(cube)
    for n in range(5):
        sq.set((n,), {}, n * n)
        cu.set((n,), {}, n**3)
    assert sq.delete((2,), {}) is True
    assert sq.delete((2,), {}) is False
    assert sq.get((2,), {}) == (False, None)
    assert cu.get((2,), {}) == (True, 8)
    sq.clear()
    assert all(sq.get((n,), {}) == (False, None) for n in range(5))
    assert all(cu.get((n,), {}) == (True, n**3) for n in range(5))


def test_lock_is_a_context_manager(store: Store) -> None:
    bound = store.bind(square)
    with bound.lock((3,), {}):
        assert bound.get((3,), {}) == (False, None)
        bound.set((3,), {}, 9)
    assert bound.get((3,), {}) == (True, 9)


def test_changed_code_is_never_served_its_old_results(store: Store) -> None:
    v1 = fresh("def f(n):\n    return n + 1\n")
    v2 = fresh("def f(n):\n    return n + 2\n")
    store.bind(v1).set((10,), {}, v1(10))
    assert store.bind(v2).get((10,), {}) == (False, None)
    assert store.bind(fresh("def f(n):\n    return n + 1\n")).get((10,), {}) == (True, 11)
    store.bind(v2).clear()  # clear() reaches every version of the function
    assert store.bind(v1).get((10,), {}) == (False, None)


def test_ttl_expiry(tmp_path: Path) -> None:
    clock = FakeClock()
    store = SQLiteStore(tmp_path / "ttl.db", clock=clock)
    short, forever = store.bind(square, ttl=10), store.bind(cube)
    short.set((2,), {}, 4)
    forever.set((2,), {}, 8)
    clock.now += 9.5
    assert short.get((2,), {}) == (True, 4)
    clock.now += 1
    assert short.get((2,), {}) == (False, None)
    assert forever.get((2,), {}) == (True, 8)
    # the expiry lives in the row: another opener agrees
    assert SQLiteStore(tmp_path / "ttl.db", clock=clock).bind(square).get((2,), {}) == (False, None)
    short.set((2,), {}, 4)
    assert short.get((2,), {}) == (True, 4)


def test_memory_store_ttl() -> None:
    clock = FakeClock()
    bound = MemoryStore(clock=clock).bind(square, ttl=1.0)
    bound.set((1,), {}, 1)
    assert bound.get((1,), {}) == (True, 1)
    clock.now += 1.0
    assert bound.get((1,), {}) == (False, None)


# --------------------------------------------------------------------------
# SQLite: persistence, bounds, bad files
# --------------------------------------------------------------------------


def test_results_persist_and_a_fresh_store_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "persist.db"
    first = SQLiteStore(path)
    first.bind(square).set((12,), {}, 144)
    # no close: the commit happened in set
    again = SQLiteStore(path)
    assert again.bind(square).get((12,), {}) == (True, 144)
    assert len(again) == 1
    first.close()
    again.close()
    assert SQLiteStore(path).bind(square).get((12,), {}) == (True, 144)


def test_file_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    SQLiteStore(path).bind(square).set((1,), {}, 1)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_max_entries_evicts_least_recently_used(tmp_path: Path) -> None:
    clock = FakeClock()
    store = SQLiteStore(tmp_path / "lru.db", max_entries=10, clock=clock)
    bound = store.bind(square)
    for n in range(10):
        clock.now += 1
        bound.set((n,), {}, n * n)
    for n in range(5):  # read the five oldest: now the most recently used
        clock.now += 1
        assert bound.get((n,), {})[0]
    for n in range(10, 15):
        clock.now += 1
        bound.set((n,), {}, n * n)
    assert len(store) == 10
    present = {n for n in range(15) if bound.get((n,), {})[0]}
    assert present == set(range(5)) | set(range(10, 15))


def test_max_bytes_bound(tmp_path: Path) -> None:
    clock = FakeClock()
    store = SQLiteStore(tmp_path / "bytes.db", max_bytes=10_000, clock=clock)
    bound = store.bind(square)
    blob = b"x" * 1000
    for n in range(40):
        clock.now += 1
        bound.set((n,), {}, blob)
    with sqlite3.connect(tmp_path / "bytes.db") as conn:
        (total,) = conn.execute("SELECT sum(size) FROM dptoolkit_entries").fetchone()
    assert total <= 10_000 * 1.1 + 1100
    assert bound.get((39,), {}) == (True, blob)  # the newest survive
    assert bound.get((0,), {}) == (False, None)  # the oldest went


def test_bound_eviction_drops_expired_entries_first(tmp_path: Path) -> None:
    clock = FakeClock()
    store = SQLiteStore(tmp_path / "exp.db", max_entries=6, clock=clock)
    short, keep = store.bind(square, ttl=1), store.bind(cube)
    for n in range(3):
        keep.set((n,), {}, n)
    for n in range(3):
        short.set((n,), {}, n)
    clock.now += 5
    keep.set((99,), {}, 99)  # the 7th entry: the expired three go, not the oldest
    assert all(keep.get((n,), {})[0] for n in (0, 1, 2, 99))
    assert len(store) == 4


def test_a_corrupt_file_is_a_store_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    store = SQLiteStore(path)
    bound = store.bind(square)
    for n in range(400):
        bound.set((n,), {}, "x" * 200)
    store.close()  # checkpoints the WAL into the file
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    data[4096 * 3 : 4096 * 6] = os.urandom(4096 * 3)  # scramble interior pages
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(dp.StoreError, match=re.escape(str(path))):
        damaged = SQLiteStore(path)
        for n in range(400):
            damaged.bind(square).get((n,), {})
    assert path.exists() and digest(path) == before


def test_a_scrambled_header_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "header.db"
    SQLiteStore(path).bind(square).set((1,), {}, 1)
    data = bytearray(path.read_bytes())
    data[:100] = b"\xff" * 100
    path.write_bytes(bytes(data))
    with pytest.raises(dp.StoreError, match=r"header\.db") as info:
        SQLiteStore(path)
    assert isinstance(info.value, OSError)
    # the report is the SQLite error, not "during handling of AttributeError"
    assert info.value.__context__ is info.value.__cause__
    assert path.read_bytes()[:100] == b"\xff" * 100


def test_a_file_that_is_not_sqlite_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes\n" * 100)
    before = digest(path)
    with pytest.raises(dp.StoreError, match=r"notes\.txt"):
        SQLiteStore(path)
    assert digest(path) == before


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO users (name) VALUES ('ada')")
    conn.close()
    before = digest(path)
    with pytest.raises(dp.StoreError, match=r"app\.db.*not a dptoolkit store.*users"):
        resolve_store(f"sqlite:///{path}")
    assert digest(path) == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_store_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE dptoolkit_meta SET value = 'dptoolkit-store 99'")
    conn.close()
    with pytest.raises(dp.StoreError, match="unknown format"):
        SQLiteStore(path)


def test_a_directory_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(dp.StoreError, match=re.escape(str(tmp_path))):
        SQLiteStore(tmp_path)


def test_tampered_entries_raise_store_error_and_run_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tampered.db"
    store = SQLiteStore(path)
    bound = store.bind(square)
    bound.set((1,), {}, 1)
    bound.set((2,), {}, 4)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Exploit(str(marker)))
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE dptoolkit_entries SET value = ? WHERE key = ?", (payload, bound.key((1,), {}))
        )
        conn.execute(
            "UPDATE dptoolkit_entries SET value = ? WHERE key = ?",
            (b"\x01l\x05N", bound.key((2,), {})),
        )
    conn.close()
    with pytest.raises(dp.StoreError, match=r"tampered\.db"):
        bound.get((1,), {})
    with pytest.raises(dp.StoreError, match="malformed"):
        bound.get((2,), {})
    assert not marker.exists()


@pytest.mark.parametrize(
    ("column", "planted"),
    [("expires", "soon"), ("expires", b"\x00\x01"), ("value", "text, not bytes")],
)
def test_tampered_columns_are_store_errors_and_lose_nothing(
    tmp_path: Path, column: str, planted: object
) -> None:
    # a non-numeric expiry (or a TEXT value) planted by another program: a
    # StoreError naming the file, never a raw TypeError, and every entry stays
    path = tmp_path / "planted.db"
    store = SQLiteStore(path)
    bound = store.bind(square)
    bound.set((1,), {}, 1)
    bound.set(
        (2,),
        {},
        4,
    )
    with sqlite3.connect(path) as conn:
        conn.execute(
            f"UPDATE dptoolkit_entries SET {column} = ? WHERE key = ?",
            (planted, bound.key((1,), {})),
        )
    conn.close()
    for _ in range(2):  # refused every time, not deleted on the first refusal
        with pytest.raises(dp.StoreError, match=r"planted\.db.*left untouched") as info:
            bound.get((1,), {})
        assert not isinstance(info.value.__cause__, TypeError)
    assert bound.get((2,), {}) == (True, 4)
    assert len(store) == 2
    with sqlite3.connect(path) as conn:
        (kept,) = conn.execute(
            f"SELECT {column} FROM dptoolkit_entries WHERE key = ?", (bound.key((1,), {}),)
        ).fetchone()
    conn.close()
    assert kept == planted
    store.close()


class _Exploit:
    """Unpickling this would create a file: the store must never unpickle."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Path.touch, (Path(self.path),))


def test_threads_share_one_store(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "threads.db")
    bound = store.bind(square)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(50):
                bound.set((offset, n), {}, n * n)
                assert bound.get((offset, n), {}) == (True, n * n)
                assert bound.get(((offset + 1) % 4, n), {})[1] in (None, n * n)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(store) == 200


# --------------------------------------------------------------------------
# many processes, and kill -9
# --------------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import sys
    from dptoolkit.stores import SQLiteStore

    def work(n):
        return n * n

    path, me, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    bound = SQLiteStore(path, timeout=60).bind(work)
    hits = 0
    for n in range(count):
        for key in ((me, n), ("shared", n)):
            found, value = bound.get(key, {})
            if found:
                assert value == n * n, (key, value)
                hits += 1
            else:
                bound.set(key, {}, n * n)
    print(hits, flush=True)
    """
)


def test_four_processes_share_one_file(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    SQLiteStore(path).close()  # create it once (the workers would race fine too)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, path, str(i), "150"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "locked" not in err
    store = SQLiteStore(path)
    assert len(store) == 4 * 150 + 150
    hits = sum(int(out) for out, _ in outputs)
    assert hits >= 150  # the shared keys were mostly read, not rewritten
    # the workers' function is __main__.work; every entry reads back right
    work = fresh("def work(n):\n    return n * n\n", "work")
    work.__module__ = "__main__"
    bound = store.bind(work)
    assert all(bound.get(("shared", n), {}) == (True, n * n) for n in range(150))
    assert all(bound.get((i, n), {}) == (True, n * n) for i in range(4) for n in range(0, 150, 7))


WRITER = textwrap.dedent(
    """
    import sys
    from dptoolkit.stores import SQLiteStore

    def work(n):
        return [n, str(n) * 3]

    bound = SQLiteStore(sys.argv[1]).bind(work)
    n = 0
    while True:
        bound.set((n,), {}, work(n))
        print(n, flush=True)   # reported done only after set returned
        n += 1
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_nothing_reported_done_is_lost_when_the_writer_is_killed(tmp_path: Path) -> None:
    path = str(tmp_path / "killed.db")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, path], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert proc.stdout is not None
    reported = []
    for line in proc.stdout:
        reported.append(int(line))
        if len(reported) >= 300:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    reported.extend(int(line) for line in proc.stdout.read().split())
    assert proc.returncode == -signal.SIGKILL
    work = fresh("def work(n):\n    return [n, str(n) * 3]\n", "work")
    work.__module__ = "__main__"
    bound = SQLiteStore(path).bind(work)
    missing = [n for n in reported if bound.get((n,), {}) != (True, [n, str(n) * 3])]
    assert reported and not missing


def test_connections_of_finished_threads_are_closed(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "threads.db")
    bound = store.bind(square)
    for n in range(20):  # twenty short-lived threads, one after another
        thread = threading.Thread(target=bound.set, args=((n,), {}, n * n))
        thread.start()
        thread.join()
    assert len(store._conns) <= 2  # this thread's and the last one's, not 21
    assert all(bound.get((n,), {}) == (True, n * n) for n in range(20))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_opens_its_own_connection(tmp_path: Path) -> None:
    import multiprocessing

    store = SQLiteStore(tmp_path / "fork.db")
    bound = store.bind(square)
    bound.set((1,), {}, 1)
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=bound.set, args=((2,), {}, 4))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert bound.get((2,), {}) == (True, 4)
    bound.set((3,), {}, 9)  # the parent's connection still works
    assert SQLiteStore(tmp_path / "fork.db").bind(square).get((3,), {}) == (True, 9)
