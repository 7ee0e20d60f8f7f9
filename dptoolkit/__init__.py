"""dptoolkit: write a dynamic-programming recurrence once, run it every way.

>>> import dptoolkit as dp
>>> @dp.memoize
... def fib(n):
...     return n if n < 2 else fib(n - 1) + fib(n - 2)
>>> fib(90)
2880067194370816120

The public names are re-exported here and listed in ``__all__`` (which is
also all ``dir(dptoolkit)`` shows, with ``__version__``); they are loaded on
first use, so ``import dptoolkit`` does not pay for numpy or networkx until
something needs them.

``dp.catalog`` is the :mod:`dptoolkit.catalog` module itself, which is
callable (``dp.catalog("knapsack")``), so ``import dptoolkit.catalog`` gives
a usable module too. ``dp.recurrence`` stays the decorator even after
``import dptoolkit.recurrence`` (which would otherwise bind the module over
it): import names from there with ``from dptoolkit.recurrence import ...``.
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

# fmt: off
__all__ = [
    "BudgetExceeded", "CacheInfo", "CycleError", "DPError", "InvalidInput", "InvalidType",
    "NegativeCycleError", "OrderError", "Problem", "Recurrence", "RedisStore", "SQLiteStore",
    "Solution", "Stats", "Store", "StoreError", "Trace", "UnsupportedValue", "catalog", "choose",
    "explain", "grid", "intervals", "memoize", "recurrence", "register_codec", "subsets",
]
# fmt: on

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


#: Public names that are their module itself (a callable module).
_MODULES = frozenset({"catalog"})


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dptoolkit' has no attribute {name!r}")
    loaded = importlib.import_module(f".{module}", __name__)
    value = loaded if name in _MODULES else getattr(loaded, name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])


class _Package(types.ModuleType):
    """Keeps ``dp.recurrence`` the decorator, not its module.

    Importing a submodule binds it as an attribute of the package; a public
    function that shares its module's name would be hidden by that binding.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            isinstance(value, types.ModuleType)
            and _EXPORTS.get(name) == name
            and name not in _MODULES
        ):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
