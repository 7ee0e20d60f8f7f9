"""Rod cutting: cut a rod into pieces that sell for the most.

A rod of integer length ``n`` can be cut into pieces of integer lengths; a
piece of length ``i`` sells for ``prices[i - 1]``. Find the cuts that
maximize revenue. The running example is the price table of CLRS Section
15.1, where a rod of length 4 is worth most as two pieces of length 2
(5 + 5 = 10, more than the 9 of a single piece).

When ``prices`` is shorter than ``n``, pieces are at most ``len(prices)``
long.

Notes
-----
Recurrence: the first piece has some length ``i``; the rest is cut
optimally::

    revenue(0) = 0
    revenue(j) = max(prices[i - 1] + revenue(j - i) for i in 1 .. min(j, m))

with ``m = len(prices)``. Ties keep the shortest first piece. ``n + 1``
states with up to ``m`` options each: time ``O(n m)``, space ``O(n)``. Plain
recursion makes ``2^n`` calls when ``m >= n`` (one per composition of every
length up to ``n``): CLRS's example of why memoization matters. Rod cutting
is unbounded knapsack with lengths as weights; there is no ``fast``
strategy, the table is the algorithm.

============  ==============  ==========
strategy      time            space
============  ==============  ==========
naive         O(2^n) calls    O(n) stack
top_down      O(n m)          O(n)
bottom_up     O(n m)          O(n)
============  ==============  ==========

Examples
--------
>>> from dptoolkit.problems import rod_cutting
>>> clrs = [1, 5, 8, 9, 10, 17, 17, 20, 24, 30]
>>> sol = rod_cutting.solve(clrs, 4)
>>> sol.value, sol.pieces
(10, [2, 2])
>>> [rod_cutting.solve(clrs, n).value for n in range(1, 11)]
[1, 5, 8, 10, 13, 17, 18, 22, 25, 30]
>>> rod_cutting.solve(clrs, 7).pieces
[1, 6]
>>> rod_cutting.solve(clrs, 10, strategy="naive").stats.calls   # 2^10
1024

References
----------
.. [1] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Section 15.1 ("Rod cutting"), MIT Press, 2009.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import Number, check_int, check_numbers, show

from ._answers import pick_k
from ._run import ENGINE, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = ENGINE


def _check(prices: object, n: object) -> tuple[list[Number], int]:
    checked = check_numbers("prices", prices, allow_negative=False)
    if not checked:
        raise dp.InvalidInput(f"prices={show(prices)} must list at least the price of length 1")
    return checked, check_int("n", n)


def _recurrence(table: list[Number], n: int) -> tuple[Recurrence, tuple[int]]:
    """The recurrence on validated input (see :func:`build`)."""
    longest = len(table)

    @dp.recurrence(states=lambda j: range(j + 1))
    def revenue(j: int) -> Number:
        if j == 0:
            return 0
        options = ((table[i - 1] + revenue(j - i), i) for i in range(1, min(j, longest) + 1))
        chosen: Number = dp.choose(options, best=max)
        return chosen

    return revenue, (n,)


@labelled
def build(prices: Sequence[Number], n: int) -> tuple[Recurrence, tuple[int]]:
    """The rod-cutting recurrence for this price list, and the goal state ``(n,)``.

    Each state records the length of its first piece.

    Examples
    --------
    >>> rec, goal = build([1, 5, 8, 9], 4)
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[4], sol.choices[2]
    (10, 2, 2)
    """
    return _recurrence(*_check(prices, n))


def brute_force(prices: Sequence[Number], n: int) -> tuple[Number, list[int]]:
    """Best revenue by trying all ``2^(n-1)`` cut patterns (a cut or not at each inch).

    Exponential: small ``n`` only.

    Examples
    --------
    >>> brute_force([1, 5, 8, 9], 4)
    (10, [2, 2])
    """
    if n == 0:
        return 0, []
    best: Number | None = None
    best_pieces: list[int] = []
    for cuts in itertools.product((False, True), repeat=n - 1):
        pieces, length = [], 1
        for cut in cuts:
            if cut:
                pieces.append(length)
                length = 1
            else:
                length += 1
        pieces.append(length)
        if max(pieces) > len(prices):
            continue
        value = sum(prices[p - 1] for p in pieces)
        if best is None or value > best:
            best, best_pieces = value, pieces
    assert best is not None  # the all-cuts pattern always fits
    return best, best_pieces


@shows_auto
def solve(
    prices: Sequence[Number], n: int, *, strategy: str = "auto", k: int | None = None
) -> Solution:
    """The most revenue from cutting a rod of length *n*, and the pieces.

    Parameters
    ----------
    prices : sequence of int or float
        ``prices[i]`` is the price of a piece of length ``i + 1``
        (non-negative; at least one price).
    n : int
        The rod's length, a non-negative integer.
    strategy : {"auto", "naive", "top_down", "bottom_up"}
        ``"auto"`` is ``"bottom_up"``.
    k : int, optional
        Also find the *k* best cuttings: ``sol.k_best``, best first, each
        with its ``.pieces``.

    Returns
    -------
    dp.Solution
        ``.value`` is the best revenue; ``.pieces`` the piece lengths in the
        order they are cut off, computed on first access. ``sol.count()``
        and ``sol.witnesses()``: the distinct best cuttings, as the pieces
        read in order (``[1, 2]`` and ``[2, 1]`` cut a rod of 3 at different
        places: two cuttings).

    Raises
    ------
    dptoolkit.InvalidInput
        For an empty price list, a negative or NaN price, a negative ``n`` or
        an unknown strategy (``InvalidType`` for wrong types).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would make more than a
        million calls (counted before starting).

    Examples
    --------
    >>> solve([3, 5, 8, 9, 10, 17, 17, 20], 8).pieces
    [1, 1, 1, 1, 1, 1, 1, 1]
    """
    table, n = _check(prices, n)
    strategy, k = pick_k(strategy, STRATEGIES, problem="rod_cutting", k=k)
    rec, goal = _recurrence(table, n)
    reads = n * min(n, len(table))  # one per first piece of every length
    sol = run(rec, goal, strategy, visits=n + 1, reads=reads, k=k)
    return sol.with_fields(
        lazy={"pieces": lambda: [i for _, i in sol.walk(n, lambda j, i: j - i)]},
        step=lambda j, i: j - i,  # one cutting (pieces in order) per choice path
        witness_of=lambda each: {"pieces": [i for _, i in each.walk(n, lambda j, i: j - i)]},
        labels=Labels(("length",), goal=n, step=lambda j, i: j - i),
    )


PROBLEMS = (
    dp.Problem(
        name="rod_cutting",
        summary="Cut a rod of length n into pieces that sell for the most (prices[i]: length i + 1).",
        recurrence="revenue(0) = 0; revenue(j) = max(prices[i - 1] + revenue(j - i) for i in 1 .. j)",
        time="O(n m)",
        space="O(n)",
        example=([1, 5, 8, 9, 10, 17, 17, 20, 24, 30], 4),
        witness=("pieces",),
        aliases=("rod", "cutting_rod"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
