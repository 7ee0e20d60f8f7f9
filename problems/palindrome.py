"""Longest palindromic subsequence: the longest part of a sequence that reads the same backwards.

A subsequence keeps some items of ``s`` in order (not necessarily next to
each other); it is a palindrome when it equals its reverse. In
``"character"`` the longest has length 5: ``"carac"`` (CLRS [1]_,
Problem 15-2). The problem is an interval DP on one string: each state is a
stretch ``s[i .. j]``.

Notes
-----
Recurrence, with ``L(i, j)`` the answer for ``s[i .. j]`` (both ends
included, ``0 <= i <= j < n``)::

    L(i, i) = 1
    L(i, j) = 2                                  if s[i] == s[j] and j == i + 1
    L(i, j) = L(i + 1, j - 1) + 2                if s[i] == s[j]
    L(i, j) = max(L(i + 1, j), L(i, j - 1))      otherwise

Equal ends are always worth keeping (an exchange argument: any palindrome
of ``s[i .. j]`` can be made to use both). The states are the intervals of
``dp.intervals(n)``, shortest first; each records ``"pair"``,
``"skip_left"`` or ``"skip_right"`` (ties skip the left end), and the
palindrome is read back from ``(0, n - 1)``: the paired ends outside in,
then the middle item if the walk ends on a single one. ``n (n + 1) / 2``
states of ``O(1)`` work: time and space ``O(n^2)``.

``fast`` uses that ``L(0, n - 1)`` is the length of a longest common
subsequence of ``s`` and its reverse, which the catalog's bit-parallel LCS
finds in ``O(n^2 / w)`` word operations and linear space. That common
subsequence need not be a palindrome itself, so the witness is built
separately, on first access, from a numpy table of the recurrence filled a
diagonal at a time (``n^2`` small integers; refused past 2 GiB).

============  =========================  ============
strategy      time                       space
============  =========================  ============
naive         O(2^n) calls               O(n) stack
top_down      O(n^2)                     O(n^2)
bottom_up     O(n^2)                     O(n^2)
fast          O(n^2 / 64) bit-parallel   O(n); O(n^2) for the witness
============  =========================  ============

Examples
--------
CLRS Problem 15-2's example ``"character"`` (answer ``"carac"``), and a
longer one:

>>> from dptoolkit.problems import palindrome
>>> sol = palindrome.solve("BBABCBCAB")
>>> sol.value, sol.sequence
(7, 'BACBCAB')
>>> palindrome.solve("character", strategy="bottom_up").sequence
'carac'
>>> palindrome.solve([1, 2, 3, 2, 9, 1]).sequence
[1, 2, 3, 2, 1]

References
----------
.. [1] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Problem 15-2 ("Longest palindrome
   subsequence"), MIT Press, 2009.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled

from . import _one_path, _strings
from ._answers import engine_later, pick_k
from ._run import (
    WITH_FAST,
    check_memory,
    check_symbols,
    run,
    same_type,
    shows_auto,
    state,
    wiring,
)

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "is_palindrome", "solve"]

STRATEGIES = WITH_FAST

State = tuple[int, int]


def _check(s: object) -> Sequence[Hashable]:
    return check_symbols("s", s)


def _recurrence(s: Sequence[Hashable]) -> tuple[Recurrence, State]:
    """The recurrence on a validated sequence (see :func:`build`)."""

    @dp.recurrence(states=lambda i, j: dp.intervals(j + 1))
    def longest(i: int, j: int) -> int:
        if i == j:
            return 1
        if s[i] == s[j]:
            inner = longest(i + 1, j - 1) if j > i + 1 else 0
            paired: int = dp.choose([(inner + 2, "pair")], best=max)
            return paired
        options = [(longest(i + 1, j), "skip_left"), (longest(i, j - 1), "skip_right")]
        best: int = dp.choose(options, best=max)
        return best

    return longest, (0, len(s) - 1)


@labelled
def build(s: Sequence[Hashable]) -> tuple[Recurrence, State]:
    """The interval recurrence for a non-empty ``s``, and its goal ``(0, len(s) - 1)``.

    Examples
    --------
    >>> rec, goal = build("abca")
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[goal], sol.choices[1, 2]
    (3, 'pair', 'skip_left')
    """
    seq = _check(s)
    if not seq:
        raise dp.InvalidInput(
            "s='' has no intervals to build a recurrence on; it must be non-empty"
        )
    return _recurrence(seq)


def _indices(label_of: Any, n: int) -> list[int]:
    """Indices of the palindrome, read from each interval's label (``label_of(i, j)``)."""
    left: list[int] = []
    right: list[int] = []
    i, j = 0, n - 1
    while i < j:
        label = label_of(i, j)
        if label == "pair":
            left.append(i)
            right.append(j)
            i, j = i + 1, j - 1
        elif label == "skip_left":
            i += 1
        else:
            j -= 1
    middle = [i] if i == j else []
    return left + middle + right[::-1]


