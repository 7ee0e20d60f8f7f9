"""Matrix-chain multiplication: the cheapest order to multiply a chain of matrices.

Matrices ``A1, A2, ..., An`` where ``Ai`` has shape ``dims[i-1] x dims[i]``
can be multiplied in any bracketing (the product is associative), but the
cost is not: multiplying a ``p x q`` matrix by a ``q x r`` one takes
``p q r`` scalar multiplications. For ``dims = [10, 100, 5, 50]``,
``((A1A2)A3)`` costs 5,000 + 2,500 = 7,500 and ``(A1(A2A3))`` costs
25,000 + 50,000 = 75,000. The problem asks for the minimum.

The witness ``.order`` is the bracketing as text: a single matrix is
``A<k>`` (1-based), and every product of two parts is written
``(<left><right>)`` with nothing in between, so ``n`` matrices always give
``n - 1`` pairs of brackets: ``((A1A2)A3)``, ``(A1(A2A3))``,
``((A1A2)(A3A4))``. A chain of one matrix is ``A1`` and costs 0.

Notes
-----
Recurrence (CLRS [1]_ 15.2), with ``C(i, j)`` the cheapest cost of the
product ``A(i+1) ... A(j+1)`` (0-based ``i <= j``)::

    C(i, i) = 0
    C(i, j) = min over i <= k < j of
              C(i, k) + C(k+1, j) + dims[i] * dims[k+1] * dims[j+1]

The goal is ``C(0, n-1)``. States are the intervals ``(i, j)``, filled
shortest first (:func:`dptoolkit.intervals`); the chosen split ``k`` of each
interval is recorded, and the bracketing is read back from the goal by one
walk, whichever strategy ran. Ties take the leftmost split.

``fast`` runs the same recurrence with numpy, one vectorized step per chain
length over every interval and split at once (``int64`` while the costs
provably fit, exact Python integers otherwise).

==========  ==================  ===========
strategy    time                space
==========  ==================  ===========
naive       O(3^n) calls        O(n) stack
top_down    O(n^3)              O(n^2)
bottom_up   O(n^3)              O(n^2)
fast        O(n^3), vectorized  O(n^2)
==========  ==================  ===========

Examples
--------
>>> from dptoolkit.problems import matrix_chain
>>> sol = matrix_chain.solve([30, 35, 15, 5, 10, 20, 25])   # CLRS Figure 15.5
>>> sol.value
15125
>>> sol.order
'((A1(A2A3))((A4A5)A6))'
>>> matrix_chain.solve([10, 100, 5, 50], strategy="top_down").order
'((A1A2)A3)'

References
----------
.. [1] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Section 15.2, MIT Press, 2009.
.. [2] S. Godbole, "On efficient computation of matrix chain products", *IEEE
   Transactions on Computers* C-22(9), 864-866, 1973.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import check_numbers, show

from ._answers import engine_later, pick_k
from ._run import WITH_FAST, run, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "fast_matrix_chain", "solve"]

STRATEGIES = WITH_FAST


def _check(dims: object) -> list[int]:
    values = check_numbers("dims", dims, allow_float=False, minimum=1)
    if not values:
        raise dp.InvalidInput(
            f"dims={show(dims)} must hold at least one dimension (a chain of n matrices has "
            "n + 1; one dimension is the empty chain)"
        )
    return [int(v) for v in values]


@labelled
def build(dims: Sequence[int]) -> tuple[Recurrence, tuple[int, int]]:
    """The matrix-chain recurrence for ``dims``, and the goal ``(0, n - 1)``.

    Examples
    --------
    >>> rec, goal = build([5, 10, 3, 12, 5, 50, 6])
    >>> rec.solve(*goal, strategy="bottom_up").value
    2010
    """
    d = _check(dims)

    @dp.recurrence(states=lambda i, j: dp.intervals(j + 1) if j >= i else [(i, j)])
    def cost(i: int, j: int) -> int:
        if i >= j:  # one matrix, or none (the goal (0, -1) of an empty chain)
            return 0
        return dp.choose(  # type: ignore[no-any-return]
            ((cost(i, k) + cost(k + 1, j) + d[i] * d[k + 1] * d[j + 1], k) for k in range(i, j)),
            best=min,
        )

    return cost, (0, len(d) - 2)


def _order(split: Callable[[int, int], int], n: int) -> str:
    """The bracketing text of ``A1 .. An`` given each interval's split point ("" for none)."""
    out: list[str] = []
    stack: list[Any] = [(0, n - 1)] if n else []
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        i, j = item
        if i == j:
            out.append(f"A{i + 1}")
            continue
        k = split(i, j)
        stack.extend((")", (k + 1, j), (i, k), "("))
    return "".join(out)


def _trees(i: int, j: int, d: Sequence[int]) -> Iterator[tuple[int, str]]:
    """Every bracketing of ``A(i+1) .. A(j+1)`` with its cost (exhaustive)."""
    if i > j:
        yield 0, ""
        return
    if i == j:
        yield 0, f"A{i + 1}"
        return
    for k in range(i, j):
        for left_cost, left in _trees(i, k, d):
            for right_cost, right in _trees(k + 1, j, d):
                yield left_cost + right_cost + d[i] * d[k + 1] * d[j + 1], f"({left}{right})"


