"""Optimal binary search tree: the BST of least expected search cost (CLRS 15.5).

Keys ``k1 < k2 < ... < kn`` are searched for with probabilities
``p[0], ..., p[n-1]`` (``p[i]`` is key ``i + 1``), and values between keys
with the probabilities ``q[0], ..., q[n]`` of the gaps: ``q[0]`` below
``k1``, ``q[i]`` between ``ki`` and ``k(i+1)``, ``q[n]`` above ``kn``. The
gaps are the leaves ("dummy keys" ``d0 .. dn``) of any BST on the keys. A
search costs the depth of the node it ends at plus one; find the tree of
least expected cost ``sum p_i (depth(ki) + 1) + sum q_i (depth(di) + 1)``.
All ``2n + 1`` probabilities must sum to 1.

The witness ``.tree`` is nested ``(key, left, right)`` tuples with 1-based
keys and ``None`` for a gap (a leaf).

Notes
-----
Recurrence (CLRS [1]_ 15.5, with 0-based intervals): ``e(i, j)`` is the
least expected cost of a subtree on keys ``i + 1 .. j`` (gaps ``i .. j``),
``0 <= i <= j <= n``, and ``w(i, j) = sum p[i : j] + sum q[i : j + 1]`` the
probability of landing in it. Putting key ``r`` at its root pushes both
sides one level down::

    e(i, i) = q[i]
    e(i, j) = min over i < r <= j of  e(i, r - 1) + e(r, j) + w(i, j)

The goal is ``e(0, n)``. States are the intervals of ``dp.intervals(n + 1)``,
shortest first; each records its root ``r`` (the smallest among ties), and
the tree is read back from the goal. ``n^2 / 2`` states of up to ``n``
options: time ``O(n^3)``, space ``O(n^2)``.

``fast`` is Knuth's speed-up [2]_: some optimal root of ``(i, j)`` lies
between the roots chosen for ``(i, j - 1)`` and ``(i + 1, j)``, so the
candidates of one diagonal of the table add up to ``O(n)`` and the whole
table to ``O(n^2)``. Each diagonal is one vectorized numpy step over all
its intervals and candidate roots (ragged windows flattened, the minimum
of each by ``np.minimum.reduceat``). Costs are the same sums in the same
order as the recurrence's, so values agree to the last bit on exact ties;
in floating point, where near-ties can round apart, the chosen tree may
differ from the full search's but its cost is within rounding.

============  ======================  ============
strategy      time                    space
============  ======================  ============
naive         O(3^n) calls            O(n) stack
top_down      O(n^3)                  O(n^2)
bottom_up     O(n^3)                  O(n^2)
fast          O(n^2) (Knuth), numpy   O(n^2)
============  ======================  ============

Examples
--------
The instance of CLRS Figure 15.9: five keys, expected cost 2.75, ``k2`` at
the root with ``k1`` to its left and ``k5`` to its right, ``k4`` under
``k5`` and ``k3`` under ``k4``:

>>> from dptoolkit.problems import optimal_bst
>>> p = [0.15, 0.10, 0.05, 0.10, 0.20]
>>> q = [0.05, 0.10, 0.05, 0.05, 0.05, 0.10]
>>> sol = optimal_bst.solve(p, q)
>>> round(sol.value, 10)
2.75
>>> sol.tree
(2, (1, None, None), (5, (4, (3, None, None), None), None))
>>> optimal_bst.solve(p, q, strategy="bottom_up").tree == sol.tree
True

References
----------
.. [1] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Section 15.5 ("Optimal binary search trees"),
   Figures 15.9 and 15.10, MIT Press, 2009.
.. [2] D. E. Knuth, "Optimum binary search trees", *Acta Informatica* 1,
   14-25, 1971.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import check_numbers, number_kind, show

from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_memory, run, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "TOLERANCE", "brute_force", "build", "expected_cost", "solve"]

STRATEGIES = WITH_FAST

#: How far the probabilities may sum from 1.
TOLERANCE = 1e-6

State = tuple[int, int]
Tree = tuple[int, Any, Any] | None
#: A probability: a float, or exact (Fraction, Decimal; ints mix with them).
Prob = Any


def _check(p: object, q: object) -> tuple[list[Prob], list[Prob]]:
    keys: list[Prob] = check_numbers("p", p, allow_negative=False)
    gaps: list[Prob] = check_numbers("q", q, allow_negative=False)
    if len(gaps) != len(keys) + 1:
        raise dp.InvalidInput(
            f"q={show(q)} has {len(gaps)} entries but p has {len(keys)}; "
            "q needs one more (a gap below, between and above the keys)"
        )
    seen: dict[type, str] = {}  # p and q together hold one non-int kind
    for name, values in (("p", keys), ("q", gaps)):
        for k, x in enumerate(values):
            number_kind(f"{name}[{k}]", x, seen)
    total: Prob
    if seen.keys() & {Fraction, Decimal}:  # exact: every number kept as given
        total = sum(keys, 0) + sum(gaps, 0)
    else:
        keys, gaps = [float(x) for x in keys], [float(x) for x in gaps]
        total = math.fsum(keys) + math.fsum(gaps)
    if abs(total - 1) > TOLERANCE:
        raise dp.InvalidInput(
            f"p={show(p)} and q={show(q)} sum to {total!r}; probabilities must sum to 1 "
            f"(within {TOLERANCE:g})"
        )
    return keys, gaps


def _prefix(values: list[Prob]) -> list[Prob]:
    out: list[Prob] = [0]
    for x in values:
        out.append(out[-1] + x)
    return out


def _weights(keys: list[Prob], gaps: list[Prob]) -> Callable[[int, int], Prob]:
    P, Q = _prefix(keys), _prefix(gaps)

    def w(i: int, j: int) -> Prob:
        return (P[j] - P[i]) + (Q[j + 1] - Q[i])

    return w


def _recurrence(keys: list[Prob], gaps: list[Prob]) -> tuple[Recurrence, State]:
    """The recurrence on validated input (see :func:`build`)."""
    w = _weights(keys, gaps)

    @dp.recurrence(states=lambda i, j: dp.intervals(j + 1))
    def cost(i: int, j: int) -> Prob:
        if i == j:
            return gaps[i]
        weight = w(i, j)
        options = ((cost(i, r - 1) + cost(r, j) + weight, r) for r in range(i + 1, j + 1))
        best: Prob = dp.choose(options, best=min)
        return best

    return cost, (0, len(keys))


@labelled
def build(p: Sequence[float], q: Sequence[float]) -> tuple[Recurrence, State]:
    """The recurrence for these probabilities, and the goal ``(0, n)``; states record the root.

    Examples
    --------
    >>> rec, goal = build([0.5, 0.3], [0.1, 0.05, 0.05])
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> round(sol.value, 10), sol.choices[goal]
    (1.6, 1)
    """
    return _recurrence(*_check(p, q))


def _tree(root: Callable[[int, int], int], n: int) -> Tree:
    """The nested tree read from each interval's root (no recursion: n may be large)."""
    if n == 0:
        return None
    built: dict[State, Tree] = {}
    stack: list[tuple[State, bool]] = [((0, n), False)]
    while stack:
        (i, j), ready = stack.pop()
        if i == j:
            built[i, j] = None
            continue
        r = root(i, j)
        if ready:
            built[i, j] = (r, built.pop((i, r - 1)), built.pop((r, j)))
            continue
        stack += [((i, j), True), ((i, r - 1), False), ((r, j), False)]
    return built[0, n]


