"""Stores end to end: ``@dp.memoize(store=...)`` across decorators and processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dptoolkit as dp


def define(source: str, name: str, env: dict[str, Any]) -> Any:
    """Run a definition (decorator included) as a fresh module would."""
    scope: dict[str, Any] = {"__name__": "tests.stores_memo", **env}
    exec(compile(textwrap.dedent(source), "<definition>", "exec", dont_inherit=True), scope)
    return scope[name]


FIB = """
@dp.memoize(store=STORE)
def fib(n):
    CALLS.append(n)
    return n if n < 2 else fib(n - 1) + fib(n - 2)
"""


def test_a_fresh_decorator_reads_through_to_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fib.db"
    calls: list[int] = []
    fib = define(FIB, "fib", {"dp": dp, "STORE": url, "CALLS": calls})
    assert fib(60) == 1548008755920
    assert sorted(calls) == list(range(61))
    calls.clear()
    again = define(FIB, "fib", {"dp": dp, "STORE": url, "CALLS": calls})
    assert again(60) == 1548008755920 and again(59) == 956722026041
    assert calls == []
    info = again.cache_info()
    assert (info.hits, info.misses) == (2, 0)
    assert again(60) == 1548008755920  # now from the front cache
    assert again.cache_info().hits == 3


def test_a_tampered_expiry_is_a_store_error_through_memoize(tmp_path: Path) -> None:
    # issue 15: a non-numeric `expires` written by another program raised a raw
    # TypeError from inside the store; now a StoreError naming the file, and
    # the entry is still there afterwards
    path = tmp_path / "planted.db"
    url = f"sqlite:///{path}"
    calls: list[int] = []
    fib = define(FIB, "fib", {"dp": dp, "STORE": url, "CALLS": calls})
    assert fib(10) == 55
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE dptoolkit_entries SET expires = 'never'")
        (before,) = conn.execute("SELECT count(*) FROM dptoolkit_entries").fetchone()
    conn.close()
    again = define(FIB, "fib", {"dp": dp, "STORE": url, "CALLS": calls})
    with pytest.raises(dp.StoreError, match=r"planted\.db.*expiry time is 'never'"):
        again(10)
    with sqlite3.connect(path) as conn:
        (after,) = conn.execute("SELECT count(*) FROM dptoolkit_entries").fetchone()
    conn.close()
    assert after == before == 11


def test_a_changed_function_recomputes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/v.db"
    calls: list[int] = []
    env = {"dp": dp, "STORE": url, "CALLS": calls}
    v1 = "@dp.memoize(store=STORE)\ndef f(n):\n    CALLS.append(n)\n    return n + 1\n"
    v2 = "@dp.memoize(store=STORE)\ndef f(n):\n    CALLS.append(n)\n    return n + 2\n"
    assert define(v1, "f", env)(5) == 6
    assert define(v2, "f", env)(5) == 7  # not the stored 6
    assert define(v1, "f", env)(5) == 6
    assert calls == [5, 5]


def test_values_round_trip_through_memoize(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/values.db"
    source = """
    @dp.memoize(store=STORE)
    def table(rows, cols):
        CALLS.append((rows, cols))
        return np.arange(rows * cols, dtype=np.float32).reshape(rows, cols), {"n": rows}
    """
    calls: list[Any] = []
    env = {"dp": dp, "np": np, "STORE": url, "CALLS": calls}
    first = define(source, "table", env)(2, 3)
    second = define(source, "table", env)(2, 3)
    assert len(calls) == 1
    np.testing.assert_array_equal(second[0], first[0])
    assert second[0].dtype == np.float32 and second[1] == {"n": 2}


def test_unsupported_result_raises_at_write_time(tmp_path: Path) -> None:
    @dp.memoize(store=f"sqlite:///{tmp_path}/bad.db")
    def make(n: int) -> object:
        return object()

    with pytest.raises(dp.UnsupportedValue, match=r"builtins\.object"):
        make(1)


def test_list_arguments_and_cache_clear_and_evict(tmp_path: Path) -> None:
    path = tmp_path / "clear.db"
    store = dp.SQLiteStore(path)

    @dp.memoize(store=store)
    def total(basket: list[int]) -> int:
        return sum(basket)

    assert total([1, 2, 3]) == 6 and total([4]) == 4
    assert len(store) == 2
    assert total.cache_evict([4]) is True
    assert len(store) == 1
    total.cache_clear()
    assert len(store) == 0


def test_key_decides_the_store_key_too(tmp_path: Path) -> None:
    store = dp.SQLiteStore(tmp_path / "key.db")
    source = """
    @dp.memoize(store=STORE, key=lambda log, n: n)  # the log is no part of the result
    def square(log, n):
        CALLS.append(n)
        return n * n
    """
    calls: list[int] = []
    env = {"dp": dp, "STORE": store, "CALLS": calls}
    log = object()  # no stable encoding: only key= makes this function storable
    assert define(source, "square", env)(log, 3) == 9
    again = define(source, "square", env)
    assert again(object(), 3) == 9 and calls == [3]  # read from the store
    assert again.cache_evict(log, 3) is True and len(store) == 0


def test_unknown_scheme_fails_at_decoration() -> None:
    with pytest.raises(dp.InvalidInput, match="store='s3://bucket/key'"):
        dp.memoize(store="s3://bucket/key")(len)
    with pytest.raises(dp.InvalidType, match="store=42"):
        dp.memoize(store=42)(len)


def test_ttl_reaches_the_store(tmp_path: Path) -> None:
    now = [1_000.0]

    def clock() -> float:
        return now[0]

    store = dp.SQLiteStore(tmp_path / "ttl.db", clock=clock)
    calls: list[int] = []
    source = """
    @dp.memoize(store=STORE, ttl=10, timer=CLOCK)
    def f(n):
        CALLS.append(n)
        return n * 3
    """
    env = {"dp": dp, "STORE": store, "CLOCK": clock, "CALLS": calls}
    assert define(source, "f", env)(1) == 3
    now[0] += 5
    assert define(source, "f", env)(1) == 3 and calls == [1]
    now[0] += 6
    assert define(source, "f", env)(1) == 3 and calls == [1, 1]


WORKER = textwrap.dedent(
    """
    import os, sys
    import dptoolkit as dp

    url, log = sys.argv[1], sys.argv[2]

    @dp.memoize(store=url)
    def heavy(n):
        with open(log, "a") as f:
            f.write(f"{n}\\n")
        return [n, n * n]

    for n in range(int(sys.argv[3])):
        assert heavy(n) == [n, n * n]
        print(n, flush=True)
    """
)


def test_processes_share_results_through_memoize(tmp_path: Path) -> None:
    url, log = f"sqlite:///{tmp_path}/share.db", tmp_path / "computed.log"
    log.touch()
    first = subprocess.run(
        [sys.executable, "-c", WORKER, url, str(log), "100"], capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    assert len(log.read_text().split()) == 100
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(log), "150"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.split() == [str(n) for n in range(150)]
    computed = [int(n) for n in log.read_text().split()]
    assert sorted(set(computed)) == list(range(150))
    assert all(n >= 100 for n in computed[100:])  # nothing stored was recomputed


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_every_result_a_caller_received_survives_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    url, log = f"sqlite:///{path}", tmp_path / "computed.log"
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(log), "100000000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    received = []
    for line in proc.stdout:
        received.append(int(line))
        if len(received) >= 300:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    received += [int(n) for n in proc.stdout.read().split()]
    with sqlite3.connect(path) as conn:
        (count,) = conn.execute("SELECT count(*) FROM dptoolkit_entries").fetchone()
    conn.close()
    assert count >= len(received)
    # a new process finds every one of them without computing
    log.write_text("")
    again = subprocess.run(
        [sys.executable, "-c", WORKER, url, str(log), str(len(received))],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    assert log.read_text() == ""
