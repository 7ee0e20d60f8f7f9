"""Word break: can a text be split into dictionary words, in how many ways, and one way.

Given a string ``text`` and a set of non-empty ``words``, a segmentation
cuts ``text`` into pieces that are all words (a word may be used any number
of times). ``"applepenapple"`` splits as ``apple pen apple``;
``"catsandog"`` cannot be split over ``cat, cats, and, sand, dog``. The
empty text has exactly one segmentation, the empty one.

Notes
-----
Recurrence over suffixes, with ``ways(i)`` the number of segmentations of
``text[i:]``: the first piece is some word ``w`` that ``text`` has at
position ``i``::

    ways(n) = 1
    ways(i) = sum of ways(i + len(w)) over words w with text[i : i + len(w)] == w

The answer is ``ways(0) > 0``, the count is ``ways(0)`` (exact, and it can
be exponential in ``n``: ``"aaaa..."`` over ``a, aa`` is a Fibonacci
number). Each state also records the shortest first word that leads to a
segmentation (or ``None``), so one segmentation is read back from state 0
in every strategy; it is the one whose pieces are shortest first.

With ``n`` the text's length and ``L`` the longest word, there are
``n + 1`` states; each tries the distinct word lengths ``m <= L`` with a
hash lookup of a slice: time ``O(n m L)``, space ``O(n)``. ``fast`` walks a
trie of the words from each position instead, so each position costs at
most ``L`` character steps and only prefixes that exist are followed: time
``O(n L)``.

============  ==================  ============
strategy      time                space
============  ==================  ============
naive         O(2^n) calls        O(n) stack
top_down      O(n m L)            O(n)
bottom_up     O(n m L)            O(n)
fast          O(n L), trie        O(n + total word length)
============  ==================  ============

Examples
--------
Erickson's [1]_ example ``BOTHEARTHANDSATURNSPIN``, which splits two ways
over the words of its two readings:

>>> from dptoolkit.problems import word_break
>>> words = "BOTH EARTH AND SATURN SPIN BOT HEART HANDS AT URNS PIN".split()
>>> sol = word_break.solve("BOTHEARTHANDSATURNSPIN", words)
>>> sol.count, sol.words
(2, ['BOT', 'HEART', 'HANDS', 'AT', 'URNS', 'PIN'])

The examples of LeetCode problems 139 and 140 ("Word Break", "Word Break
II") [2]_:

>>> sol = word_break.solve("applepenapple", ["apple", "pen"])
>>> sol.value, sol.words, sol.count
(True, ['apple', 'pen', 'apple'], 1)
>>> word_break.solve("catsandog", ["cats", "dog", "sand", "and", "cat"]).words is None
True
>>> sol = word_break.solve("pineapplepenapple", ["apple", "pen", "applepen", "pine", "pineapple"])
>>> sol.count, sol.words
(3, ['pine', 'apple', 'pen', 'apple'])
>>> word_break.solve("a" * 30, ["a", "aa"], strategy="bottom_up").count   # Fibonacci(31)
1346269

References
----------
.. [1] J. Erickson, *Algorithms*, Section 2.3 ("Text Segmentation
   (Interpunctio Verborum)") and its dynamic-programming version in
   Chapter 3, 2019. Online at https://jeffe.cs.illinois.edu/teaching/algorithms/.
.. [2] LeetCode problems 139 and 140, "Word Break" and "Word Break II".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import Labels, along, labelled
from dptoolkit._validate import show

from ._answers import engine_later
from ._run import WITH_FAST, pick, run, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = WITH_FAST


def _check(text: object, words: object) -> tuple[str, frozenset[str]]:
    if not isinstance(text, str):
        raise dp.InvalidType(f"text={show(text)} must be a string")
    if isinstance(words, (str, bytes)) or not isinstance(words, Iterable):
        raise dp.InvalidType(
            f"words={show(words)} must be a collection of strings (list, tuple, set, ...)"
        )
    checked: list[str] = []
    for k, word in enumerate(words):
        if not isinstance(word, str):
            raise dp.InvalidType(f"words[{k}]={show(word)} must be a string")
        if not word:
            raise dp.InvalidInput(
                f"words[{k}]='' must be a non-empty word (the empty word would split forever)"
            )
        checked.append(word)
    return text, frozenset(checked)


def _recurrence(text: str, words: frozenset[str]) -> tuple[Recurrence, tuple[int]]:
    """The recurrence on validated input (see :func:`build`)."""
    n = len(text)
    lengths = sorted({len(w) for w in words})

    @dp.recurrence(states=lambda i: range(n, i - 1, -1))
    def ways(i: int) -> int:
        if i == n:
            return 1
        total = 0
        useful: list[tuple[bool, int | None]] = []  # first words that lead to a segmentation
        for m in lengths:
            if i + m > n:
                break
            if text[i : i + m] in words:
                count = ways(i + m)
                if count:
                    useful.append((True, m))
                total += count
        # records the shortest useful first word, and every other one as a tie (witnesses())
        dp.choose(useful or [(False, None)], best=max)
        return total

    return ways, (0,)


@labelled
def build(text: str, words: Iterable[str]) -> tuple[Recurrence, tuple[int]]:
    """The suffix recurrence for this text and dictionary, and its goal ``(0,)``.

    State ``i`` counts the segmentations of ``text[i:]`` and records the
    length of the shortest first word of one (``None`` when there is none);
    the other first words of one are recorded as its ties.

    Examples
    --------
    >>> rec, goal = build("catsdog", ["cat", "cats", "dog", "sdog"])
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[0], sol.choices[3]
    (2, 3, 4)
    """
    return _recurrence(*_check(text, words))


def _pieces(text: str, first_of: Any) -> list[str] | None:
    """One segmentation read from the first-word lengths, or ``None``."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        m = first_of(i)
        if m is None:
            return None
        pieces.append(text[i : i + m])
        i += m
    return pieces


