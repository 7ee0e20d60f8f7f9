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

``fast`` first shrinks the instance. The coins and the amount are divided
by the coins' gcd (an amount it does not divide cannot be paid). Then, with
``m`` the largest coin and ``m2`` the next, no optimal payment holds ``m``
coins other than ``m``: some group of them sums to a multiple ``t m`` of
``m``, and ``t`` coins ``m``, fewer than the group, would pay it. So past
``T = (m - 1) m2`` every optimal payment holds a coin ``m``, and
``fewest(a) = fewest(a - m) + 1``: the amount comes down to at most ``T``
at no cost. What is left is filled as one numpy row, a coin at a time:
along each residue class ``r, r + c, r + 2c, ...`` the new count is
``min(old[k], new[k - 1] + 1) = k + min(old[j] - j for j <= k)``, a running
minimum (``np.minimum.accumulate``). The coins are read back from the row
with the recurrence's own rule (the smallest coin that can come last), plus
the coins ``m`` taken off, so every strategy gives the same coins. A row
that would need more than 2 GiB is refused.

============  ==================  ==================
strategy      time                space
============  ==================  ==================
naive         exponential calls   O(A / c_min) stack
top_down      O(k A)              O(A)
bottom_up     O(k A)              O(A)
fast          O(k min(A, m^2))    O(min(A, m^2))
============  ==================  ==================

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
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import check_int, check_numbers

from . import _one_path
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_memory, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "fast_coin_change", "solve"]

STRATEGIES = WITH_FAST


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


@labelled
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


#: Marks an amount no coins can pay in the ``fast`` row (far above any count).
_UNPAID = 1 << 62


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


