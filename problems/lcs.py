"""Longest common subsequence: the longest sequence found, in order, inside both inputs.

A *subsequence* of ``a`` keeps some of its items in their order, not
necessarily next to each other. The longest common subsequence (LCS) of
``ABCBDAB`` and ``BDCABA`` has length 4 (``BCBA``, ``BDAB`` and ``BCAB`` all
qualify). It is the core of ``diff``: the lines outside an LCS are the
changed ones. Items are characters of a string or hashable values of a list
or tuple, compared with ``==``.

The witness ``.sequence`` is one longest common subsequence, of the type of
``a``: a ``str`` for strings, ``bytes`` for bytes, a ``tuple`` for tuples,
otherwise a ``list``.

Notes
-----
Recurrence, with ``L(i, j)`` the LCS length of the prefixes ``a[:i]`` and
``b[:j]``::

    L(i, 0) = L(0, j) = 0
    L(i, j) = L(i-1, j-1) + 1              if a[i-1] == b[j-1]
    L(i, j) = max(L(i-1, j), L(i, j-1))    otherwise

Taking a matching last pair is always safe: some LCS of the prefixes ends
with it. The goal is ``L(len(a), len(b))`` over an ``(n+1) x (m+1)`` grid;
the sequence is read back from the recorded choices by one walk from the
goal (ties drop ``a``'s item first).

``fast`` computes the length with the bit-vector algorithm of Allison and
Dix [3]_ in the form of Hyyrö [4]_: with ``b``'s positions as bits of a
Python integer ``V`` (initially all ones) and ``M`` the mask of positions
holding the next item of ``a``, ``V <- (V + (V & M)) | (V - (V & M))``; the
length is the number of zero bits at the end. The sequence comes from
Hirschberg's divide and conquer [2]_ on those bit-parallel rows, in linear
space, only when ``.sequence`` is read.

==========  ================================  =================
strategy    time                              space
==========  ================================  =================
naive       O(2^(n+m)) calls                  O(n + m) stack
top_down    O(n m)                            O(n m)
bottom_up   O(n m)                            O(n m)
fast        O(n m / w), w = 30-bit digits     O(n + m)
==========  ================================  =================

Examples
--------
>>> from dptoolkit.problems import lcs
>>> sol = lcs.solve("ABCBDAB", "BDCABA")
>>> sol.value
4
>>> sol.sequence
'BCBA'
>>> lcs.solve("ABCBDAB", "BDCABA", strategy="bottom_up").sequence
'BCBA'
>>> lcs.solve(("x", 1, "y", 2), [1, 2, "y"]).sequence   # a tuple, as a is
(1, 'y')

References
----------
.. [1] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Section 15.4, MIT Press, 2009.
.. [2] D. S. Hirschberg, "A linear space algorithm for computing maximal common
   subsequences", *Communications of the ACM* 18(6), 341-343, 1975.
.. [3] L. Allison and T. I. Dix, "A bit-string longest-common-subsequence
   algorithm", *Information Processing Letters* 23(5), 305-310, 1986.
.. [4] H. Hyyrö, "Bit-parallel LCS-length computation revisited", Proc. 15th
   Australasian Workshop on Combinatorial Algorithms, 16-27, 2004.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import labelled, pair_step, prefixes
from dptoolkit._validate import check_sequence

from . import _one_path, _strings
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_symbols, run, same_type, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = [
    "PROBLEMS",
    "brute_force",
    "build",
    "fast_lcs",
    "fast_lcs_length",
    "is_subsequence",
    "solve",
]

STRATEGIES = WITH_FAST


@labelled
def build(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[Recurrence, tuple[int, int]]:
    """The LCS recurrence for ``a`` and ``b``, and the goal ``(len(a), len(b))``.

    Examples
    --------
    >>> rec, goal = build("AGGTAB", "GXTXAYB")
    >>> rec.solve(*goal, strategy="top_down").value
    4
    """
    a = check_symbols("a", a)
    b = check_symbols("b", b)

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def length(i: int, j: int) -> int:
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return dp.choose([(length(i - 1, j - 1) + 1, "match")], best=max)  # type: ignore[no-any-return]
        return dp.choose(  # type: ignore[no-any-return]
            [(length(i - 1, j), "skip_a"), (length(i, j - 1), "skip_b")], best=max
        )

    return length, (len(a), len(b))


def _walk(choices: Any, n: int, m: int) -> list[int]:
    """Indices into ``a`` of the LCS, read back from the recorded choices."""
    picked: list[int] = []
    i, j = n, m
    while i and j:
        label = state(choices, (i, j))
        if label == "match":
            picked.append(i - 1)
            i, j = i - 1, j - 1
        elif label == "skip_a":
            i -= 1
        else:
            j -= 1
    picked.reverse()
    return picked


def _as_type(a: Sequence[Hashable], indices: Sequence[int]) -> Sequence[Hashable]:
    return same_type(a, [a[k] for k in indices])


def brute_force(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The LCS length by trying every subsequence of the shorter input (exponential).

    Independent of the recurrence: subsequences of ``a`` are listed longest
    first, and the first that is also a subsequence of ``b`` wins.

    Examples
    --------
    >>> brute_force("ABCBDAB", "BDCABA")
    4
    """
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    for size in range(len(short), 0, -1):
        for picked in itertools.combinations(short, size):
            if is_subsequence(picked, other):
                return size
    return 0


def is_subsequence(small: Sequence[Hashable], big: Sequence[Hashable]) -> bool:
    """Whether ``small`` occurs in ``big`` in order (not necessarily contiguously).

    Examples
    --------
    >>> is_subsequence("ace", "abcde"), is_subsequence("aec", "abcde")
    (True, False)
    """
    small = check_sequence("small", small)
    items = iter(check_sequence("big", big))
    return all(any(x == y for y in items) for x in small)


