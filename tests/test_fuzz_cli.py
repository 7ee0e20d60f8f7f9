"""Fuzzing the ``dptoolkit`` command: an answer (exit 0), or exit 2 with one clean line.

In process (``cli.main``, cheap, hypothesis-driven) and through the installed
console script (a few dozen subprocesses, the way users run it): malformed
JSON, wrong arity, huge ``n``, unknown ``--kw``, bad strategies, non-UTF-8
bytes. The property: exit status 0 with output, or 2 with exactly one line on
stderr that says ``error`` and holds no traceback; never 1 (an internal error),
never a hang.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit import cli


class Overtime(BaseException):
    pass


@contextlib.contextmanager
def cpu_watchdog(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise Overtime(f"no exit within {seconds} s of CPU time")

    old = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with cpu_watchdog(3.0), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(argv)
    except Overtime as e:
        pytest.fail(f"{e}: dptoolkit {' '.join(argv)}")
    except SystemExit as e:  # argparse exits 2 on a usage error
        status = e.code if isinstance(e.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def assert_clean(status: int, out: str, err: str, argv: list[str]) -> None:
    assert status in (0, 2), (status, argv, err)
    if status == 0:
        assert out.strip(), argv
        return
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    if lines and lines[0].startswith("usage:"):  # argparse: its usage line, then the error
        lines = lines[1:]
    assert len(lines) == 1, (argv, err)
    assert "error" in lines[0], (argv, err)


NAMES = [p.name for p in dp.catalog()]
TOKENS = st.sampled_from(
    [
        "[1", "{", '{"a": 1}', "[1, 2, 3]", "[[0, 1, 2]]", "[]", "[[]]", '"abc"', "abc",
        "NaN", "Infinity", "-Infinity", "-0", "0", "3", "-3", "1e400", "1.5", "true", "null",
        "10" * 20, "9" * 5000, "[" * 2000, "\udcff", "\x00", "", " ", "--", "-h",
    ]
)  # fmt: skip
OPTIONS = st.sampled_from(
    [
        [], [], ["--json"], ["--strategy", "bottomup"], ["--strategy", "naive"],
        ["--kw", "foo=1"], ["--kw", "unbounded"], ["--kw", "unbounded=[1"],
        ["--kw", "weight=null"], ["--strategy"], ["--kw"], ["--table"],
    ]
)  # fmt: skip


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    command=st.sampled_from(["solve", "solve", "compare", "trace", "show", "bogus"]),
    name=st.one_of(st.sampled_from(NAMES), st.sampled_from(["", "knapsak", "\udcff", "-1"])),
    args=st.lists(TOKENS, max_size=4),
    options=OPTIONS,
)
def test_cli_in_process(command: str, name: str, args: list[str], options: list[str]) -> None:
    argv = [command, name, *args, *options]
    assert_clean(*run_main(argv), argv)


def test_every_example_through_the_cli_in_process() -> None:
    """Each catalog entry's example, with one argument made malformed JSON or dropped."""
    for problem in dp.catalog():
        texts = [json.dumps(a) for a in problem.example]  # examples are JSON-literal data
        for argv in (
            ["solve", problem.name, *texts],
            ["solve", problem.name, *texts[:-1]],
            ["solve", problem.name, *texts, "7"],
            ["solve", problem.name, *[t[:-1] or "[" for t in texts]],
            ["compare", problem.name, *texts, "--kw", "nosuch=1"],
        ):
            assert_clean(*run_main(argv), argv)


def _script() -> str:
    here = pathlib.Path(sys.executable).parent / "dptoolkit"
    found = str(here) if here.exists() else shutil.which("dptoolkit")
    assert found, "the dptoolkit console script is not installed"
    return found


# argv as bytes: non-UTF-8 bytes reach the program as the OS gives them. Kept to a
# few (each process imports numpy and networkx); the in-process fuzz covers the rest.
SUBPROCESS_CASES: list[list[bytes]] = [
    [b"solve", b"fibonacci", b"[1"],  # malformed JSON
    [b"solve", b"knapsack", b"[1]", b"[2]"],  # wrong arity
    [b"solve", b"catalan", b"1" + b"0" * 30, b"--strategy", b"bottom_up"],  # huge n
    [b"solve", b"factorial", b"9" * 5000],  # an n too long to print
    [b"compare", b"fibonacci", b"-3"],  # every strategy refuses
    [b"solve", b"knapsack", b"[1]", b"[2]", b"3", b"--kw", b"foo=1"],  # unknown --kw
    [b"solve", b"fibonacci", b"\xff\xfe"],  # non-UTF-8 argument
    [b"solve", b"\xff", b"1"],  # non-UTF-8 problem name
    [b"solve", b"lcs", b'"a"', b'"b"', b"--strategy", b"\xff"],  # non-UTF-8 option
    [b"nosuchcommand"],
]


def _run(argv: list[bytes], cwd: pathlib.Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DPTOOLKIT_DEBUG"}
    return subprocess.run(
        [os.fsencode(_script()), *argv], cwd=cwd, env=env, capture_output=True, timeout=60
    )


def test_cli_through_the_installed_script(tmp_path: pathlib.Path) -> None:
    """Each bad command exits 2 with one line on stderr, no traceback (ten processes, four at a time)."""
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda argv: _run(argv, tmp_path), SUBPROCESS_CASES))
    for argv, proc in zip(SUBPROCESS_CASES, done):
        err = proc.stderr.decode("utf-8", "backslashreplace")
        assert proc.returncode == 2, (argv, proc.returncode, err)
        assert "Traceback" not in err, err
        lines = [line for line in err.strip().splitlines() if not line.startswith("usage:")]
        assert len(lines) == 1, (argv, err)
        assert proc.stdout == b"" or proc.stdout.strip(), argv
