"""An alignment by its definition: the score of two rows, and the best of every alignment.

Private to :mod:`dptoolkit.problems.alignment`, which exports
:func:`score_rows` and :func:`brute_force`: they score rows with ``"-"``
for gaps column by column and run by run, with no recurrence, so they check
the recurrence's answers from outside it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterator, Sequence
from typing import Any

import dptoolkit as dp
from dptoolkit._validate import check_choice

from ._scoring import MODES, Options, make_scheme

__all__ = ["brute_force", "score_rows"]

NEG = -math.inf


def score_rows(
    rows: tuple[str, str] | tuple[Sequence[Hashable], Sequence[Hashable]], **options: Any
) -> int | float:
    """The score of an alignment given as two rows with ``"-"`` for gaps (its definition).

    *options* are the scoring keywords of ``alignment.solve`` (``mode``,
    ``match``, ``mismatch``, ``gap``, ``gap_open``, ``gap_extend``,
    ``matrix``), with the same defaults. For ``mode="semiglobal"`` the gaps
    before the first and after the last letter of each row are free;
    ``"local"`` scores like ``"global"`` (the rows are the local part).

    Examples
    --------
    >>> score_rows(("G-ATTACA", "GCA-TGCU"))
    0
    >>> score_rows(("--ACGT", "TTACG-"), mode="semiglobal")
    3
    """
    given = Options(**options)
    mode = check_choice("mode", given.mode, MODES)
    top, bottom = rows
    letters = [x for x in list(top) + list(bottom) if x != "-"]
    sc = make_scheme(letters, letters, **given.scores())
    if len(top) != len(bottom):
        raise dp.InvalidInput(f"rows={rows!r} must have the same length")
    total: int | float = 0
    for row, other in ((top, bottom), (bottom, top)):
        letters_at = [k for k, x in enumerate(row) if x != "-"]
        first, last = (letters_at[0], letters_at[-1]) if letters_at else (len(row), -1)
        k = 0
        while k < len(row):
            if row[k] != "-":
                k += 1
                continue
            run_end = k
            while run_end < len(row) and row[run_end] == "-":
                run_end += 1
            at_end = k < first or run_end - 1 > last
            if not (mode == "semiglobal" and at_end):
                total += sc.gap(run_end - k)
            k = run_end
        del other
    for x, y in zip(top, bottom, strict=False):
        if x == "-" and y == "-":
            raise dp.InvalidInput(f"rows={rows!r} have a column of two gaps")
        if x != "-" and y != "-":
            total += sc.pair(x, y)
    return total


def _alignments(n: int, m: int) -> Iterator[list[tuple[int, int]]]:
    """Every alignment of lengths ``n`` and ``m`` as columns ``(i, j)``, ``-1`` for a gap."""
    stack: list[tuple[int, int, list[tuple[int, int]]]] = [(0, 0, [])]
    while stack:
        i, j, cols = stack.pop()
        if i == n and j == m:
            yield cols
            continue
        if i < n and j < m:
            stack.append((i + 1, j + 1, [*cols, (i, j)]))
        if i < n:
            stack.append((i + 1, j, [*cols, (i, -1)]))
        if j < m:
            stack.append((i, j + 1, [*cols, (-1, j)]))


def brute_force(a: Sequence[Hashable], b: Sequence[Hashable], **options: Any) -> int | float:
    """The best score over *all* alignments (and, for local, all pairs of substrings).

    Exponential: tiny inputs only. Each candidate is scored by
    :func:`score_rows`, independently of the recurrence.

    Examples
    --------
    >>> brute_force("ACG", "AG")
    1
    >>> brute_force("xxACGyy", "zACGz", mode="local")
    3
    """
    mode = options.get("mode", "global")
    pieces: Iterator[tuple[Any, Any]]
    if mode == "local":
        subs_a = [a[p:q] for p in range(len(a) + 1) for q in range(p, len(a) + 1)]
        subs_b = [b[p:q] for p in range(len(b) + 1) for q in range(p, len(b) + 1)]
        pieces = itertools.product(subs_a, subs_b)
        options = {**options, "mode": "global"}
    else:
        pieces = iter([(a, b)])
    best: int | float = 0 if mode == "local" else NEG
    for x, y in pieces:
        for cols in _alignments(len(x), len(y)):
            rows = (
                [x[i] if i >= 0 else "-" for i, _ in cols],
                [y[j] if j >= 0 else "-" for _, j in cols],
            )
            best = max(best, score_rows(rows, **options))
    return best