def fast_lcs_length(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The LCS length by the bit-vector algorithm (linear space).

    Examples
    --------
    >>> fast_lcs_length("XMJYAUZ", "MZJAWXU")
    4
    """
    return _strings.lcs_length(*_strings.encode(a, b))


def fast_lcs(a: Sequence[Hashable], b: Sequence[Hashable]) -> Sequence[Hashable]:
    """One longest common subsequence, by Hirschberg's method on bit-parallel rows.

    Examples
    --------
    >>> fast_lcs("XMJYAUZ", "MZJAWXU")
    'MJAU'
    """
    pairs = _strings.lcs_pairs(*_strings.encode(a, b))
    return _as_type(a, [i for i, _ in pairs])


@shows_auto
def solve(
    a: Sequence[Hashable], b: Sequence[Hashable], *, strategy: str = "auto", k: int | None = None
) -> Solution:
    """The length of a longest common subsequence of ``a`` and ``b``, and one such sequence.

    Parameters
    ----------
    a, b : sequence of hashable
        ``str``, ``bytes``, ``list`` or ``tuple`` (any iterable is read once).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* longest distinct common subsequences (shorter ones
        and the empty one included): ``sol.k_best``, best first, each with
        its ``.sequence`` (run on a recurrence with one path per
        subsequence; ``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value``: the length. ``.sequence``: one LCS, of ``a``'s type
        (``str``, ``bytes``, ``tuple``, else ``list``), built on first access.
        ``sol.witnesses()``: every distinct longest common subsequence, and
        ``sol.count()`` their number (distinct sequences, not embeddings); an
        ``auto`` answer re-solves with ``bottom_up`` for them, a ``fast`` one
        refuses them.

    Raises
    ------
    dptoolkit.InvalidType
        For ``None`` or a non-sequence, or an unhashable item.
    dptoolkit.InvalidInput
        For a NaN item or an unknown strategy.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` when plain recursion would pass a million calls.

    Examples
    --------
    >>> solve("dynamic", "programming").sequence
    'ami'
    >>> solve([1, 2, 3], [3, 2, 1], strategy="naive").value
    1
    """
    a = check_symbols("a", a)
    b = check_symbols("b", b)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="lcs", k=k)
    if strategy == "fast":
        codes = _strings.encode(a, b)

        def sequence() -> Sequence[Hashable]:
            return _as_type(a, [i for i, _ in _strings.lcs_pairs(*codes)])

        return engine_later(
            dp.Solution(_strings.lcs_length(*codes), strategy="fast", lazy={"sequence": sequence}),
            asked,
            lambda: solve(a, b, strategy="bottom_up"),
        )
    if k is not None:  # one path per common subsequence (see _one_path)
        return _one_path.lcs(a, b, strategy, k)
    rec, goal = build(a, b)
    sol = run(rec, goal, strategy, visits=(len(a) + 1) * (len(b) + 1))
    choices = sol.choices
    return sol.with_fields(
        value=int(sol.value),
        lazy={"sequence": lambda: _as_type(a, _walk(choices, *goal))},
        step=_step,
        witness_of=lambda each: {"sequence": _as_type(a, _walk(each.choices, *goal))},
        count_by=lambda _: _distinct(a, b),  # sequences, not embeddings
        labels=prefixes(a, b, goal=goal, step=pair_step),
    )


def _step(state: tuple[int, int], label: str) -> tuple[int, int]:
    i, j = state
    if label == "skip_a":
        return i - 1, j
    if label == "skip_b":
        return i, j - 1
    return i - 1, j - 1


def _distinct(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The number of distinct longest common subsequences, in ``O(len(a) len(b))``.

    With ``L`` the LCS length and ``N`` the count of distinct ones of two
    prefixes: when the last items agree every LCS ends with it, so
    ``N(i, j) = N(i-1, j-1)``; else ``N`` comes from the longer side, or both
    when they tie, less what both share: the LCSs of ``a[:i-1]`` and
    ``b[:j-1]`` when those are as long.

    >>> _distinct("aabb", "ab"), _distinct("abc", "acb")
    (1, 2)
    """
    m = len(b)
    length = [[0] * (m + 1) for _ in range(len(a) + 1)]
    count = [[1] * (m + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        up_l, row_l = length[i - 1], length[i]
        up_n, row_n = count[i - 1], count[i]
        for j in range(1, m + 1):
            if a[i - 1] == b[j - 1]:
                row_l[j], row_n[j] = up_l[j - 1] + 1, up_n[j - 1]
            elif up_l[j] > row_l[j - 1]:
                row_l[j], row_n[j] = up_l[j], up_n[j]
            elif up_l[j] < row_l[j - 1]:
                row_l[j], row_n[j] = row_l[j - 1], row_n[j - 1]
            else:
                shared = up_n[j - 1] if up_l[j - 1] == up_l[j] else 0
                row_l[j], row_n[j] = up_l[j], up_n[j] + row_n[j - 1] - shared
    return count[len(a)][m]


PROBLEMS = (
    dp.Problem(
        name="lcs",
        summary="Length of a longest common subsequence of two sequences, with one.",
        recurrence=(
            "L(i, j) = L(i-1, j-1) + 1 if a[i-1] == b[j-1] "
            "else max(L(i-1, j), L(i, j-1)); L(i, 0) = L(0, j) = 0"
        ),
        time="O(n m)",
        space="O(n m)",
        example=("ABCBDAB", "BDCABA"),
        witness=("sequence",),
        aliases=("longest_common_subsequence",),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