def _shapes(i: int, j: int) -> Iterator[Tree]:
    """Every BST on keys ``i + 1 .. j`` (Catalan-many)."""
    if i == j:
        yield None
        return
    for r in range(i + 1, j + 1):
        for left in _shapes(i, r - 1):
            for right in _shapes(r, j):
                yield (r, left, right)


def expected_cost(tree: Tree, p: Sequence[Prob], q: Sequence[Prob]) -> Prob:
    """``sum p_i (depth(ki) + 1) + sum q_i (depth(di) + 1)`` of *tree*, from its depths.

    Examples
    --------
    >>> round(expected_cost((1, None, (2, None, None)), [0.5, 0.3], [0.1, 0.05, 0.05]), 10)
    1.6
    """
    total: Prob = 0
    gap = 0
    # an in-order walk meets the gaps left to right
    pending: list[tuple[Tree, int, bool]] = [(tree, 1, False)]
    while pending:
        node, level, visited = pending.pop()
        if node is None:
            total += q[gap] * level
            gap += 1
            continue
        key, left, right = node
        if visited:
            total += p[key - 1] * level
            continue
        pending += [(right, level + 1, False), (node, level, True), (left, level + 1, False)]
    return total


def brute_force(p: Sequence[Prob], q: Sequence[Prob]) -> tuple[Prob, Tree]:
    """The least expected cost over every BST shape, costed from depths (small ``n`` only).

    Examples
    --------
    >>> cost, tree = brute_force([0.5, 0.3], [0.1, 0.05, 0.05])
    >>> round(cost, 10), tree
    (1.6, (1, None, (2, None, None)))
    """
    keys, gaps = _check(p, q)
    best = min(_shapes(0, len(keys)), key=lambda t: expected_cost(t, keys, gaps))
    return expected_cost(best, keys, gaps), best


