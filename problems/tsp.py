"""The travelling salesman problem: the shortest tour through every city, by Held-Karp.

Given ``n`` cities and the distance ``D[i][j]`` of going from city ``i`` to
city ``j``, find a tour that starts at city 0, visits every other city
exactly once and comes back to city 0, with the least total distance. The
distances may be asymmetric (``D[i][j] != D[j][i]``: one-way streets, wind,
climbing): a tour is then travelled in the order given, and its reverse may
cost something else. The diagonal is ignored.

The input is a square matrix (nested lists or a numpy array) or a complete
networkx graph; for a graph, city 0 is the first node of ``G`` and the tour
lists nodes. An undirected graph is symmetric; a ``DiGraph`` reads the arc
``(u, v)`` as ``D[u][v]``. Missing edge attributes weigh 1, as in networkx.

Notes
-----
Recurrence (Held and Karp [1]_; Bellman [2]_): ``C(S, j)`` is the shortest
path that leaves city 0, visits exactly the cities of the set ``S`` (city 0
not in it) and ends at ``j`` in ``S``::

    C({j}, j) = D[0][j]
    C(S, j)   = min over k in S - {j} of  C(S - {j}, k) + D[k][j]
    tour      = min over k of  C(all, k) + D[k][0]

The sets are bitmasks of cities ``1 .. n - 1`` (``dp.subsets``), filled by
size, and the states are ``(S, j)`` in
``dp.grid(dp.subsets(n - 1), range(n - 1, -1, -1))``: the state
``(all, 0)`` is the closed tour (``j = 0`` means "back at city 0"), filled
after every ``(all, k)`` because the city axis runs backwards; the other
states with ``j`` not in ``S`` are never read. Each state
records the city ``k`` before ``j``; the tour is read back from
``(all, 0)``. Ties take the smallest ``k``.

``fast`` fills the same table with numpy, one vectorized step per set size
and last city over every set at once (``int64`` for integer distances whose
tours provably fit, ``float64`` for floats, Python objects for larger
integers and for ``Fraction`` or ``Decimal`` distances, which stay exact),
and keeps an ``int8`` table of predecessors for the tour. It needs about
``9 n 2^(n-1)`` bytes plus one layer's temporaries: 20 cities peak at 173 MiB
of resident memory; past 2 GiB (24 cities) it is refused before it
starts.

============  ======================  ==================
strategy      time                    space
============  ======================  ==================
naive         O(n!) calls             O(n) stack
top_down      O(n^2 2^n)              O(n 2^n)
bottom_up     O(n^2 2^n)              O(n 2^n)
fast          O(n^2 2^n), vectorized  O(n 2^n)
============  ======================  ==================

Examples
--------
The directed four-city example of Horowitz and Sahni [3]_ (Section 5.9),
where the distances are asymmetric; the best tour is ``1, 2, 4, 3, 1`` in
their 1-based numbering:

>>> from dptoolkit.problems import tsp
>>> D = [[0, 10, 15, 20], [5, 0, 9, 10], [6, 13, 0, 12], [8, 8, 9, 0]]
>>> sol = tsp.solve(D)
>>> sol.value, sol.tour
(35, [0, 1, 3, 2, 0])
>>> tsp.solve(D, strategy="top_down").tour
[0, 1, 3, 2, 0]
>>> one_way = [[0, 1, 9], [9, 0, 1], [1, 9, 0]]   # cheap only around 0 -> 1 -> 2 -> 0
>>> tsp.solve(one_way).tour, tsp.solve(one_way).value
([0, 1, 2, 0], 3)

References
----------
.. [1] M. Held, R. M. Karp, "A dynamic programming approach to sequencing
   problems", *Journal of SIAM* 10(1), 196-210, 1962.
.. [2] R. Bellman, "Dynamic programming treatment of the travelling salesman
   problem", *Journal of the ACM* 9(1), 61-63, 1962.
.. [3] E. Horowitz, S. Sahni, *Fundamentals of Computer Algorithms*,
   Section 5.9 ("The traveling salesperson problem"), Computer Science
   Press, 1978.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, Ticks, labelled
from dptoolkit._validate import check_exact_number, number_kind, show

from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_memory, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve", "tour_length"]

STRATEGIES = WITH_FAST

#: A distance or a sum of them: int, float, Fraction or Decimal (one non-int kind per
#: instance, so they add without rounding; Python has no static type for that).
Number = Any
State = tuple[int, int]
Matrix = list[list[Number]]

#: The most cities :func:`solve` reads at all (``dp.subsets`` holds 26 items).
MAX_CITIES = 27
_INT64_SAFE = 2**61  # every path total below this, the sentinel 2**62 cannot overflow


def _number(where: str, value: object, kinds: dict[type, str]) -> Number:
    """A non-negative finite distance, exact kinds kept exact; *kinds* refuses a rounding mix."""
    number = check_exact_number(where, value, allow_negative=False)
    number_kind(where, number, kinds)
    return number


def _from_graph(G: Any, weight: object) -> tuple[list[Hashable], Matrix]:
    import networkx as nx

    if G.is_multigraph():
        raise dp.InvalidType(f"D={show(G)} must be a simple graph or DiGraph, not a multigraph")
    if not isinstance(weight, str):
        raise dp.InvalidType(f"weight={show(weight)} must be an edge attribute name (a str)")
    nodes = list(G)
    rows: Matrix = []
    kinds: dict[type, str] = {}
    for u in nodes:
        row: list[Number] = []
        for v in nodes:
            if u == v:
                row.append(0)
                continue
            data = G.get_edge_data(u, v)
            if data is None:
                raise dp.InvalidInput(
                    f"D has no edge ({u!r}, {v!r}); tsp needs a complete graph "
                    f"({'every ordered pair' if G.is_directed() else 'every pair'} of nodes)"
                )
            row.append(_number(f"D[{u!r}][{v!r}][{weight!r}]", data.get(weight, 1), kinds))
        rows.append(row)
    assert isinstance(G, nx.Graph)
    return nodes, rows


def _check(D: object, weight: object = "weight") -> tuple[list[Hashable], Matrix]:
    """The nodes (city 0 first) and the validated distance matrix."""
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover - networkx is a dependency
        nx = None
    if nx is not None and isinstance(D, nx.Graph):
        nodes, rows = _from_graph(D, weight)
    else:
        if isinstance(D, np.ndarray):
            if D.ndim != 2:
                raise dp.InvalidInput(f"D must be a square matrix, got an array of shape {D.shape}")
            D = D.tolist()
        if isinstance(D, (str, bytes)) or not isinstance(D, Sequence):
            raise dp.InvalidType(
                f"D={show(D)} must be a square distance matrix (a list of rows) "
                "or a complete networkx graph"
            )
        n = len(D)
        rows = []
        seen: dict[type, str] = {}
        for i, row in enumerate(D):
            if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
                raise dp.InvalidType(f"D[{i}]={show(row)} must be a row of distances")
            if len(row) != n:
                raise dp.InvalidInput(
                    f"D[{i}] has {len(row)} entries but D has {n} rows; D must be square"
                )
            rows.append(
                [0 if i == j else _number(f"D[{i}][{j}]", x, seen) for j, x in enumerate(row)]
            )
        nodes = list(range(n))
    if not nodes:
        raise dp.InvalidInput(f"D={show(D)} must have at least one city")
    if len(nodes) > MAX_CITIES:
        raise dp.InvalidInput(
            f"D has {len(nodes)} cities; tsp solves at most {MAX_CITIES} exactly "
            f"(the table of 2^(n-1) subsets past that does not fit in memory)"
        )
    return nodes, rows


def _recurrence(dist: Matrix) -> tuple[Recurrence, State]:
    """The recurrence on a validated matrix (see :func:`build`)."""
    n = len(dist)
    m = n - 1
    full = (1 << m) - 1

    @dp.recurrence(states=lambda s, j: dp.grid(dp.subsets(m), range(n - 1, -1, -1)))
    def path(s: int, j: int) -> Number:
        if m == 0:
            return 0  # one city: the empty tour
        if j == 0:
            if s != full:
                return math.inf  # not a state of the problem; never read
            closing = ((path(full, k) + dist[k][0], k) for k in range(1, n))
            tour: Number = dp.choose(closing, best=min)
            return tour
        bit = 1 << (j - 1)
        if not s & bit:
            return math.inf  # j is not in S; never read
        rest = s ^ bit
        if not rest:
            return dist[0][j]
        options = ((path(rest, k) + dist[k][j], k) for k in range(1, n) if rest >> (k - 1) & 1)
        best: Number = dp.choose(options, best=min)
        return best

    return path, (full, 0)


@labelled
def build(D: Any, *, weight: str = "weight") -> tuple[Recurrence, State]:
    """The Held-Karp recurrence for this instance, and the goal state ``(all, 0)``.

    ``all`` is the bitmask of cities ``1 .. n - 1``; each state records the
    city before its last.

    Examples
    --------
    >>> rec, goal = build([[0, 2, 9], [1, 0, 6], [15, 7, 0]])
    >>> goal
    (3, 0)
    >>> sol = rec.solve(*goal, strategy="bottom_up")
    >>> sol.value, sol.choices[goal]   # the tour 0, 2, 1, 0 comes home from city 1
    (17, 1)
    """
    return _recurrence(_check(D, weight)[1])


def _tour(sol: Solution, n: int) -> list[int]:
    """City indices of the tour, read back from the recorded predecessors."""
    if n == 1:
        return [0, 0]
    full = (1 << (n - 1)) - 1
    backwards = [k for _, k in sol.walk((full, 0), lambda st, k: ((st[0] ^ _bit(st[1])), k))]
    return [0, *reversed(backwards), 0]


def _bit(j: int) -> int:
    return 0 if j == 0 else 1 << (j - 1)


def tour_length(D: Any, tour: Sequence[Any], *, weight: str = "weight") -> Number:
    """The length of a closed *tour* (first == last) under the distances *D*.

    Examples
    --------
    >>> tour_length([[0, 1, 9], [9, 0, 1], [1, 9, 0]], [0, 2, 1, 0])
    27
    """
    nodes, rows = _check(D, weight)
    index = {node: i for i, node in enumerate(nodes)}
    cities = [index[node] for node in tour]
    total: Number = sum(rows[a][b] for a, b in itertools.pairwise(cities))
    return total


def brute_force(D: Any, *, weight: str = "weight") -> tuple[Number, list[Any]]:
    """The shortest tour by trying all ``(n - 1)!`` orders of the other cities.

    Ties keep the first order in lexicographic order. Small ``n`` only.

    Examples
    --------
    >>> brute_force([[0, 2, 9], [1, 0, 6], [15, 7, 0]])
    (17, [0, 2, 1, 0])
    """
    nodes, rows = _check(D, weight)
    best: Number | None = None
    best_order: tuple[int, ...] = ()
    for order in itertools.permutations(range(1, len(nodes))):
        cities = (0, *order, 0)
        length: Number = sum(rows[a][b] for a, b in itertools.pairwise(cities))
        if best is None or length < best:
            best, best_order = length, order
    assert best is not None
    return best, [nodes[0], *(nodes[k] for k in best_order), nodes[0]]


def _fast_bytes(n: int) -> int:
    """What :func:`_fast` holds at its peak: the tables, the masks, one layer's temporaries."""
    m = n - 1
    if m < 2:
        return 0
    tables = (1 << m) * (9 * m + 9)  # costs (8 bytes), predecessors (1), masks (8), counts (1)
    widest = math.comb(m, m // 2) * 3 * 8 * m  # a layer's gathered rows, their sums, argmin
    return tables + widest


def _fast(dist: Matrix) -> tuple[Number, list[int]]:
    """Held-Karp in numpy: each set size in one vectorized step per last city."""
    n = len(dist)
    m = n - 1
    if m == 0:
        return 0, [0, 0]
    if m == 1:
        return dist[0][1] + dist[1][0], [0, 1, 0]
    kinds = {type(x) for row in dist for x in row} - {int}
    biggest = max(max(row) for row in dist)
    if not kinds and biggest * n < _INT64_SAFE:
        dtype: Any = np.int64
        inf: Any = 2**62
    elif kinds == {float}:
        dtype, inf = np.float64, math.inf
    else:  # exact: big ints, Fraction or Decimal as Python objects (slow, but never rounded)
        dtype, inf = object, (Decimal("Infinity") if Decimal in kinds else math.inf)
    d = np.array([row[1:] for row in dist[1:]], dtype=dtype)  # city k+1 -> city j+1
    start = np.array(dist[0][1:], dtype=dtype)
    back = np.array([row[0] for row in dist[1:]], dtype=dtype)
    size = 1 << m
    cost = np.full((size, m), inf, dtype=dtype)
    before = np.full((size, m), -1, dtype=np.int8)
    bits = 1 << np.arange(m, dtype=np.int64)
    cost[bits, np.arange(m)] = start
    masks = np.arange(size, dtype=np.int64)
    popcount = np.zeros(size, dtype=np.int8)
    for k in range(m):
        popcount += (masks >> k & 1).astype(np.int8)
    for count in range(2, m + 1):
        layer = masks[popcount == count]
        for j in range(m):
            sel = layer[(layer >> j & 1).astype(bool)]
            prev = sel ^ (1 << j)
            options = cost[prev] + d[:, j][None, :]  # rows: sets; columns: the city k before j
            k = np.argmin(options, axis=1)
            cost[sel, j] = options[np.arange(len(sel)), k]
            before[sel, j] = k
    closing = cost[size - 1] + back
    last = int(np.argmin(closing))
    value = closing[last]
    s, j = size - 1, last
    backwards = []
    while j >= 0:
        backwards.append(j + 1)
        k = int(before[s, j])
        s ^= 1 << j
        j = k
    tour = [0, *reversed(backwards), 0]
    return (value.item() if isinstance(value, np.generic) else value), tour


@shows_auto
def solve(
    D: Any, *, weight: str = "weight", strategy: str = "auto", k: int | None = None
) -> Solution:
    """The shortest tour from city 0 through every city and back, and its order.

    Parameters
    ----------
    D : square matrix (list of rows, numpy array) or networkx graph
        ``D[i][j] >= 0`` is the distance from city ``i`` to city ``j``
        (asymmetric allowed; the diagonal is ignored), or a complete graph
        whose edges carry the distance in the attribute *weight*.
    weight : str
        The edge attribute of a graph (missing attributes weigh 1).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.
    k : int, optional
        The *k* shortest tours as well, in ``sol.k_best`` (best first, each
        with its ``.tour``); how *k* and ``count()`` treat ``auto`` and
        ``fast``: "Kernels and auto" in the guide *More than one answer*.

    Returns
    -------
    dp.Solution
        ``.value``: the tour's length. ``.tour``: the cities in the order
        visited, from city 0 back to city 0 (node labels for a graph).

    Raises
    ------
    dptoolkit.InvalidInput
        For a negative, infinite or NaN distance, a matrix that is not
        square, an empty matrix, a graph that is not complete, more than 27
        cities, a ``fast`` table past 2 GiB (``InvalidType`` for wrong
        types and multigraphs).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` past a million calls (11 cities and more), and
        ``top_down``/``bottom_up`` past 2**25 states (22 cities and more).

    Examples
    --------
    >>> solve([[0, 2, 9], [1, 0, 6], [15, 7, 0]], strategy="naive").tour
    [0, 2, 1, 0]
    """
    nodes, dist = _check(D, weight)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="tsp", k=k)
    n = len(dist)
    if strategy == "fast":
        check_memory("D", D, _fast_bytes(n), shown=f"<{n} cities>")
        value, cities = _fast(dist)
        return engine_later(
            dp.Solution(value, strategy="fast", witness={"tour": [nodes[c] for c in cities]}),
            asked,
            lambda: solve(D, weight=weight, strategy="bottom_up"),
        )
    rec, goal = _recurrence(dist)
    sol = run(rec, goal, strategy, visits=n << (n - 1), reads=(n * n) << (n - 1), k=k)
    return sol.with_fields(
        labels=_labels(nodes, goal, dist),
        lazy={"tour": lambda: [nodes[c] for c in _tour(sol, n)]},
        step=lambda st, k: (st[0] ^ _bit(st[1]), k),  # sol.count(), sol.witnesses(): one tour each
        witness_of=lambda each: {"tour": [nodes[c] for c in _tour(each, n)]},
    )