def brute_force(text: str, words: Iterable[str]) -> list[list[str]]:
    """Every segmentation of *text* into *words*, trying all ``2^(n-1)`` cut patterns.

    Examples
    --------
    >>> brute_force("catsdog", ["cat", "cats", "dog", "sdog"])
    [['cat', 'sdog'], ['cats', 'dog']]
    """
    text, vocabulary = _check(text, words)
    if not text:
        return [[]]
    found: list[list[str]] = []
    for cuts in itertools.product((False, True), repeat=len(text) - 1):
        pieces, start = [], 0
        for k, cut in enumerate(cuts, start=1):
            if cut:
                pieces.append(text[start:k])
                start = k
        pieces.append(text[start:])
        if all(p in vocabulary for p in pieces):
            found.append(pieces)
    found.sort()
    return found


def _fast(text: str, words: frozenset[str]) -> tuple[int, list[int | None]]:
    """Counts by a trie walk from each position, right to left; the shortest useful first word."""
    trie: dict[str, Any] = {}
    end = ""  # the key marking a word's end (never a character of a key path)
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[end] = True
    n = len(text)
    ways = [0] * (n + 1)
    ways[n] = 1
    first: list[int | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        node = trie
        total = 0
        j = i
        while j < n:
            child = node.get(text[j])
            if child is None:
                break
            node = child
            j += 1
            if end in node and ways[j]:
                if first[i] is None:
                    first[i] = j - i
                total += ways[j]
        ways[i] = total
    return ways[0], first


class _Ways(int):
    """The number of segmentations, read as ``sol.count`` or called as ``sol.count()``.

    ``.count`` is this problem's witness field, and ``Solution.count()`` counts
    the distinct witnesses of every other problem; here both are the number of
    segmentations, so the field answers both spellings with the same exact int.
    """

    def __call__(self, step: object = None) -> int:
        return int(self)


@shows_auto
def solve(
    text: str, words: Iterable[str], *, strategy: str = "auto", k: int | None = None
) -> Solution:
    """Whether *text* splits into *words*, one split, and how many there are.

    Parameters
    ----------
    text : str
        The text to split.
    words : iterable of str
        The dictionary: non-empty strings (repeats count once).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.
    k : None
        Refused: a yes/no question has no K best (``sol.witnesses()`` lists
        every segmentation).

    Returns
    -------
    dp.Solution
        ``.value``: ``True`` when a segmentation exists. ``.words``: one
        segmentation (the shortest word first at every cut that allows one)
        or ``None``. ``.count``: the number of segmentations (exact int),
        which ``sol.count()`` returns too (one int, read or called).
        ``sol.witnesses()``: every segmentation, each with its ``.words``
        (none when the text does not split); an ``auto`` answer re-solves
        with ``bottom_up`` for them, a ``fast`` one refuses them.

    Raises
    ------
    dptoolkit.InvalidInput
        For an empty word or an unknown strategy (``InvalidType`` for a
        text or word that is not a string, or a string passed as *words*).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` past a million calls, and ``top_down`` or
        ``bottom_up`` past 2**25 states.

    Examples
    --------
    >>> solve("", ["a"]).words, solve("", ["a"]).count
    ([], 1)
    >>> solve("aaab", {"a", "aa"}, strategy="naive").value
    False
    """
    text, vocabulary = _check(text, words)
    asked = strategy
    strategy = pick(strategy, STRATEGIES, problem="word_break")
    if k is not None:
        raise dp.InvalidInput(
            f"k={show(k)}: word_break answers yes or no, which has no K best; "
            "sol.witnesses() lists every segmentation and sol.count() counts them"
        )
    n = len(text)
    if strategy == "fast":
        count, first = _fast(text, vocabulary)
        quick = dp.Solution(
            count > 0,
            strategy="fast",
            witness={"count": _Ways(count)},
            lazy={"words": lambda: _pieces(text, first.__getitem__)},
        )
        return engine_later(quick, asked, lambda: solve(text, vocabulary, strategy="bottom_up"))
    rec, goal = _recurrence(text, vocabulary)
    sol = run(rec, goal, strategy, visits=n + 1)
    choices = sol.choices
    return sol.with_fields(
        value=sol.value > 0,
        witness={"count": _Ways(sol.value)},
        lazy={"words": lambda: _pieces(text, lambda i: state(choices, (i,)))},
        step=_next,  # one segmentation per choice path (state n ends one)
        witness_of=lambda each: {"words": _pieces(text, lambda i: state(each.choices, (i,)))},
        labels=_labels(text, vocabulary),
    )


def _labels(text: str, words: frozenset[str]) -> Labels:
    """Column i of the table: the ways to split text[i:], under its first letter."""
    return along(
        f"text[i:] of {text[:24]!r}: ways to split",
        text,
        after=("end",),  # the empty rest: one way
        goal=0,
        step=_next,
        sizes=lambda: [(k, *_recurrence(text[:k], words)) for k in range(1, len(text) + 1)],
    )


def _next(i: int, m: int | None) -> int | None:
    """Where a first word of length *m* at *i* leads (``None``: no split from here)."""
    return i + m if m else None


PROBLEMS = (
    dp.Problem(
        name="word_break",
        summary="Whether a text splits into dictionary words, one split, and how many.",
        recurrence="ways(n) = 1; ways(i) = sum of ways(i + len(w)) over words w at text[i:]",
        time="O(n m L)",
        space="O(n)",
        example=("pineapplepenapple", ["apple", "pen", "applepen", "pine", "pineapple"]),
        witness=("words", "count"),
        aliases=("text_segmentation", "segmentation"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
