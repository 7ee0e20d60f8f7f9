"""The hit path of ``@memoize``: a C wrapper, with a pure-Python twin.

A memoized function spends most of its life answering cache hits, so the
object a user holds after ``@memoize`` is a :class:`FastWrapper` whose call
looks the argument up in a plain dict and returns the value without running
any Python code. Everything else (misses, eviction, statistics, stores,
single flight) lives in ``memo.py``, which hands the wrapper a ``miss``
callable.

``FastWrapper`` is the C type ``dptoolkit._cmemo.FastWrapper`` when the
extension was built, else :class:`PyFastWrapper`, a pure-Python twin with the
same behaviour. Setting the environment variable ``DPTOOLKIT_PURE_PYTHON=1``
before ``import dptoolkit`` forces the twin (``IMPLEMENTATION == "python"``),
e.g. to rule the extension out while debugging.

The contract (also in ``docs/internals.md``, "The C hit path"); a call
``wrapper(*args, **kwargs)``:

1. keyword arguments present, or ``enabled`` false: ``miss(*args, **kwargs)``;
2. the key is ``fast_key(args, typed)`` (the key rule, :func:`dptoolkit.keys.fast_key`);
3. hashing the key raises ``TypeError``: ``miss(*args)`` (any other exception
   from hashing propagates);
4. the key is in ``cache``: ``hits += 1``, ``cache.move_to_end(key)`` when
   ``lru``, and the cached value is returned (``Ready(value)`` when
   ``awaitable``: the hit of an ``async def`` function);
5. otherwise ``miss(*args)``.

:class:`Ready` (the C type ``dptoolkit._cmemo.Ready``, or :class:`PyReady`)
is a finished coroutine: awaiting it gives the value, as often as you like,
and it has ``send``, ``throw`` and ``close``, so asyncio accepts it wherever
it accepts a coroutine (``create_task``, ``TaskGroup``, ``run``,
``ensure_future``, ``gather``).

The cache lookup is the dict's own (``dict.get``), so a dict subclass's
``__getitem__``/``__missing__`` overrides are not consulted; an
``OrderedDict`` works, and is required when ``lru`` is true.
"""

from __future__ import annotations

import importlib
import os
import types
from collections.abc import Callable, Generator
from typing import Any

from ._validate import show
from .errors import InvalidType
from .keys import fast_key

__all__ = [
    "IMPLEMENTATION",
    "CFastWrapper",
    "CReady",
    "FastWrapper",
    "PyFastWrapper",
    "PyReady",
    "Ready",
    "fast_key",
]

_MISSING: Any = object()


def _check_args(cache: object, miss: object, lru: bool) -> Any:
    """Validate the constructor's arguments; return ``cache.move_to_end`` or None."""
    if not isinstance(cache, dict):
        raise InvalidType(f"cache={show(cache)} must be a dict")
    if not callable(miss):
        raise InvalidType(f"miss={show(miss)} must be callable")
    if not lru:
        return None
    move = getattr(cache, "move_to_end", None)
    if not callable(move):
        raise InvalidType(f"cache={show(cache)} must have a move_to_end method when lru=True")
    return move