def _labels(nodes: Sequence[Hashable], goal: State, dist: Matrix) -> Labels:
    """Rows: the set S of cities visited besides city 0 (its bitmask); columns: the last city.

    The instances of growing size are the first ``k`` cities' tours.
    """
    names = [node if isinstance(node, str) else show(node) for node in nodes]

    def visited(s: int) -> str:
        return "{" + ",".join(names[c] for c in range(1, len(names)) if s >> (c - 1) & 1) + "}"

    rows = Ticks(1 << (len(names) - 1), visited)
    return Labels(
        ("S: cities visited after 0", "j: the last city"),
        (rows, names),
        goal=goal,
        sizes=lambda: [
            (k, *_recurrence([row[:k] for row in dist[:k]])) for k in range(2, len(dist) + 1)
        ],
    )


PROBLEMS = (
    dp.Problem(
        name="tsp",
        summary="The shortest tour from city 0 through every city and back (Held-Karp).",
        recurrence=(
            "C({j}, j) = D[0][j]; C(S, j) = min_{k in S - {j}} C(S - {j}, k) + D[k][j]; "
            "tour = min_k C(all, k) + D[k][0]"
        ),
        time="O(n^2 2^n)",
        space="O(n 2^n)",
        example=([[0, 10, 15, 20], [5, 0, 9, 10], [6, 13, 0, 12], [8, 8, 9, 0]],),
        witness=("tour",),
        aliases=("travelling_salesman", "traveling_salesman", "held_karp"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
