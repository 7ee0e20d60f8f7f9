"""Bit-parallel kernels for sequence alignment (edit distance and LCS).

Private to :mod:`dptoolkit.problems`. Both problems compare two sequences
``a`` and ``b`` of hashable symbols. Symbols are first mapped to small integer
codes; ``b`` becomes the *pattern*, one bit per position, and ``a`` the
*text*, read one symbol at a time. A Python ``int`` holds a whole column of
the dynamic-programming table as bits, so each text symbol costs a constant
number of big-integer operations of ``len(b) / 30`` machine digits.

* edit distance: the vertical-delta formulation of Myers (1999) as restated
  by Hyyrö (2001) for the global (Levenshtein) distance;
* LCS length: the bit-vector recurrence of Allison and Dix (1986) in Hyyrö's
  form ``V' = (V + U) | (V - U)`` with ``U = V & Peq[c]``;
* witnesses: Hirschberg's (1975) divide and conquer, where the forward and
  backward rows are bit-parallel columns and small leaves are traced back
  through stored bit columns. Space stays linear in the input.

Conventions of the tables traced here: ``D[i][j]`` relates the pattern prefix
``b[:i]`` (bit ``i - 1``) to the text prefix ``a[:j]``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "MASK_BUDGET",
    "edit_operations",
    "encode",
    "lcs_length",
    "lcs_pairs",
    "levenshtein",
    "levenshtein_rows",
]

#: Bytes of match masks the bit-parallel kernels may hold (distinct shared
#: symbols x pattern length / 8); past it they fall back to a numpy row DP.
MASK_BUDGET = 48 * 2**20

#: Largest ``len(a) * len(b)`` traced back directly (stored bit columns).
_LEAF_CELLS = 1 << 20

Codes = Any  # a 1-d numpy integer array


def encode(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[Codes, Codes]:
    """Map the symbols of *a* and *b* to integer codes (equal symbols, equal codes).

    Strings use their code points and bytes their values directly; any other
    sequence goes through a dictionary, so its items must be hashable.
    """
    if isinstance(a, str) and isinstance(b, str):
        return _str_codes(a), _str_codes(b)
    if isinstance(a, (bytes, bytearray)) and isinstance(b, (bytes, bytearray)):
        return np.frombuffer(bytes(a), dtype=np.uint8), np.frombuffer(bytes(b), dtype=np.uint8)
    index: dict[Hashable, int] = {}
    ca = [index.setdefault(x, len(index)) for x in a]
    cb = [index.setdefault(x, len(index)) for x in b]
    return np.asarray(ca, dtype=np.int64), np.asarray(cb, dtype=np.int64)


def _str_codes(s: str) -> Codes:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


# --------------------------------------------------------------------- masks


def _masks(pattern: Codes, text: Codes) -> dict[int, int] | None:
    """``Peq``: for each symbol of *text* found in *pattern*, the bits where it occurs.

    Returns ``None`` when the masks would pass :data:`MASK_BUDGET`.
    """
    m = len(pattern)
    if m == 0 or len(text) == 0:
        return {}
    if m <= 64:
        peq: dict[int, int] = {}
        for i, c in enumerate(pattern.tolist()):
            peq[c] = peq.get(c, 0) | (1 << i)
        return peq
    shared = np.intersect1d(np.unique(pattern), np.unique(text), assume_unique=True)
    if len(shared) * (m // 8 + 1) > MASK_BUDGET:
        return None
    nbytes = (m + 7) // 8
    out: dict[int, int] = {}
    if len(shared) <= 32:
        for c in shared.tolist():
            packed = np.packbits(pattern == c, bitorder="little")
            out[c] = int.from_bytes(packed.tobytes(), "little")
        return out
    # many symbols: group positions by symbol once (a stable sort), then set bits
    order = np.argsort(pattern, kind="stable")
    sorted_codes = pattern[order]
    starts = np.searchsorted(sorted_codes, shared, side="left")
    ends = np.searchsorted(sorted_codes, shared, side="right")
    for c, lo, hi in zip(shared.tolist(), starts.tolist(), ends.tolist(), strict=True):
        bits = np.zeros(nbytes * 8, dtype=np.uint8)
        bits[order[lo:hi]] = 1
        out[c] = int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")
    return out


def _bits(value: int, m: int) -> Codes:
    """The low *m* bits of the non-negative *value* as a 0/1 ``int64`` array."""
    raw = value.to_bytes((m + 7) // 8, "little")
    return np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")[:m].astype(np.int64)


# ------------------------------------------------------------- edit distance


def _myers(
    peq: dict[int, int], text: Codes, m: int, columns: list[tuple[int, int]] | None = None
) -> tuple[int, int]:
    """Run Myers/Hyyrö over *text*; return the final column ``(VP, VN)``.

    Bit ``i`` of ``VP`` (``VN``) says ``D[i+1][n] - D[i][n]`` is ``+1`` (``-1``);
    ``D[0][j] = j`` and ``D[i][0] = i``. Given a list, *columns* receives every
    column after the first, ``(VP, VN)`` after each symbol of *text*.
    """
    mask = (1 << m) - 1
    vp, vn = mask, 0
    get = peq.get
    keep = columns.append if columns is not None else None
    for c in text.tolist():
        eq = get(c, 0)
        xv = eq | vn
        xh = (((eq & vp) + vp) ^ vp) | eq
        hp = vn | ((xh | vp) ^ mask)
        hn = (vp & xh) << 1
        hp = (hp << 1) | 1
        vp = (hn | ((xv | hp) ^ mask)) & mask
        vn = hp & xv
        if keep is not None:
            keep((vp, vn))
    return vp, vn


def _levenshtein_rowwise(a: Codes, b: Codes) -> Codes:
    """The last row ``D[len(a)][0..len(b)]`` by a vectorized row DP (any alphabet)."""
    m = len(b)
    steps = np.arange(m + 1, dtype=np.int64)
    row = steps.copy()
    for i, c in enumerate(a.tolist(), start=1):
        cand = np.empty(m + 1, dtype=np.int64)
        cand[0] = i
        np.minimum(row[1:] + 1, row[:-1] + (b != c), out=cand[1:])
        row = np.minimum.accumulate(cand - steps) + steps
    return row


def levenshtein(a: Codes, b: Codes) -> int:
    """The Levenshtein distance between two code arrays (linear space)."""
    if len(a) < len(b):  # the longer one is the bit pattern: fewer loop turns
        a, b = b, a
    n, m = len(a), len(b)
    if m == 0:
        return n
    peq = _masks(b, a)
    if peq is None:
        return int(_levenshtein_rowwise(b, a)[-1])  # loop over the shorter one
    vp, vn = _myers(peq, a, m)
    return n + vp.bit_count() - vn.bit_count()


def levenshtein_rows(a: Codes, b: Codes) -> Codes:
    """``D(a, b[:i])`` for every ``i`` in ``0..len(b)`` as an ``int64`` array."""
    n, m = len(a), len(b)
    if m == 0:
        return np.array([n], dtype=np.int64)
    peq = _masks(b, a) if n else {}
    if peq is None:
        return _levenshtein_rowwise(a, b)
    vp, vn = _myers(peq, a, m) if n else ((1 << m) - 1, 0)
    out = np.empty(m + 1, dtype=np.int64)
    out[0] = n
    np.cumsum(_bits(vp, m) - _bits(vn, m), out=out[1:])
    out[1:] += n
    return out


Operation = tuple[str, int, int]


def edit_operations(a: Codes, b: Codes) -> list[Operation]:
    """A minimal edit script turning *a* into *b* (Hirschberg, linear space)."""
    ops: list[Operation] = []
    _edit_split(a, b, 0, 0, ops)
    return ops


def _edit_split(a: Codes, b: Codes, i0: int, j0: int, ops: list[Operation]) -> None:
    n, m = len(a), len(b)
    if n == 0:
        ops.extend(("insert", i0, j0 + j) for j in range(m))
        return
    if m == 0:
        ops.extend(("delete", i0 + i, j0) for i in range(n))
        return
    if n * m <= _LEAF_CELLS or n == 1:
        _edit_leaf(a, b, i0, j0, ops)
        return
    mid = n // 2
    forward = levenshtein_rows(a[:mid], b)
    backward = levenshtein_rows(a[mid:][::-1], b[::-1])[::-1]
    k = int(np.argmin(forward + backward))
    _edit_split(a[:mid], b[:k], i0, j0, ops)
    _edit_split(a[mid:], b[k:], i0 + mid, j0 + k, ops)


def _edit_leaf(a: Codes, b: Codes, i0: int, j0: int, ops: list[Operation]) -> None:
    """Trace a small block back through its stored Myers columns."""
    n, m = len(a), len(b)
    peq = _masks(b, a)
    if peq is None:  # a huge alphabet in a small block: plain DP table
        _edit_leaf_table(a, b, i0, j0, ops)
        return
    cols = [((1 << m) - 1, 0)]
    _myers(peq, a, m, cols)

    def dist(i: int, j: int) -> int:  # D between b[:i] and a[:j]
        low = (1 << i) - 1
        cp, cn = cols[j]
        return j + (cp & low).bit_count() - (cn & low).bit_count()

    al, bl = a.tolist(), b.tolist()
    rev: list[Operation] = []
    i, j = m, n  # i over b (pattern), j over a (text)
    d = dist(i, j)
    while i > 0 and j > 0:
        diag = dist(i - 1, j - 1)
        if al[j - 1] == bl[i - 1] and diag == d:
            rev.append(("match", i0 + j - 1, j0 + i - 1))
            i, j, d = i - 1, j - 1, diag
        elif diag + 1 == d:
            rev.append(("substitute", i0 + j - 1, j0 + i - 1))
            i, j, d = i - 1, j - 1, diag
        elif dist(i, j - 1) + 1 == d:
            rev.append(("delete", i0 + j - 1, j0 + i))
            j, d = j - 1, d - 1
        else:
            rev.append(("insert", i0 + j, j0 + i - 1))
            i, d = i - 1, d - 1
    while j > 0:
        rev.append(("delete", i0 + j - 1, j0))
        j -= 1
    while i > 0:
        rev.append(("insert", i0, j0 + i - 1))
        i -= 1
    ops.extend(reversed(rev))


def _edit_leaf_table(a: Codes, b: Codes, i0: int, j0: int, ops: list[Operation]) -> None:
    al, bl = a.tolist(), b.tolist()
    n, m = len(al), len(bl)
    table = [list(range(m + 1))]
    for i in range(1, n + 1):
        prev, row = table[-1], [i]
        for j in range(1, m + 1):
            row.append(min(prev[j - 1] + (al[i - 1] != bl[j - 1]), prev[j] + 1, row[j - 1] + 1))
        table.append(row)
    rev: list[Operation] = []
    i, j = n, m
    while i > 0 or j > 0:
        d = table[i][j]
        if i and j and table[i - 1][j - 1] + (al[i - 1] != bl[j - 1]) == d:
            kind = "match" if al[i - 1] == bl[j - 1] else "substitute"
            rev.append((kind, i0 + i - 1, j0 + j - 1))
            i, j = i - 1, j - 1
        elif i and table[i - 1][j] + 1 == d:
            rev.append(("delete", i0 + i - 1, j0 + j))
            i -= 1
        else:
            rev.append(("insert", i0 + i, j0 + j - 1))
            j -= 1
    ops.extend(reversed(rev))


# ----------------------------------------------------------------------- LCS


def _allison_dix(peq: dict[int, int], text: Codes, m: int, columns: list[int] | None = None) -> int:
    """Run the LCS bit-vector over *text*; zero bits of the result are LCS steps.

    Given a list, *columns* receives the vector after each symbol of *text*.
    """
    mask = (1 << m) - 1
    v = mask
    get = peq.get
    keep = columns.append if columns is not None else None
    for c in text.tolist():
        u = v & get(c, 0)
        v = ((v + u) | (v - u)) & mask
        if keep is not None:
            keep(v)
    return v


def _lcs_rowwise(a: Codes, b: Codes) -> Codes:
    """``L(a, b[:i])`` for every ``i`` by a vectorized row DP (any alphabet)."""
    m = len(b)
    row = np.zeros(m + 1, dtype=np.int64)
    for c in a.tolist():
        cand = row.copy()
        np.maximum(cand[1:], row[:-1] + (b == c), out=cand[1:])
        row = np.maximum.accumulate(cand)
    return row


def lcs_length(a: Codes, b: Codes) -> int:
    """The length of a longest common subsequence of two code arrays."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return 0
    peq = _masks(b, a)
    if peq is None:
        return int(_lcs_rowwise(b, a)[-1])
    v = _allison_dix(peq, a, m)
    return m - v.bit_count()


