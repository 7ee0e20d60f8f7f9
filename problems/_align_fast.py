"""The ``fast`` alignment kernel: Gotoh's three tables row by row, in C or numpy.

Private to :mod:`dptoolkit.problems.alignment`. Sequences come as integer
codes and a dense ``K x K`` float64 score matrix. :func:`score` keeps two rows
(linear space); :func:`trace` also keeps one byte of back-pointers per cell
(bits 0-1: the table ``M`` came from, 3 for a local start; bits 2-3: ``X``'s;
bits 4-5: ``Y``'s) and returns them as a mapping that reads like the
engine's ``sol.choices``, so one walk serves every strategy.

The numpy twin computes a row of ``Y`` (a gap in ``a``, extended along the
row) as a running maximum: ``Y[j] = o + (j - 1) e + max_{k < j} (B[k] - k e)``
with ``B = max(M, X)`` of the same row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _ckernels
from ._run import check_memory

__all__ = ["MODES", "columns", "score", "trace"]

MODES = {"global": 0, "local": 1, "semiglobal": 2}
NEG = -np.inf


class Choices:
    """Back-pointers read as ``choices[(i, j, t)]`` (the engine's labels).

    Three fields per cell (``linear=False``), or, from the C kernel's
    linear-gap path, one code per cell ``k | fresh << 2``: ``k`` the table
    ``D = max(M, X, Y)`` came from, ``fresh`` that ``M`` starts a local
    alignment there; a cell's labels are then its neighbours' ``k``.
    """

    def __init__(
        self, ptr: Any, n: int, m: int, end: tuple[int, int, int] | None, *, linear: bool = False
    ) -> None:
        self.ptr, self.n, self.m, self.end, self.linear = ptr, n, m, end, linear

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: tuple[int, int, int]) -> Any:
        i, j, t = key
        if i > self.n:
            return self.end
        w = self.m + 1
        if self.linear:
            if t == 0:
                if self.ptr[i * w + j] & 4:
                    return "start"
                return int(self.ptr[(i - 1) * w + j - 1]) & 3
            return int(self.ptr[(i - 1) * w + j] if t == 1 else self.ptr[i * w + j - 1]) & 3
        code = (int(self.ptr[i * w + j]) >> (2 * t)) & 3
        return "start" if code == 3 else code


def score(
    ca: Any, cb: Any, table: Any, o: float, e: float, mode: str
) -> tuple[float, tuple[int, int] | None]:
    """The best score (linear space), and its end cell ``(i, j)`` (``None``: empty local)."""
    if _ckernels.C is not None:
        value, ei, ej, _, _, _ = _ckernels.C.align(
            ca, cb, table, float(o), float(e), MODES[mode], False
        )
        return float(value), (None if ei < 0 else (ei, ej))
    value, end = _numpy(ca, cb, table, float(o), float(e), mode, None)
    return value, (None if end is None else end[:2])


def trace(ca: Any, cb: Any, table: Any, o: float, e: float, mode: str) -> Choices:
    """The back-pointers of every cell and the best end cell (one byte per cell)."""
    n, m = len(ca), len(cb)
    check_memory("a", f"{n:,} x {m:,} letters", (n + 1) * (m + 1), shown=f"<{n:,} letters>")
    if _ckernels.C is not None:
        _, ei, ej, et, raw, linear = _ckernels.C.align(
            ca, cb, table, float(o), float(e), MODES[mode], True
        )
        end = None if ei < 0 else (ei, ej, et)
        return Choices(raw, n, m, end, linear=bool(linear))
    else:
        ptr = np.zeros((n + 1) * (m + 1), dtype=np.uint8)
        _value, end = _numpy(ca, cb, table, float(o), float(e), mode, ptr)
    return Choices(ptr, n, m, end)


def columns(
    choices: Choices, mode: str
) -> tuple[list[tuple[int, int]], tuple[tuple[int, int], tuple[int, int]]] | None:
    """The walk back in C (columns, span) for pointers the C kernel made, else ``None``."""
    if _ckernels.C is None or not isinstance(choices.ptr, bytes) or choices.end is None:
        return None
    ei, ej, et = choices.end
    raw, i0, i1, j0, j1 = _ckernels.C.align_walk(
        choices.ptr, choices.n, choices.m, MODES[mode], ei, ej, et, choices.linear
    )
    flat = np.frombuffer(raw, dtype=np.int32).reshape(-1, 2).tolist()
    return [(p, q) for p, q in flat], ((i0, i1), (j0, j1))


def _numpy(
    ca: Any, cb: Any, table: Any, o: float, e: float, mode: str, ptr: Any
) -> tuple[float, tuple[int, int, int] | None]:
    n, m = len(ca), len(cb)
    free = mode == "semiglobal"
    local = mode == "local"
    cols = np.arange(m + 1, dtype=np.float64)
    rows = ptr.reshape(n + 1, m + 1) if ptr is not None else None
    mp = np.full(m + 1, NEG)
    mp[0] = 0.0
    xp = np.full(m + 1, NEG)
    yp = np.full(m + 1, NEG)
    yp[1:] = 0.0 if free else o + (cols[1:] - 1) * e
    if rows is not None:
        rows[0, 1:] = 2 << 4  # Y(0, j) extends Y(0, j - 1); Y(0, 1) opens from M(0, 0)
        rows[0, 1:2] = 0
    best, end = (0.0, None) if local else (NEG, None)
    if free:
        best, end = _last(mp, xp, yp, 0, m, best, end, n)
    zeros = np.zeros(m)
    for i in range(1, n + 1):
        s = table[ca[i - 1]][cb] if m else zeros
        diag = (
            np.vstack((zeros, mp[:-1], xp[:-1], yp[:-1]))
            if local
            else np.vstack((mp[:-1], xp[:-1], yp[:-1]))
        )
        kd = np.argmax(diag, axis=0)
        mc = np.empty(m + 1)
        mc[0] = NEG
        mc[1:] = s + diag[kd, np.arange(m)]
        up = np.vstack((mp + o, xp + e, yp + o))
        ku = np.argmax(up, axis=0)
        xc = up[ku, np.arange(m + 1)]
        if free:
            xc[0] = 0.0
        b = np.maximum(mc, xc)
        yc = np.empty(m + 1)
        yc[0] = NEG
        if m:
            run = np.maximum.accumulate(b - cols * e)
            yc[1:] = o + (cols[1:] - 1) * e + run[:-1]
        if rows is not None:
            mcode = (kd - 1) % 4 if local else kd  # local: 0 is a start (3)
            left = np.vstack((mc[:-1] + o, yc[:-1] + e, xc[:-1] + o))
            kl = np.array([0, 2, 1], dtype=np.uint8)[np.argmax(left, axis=0)]
            rows[i, 1:] = mcode.astype(np.uint8) | (ku[1:].astype(np.uint8) << 2) | (kl << 4)
            rows[i, 0] = ku[0] << 2
        if local and m:
            k = int(np.argmax(mc[1:])) + 1
            if mc[k] > best:
                best, end = float(mc[k]), (i, k, 0)
        elif free:
            best, end = _last(mc, xc, yc, i, m, best, end, n)
        mp, xp, yp = mc, xc, yc
    if mode == "global":
        k = int(np.argmax([mp[m], xp[m], yp[m]]))
        best, end = float((mp[m], xp[m], yp[m])[k]), (n, m, k)
    return best, end


def _last(
    mc: Any, xc: Any, yc: Any, i: int, m: int, best: float, end: Any, n: int
) -> tuple[float, Any]:
    """Semiglobal ends: the last column of row ``i``, or the whole row when ``i == n``."""
    cells = [(i, q) for q in range(m + 1)] if i == n else [(i, m)]
    for p, q in cells:
        for t, table in enumerate((mc, xc, yc)):
            if table[q] > best:
                best, end = float(table[q]), (p, q, t)
    return best, end
