"""Memoized methods: one cache per instance, never keeping an instance alive.

:class:`Instances` holds a memoized function's per-instance engines (keyed by
``id()``, dropped by a weakref callback, their statistics kept);
:class:`Method` is what ``instance.method`` gives.

Imports :mod:`._engine`; used by :mod:`._decorator` only.
"""

from __future__ import annotations

import functools
import inspect
import types
import warnings
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._engine import Engine
from ._options import Options
from ._types import CacheInfo

if TYPE_CHECKING:
    from ..stores import BoundStore

__all__ = ["Instances", "Method"]


class Instances:
    """The per-instance caches of one memoized function (a method's).

    Attributes
    ----------
    engines : dict
        ``id(instance) -> (weakref to it, its Engine)``.
    retired_hits, retired_misses : int
        The counts of instances collected since the last clear.
    uncached : int
        Calls on instances that cannot be weakly referenced (never cached).
    """

    __slots__ = (
        "__weakref__",
        "bound",
        "engines",
        "func",
        "is_async",
        "name",
        "opts",
        "retired_hits",
        "retired_misses",
        "uncached",
        "warned",
        "wrapper_cls",
    )

    def __init__(
        self,
        func: Callable[..., Any],
        name: str,
        opts: Options,
        bound: BoundStore | None,
        is_async: bool,
        wrapper_cls: Any,
    ) -> None:
        self.func = func
        self.name = name
        self.opts = opts
        self.bound = bound
        self.is_async = is_async
        self.wrapper_cls = wrapper_cls
        self.engines: dict[int, tuple[weakref.ref[Any], Engine]] = {}
        self.warned: set[type] = set()
        self.retired_hits = self.retired_misses = 0
        self.uncached = 0

    def all(self) -> list[Engine]:
        """The live instances' engines."""
        return [entry[1] for entry in list(self.engines.values())]

    def get(self, obj: object) -> Engine | None:
        """*obj*'s engine, if it has one."""
        entry = self.engines.get(id(obj))
        if entry is not None and entry[0]() is obj:
            return entry[1]
        return None

    def clear(self) -> None:
        """Empty every instance's cache and forget the statistics of collected ones."""
        for one in self.all():
            one.clear()
        self.retired_hits = self.retired_misses = 0
        self.uncached = 0

    def call_uncached(self, obj: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Call the function on an instance that cannot have a cache."""
        self.uncached += 1
        return self.func(obj, *args, **kwargs)

    def bind(self, wrapper: Any, obj: object) -> Method:
        """``obj.method``: a :class:`Method` on *obj*'s own cache (made on first use)."""
        one = self.get(obj)
        if one is not None:
            return Method(wrapper, obj, one, self)
        try:
            ref = weakref.ref(obj, functools.partial(_forget, self, id(obj)))
        except TypeError:
            cls = type(obj)
            if cls not in self.warned:
                self.warned.add(cls)
                warnings.warn(
                    f"memoized method {self.name}: instances of {cls.__qualname__} cannot be "
                    "weakly referenced, so their results are not cached (add '__weakref__' "
                    "to __slots__)",
                    RuntimeWarning,
                    stacklevel=3,
                )
            return Method(wrapper, obj, None, self)
        one = Engine(
            self.func, self.name, self.opts, self.bound, ref, self.is_async, self.wrapper_cls
        )
        entry = self.engines.setdefault(id(obj), (ref, one))
        return Method(wrapper, obj, entry[1], self)


def _forget(instances: Instances, ident: int, ref: weakref.ref[Any]) -> None:
    """An instance was collected: drop its cache, keep its statistics."""
    entry = instances.engines.get(ident)
    if entry is not None and entry[0] is ref:
        del instances.engines[ident]
        hits, misses = entry[1].counts()
        instances.retired_hits += hits
        instances.retired_misses += misses


class Method:
    """``instance.method`` for a memoized method: the instance's own cache.

    It holds the instance (as a bound method does); the cache itself refers to
    it only weakly, so the instance is freed as soon as nothing else holds it,
    and its cache with it.
    """

    __slots__ = ("__func__", "__self__", "_engine", "_instances")

    def __init__(
        self, owner: Any, obj: object, engine: Engine | None, instances: Instances
    ) -> None:
        self.__func__ = owner
        self.__self__ = obj
        self._engine = engine
        self._instances = instances

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        engine = self._engine
        if engine is None:  # an instance that cannot be weakly referenced: no cache
            return self._instances.call_uncached(self.__self__, args, kwargs)
        return engine.wrapper(*args, **kwargs)

    def cache_info(self) -> CacheInfo:
        """This instance's statistics."""
        if self._engine is None:
            return CacheInfo(0, 0, self._instances.opts.maxsize, 0)
        return self._engine.info()

    def cache_clear(self) -> None:
        """Empty this instance's cache and reset its statistics."""
        if self._engine is not None:
            self._engine.clear()

    def cache_evict(self, *args: Any, **kwargs: Any) -> bool:
        """Drop this instance's entry for these arguments; True if it was there."""
        if self._engine is None:
            return False
        return bool(self._engine.evict(args, kwargs))

    def cache_parameters(self) -> dict[str, Any]:
        """The options the method was memoized with."""
        return self.__func__.cache_parameters()  # type: ignore[no-any-return]

    def _repr_html_(self) -> str:
        """In a notebook: this instance's cache_info and the options (see dptoolkit._html)."""
        from .._html import memo_html

        return memo_html(self)

    def __getattr__(self, name: str) -> Any:
        # __name__, __qualname__, __wrapped__, __module__, ...: the function's
        return getattr(self.__func__, name)

    # the class attributes a bound method takes from its function instead
    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return self.__func__.__doc__  # type: ignore[no-any-return]

    @property
    def __signature__(self) -> inspect.Signature:
        # the function's, less its first parameter, as for a bound method
        return inspect.signature(types.MethodType(self.__func__, self.__self__))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a bound method is: the instance and the attribute name
        return getattr, (self.__self__, self.__func__.__name__)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is Method
            and other.__self__ is self.__self__
            and other.__func__ is self.__func__
        )

    def __hash__(self) -> int:
        return hash((id(self.__self__), id(self.__func__)))

    def __repr__(self) -> str:
        return f"<memoized method {self.__qualname__} of {self.__self__!r}>"
