"""Subset sum: is there a subset of the numbers that adds up to the target?

Given non-negative integers and a target, decide whether some subset sums
exactly to the target, and if so name one (by indices). It is the decision
version of 0/1 knapsack with values equal to weights, NP-complete in
general, and solvable in time polynomial in the *value* of the target.

Notes
-----
Recurrence: ``reach(i, t)`` is true when some subset of the first ``i``
numbers sums to ``t``; the last of them is left out or used::

    reach(0, t) = (t == 0)
    reach(i, t) = reach(i - 1, t) or reach(i - 1, t - x[i-1])  (using x[i-1] <= t)

The answer is ``reach(n, target)``. Ties go to *leave out*, so the witness
prefers earlier numbers. ``(n + 1) (T + 1)`` states: time and space ``O(n T)``.
Plain recursion makes up to ``2^(n + 1)`` calls.

``fast`` keeps a whole row of the table as the bits of one Python integer:
bit ``t`` of ``row`` is ``reach(i, t)``, and using number ``x`` is a shift, so
a row costs one shift, one OR and one mask of ``T``-bit integers::

    row = 1;  for x in numbers: row |= (row << x) & mask

about ``n T / 30`` machine-word operations in CPython's 30-bit digits. It
stops as soon as bit ``T`` is set. The witness keeps every row and walks
back from the target with the same leave-out-first rule, so it equals the
recurrence's witness; it is computed only when ``.indices`` is read. Before
the bitset is built the instance is reduced: numbers above the target are
left out, a target past the sum of the rest is answered at once, and the
numbers and the target are divided by their gcd, so huge numbers with a
common factor cost a short bitset (and the same witness). A bitset that
would still need more than 2 GiB is refused.

============  =========================  ===========
strategy      time                       space
============  =========================  ===========
naive         O(2^n) calls               O(n) stack
top_down      O(n T)                     O(n T)
bottom_up     O(n T)                     O(n T)
fast          O(n T / w), w = 30 bits    O(T) bits (O(n T) with witness)
============  =========================  ===========

Examples
--------
>>> from dptoolkit.problems import subset_sum
>>> sol = subset_sum.solve([3, 34, 4, 12, 5, 2], 9)
>>> sol.value, sol.indices
(True, [2, 4])
>>> sol = subset_sum.solve([3, 34, 4, 12, 5, 2], 30)
>>> sol.value, sol.indices
(False, None)
>>> subset_sum.solve([3, 34, 4, 12, 5, 2], 9, strategy="bottom_up").indices
[2, 4]

References
----------
.. [1] J. Kleinberg, É. Tardos, *Algorithm Design*, Section 6.4 ("Subset
   Sums and Knapsacks"), Addison-Wesley, 2005.
.. [2] T. H. Cormen et al., *Introduction to Algorithms*, 3rd ed., Section
   35.5 ("The subset-sum problem"), MIT Press, 2009.
.. [3] K. Koiliaris, C. Xu, "A faster pseudopolynomial time algorithm for
   subset sum", SODA 2017 (bitset formulations and beyond).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import dptoolkit as dp
from dptoolkit._labels import first_items, labelled
from dptoolkit._validate import check_int, check_numbers, show

from ._answers import engine_later
from ._run import WITH_FAST, check_memory, pick, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "fast_subset_sum", "solve"]

STRATEGIES = WITH_FAST

State = tuple[int, int]


def _check(numbers: object, target: object) -> tuple[list[int], int]:
    checked = check_numbers("numbers", numbers, allow_negative=False, allow_float=False)
    return [int(x) for x in checked], check_int("target", target)


def _recurrence(xs: list[int], target: int) -> tuple[Recurrence, State]:
    """The recurrence on validated input (see :func:`build`)."""

    @dp.recurrence(states=lambda i, t: dp.grid(i + 1, t + 1))
    def reach(i: int, t: int) -> bool:
        if i == 0:  # down to i == 0 even from t == 0: zeros make subsets too (count())
            return t == 0
        x = xs[i - 1]
        options = [(reach(i - 1, t), ("skip", (i - 1, t)))]
        if x <= t:
            options.append((reach(i - 1, t - x), ("take", (i - 1, t - x))))
        return bool(dp.choose(options, best=max))

    return reach, (len(xs), target)


@labelled
def build(numbers: Sequence[int], target: int) -> tuple[Recurrence, State]:
    """The subset-sum recurrence for these numbers, and the goal ``(n, target)``.

    Each state records ``("skip", next_state)`` or ``("take", next_state)``.

    Examples
    --------
    >>> rec, goal = build([3, 34, 4, 12, 5, 2], 9)
    >>> sol = rec.solve(*goal, strategy="top_down")
    >>> sol.value, sol.choices[goal]
    (True, ('skip', (5, 9)))
    """
    return _recurrence(*_check(numbers, target))


def brute_force(numbers: Sequence[int], target: int) -> tuple[bool, list[int] | None]:
    """Decide by trying every subset, smallest first (``2^n`` subsets: small ``n`` only).

    Examples
    --------
    >>> brute_force([3, 34, 4, 12, 5, 2], 9)
    (True, [2, 4])
    """
    for size in range(len(numbers) + 1):
        for subset in itertools.combinations(range(len(numbers)), size):
            if sum(numbers[i] for i in subset) == target:
                return True, list(subset)
    return False, None


def _rows(numbers: list[int], target: int) -> list[int]:
    """Every row of the table as an integer bitset: ``rows[i]`` bit ``t`` is ``reach(i, t)``."""
    mask = (1 << (target + 1)) - 1
    rows = [1]
    for x in numbers:
        rows.append(rows[-1] | ((rows[-1] << x) & mask))
    return rows


def _scaled(numbers: Sequence[int], target: int) -> tuple[list[int], int] | None:
    """The same instance with the usable numbers and the target divided by their gcd.

    A number above the target can never be used; it becomes ``t + 1`` (the
    scaled target plus one), which never fits either. ``None`` when no subset
    can reach the target: it passes the sum of the usable numbers, or is not
    a multiple of their gcd. The bitset rows of the scaled instance are those
    of the original read at the multiples of the gcd, so the witness is the same.
    """
    usable = [x for x in numbers if x <= target]
    if sum(usable) < target:
        return None
    g = math.gcd(*usable)
    if g == 0:  # only zeros are usable, and the target is 0
        return [0 if x <= target else 1 for x in numbers], 0
    if target % g:
        return None
    t = target // g
    return [x // g if x <= target else t + 1 for x in numbers], t


def fast_subset_sum(numbers: Sequence[int], target: int) -> bool:
    """Whether a subset of *numbers* sums to *target*, by shifting one big-integer bitset.

    The instance is first reduced (numbers above the target dropped, every
    number and the target divided by the gcd), so huge numbers cost nothing.

    Examples
    --------
    >>> fast_subset_sum([3, 34, 4, 12, 5, 2], 9)
    True
    >>> fast_subset_sum([10**15, 2 * 10**15], 3 * 10**15)
    True
    """
    scaled = _scaled(numbers, target)
    return scaled is not None and _reaches(*scaled)


def _reaches(numbers: list[int], target: int) -> bool:
    mask = (1 << (target + 1)) - 1
    goal = 1 << target
    row = 1
    for x in numbers:
        if row & goal:
            return True
        row |= (row << x) & mask
    return bool(row & goal)


def _indices_from_rows(numbers: list[int], target: int) -> list[int] | None:
    rows = _rows(numbers, target)
    if not rows[-1] >> target & 1:
        return None
    chosen = []
    t = target
    for i in range(len(numbers), 0, -1):
        if t == 0:
            break
        if not rows[i - 1] >> t & 1:  # leaving number i - 1 out does not reach t
            chosen.append(i - 1)
            t -= numbers[i - 1]
    chosen.reverse()
    return chosen


@shows_auto
def solve(
    numbers: Sequence[int], target: int, *, strategy: str = "auto", k: int | None = None
) -> Solution:
    """Whether some subset of *numbers* sums exactly to *target*, and which.

    Parameters
    ----------
    numbers : sequence of int
        Non-negative integers.
    target : int
        A non-negative integer.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (the big-integer bitset).
    k : None
        Refused (``InvalidInput``): a yes-or-no answer has no K best.

    Returns
    -------
    dp.Solution
        ``.value`` is ``True`` or ``False``; ``.indices`` the 0-based indices
        of one such subset in ascending order (``None`` when there is none),
        computed on first access. ``sol.count()`` and ``sol.witnesses()``:
        every subset (of indices: equal numbers at two places are two
        subsets) that sums to *target*, 0 and none for ``False``; an
        ``auto`` answer re-solves with ``bottom_up`` for them, a ``fast``
        one refuses them.

    Raises
    ------
    dptoolkit.InvalidInput
        For a negative number or target, an unknown strategy (``InvalidType``
        for non-integers), or a target whose ``fast`` bitset would need more
        than 2 GiB after the reduction.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would make more than a
        million calls (counted before starting).

    Examples
    --------
    >>> solve([2, 3, 7, 8, 10], 11).indices
    [1, 3]
    """
    xs, target = _check(numbers, target)
    if k is not None:
        raise dp.InvalidInput(
            f"k={show(k)}: subset_sum answers yes or no, there are no K best to rank; "
            "count() and witnesses() give every subset that reaches the target"
        )
    asked = strategy
    strategy = pick(strategy, STRATEGIES, problem="subset_sum")
    if strategy == "fast":
        scaled = _scaled(xs, target)
        if scaled is None:
            return engine_later(
                dp.Solution(False, strategy="fast", witness={"indices": None}),
                asked,
                lambda: solve(xs, target, strategy="bottom_up"),
            )
        small, t = scaled
        check_memory("target", target, 4 * (t // 8 + 1))  # the bitset and its shifted copies

        def from_rows() -> list[int] | None:
            check_memory("target", target, (len(small) + 1) * (t // 8 + 1))  # every row
            return _indices_from_rows(small, t)

        return engine_later(
            dp.Solution(_reaches(small, t), strategy="fast", lazy={"indices": from_rows}),
            asked,
            lambda: solve(xs, target, strategy="bottom_up"),
        )
    rec, goal = _recurrence(xs, target)

    states = (len(xs) + 1) * (target + 1)
    sol = run(rec, goal, strategy, visits=min(states, 2 ** (len(xs) + 1)))

    def indices() -> list[int] | None:
        if not sol.value:
            return None
        path = sol.walk(goal, lambda state, label: label[1])
        return sorted(state[0] - 1 for state, (kind, _) in path if kind == "take")

    def taken(each: Solution) -> dict[str, list[int]]:
        path = each.walk(goal, lambda state, label: label[1])
        return {"indices": sorted(state[0] - 1 for state, (kind, _) in path if kind == "take")}

    labels = first_items("first i numbers", [str(x) for x in xs], "target t", goal=goal,
                         step=lambda state, label: label[1])  # fmt: skip
    return sol.with_fields(
        lazy={"indices": indices},
        labels=labels,
        step=lambda state, label: label[1],  # one subset per choice path (none when False)
        witness_of=taken,
    )


PROBLEMS = (
    dp.Problem(
        name="subset_sum",
        summary="Whether some subset of non-negative integers sums exactly to a target, and which.",
        recurrence=(
            "reach(i, 0) = True; reach(0, t) = False; "
            "reach(i, t) = reach(i - 1, t) or reach(i - 1, t - x[i-1])"
        ),
        time="O(n T)",
        space="O(n T)",
        example=([3, 34, 4, 12, 5, 2], 9),
        witness=("indices",),
        aliases=("subset_sums",),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