def _fast(keys: list[Prob], gaps: list[Prob]) -> tuple[Prob, Any]:
    """Knuth's O(n^2) table, one numpy step per diagonal; returns the cost and the roots."""
    n = len(keys)
    # the same prefix sums as the recurrence's, added one by one
    exact = any(type(x) is not float for x in (*keys, *gaps))
    kind: Any = object if exact else np.float64  # Fraction or Decimal: Python objects
    P = np.array(_prefix(keys), dtype=kind)
    Q = np.array(_prefix(gaps), dtype=kind)
    e = np.zeros((n + 1, n + 1), dtype=kind)
    root = np.zeros((n + 1, n + 1), dtype=np.int32)
    idx = np.arange(n + 1)
    e[idx, idx] = gaps
    if n >= 1:
        i = idx[:n]
        root[i, i + 1] = i + 1
        e[i, i + 1] = (e[i, i] + e[i + 1, i + 1]) + ((P[i + 1] - P[i]) + (Q[i + 2] - Q[i]))
    for d in range(2, n + 1):
        i = idx[: n + 1 - d]
        j = i + d
        lo, hi = root[i, j - 1], root[i + 1, j]
        widths = hi - lo + 1
        starts = np.concatenate(([0], np.cumsum(widths)[:-1]))
        total = int(widths.sum())
        r = np.repeat(lo, widths) + (np.arange(total) - np.repeat(starts, widths))
        ii, jj = np.repeat(i, widths), np.repeat(j, widths)
        weight = (P[j] - P[i]) + (Q[j + 1] - Q[i])
        cand = (e[ii, r - 1] + e[r, jj]) + np.repeat(weight, widths)
        best = np.minimum.reduceat(cand, starts)
        first = np.flatnonzero(cand == np.repeat(best, widths))
        at = first[np.searchsorted(first, starts)]
        e[i, j] = best
        root[i, j] = r[at]
    best_cost = e[0, n]
    return (best_cost.item() if isinstance(best_cost, np.generic) else best_cost), root


@shows_auto
def solve(
    p: Sequence[float], q: Sequence[float], *, strategy: str = "auto", k: int | None = None
) -> Solution:
    """The least expected search cost of a BST on keys with probabilities *p*, gaps *q*.

    Parameters
    ----------
    p : sequence of float
        ``p[i]`` is the probability of searching for key ``i + 1`` (``n``
        non-negative numbers; ``Fraction`` or ``Decimal`` ones, with ints,
        keep every strategy exact).
    q : sequence of float
        ``q[i]`` the probability of a search ending in gap ``i`` (``n + 1``
        numbers). Together they must sum to 1 within :data:`TOLERANCE`.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.
    k : int, optional
        ``sol.k_best`` then holds the *k* cheapest trees, cheapest first,
        with their ``.tree`` (``fast`` refuses *k*, ``auto`` runs
        ``bottom_up``: the guide *More than one answer* has the rules).

    Returns
    -------
    dp.Solution
        ``.value``: the expected cost (a float; a ``Fraction`` or
        ``Decimal`` when the probabilities are, exact). ``.tree``: ``(key, left,
        right)`` nested tuples, 1-based keys, ``None`` for a gap, built on
        first access.

    Raises
    ------
    dptoolkit.InvalidInput
        For probabilities that do not sum to 1, a negative or NaN one, a
        ``q`` that is not one longer than ``p``, an unknown strategy, or a
        ``fast`` table past 2 GiB (``InvalidType`` for non-numbers).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` past a million calls (13 keys and more), and
        ``top_down``/``bottom_up`` past 2**25 states.

    Examples
    --------
    >>> solve([], [1.0]).tree is None
    True
    """
    keys, gaps = _check(p, q)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="optimal_bst", k=k)
    n = len(keys)
    if strategy == "fast":
        check_memory("p", p, 20 * (n + 1) ** 2, shown=f"<{n} keys>")
        value, roots = _fast(keys, gaps)
        return engine_later(
            dp.Solution(
                value,
                strategy="fast",
                lazy={"tree": lambda: _tree(lambda i, j: int(roots[i, j]), n)},
            ),
            asked,
            lambda: solve(p, q, strategy="bottom_up"),
        )
    rec, goal = _recurrence(keys, gaps)
    reads = (n + 2) * (n + 1) * n // 3  # two per root of every key range
    sol = run(rec, goal, strategy, visits=(n + 1) * (n + 2) // 2, reads=reads, k=k)
    choices = sol.choices
    # cell (i, j): the subtree on keys k(i+1) .. kj; a cell with i = j (first past last) is a gap
    keys_named = [f"k{r}" for r in range(1, n + 1)]
    labels = Labels(
        ("first key k(i+1)", "last key kj"), ((*keys_named, "—"), ("—", *keys_named)), goal=goal
    )
    return sol.with_fields(
        labels=labels,
        lazy={"tree": lambda: _tree(lambda i, j: state(choices, (i, j)), n)},
        step=lambda ij, r: [(ij[0], r - 1), (r, ij[1])],  # sol.count(): one tree per choice path
        witness_of=lambda each: {"tree": _tree(lambda i, j: state(each.choices, (i, j)), n)},
    )


PROBLEMS = (
    dp.Problem(
        name="optimal_bst",
        summary="The binary search tree of least expected search cost (CLRS 15.5).",
        recurrence=(
            "e(i, i) = q[i]; e(i, j) = min_{i < r <= j} e(i, r-1) + e(r, j) + w(i, j), "
            "w(i, j) = sum p[i:j] + sum q[i:j+1]"
        ),
        time="O(n^3)",
        space="O(n^2)",
        example=([0.15, 0.10, 0.05, 0.10, 0.20], [0.05, 0.10, 0.05, 0.05, 0.05, 0.10]),
        witness=("tree",),
        aliases=("optimal_binary_search_tree", "obst"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
