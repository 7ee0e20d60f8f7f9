"""Grid paths: the monotone paths across a grid of cells, avoiding blocked ones.

Count the paths from the top-left cell ``(0, 0)`` of a ``rows x cols`` grid
to the bottom-right cell ``(rows-1, cols-1)`` that step one cell right or
down at a time and never enter a ``blocked`` cell (a blocked start or end
gives 0). Without blocked cells the count is the binomial
``C(rows + cols - 2, rows - 1)``; the count is an exact ``int``.

Notes
-----
Recurrence::

    P(0, 0) = 1,   P(r, c) = 0 on a blocked cell
    P(r, c) = P(r-1, c) + P(r, c-1)       (a term is 0 off the grid)

``rows x cols`` states, each ``O(1)``. ``fast`` is the binomial with no
blocked cells (a large one multiplied out from its prime factorization, like
the Catalan numbers); with a few blocked cells, inclusion-exclusion over
them in sorted order (``O(b^2)`` binomials); with many, a numpy row sweep
(exact Python integers once the count could pass ``int64``).

============  ==========================  ============
strategy      time                        space
============  ==========================  ============
naive         (number of paths) calls     O(rows + cols) stack
top_down      O(rows cols)                O(rows cols)
bottom_up     O(rows cols)                O(rows cols)
fast          O(1) binomial / O(b^2)      O(b)
============  ==========================  ============

Examples
--------
>>> from dptoolkit.problems import grid_paths
>>> grid_paths.solve(3, 3).value
6
>>> grid_paths.solve(3, 3, blocked=[(1, 1)]).value
2

References
----------
.. [1] R. L. Graham, D. E. Knuth, O. Patashnik, *Concrete Mathematics*,
   2nd ed., Section 5.1, Addison-Wesley, 1994.
.. [2] T. H. Cormen et al., *Introduction to Algorithms*, 3rd ed.,
   Chapter 15, MIT Press, 2009.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import check_int, show

from ._numbers import binomial
from ._run import WITH_FAST, check_memory, pick, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = WITH_FAST

State = tuple[int, int]


def _check(rows: object, cols: object, blocked: object) -> tuple[int, int, frozenset[Any]]:
    r = check_int("rows", rows, minimum=1)
    c = check_int("cols", cols, minimum=1)
    if isinstance(blocked, (str, bytes)) or not isinstance(blocked, Iterable):
        raise dp.InvalidType(
            f"blocked={show(blocked)} must be a collection of cells (row, col), e.g. [(1, 1)]"
        )
    cells = set()
    for k, cell in enumerate(blocked):
        ok = (
            isinstance(cell, (tuple, list))
            and len(cell) == 2
            and all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in cell)
        )
        if not ok:
            raise dp.InvalidType(f"blocked[{k}]={show(cell)} must be a cell (row, col) of ints")
        i, j = int(cell[0]), int(cell[1])
        if not (0 <= i < r and 0 <= j < c):
            raise dp.InvalidInput(f"blocked[{k}]={show(cell)} is outside the {r} x {c} grid")
        cells.add((i, j))
    return r, c, frozenset(cells)


def _recurrence(
    rows: int, cols: int, blocked: frozenset[tuple[int, int]]
) -> tuple[Recurrence, State]:
    """The recurrence on validated input (see :func:`build`)."""

    @dp.recurrence(states=lambda r, c: dp.grid(r + 1, c + 1))
    def paths(r: int, c: int) -> int:
        if (r, c) in blocked:
            return 0
        if r == 0 and c == 0:
            return 1
        return (paths(r - 1, c) if r else 0) + (paths(r, c - 1) if c else 0)

    return paths, (rows - 1, cols - 1)


@labelled
def build(
    rows: int, cols: int, *, blocked: Iterable[tuple[int, int]] = ()
) -> tuple[Recurrence, State]:
    """The recurrence ``P(r, c)`` over the cells, and the goal ``(rows-1, cols-1)``.

    Examples
    --------
    >>> rec, goal = build(3, 7)
    >>> rec.solve(*goal, strategy="top_down").value
    28
    """
    return _recurrence(*_check(rows, cols, blocked))


def brute_force(rows: int, cols: int, *, blocked: Iterable[tuple[int, int]] = ()) -> int:
    """The number of paths, by trying every sequence of right and down steps.

    A path is ``rows - 1`` down steps among ``rows + cols - 2``: all
    ``C(rows + cols - 2, rows - 1)`` of them are walked. Small grids only.

    Examples
    --------
    >>> brute_force(3, 3, blocked=[(1, 1)])
    2
    """
    r, c, cells = _check(rows, cols, blocked)
    moves = r + c - 2
    found = 0
    for downs in itertools.combinations(range(moves), r - 1):
        cell = (0, 0)
        ok = cell not in cells
        for step in range(moves):
            cell = (cell[0] + 1, cell[1]) if step in downs else (cell[0], cell[1] + 1)
            ok = ok and cell not in cells
        found += ok
    return found


def _memory(rows: int, cols: int, blocked: int) -> int:
    """Bytes :func:`_grid_fast` holds at most: counts have fewer than ``rows + cols`` bits."""
    count = (rows + cols) // 8 + 32
    if not blocked:
        return 3 * count
    if blocked * blocked <= rows * cols:  # inclusion-exclusion: one count per blocked cell
        return (blocked + 3) * count
    return 3 * min(rows, cols) * count  # the row sweep: a few rows of counts


def _fast(rows: int, cols: int, blocked: frozenset[tuple[int, int]]) -> int:
    def between(a: tuple[int, int], b: tuple[int, int]) -> int:
        dr, dc = b[0] - a[0], b[1] - a[1]
        return binomial(dr + dc, dr) if dr >= 0 and dc >= 0 else 0

    start, end = (0, 0), (rows - 1, cols - 1)
    if not blocked:
        return between(start, end)
    if start in blocked or end in blocked:
        return 0
    cells = sorted(blocked)
    if len(cells) ** 2 <= rows * cols:
        # inclusion-exclusion: f[i] = paths reaching cells[i] avoiding earlier blocked cells
        first: list[int] = []
        for cell in cells:
            first.append(
                between(start, cell) - sum(f * between(cells[k], cell) for k, f in enumerate(first))
            )
        return between(start, end) - sum(
            f * between(cell, end) for f, cell in zip(first, cells, strict=True)
        )
    if rows > cols:  # sweep along the longer side, vectorize the shorter one
        rows, cols = cols, rows
        blocked = frozenset((j, i) for i, j in blocked)
    dtype: Any = np.int64 if between(start, (rows - 1, cols - 1)) < 2**62 else object
    by_row: dict[int, list[int]] = {}
    for i, j in blocked:
        by_row.setdefault(i, []).append(j)
    index = np.arange(cols)
    row = np.zeros(cols, dtype=dtype)
    row[0] = 1  # a virtual row above the grid feeding the start cell
    for i in range(rows):
        above = row.copy()
        wall = np.zeros(cols, dtype=bool)
        if i in by_row:
            wall[by_row[i]] = True
            above[wall] = 0
        total = np.cumsum(above)
        last = np.maximum.accumulate(np.where(wall, index, -1))
        base = np.where(last >= 0, total[np.maximum(last, 0)], 0)
        row = total - base
        row[wall] = 0
    return int(row[-1])


@shows_auto
def solve(
    rows: int, cols: int, *, blocked: Iterable[tuple[int, int]] = (), strategy: str = "auto"
) -> Solution:
    """The number of monotone paths across a ``rows x cols`` grid avoiding blocked cells.

    A path starts in the top-left cell ``(0, 0)``, steps right or down one
    cell at a time, and ends in the bottom-right cell ``(rows-1, cols-1)``.

    Parameters
    ----------
    rows, cols : int
        The grid size, each at least 1.
    blocked : iterable of (int, int)
        Cells ``(row, col)`` no path may enter (a blocked start or end
        gives 0).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.

    Returns
    -------
    dp.Solution
        ``.value``: the exact count (an ``int``). No witness.

    Raises
    ------
    dptoolkit.InvalidInput
        For a size below 1, a blocked cell outside the grid, an unknown
        strategy (``InvalidType`` for a non-integer size or a malformed cell),
        or, for ``fast``, a grid whose counts would take more than 2 GiB.

    Examples
    --------
    >>> solve(3, 3).value
    6
    >>> solve(3, 3, blocked=[(0, 1), (1, 0)]).value
    0
    >>> import math
    >>> solve(60, 60).value == math.comb(118, 59)
    True
    """
    r, c, cells = _check(rows, cols, blocked)
    strategy = pick(strategy, STRATEGIES, problem="grid_paths")
    if strategy == "fast":
        check_memory("rows", rows, _memory(r, c, len(cells)))
        return dp.Solution(_fast(r, c, cells), strategy="fast")
    rec, goal = _recurrence(r, c, cells)
    sol = run(rec, goal, strategy, visits=r * c)
    return sol.with_fields(value=int(sol.value), labels=Labels(("row", "column"), goal=goal))


PROBLEMS = (
    dp.Problem(
        name="grid_paths",
        summary="Number of right/down paths across a grid, avoiding blocked cells.",
        recurrence="P(r, c) = P(r-1, c) + P(r, c-1); P(0, 0) = 1; 0 on blocked cells",
        time="O(rows cols)",
        space="O(rows cols)",
        example=(3, 4),
        aliases=("lattice_paths", "unique_paths"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
