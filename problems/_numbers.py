"""Exact big numbers from their prime factorization (private to :mod:`dptoolkit.problems`).

A binomial ``C(n, k)`` has about ``n`` bits; multiplying out its prime powers
in a balanced product tree keeps the large multiplications few and of equal
size, which CPython's Karatsuba rewards. Catalan numbers and lattice-path
counts are built this way.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["binomial", "from_exponents", "legendre", "primes_upto", "product"]

#: Below this ``n``, ``math.comb`` is quicker than factorizing.
_SMALL = 4096


def primes_upto(limit: int) -> list[int]:
    """The primes ``<= limit`` (a numpy sieve of Eratosthenes).

    >>> primes_upto(20)
    [2, 3, 5, 7, 11, 13, 17, 19]
    """
    if limit < 2:
        return []
    sieve = np.ones(limit + 1, dtype=bool)
    sieve[:2] = False
    for p in range(2, math.isqrt(limit) + 1):
        if sieve[p]:
            sieve[p * p :: p] = False
    return [int(p) for p in np.flatnonzero(sieve)]


def product(factors: list[int]) -> int:
    """The product of *factors*, multiplied pairwise in a balanced tree.

    >>> product([2, 3, 5, 7])
    210
    """
    if not factors:
        return 1
    while len(factors) > 1:
        paired = [a * b for a, b in zip(factors[::2], factors[1::2], strict=False)]
        if len(factors) % 2:
            paired.append(factors[-1])
        factors = paired
    return factors[0]


def from_exponents(limit: int, exponent: Callable[[int], int]) -> int:
    """``prod p ** exponent(p)`` over the primes ``p <= limit`` (exponents ``>= 0``).

    >>> from_exponents(5, lambda p: 2 if p == 3 else 0)
    9
    """
    powers = []
    for p in primes_upto(limit):
        e = exponent(p)
        if e:
            powers.append(p if e == 1 else p**e)
    return product(powers)


def legendre(n: int, p: int) -> int:
    """The exponent of the prime *p* in ``n!``.

    >>> legendre(10, 2)
    8
    """
    total = 0
    while n:
        n //= p
        total += n
    return total


def binomial(n: int, k: int) -> int:
    """``C(n, k)`` exactly (0 when ``k`` is outside ``0 .. n``).

    >>> binomial(10, 3), binomial(3, 5)
    (120, 0)
    >>> binomial(5000, 2500) == math.comb(5000, 2500)
    True
    """
    if k < 0 or k > n:
        return 0
    k = min(k, n - k)
    if n < _SMALL or k < 64:
        return math.comb(n, k)
    return from_exponents(n, lambda p: legendre(n, p) - legendre(k, p) - legendre(n - k, p))
