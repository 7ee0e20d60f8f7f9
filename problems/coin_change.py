"""Coin change: the fewest coins that make an amount.

Given coin denominations (positive integers, each available in unlimited
supply) and an amount, find the smallest number of coins whose values sum to
the amount exactly, and which coins they are. Greedy (largest coin first) is
right for the euro or the dollar but not in general: with coins 1, 3, 4 it
pays 6 as 4 + 1 + 1, while 3 + 3 is better. Some amounts cannot be paid at
all (3 with coins 2 and 5); their value is ``math.inf`` and their witness
``None``.

Notes
-----
Recurrence: the last coin of an optimal payment of ``a`` is some ``c <= a``,
and the rest is an optimal payment of ``a - c``::

    fewest(0) = 0
    fewest(a) = min(fewest(a - c) + 1 for c in coins if c <= a)   (inf if none)

Coins are tried from the smallest; ties keep the first, so the witness is
the payment whose *last* coin is smallest. ``amount + 1`` states, ``k``
(distinct coins) options each: time ``O(k A)``, space ``O(A)``,
pseudo-polynomial in the amount ``A``. Plain recursion makes a number of
calls that grows exponentially with ``A / max(coins)``.

There is no ``fast`` strategy: the table is already the best known general
algorithm, and every state reads ``k`` earlier ones.

============  ==================  ============
strategy      time                space
============  ==================  ============
naive         exponential calls   O(A / c_min) stack
top_down      O(k A)              O(A)
bottom_up     O(k A)              O(A)
============  ==================  ============

Examples
--------
>>> from dptoolkit.problems import coin_change
>>> sol = coin_change.solve([1, 3, 4], 6)
>>> sol.value, sol.coins
(2, [3, 3])
>>> coin_change.solve([1, 5, 10, 25], 63).coins
[1, 1, 1, 10, 25, 25]
>>> sol = coin_change.solve([2, 5], 3)
>>> sol.value, sol.coins
(inf, None)

References
----------
.. [1] T. H. Cormen et al., *Introduction to Algorithms*, 3rd ed., Problem
   16-1 ("Coin changing"), MIT Press, 2009.
.. [2] S. Dasgupta, C. Papadimitriou, U. Vazirani, *Algorithms*, Exercise
   6.17, McGraw-Hill, 2006.
.. [3] D. Kozen, S. Zaks, "Optimal bounds for the change-making problem",
   *Theoretical Computer Science* 123(2), 377-388, 1994.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import dptoolkit as dp
from dptoolkit._validate import check_int, check_numbers

from ._run import ENGINE, pick, run

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = ENGINE


def _check(coins: object, amount: object) -> tuple[list[int], int]:
    checked = check_numbers("coins", coins, allow_float=False, minimum=1)
    return sorted({int(c) for c in checked}), check_int("amount", amount)


def _recurrence(denominations: list[int], amount: int) -> tuple[Recurrence, tuple[int]]:
    """The recurrence on validated input (see :func:`build`)."""

    @dp.recurrence(states=lambda a: range(a + 1))
    def fewest(a: int) -> int | float:
        if a == 0:
            return 0
        options = [(fewest(a - c) + 1, c) for c in denominations if c <= a]
        return dp.choose(options, best=min) if options else math.inf

    return fewest, (amount,)


def build(coins: Sequence[int], amount: int) -> tuple[Recurrence, tuple[int]]:
    """The coin-change recurrence for these coins, and the goal state ``(amount,)``.

    Each state records the coin it pays last.

    Examples
    --------
    >>> rec, goal = build([1, 3, 4], 6)
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[6], sol.choices[3]
    (2, 3, 3)
    """
    return _recurrence(*_check(coins, amount))


def brute_force(coins: Sequence[int], amount: int) -> tuple[int | float, list[int] | None]:
    """Fewest coins by trying every multiset of coins, smallest multisets first.

    Exponential: small amounts only.

    Examples
    --------
    >>> brute_force([1, 3, 4], 6)
    (2, [3, 3])
    >>> brute_force([2], 3)
    (inf, None)
    """
    denominations = sorted(set(coins))
    if amount == 0:
        return 0, []
    if not denominations:
        return math.inf, None
    for count in range(1, amount // denominations[0] + 1):
        for combo in itertools.combinations_with_replacement(denominations, count):
            if sum(combo) == amount:
                return count, list(combo)
    return math.inf, None


def solve(coins: Sequence[int], amount: int, *, strategy: str = "auto") -> Solution:
    """The fewest coins summing exactly to *amount*, and which coins.

    Parameters
    ----------
    coins : sequence of int
        Positive denominations, each in unlimited supply (repeats are ignored).
    amount : int
        A non-negative amount.
    strategy : {"auto", "naive", "top_down", "bottom_up"}
        ``"auto"`` is ``"bottom_up"``.

    Returns
    -------
    dp.Solution
        ``.value`` is the number of coins (``math.inf`` when the amount
        cannot be paid); ``.coins`` lists them in ascending order (``None``
        when it cannot be paid), computed on first access.

    Raises
    ------
    dptoolkit.InvalidInput
        For a coin below 1, a negative amount or an unknown strategy
        (``InvalidType`` for non-integers).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would make more than a
        million calls (counted before starting).

    Examples
    --------
    >>> solve([1, 2, 5], 11).coins
    [1, 5, 5]
    """
    denominations, amount = _check(coins, amount)
    strategy = pick(strategy, STRATEGIES, problem="coin_change")
    rec, goal = _recurrence(denominations, amount)
    sol = run(rec, goal, strategy, children=lambda a: [a - c for c in denominations if c <= a])

    def paid() -> list[int] | None:
        if sol.value == math.inf:
            return None
        return sorted(coin for _, coin in sol.walk(amount, lambda a, coin: a - coin))

    return sol.with_fields(lazy={"coins": paid})


PROBLEMS = (
    dp.Problem(
        name="coin_change",
        summary="The fewest coins (unlimited supply) that sum exactly to an amount.",
        recurrence="fewest(0) = 0; fewest(a) = min(fewest(a - c) + 1 for c in coins if c <= a)",
        time="O(k A)",
        space="O(A)",
        strategies=STRATEGIES,
        solve=solve,
        module=__name__,
        example=([1, 3, 4], 6),
        witness=("coins",),
        build=build,
        aliases=("change_making", "coins"),
    ),
)
