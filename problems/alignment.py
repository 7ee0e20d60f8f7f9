"""Pairwise sequence alignment: global, local and semiglobal, with linear or affine gaps.

An *alignment* of ``a`` and ``b`` writes both one above the other, with gap
characters ``-`` inserted so that the two rows have the same length and no
column is a gap in both. A column pairing ``x`` with ``y`` scores
``match``/``mismatch`` (or ``matrix[x, y]`` from a substitution matrix such
as BLOSUM62); a *run* of ``L`` consecutive gap positions in one row scores
``gap_open + (L - 1) * gap_extend`` when those are given (affine gaps), else
``L * gap`` (linear gaps). The best alignment maximizes the total.

* ``mode="global"`` (Needleman and Wunsch [1]_): both sequences end to end;
* ``mode="local"`` (Smith and Waterman [2]_): the best-scoring pair of
  substrings (score 0 and empty rows when nothing scores above 0);
* ``mode="semiglobal"``: end to end, but gaps before the first or after the
  last letter of either row score 0 (an overlap, or one sequence inside
  the other).

The witness ``.aligned`` is the pair of rows ``(a_row, b_row)``: strings
for two strings, else lists of the items, with ``"-"`` for a gap in both
cases; ``.span`` is the aligned
ranges ``((i0, i1), (j0, j1))`` of ``a`` and ``b``, half-open: the local
substrings, the whole sequences for global, and the overlap without the
free end gaps for semiglobal (whose rows show the whole sequences).

Notes
-----
Gotoh's recurrence [3]_ with three tables over prefixes ``a[:i]``, ``b[:j]``:
``M`` (the last column pairs ``a[i-1]`` with ``b[j-1]``), ``X`` (it pairs
``a[i-1]`` with a gap) and ``Y`` (a gap with ``b[j-1]``), with ``o`` and
``e`` the open and extend scores (both ``gap`` for linear gaps)::

    M(i, j) = s(a[i-1], b[j-1]) + max(M, X, Y)(i-1, j-1)    [local: also + 0]
    X(i, j) = max(M(i-1, j) + o, X(i-1, j) + e, Y(i-1, j) + o)
    Y(i, j) = max(M(i, j-1) + o, Y(i, j-1) + e, X(i, j-1) + o)

with ``M(0, 0) = 0`` (``-inf`` for local, whose alignments start by the
``+ 0`` option) and ``-inf`` for impossible cells; semiglobal has
``X(i, 0) = Y(0, j) = 0``. The goal is one extra state that takes the best
end cell: ``(len(a), len(b))`` for global, any cell of ``M`` (or 0) for
local, any cell of the last row or column for semiglobal (but ``Y`` in the
last row and ``X`` in the last column: those end inside a free gap). The states are
the grid ``(len(a)+2) x (len(b)+1) x 3`` in row order; the witness is one
walk back from the goal through all three tables. A gap in ``a`` right
after a gap in ``b`` is allowed (as in Biopython's PairwiseAligner).

Many answers: ``sol.count()`` and ``sol.witnesses()`` give every optimal
alignment, ``k=K`` the K best. One answer is one alignment: its columns
(``.aligned`` and ``.span`` together). For ``local`` that is a pair of
substrings and an alignment of them that starts and ends with a pair
column (end gaps never raise a score), or the empty one; the same rows at
another place are another answer. For ``semiglobal`` each alignment ends
once, where its free trailing gaps begin, so zero gap scores do not count
one alignment twice. Every answer is one choice path of the recurrence.

``fast`` runs the same recurrence row by row in C (``dptoolkit._ckernels``),
or in numpy when the extension is not built: a row of ``Y`` is a running
maximum (``numpy.maximum.accumulate``). The score needs two rows, ``O(m)``
space; the rows of the witness need one byte of back-pointers per cell.

==========  ===========  ==============================
strategy    time         space
==========  ===========  ==============================
naive       exponential  O(n + m) stack
top_down    O(n m)       O(n m)
bottom_up   O(n m)       O(n m)
fast        O(n m)       O(m) score, O(n m) bytes rows
==========  ===========  ==============================

Examples
--------
>>> from dptoolkit.problems import alignment
>>> sol = alignment.solve("GATTACA", "GCATGCU")
>>> sol.value
0
>>> sol.aligned
('G-ATTACA', 'GCA-TGCU')
>>> sol = alignment.solve("TTGACGTAA", "GACG", mode="local", match=2)
>>> sol.value, sol.aligned, sol.span
(8, ('GACG', 'GACG'), ((2, 6), (0, 4)))
>>> alignment.solve("HEAGAWGHEE", "PAWHEAE", mode="local", matrix="BLOSUM62",
...                 gap_open=-10, gap_extend=-1).aligned
('AWGHE', 'AW-HE')

References
----------
.. [1] S. B. Needleman and C. D. Wunsch, "A general method applicable to the
   search for similarities in the amino acid sequence of two proteins",
   *Journal of Molecular Biology* 48(3), 443-453, 1970.
.. [2] T. F. Smith and M. S. Waterman, "Identification of common molecular
   subsequences", *Journal of Molecular Biology* 147(1), 195-197, 1981.
.. [3] O. Gotoh, "An improved algorithm for matching biological sequences",
   *Journal of Molecular Biology* 162(3), 705-708, 1982.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled, prefixes
from dptoolkit._validate import check_choice

from . import _align_fast
from ._align_definition import brute_force, score_rows
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_symbols, run, shows_auto, state
from ._scoring import MATRICES, MODES, Options, Scheme, load_matrix, make_scheme

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["MATRICES", "PROBLEMS", "brute_force", "build", "load_matrix", "score_rows", "solve"]

STRATEGIES = WITH_FAST
NEG = -math.inf
M, X, Y = 0, 1, 2  # the three tables: pair, gap in b, gap in a

Span = tuple[tuple[int, int], tuple[int, int]]


def _check(a: object, b: object, options: Options) -> tuple[Any, Any, str, Scheme]:
    a = check_symbols("a", a)
    b = check_symbols("b", b)
    for name, seq in (("a", a), ("b", b)):
        gap = next((i for i, item in enumerate(seq) if isinstance(item, str) and item == "-"), None)
        if gap is not None:
            raise dp.InvalidInput(
                f"{name}[{gap}]='-': '-' marks a gap in .aligned, so it cannot be an item; "
                "write it as another symbol"
            )
    mode = check_choice("mode", options.mode, MODES)
    return a, b, mode, make_scheme(a, b, **options.scores())


def _recurrence(a: Sequence[Hashable], b: Sequence[Hashable], mode: str, sc: Scheme) -> Recurrence:
    n, m = len(a), len(b)
    o, e = sc.open, sc.extend
    free_ends = mode == "semiglobal"
    local = mode == "local"

    @dp.recurrence(states=lambda i, j, t: dp.grid(n + 2, m + 1, 3))
    def best(i: int, j: int, t: int) -> Any:
        if i > n:  # the goal: the best end cell; the other states of the extra row are unused
            if j or t:
                return 0
            ends: list[tuple[Any, Any]]
            if mode == "global":
                ends = [(best(n, m, u), (n, m, u)) for u in (M, X, Y)]
            elif local:
                ends = [(0, None)]
                ends += [
                    (best(p, q, M), (p, q, M)) for p in range(1, n + 1) for q in range(1, m + 1)
                ]
            else:  # each alignment ends once: where its free trailing gaps begin
                ends = [(best(n, q, u), (n, q, u)) for q in range(m) for u in (M, X)]
                ends += [(best(n, m, M), (n, m, M))]
                ends += [(best(p, m, u), (p, m, u)) for p in range(n) for u in (M, Y)]
            return dp.choose(ends, best=max)
        if t == M:
            if i == 0 or j == 0:  # local alignments start by "start", never from M(0, 0)
                return 0 if i == j == 0 and not local else NEG
            s = sc.pair(a[i - 1], b[j - 1])
            prev = [(best(i - 1, j - 1, u) + s, u) for u in (M, X, Y)]
            return dp.choose([(s, "start"), *prev] if local else prev, best=max)
        if t == X:
            if i == 0:
                return NEG
            if j == 0 and free_ends:
                return 0
            return dp.choose(
                [
                    (best(i - 1, j, M) + o, M),
                    (best(i - 1, j, X) + e, X),
                    (best(i - 1, j, Y) + o, Y),
                ],
                best=max,
            )
        if j == 0:
            return NEG
        if i == 0 and free_ends:
            return 0
        return dp.choose(
            [(best(i, j - 1, M) + o, M), (best(i, j - 1, Y) + e, Y), (best(i, j - 1, X) + o, X)],
            best=max,
        )

    return best


@labelled
def build(
    a: Sequence[Hashable], b: Sequence[Hashable], **options: Any
) -> tuple[Recurrence, tuple[int, int, int]]:
    """The alignment recurrence (Gotoh's three tables) and its goal ``(len(a) + 1, 0, 0)``.

    *options* are the keywords of :func:`solve` but ``strategy`` and ``k``
    (``mode``, ``match``, ``mismatch``, ``gap``, ``gap_open``, ``gap_extend``,
    ``matrix``), with the same defaults.

    Examples
    --------
    >>> rec, goal = build("ACGT", "AGT")
    >>> rec.solve(*goal, strategy="top_down").value
    2
    """
    a, b, mode, sc = _check(a, b, Options(**options))
    return _recurrence(a, b, mode, sc), (len(a) + 1, 0, 0)


def _rows(a: Any, b: Any, cols: list[tuple[int, int]]) -> tuple[Any, Any]:
    """Rows from columns ``(i, j)`` (``-1`` marks a gap): strings, or lists of items."""
    if isinstance(a, str) and isinstance(b, str):
        a_, b_ = a + "-", b + "-"  # index -1 is the gap
        return "".join([a_[i] for i, _ in cols]), "".join([b_[j] for _, j in cols])
    return [a[i] if i >= 0 else "-" for i, _ in cols], [b[j] if j >= 0 else "-" for _, j in cols]


def _walk(choices: Any, a: Any, b: Any, mode: str) -> tuple[tuple[Any, Any], Span]:
    """Walk back from the goal through the three tables; the rows and the span."""
    n, m = len(a), len(b)
    end = state(choices, (n + 1, 0, 0))
    if end is None:
        return ("", ""), ((0, 0), (0, 0))
    i, j, t = end
    span_end = (i, j)
    cols: list[tuple[int, int]] = []
    if mode == "semiglobal":  # the free trailing gap of one row
        cols += [(p, -1) for p in range(n - 1, i - 1, -1)]
        cols += [(-1, q) for q in range(m - 1, j - 1, -1)]
    start = (0, 0)
    while i or j:
        if t == M:
            label = state(choices, (i, j, M))
            i, j = i - 1, j - 1
            cols.append((i, j))
            if label == "start":
                break
            t = label
        elif t == X:
            if j == 0 and mode == "semiglobal":
                start = (i, 0)
                cols += [(p, -1) for p in range(i - 1, -1, -1)]
                break
            t = state(choices, (i, j, X))
            i -= 1
            cols.append((i, -1))
        else:
            if i == 0 and mode == "semiglobal":
                start = (0, j)
                cols += [(-1, q) for q in range(j - 1, -1, -1)]
                break
            t = state(choices, (i, j, Y))
            j -= 1
            cols.append((-1, j))
    if mode == "local":
        start = (i, j)
    cols.reverse()
    return _rows(a, b, cols), ((start[0], span_end[0]), (start[1], span_end[1]))


# ---------------------------------------------------------------- solve


@shows_auto
def solve(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    *,
    mode: str = "global",
    match: float = 1,
    mismatch: float = -1,
    gap: float = -1,
    gap_open: float | None = None,
    gap_extend: float | None = None,
    matrix: Any = None,
    strategy: str = "auto",
    k: int | None = None,
) -> Solution:
    """The best alignment score of ``a`` and ``b``, with the aligned rows and spans.

    Parameters
    ----------
    a, b : sequence of hashable
        ``str`` (DNA, protein, any text), or a list/tuple of hashable items.
    mode : {"global", "local", "semiglobal"}
    match, mismatch : number
        Column scores when no *matrix* is given.
    gap : number <= 0
        Linear gap score per gap position (when *gap_open* is not given).
    gap_open, gap_extend : number <= 0, optional
        Affine gaps: a run of ``L`` gaps scores ``gap_open + (L - 1) * gap_extend``
        (Biopython's ``open_gap_score``/``extend_gap_score`` convention).
        Give both or neither.
    matrix : str or dict, optional
        ``"BLOSUM62"``, ``"PAM250"`` or ``{(x, y): score}`` (one triangle is
        enough); replaces *match*/*mismatch*.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* best alignments: ``sol.k_best``, best first, each
        with its ``.aligned`` and ``.span`` (``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value`` the score (an ``int`` when every score is an int);
        ``.aligned`` ``(a_row, b_row)``; ``.span`` ``((i0, i1), (j0, j1))``.
        ``sol.count()`` and ``sol.witnesses()``: every optimal alignment
        (see "Many answers" in the module docstring); an ``auto`` answer
        re-solves with ``bottom_up`` for them, a ``fast`` one refuses them.

    Raises
    ------
    dptoolkit.InvalidType
        For a non-sequence, an unhashable item, a score that is not a number.
    dptoolkit.InvalidInput
        For an unknown mode, strategy or matrix, a positive gap score,
        ``gap_open`` without ``gap_extend``, a symbol missing from the matrix,
        an item ``"-"`` (the gap of ``.aligned``).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` beyond a few letters.

    Examples
    --------
    >>> solve("ACGT", "ACT", gap_open=-2, gap_extend=-1).aligned
    ('ACGT', 'AC-T')
    >>> solve("CCAGTT", "AGT", mode="semiglobal").span
    ((2, 5), (0, 3))
    """
    options = Options(mode, match, mismatch, gap, gap_open, gap_extend, matrix)
    a, b, mode, sc = _check(a, b, options)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="alignment", k=k)
    n, m = len(a), len(b)

    def number(value: float) -> int | float:
        return int(value) if sc.integral else float(value)

    if strategy == "fast":
        ca, cb, table = sc.codes(a, b)
        value, end = _align_fast.score(ca, cb, table, sc.open, sc.extend, mode)

        traced: list[tuple[tuple[Any, Any], Span]] = []

        def witness() -> tuple[tuple[Any, Any], Span]:
            if not traced:
                if mode == "local":  # a best local alignment lies inside a[:i1], b[:j1]
                    i1, j1 = end if end is not None else (0, 0)
                    choices = _align_fast.trace(ca[:i1], cb[:j1], table, sc.open, sc.extend, mode)
                else:
                    choices = _align_fast.trace(ca, cb, table, sc.open, sc.extend, mode)
                walked = _align_fast.columns(choices, mode)
                if walked is None:
                    traced.append(_walk(choices, a, b, mode))
                else:
                    traced.append((_rows(a, b, walked[0]), walked[1]))
            return traced[0]

        quick = dp.Solution(
            number(value),
            strategy="fast",
            lazy={"aligned": lambda: witness()[0], "span": lambda: witness()[1]},
        )
        return engine_later(
            quick, asked, lambda: solve(a, b, **vars(options), strategy="bottom_up")
        )
    rec = _recurrence(a, b, mode, sc)
    sol = run(rec, (n + 1, 0, 0), strategy, visits=3 * (n + 2) * (m + 1), k=k)
    choices = sol.choices
    walked: list[tuple[tuple[Any, Any], Span]] = []

    def walk() -> tuple[tuple[Any, Any], Span]:
        if not walked:
            walked.append(_walk(choices, a, b, mode))
        return walked[0]

    def fields_of(each: Solution) -> dict[str, Any]:
        rows, span = _walk(each.choices, a, b, mode)
        return {"aligned": rows, "span": span}

    return sol.with_fields(
        value=number(sol.value),
        lazy={"aligned": lambda: walk()[0], "span": lambda: walk()[1]},
        step=_stepper(n),  # one alignment (local: one span and alignment) per choice path
        witness_of=fields_of,
        labels=_labels(a, b),
    )


def _labels(a: Sequence[Hashable], b: Sequence[Hashable]) -> Labels:
    """Pictures show the M table over prefixes of a and b; the extra last row holds the goal."""
    sides = prefixes(a, b)
    tables = ("M: a[i-1] pairs with b[j-1]", "X: a[i-1] against a gap", "Y: a gap against b[j-1]")
    rows, cols = (tuple(ticks or ()) for ticks in sides.ticks)
    return Labels(
        (*sides.names, "table"),
        ((*rows, "goal"), cols, tables),
        goal=(len(a) + 1, 0, 0),
        layer=(2, M),
    )


def _stepper(n: int) -> Any:
    """Where a label leads: the goal's end cell, the previous table, or ``None`` at a start."""

    def step(here: tuple[int, int, int], label: Any) -> Any:
        i, j, t = here
        if i > n:  # the goal: its label is the end cell (None: the empty local alignment)
            return label
        if label == "start":
            return None
        if t == M:
            return i - 1, j - 1, label
        if t == X:
            return i - 1, j, label
        return i, j - 1, label

    return step


PROBLEMS = (
    dp.Problem(
        name="alignment",
        summary="Best global, local or semiglobal alignment of two sequences.",
        recurrence=(
            "M(i,j) = s(a[i-1], b[j-1]) + max(M, X, Y)(i-1, j-1); "
            "X(i,j) = max(M(i-1,j) + o, X(i-1,j) + e, Y(i-1,j) + o); "
            "Y(i,j) = max(M(i,j-1) + o, Y(i,j-1) + e, X(i,j-1) + o)"
        ),
        time="O(n m)",
        space="O(n m)",
        strategies=STRATEGIES,
        solve=solve,
        module=__name__,
        example=("GATTACA", "GCATGCU"),
        witness=("aligned", "span"),
        build=build,
        aliases=("needleman_wunsch", "smith_waterman", "sequence_alignment"),
    ),
)
