"""``store=`` resolution: :func:`resolve_store` turns a URL or a Store into a :class:`Store`.

Imports the protocol and both backends; imported by the package (and so by
the memo engine, through ``dptoolkit.stores.resolve_store``).
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from .._validate import show
from ..errors import InvalidInput, InvalidType
from ._protocol import Store
from ._redis import RedisStore, hide_password
from ._sqlite import SQLiteStore

__all__ = ["resolve_store"]

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
                    f"store={hide_password(spec)!r}: the path {db!r} must be a database "
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
