"""The knapsack problem, 0/1 and unbounded: the most valuable load that fits.

Given items with integer weights ``w_i >= 0`` and values ``v_i >= 0``, and a
knapsack of integer capacity ``W``, choose items of total weight at most
``W`` with the largest total value. In the 0/1 problem each item is taken at
most once; in the unbounded problem any number of copies may be taken.

Notes
-----
Recurrence: ``best(i, w)`` is the best value using the first ``i`` items with
room ``w``; the last of them is either left out or taken::

    best(0, w) = 0
    best(i, w) = max(best(i - 1, w),                          # skip item i - 1
                     best(i - 1, w - w[i-1]) + v[i-1])        # take it (0/1)
    best(i, w) = max(best(i - 1, w),
                     best(i,     w - w[i-1]) + v[i-1])        # take a copy (unbounded)

taking only when ``w[i-1] <= w``. The answer is ``best(n, W)``. Ties go to
*skip*, so the witness is the one that prefers earlier items.

The table has ``(n + 1) (W + 1)`` states and each takes ``O(1)``: time and
space ``O(n W)``, pseudo-polynomial (polynomial in the *value* of ``W``, not
its length; the problem is NP-hard). Plain recursion makes up to
``2^(n + 1)`` calls.

``fast`` keeps one row of the table as a numpy array and updates it with
whole-array operations, one item at a time. For 0/1 the new row is
``maximum(row[w:], row[:-w] + v)``. For unbounded, within each residue class
``r, r + w, r + 2w, ...`` the new row is ``k v + cummax(row[r + k w] - k v)``
(a running maximum, ``np.maximum.accumulate``); float and Decimal values,
where ``a - b + b`` may not round-trip, use a loop over blocks of ``w``
instead. Integer rows are ``int64`` when the largest possible total fits,
Python ints (``object``) otherwise, never a silent overflow; ``Fraction`` and
``Decimal`` values make an ``object`` row of them, so the value is exact (of
their kind) in every strategy, never rounded through float64. The witness is read
from a boolean choice table (``take[i, w]``: item ``i`` improved cell ``w``)
filled only when the witness is asked for; the same skip-on-ties rule makes
it identical to the recurrence's witness. Before the row is built the
instance is reduced: the capacity and the weights that fit are divided by
their gcd, and a 0/1 capacity past the total weight of the items that fit is
cut to it, so huge weights with a common factor cost a short row (and the
same witness). A row that would still need more than 2 GiB is refused.

============  ===================  ============
strategy      time                 space
============  ===================  ============
naive         O(2^n) calls         O(n) stack
top_down      O(n W)               O(n W)
bottom_up     O(n W)               O(n W)
fast          O(n W) numpy         O(W); n (W + 1) bytes for the witness
============  ===================  ============

Examples
--------
The instance from Wikipedia's "Knapsack problem" figure: capacity 15 kg.

>>> from dptoolkit.problems import knapsack
>>> sol = knapsack.solve([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15)
>>> sol.value, sol.items
(15, [1, 2, 3, 4])
>>> sol = knapsack.solve([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15, unbounded=True)
>>> sol.value, sol.items
(36, [3, 3, 3, 4, 4, 4])
>>> knapsack.solve([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15, strategy="bottom_up").items
[1, 2, 3, 4]

References
----------
.. [1] J. Kleinberg, É. Tardos, *Algorithm Design*, Section 6.4 ("Subset
   Sums and Knapsacks"), Addison-Wesley, 2005.
.. [2] H. Kellerer, U. Pferschy, D. Pisinger, *Knapsack Problems*,
   Springer, 2004.
.. [3] T. H. Cormen et al., *Introduction to Algorithms*, 3rd ed.,
   Exercise 16.2-2, MIT Press, 2009.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import first_items, labelled
from dptoolkit._validate import Number, check_int, check_numbers, show

from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_memory, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = WITH_FAST

_INT64_SAFE = 2**62  # totals below this cannot overflow int64, even doubled
_BLOCK_LOOP_WEIGHT = 256  # unbounded items this heavy: a loop over blocks beats a running max

State = tuple[int, int]


def _check(
    weights: object, values: object, capacity: object, unbounded: object
) -> tuple[list[int], list[Number], int, bool]:
    wts = [
        int(w) for w in check_numbers("weights", weights, allow_negative=False, allow_float=False)
    ]
    vals = check_numbers("values", values, allow_negative=False)
    if len(wts) != len(vals):
        raise dp.InvalidInput(
            f"values={show(values)} has {len(vals)} entries but weights has {len(wts)}; "
            "they must have the same length"
        )
    cap = check_int("capacity", capacity)
    if not isinstance(unbounded, bool):
        raise dp.InvalidType(f"unbounded={show(unbounded)} must be True or False")
    if unbounded:
        for i, w in enumerate(wts):
            if w == 0:
                raise dp.InvalidInput(
                    f"weights[{i}]=0 must be positive when unbounded=True "
                    "(an item that weighs nothing could be taken forever)"
                )
    return wts, vals, cap, unbounded


def _recurrence(
    wts: list[int], vals: list[Number], cap: int, unbounded: bool
) -> tuple[Recurrence, State]:
    """The recurrence on validated input (see :func:`build`)."""

    @dp.recurrence(states=lambda i, w: dp.grid(i + 1, w + 1))
    def best(i: int, w: int) -> Number:
        if i == 0:
            return 0
        weight, value = wts[i - 1], vals[i - 1]
        candidates: list[tuple[Number, Hashable]] = [(best(i - 1, w), ("skip", (i - 1, w)))]
        if weight <= w:
            rest = (i, w - weight) if unbounded else (i - 1, w - weight)
            candidates.append((best(*rest) + value, ("take", rest)))
        chosen: Number = dp.choose(candidates, best=max)
        return chosen

    return best, (len(wts), cap)


@labelled
def build(
    weights: Sequence[int],
    values: Sequence[Number],
    capacity: int,
    *,
    unbounded: bool = False,
) -> tuple[Recurrence, State]:
    """The knapsack recurrence for one instance, and its goal state ``(n, capacity)``.

    Parameters are those of :func:`solve`. Every state records its choice,
    ``("skip", (i - 1, w))`` or ``("take", next_state)``.

    Examples
    --------
    >>> rec, goal = build([1, 3, 4], [15, 20, 30], 4)
    >>> goal
    (3, 4)
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[3, 4], sol.choices[2, 4]
    (35, ('skip', (2, 4)), ('take', (1, 1)))
    """
    return _recurrence(*_check(weights, values, capacity, unbounded))


def _walk(sol: Solution, goal: State) -> list[int]:
    """The taken items, read by one walk of the recorded choices from the goal."""
    path = sol.walk(goal, lambda state, label: label[1])
    items = [state[0] - 1 for state, (kind, _) in path if kind == "take"]
    items.reverse()
    return items


def brute_force(
    weights: Sequence[int], values: Sequence[Number], capacity: int, *, unbounded: bool = False
) -> tuple[Number, list[int]]:
    """Best value and one best item list, by trying every subset (or multiset).

    For 0/1, all ``2^n`` subsets; for unbounded, every vector of copy counts
    with ``count_i <= capacity // w_i``. Exponential: small instances only.

    Examples
    --------
    >>> brute_force([1, 3, 4], [15, 20, 30], 4)
    (35, [0, 1])
    """
    n = len(weights)
    ranges = [range(capacity // w + 1) for w in weights] if unbounded else [range(2)] * n
    best_value: Number = 0
    best_items: list[int] = []
    for counts in itertools.product(*ranges):
        weight = sum(c * w for c, w in zip(counts, weights, strict=True))
        if weight > capacity:
            continue
        value = sum(c * v for c, v in zip(counts, values, strict=True))
        if value > best_value:
            best_value = value
            best_items = [i for i, c in enumerate(counts) for _ in range(c)]
    return best_value, best_items


def _reduced(weights: list[int], capacity: int, unbounded: bool) -> tuple[list[int], int]:
    """The same instance on a shorter row: weights and capacity over the gcd, 0/1 capacity clamped.

    Every total weight of the items that fit is a multiple of their gcd ``g``,
    so cell ``w`` of the row equals cell ``g * (w // g)``; an item heavier than
    the capacity never fits and stays so (it becomes the new capacity plus
    one). In the 0/1 problem a capacity past the total weight of the items
    that fit changes nothing. The take table of the reduced row is the
    original's read at those cells, so the witness is the same.
    """
    fits = [w for w in weights if w <= capacity]
    limit = capacity if unbounded else min(capacity, sum(fits))
    g = math.gcd(*fits)
    if g <= 1:
        return weights, limit
    small = limit // g
    return [w // g if w <= capacity else small + 1 for w in weights], small


def _row_dtype(values: list[Number], capacity: int, weights: list[int], unbounded: bool) -> Any:
    if any(isinstance(v, float) for v in values):
        return np.float64
    if not all(isinstance(v, int) for v in values):
        return object  # Fraction or Decimal values: Python numbers, never rounded into float64
    # every cell (and, unbounded, every shifted cell row - k v) stays within the bound
    bound = capacity * max(values) if unbounded else sum(values)
    return np.int64 if bound < _INT64_SAFE else object


def _fast(
    weights: list[int], values: list[Number], capacity: int, unbounded: bool, record: bool
) -> tuple[Number, Any]:
    """One numpy row, updated item by item; optionally the boolean choice table."""
    if not weights:
        return 0, np.zeros((0, capacity + 1), dtype=bool)
    dtype = _row_dtype(values, capacity, weights, unbounded)
    row = np.zeros(capacity + 1, dtype=dtype)
    take = np.zeros((len(weights), capacity + 1), dtype=bool) if record else None
    # Buffers reused by every item: a fresh temporary per item costs page faults.
    scratch = np.empty_like(row)
    spare = np.zeros(2 * (capacity + 1), dtype=dtype) if unbounded else scratch
    # a - b + b may round for floats and Decimals (of limited precision): no running max for them
    rounding = dtype is np.float64 or any(isinstance(v, Decimal) for v in values)
    value: Any
    for i, (weight, value) in enumerate(zip(weights, values, strict=True)):
        if weight > capacity:
            continue
        if not unbounded:
            candidate = scratch[: capacity + 1 - weight]
            np.add(row[: capacity + 1 - weight], value, out=candidate)
            if take is not None:
                np.greater(candidate, row[weight:], out=take[i, weight:])
            np.maximum(row[weight:], candidate, out=row[weight:])
            continue
        new = spare[: capacity + 1]
        if rounding or weight >= _BLOCK_LOOP_WEIGHT:
            # Block by block: cells [s, s + weight) read only the finished block before them.
            new[:] = row
            for start in range(weight, capacity + 1, weight):
                stop = min(start + weight, capacity + 1)
                candidate = scratch[: stop - start]
                np.add(new[start - weight : stop - weight], value, out=candidate)
                np.maximum(new[start:stop], candidate, out=new[start:stop])
        else:
            # Few cells per block, many blocks: the residue classes of w mod weight are the
            # columns of a (blocks, weight) matrix whose row k holds cells k * weight ...;
            # subtract k * value, take the running maximum down the columns, add it back.
            blocks = -(-(capacity + 1) // weight)
            cells = spare[: blocks * weight]
            cells[: capacity + 1] = row
            cells[capacity + 1 :] = 0  # padding after the last cell of its column
            grid = cells.reshape(blocks, weight)
            offsets = (np.arange(blocks, dtype=dtype) * value)[:, None]
            grid -= offsets
            np.maximum.accumulate(grid, axis=0, out=grid)
            grid += offsets
        if take is not None:
            np.greater(new, row, out=take[i])
        row[:] = new
    best = row[capacity]
    return (best.item() if isinstance(best, np.generic) else best), take


def _walk_table(take: Any, weights: list[int], capacity: int, unbounded: bool) -> list[int]:
    items = []
    w = capacity
    i = len(weights) - 1
    while i >= 0:
        if take[i, w]:
            items.append(i)
            w -= weights[i]
            if unbounded:
                continue
        i -= 1
    items.reverse()
    return items


@shows_auto
def solve(
    weights: Sequence[int],
    values: Sequence[Number],
    capacity: int,
    *,
    unbounded: bool = False,
    strategy: str = "auto",
    k: int | None = None,
) -> Solution:
    """The most valuable set of items whose total weight is at most *capacity*.

    Parameters
    ----------
    weights : sequence of int
        Non-negative integer weights (positive when *unbounded*).
    values : sequence of int or float
        Non-negative values, one per weight.
    capacity : int
        The knapsack's capacity, a non-negative integer.
    unbounded : bool
        Allow any number of copies of each item.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* best loads: ``sol.k_best``, best first, each with
        its ``.items`` (``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value`` is the best total value; ``.items`` the chosen item
        indices (0-based, ascending, repeated for unbounded), computed on
        first access, so asking only for ``.value`` never pays for it.
        ``sol.count()`` and ``sol.witnesses()``: the distinct optimal item
        lists (multisets, for unbounded); an ``auto`` answer re-solves with
        ``bottom_up`` for them, a ``fast`` one refuses them.

    Raises
    ------
    dptoolkit.InvalidInput
        For negative or non-integer weights, NaN or negative values, a length
        mismatch, a negative capacity, a zero weight when *unbounded*, an
        unknown strategy (``InvalidType`` for wrong types), or a capacity
        whose ``fast`` row would need more than 2 GiB after the reduction.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would make more than a
        million calls (counted before starting).

    Examples
    --------
    >>> sol = solve([1, 3, 4, 5], [1, 4, 5, 7], 7)
    >>> sol.value, sol.items
    (9, [1, 2])
    """
    wts, vals, cap, unbounded = _check(weights, values, capacity, unbounded)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="knapsack", k=k)
    if strategy == "fast":
        small, room = _reduced(wts, cap, unbounded)
        check_memory("capacity", capacity, 32 * (room + 1))  # the row and its buffers
        value, _ = _fast(small, vals, room, unbounded, record=False)

        def items() -> list[int]:
            check_memory("capacity", capacity, len(small) * (room + 1))  # the take table
            _, take = _fast(small, vals, room, unbounded, record=True)
            return _walk_table(take, small, room, unbounded)

        return engine_later(
            dp.Solution(value, strategy="fast", lazy={"items": items}),
            asked,
            lambda: solve(wts, vals, cap, unbounded=unbounded, strategy="bottom_up"),
        )
    rec, goal = _recurrence(wts, vals, cap, unbounded)

    states = (len(wts) + 1) * (cap + 1)
    sol = run(
        rec,
        goal,
        strategy,
        visits=states if unbounded else min(states, 2 ** (len(wts) + 1)),
        k=k,
    )
    return sol.with_fields(
        lazy={"items": lambda: _walk(sol, goal)},
        step=lambda state, label: label[1],  # sol.count(), sol.witnesses(): one item set each
        witness_of=lambda each: {"items": _walk(each, goal)},
        labels=first_items(
            "first i items",
            [f"w{w} v{v}" for w, v in zip(wts, vals, strict=True)],
            "capacity w",
            goal=goal,
        ),
    )


PROBLEMS = (
    dp.Problem(
        name="knapsack",
        summary="0/1 or unbounded knapsack: the most valuable items within a weight capacity.",
        recurrence=(
            "best(0, w) = 0; best(i, w) = max(best(i - 1, w), "
            "best(i - 1, w - w[i-1]) + v[i-1] if w[i-1] <= w)"
        ),
        time="O(n W)",
        space="O(n W)",
        example=([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15),
        witness=("items",),
        aliases=("0/1_knapsack", "knapsack_01", "unbounded_knapsack"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
