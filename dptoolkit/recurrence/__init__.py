"""``@dp.recurrence``: write a recurrence once, run it naive, top-down or bottom-up.

The decorated body is ordinary Python that calls itself by name for its
subproblems. Each run routes those calls to the strategy that is running:

* ``naive`` -- plain recursion, no cache, with a call budget and a depth guard;
* ``top_down`` -- memoized recursion on :func:`dptoolkit.memoize` (deep
  recursions work, cycles are detected);
* ``bottom_up`` -- a table filled in the order of the declared states; a read
  is a table lookup.

Every run returns a :class:`Solution` with the value, :class:`Stats` (calls,
hits, misses, states, peak table size), the choices recorded by
:func:`choose` and, for ``bottom_up``, the table.

The package is one idea per module (see docs/internals.md): ``_solution``
(Solution, Stats, choose), ``_decorator`` (the decorator and routing),
``_naive``, ``_top_down``, ``_bottom_up`` (the strategies), ``_seam`` (what
strategies and :mod:`dptoolkit.trace` use of the engine) and ``_codegen``
(everything compiled at run time). This module re-exports the public names.
"""

from __future__ import annotations

from ._choose import choose

# not public, but importable from here as before the split
from ._decorator import NAIVE_MAX_CALLS as NAIVE_MAX_CALLS
from ._decorator import STRATEGIES as STRATEGIES
from ._decorator import Recurrence, recurrence
from ._decorator import StatesArg as StatesArg
from ._solution import Solution, Stats

__all__ = ["Recurrence", "Solution", "Stats", "choose", "recurrence"]