def lcs_rows(a: Codes, b: Codes) -> Codes:
    """``L(a, b[:i])`` for every ``i`` in ``0..len(b)``."""
    m = len(b)
    out = np.zeros(m + 1, dtype=np.int64)
    if m == 0 or len(a) == 0:
        return out
    peq = _masks(b, a)
    if peq is None:
        return _lcs_rowwise(a, b)
    v = _allison_dix(peq, a, m)
    np.cumsum(1 - _bits(v, m), out=out[1:])
    return out


def lcs_pairs(a: Codes, b: Codes) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``a[i] == b[j]`` of one longest common subsequence."""
    pairs: list[tuple[int, int]] = []
    _lcs_split(a, b, 0, 0, pairs)
    return pairs


def _lcs_split(a: Codes, b: Codes, i0: int, j0: int, pairs: list[tuple[int, int]]) -> None:
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return
    if n * m <= _LEAF_CELLS or n == 1:
        _lcs_leaf(a, b, i0, j0, pairs)
        return
    mid = n // 2
    forward = lcs_rows(a[:mid], b)
    backward = lcs_rows(a[mid:][::-1], b[::-1])[::-1]
    k = int(np.argmax(forward + backward))
    _lcs_split(a[:mid], b[:k], i0, j0, pairs)
    _lcs_split(a[mid:], b[k:], i0 + mid, j0 + k, pairs)


def _lcs_leaf(a: Codes, b: Codes, i0: int, j0: int, pairs: list[tuple[int, int]]) -> None:
    m = len(b)
    peq = _masks(b, a)
    al, bl = a.tolist(), b.tolist()
    if peq is None:  # huge alphabet in a small block: plain table
        n = len(al)
        table = [[0] * (m + 1)]
        for i in range(1, n + 1):
            prev, row = table[-1], [0]
            for j in range(1, m + 1):
                row.append(prev[j - 1] + 1 if al[i - 1] == bl[j - 1] else max(prev[j], row[j - 1]))
            table.append(row)
        rev: list[tuple[int, int]] = []
        i, j = n, m
        while i and j:
            if al[i - 1] == bl[j - 1]:
                rev.append((i0 + i - 1, j0 + j - 1))
                i, j = i - 1, j - 1
            elif table[i - 1][j] >= table[i][j - 1]:
                i -= 1
            else:
                j -= 1
        pairs.extend(reversed(rev))
        return
    cols = [(1 << m) - 1]
    _allison_dix(peq, a, m, cols)

    def length(i: int, j: int) -> int:  # L between b[:i] and a[:j]
        return i - (cols[j] & ((1 << i) - 1)).bit_count()

    rev = []
    i, j = m, len(al)
    while i and j:
        if al[j - 1] == bl[i - 1]:
            rev.append((i0 + j - 1, j0 + i - 1))
            i, j = i - 1, j - 1
        elif length(i, j - 1) == length(i, j):
            j -= 1
        else:
            i -= 1
    pairs.extend(reversed(rev))
