"""Longest increasing subsequence: the longest strictly rising thread through a sequence.

A subsequence keeps some items of a sequence in their order (not
necessarily adjacent). Find the longest one whose items strictly increase,
and where it is (its indices). In ``3 1 4 1 5 9 2 6`` one longest is
``1 4 5 6`` (also ``3 4 5 9``): length 4. Items may be anything mutually
ordered: numbers, strings, tuples.

Notes
-----
Recurrence: ``ending(i)`` is the length of the longest increasing
subsequence whose last item is ``seq[i]``; the item before it is some
earlier, smaller ``seq[j]``. A virtual item ``seq[n] = +inf`` after the end
turns the answer into one more state, ``ending(n)``, which does not count
the virtual item itself::

    ending(i) = 1 + max({ending(j) : j < i, seq[j] < seq[i]} | {0})
    ending(n) = max({ending(j) : j < n} | {0})

Ties keep the earliest ``j``; the witness follows the recorded
predecessors back from ``n``. ``n + 1`` states with up to ``n`` options:
time ``O(n^2)``, space ``O(n)``; plain recursion makes up to ``2^n`` calls.

``fast`` is *patience sorting*: scan the items, keeping ``tails[k]``, the
smallest last item of an increasing subsequence of length ``k + 1`` seen so
far (an increasing list). Each item replaces the first tail that is not
smaller than it, found by binary search (``bisect_left``, which keeps the
subsequence strictly increasing), or extends the list. The length is
``len(tails)``; remembering, for each item, the index of the tail before it
gives the witness. Time ``O(n log n)``.

The witness of ``fast`` may differ from the other strategies' (both are
longest, and the length always agrees). ``naive``, ``top_down`` and
``bottom_up`` read the same recorded choices, so they return one witness:
ties go to the earliest index, so it ends at the earliest item that ends a
longest subsequence and steps back, each time, to the earliest possible
predecessor. ``fast`` returns the one patience sorting leaves: it ends at the
*last* item that reached the full length, and each item's predecessor is the
tail one shorter when that item was placed. In ``3 1 4 1 5 9 2 6`` the
engine gives ``3 4 5 9`` (indices ``[0, 2, 4, 5]``), ``fast`` gives
``1 4 5 6`` (``[1, 2, 4, 7]``), as the examples below show.

============  ===============  ==========
strategy      time             space
============  ===============  ==========
naive         O(2^n) calls     O(n) stack
top_down      O(n^2)           O(n)
bottom_up     O(n^2)           O(n)
fast          O(n log n)       O(n)
============  ===============  ==========

Examples
--------
>>> from dptoolkit.problems import lis
>>> sol = lis.solve([3, 1, 4, 1, 5, 9, 2, 6])
>>> sol.value, sol.indices
(4, [1, 2, 4, 7])
>>> sol = lis.solve([3, 1, 4, 1, 5, 9, 2, 6], strategy="bottom_up")
>>> sol.value, sol.indices
(4, [0, 2, 4, 5])
>>> lis.solve("ACGTTGCA").value
4

References
----------
.. [1] C. Schensted, "Longest increasing and decreasing subsequences",
   *Canadian Journal of Mathematics* 13, 179-191, 1961.
.. [2] M. L. Fredman, "On computing the length of longest increasing
   subsequences", *Discrete Mathematics* 11(1), 29-35, 1975.
.. [3] D. Aldous, P. Diaconis, "Longest increasing subsequences: from
   patience sorting to the Baik-Deift-Johansson theorem", *Bulletin of the
   AMS* 36(4), 413-432, 1999.
"""

from __future__ import annotations

import itertools
import numbers
from bisect import bisect_left
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import Labels, along, labelled
from dptoolkit._validate import check_sequence, show

from ._answers import engine_later, pick_k
from ._run import WITH_FAST, is_nan, refuse_naive, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "fast_lis", "solve"]

STRATEGIES = WITH_FAST