def is_palindrome(seq: Sequence[Hashable]) -> bool:
    """Whether *seq* reads the same backwards.

    Examples
    --------
    >>> is_palindrome("racecar"), is_palindrome([1, 2])
    (True, False)
    """
    items = list(check_symbols("seq", seq))
    return items == items[::-1]


def brute_force(s: Sequence[Hashable]) -> int:
    """The length of a longest palindromic subsequence, trying every subsequence (exponential).

    Examples
    --------
    >>> brute_force("character")
    5
    """
    items = list(s)
    for size in range(len(items), 0, -1):
        for picked in itertools.combinations(items, size):
            if list(picked) == list(picked)[::-1]:
                return size
    return 0


def _fast_table(s: Sequence[Hashable]) -> Any:
    """``L`` and the labels for every interval, a diagonal at a time in numpy.

    Returns an ``n x n`` int8 array of labels: 0 pair, 1 skip_left, 2 skip_right.
    """
    n = len(s)
    codes = _strings.encode(s, s[:0])[0]
    dtype = np.int16 if n < 2**15 else np.int32
    length = np.zeros((n + 1, n + 1), dtype=dtype)  # length[i, j + 1] = L(i, j); 0 when empty
    label = np.zeros((n, n), dtype=np.int8)
    idx = np.arange(n)
    length[idx, idx + 1] = 1
    for d in range(1, n):
        i = idx[: n - d]
        j = i + d
        inner = length[i + 1, j]  # L(i + 1, j - 1)
        drop_left = length[i + 1, j + 1]
        drop_right = length[i, j]
        same = codes[i] == codes[j]
        right_better = drop_right > drop_left
        length[i, j + 1] = np.where(same, inner + 2, np.maximum(drop_left, drop_right))
        label[i, j] = np.where(same, 0, np.where(right_better, 2, 1))
    return label


_NAMES = ("pair", "skip_left", "skip_right")


