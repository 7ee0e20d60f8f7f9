"""Egg drop: the fewest drops that find the critical floor in the worst case.

A building has floors ``1 .. n``; an egg dropped from floor ``x`` breaks
exactly when ``x`` is above some unknown critical floor ``c`` in
``0 .. n`` (``c = 0``: every drop breaks; ``c = n``: none does). A broken
egg is gone, an egg that survives can be dropped again. With ``k`` eggs,
how many drops does the best strategy need, in the worst case, to know
``c`` for sure? With one egg the only safe way is floor by floor (``n``
drops); with two eggs and 100 floors it is 14 (the classic puzzle [1]_).

Notes
-----
Recurrence: with ``e`` eggs and ``f`` floors still possible, drop from the
``x``-th of them; a break leaves ``e - 1`` eggs and the ``x - 1`` floors
below, a survival ``e`` eggs and the ``f - x`` floors above, and the
adversary picks the worse::

    drops(e, 0) = 0
    drops(1, f) = f
    drops(e, f) = 1 + min over 1 <= x <= f of max(drops(e - 1, x - 1), drops(e, f - x))

Each state records its best first floor ``x`` (the lowest among ties).
The table also holds the row ``e = 0`` (``0`` for no floors, ``inf``
otherwise), which the recurrence never reads. ``(k + 1) (n + 1)`` states of
up to ``n`` options: time ``O(k n^2)``, space ``O(k n)``.

``fast`` turns the question around [2]_: ``d`` drops and ``k`` eggs can
tell apart at most ``F(d, k) = F(d - 1, k - 1) + F(d - 1, k) + 1`` floors
(the first drop, then the floors below with an egg less, then the floors
above), which is ``sum over 1 <= i <= k of C(d, i)``. The answer is the
least ``d`` with ``F(d, k) >= n``, found by a binary search over ``d``;
each ``F`` takes ``O(k)`` exact integer steps (eggs past ``log2(n + 1)``
never help and are not counted). Time ``O(k log n)``, so a hundred eggs
and ``10^18`` floors answer at once.

============  ======================  ============
strategy      time                    space
============  ======================  ============
naive         exponential calls       O(n) stack
top_down      O(k n^2)                O(k n)
bottom_up     O(k n^2)                O(k n)
fast          O(k log n)              O(1)
============  ======================  ============

Examples
--------
The two-egg, hundred-floor puzzle, and two eggs in small buildings (``d``
drops settle ``d (d + 1) / 2`` floors: 1, 3, 6, 10):

>>> from dptoolkit.problems import egg_drop
>>> egg_drop.solve(2, 100).value
14
>>> egg_drop.solve(2, 100, strategy="bottom_up").value
14
>>> [egg_drop.solve(2, n).value for n in range(1, 11)]
[1, 2, 2, 3, 3, 3, 4, 4, 4, 4]
>>> egg_drop.solve(1, 30).value, egg_drop.solve(30, 30).value
(30, 5)
>>> egg_drop.solve(100, 10**18).value
60

References
----------
.. [1] Wikipedia, "Dynamic programming", section "Egg dropping puzzle".
.. [2] M. Boardman, "The egg-drop numbers", *Mathematics Magazine* 77(5),
   368-372, 2004.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import check_int, show

from ._answers import engine_later
from ._run import WITH_FAST, pick, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "covered", "solve"]

STRATEGIES = WITH_FAST

State = tuple[int, int]


def _check(eggs: object, floors: object) -> tuple[int, int]:
    return check_int("eggs", eggs, minimum=1), check_int("floors", floors)


def _recurrence(eggs: int, floors: int) -> tuple[Recurrence, State]:
    """The recurrence on validated input (see :func:`build`)."""

    @dp.recurrence(states=lambda e, f: dp.grid(e + 1, f + 1))
    def drops(e: int, f: int) -> int | float:
        if f == 0:
            return 0
        if e == 0:
            return math.inf  # no egg can settle a floor (never read: e = 1 is a base case)
        if e == 1:
            return f
        options = ((1 + max(drops(e - 1, x - 1), drops(e, f - x)), x) for x in range(1, f + 1))
        best: int = dp.choose(options, best=min)
        return best

    return drops, (eggs, floors)


@labelled
def build(eggs: int, floors: int) -> tuple[Recurrence, State]:
    """The egg-drop recurrence and its goal ``(eggs, floors)``; states record the first floor.

    Examples
    --------
    >>> rec, goal = build(2, 10)
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[goal]   # drop first from floor 4, then 7, 9, 10
    (4, 4)
    """
    return _recurrence(*_check(eggs, floors))


def covered(drops: int, eggs: int) -> int:
    """The most floors ``drops`` drops with ``eggs`` eggs can settle: ``sum C(drops, i)``.

    Examples
    --------
    >>> covered(14, 2), covered(13, 2)
    (105, 91)
    """
    total, term = 0, 1
    for i in range(1, min(eggs, drops) + 1):
        term = term * (drops - i + 1) // i  # C(drops, i), exact
        total += term
    return total


def brute_force(eggs: int, floors: int) -> int:
    """The depth of the best decision tree of drops, found by search from the definition.

    A strategy is a decision tree: drop at some floor of the range still
    possible, then go on below after a break (one egg less) or above after
    a survival. For ``d = 0, 1, 2, ...`` this asks whether some tree of
    depth ``d`` pins down the critical floor among ``lo .. hi``, trying
    every floor at every node: exponential, small buildings only.

    Examples
    --------
    >>> brute_force(2, 10)
    4
    """

    def settles(e: int, lo: int, hi: int, d: int) -> bool:
        # the critical floor is known to lie in lo .. hi (hi - lo + 1 candidates)
        if lo == hi:
            return True
        if d == 0 or e == 0:
            return False
        # dropping from floor x (lo < x <= hi): a break means c < x, a survival c >= x
        return any(
            settles(e - 1, lo, x - 1, d - 1) and settles(e, x, hi, d - 1)
            for x in range(lo + 1, hi + 1)
        )

    d = 0
    while not settles(eggs, 0, floors, d):
        d += 1
    return d


def _fast(eggs: int, floors: int) -> int:
    eggs = min(eggs, max(floors.bit_length(), 1))  # more eggs than a binary search needs: idle
    lo, hi = 0, floors  # floors drops always suffice
    while lo < hi:
        mid = (lo + hi) // 2
        if covered(mid, eggs) >= floors:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _first_floor(eggs: int, floors: int, drops: int) -> int | None:
    """The lowest optimal first floor, from the floors ``drops - 1`` drops settle.

    A first drop at ``x`` is optimal when both outcomes fit in ``drops - 1``
    more drops: the ``x - 1`` floors below with an egg less, the
    ``floors - x`` above with as many; the lowest such ``x`` is the one the
    recurrence records (its lowest among ties).

    >>> _first_floor(2, 10, 4), _first_floor(2, 100, 14), _first_floor(1, 5, 5)
    (4, 9, 1)
    """
    if not floors:
        return None
    return max(1, floors - covered(drops - 1, eggs))


@shows_auto
def solve(eggs: int, floors: int, *, strategy: str = "auto", k: int | None = None) -> Solution:
    """The fewest drops that find the critical floor of *floors* floors with *eggs* eggs.

    Parameters
    ----------
    eggs : int
        The number of eggs, at least 1.
    floors : int
        The number of floors, a non-negative integer.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.
    k : None
        Refused with :class:`~dptoolkit.InvalidInput`: a strategy's cost is
        the worse (``max``) of its two outcomes, and the K best of a max do
        not follow from the K best of its parts.

    Returns
    -------
    dp.Solution
        ``.value``: the number of drops in the worst case. The recurrence's
        strategies record each state's best first floor in ``.choices``
        (``sol.choices[eggs, floors]`` is where to drop first), and
        ``.first_floor`` is it (``None`` for no floors). ``sol.count()`` and
        ``sol.witnesses()``: every first floor from which the fewest drops
        can still be met, each a Solution with its ``.first_floor`` (what
        follows the first drop is not part of the answer: the side that does
        not decide the worst case has many optimal continuations). An
        ``auto`` answer re-solves with ``bottom_up`` for them (``O(k n^2)``),
        a ``fast`` one refuses them.

    Raises
    ------
    dptoolkit.InvalidInput
        For ``eggs < 1`` or a negative ``floors`` (``InvalidType`` for
        non-integers).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` past a million calls, and ``top_down`` or
        ``bottom_up`` past 2**25 states.

    Examples
    --------
    >>> solve(3, 14, strategy="naive").value
    4
    """
    eggs, floors = _check(eggs, floors)
    asked = strategy
    strategy = pick(strategy, STRATEGIES, problem="egg_drop")
    if k is not None:
        raise dp.InvalidInput(
            f"k={show(k)} does not apply to egg_drop: a strategy's cost is the worse (max) of "
            "its two outcomes, and the K best of a max do not follow from the K best of its "
            "parts; sol.count() and sol.witnesses() give the optimal first floors"
        )
    if strategy == "fast":
        drops = _fast(eggs, floors)
        quick = dp.Solution(
            drops, strategy="fast", lazy={"first_floor": lambda: _first_floor(eggs, floors, drops)}
        )
        return engine_later(quick, asked, lambda: solve(eggs, floors, strategy="bottom_up"))
    rec, goal = _recurrence(eggs, floors)
    reads = max(eggs - 1, 0) * floors * (floors + 1)  # two per floor tried
    sol = run(rec, goal, strategy, visits=eggs * (floors + 1), reads=reads)

    def first(each: Solution) -> int | None:
        if goal in each.choices:
            return int(each.choices[goal])
        return 1 if floors else None  # one egg: floor by floor, from the first

    return sol.with_fields(
        value=int(sol.value),
        lazy={"first_floor": lambda: first(sol)},
        labels=Labels(("eggs", "floors"), goal=goal),
        step=lambda state, x: None,  # an answer is the first floor: the walk stops there
        witness_of=lambda each: {"first_floor": first(each)},
    )


PROBLEMS = (
    dp.Problem(
        name="egg_drop",
        summary="Fewest drops that find the critical floor with k eggs, in the worst case.",
        recurrence=(
            "drops(e, 0) = 0; drops(1, f) = f; "
            "drops(e, f) = 1 + min_{1 <= x <= f} max(drops(e-1, x-1), drops(e, f-x))"
        ),
        time="O(k n^2)",
        space="O(k n)",
        example=(2, 10),
        witness=("first_floor",),
        aliases=("egg_dropping", "eggs"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
