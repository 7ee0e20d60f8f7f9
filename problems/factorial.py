"""Factorials: the number of orderings of ``n`` distinct things.

``n! = 1 * 2 * ... * n`` and ``0! = 1``. As a recurrence it is a chain, not
a tree: every state has one subproblem, so memoizing it saves nothing on a
single call (``naive`` and ``top_down`` make the same ``n + 1`` calls), and
the lesson is about what a table costs, not what it saves.

Notes
-----
Recurrence::

    0! = 1
    n! = n * (n - 1)!

Multiplying in that order costs ``O(n^2 log^2 n)`` bit operations: the
running product grows to ``n log2 n`` bits and every step multiplies it by a
small number. ``fast`` splits the work instead. Write ``n! = 2^e * odd(n)``
with ``e = n - popcount(n)``; the odd part is
``odd(n) = prod_{j >= 0} Q(floor(n / 2^j))`` where ``Q(m)`` is the product of
the odd numbers up to ``m``. Going from small ``m`` to large, each ``Q``
extends the previous one by the odd numbers in ``(m/2, m]``, a run that is
multiplied by *binary splitting* (the two halves of the run, recursively,
so the factors of every product have similar sizes). The power of two is a
single shift. The large multiplications are then few and balanced, which is
where Karatsuba pays off.

============  ============================  ===============
strategy      time                          space
============  ============================  ===============
naive         n + 1 calls, O(n^2 log^2 n)   O(n) stack
top_down      n + 1 calls, O(n^2 log^2 n)   O(n) numbers
bottom_up     n + 1 states, O(n^2 log^2 n)  O(n) numbers
fast          O(M(n log n) log n)           O(n log n) bits
============  ============================  ===============

Examples
--------
>>> from dptoolkit.problems import factorial
>>> [factorial.solve(n).value for n in range(8)]
[1, 1, 2, 6, 24, 120, 720, 5040]
>>> factorial.solve(20, strategy="bottom_up").value
2432902008176640000
>>> factorial.solve(10, strategy="naive").stats.calls
11

References
----------
.. [1] D. E. Knuth, *The Art of Computer Programming*, Vol. 1, 3rd ed.,
   Section 1.2.5, Addison-Wesley, 1997.
.. [2] P. Luschny, "Fast factorial functions", 2008
   (the odd-part / binary-splitting scheme, also used by CPython's
   ``math.factorial``).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import dptoolkit as dp
from dptoolkit._labels import labelled
from dptoolkit._validate import check_int

from ._run import NAIVE_DEPTH_LIMIT, WITH_FAST, big_product_work, run_term, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "fast_factorial", "solve"]

STRATEGIES = WITH_FAST

#: Largest ``n`` for ``strategy="naive"``: plain recursion goes ``n`` levels deep.
NAIVE_MAX_N = NAIVE_DEPTH_LIMIT


@labelled
def build(n: int) -> tuple[Recurrence, tuple[int]]:
    """The factorial recurrence and the goal state ``(n,)``.

    Examples
    --------
    >>> rec, goal = build(5)
    >>> goal, rec.solve(*goal, strategy="top_down").value, rec.trace(*goal).calls
    ((5,), 120, 6)
    """
    n = check_int("n", n)

    @dp.recurrence(states=lambda n: range(n + 1))
    def factorial(n: int) -> int:
        return 1 if n == 0 else n * factorial(n - 1)

    return factorial, (n,)


def brute_force(n: int) -> int:
    """``n!`` by counting the orderings of ``n`` items one by one (tiny ``n`` only).

    Examples
    --------
    >>> [brute_force(n) for n in range(6)]
    [1, 1, 2, 6, 24, 120]
    """
    return sum(1 for _ in itertools.permutations(range(n)))


def _odd_product(low: int, high: int) -> int:
    """The product of the odd numbers ``low, low + 2, ..., < high`` (*low* odd), split in halves."""
    count = (high - low + 1) // 2
    if count <= 16:
        product = 1
        for k in range(low, high, 2):
            product *= k
        return product
    middle = low + 2 * (count // 2)
    return _odd_product(low, middle) * _odd_product(middle, high)


def fast_factorial(n: int) -> int:
    """``n!`` as ``2^(n - popcount(n))`` times its odd part, built by binary splitting.

    Examples
    --------
    >>> fast_factorial(25)
    15511210043330985984000000
    """
    levels = []
    m = n
    while m > 1:
        levels.append(m)
        m >>= 1
    odd_part = 1
    running = 1  # Q(m): the product of the odd numbers up to m
    for m in reversed(levels):
        low = (m >> 1) + 1 | 1  # the first odd number above m / 2
        if low <= m:
            running *= _odd_product(low, m + 1)
        odd_part *= running
    return odd_part << (n - n.bit_count())


@shows_auto
def solve(n: int, *, strategy: str = "auto") -> Solution:
    """``n!``, the product of the integers ``1 .. n``.

    Parameters
    ----------
    n : int
        The last factor, ``n >= 0`` (``0! = 1``).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        How to compute it; ``"auto"`` is ``"fast"`` (binary splitting).

    Returns
    -------
    dp.Solution
        ``.value`` is ``n!``; there is no witness.

    Raises
    ------
    dptoolkit.InvalidInput
        For a negative ``n`` or an unknown strategy (``InvalidType`` for
        a non-integer ``n``, ``Fraction(5)`` and ``Decimal(5)`` included), or,
        for ``fast``, an ``n`` whose ``n!`` (about ``n log2 n`` bits) would take more than 2 GiB.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` with ``n > 300``: plain recursion has no
        memo to resume from, so its depth is the interpreter's stack.

    Examples
    --------
    >>> solve(30).value
    265252859812191058636308480000000
    """
    n = check_int("n", n)
    # n! has under n log2(n) bits; a table of 0!..n! about n^2 log2(n) / 2
    sizes = (3 * n * n.bit_length() // 8, n * n * n.bit_length() // 16)
    # the product tree: about log2(n) levels, each as costly as a product of n!'s size;
    # the table: n products of a growing number by a small one
    bits = n * n.bit_length()
    work = {
        "fast_work": big_product_work(bits) * n.bit_length(),
        "table_work": n * bits // 30,
    }
    return run_term(n, strategy, "factorial", build, fast_factorial, *sizes, **work, term="n!")


PROBLEMS = (
    dp.Problem(
        name="factorial",
        summary="n! = 1 * 2 * ... * n, exactly.",
        recurrence="0! = 1; n! = n * (n - 1)!",
        time="O(n) multiplications",
        space="O(n)",
        example=(10,),
        aliases=("factorials",),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
