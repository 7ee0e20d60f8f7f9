"""Weighted interval scheduling: the heaviest set of intervals that do not overlap.

Each request is an interval ``(start, end, weight)`` with ``start <= end``;
two are compatible when one ends no later than the other starts
(``end <= next start``: touching ends are fine). Choose pairwise compatible
intervals of the largest total weight. With every weight 1 a greedy choice
(earliest end first) is optimal; with weights it is not, and the problem is
Kleinberg and Tardos's first example of dynamic programming [1]_.

Notes
-----
Sort the intervals by end (then start, so a longer interval comes before
a point at its end), and let ``p(j)`` be how many of the first ``j - 1``
end no later than the ``j``-th starts; by the sort they are exactly the
first ``p(j)``, found by binary search (``bisect``). The ``j``-th interval
is either left out or taken with the best of the first ``p(j)``::

    best(0) = 0
    best(j) = max(best(j - 1),                 # skip interval j
                  weight_j + best(p(j)))       # take it

Ties skip. ``n + 1`` states of ``O(1)`` work after an ``O(n log n)`` sort:
time ``O(n log n)``, space ``O(n)``. Plain recursion makes up to ``2^n``
calls (when nothing overlaps, ``p(j) = j - 1``, both branches recurse).

``fast`` is the same recurrence as a plain loop over arrays built by
``bisect``, with a take/skip list for the witness, without the engine's
per-state bookkeeping. ``.indices`` are positions in the input, ascending.

============  ==================  ============
strategy      time                space
============  ==================  ============
naive         O(2^n) calls        O(n) stack
top_down      O(n log n)          O(n)
bottom_up     O(n log n)          O(n)
fast          O(n log n)          O(n)
============  ==================  ============

Examples
--------
The eleven activities of CLRS [2]_ Section 16.1, each of weight 1 (the
largest compatible set is ``a1, a4, a8, a11`` there, 1-based), and a
weighted instance where the greedy earliest-end rule loses:

>>> from dptoolkit.problems import interval_scheduling
>>> start = [1, 3, 0, 5, 3, 5, 6, 8, 8, 2, 12]
>>> finish = [4, 5, 6, 7, 9, 9, 10, 11, 12, 14, 16]
>>> sol = interval_scheduling.solve([(s, f, 1) for s, f in zip(start, finish)])
>>> sol.value, sol.indices
(4, [0, 3, 7, 10])
>>> jobs = [(0, 3, 2), (1, 5, 4), (4, 6, 4), (2, 9, 7), (7, 10, 2), (8, 11, 1)]
>>> sol = interval_scheduling.solve(jobs)
>>> sol.value, sol.indices
(8, [0, 2, 4])
>>> interval_scheduling.solve([(1, 3, 5), (3, 5, 5), (2, 4, 11)], strategy="top_down").indices
[2]

References
----------
.. [1] J. Kleinberg, É. Tardos, *Algorithm Design*, Section 6.1 ("Weighted
   Interval Scheduling: A Recursive Procedure"), Addison-Wesley, 2005.
.. [2] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Section 16.1 ("An activity-selection problem"),
   MIT Press, 2009.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import along, labelled
from dptoolkit._validate import check_exact_number, check_sequence, number_kind, show

from ._answers import engine_later, pick_k
from ._run import WITH_FAST, run, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "compatible", "solve"]

STRATEGIES = WITH_FAST

#: A coordinate or weight: int, float, Fraction or Decimal (the weights of one
#: instance of one non-int kind, so their sums never round; no static type says that).
Number = Any
Interval = tuple[Number, Number, Number]


def _one_kind(weights: list[Number]) -> None:
    """Refuse weights of two non-int kinds (their sums would round, or fail)."""
    seen: dict[type, str] = {}
    for k, w in enumerate(weights):
        number_kind(f"intervals[{k}][2]", w, seen)


def _check(intervals: object) -> list[Interval]:
    shape = getattr(intervals, "shape", None)
    if isinstance(shape, tuple) and len(shape) == 2 and shape[1] == 3:
        intervals = intervals.tolist()  # type: ignore[attr-defined]  # a numpy (n, 3) array
    seq = check_sequence("intervals", intervals, allow_str=False)
    out: list[Interval] = []
    for k, item in enumerate(seq):
        if type(item) in (tuple, list) and len(item) == 3:
            start, end, weight = item
            if (  # the common case (ints, finite floats), checked without the general helper
                all(type(v) is int or (type(v) is float and math.isfinite(v)) for v in item)
                and start <= end
            ):
                out.append((start, end, weight))
                continue
        if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) or len(item) != 3:
            raise dp.InvalidType(
                f"intervals[{k}]={show(item)} must be a (start, end, weight) triple"
            )
        start = check_exact_number(f"intervals[{k}][0]", item[0])
        end = check_exact_number(f"intervals[{k}][1]", item[1])
        weight = check_exact_number(f"intervals[{k}][2]", item[2])
        if end < start:
            raise dp.InvalidInput(
                f"intervals[{k}]={show(item)} ends before it starts (end {end} < start {start})"
            )
        out.append((start, end, weight))
    _one_kind([w for _, _, w in out])
    return out


class _Sorted:
    """The intervals sorted by (end, start), with ``p`` and the input positions."""

    def __init__(self, jobs: list[Interval]) -> None:
        order = sorted(range(len(jobs)), key=lambda k: (jobs[k][1], jobs[k][0]))
        self.order = order
        self.weights = [jobs[k][2] for k in order]
        ends = [jobs[k][1] for k in order]
        # p[j - 1]: how many of the first j - 1 sorted intervals end by the j-th's start
        self.p = [min(bisect.bisect_right(ends, jobs[k][0]), j) for j, k in enumerate(order)]


def _recurrence(jobs: list[Interval]) -> tuple[Recurrence, tuple[int]]:
    """The recurrence on validated input (see :func:`build`)."""
    srt = _Sorted(jobs)
    weights, p = srt.weights, srt.p

    @dp.recurrence(states=lambda j: range(j + 1))
    def best(j: int) -> Number:
        if j == 0:
            return 0
        options = [(best(j - 1), "skip"), (weights[j - 1] + best(p[j - 1]), "take")]
        chosen: Number = dp.choose(options, best=max)
        return chosen

    return best, (len(jobs),)


@labelled
def build(intervals: Sequence[Interval]) -> tuple[Recurrence, tuple[int]]:
    """The recurrence over intervals sorted by end, and its goal ``(n,)``.

    State ``j`` is the best of the first ``j`` intervals in that order; it
    records ``"skip"`` or ``"take"``.

    Examples
    --------
    >>> rec, goal = build([(0, 2, 1), (1, 3, 5), (2, 4, 1)])
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, [sol.choices[j] for j in (1, 2, 3)]
    (5, ['take', 'take', 'skip'])
    """
    return _recurrence(_check(intervals))


def _walk(take: Sequence[bool] | None, label_of: object, srt: _Sorted, n: int) -> list[int]:
    picked: list[int] = []
    j = n
    while j > 0:
        taken = take[j - 1] if take is not None else label_of(j) == "take"  # type: ignore[operator]
        if taken:
            picked.append(srt.order[j - 1])
            j = srt.p[j - 1]
        else:
            j -= 1
    picked.sort()
    return picked


def compatible(intervals: Sequence[Interval], indices: Sequence[int]) -> bool:
    """Whether the intervals at *indices* are pairwise compatible (``end <= next start``).

    Examples
    --------
    >>> compatible([(0, 2, 1), (2, 4, 1), (3, 5, 1)], [0, 1]), compatible([(0, 3, 1), (2, 4, 1)], [0, 1])
    (True, False)
    """
    jobs = _check(intervals)
    return all(
        jobs[a][1] <= jobs[b][0] or jobs[b][1] <= jobs[a][0]
        for a, b in itertools.combinations(indices, 2)
    )


def brute_force(intervals: Sequence[Interval]) -> tuple[Number, list[int]]:
    """The best weight and one best schedule, trying all ``2^n`` subsets.

    Examples
    --------
    >>> brute_force([(0, 2, 1), (1, 3, 5), (2, 4, 1)])
    (5, [1])
    """
    jobs = _check(intervals)
    best: Number = 0
    best_set: list[int] = []
    for size in range(1, len(jobs) + 1):
        for subset in itertools.combinations(range(len(jobs)), size):
            total: Number = sum(jobs[k][2] for k in subset)
            if total > best and compatible(jobs, subset):
                best, best_set = total, list(subset)
    return best, best_set


def _fast(srt: _Sorted) -> tuple[Number, list[bool]]:
    weights, p = srt.weights, srt.p
    best: list[Number] = [0] * (len(weights) + 1)
    take = [False] * len(weights)
    for j, (w, before) in enumerate(zip(weights, p, strict=True), start=1):
        skip, with_it = best[j - 1], w + best[before]
        if with_it > skip:
            best[j], take[j - 1] = with_it, True
        else:
            best[j] = skip
    return best[-1], take


@shows_auto
def solve(
    intervals: Sequence[Interval], *, strategy: str = "auto", k: int | None = None
) -> Solution:
    """The heaviest set of pairwise compatible intervals, and their positions.

    Parameters
    ----------
    intervals : sequence of (start, end, weight), or an (n, 3) numpy array
        Real numbers with ``start <= end``; weights may be any finite number
        (an interval of negative weight is never worth taking).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.
    k : int, optional
        List the *k* heaviest schedules too (``sol.k_best``, each with
        ``.indices``); see the *More than one answer* guide for ``auto``.

    Returns
    -------
    dp.Solution
        ``.value``: the largest total weight (0 for no intervals).
        ``.indices``: positions in *intervals* of one best schedule,
        ascending, computed on first access.

    Raises
    ------
    dptoolkit.InvalidInput
        For an interval that ends before it starts, a NaN or infinite
        number, or an unknown strategy (``InvalidType`` for an item that is
        not a triple of numbers).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` past a million calls (19 disjoint
        intervals and more), and ``top_down``/``bottom_up`` past 2**25 states.

    Examples
    --------
    >>> solve([(0, 1, 3), (1, 2, 3), (0, 2, 5)]).indices
    [0, 1]
    >>> solve([]).value
    0
    """
    jobs = _check(intervals)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="interval_scheduling", k=k)
    n = len(jobs)
    if strategy == "fast":
        srt = _Sorted(jobs)
        value, take = _fast(srt)
        return engine_later(
            dp.Solution(
                value, strategy="fast", lazy={"indices": lambda: _walk(take, None, srt, n)}
            ),
            asked,
            lambda: solve(jobs, strategy="bottom_up"),
        )
    rec, goal = _recurrence(jobs)
    srt = _Sorted(jobs)
    p = srt.p
    sol = run(rec, goal, strategy, visits=n + 1, k=k)
    choices = sol.choices
    # column j: the best of the first j intervals sorted by end; each adds #k (its position)
    added = [f"+#{q} {show(jobs[q][0])}–{show(jobs[q][1])}" for q in srt.order]
    labels = along("first j intervals, sorted by end", added, before=("none",), goal=n, width=14)
    return sol.with_fields(
        labels=labels,
        lazy={"indices": lambda: _walk(None, lambda j: state(choices, (j,)), srt, n)},
        # sol.count(), sol.witnesses(): one schedule per path of take/skip choices
        step=lambda j, label: p[j - 1] if label == "take" else j - 1,
        witness_of=lambda each: {
            "indices": _walk(None, lambda j: state(each.choices, (j,)), srt, n)
        },
    )


PROBLEMS = (
    dp.Problem(
        name="interval_scheduling",
        summary="The heaviest set of pairwise compatible weighted intervals.",
        recurrence="best(0) = 0; best(j) = max(best(j - 1), weight_j + best(p(j)))",
        time="O(n log n)",
        space="O(n)",
        example=([(0, 3, 2), (1, 5, 4), (4, 6, 4), (2, 9, 7), (7, 10, 2), (8, 11, 1)],),
        witness=("indices",),
        aliases=("weighted_interval_scheduling", "activity_selection"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