@shows_auto
def solve(s: Sequence[Hashable], *, strategy: str = "auto", k: int | None = None) -> Solution:
    """The length of a longest palindromic subsequence of *s*, and one.

    Parameters
    ----------
    s : sequence of hashable
        ``str``, ``bytes``, ``list`` or ``tuple`` (any iterable is read once).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.
    k : int, optional
        Also find the *k* longest distinct palindromic subsequences (shorter
        ones and the empty one included): ``sol.k_best``, best first, each
        with its ``.sequence`` (run on a recurrence with one path per
        palindrome; ``fast`` is refused with *k*, ``auto`` runs ``bottom_up``). ``sol.count()`` and
        ``sol.witnesses()``: the distinct longest palindromic subsequences (an
        ``auto`` answer re-solves with ``bottom_up`` for them).

    Returns
    -------
    dp.Solution
        ``.value``: the length. ``.sequence``: one longest palindromic
        subsequence, of ``s``'s type (``str``, ``bytes``, ``tuple``, else
        ``list``), built on first access.

    Raises
    ------
    dptoolkit.InvalidType
        For ``None``, a non-sequence or an unhashable item.
    dptoolkit.InvalidInput
        For a NaN item, an unknown strategy, or a ``fast`` witness table
        past 2 GiB.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` past a million calls (20 distinct
        items), and ``top_down``/``bottom_up`` past 2**25 states.

    Examples
    --------
    >>> solve("").value, solve("").sequence
    (0, '')
    >>> solve("racecar", strategy="top_down").sequence
    'racecar'
    """
    seq = _check(s)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="palindrome", k=k)
    n = len(seq)
    if n == 0 and k is None:
        return dp.Solution(0, strategy=strategy, witness={"sequence": same_type(seq, [])})
    if strategy == "fast":
        a, b = _strings.encode(seq, seq[::-1])

        def sequence() -> Sequence[Hashable]:
            check_memory("s", s, 3 * n * n + 16 * n)
            labels = _fast_table(seq)
            picked = _indices(lambda i, j: _NAMES[labels[i, j]], n)
            return same_type(seq, [seq[k] for k in picked])

        return engine_later(
            dp.Solution(_strings.lcs_length(a, b), strategy="fast", lazy={"sequence": sequence}),
            asked,
            lambda: solve(seq, strategy="bottom_up"),
        )
    if k is not None:  # one path per palindrome (see _one_path)
        return _one_path.palindrome(seq, strategy, k)
    rec, goal = _recurrence(seq)
    sol = run(rec, goal, strategy, visits=n * (n + 1) // 2)
    choices = sol.choices

    def witness() -> Sequence[Hashable]:
        picked = _indices(lambda i, j: state(choices, (i, j)), n)
        return same_type(seq, [seq[k] for k in picked])

    ends = tuple(str(x)[:3] for x in seq)  # row i and column j: the interval seq[i] .. seq[j]
    labels = Labels(("from i", "to j"), (ends, ends), goal=goal)

    def sequence_of(each: Solution) -> dict[str, Sequence[Hashable]]:
        picked = _indices(lambda i, j: state(each.choices, (i, j)), n)
        return {"sequence": same_type(seq, [seq[k] for k in picked])}

    return sol.with_fields(
        value=int(sol.value),
        lazy={"sequence": witness},
        labels=labels,
        step=_step,
        witness_of=sequence_of,
        count_by=lambda _: _distinct(seq),  # palindromes, not their embeddings
    )


def _step(state: State, label: str) -> State | None:
    i, j = state
    if label == "skip_left":
        return i + 1, j
    if label == "skip_right":
        return i, j - 1
    return (i + 1, j - 1) if j > i + 1 else None


def _distinct(s: Sequence[Hashable]) -> int:
    """The number of distinct longest palindromic subsequences of a non-empty *s*.

    With ``L`` and ``N`` the length and the count over ``s[i..j]``: equal ends
    begin and end every longest one, so ``N(i, j) = N(i+1, j-1)``; else the
    longer side's, or both sides' less those of ``s[i+1..j-1]`` when that is as
    long (a palindrome in both sides that used ``s[j]`` and ``s[i]`` would
    begin with both, and they differ). ``O(n^2)``.

    >>> _distinct("abca"), _distinct("ab"), _distinct("aab")
    (2, 2, 1)
    """
    n = len(s)
    length = [[0] * n for _ in range(n)]
    count = [[1] * n for _ in range(n)]  # the empty inner interval: one (empty) palindrome
    for i in range(n - 1, -1, -1):
        length[i][i] = 1
        for j in range(i + 1, n):
            if s[i] == s[j]:
                inner = (length[i + 1][j - 1], count[i + 1][j - 1]) if j > i + 1 else (0, 1)
                length[i][j], count[i][j] = inner[0] + 2, inner[1]
                continue
            down, left = length[i + 1][j], length[i][j - 1]
            if down != left:
                pick_ij = (i + 1, j) if down > left else (i, j - 1)
                length[i][j], count[i][j] = (
                    length[pick_ij[0]][pick_ij[1]],
                    count[pick_ij[0]][pick_ij[1]],
                )
                continue
            shared = 0
            if j > i + 1 and length[i + 1][j - 1] == down:
                shared = count[i + 1][j - 1]
            length[i][j], count[i][j] = down, count[i + 1][j] + count[i][j - 1] - shared
    return count[0][n - 1]


PROBLEMS = (
    dp.Problem(
        name="palindrome",
        summary="Length of a longest palindromic subsequence of a sequence, with one.",
        recurrence=(
            "L(i, i) = 1; L(i, j) = L(i+1, j-1) + 2 if s[i] == s[j] else max(L(i+1, j), L(i, j-1))"
        ),
        time="O(n^2)",
        space="O(n^2)",
        example=("character",),
        witness=("sequence",),
        aliases=("longest_palindromic_subsequence", "lps"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
