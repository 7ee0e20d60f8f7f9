"""Fibonacci numbers: the smallest recurrence with overlapping subproblems.

``F(0) = 0``, ``F(1) = 1`` and every later number is the sum of the two
before it: 0, 1, 1, 2, 3, 5, 8, 13, ... ``F(n)`` also counts the ways to
tile a strip of length ``n - 1`` with squares and dominoes, which is how the
tests check it without the recurrence.

Notes
-----
Recurrence::

    F(n) = n                      if n < 2
    F(n) = F(n - 1) + F(n - 2)    otherwise

Plain recursion (``naive``) makes ``2 F(n + 1) - 1`` calls, exponential in
``n``; memoized (``top_down``) or tabulated (``bottom_up``) it makes one
addition per state, ``O(n)`` additions of numbers up to ``0.694 n`` bits.

``fast`` uses *fast doubling*: from ``F(k)`` and ``F(k - 1)``,

    F(2k + 1) = 4 F(k)^2 - F(k - 1)^2 + 2 (-1)^k
    F(2k - 1) = F(k)^2 + F(k - 1)^2
    F(2k)     = F(2k + 1) - F(2k - 1)

so each bit of ``n`` costs two *squarings* (cheaper than general products in
CPython, whose Karatsuba multiplication shares the split halves when both
factors are the same object), and the last, largest step needs a single
product: ``F(2k) = F(k) (F(k) + 2 F(k - 1))`` or
``F(2k + 1) = (2 F(k) + F(k - 1)) (2 F(k) - F(k - 1)) + 2 (-1)^k``. The cost
is ``O(M(n))``, a constant number of multiplications of ``n``-bit numbers,
and the largest step dominates. This is the scheme of GMP's ``mpz_fib_ui``.
Products of factors above ``FFT_BITS`` (2^18 bits) are done by a numpy
floating-point FFT on 8-bit digits, checked, which beats CPython's Karatsuba
at that size.

============  =========================  ========
strategy      time                       space
============  =========================  ========
naive         O(phi^n) calls             O(n) stack
top_down      O(n) additions             O(n) numbers
bottom_up     O(n) additions             O(n) numbers
fast          O(M(n)) (fast doubling)    O(n) bits
============  =========================  ========

Examples
--------
>>> from dptoolkit.problems import fibonacci
>>> fibonacci.solve(10).value
55
>>> [fibonacci.solve(n, strategy="bottom_up").value for n in range(10)]
[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
>>> fibonacci.solve(100).value
354224848179261915075
>>> fibonacci.solve(20, strategy="naive").stats.calls   # 2 F(21) - 1
21891

References
----------
.. [1] D. E. Knuth, *The Art of Computer Programming*, Vol. 1, 3rd ed.,
   Section 1.2.8, Addison-Wesley, 1997.
.. [2] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Problem 31-3, MIT Press, 2009.
.. [3] D. Takahashi, "A fast algorithm for computing large Fibonacci
   numbers", *Information Processing Letters* 75(6), 243-246, 2000.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import labelled
from dptoolkit._validate import check_int

from ._run import WITH_FAST, big_product_work, run_term, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "fast_fibonacci", "solve"]

STRATEGIES = WITH_FAST


@labelled
def build(n: int) -> tuple[Recurrence, tuple[int]]:
    """The Fibonacci recurrence and the goal state ``(n,)``.

    Parameters
    ----------
    n : int
        Which Fibonacci number, ``n >= 0``.

    Returns
    -------
    (Recurrence, tuple)
        The ``@dp.recurrence`` (states ``0 .. n``) and the goal ``(n,)``.

    Examples
    --------
    >>> rec, goal = build(12)
    >>> rec.solve(*goal, strategy="top_down").value
    144
    """
    n = check_int("n", n)

    @dp.recurrence(states=lambda n: range(n + 1))
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return fib, (n,)


#: Factors at least this many bits are multiplied by numpy's FFT (below, Karatsuba wins).
FFT_BITS = 1 << 18

_CHECK_MODULUS = (1 << 61) - 1


def brute_force(n: int) -> int:
    """``F(n)`` by counting tilings of a ``1 x (n - 1)`` strip with squares and dominoes.

    Exponential: every sequence of 1s and 2s summing to ``n - 1`` is listed,
    so it is an independent check of the recurrence for small ``n`` only.

    Examples
    --------
    >>> [brute_force(n) for n in range(8)]
    [0, 1, 1, 2, 3, 5, 8, 13]
    """
    if n == 0:
        return 0
    length = n - 1
    count = 0
    for parts in range(length + 1):
        for tiling in itertools.product((1, 2), repeat=parts):
            count += sum(tiling) == length
    return count


def _multiply(x: int, y: int) -> int:
    """``x * y`` for non-negative ints; the largest products go through a float FFT.

    The factors are cut into bytes and convolved with ``numpy.fft``: with
    8-bit digits and fewer than 2^20 of them, every exact coefficient is below
    2^37 and the floating-point error stays far below 1/2, so rounding gives
    the exact convolution. The result is still checked (every coefficient
    close to an integer, and the product modulo 2^61 - 1), falling back to
    ``x * y`` on any doubt.
    """
    if min(x.bit_length(), y.bit_length()) < FFT_BITS:
        return x * y
    size = (max(x.bit_length(), y.bit_length()) + 7) // 8
    length = 1 << (2 * size - 1).bit_length()
    spectrum_x = np.fft.rfft(np.frombuffer(x.to_bytes(size, "little"), np.uint8), length)
    spectrum_y = np.fft.rfft(np.frombuffer(y.to_bytes(size, "little"), np.uint8), length)
    exact = np.fft.irfft(spectrum_x * spectrum_y, length)[: 2 * size]
    rounded = np.rint(exact)
    if np.abs(exact - rounded).max() > 0.125:
        return x * y
    digits = rounded.astype(np.int64)  # each < 2^37: carry them as five byte planes
    product = 0
    for plane in range(5):
        part = ((digits >> (8 * plane)) & 0xFF).astype(np.uint8).tobytes()
        product += int.from_bytes(part, "little") << (8 * plane)
    m = _CHECK_MODULUS
    if product % m != (x % m) * (y % m) % m:
        return x * y
    return product


def fast_fibonacci(n: int) -> int:
    """``F(n)`` exactly, by fast doubling with two squarings per bit of *n*.

    Parameters
    ----------
    n : int
        A non-negative integer (not validated here; :func:`solve` checks).

    Returns
    -------
    int
        The ``n``-th Fibonacci number.

    Examples
    --------
    >>> fast_fibonacci(90)
    2880067194370816120
    """
    if n == 0:
        return 0
    # Invariant: f = F(k), g = F(k - 1), with k the prefix of n's bits read so far.
    f, g, k_odd = 1, 0, True
    bits = bin(n)[3:]  # after the leading 1, which is k = 1
    for position, bit in enumerate(bits):
        sign = -2 if k_odd else 2  # 2 (-1)^k
        if position == len(bits) - 1:  # the largest step: one product, not two squares
            if bit == "1":
                return _multiply((f << 1) + g, (f << 1) - g) + sign
            return _multiply(f, f + (g << 1))
        f2, g2 = f * f, g * g
        odd = (f2 << 2) - g2 + sign  # F(2k + 1)
        before = f2 + g2  # F(2k - 1)
        if bit == "1":
            f, g, k_odd = odd, odd - before, True
        else:
            f, g, k_odd = odd - before, before, False
    return f  # n == 1


@shows_auto
def solve(n: int, *, strategy: str = "auto") -> Solution:
    """The ``n``-th Fibonacci number, ``F(0) = 0, F(1) = 1``.

    Parameters
    ----------
    n : int
        The index, ``n >= 0``.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (fast doubling, ``O(log n)`` big products).

    Returns
    -------
    dp.Solution
        ``.value`` is ``F(n)``; there is no witness.

    Raises
    ------
    dptoolkit.InvalidInput
        For a negative ``n`` or an unknown strategy (``InvalidType`` for
        a non-integer ``n``, ``Fraction(5)`` and ``Decimal(5)`` included), or,
        for ``fast``, an ``n`` whose ``F(n)`` (about ``0.69 n`` bits) would take more than 2 GiB.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would make more than
        a million calls (``n > 27``), before any work is done.

    Examples
    --------
    >>> solve(30).value
    832040
    >>> solve(30, strategy="top_down").value
    832040
    """
    n = check_int("n", n)
    # F(n) has 0.69 n bits, two more numbers that size; a table of F(0..n) n^2 / 3 bits
    sizes = (3 * n // 8, n * n // 23)
    # fast doubling: a few products at each of log2(n) sizes, the last dominating;
    # the table: n additions of numbers up to 0.69 n bits
    work = {"fast_work": 4 * big_product_work(n * 7 // 10), "table_work": n * n // 43}
    return run_term(n, strategy, "fibonacci", build, fast_fibonacci, *sizes, **work, term="F(n)")


PROBLEMS = (
    dp.Problem(
        name="fibonacci",
        summary="The n-th Fibonacci number F(n), exactly.",
        recurrence="F(n) = n if n < 2 else F(n - 1) + F(n - 2)",
        time="O(n) additions",
        space="O(n)",
        example=(10,),
        aliases=("fib", "fibonacci_numbers"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