#: Longest sequence ``strategy="naive"`` accepts: past it, even a sequence
#: whose recursion is shallow makes ``n^2 / 2`` comparisons in its bodies.
NAIVE_MAX_LENGTH = 2000


def _check(seq: object) -> Sequence[Any]:
    items = check_sequence("seq", seq)
    if isinstance(items, (str, bytes)):
        return items
    kinds = set()
    for i, item in enumerate(items):
        if is_nan(item):
            raise dp.InvalidInput(f"seq[{i}]={show(item)} cannot be ordered; remove NaN items")
        if isinstance(item, AbstractSet):
            raise dp.InvalidType(
                f"seq[{i}]={show(item)} is a set: sets are only partly ordered by <, "
                "so an increasing subsequence is not defined"
            )
        kinds.add(numbers.Real if isinstance(item, (numbers.Real, Decimal)) else type(item))
    if len(kinds) > 1:
        names = sorted(getattr(kind, "__name__", str(kind)) for kind in kinds)
        raise dp.InvalidType(
            f"seq={show(seq)} mixes items that cannot be ordered together ({', '.join(names)})"
        )
    if kinds and numbers.Real not in kinds:  # numbers compare; anything else must, too
        try:
            sorted(items)
        except (TypeError, ArithmeticError) as exc:
            raise dp.InvalidType(
                f"seq={show(seq)} holds items that cannot be ordered with < ({exc})"
            ) from None
    return items


def _recurrence(items: Sequence[Any]) -> tuple[Recurrence, tuple[int]]:
    """The recurrence on validated input (see :func:`build`)."""
    n = len(items)

    @dp.recurrence(states=lambda i: range(i + 1))
    def ending(i: int) -> int:
        if i == n:  # the goal: the longest of all (the virtual item is not counted)
            longest: int = dp.choose([(0, None), *[(ending(j), j) for j in range(n)]], best=max)
            return longest
        options = [(ending(j) + 1, j) for j in range(i) if items[j] < items[i]]
        length: int = dp.choose([(1, None), *options], best=max)
        return length

    return ending, (n,)


@labelled
def build(seq: Sequence[Any]) -> tuple[Recurrence, tuple[int]]:
    """The recurrence ``ending(i)`` for this sequence, and the goal ``(n,)``.

    ``ending(n)``, the goal, is the longest length (the virtual item after
    the end is not counted). Each state records its predecessor index
    (``None`` for a subsequence that starts there, or none at all).

    Examples
    --------
    >>> rec, goal = build([3, 1, 4, 1, 5])
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[5], sol.choices[4], sol.choices[2]
    (3, 4, 2, 0)
    """
    return _recurrence(_check(seq))


def _labels(items: Sequence[Any]) -> Labels:
    """Column i of the table: the longest rise ending at seq[i]; "end" is the virtual item."""
    return along(
        "seq[i]: longest rise ending there",
        items,
        after=("end",),
        goal=len(items),
        step=_step,
        sizes=lambda: [(k, *_recurrence(items[:k])) for k in range(1, len(items) + 1)],
    )


def brute_force(seq: Sequence[Any]) -> tuple[int, list[int]]:
    """Longest strictly increasing subsequence by trying index subsets, longest first.

    Exponential (``2^n`` subsets): small sequences only.

    Examples
    --------
    >>> brute_force([3, 1, 4, 1, 5])
    (3, [0, 2, 4])
    """
    for size in range(len(seq), 0, -1):
        for chosen in itertools.combinations(range(len(seq)), size):
            if all(seq[a] < seq[b] for a, b in itertools.pairwise(chosen)):
                return size, list(chosen)
    return 0, []


