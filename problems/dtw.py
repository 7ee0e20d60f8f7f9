"""Dynamic time warping: the cheapest monotone matching of two time series.

A *warping path* matches the points of series ``x`` (length ``n``) and
``y`` (length ``m``): a list of index pairs ``(i, j)`` from ``(0, 0)`` to
``(n - 1, m - 1)`` where each step advances ``i``, ``j`` or both by one.
Its cost is the sum of ``cost(x[i], y[j])`` over its pairs; DTW is the
cheapest path. ``cost="absolute"`` is ``|x[i] - y[j]|``; ``cost="squared"``
is ``(x[i] - y[j])**2``, and then ``sqrt(value)`` is the Euclidean DTW
distance most libraries report (dtaidistance, tslearn).

``window=w`` restricts the path to a Sakoe-Chiba band [2]_ ``|i - j| <= w``
(``window=0`` on equal lengths is the plain point-by-point distance). A
band narrower than ``|n - m|`` cannot reach the end and is refused.
dtaidistance's ``window=W`` allows ``|i - j| < W`` and is widened to at
least ``|n - m|``, so it equals ``window=W - 1`` here whenever
``W > |n - m|``.

Multivariate series are 2-D: ``x[i]`` a point of ``d`` numbers (a list of
tuples, or an ``n x d`` numpy array); the absolute cost is then the sum of
absolute differences (L1) and the squared cost the squared Euclidean
distance, as dtaidistance's ``dtw_ndim``.

Notes
-----
Recurrence (Sakoe and Chiba [2]_), ``D(i, j)`` the cheapest path from
``(0, 0)`` to ``(i, j)``::

    D(0, 0) = c(0, 0)
    D(i, j) = c(i, j) + min(D(i-1, j-1), D(i-1, j), D(i, j-1))

with ``D = inf`` outside the grid and the band. The goal is
``D(n - 1, m - 1)`` over the ``n x m`` grid in row order; the path is one
walk back along the recorded choices (ties: diagonal, then ``i - 1``, then
``j - 1``).

``fast`` fills rows in C (``dptoolkit._ckernels``), or in numpy when the
extension is not built: within a row ``D(i, j) = P(j) + min_{k <= j} (T(k) -
P(k - 1))``, with ``P`` the running sum of the row's costs and ``T(k) =
min(D(i-1, k-1), D(i-1, k))``, one ``numpy.minimum.accumulate`` per row
(float rounding can differ from the sequential sums in the last bits).

==========  ===================  =====================
strategy    time                 space
==========  ===================  =====================
naive       exponential          O(n + m) stack
top_down    O(n m)               O(n m)
bottom_up   O(n m)               O(n m)
fast        O(n min(m, 2w+1))    O(m) value, O(n m) path
==========  ===================  =====================

Examples
--------
>>> from dptoolkit.problems import dtw
>>> sol = dtw.solve([0, 1, 1, 2], [0, 1, 2])
>>> sol.value
0
>>> sol.path
[(0, 0), (1, 1), (2, 1), (3, 2)]
>>> dtw.solve([1, 2, 3], [2, 2, 2], cost="squared").value
2
>>> dtw.solve([0, 0, 1, 0], [0, 1, 0, 0], window=0).value
2

References
----------
.. [1] D. J. Berndt and J. Clifford, "Using dynamic time warping to find
   patterns in time series", AAAI Workshop on Knowledge Discovery in
   Databases, 359-370, 1994.
.. [2] H. Sakoe and S. Chiba, "Dynamic programming algorithm optimization for
   spoken word recognition", *IEEE Transactions on Acoustics, Speech, and
   Signal Processing* 26(1), 43-49, 1978.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import labelled, prefixes
from dptoolkit._validate import check_choice, check_int, check_number, show

from . import _ckernels
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_memory, run, shows_auto, state

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "path_cost", "solve"]

STRATEGIES = WITH_FAST
COSTS = ("absolute", "squared")
INF = math.inf
Point = Any  # a number, or a tuple of numbers for a multivariate series


def _series(name: str, value: object) -> tuple[list[Point], int]:
    """The points of a series as Python numbers (tuples when 2-D), and the dimension (0 for 1-D)."""
    if type(value).__module__ == "numpy" and hasattr(value, "ndim"):
        arr: Any = value
        if arr.ndim not in (1, 2):
            raise dp.InvalidInput(f"{name} must be 1-D or 2-D (n x d), got shape {arr.shape}")
        if arr.dtype.kind not in "iuf":
            raise dp.InvalidType(f"{name} must hold real numbers, got dtype {arr.dtype}")
        value = arr.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise dp.InvalidType(f"{name}={show(value)} must be a sequence of numbers (or of points)")
    if not value:
        raise dp.InvalidInput(f"{name}={show(value)} must not be empty")
    dim = len(value[0]) if isinstance(value[0], (list, tuple)) else 0
    points: list[Point] = []
    for k, item in enumerate(value):
        if dim:
            if not isinstance(item, (list, tuple)) or len(item) != dim:
                raise dp.InvalidInput(f"{name}[{k}]={show(item)} must be a point of {dim} numbers")
            points.append(tuple(_finite(f"{name}[{k}][{d}]", v) for d, v in enumerate(item)))
        else:
            points.append(_finite(f"{name}[{k}]", item))
    if dim == 0 and not points:
        raise dp.InvalidInput(f"{name} must not be empty")
    return points, dim


def _finite(name: str, value: object) -> int | float:
    if isinstance(value, (Fraction, Decimal)):  # the fast kernel works in float64: no rounding
        raise dp.InvalidType(f"{name}={show(value)} must be an int or a float")
    return check_number(name, value)


def _check(
    x: object, y: object, window: object, cost: object
) -> tuple[list[Point], list[Point], int | None, str]:
    xs, dx = _series("x", x)
    ys, dy = _series("y", y)
    if dx != dy:
        raise dp.InvalidInput(
            f"x has points of dimension {dx or 1} but y of dimension {dy or 1}; they must agree"
        )
    cost = check_choice("cost", cost, COSTS)
    w = None if window is None else check_int("window", window)
    if w is not None and w < abs(len(xs) - len(ys)):
        raise dp.InvalidInput(
            f"window={w} is narrower than the length difference |{len(xs)} - {len(ys)}|; "
            "no warping path reaches the end"
        )
    return xs, ys, w, cost


def _coster(cost: str) -> Any:
    if cost == "absolute":

        def c(p: Point, q: Point) -> Any:
            if isinstance(p, tuple):
                return sum(abs(u - v) for u, v in zip(p, q, strict=False))
            return abs(p - q)

    else:

        def c(p: Point, q: Point) -> Any:
            if isinstance(p, tuple):
                return sum((u - v) * (u - v) for u, v in zip(p, q, strict=False))
            return (p - q) * (p - q)

    return c


def _recurrence(xs: list[Point], ys: list[Point], w: int | None, cost: str) -> Recurrence:
    c = _coster(cost)
    n, m = len(xs), len(ys)

    @dp.recurrence(states=lambda i, j: dp.grid(n, m))
    def warp(i: int, j: int) -> Any:
        if w is not None and abs(i - j) > w:
            return INF  # outside the band: never read
        here = c(xs[i], ys[j])
        if i == 0 and j == 0:
            return here
        cands = []
        if i and j:
            cands.append((warp(i - 1, j - 1), "diag"))
        if i and (w is None or abs(i - 1 - j) <= w):
            cands.append((warp(i - 1, j), "up"))
        if j and (w is None or abs(j - 1 - i) <= w):
            cands.append((warp(i, j - 1), "left"))
        return here + dp.choose(cands, best=min)

    return warp


@labelled
def build(
    x: Sequence[Point], y: Sequence[Point], *, window: int | None = None, cost: str = "absolute"
) -> tuple[Recurrence, tuple[int, int]]:
    """The DTW recurrence and its goal ``(len(x) - 1, len(y) - 1)``.

    Examples
    --------
    >>> rec, goal = build([1, 3, 4], [1, 4])
    >>> rec.solve(*goal, strategy="bottom_up").value
    1
    """
    xs, ys, w, cost = _check(x, y, window, cost)
    return _recurrence(xs, ys, w, cost), (len(xs) - 1, len(ys) - 1)


def _walk(choices: Any, n: int, m: int) -> list[tuple[int, int]]:
    i, j = n - 1, m - 1
    path = [(i, j)]
    while i or j:
        move = state(choices, (i, j))
        if move == "diag":
            i, j = i - 1, j - 1
        elif move == "up":
            i -= 1
        else:
            j -= 1
        path.append((i, j))
    path.reverse()
    return path


def path_cost(
    x: Sequence[Point],
    y: Sequence[Point],
    path: Sequence[tuple[int, int]],
    *,
    cost: str = "absolute",
) -> Any:
    """The cost of a warping path, after checking that it is one (the definition).

    Examples
    --------
    >>> path_cost([0, 2], [1, 2], [(0, 0), (1, 1)])
    1
    """
    xs, ys, _, cost = _check(x, y, None, cost)
    path = list(path)
    if not path or path[0] != (0, 0) or path[-1] != (len(xs) - 1, len(ys) - 1):
        raise dp.InvalidInput(f"path={show(path)} must run from (0, 0) to the last pair")
    for (i, j), (p, q) in itertools.pairwise(path):
        if (p - i, q - j) not in ((1, 0), (0, 1), (1, 1)):
            raise dp.InvalidInput(f"path steps from {(i, j)} to {(p, q)}, not by one")
    c = _coster(cost)
    return sum(c(xs[i], ys[j]) for i, j in path)


def brute_force(
    x: Sequence[Point], y: Sequence[Point], *, window: int | None = None, cost: str = "absolute"
) -> Any:
    """The cheapest of *all* warping paths inside the band (exponential; tiny inputs).

    Examples
    --------
    >>> brute_force([0, 1, 1, 2], [0, 1, 2])
    0
    """
    xs, ys, w, cost = _check(x, y, window, cost)
    n, m = len(xs), len(ys)
    best: Any = INF
    stack = [[(0, 0)]]
    while stack:
        path = stack.pop()
        i, j = path[-1]
        if (i, j) == (n - 1, m - 1):
            best = min(best, path_cost(xs, ys, path, cost=cost))
            continue
        for p, q in ((i + 1, j), (i, j + 1), (i + 1, j + 1)):
            if p < n and q < m and (w is None or abs(p - q) <= w):
                stack.append([*path, (p, q)])
    return best


# ---------------------------------------------------------------- fast


def _integral(points: list[Point]) -> bool:
    return all(isinstance(v, int) for p in points for v in (p if isinstance(p, tuple) else (p,)))


def _arrays(xs: list[Point], ys: list[Point]) -> tuple[Any, Any]:
    fx = np.ascontiguousarray(xs, dtype=np.float64)
    fy = np.ascontiguousarray(ys, dtype=np.float64)
    return fx.reshape(len(xs), -1), fy.reshape(len(ys), -1)


def _costs_row(fx: Any, fy: Any, i: int, squared: bool) -> Any:
    diff = fy - fx[i]
    return (diff * diff).sum(axis=1) if squared else np.abs(diff).sum(axis=1)


def _fast(fx: Any, fy: Any, w: int | None, squared: bool, moves: Any) -> float:
    """Row-by-row DTW; *moves* (n x m int8 or None) receives 0 diag, 1 up, 2 left."""
    n, m = len(fx), len(fy)
    if _ckernels.C is not None:
        band = -1 if w is None else w
        value, raw = _ckernels.C.dtw(fx, fy, band, squared, moves is not None)
        if moves is not None:
            moves[:] = np.frombuffer(raw, dtype=np.int8).reshape(n, m)
        return float(value)
    prev = np.full(m, INF)
    for i in range(n):
        lo, hi = (0, m) if w is None else (max(0, i - w), min(m, i + w + 1))
        c = _costs_row(fx, fy, i, squared)[lo:hi]
        t = np.full(hi - lo, INF)
        if i == 0:
            t[0] = 0.0
        else:
            up = prev[lo:hi]
            diag = np.concatenate(([INF], prev[lo : hi - 1])) if lo == 0 else prev[lo - 1 : hi - 1]
            t = np.minimum(diag, up)
        csum = np.cumsum(c)
        shifted = np.concatenate(([0.0], csum[:-1]))
        row = csum + np.minimum.accumulate(t - shifted)
        if moves is not None and i:
            left = np.concatenate(([INF], row[:-1]))
            moves[i, lo:hi] = np.argmin(np.vstack((diag, up, left)), axis=0)
        elif moves is not None:
            moves[0, lo:hi] = 2
        prev = np.full(m, INF)
        prev[lo:hi] = row
    return float(prev[m - 1])


@shows_auto
def solve(
    x: Sequence[Point],
    y: Sequence[Point],
    *,
    window: int | None = None,
    cost: str = "absolute",
    strategy: str = "auto",
    k: int | None = None,
) -> Solution:
    """The DTW cost of ``x`` and ``y``, with a cheapest warping path.

    Parameters
    ----------
    x, y : sequence of numbers, or of points (tuples of ``d`` numbers)
        Lists, tuples or numpy arrays (1-D, or 2-D ``n x d``); not empty.
    window : int, optional
        Sakoe-Chiba band: only pairs with ``|i - j| <= window``.
    cost : {"absolute", "squared"}
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* cheapest warping paths: ``sol.k_best``, best
        first, each with its ``.path`` (``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value`` the cost (an ``int`` for integer series, else a
        ``float``); ``.path`` the pairs
        ``(i, j)`` from ``(0, 0)`` to ``(n - 1, m - 1)``. ``sol.count()``
        and ``sol.witnesses()``: every cheapest warping path (an ``auto``
        answer re-solves with ``bottom_up`` for them, a ``fast`` one
        refuses them).

    Raises
    ------
    dptoolkit.InvalidType
        For a series that is not a sequence of numbers, a bad window type.
    dptoolkit.InvalidInput
        For an empty series, NaN or infinity, points of different
        dimensions, an unknown cost, a negative window or one narrower than
        ``|len(x) - len(y)|``.

    Examples
    --------
    >>> solve([1, 2, 3, 3], [1, 3], cost="squared", strategy="top_down").path
    [(0, 0), (1, 0), (2, 1), (3, 1)]
    """
    xs, ys, w, cost = _check(x, y, window, cost)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="dtw", k=k)
    n, m = len(xs), len(ys)
    if strategy == "fast":
        fx, fy = _arrays(xs, ys)
        squared = cost == "squared"
        value: Any = _fast(fx, fy, w, squared, None)
        if _integral(xs) and _integral(ys) and abs(value) < 2**53:
            value = int(value)  # integer series: the float sums are exact, as the engine's

        def path() -> list[tuple[int, int]]:
            check_memory("x", f"<{n:,} points>", n * m, shown=f"<{n:,} points>")
            moves = np.zeros((n, m), dtype=np.int8)
            _fast(fx, fy, w, squared, moves)
            labels = ("diag", "up", "left")
            return _walk(_Moves(moves, labels), n, m)

        return engine_later(
            dp.Solution(value, strategy="fast", lazy={"path": path}),
            asked,
            lambda: solve(xs, ys, window=w, cost=cost, strategy="bottom_up"),
        )
    rec = _recurrence(xs, ys, w, cost)
    sol = run(rec, (n - 1, m - 1), strategy, visits=n * m, k=k)
    choices = sol.choices
    value = sol.value.item() if hasattr(sol.value, "item") else sol.value
    return sol.with_fields(
        value=value,
        lazy={"path": lambda: _walk(choices, n, m)},
        step=_back,  # one warping path per choice path
        witness_of=lambda each: {"path": _walk(each.choices, n, m)},
        # cell (i, j): the cheapest warp ending with x[i] against y[j]
        labels=prefixes(xs, ys, names=("x", "y"), goal=(n - 1, m - 1), step=_back, empty=False),
    )


#: how each move of the warping path steps back, ``(di, dj)``
_BACK = {"diag": (1, 1), "up": (1, 0), "left": (0, 1)}


def _back(cell: tuple[int, int], move: Any) -> tuple[int, int] | None:
    """The cell before *cell* on the warping path (``None`` at the start)."""
    back = _BACK.get(move) if isinstance(move, str) else None
    return None if back is None else (cell[0] - back[0], cell[1] - back[1])


class _Moves:
    """An ``n x m`` array of move codes read as the engine's choices."""

    def __init__(self, moves: Any, labels: tuple[str, ...]) -> None:
        self.moves, self.labels = moves, labels

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: tuple[int, int]) -> str:
        return self.labels[int(self.moves[key])]


PROBLEMS = (
    dp.Problem(
        name="dtw",
        summary="Dynamic time warping cost of two time series, with the warping path.",
        recurrence=(
            "D(i, j) = c(x[i], y[j]) + min(D(i-1, j-1), D(i-1, j), D(i, j-1)); "
            "D(0, 0) = c(x[0], y[0]); |i - j| <= window"
        ),
        time="O(n m)",
        space="O(n m)",
        strategies=STRATEGIES,
        solve=solve,
        module=__name__,
        example=([0, 1, 1, 2], [0, 1, 2]),
        witness=("path",),
        build=build,
        aliases=("dynamic_time_warping",),
    ),
)