def _reduced(coins: list[int], amount: int) -> tuple[list[int], int, int, int] | None:
    """``(coins, amount, scale, jumps)`` of a smaller instance with the same answer, or None.

    Divided by the gcd ``g`` of the coins (``None`` when ``g`` does not
    divide the amount: it cannot be paid). Then, with ``m`` the largest coin
    and ``m2`` the next: an optimal payment never holds ``m`` coins other
    than ``m`` (``m`` of them always contain a group whose sum ``t m`` fewer
    ``m`` coins pay), so those sum to at most ``T = (m - 1) m2``, and past
    ``T`` every optimal payment holds an ``m``: ``fewest(a) = fewest(a - m) + 1``.
    The amount is lowered by ``jumps`` coins ``m`` to at most ``T``. Adding
    the largest coin keeps the witness rule (the smallest coin that can come
    last), so the witness is the reduced one plus ``jumps`` coins ``m``.
    """
    if amount == 0:
        return coins, 0, 1, 0
    if not coins:
        return None
    g = math.gcd(*coins)
    if amount % g:
        return None
    coins, amount = [c // g for c in coins], amount // g
    m = coins[-1]
    bound = (m - 1) * (coins[-2] if len(coins) > 1 else 0)
    jumps = -(-(amount - bound) // m) if amount > bound else 0
    return coins, amount - jumps * m, g, jumps


def _fewest_row(coins: list[int], amount: int) -> Any:
    """``row[a]``: the fewest coins paying ``a`` for every ``a <= amount`` (numpy ``int64``).

    One coin at a time: along each residue class ``r, r + c, r + 2c, ...``
    the new count is ``min(old[k], new[k - 1] + 1)``, that is
    ``k + cummin(old[j] - j for j <= k)``, a running minimum down the columns
    of the row seen as a ``(blocks, c)`` matrix. Unpaid amounts hold a
    number above ``amount``.
    """
    row = np.full(amount + 1, _UNPAID, dtype=np.int64)
    row[0] = 0
    for c in coins:
        if c > amount:
            break
        blocks = -(-(amount + 1) // c)
        cells = np.full(blocks * c, _UNPAID, dtype=np.int64)
        cells[: amount + 1] = row
        grid = cells.reshape(blocks, c)
        steps = np.arange(blocks, dtype=np.int64)[:, None]
        grid -= steps
        np.minimum.accumulate(grid, axis=0, out=grid)
        grid += steps
        row = cells[: amount + 1]
    return row


def _walk_row(row: Any, coins: list[int], amount: int) -> list[int]:
    """The witness from the row: at each amount, the smallest coin that can come last."""
    counts = row.tolist() if amount <= 1 << 20 else row
    paid = []
    a = amount
    while a:
        need = counts[a] - 1
        for c in coins:
            if c <= a and counts[a - c] == need:
                paid.append(c)
                a -= c
                break
    return paid


def _solve_fast(coins: list[int], amount: int) -> Solution:
    """The ``fast`` solution; *coins* distinct and ascending."""
    reduced = _reduced(coins, amount)
    if reduced is None:
        return dp.Solution(math.inf, strategy="fast", witness={"coins": None})
    small, rest, scale, jumps = reduced
    check_memory("amount", amount, 24 * (rest + 1))  # the row and one padded copy
    row = _fewest_row(small, rest)
    count = int(row[rest])
    if count > rest:
        return dp.Solution(math.inf, strategy="fast", witness={"coins": None})

    def paid() -> list[int]:
        check_memory("amount", amount, 8 * (count + jumps))  # the list of coins itself
        coins = sorted(c * scale for c in _walk_row(row, small, rest))
        return coins + [small[-1] * scale] * jumps if jumps else coins  # the largest sorts last

    return dp.Solution(count + jumps, strategy="fast", lazy={"coins": paid})


def fast_coin_change(coins: Sequence[int], amount: int) -> int | float:
    """The fewest coins paying *amount* (``math.inf`` if none do), by a numpy row.

    The instance is reduced first (by the gcd, and a large amount brought
    down with coins of the largest denomination; see the module notes), then
    the row of every smaller amount is filled one coin at a time with
    whole-array operations. Arguments are not checked here (:func:`solve`
    checks them, and gives the coins too).

    Examples
    --------
    >>> fast_coin_change([1, 3, 4], 6)
    2
    >>> fast_coin_change([2, 5], 3)
    inf
    >>> fast_coin_change([4, 6, 9], 10**12 + 1)   # a row of at most 49 cells
    111111111113
    """
    value: int | float = _solve_fast(sorted(set(coins)), amount).value
    return value


@shows_auto
def solve(
    coins: Sequence[int], amount: int, *, strategy: str = "auto", k: int | None = None
) -> Solution:
    """The fewest coins summing exactly to *amount*, and which coins.

    Parameters
    ----------
    coins : sequence of int
        Positive denominations, each in unlimited supply (repeats are ignored).
    amount : int
        A non-negative amount.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (a numpy row over a reduced amount);
        ``"bottom_up"`` with *k*.
    k : int, optional
        Also find the *k* best ways to pay: ``sol.k_best``, best first, each
        a distinct multiset with its ``.coins`` (run on a recurrence with one
        path per multiset; ``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value`` is the number of coins (``math.inf`` when the amount
        cannot be paid); ``.coins`` lists them in ascending order (``None``
        when it cannot be paid), computed on first access.
        ``sol.count()`` and ``sol.witnesses()``: the distinct fewest-coin
        payments as multisets (``.coins`` ascending: ``[1, 2]`` and ``[2, 1]``
        are one), 0 and none when the amount cannot be paid; an ``auto``
        answer re-solves with ``bottom_up`` for them, a ``fast`` one
        refuses them.

    Raises
    ------
    dptoolkit.InvalidInput
        For a coin below 1, a negative amount, an unknown strategy
        (``InvalidType`` for non-integers), or an amount whose ``fast`` row
        (or list of coins) would need more than 2 GiB after the reduction.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would make more than a
        million calls (counted before starting).

    Examples
    --------
    >>> solve([1, 2, 5], 11).coins
    [1, 5, 5]
    >>> solve([1, 2, 5], 10**15).value   # a row of at most 9 cells
    200000000000000
    """
    denominations, amount = _check(coins, amount)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="coin_change", k=k)
    if strategy == "fast":
        return engine_later(
            _solve_fast(denominations, amount),
            asked,
            lambda: solve(denominations, amount, strategy="bottom_up"),
        )
    if k is not None:  # one path per multiset of coins (see _one_path)
        return _one_path.coin_change(denominations, amount, strategy, k)
    rec, goal = _recurrence(denominations, amount)
    sol = run(
        rec,
        goal,
        strategy,
        visits=amount // math.gcd(*denominations) + 1 if denominations else 1,  # a = amount mod g
    )

    def paid() -> list[int] | None:
        if sol.value == math.inf:
            return None
        return sorted(coin for _, coin in sol.walk(amount, lambda a, coin: a - coin))

    def coins_of(each: Solution) -> dict[str, list[int]]:
        return {"coins": sorted(coin for _, coin in each.walk(amount, lambda a, coin: a - coin))}

    labels = Labels(("amount",), goal=amount, step=lambda a, coin: a - coin)
    return sol.with_fields(
        lazy={"coins": paid},
        labels=labels,
        step=lambda a, coin: a - coin,
        witness_of=coins_of,
        count_by=lambda _: _multisets(denominations, amount),  # coins, not orders of paying
    )


def _multisets(coins: list[int], amount: int) -> int:
    """The number of distinct fewest-coin multisets paying *amount* (0 when none does).

    Every part of a fewest-coin multiset is a fewest-coin multiset of its own
    sum, so with ``F`` the fewest-coin table, the multisets of ``a`` using the
    first ``i`` denominations number ``N(a, i) = N(a, i - 1) + N(a - c_i, i)``,
    the second term only when paying ``c_i`` last is optimal
    (``F(a - c_i) + 1 == F(a)``). ``O(amount x coins)``.

    >>> _multisets([1, 2, 3], 4), _multisets([2], 3)
    (2, 0)
    """
    fewest: list[int | float] = [0] + [math.inf] * amount
    for a in range(1, amount + 1):
        fewest[a] = min((fewest[a - c] + 1 for c in coins if c <= a), default=math.inf)
    if fewest[amount] == math.inf:
        return 0
    ways = [1] + [0] * amount  # over the denominations seen so far
    for c in sorted(set(coins)):
        for a in range(c, amount + 1):
            if fewest[a - c] + 1 == fewest[a]:
                ways[a] += ways[a - c]
    return ways[amount]


PROBLEMS = (
    dp.Problem(
        name="coin_change",
        summary="The fewest coins (unlimited supply) that sum exactly to an amount.",
        recurrence="fewest(0) = 0; fewest(a) = min(fewest(a - c) + 1 for c in coins if c <= a)",
        time="O(k A)",
        space="O(A)",
        example=([1, 3, 4], 6),
        witness=("coins",),
        aliases=("change_making", "coins"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