def fast_lis(seq: Sequence[Any], *, witness: bool = False) -> tuple[int, list[int] | None]:
    """Length (and, with *witness*, the indices) of a longest strictly increasing subsequence.

    Patience sorting with binary search; ``O(n log n)``.

    Examples
    --------
    >>> fast_lis([3, 1, 4, 1, 5, 9, 2, 6], witness=True)
    (4, [1, 2, 4, 7])
    """
    tails: list[Any] = []  # tails[k]: smallest last item of a rising run of length k + 1
    if not witness:
        for item in seq:
            k = bisect_left(tails, item)
            if k == len(tails):
                tails.append(item)
            else:
                tails[k] = item
        return len(tails), None
    ends: list[int] = []  # index of tails[k] in seq
    before = [-1] * len(seq)  # predecessor of each item in its best run
    for i, item in enumerate(seq):
        k = bisect_left(tails, item)
        if k:
            before[i] = ends[k - 1]
        if k == len(tails):
            tails.append(item)
            ends.append(i)
        else:
            tails[k] = item
            ends[k] = i
    chosen = []
    i = ends[-1] if ends else -1
    while i >= 0:
        chosen.append(i)
        i = before[i]
    chosen.reverse()
    return len(tails), chosen


@shows_auto
def solve(seq: Sequence[Any], *, strategy: str = "auto", k: int | None = None) -> Solution:
    """The length of a longest strictly increasing subsequence of *seq*, and its indices.

    Parameters
    ----------
    seq : sequence
        Mutually ordered items (numbers, strings, tuples, ...; no NaN).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (patience sorting; ``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* longest increasing subsequences: ``sol.k_best``,
        longest first, each with its ``.indices`` (the empty one counts, of
        length 0; ``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value`` is the length; ``.indices`` the ascending 0-based indices
        of one longest subsequence, computed on first access. ``fast`` (what
        ``"auto"`` runs) may pick another longest one than the engine
        strategies do (see the module's Notes). ``sol.count()`` and
        ``sol.witnesses()``: every longest one as a set of indices (two index
        sets that spell the same items are two answers); an ``auto`` answer
        re-solves with ``bottom_up`` for them, a ``fast`` one refuses them.

    Raises
    ------
    dptoolkit.InvalidInput
        For NaN items or an unknown strategy.
    dptoolkit.InvalidType
        For ``None`` or another non-sequence, or items of unorderable kinds.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would make more than a
        million calls (counted before starting), or on more than 2000 items.

    Examples
    --------
    >>> solve([10, 9, 2, 5, 3, 7, 101, 18]).value
    4
    """
    items = _check(seq)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="lis", k=k)
    n = len(items)
    if strategy == "fast":
        quick = dp.Solution(
            fast_lis(items)[0],
            strategy="fast",
            lazy={"indices": lambda: fast_lis(items, witness=True)[1]},
        )
        return engine_later(quick, asked, lambda: solve(items, strategy="bottom_up"))
    if strategy == "naive" and n > NAIVE_MAX_LENGTH:
        raise refuse_naive(f"compare about n^2 / 2 pairs of its n={n:,} items")
    rec, goal = _recurrence(items)
    sol = run(rec, goal, strategy, visits=n + 1, reads=(n + 1) * (n + 2) // 2, k=k)

    def indices(each: Solution) -> list[int]:
        chosen = [j for _, j in each.walk(n, _step) if j is not None]
        chosen.reverse()
        return chosen

    return sol.with_fields(
        value=int(sol.value),
        lazy={"indices": lambda: indices(sol)},
        labels=_labels(items),
        step=_step,  # one index set per choice path
        witness_of=lambda each: {"indices": indices(each)},
    )


def _step(i: int, j: int | None) -> int | None:
    return j  # the predecessor, None where the subsequence starts


PROBLEMS = (
    dp.Problem(
        name="lis",
        summary="The longest strictly increasing subsequence of a sequence (length and indices).",
        recurrence=(
            "ending(i) = 1 + max({ending(j) : j < i, seq[j] < seq[i]} | {0}); "
            "answer = ending(n) = max({ending(j) : j < n} | {0})"
        ),
        time="O(n^2)",
        space="O(n)",
        example=([3, 1, 4, 1, 5, 9, 2, 6],),
        witness=("indices",),
        aliases=("longest_increasing_subsequence",),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
