"""Soak tests of the persistent and shared stores (``pytest -m slow``; about two minutes).

* SQLite: four processes of eight threads each call one memoized function
  through one SQLite file while the test SIGKILLs a random worker every
  fraction of a second and starts a new one. Afterwards every result a caller
  received (each is logged the moment it is returned) must be right, and must
  be in the store: a fresh process asking for every logged key computes none.
* Redis: callers in two processes wait on one shared key of a slow function
  while the test SIGKILLs redis-server and starts it again; every caller still
  gets the right answer.

The figures go to docs/reliability.md; set ``DPTOOLKIT_SOAK_SECONDS`` to run longer.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("DPTOOLKIT_SOAK_SECONDS", "40"))
PROCESSES, THREADS, KEYS = 4, 8, 20_000

WORKER = textwrap.dedent(
    """
    import hashlib, os, random, sys, threading, time
    import dptoolkit as dp

    url, log_path, seed, threads, keys, mode = sys.argv[1:7]
    computed = []

    @dp.memoize(store=url)
    def work(k):
        computed.append(k)
        time.sleep(random.random() * 0.002)
        return {"k": k, "digest": hashlib.sha256(str(k).encode()).hexdigest()[:16], "sq": k * k}

    if mode == "check":  # every key logged by a caller: from the store, none computed
        wanted = sorted({int(line.split()[0]) for line in open(log_path)})
        wrong = [k for k in wanted if work(k)["sq"] != k * k]
        print(len(wanted), len(computed), len(wrong), flush=True)
        sys.exit(0)

    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    def caller(i):
        rnd = random.Random(int(seed) * 100 + i)
        while True:
            k = rnd.randrange(int(keys))
            v = work(k)
            os.write(fd, f"{k} {v['digest']} {v['sq']}\\n".encode())  # one atomic append

    for i in range(int(threads)):
        threading.Thread(target=caller, args=(i,), daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()
    """
)


def expected(k: int) -> tuple[str, int]:
    return hashlib.sha256(str(k).encode()).hexdigest()[:16], k * k


def spawn(url: str, log: Path, seed: int, mode: str = "run") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(log), str(seed), str(THREADS), str(KEYS), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def record(name: str, figures: dict[str, Any]) -> None:
    """Print the figures (``pytest -m slow -s`` shows them) and keep them next to the test."""
    line = json.dumps({"soak": name, **figures})
    print(line)
    out = os.environ.get("DPTOOLKIT_SOAK_LOG")
    if out:
        with open(out, "a") as f:
            f.write(line + "\n")


def test_sqlite_store_survives_random_kills(tmp_path: Path) -> None:
    db = tmp_path / "soak.db"
    url = f"sqlite:///{db}"
    log = tmp_path / "received.log"
    log.touch()
    rnd = random.Random(15)
    seed = 0
    workers = []
    for _ in range(PROCESSES):
        seed += 1
        workers.append(spawn(url, log, seed))
    kills = 0
    deadline = time.monotonic() + SECONDS
    try:
        while time.monotonic() < deadline:
            time.sleep(rnd.uniform(0.2, 1.2))
            k = rnd.randrange(PROCESSES)
            workers[k].send_signal(signal.SIGKILL)
            workers[k].wait(timeout=30)
            kills += 1
            seed += 1
            workers[k] = spawn(url, log, seed)
    finally:
        for w in workers:
            w.send_signal(signal.SIGKILL)
        for w in workers:
            w.communicate(timeout=30)
    for w in workers:
        assert w.returncode == -signal.SIGKILL, w.stderr.read() if w.stderr else ""

    calls = wrong = 0
    for line in log.read_text().splitlines():
        k, digest, sq = line.split()
        calls += 1
        if (digest, int(sq)) != expected(int(k)):
            wrong += 1
    assert calls > 1000, f"only {calls} calls returned: the workers barely ran"
    assert wrong == 0

    checker = spawn(url, log, 0, mode="check")
    out, err = checker.communicate(timeout=120)
    assert checker.returncode == 0, err
    checked, lost, bad = map(int, out.split())
    with sqlite3.connect(db) as con:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    record(
        "sqlite",
        {
            "processes": PROCESSES,
            "threads": THREADS,
            "seconds": SECONDS,
            "calls": calls,
            "kills": kills,
            "results_checked": checked,
            "wrong": wrong + bad,
            "lost": lost,
            "integrity": integrity,
        },
    )
    assert (lost, bad, integrity) == (0, 0, "ok")


REDIS_CALLER = textwrap.dedent(
    """
    import json, sys, threading, time, warnings
    import dptoolkit as dp

    warnings.simplefilter("ignore")  # the outage warnings are expected here
    url, key, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

    @dp.memoize(store=url)
    def slow(k):
        time.sleep(1.5)
        return {"k": k, "cube": k ** 3}

    results = [None] * 4

    def caller(i):
        time.sleep(max(0.0, start - time.time()))
        results[i] = slow(key)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(results), flush=True)
    """
)


def _redis_module() -> Any:
    """tests/test_stores_redis.py, for its throwaway RedisServer (importlib mode: load by path)."""
    path = Path(__file__).with_name("test_stores_redis.py")
    spec = importlib.util.spec_from_file_location("_soak_redis_fixture", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.redis
def test_redis_killed_and_restarted_while_callers_wait(tmp_path: Path) -> None:
    fixture = _redis_module()
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        fixture._need("redis-server (apt-get install redis-server)")
    server = fixture.RedisServer(binary, tmp_path)
    server.start()
    rounds, callers, right = 4, 0, 0
    outages = ("before the callers ask", "while they wait", "while they wait", "as they finish")
    try:
        for r, when in enumerate(outages):
            start = time.time() + 3.0  # the callers start at the same moment
            procs = [
                subprocess.Popen(
                    [sys.executable, "-c", REDIS_CALLER, server.url, str(100 + r), str(start)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            delay = {"before the callers ask": -0.5, "while they wait": 0.5}.get(when, 1.4)
            time.sleep(max(0.0, start + delay - time.time()))
            server.kill()
            time.sleep(0.5 if r % 2 else 1.5)
            server.start()
            for proc in procs:
                out, err = proc.communicate(timeout=120)
                assert proc.returncode == 0, err
                got = json.loads(out)
                callers += len(got)
                right += sum(g == {"k": 100 + r, "cube": (100 + r) ** 3} for g in got)
    finally:
        server.kill()
    record("redis", {"rounds": rounds, "kills": rounds, "callers": callers, "right": right})
    assert right == callers == rounds * 2 * 4
