"""Scoring schemes for sequence alignment: pair scores and gap penalties, checked once.

Private to :mod:`dptoolkit.problems`. A :class:`Scheme` answers
``pair(x, y)`` (the score of aligning ``x`` with ``y``) and ``gap(L)`` (the
score of a run of ``L`` gap positions, ``open + (L - 1) * extend``), and
encodes two sequences as integer codes with a dense score matrix for the
kernels. Substitution matrices shipped with the package live in
``_matrices/NAME.txt`` (a header row of residue letters, then one row per
letter) and are read at import.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from typing import Any

import numpy as np

from dptoolkit._validate import check_number, show
from dptoolkit.errors import InvalidInput, InvalidType

__all__ = ["MATRICES", "MODES", "Options", "Scheme", "load_matrix", "make_scheme"]

#: The alignment modes.
MODES = ("global", "local", "semiglobal")


def _read(name: str) -> dict[tuple[str, str], int]:
    text = resources.files(__package__).joinpath(f"_matrices/{name}.txt").read_text("ascii")
    rows = [line.split() for line in text.splitlines() if line.strip() and line[0] != "#"]
    letters = rows[0]
    scores: dict[tuple[str, str], int] = {}
    for row in rows[1:]:
        for y, value in zip(letters, row[1:], strict=False):
            scores[row[0], y] = int(value)
    return scores


#: The substitution matrices shipped with dptoolkit, by name.
MATRICES: dict[str, dict[tuple[str, str], int]] = {
    name: _read(name) for name in ("BLOSUM62", "PAM250")
}


def load_matrix(name: str) -> dict[tuple[str, str], int]:
    """A copy of a shipped matrix as ``{(x, y): score}`` (``"BLOSUM62"``, ``"PAM250"``)."""
    key = name.upper() if isinstance(name, str) else name
    if key not in MATRICES:
        listed = ", ".join(repr(k) for k in MATRICES)
        raise InvalidInput(f"matrix={show(name)} must be one of {listed} or a dict of pair scores")
    return dict(MATRICES[key])


@dataclass(frozen=True)
class Scheme:
    """How alignment columns score. ``table`` is ``None`` for match/mismatch scoring."""

    match: int | float
    mismatch: int | float
    open: int | float
    extend: int | float
    table: Mapping[tuple[Any, Any], int | float] | None
    label: str  # how the matrix is named in messages
    integral: bool  # every score an int: the value is an int too

    def pair(self, x: Hashable, y: Hashable) -> int | float:
        """The score of a column aligning *x* with *y*."""
        if self.table is None:
            return self.match if x == y else self.mismatch
        return self.table[x, y]

    def gap(self, length: int) -> int | float:
        """The score of one run of *length* gap positions."""
        return self.open + (length - 1) * self.extend if length else 0

    def codes(self, a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[Any, Any, Any]:
        """``(codes of a, codes of b, K x K float64 score matrix)`` for the kernels."""
        index: dict[Hashable, int] = {}
        ca = np.fromiter((index.setdefault(x, len(index)) for x in a), np.int32, len(a))
        cb = np.fromiter((index.setdefault(y, len(index)) for y in b), np.int32, len(b))
        symbols = list(index)
        k = max(len(symbols), 1)
        if self.table is None:
            scores = np.full((k, k), float(self.mismatch))
            np.fill_diagonal(scores, float(self.match))
        else:
            scores = np.array(
                [[float(self.table[x, y]) for y in symbols] for x in symbols], dtype=np.float64
            ).reshape(k, k)
        return ca, cb, scores


@dataclass(frozen=True)
class Options:
    """The keyword options of ``alignment.solve``, ``build`` and ``score_rows``, as given (unchecked)."""

    mode: str = "global"
    match: float = 1
    mismatch: float = -1
    gap: float = -1
    gap_open: float | None = None
    gap_extend: float | None = None
    matrix: Any = None

    def scores(self) -> dict[str, Any]:
        """The scoring keywords of :func:`make_scheme` (all but the mode)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "mode"}


def _not_exact(name: str, value: object) -> None:
    """Fractions and Decimals would be rounded by the float64 kernels: refused by name."""
    if isinstance(value, (Fraction, Decimal)) and not (
        isinstance(value, Fraction) and value.denominator == 1
    ):
        raise InvalidType(
            f"{name}={show(value)} must be an int or a float (scores are float64 in C)"
        )


def _score(name: str, value: object) -> int | float:
    _not_exact(name, value)
    return check_number(name, value)


def _penalty(name: str, value: object) -> int | float:
    _not_exact(name, value)
    number = check_number(name, value)
    if number > 0:
        raise InvalidInput(f"{name}={show(value)} must be <= 0 (a gap is a penalty)")
    return number


def _check_table(matrix: object) -> tuple[dict[tuple[Any, Any], int | float], str]:
    if isinstance(matrix, str):
        shipped: dict[tuple[Any, Any], int | float] = dict(load_matrix(matrix))
        return shipped, repr(matrix.upper())
    if not isinstance(matrix, Mapping):
        raise InvalidType(
            f"matrix={show(matrix)} must be a matrix name ('BLOSUM62', 'PAM250') "
            "or a dict {(x, y): score}"
        )
    table: dict[tuple[Any, Any], int | float] = {}
    for key, value in matrix.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise InvalidType(f"matrix key {show(key)} must be a pair (x, y)")
        table[key] = _score(f"matrix[{key!r}]", value)
    for (x, y), value in list(table.items()):
        if (y, x) not in table:
            table[y, x] = value  # one triangle given: the other is the same
        elif table[y, x] != value:
            raise InvalidInput(
                f"matrix[{(x, y)!r}]={show(value)} differs from matrix[{(y, x)!r}]="
                f"{show(table[y, x])}; a substitution matrix must be symmetric"
            )
    return table, "the given matrix"


def make_scheme(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    *,
    match: object,
    mismatch: object,
    gap: object,
    gap_open: object,
    gap_extend: object,
    matrix: object,
) -> Scheme:
    """Check the scoring arguments of :func:`alignment.solve` and every symbol against them."""
    m_score, x_score = _score("match", match), _score("mismatch", mismatch)
    if (gap_open is None) != (gap_extend is None):
        given = "gap_open" if gap_extend is None else "gap_extend"
        missing = "gap_extend" if gap_extend is None else "gap_open"
        value = gap_open if gap_extend is None else gap_extend
        raise InvalidInput(f"{given}={show(value)} needs {missing} too (an affine gap is both)")
    if gap_open is None:
        opening = extending = _penalty("gap", gap)
    else:
        opening, extending = _penalty("gap_open", gap_open), _penalty("gap_extend", gap_extend)
    table: dict[tuple[Any, Any], int | float] | None = None
    label = ""
    if matrix is not None:
        table, label = _check_table(matrix)
        present = {x for x, _ in table}
        for name, seq in (("a", a), ("b", b)):
            for k, item in enumerate(seq):
                if item not in present:
                    raise InvalidInput(f"{name}[{k}]={show(item)} is not in {label}")
        for x in set(a):
            for y in set(b):
                if (x, y) not in table:
                    raise InvalidInput(f"matrix has no score for the pair {(x, y)!r}")
    numbers_used: list[object] = [opening, extending]
    numbers_used += [m_score, x_score] if table is None else list(table.values())
    integral = all(isinstance(v, numbers.Integral) for v in numbers_used)
    if not all(math.isfinite(float(v)) for v in numbers_used):  # type: ignore[arg-type]
        raise InvalidInput("alignment scores must be finite")
    return Scheme(m_score, x_score, opening, extending, table, label, integral)
