"""Path kernels shared by the graph problems: Bellman-Ford, negative cycles, Floyd-Warshall.

Private to :mod:`dptoolkit.problems`. They work on the index form of a graph
(:class:`~dptoolkit.problems._graphs.Arcs`) and compute with the weights'
own kind, so ``int``, ``Fraction`` and ``Decimal`` distances stay exact
(``Arcs.inf`` is "unreachable" of that kind); the numpy Floyd-Warshall is
float64 unless told ``exact``.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from collections.abc import Hashable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from dptoolkit._validate import show
from dptoolkit.errors import NegativeCycleError

from ._graphs import Arcs, Number

__all__ = [
    "DistanceMatrix",
    "bellman_ford",
    "cycle_weight",
    "floyd_warshall",
    "floyd_warshall_next",
    "negative_cycle",
    "walk_back",
]


# ------------------------------------------------------------ shortest paths


def negative_cycle(arcs: Arcs, pred: Sequence[int]) -> list[int] | None:
    """A cycle of the predecessor graph, as indices ``[v0, ..., v0]`` in arc order."""
    n = arcs.n
    state = [0] * n  # 0 unseen, 1 on the current walk, 2 done
    for start in range(n):
        if state[start]:
            continue
        walk = []
        v = start
        while v >= 0 and state[v] == 0:
            state[v] = 1
            walk.append(v)
            v = pred[v]
        if v >= 0 and state[v] == 1:  # closed a cycle (walked backwards along arcs)
            back = walk[walk.index(v) :]
            cycle = back[::-1]
            return [*cycle, cycle[0]]
        for u in walk:
            state[u] = 2
    return None


def raise_negative_cycle(arcs: Arcs, cycle: Sequence[int], *, origin: str) -> None:
    loop = list(cycle[:-1])
    first = loop.index(min(loop))  # start from the node listed first in G
    cycle = [*loop[first:], *loop[:first], loop[first]]
    nodes = [arcs.nodes[i] for i in cycle]
    total = cycle_weight(arcs, cycle)
    raise NegativeCycleError(
        f"G has a negative cycle{' ' + origin if origin else ''}: {show(nodes)} "
        f"of total weight {total}",
        cycle=nodes,
    )


def cycle_weight(arcs: Arcs, cycle: Sequence[int]) -> Number:
    best: dict[tuple[int, int], Number] = {}
    for i, j, w in arcs.arcs:
        if (i, j) not in best or w < best[i, j]:
            best[i, j] = w
    return sum(best[u, v] for u, v in itertools.pairwise(cycle))


def bellman_ford(
    arcs: Arcs, source: int, *, origin: str | None = None
) -> tuple[list[Number], list[int]]:
    """Queue-based Bellman–Ford from *source*: distances and predecessors (-1: none).

    Raises :class:`NegativeCycleError` for a negative cycle reachable from *source*.
    Dijkstra's algorithm when no arc is negative.
    """
    n = arcs.n
    inf = arcs.inf
    dist: list[Number] = [inf] * n
    pred = [-1] * n
    dist[source] = 0
    out = arcs.out
    if all(w >= 0 for _, _, w in arcs.arcs):
        heap: list[tuple[Number, int]] = [(0, source)]
        done = [False] * n
        while heap:
            d, u = heapq.heappop(heap)
            if done[u]:
                continue
            done[u] = True
            for v, w in out[u]:
                nd = d + w
                if nd < dist[v]:
                    dist[v] = nd
                    pred[v] = u
                    heapq.heappush(heap, (nd, v))
        return dist, pred
    # SPFA: a FIFO of nodes whose distance dropped. An arc count per node
    # grows past n - 1 only when a negative cycle keeps lowering distances;
    # then the predecessor graph is searched for a cycle (any cycle in it has
    # negative weight, CLRS lemma 24.16), at most once per n relaxations.
    edges = [0] * n
    queued = [False] * n
    queue = deque([source])
    queued[source] = True
    next_check = 0  # relaxation count before which no new search for a cycle is made
    limit = n * (len(arcs.arcs) + 1)  # no run without a negative cycle relaxes more
    relaxations = 0
    while queue:
        u = queue.popleft()
        queued[u] = False
        du = dist[u]
        for v, w in out[u]:
            nd = du + w
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = u
                edges[v] = edges[u] + 1
                relaxations += 1
                found: list[int] | None = None
                if relaxations > limit:  # past Bellman-Ford's bound: settle it the classic way
                    found = _classic_cycle(arcs, source)
                elif edges[v] >= n and relaxations >= next_check:
                    next_check = relaxations + n  # each search costs O(n): at most one per n
                    found = negative_cycle(arcs, pred)
                if found is not None:
                    if origin is None:
                        origin = f"reachable from {_from(arcs, source)}"
                    raise_negative_cycle(arcs, found, origin=origin)
                if not queued[v]:
                    queued[v] = True
                    queue.append(v)
    return dist, pred


def _classic_cycle(arcs: Arcs, source: int) -> list[int]:
    """A negative cycle by n rounds of plain Bellman-Ford (one must be reachable)."""
    n = arcs.n
    dist: list[Number] = [arcs.inf] * n
    pred = [-1] * n
    dist[source] = 0
    changed = -1
    for _ in range(n):
        changed = -1
        for i, j, w in arcs.arcs:
            if dist[i] + w < dist[j]:
                dist[j] = dist[i] + w
                pred[j] = i
                changed = j
    v = changed
    for _ in range(n):  # n steps back along the predecessors land on the cycle
        v = pred[v]
    loop = [v]
    u = pred[v]
    while u != v:
        loop.append(u)
        u = pred[u]
    loop.reverse()
    return [*loop, loop[0]]


def _from(arcs: Arcs, source: int) -> str:
    return f"source={show(arcs.nodes[source])}"


def walk_back(pred: Sequence[int], target: int) -> list[int]:
    path = [target]
    while pred[path[-1]] >= 0:
        path.append(pred[path[-1]])
    return path[::-1]


# --------------------------------------------------------------- all pairs


class DistanceMatrix(Mapping[Hashable, Mapping[Hashable, Number]]):
    """All-pairs distances as a read-only mapping of mappings: ``value[u][v]``.

    A view over one ``n x n`` array (``.array``, rows and columns in
    ``.nodes`` order); unreachable pairs are ``math.inf``. Compares equal to a
    plain dict of dicts with the same entries.
    """

    def __init__(self, nodes: Sequence[Hashable], array: Any, *, integral: bool) -> None:
        self.nodes = list(nodes)
        self.array = array
        self._index = {node: i for i, node in enumerate(self.nodes)}
        self._integral = integral

    def _number(self, value: Any) -> Number:
        number = value.item() if isinstance(value, np.generic) else value
        if isinstance(number, Decimal) and number.is_infinite():
            return math.inf
        if self._integral and isinstance(number, float) and math.isfinite(number):
            return int(number)
        return number

    def __getitem__(self, u: Hashable) -> Mapping[Hashable, Number]:
        return _Row(self, self._index[u])

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        return f"DistanceMatrix({ {u: dict(self[u]) for u in self.nodes}!r})"


class _Row(Mapping[Hashable, Number]):
    def __init__(self, matrix: DistanceMatrix, i: int) -> None:
        self._matrix = matrix
        self._i = i

    def __getitem__(self, v: Hashable) -> Number:
        m = self._matrix
        return m._number(m.array[self._i, m._index[v]])

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._matrix.nodes)

    def __len__(self) -> int:
        return len(self._matrix.nodes)

    def __repr__(self) -> str:
        return repr(dict(self))


def floyd_warshall(
    n: int, rows: Any, cols: Any, weights: Any, *, exact: bool, inf: Any = math.inf
) -> Any:
    """Distances by Floyd–Warshall, one vectorized ``n x n`` update per pivot ``k``.

    ``exact`` asks for Python-number arithmetic (an object array): integer
    weights too large for float64 to hold exactly, ``Fraction`` or ``Decimal``
    weights (then *inf* is the "unreachable" of their kind). Returns ``(D, k)``:
    ``k`` is the first pivot after which some ``D[i, i] < 0`` (a negative
    cycle), or -1.
    """
    dtype: Any = object if exact else np.float64
    dist = np.full((n, n), inf if exact else math.inf, dtype=dtype)
    if len(rows):
        if exact:
            for i, j, w in zip(rows.tolist(), cols.tolist(), weights, strict=True):
                if w < dist[i, j]:
                    dist[i, j] = w
        else:
            dist[rows, cols] = weights  # arcs are unique (parallel ones combined)
    diag = np.arange(n)
    dist[diag, diag] = np.minimum(dist[diag, diag], 0)
    if (dist[diag, diag] < 0).any():
        return dist, 0
    for k in range(n):
        np.minimum(dist, dist[:, k, None] + dist[None, k, :], out=dist)
        if dist[k, k] < 0 or (k % 64 == 63 and (dist[diag, diag] < 0).any()):
            return dist, k
    if (dist[diag, diag] < 0).any():
        return dist, n - 1
    return dist, -1


def floyd_warshall_next(n: int, arcs: Arcs) -> Any:
    """The next-hop matrix of Floyd–Warshall (``-1``: no path), for path queries."""
    dist = np.full((n, n), math.inf)
    nxt = np.full((n, n), -1, dtype=np.intp)
    for i, j, w in arcs.arcs:
        if w < dist[i, j]:
            dist[i, j] = w
            nxt[i, j] = j
    diag = np.arange(n)
    zero = dist[diag, diag] > 0
    dist[diag[zero], diag[zero]] = 0
    nxt[diag[zero], diag[zero]] = diag[zero]
    unset = nxt[diag, diag] < 0
    nxt[diag[unset], diag[unset]] = diag[unset]
    dist[diag, diag] = np.minimum(dist[diag, diag], 0)
    for k in range(n):
        cand = dist[:, k, None] + dist[None, k, :]
        better = cand < dist
        if better.any():
            dist = np.where(better, cand, dist)
            nxt = np.where(better, nxt[:, k, None], nxt)
    return nxt
