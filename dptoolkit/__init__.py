"""dptoolkit: write a dynamic-programming recurrence once, run it every way.

>>> import dptoolkit as dp
>>> @dp.memoize
... def fib(n):
...     return n if n < 2 else fib(n - 1) + fib(n - 2)
>>> fib(90)
2880067194370816120

The public names are re-exported here and listed in ``__all__``; they are
loaded on first use, so ``import dptoolkit`` does not pay for numpy or
networkx until something needs them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the private module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "DPError": "errors",
    "InvalidInput": "errors",
    "InvalidType": "errors",
    "OrderError": "errors",
    "CycleError": "errors",
    "NegativeCycleError": "errors",
    "BudgetExceeded": "errors",
    "StoreError": "errors",
    "UnsupportedValue": "errors",
    # the memo engine
    "memoize": "memo",
    "CacheInfo": "memo",
    # the recurrence engine
    "recurrence": "recurrence",
    "Recurrence": "recurrence",
    "Solution": "recurrence",
    "Stats": "recurrence",
    "choose": "recurrence",
    "grid": "spaces",
    "intervals": "spaces",
    "subsets": "spaces",
    "Trace": "trace",
    # persistent and shared stores
    "Store": "stores",
    "SQLiteStore": "stores",
    "RedisStore": "stores",
    "register_codec": "stores",
    # the catalog
    "catalog": "catalog",
    "Problem": "catalog",
    # seeing a run
    "explain": "_explain",
}

__all__ = [
    "BudgetExceeded",
    "CacheInfo",
    "CycleError",
    "DPError",
    "InvalidInput",
    "InvalidType",
    "NegativeCycleError",
    "OrderError",
    "Problem",
    "Recurrence",
    "RedisStore",
    "SQLiteStore",
    "Solution",
    "Stats",
    "Store",
    "StoreError",
    "Trace",
    "UnsupportedValue",
    "catalog",
    "choose",
    "explain",
    "grid",
    "intervals",
    "memoize",
    "recurrence",
    "register_codec",
    "subsets",
]

if TYPE_CHECKING:
    from ._explain import explain
    from .catalog import Problem, catalog
    from .errors import (
        BudgetExceeded,
        CycleError,
        DPError,
        InvalidInput,
        InvalidType,
        NegativeCycleError,
        OrderError,
        StoreError,
        UnsupportedValue,
    )
    from .memo import CacheInfo, memoize
    from .recurrence import Recurrence, Solution, Stats, choose, recurrence
    from .spaces import grid, intervals, subsets
    from .stores import RedisStore, SQLiteStore, Store, register_codec
    from .trace import Trace


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dptoolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """Keeps ``dp.catalog`` and ``dp.recurrence`` the functions, not their modules.

    Importing a submodule binds it as an attribute of the package; two public
    functions share their module's name, so that binding would hide them.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
