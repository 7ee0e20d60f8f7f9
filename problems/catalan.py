"""Catalan numbers: counting balanced parentheses, binary trees and triangulations.

``C(n)`` is the number of strings of ``n`` pairs of balanced parentheses
(Dyck words): 1, 1, 2, 5, 14, 42, 132, ... It also counts binary trees with
``n`` internal nodes, triangulations of a convex ``(n + 2)``-gon and ways to
parenthesize a product of ``n + 1`` factors.

Notes
-----
Recurrence: a non-empty Dyck word is ``( A ) B`` where ``A`` has ``i`` pairs
and ``B`` has ``n - 1 - i``, so::

    C(0) = 1
    C(n) = sum(C(i) * C(n - 1 - i) for i in 0 .. n - 1)

Plain recursion makes ``3^n`` calls; a table makes ``O(n^2)`` multiplications.
The closed form ``C(n) = binom(2n, n) / (n + 1)`` gives ``fast``: the
exponent of every prime ``p <= 2n`` in ``C(n)`` is read off Legendre's
formula, ``sum_j (floor(2n / p^j) - 2 floor(n / p^j))``, less its exponent in
``n + 1``, and the prime powers are multiplied pairwise in a balanced product
tree, so the large multiplications are few and of equal size. No division
of large numbers is needed.

============  ====================  ========
strategy      time                  space
============  ====================  ========
naive         3^n calls             O(n) stack
top_down      O(n^2) products       O(n) numbers
bottom_up     O(n^2) products       O(n) numbers
fast          O(M(n log n) log n)   O(n) bits
============  ====================  ========

Examples
--------
>>> from dptoolkit.problems import catalan
>>> [catalan.solve(n).value for n in range(10)]
[1, 1, 2, 5, 14, 42, 132, 429, 1430, 4862]
>>> catalan.solve(5, strategy="top_down").value
42
>>> catalan.solve(6, strategy="naive").stats.calls   # 3^6
729

References
----------
.. [1] R. P. Stanley, *Catalan Numbers*, Cambridge University Press, 2015.
.. [2] R. L. Graham, D. E. Knuth, O. Patashnik, *Concrete Mathematics*,
   2nd ed., Section 7.5, Addison-Wesley, 1994.
.. [3] P. Luschny, "Divide, swing and conquer the factorial and the
   lcm{1, 2, ..., n}", 2008 (prime factorization of binomials).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import dptoolkit as dp
from dptoolkit._labels import labelled
from dptoolkit._validate import check_int

from ._numbers import from_exponents, legendre
from ._run import WITH_FAST, big_product_work, run_term, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "fast_catalan", "solve"]

STRATEGIES = WITH_FAST


@labelled
def build(n: int) -> tuple[Recurrence, tuple[int]]:
    """The Catalan recurrence and the goal state ``(n,)``.

    One table holds every smaller Catalan number too:

    >>> rec, goal = build(6)
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> [int(sol.table[k]) for k in range(goal[0] + 1)]
    [1, 1, 2, 5, 14, 42, 132]
    """
    n = check_int("n", n)

    @dp.recurrence(states=lambda n: range(n + 1))
    def catalan(n: int) -> int:
        if n == 0:
            return 1
        return sum(catalan(i) * catalan(n - 1 - i) for i in range(n))

    return catalan, (n,)


def brute_force(n: int) -> int:
    """``C(n)`` by listing every string of ``2n`` parentheses and keeping the balanced ones.

    Exponential (``4^n`` strings): an independent check for small ``n``.

    Examples
    --------
    >>> [brute_force(n) for n in range(6)]
    [1, 1, 2, 5, 14, 42]
    """

    def balanced(word: tuple[str, ...]) -> bool:
        depth = 0
        for symbol in word:
            depth += 1 if symbol == "(" else -1
            if depth < 0:
                return False
        return depth == 0

    return sum(balanced(word) for word in itertools.product("()", repeat=2 * n))


def fast_catalan(n: int) -> int:
    """``C(n) = binom(2n, n) / (n + 1)`` from its prime factorization.

    Examples
    --------
    >>> fast_catalan(10)
    16796
    """

    def exponent(p: int) -> int:  # of p in (2n)! / (n!)^2, less its exponent in n + 1
        e = legendre(2 * n, p) - 2 * legendre(n, p)
        rest = n + 1
        while rest % p == 0:
            rest //= p
            e -= 1
        return e

    return from_exponents(2 * n, exponent)


@shows_auto
def solve(n: int, *, strategy: str = "auto") -> Solution:
    """The ``n``-th Catalan number.

    Parameters
    ----------
    n : int
        The number of pairs of parentheses, ``n >= 0``.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        How to compute it; ``"auto"`` is ``"fast"`` (the prime-factorized
        closed form).

    Returns
    -------
    dp.Solution
        ``.value``: ``C(n)``, an exact ``int`` (no witness: ``build`` gives
        the recurrence, to trace or to read its table).

    Raises
    ------
    dptoolkit.InvalidInput
        ``n < 0``; an unknown strategy; an ``n`` whose ``C(n)`` (about
        ``2 n`` bits) or whose table would take more than 2 GiB.
    dptoolkit.InvalidType
        ``n`` not an integer (``5.0``, ``Fraction(5)``, ``Decimal(5)``).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` past a million calls (``n > 12``), before
        any work is done.

    Examples
    --------
    >>> solve(20).value
    6564120420
    """
    n = check_int("n", n)
    # C(n) has 2 n bits, the product tree twice that; a table of C(0..n) has n^2 bits
    sizes = (3 * 2 * n // 8, n * n // 8)
    # fast: a product tree of 2n-bit results; the table: C(m) sums m products of
    # numbers up to 2m bits, n^2 / 2 products in all
    work = {
        "fast_work": big_product_work(2 * n) * max(n.bit_length(), 1),
        "table_work": n * n // 2 * big_product_work(n),
    }
    return run_term(n, strategy, "catalan", build, fast_catalan, *sizes, **work, term="C(n)")


PROBLEMS = (
    dp.Problem(
        name="catalan",
        summary="The n-th Catalan number C(n): balanced strings of n pairs of parentheses.",
        recurrence="C(0) = 1; C(n) = sum(C(i) * C(n - 1 - i) for i in 0 .. n - 1)",
        time="O(n^2) products",
        space="O(n)",
        example=(10,),
        aliases=("catalan_numbers", "dyck_words"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