class PyReady:
    """The pure-Python twin of ``dptoolkit._cmemo.Ready``: a finished coroutine.

    Parameters
    ----------
    value : object
        What awaiting it gives.

    Examples
    --------
    >>> import asyncio
    >>> ready = PyReady(3)
    >>> async def twice():
    ...     return await ready + await ready
    >>> asyncio.run(twice())
    6
    >>> asyncio.run(PyReady("a coroutine to asyncio"))
    'a coroutine to asyncio'
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        return self.value
        yield  # type: ignore[unreachable]  # a generator: returns at once, no StopIteration raised

    def send(self, value: object) -> Any:
        """Finish at once: raise ``StopIteration(value)``."""
        raise StopIteration(self.value)

    def throw(self, error: Any, value: Any = None, tb: Any = None) -> Any:
        """Raise the exception thrown in (a task cancelled before its first step)."""
        if value is None:
            value = error() if isinstance(error, type) else error
        elif not isinstance(value, BaseException):
            value = error(value)
        if tb is not None:
            value = value.with_traceback(tb)
        raise value

    def close(self) -> None:
        """Do nothing: there is nothing to release."""

    def __repr__(self) -> str:
        return f"<dptoolkit memoized result {self.value!r}>"


class PyFastWrapper:
    """The pure-Python twin of the C hit-path wrapper (see the module docstring).

    Parameters
    ----------
    cache : dict
        The dict of finished values, keyed by :func:`fast_key`. The wrapper
        only reads it (and reorders it when *lru*); ``memo.py`` fills it.
    miss : callable
        Called with the original arguments whenever the hit path cannot
        answer.
    typed : bool, default False
        Passed to :func:`fast_key`.
    lru : bool, default False
        Call ``cache.move_to_end(key)`` on every hit (the cache is then an
        ``OrderedDict`` kept in least-recently-used order).
    awaitable : bool, default False
        Return ``PyReady(value)`` on a hit instead of the value (the wrapper
        of an ``async def`` function).

    Raises
    ------
    InvalidType
        *cache* is not a dict, *miss* is not callable, or *lru* is true and
        *cache* has no ``move_to_end``.

    Examples
    --------
    >>> cache = {3: "three"}
    >>> w = PyFastWrapper(cache, lambda *a, **k: ("miss", a, k))
    >>> w(3), w(4), w(3, flag=1)
    ('three', ('miss', (4,), {}), ('miss', (3,), {'flag': 1}))
    >>> w.hits
    1

    Notes
    -----
    ``hits`` counts only the hits answered here; a key can be hashable and
    absent, unhashable, or bypassed by keyword arguments, and each of those
    goes to *miss*, which keeps its own counts. A ``KeyError`` from
    ``move_to_end`` (another thread removed the key between the lookup and
    the reordering) is ignored: the value was found and is returned.
    """

    __slots__ = (
        "__dict__",
        "__weakref__",
        "_cache",
        "_enabled",
        "_get",
        "_hits",
        "_lru",
        "_miss",
        "_misses",
        "_move",
        "_ready",
        "_typed",
    )

    def __init__(
        self,
        cache: dict[Any, Any],
        miss: Callable[..., Any],
        *,
        typed: bool = False,
        lru: bool = False,
        awaitable: bool = False,
        compute: Callable[..., Any] | None = None,
        flights: dict[Any, Any] | None = None,
        record: object = None,
        evict: Callable[[], Any] | None = None,
        maxsize: int = -1,
    ) -> None:
        # compute, flights, record, evict, maxsize configure the C type's miss
        # path; the twin sends every miss to *miss* (the Python miss path)
        move = _check_args(cache, miss, bool(lru))
        self._misses = 0
        self._cache = cache
        self._miss = miss
        self._typed = bool(typed)
        self._lru = bool(lru)
        self._move = move
        # dict's own lookup, bound once: the C path uses it too (overrides ignored)
        self._get: Callable[[Any, Any], Any] = dict.get.__get__(cache)
        self._hits = 0
        self._enabled = True
        self._ready: type[PyReady] | None = PyReady if awaitable else None

    def __call__(self, /, *args: Any, **kwargs: Any) -> Any:
        if kwargs or not self._enabled:
            return self._miss(*args, **kwargs)
        key = fast_key(args, self._typed)
        try:
            value = self._get(key, _MISSING)
        except TypeError:
            if not _hash_raises_type_error(key):
                raise
            value = _MISSING
        if value is _MISSING:
            if len(args) == 1:  # a plain call is inlined by the interpreter (no C recursion)
                return self._miss(args[0])
            return self._miss(*args)
        self._hits += 1
        if self._move is not None:
            try:  # noqa: SIM105 (suppress() costs a context manager per hit)
                self._move(key)
            except KeyError:
                pass
        if self._ready is not None:
            return self._ready(value)
        return value

    # -- attributes ---------------------------------------------------------

    @property
    def hits(self) -> int:
        """Hits answered by the hit path (writable, e.g. reset to 0)."""
        return self._hits

    @hits.setter
    def hits(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidType(f"hits={show(value)} must be an integer")
        self._hits = int(value)

    @property
    def misses(self) -> int:
        """Values computed by the C miss path (always 0 here: the twin has none)."""
        return self._misses

    @misses.setter
    def misses(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidType(f"misses={show(value)} must be an integer")
        self._misses = int(value)

    @property
    def enabled(self) -> bool:
        """Whether the hit path looks in the cache (when false, every call misses)."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = bool(value)

    @property
    def cache(self) -> dict[Any, Any]:
        """The dict the hit path reads."""
        return self._cache

    @property
    def miss(self) -> Callable[..., Any]:
        """The callable every call the hit path cannot answer goes to."""
        return self._miss

    @property
    def typed(self) -> bool:
        """Whether keys include the arguments' types."""
        return self._typed

    @property
    def lru(self) -> bool:
        """Whether a hit moves its key to the end of the cache."""
        return self._lru

    @property
    def awaitable(self) -> bool:
        """Whether a hit returns ``PyReady(value)`` to await."""
        return self._ready is not None

    # -- the protocol a function object has ----------------------------------

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        bind = self.__dict__.get("_bind")
        if bind is not None and callable(bind):
            return bind(obj)
        return types.MethodType(self, obj)

    def __repr__(self) -> str:
        name = self.__dict__.get("__qualname__")
        if isinstance(name, str):
            return f"<dptoolkit memoized function {name}>"
        return f"<dptoolkit memoized function wrapping {self._miss!r}>"

    def __reduce__(self) -> str:
        # pickled by reference, like a function: the name is looked up in __module__
        name: str = self.__qualname__  # type: ignore[attr-defined]
        return name

    def __copy__(self) -> PyFastWrapper:
        return self

    def __deepcopy__(self, memo: object) -> PyFastWrapper:
        return self


def _hash_raises_type_error(key: object) -> bool:
    """Whether the ``TypeError`` just raised by a lookup of *key* came from hashing it.

    A lookup can also raise ``TypeError`` from a key's ``__eq__``; only an
    unhashable key sends the call to ``miss``. Any other exception raised by
    hashing again propagates.
    """
    try:
        hash(key)
    except TypeError:
        return True
    return False


def _load_c() -> Any:
    if os.environ.get("DPTOOLKIT_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        module = importlib.import_module("dptoolkit._cmemo")
    except ImportError:
        return None
    if not hasattr(module, "Ready"):  # a stale build, older than this module
        return None
    return module


_cmemo: Any = _load_c()

CFastWrapper: Any = None if _cmemo is None else _cmemo.FastWrapper
"""The C type ``dptoolkit._cmemo.FastWrapper``, or None when it is not available."""

CReady: Any = None if _cmemo is None else _cmemo.Ready
"""The C type ``dptoolkit._cmemo.Ready``, or None when it is not available."""

Ready: Any = CReady if CReady is not None else PyReady
"""What a hit of a memoized ``async def`` function returns (C or Python)."""

FastWrapper: Any = CFastWrapper if CFastWrapper is not None else PyFastWrapper
"""The hit-path wrapper to use: the C type when built, else the Python twin."""

IMPLEMENTATION: str = "c" if CFastWrapper is not None else "python"
"""``"c"`` or ``"python"``: which implementation :data:`FastWrapper` is."""
