"""Fuzzing store URLs: a working cache, or a named refusal that leaves the file as it was.

``dp.memoize(store=URL)`` with awkward URLs and awkward files behind them: a
missing directory, a read-only file, a directory, another application's
SQLite file, a truncated store, a text file, a device, a NUL byte. The
property: the decorated function answers right (twice: a miss, then a hit),
or decoration (or the first call) raises a :class:`dptoolkit.DPError` --
``InvalidInput``/``InvalidType`` for a malformed URL, ``StoreError`` for a file
that cannot be a store -- whose message names the store, and a file that is
not a dptoolkit store is never modified.
"""

from __future__ import annotations

import os
import pathlib
import re
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp


def add_one(n: int) -> int:
    return n + 1


def works_or_refuses(url: str, *, untouched: pathlib.Path | None = None) -> str:
    """Decorate and call twice; return "works" or "refused" (anything else fails the test)."""
    before = untouched.read_bytes() if untouched is not None and untouched.is_file() else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unreachable Redis warns and computes locally
            f = dp.memoize(store=url)(add_one)
            assert (f(1), f(1), f(2)) == (2, 2, 3)
        result = "works"
    except dp.DPError as e:
        assert isinstance(e, (ValueError, TypeError, dp.StoreError)), repr(e)
        message = str(e)
        assert "store" in message or re.search(r"\b\w+=", message), message
        assert "\n" not in message.strip(), message
        result = "refused"
    if before is not None:
        assert untouched is not None and untouched.read_bytes() == before, "a refused file changed"
    return result


def sqlite_url(path: pathlib.Path | str) -> str:
    return f"sqlite:///{os.fspath(path)}" if os.path.isabs(path) else f"sqlite:///{path}"


def make_store(path: pathlib.Path) -> None:
    f = dp.memoize(store=sqlite_url(path))(add_one)
    f(5)
    f(6)


CASES: dict[str, Callable[[pathlib.Path], tuple[str, pathlib.Path | None, set[str]]]] = {}


def case(fn: Callable[[pathlib.Path], tuple[str, pathlib.Path | None, set[str]]]) -> Any:
    CASES[fn.__name__] = fn
    return fn


@case
def missing_directory(tmp: pathlib.Path) -> Any:
    return sqlite_url(tmp / "no" / "such" / "dir" / "c.db"), None, {"works", "refused"}


@case
def read_only_file(tmp: pathlib.Path) -> Any:
    path = tmp / "ro.db"
    make_store(path)
    path.chmod(0o444)  # root may still write: either outcome, never a raw error
    return sqlite_url(path), None, {"works", "refused"}


@case
def read_only_directory(tmp: pathlib.Path) -> Any:
    ro = tmp / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return sqlite_url(ro / "c.db"), None, {"works", "refused"}


@case
def a_directory(tmp: pathlib.Path) -> Any:
    (tmp / "adir").mkdir()
    return sqlite_url(tmp / "adir"), None, {"refused"}


@case
def another_applications_sqlite_file(tmp: pathlib.Path) -> Any:
    path = tmp / "app.db"
    with sqlite3.connect(path) as con:
        con.execute("create table invoices(id integer primary key, total real)")
        con.execute("insert into invoices values (1, 9.5)")
    return sqlite_url(path), path, {"refused"}


@case
def an_empty_sqlite_file(tmp: pathlib.Path) -> Any:
    path = tmp / "empty.db"
    sqlite3.connect(path).close()  # zero bytes: a new database, fine to use
    return sqlite_url(path), None, {"works"}


@case
def a_truncated_store(tmp: pathlib.Path) -> Any:
    path = tmp / "store.db"
    # made in a child process, so no connection of this one is left open to
    # checkpoint its write-ahead log into the file after it is cut in half
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path[:0] = [{str(pathlib.Path(__file__).parent)!r}]; "
            f"import test_fuzz_stores as t, pathlib; t.make_store(pathlib.Path({str(path)!r}))",
        ],
        check=True,
        cwd=tmp,
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return sqlite_url(path), path, {"works", "refused"}


@case
def a_text_file(tmp: pathlib.Path) -> Any:
    path = tmp / "notes.db"
    path.write_text("shopping list\n")
    return sqlite_url(path), path, {"refused"}


@case
def a_device(tmp: pathlib.Path) -> Any:
    return "sqlite:////dev/null", None, {"refused"}


@case
def a_nul_byte(tmp: pathlib.Path) -> Any:
    return sqlite_url(tmp / "a\x00b.db"), None, {"refused"}


@case
def a_percent_encoded_nul(tmp: pathlib.Path) -> Any:
    return sqlite_url(tmp / "a%00b.db"), None, {"refused"}


@case
def an_unknown_option(tmp: pathlib.Path) -> Any:
    return sqlite_url(tmp / "c.db") + "?mode=ro", None, {"refused"}


@case
def a_bad_option_value(tmp: pathlib.Path) -> Any:
    return sqlite_url(tmp / "c.db") + "?max_entries=-3", None, {"refused"}


@case
def no_file_at_all(tmp: pathlib.Path) -> Any:
    return "sqlite://", None, {"refused"}


@case
def redis_bad_port(tmp: pathlib.Path) -> Any:
    return "redis://127.0.0.1:99999/0", None, {"refused"}


@case
def redis_bad_database(tmp: pathlib.Path) -> Any:
    return "redis://127.0.0.1:1/zero", None, {"refused"}


@case
def redis_unreachable(tmp: pathlib.Path) -> Any:
    return "redis://127.0.0.1:1/0?socket_timeout=0.2", None, {"works"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_store_url(name: str, tmp_path: pathlib.Path) -> None:
    url, untouched, allowed = CASES[name](tmp_path)
    try:
        assert works_or_refuses(url, untouched=untouched) in allowed
    finally:
        for p in tmp_path.rglob("*"):
            if p.is_dir():
                p.chmod(0o755)


URL_PARTS = st.lists(
    st.sampled_from([*"ab/.?=&%:~ \x00\\", "max_entries", "timeout", "-1", "0", "%00", "db"]),
    max_size=12,
).map("".join)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    scheme=st.sampled_from(["sqlite", "SQLite", "sqlite3", "redis", "rediss", "", "file"]),
    slashes=st.sampled_from(["://", ":///", ":////", ":/", ""]),
    rest=URL_PARTS,
)
def test_arbitrary_store_urls(scheme: str, slashes: str, rest: str, tmp_path_factory: Any) -> None:
    """Arbitrary URL text: a working store or a named refusal, never a raw error."""
    if scheme.startswith("redis"):
        rest = "127.0.0.1:1/" + rest.replace("?", "").replace("&", "")  # never a real host
    base = tmp_path_factory.mktemp("urls")
    cwd = os.getcwd()
    os.chdir(base)  # relative paths land in a temporary directory
    try:
        works_or_refuses(scheme + slashes + rest)
    finally:
        os.chdir(cwd)