def brute_force(dims: Sequence[int]) -> int:
    """The minimal cost over *every* bracketing (Catalan-many; short chains only).

    Examples
    --------
    >>> brute_force([10, 100, 5, 50])
    7500
    """
    return min(c for c, _ in _trees(0, len(dims) - 2, list(dims)))


def fast_matrix_chain(dims: Sequence[int]) -> tuple[int, Any]:
    """The minimal cost and the ``n x n`` split table, by a numpy interval DP.

    Each chain length is one vectorized step over every interval of that
    length and every split point. Costs are ``int64`` when they provably fit
    (``(n - 1) max(dims)^3 < 2^62``), exact Python integers otherwise.

    Returns
    -------
    (int, numpy.ndarray)
        The cost and ``split[i, j]``, the best ``k`` for interval ``(i, j)``.

    Examples
    --------
    >>> fast_matrix_chain([10, 100, 5, 50])[0]
    7500
    """
    n = len(dims) - 1
    if n == 0:
        return 0, np.zeros((0, 0), dtype=np.intp)
    big = max(dims) ** 3 * max(n - 1, 1) >= 2**62
    p = np.array(dims, dtype=object if big else np.int64)
    cost = np.zeros((n, n), dtype=object if big else np.int64)
    split = np.zeros((n, n), dtype=np.intp)
    for length in range(1, n):
        i = np.arange(n - length)[:, None]  # interval starts (rows)
        k = i + np.arange(length)[None, :]  # split points (columns)
        j = i + length
        total = cost[i, k] + cost[k + 1, j] + p[i] * p[k + 1] * p[j + 1]
        best = np.argmin(total, axis=1)
        rows = np.arange(n - length)
        cost[rows, rows + length] = total[rows, best]
        split[rows, rows + length] = rows + best
    return int(cost[0, n - 1]), split


@shows_auto
def solve(dims: Sequence[int], *, strategy: str = "auto", k: int | None = None) -> Solution:
    """The fewest scalar multiplications to multiply ``A1 ... An``, and the bracketing.

    Parameters
    ----------
    dims : sequence of int
        ``n + 1`` positive integers: ``Ai`` has shape ``dims[i-1] x dims[i]``.
        One dimension is the empty chain (``n = 0``): it costs 0 and its
        order is ``""``, as the empty product is the identity.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* cheapest bracketings: ``sol.k_best``, best first,
        each with its ``.order`` (``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value``: the minimal cost (``int``). ``.order``: the bracketing
        as text, e.g. ``'((A1A2)A3)'``, built on first access.
        ``sol.count()`` and ``sol.witnesses()``: the distinct cheapest
        bracketings; an ``auto`` answer re-solves with ``bottom_up`` for
        them, a ``fast`` one refuses them.

    Raises
    ------
    dptoolkit.InvalidInput
        For no dimension at all, a dimension below 1, or an unknown
        strategy (``InvalidType`` for ``None``, floats or bools).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` on more than about 13 matrices.

    Examples
    --------
    >>> solve([40, 20, 30, 10, 30]).value
    26000
    >>> solve([7, 3]).order
    'A1'
    >>> solve([10]).value, solve([10]).order
    (0, '')
    """
    d = _check(dims)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="matrix_chain", k=k)
    n = len(d) - 1
    if strategy == "fast":
        value, split = fast_matrix_chain(d)
        return engine_later(
            dp.Solution(
                value,
                strategy="fast",
                lazy={"order": lambda: _order(lambda i, j: int(split[i, j]), n)},
            ),
            asked,
            lambda: solve(d, strategy="bottom_up"),
        )
    rec, goal = build(d)
    reads = (n + 1) * n * (n - 1) // 3  # two per split of every chain
    sol = run(rec, goal, strategy, visits=n * (n + 1) // 2, reads=reads, k=k)
    choices = sol.choices
    return sol.with_fields(
        value=int(sol.value),
        lazy={"order": lambda: _order(lambda i, j: state(choices, (i, j)), n)},
        step=lambda ij, m: [(ij[0], m), (m + 1, ij[1])],  # a split: one bracketing per tree
        witness_of=lambda each: {"order": _order(lambda i, j: state(each.choices, (i, j)), n)},
        labels=Labels(("first matrix i", "last matrix j"), goal=goal),
    )


PROBLEMS = (
    dp.Problem(
        name="matrix_chain",
        summary="Fewest scalar multiplications to multiply a chain of matrices, and the order.",
        recurrence=(
            "C(i, j) = min_{i <= k < j} C(i, k) + C(k+1, j) + dims[i] dims[k+1] dims[j+1]; "
            "C(i, i) = 0"
        ),
        time="O(n^3)",
        space="O(n^2)",
        example=([30, 35, 15, 5, 10, 20, 25],),
        witness=("order",),
        aliases=("matrix_chain_multiplication", "matrix_chain_order"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
