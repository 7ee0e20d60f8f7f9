"""The memo engine: ``@dp.memoize``, a drop-in for :func:`functools.cache` that goes further.

A memoized function is a :class:`dptoolkit._fastpath.FastWrapper` (a C object
when the extension is built): a cache hit on hashable positional arguments is
answered without running Python code. Everything else happens here, in the
``miss`` callable each wrapper is given:

* keys (:mod:`dptoolkit.keys`): unhashable arguments are frozen;
* bounded LRU caches, expiry (``ttl``), conditional caching, cached errors;
* single flight: concurrent calls of one key compute once, in threads and in
  asyncio, and a call that needs its own result raises :class:`CycleError`;
* deep recursion (:mod:`dptoolkit.memo._deep`): a million memoized levels deep
  without ``RecursionError`` and without touching the recursion limit;
* per-instance caches for methods that never keep an instance alive;
* persistent or shared stores (``store=``, :mod:`dptoolkit.stores`).

The guide is ``docs/memo.md``; the private seams, and which module of this
package owns what, are in ``docs/internals.md``. This module is the public
face only: it re-exports the names below.
"""

from __future__ import annotations

from ._decorator import memoize
from ._types import CacheInfo
from ._types import Memoized as Memoized  # the type of what memoize returns

__all__ = ["CacheInfo", "memoize"]
