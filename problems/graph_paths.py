"""Paths in graphs: shortest, all-pairs shortest, longest, counted, and on a grid.

Five problems share one idea: the best (or the number of) paths to a node is
made of the best (or the number of) paths to the nodes just before it.
Graphs are networkx graphs; a missing weight attribute counts as 1, as in
networkx, and ``weight=None`` makes every edge weigh 1.

* :func:`shortest_path` -- the lightest path from ``source`` to ``target``;
  weights may be negative. ``.path`` is the node list (``None`` and value
  ``math.inf`` when ``target`` cannot be reached). A negative cycle reachable
  from ``source`` raises :class:`dptoolkit.NegativeCycleError`, whose
  ``.cycle`` lists its nodes, first == last.
* :func:`all_pairs_shortest_paths` -- every distance: ``.value[u][v]``
  (``math.inf`` when unreachable) and ``.path(u, v)``. Any negative cycle
  raises :class:`dptoolkit.NegativeCycleError`.
* :func:`longest_path` -- the heaviest path anywhere in a directed acyclic
  graph (a single node, weight 0, when every edge is negative); ``.path``.
* :func:`count_paths` -- the number of paths from ``source`` to ``target`` in
  a directed acyclic graph (1 when they are the same node).
* :func:`grid_paths` -- the number of monotone paths (steps right or down)
  from the top-left cell of a ``rows x cols`` grid to the bottom-right one,
  avoiding ``blocked`` cells.

Undirected graphs are read as two arcs per edge, so a negative undirected
edge ``u - v`` is itself a negative cycle ``[u, v, u]``; the DAG problems
refuse an undirected graph with an edge (:class:`dptoolkit.CycleError`). In a
multigraph, parallel edges count separately in :func:`count_paths`; the
shortest (longest) path problems use the lightest (heaviest) of them.

Notes
-----
**Shortest path** (Bellman [1]_), ``d(k, v)`` the lightest walk from
``source`` to ``v`` with at most ``k`` arcs::

    d(0, v) = 0 if v == source else inf
    d(k, v) = min(d(k-1, v), min over arcs u->v of d(k-1, u) + w(u, v))

Without a negative cycle a shortest path is simple, so the answer is
``d(V-1, target)``. States ``(k, v)`` form a ``V x V`` grid; each records the
arc it came by, and the path is read back from ``(V-1, target)``. Before the
recurrence runs, a queue-based Bellman-Ford pass checks for a negative cycle
reachable from ``source`` (the recurrence alone cannot tell one from a long
path). ``fast`` is that pass itself: Dijkstra's algorithm when no weight is
negative, otherwise the FIFO-queue Bellman-Ford, which stops at a cycle of
its predecessor graph (such a cycle is always negative).

**All pairs** (Floyd [2]_, Warshall), ``d(k, i, j)`` the lightest path from
``i`` to ``j`` whose inner nodes are among the first ``k``::

    d(0, i, j) = 0 if i == j, w(i, j) for an arc, inf otherwise
    d(k, i, j) = min(d(k-1, i, j), d(k-1, i, k-1) + d(k-1, k-1, j))

One extra goal state reads every ``d(V, i, j)`` and returns the smallest
``d(V, i, i)``: negative exactly when ``G`` has a negative cycle. ``fast`` does
each ``k`` as one numpy operation over the whole ``V x V`` matrix; it keeps
no choices, so the first ``.path`` call runs it once more with next-hop
tracking.

**Longest path in a DAG** (and counting): in a topological order every arc
goes forward, so one pass suffices::

    L(v) = max(0, max over arcs u->v of L(u) + w(u, v))    (a path may start at v)
    N(v) = [v == source] + sum over arcs u->v of N(u)

States are positions in a topological order, plus one goal after the last
that takes the best ``L(v)`` over all ``v`` (a virtual sink). ``fast`` is the
same pass without the engine.

**Grid paths**: ``P(r, c) = P(r-1, c) + P(r, c-1)``, ``P(0, 0) = 1``, and 0 on
a blocked cell. ``fast`` is the binomial ``C(rows+cols-2, rows-1)`` with no
blocked cells (a large one multiplied out from its prime factorization, like
the Catalan numbers); with a few blocked cells, inclusion-exclusion over them in
sorted order (``O(b^2)`` binomials); with many, a numpy row sweep (exact
Python integers once the count could pass ``int64``).

==========================  ===================  ===================  ==========================
problem                     bottom_up time       bottom_up space      fast
==========================  ===================  ===================  ==========================
shortest_path               O(V (V + E))         O(V^2)               O(E log V) / O(V E) worst
all_pairs_shortest_paths    O(V^3)               O(V^3)               O(V^3), numpy per k
longest_path, count_paths   O(V + E)             O(V)                 O(V + E)
grid_paths                  O(rows cols)         O(rows cols)         O(1) binomial / O(b^2)
==========================  ===================  ===================  ==========================

``naive`` (plain recursion) is exponential everywhere and refused before it
starts when it would pass a million calls.

Examples
--------
>>> import networkx as nx
>>> from dptoolkit.problems import graph_paths
>>> G = nx.DiGraph()
>>> G.add_weighted_edges_from([("s", "a", 4), ("s", "b", 2), ("b", "a", -1), ("a", "t", 3)])
>>> sol = graph_paths.shortest_path(G, "s", "t")
>>> sol.value, sol.path
(4, ['s', 'b', 'a', 't'])
>>> apsp = graph_paths.all_pairs_shortest_paths(G)
>>> apsp.value["s"]["a"], apsp.path("s", "a"), apsp.value["t"]["s"]
(1, ['s', 'b', 'a'], inf)
>>> graph_paths.longest_path(G).path
['s', 'a', 't']
>>> graph_paths.count_paths(G, "s", "t").value
2
>>> graph_paths.grid_paths(3, 3, blocked=[(1, 1)]).value
2

References
----------
.. [1] R. Bellman, "On a routing problem", *Quarterly of Applied Mathematics*
   16(1), 87-90, 1958.
.. [2] R. W. Floyd, "Algorithm 97: Shortest path", *Communications of the ACM*
   5(6), 345, 1962.
.. [3] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Chapters 22.4, 24.1-24.2 and 25.2, MIT Press, 2009.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels
from dptoolkit._validate import check_int, show

from . import _graphs as g
from ._numbers import binomial
from ._run import WITH_FAST, check_memory, pick, run, shows_auto, state

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = [
    "PROBLEMS",
    "all_pairs_shortest_paths",
    "build_all_pairs_shortest_paths",
    "build_count_paths",
    "build_grid_paths",
    "build_longest_path",
    "build_shortest_path",
    "count_paths",
    "grid_paths",
    "longest_path",
    "shortest_path",
]

STRATEGIES = WITH_FAST
_INF = math.inf

Node = Hashable
Number = int | float


# ------------------------------------------------------------------ shortest_path


def _bellman_recurrence(arcs: g.Arcs, s: int) -> Recurrence:
    n, into = arcs.n, arcs.into

    @dp.recurrence(states=lambda k, v: dp.grid(k + 1, n))
    def dist(k: int, v: int) -> Number:
        if k == 0:
            return 0 if v == s else _INF
        return dp.choose(  # type: ignore[no-any-return]
            [(dist(k - 1, v), None), *((dist(k - 1, u) + w, u) for u, w in into[v])], best=min
        )

    return dist


def _shortest_setup(
    G: Any, source: object, target: object, weight: object
) -> tuple[g.Arcs, int, int]:
    g.check_graph("G", G)
    g.check_node("source", G, source)
    g.check_node("target", G, target)
    arcs = g.read_arcs(G, g.check_weight(weight), combine=min)
    return arcs, arcs.index[source], arcs.index[target]


def build_shortest_path(
    G: Any, source: Node, target: Node, *, weight: str | None = "weight"
) -> tuple[Recurrence, tuple[int, int]]:
    """The Bellman-Ford recurrence ``d(k, v)`` for ``G`` and the goal ``(V-1, target)``.

    States are ``(k, i)`` with ``i`` the index of a node in ``list(G)``.

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build_shortest_path(nx.path_graph(4), 0, 3)
    >>> goal, rec.solve(*goal, strategy="bottom_up").value
    ((3, 3), 3)
    """
    arcs, s, t = _shortest_setup(G, source, target, weight)
    return _bellman_recurrence(arcs, s), (max(arcs.n - 1, 0), t)


@shows_auto
def shortest_path(
    G: Any,
    source: Node,
    target: Node,
    *,
    weight: str | None = "weight",
    strategy: str = "auto",
) -> Solution:
    """The lightest path from ``source`` to ``target``; negative weights allowed.

    Parameters
    ----------
    G : networkx graph
        Directed or undirected (two arcs per edge), simple or multi.
    source, target : node
        Nodes of ``G``.
    weight : str or None
        The edge attribute holding the weight (missing means 1); ``None``
        weighs every edge 1.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (Dijkstra, or queue-based Bellman-Ford when
        a weight is negative).

    Returns
    -------
    dp.Solution
        ``.value``: the distance (``int`` when every weight is an ``int``,
        ``math.inf`` when ``target`` is unreachable). ``.path``: the nodes
        from ``source`` to ``target``, or ``None`` when unreachable.

    Raises
    ------
    dptoolkit.NegativeCycleError
        When a negative cycle is reachable from ``source``; ``.cycle`` holds it.
    dptoolkit.InvalidInput
        For a node not in ``G``, a NaN or infinite weight, an unknown strategy
        (``InvalidType`` for a non-graph or a non-numeric weight).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` on all but tiny graphs.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(0, 1, {"weight": 5}), (1, 2, {"weight": -2}), (0, 2, {"weight": 4})])
    >>> shortest_path(G, 0, 2).path
    [0, 1, 2]
    >>> shortest_path(G, 2, 0).value
    inf
    """
    arcs, s, t = _shortest_setup(G, source, target, weight)
    strategy = pick(strategy, STRATEGIES, problem="shortest_path")
    dist, pred = g.bellman_ford(arcs, s)  # raises on a negative cycle, for every strategy
    if strategy == "fast":
        value = arcs.number(dist[t])

        def found() -> list[Node] | None:
            return None if value == _INF else [arcs.nodes[i] for i in g.walk_back(pred, t)]

        return dp.Solution(value, strategy="fast", lazy={"path": found})
    into = arcs.into
    rec = _bellman_recurrence(arcs, s)
    goal = (max(arcs.n - 1, 0), t)

    def children(kv: tuple[int, int]) -> list[tuple[int, int]]:
        k, v = kv
        return [(k - 1, v), *((k - 1, u) for u, _ in into[v])] if k else []

    sol = run(rec, goal, strategy, children=children, visits=arcs.n * arcs.n)
    value = arcs.number(sol.value)
    choices = sol.choices

    def path() -> list[Node] | None:
        if value == _INF:
            return None
        k, v = goal
        nodes = [v]
        while k:
            came = state(choices, (k, v))
            if came is not None:
                v = came
                nodes.append(v)
            k -= 1
        return [arcs.nodes[i] for i in reversed(nodes)]

    names = tuple(str(node) for node in arcs.nodes)
    labels = Labels(("arcs used, at most k", "node v"), (None, names), goal=goal)
    return sol.with_fields(value=value, lazy={"path": path}, labels=labels)


# ------------------------------------------------------------------ all pairs


def _floyd_recurrence(arcs: g.Arcs) -> Recurrence:
    n = arcs.n
    direct: dict[tuple[int, int], Number] = {(i, j): w for i, j, w in arcs.arcs}

    def states(*goal: int) -> Iterable[tuple[int, int, int]]:
        return itertools.chain(dp.grid(n + 1, n, n), [(n + 1, 0, 0)])

    @dp.recurrence(states=states)
    def d(k: int, i: int, j: int) -> Number:
        if k > n:  # the goal: every pair at level n; negative diagonal <=> negative cycle
            pairs = [d(n, u, v) for u in range(n) for v in range(n)]
            return min(pairs[:: n + 1], default=0)
        if k == 0:
            w = direct.get((i, j), _INF)
            return min(w, 0) if i == j else w
        m = k - 1
        return dp.choose([(d(m, i, j), None), (d(m, i, m) + d(m, m, j), m)], best=min)  # type: ignore[no-any-return]

    return d


def build_all_pairs_shortest_paths(
    G: Any, *, weight: str | None = "weight"
) -> tuple[Recurrence, tuple[int, int, int]]:
    """The Floyd-Warshall recurrence ``d(k, i, j)`` for ``G``, and its goal ``(V+1, 0, 0)``.

    The goal is one extra state after the ``(V+1) x V x V`` grid: it reads
    every ``d(V, i, j)`` and returns the smallest ``d(V, i, i)`` (below 0 only
    with a negative cycle).

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build_all_pairs_shortest_paths(nx.DiGraph([(0, 1), (1, 0)]))
    >>> goal, rec.solve(*goal, strategy="top_down").value
    ((3, 0, 0), 0)
    """
    g.check_graph("G", G)
    arcs = g.read_arcs(G, g.check_weight(weight), combine=min)
    return _floyd_recurrence(arcs), (arcs.n + 1, 0, 0)


def _negative_cycle_anywhere(arcs: g.Arcs, start: int) -> None:
    g.bellman_ford(arcs, start, origin="")


@shows_auto
def all_pairs_shortest_paths(
    G: Any, *, weight: str | None = "weight", strategy: str = "auto"
) -> Solution:
    """Shortest distances between every pair of nodes, with paths on demand.

    Parameters
    ----------
    G : networkx graph
        Directed or undirected, simple or multi; negative weights allowed.
    weight : str or None
        The edge attribute holding the weight (missing means 1).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (numpy Floyd-Warshall).

    Returns
    -------
    dp.Solution
        ``.value[u][v]``: the distance (``math.inf`` when unreachable), a
        read-only mapping of mappings that compares equal to a dict of
        dicts. ``.path(u, v)``: the node list, or ``None`` when unreachable.

    Raises
    ------
    dptoolkit.NegativeCycleError
        When ``G`` has a negative cycle anywhere; ``.cycle`` holds one.
    dptoolkit.InvalidInput
        For a NaN or infinite weight, an unknown strategy (``InvalidType``
        for a non-graph or a non-numeric weight), or a graph whose ``fast``
        matrices would need more than 2 GiB (about 8,000 nodes).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(0, 1, {"weight": 3}), (1, 2, {"weight": -2}), (0, 2, {"weight": 4})])
    >>> sol = all_pairs_shortest_paths(G)
    >>> sol.value[0][2], sol.path(0, 2), sol.path(2, 0)
    (1, [0, 1, 2], None)
    >>> dict(all_pairs_shortest_paths(G, strategy="bottom_up").value[0])
    {0: 0, 1: 3, 2: 1}
    """
    g.check_graph("G", G)
    weight = g.check_weight(weight)
    strategy = pick(strategy, STRATEGIES, problem="all_pairs_shortest_paths")
    if strategy == "fast":
        return _all_pairs_fast(G, weight)
    arcs = g.read_arcs(G, weight, combine=min)
    n = arcs.n
    rec = _floyd_recurrence(arcs)
    goal = (n + 1, 0, 0)

    def children(kij: tuple[int, int, int]) -> list[tuple[int, int, int]]:
        k, i, j = kij
        if k > n:
            return [(n, u, v) for u in range(n) for v in range(n)]
        return [(k - 1, i, j), (k - 1, i, k - 1), (k - 1, k - 1, j)] if k else []

    sol = run(rec, goal, strategy, children=children, visits=(n + 1) * n * n + 1)
    if sol.value < 0:
        _negative_cycle_anywhere(arcs, _first_negative_diagonal(arcs))
    choices = sol.choices
    # the distances, replayed from the choices level by level (the same sums the run made)
    dist: list[list[Number]] = [[_INF] * n for _ in range(n)]
    for i, j, w in arcs.arcs:
        dist[i][j] = w
    for i in range(n):
        dist[i][i] = min(dist[i][i], 0)
    for k in range(1, n + 1):
        m = k - 1
        row_m = dist[m]
        for i in range(n):
            row_i = dist[i]
            for j in range(n):
                if state(choices, (k, i, j)) is not None:
                    row_i[j] = row_i[m] + row_m[j]
    matrix = g.DistanceMatrix(arcs.nodes, np.array(dist, dtype=object), integral=arcs.integral)

    def path(u: Node, v: Node) -> list[Node] | None:
        i, j = _pair(arcs, u, v)
        if dist[i][j] == _INF:
            return None
        nodes = [i]
        stack = [(n, i, j)]
        while stack:
            k, a, b = stack.pop()
            while k and state(choices, (k, a, b)) is None:
                k -= 1
            if k == 0:
                if a != b:
                    nodes.append(b)
                continue
            m = k - 1
            stack.append((m, m, b))
            stack.append((m, a, m))
        return [arcs.nodes[x] for x in nodes]

    names = tuple(str(node) for node in arcs.nodes)
    labels = Labels(("through nodes < k", "from i", "to j"), (None, names, names))
    return sol.with_fields(value=matrix, lazy={"path": lambda: path}, labels=labels)


def _first_negative_diagonal(arcs: g.Arcs) -> int:
    rows = np.array([i for i, _, _ in arcs.arcs], dtype=np.intp)
    cols = np.array([j for _, j, _ in arcs.arcs], dtype=np.intp)
    weights = np.array([float(w) for _, _, w in arcs.arcs])
    dist, _ = g.floyd_warshall(arcs.n, rows, cols, weights, exact=False)
    return int(np.argmin(np.diagonal(dist)))


def _pair(arcs: g.Arcs, u: object, v: object) -> tuple[int, int]:
    for name, node in (("u", u), ("v", v)):
        try:
            known = node in arcs.index
        except TypeError:
            known = False
        if not known:
            raise dp.InvalidInput(f"{name}={show(node)} is not a node of G")
    return arcs.index[u], arcs.index[v]


def _all_pairs_fast(G: Any, weight: str | None) -> Solution:
    n = G.number_of_nodes()  # an n x n distance matrix, its update temporaries, the next hops
    check_memory("G", G, 32 * n * n, shown=f"<{type(G).__name__} with {n:,} nodes>")
    bulk = g.bulk_arcs(G, weight)
    if bulk is None:
        arcs = g.read_arcs(G, weight, combine=min)
        rows = np.array([i for i, _, _ in arcs.arcs], dtype=np.intp)
        cols = np.array([j for _, j, _ in arcs.arcs], dtype=np.intp)
        values: Any = [w for _, _, w in arcs.arcs]
    else:
        arcs, rows, cols, values = bulk
    exact = bulk is None and arcs.integral and sum(abs(w) for w in values) >= 2**52
    weights = values if exact else np.asarray(values, dtype=np.float64)
    dist, bad = g.floyd_warshall(arcs.n, rows, cols, weights, exact=exact)
    full: list[g.Arcs] = []

    def detailed() -> g.Arcs:  # arcs as triples, read only when needed
        if not full:
            full.append(arcs if arcs.arcs else g.read_arcs(G, weight, combine=min))
        return full[0]

    if bad >= 0:
        start = int(np.argmin(np.diagonal(dist)))
        _negative_cycle_anywhere(detailed(), start)
    matrix = g.DistanceMatrix(arcs.nodes, dist, integral=arcs.integral)

    def make_path() -> Callable[[Node, Node], list[Node] | None]:
        nxt = g.floyd_warshall_next(arcs.n, detailed())

        def path(u: Node, v: Node) -> list[Node] | None:
            i, j = _pair(arcs, u, v)
            if dist[i, j] == _INF:
                return None
            nodes = [i]
            while nodes[-1] != j and len(nodes) <= arcs.n:
                nodes.append(int(nxt[nodes[-1], j]))
            return [arcs.nodes[x] for x in nodes]

        return path

    return dp.Solution(matrix, strategy="fast", lazy={"path": make_path})


# ------------------------------------------------------------------ DAG problems


def _dag_setup(G: Any, weight: object, combine: Any) -> tuple[g.Arcs, list[int], list[int]]:
    g.check_graph("G", G)
    weight = g.check_weight(weight)
    g.check_undirected(G)
    arcs = g.read_arcs(G, weight, combine=combine)
    order = g.dag_order(arcs)
    pos = [0] * arcs.n
    for p, v in enumerate(order):
        pos[v] = p
    return arcs, order, pos


def _longest_recurrence(arcs: g.Arcs, order: list[int], pos: list[int]) -> Recurrence:
    n, into = arcs.n, arcs.into

    @dp.recurrence(states=lambda p: range(p + 1))
    def best(p: int) -> Number:
        if p == n:  # the virtual sink: the best path may end anywhere
            return dp.choose(((best(q), q) for q in range(n)), best=max) if n else 0
        v = order[p]
        return dp.choose(  # type: ignore[no-any-return]
            [(0, None), *((best(pos[u]) + w, pos[u]) for u, w in into[v])], best=max
        )

    return best


def build_longest_path(G: Any, *, weight: str | None = "weight") -> tuple[Recurrence, tuple[int]]:
    """The recurrence ``L(p)`` over positions in a topological order of ``G``; goal ``(V,)``.

    State ``p < V`` is the ``p``-th node of the order; state ``V`` is a virtual
    sink that takes the best ``L`` over every node.

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build_longest_path(nx.DiGraph([(0, 1), (1, 2), (0, 2)]))
    >>> rec.solve(*goal, strategy="top_down").value
    2
    """
    arcs, order, pos = _dag_setup(G, weight, max)
    return _longest_recurrence(arcs, order, pos), (arcs.n,)


@shows_auto
def longest_path(G: Any, *, weight: str | None = "weight", strategy: str = "auto") -> Solution:
    """The heaviest path in a directed acyclic graph.

    Parameters
    ----------
    G : networkx DiGraph (or MultiDiGraph)
        Acyclic. Weights may be negative; a path may be a single node
        (weight 0), so the value is never negative.
    weight : str or None
        The edge attribute holding the weight (missing means 1).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (one pass in topological order).

    Returns
    -------
    dp.Solution
        ``.value``: the total weight. ``.path``: its nodes (``[]`` for an
        empty graph).

    Raises
    ------
    dptoolkit.CycleError
        When ``G`` has a cycle (or is undirected with an edge); ``.cycle`` holds it.
    dptoolkit.InvalidInput
        For a NaN or infinite weight or an unknown strategy (``InvalidType``
        for a non-graph or a non-numeric weight).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 4}), ("a", "c", {"weight": 5})])
    >>> sol = longest_path(G)
    >>> sol.value, sol.path
    (7, ['a', 'b', 'c'])
    """
    arcs, order, pos = _dag_setup(G, weight, max)
    strategy = pick(strategy, STRATEGIES, problem="longest_path")
    n = arcs.n
    if strategy == "fast":
        return _longest_fast(arcs, order)
    rec = _longest_recurrence(arcs, order, pos)
    into = arcs.into

    def children(p: int) -> list[int]:
        return list(range(n)) if p == n else [pos[u] for u, _ in into[order[p]]]

    sol = run(rec, (n,), strategy, children=children, visits=n + 1)
    choices = sol.choices

    def path() -> list[Node]:
        if not n:
            return []
        p = state(choices, (n,))
        nodes = []
        while p is not None:
            nodes.append(order[p])
            p = state(choices, (p,))
        return [arcs.nodes[v] for v in reversed(nodes)]

    ticks = (*(str(arcs.nodes[v]) for v in order), "end")  # positions in topological order
    labels = Labels(("node, in topological order",), (ticks,), goal=n, step=lambda p, q: q)
    return sol.with_fields(value=arcs.number(sol.value), lazy={"path": path}, labels=labels)


def _longest_fast(arcs: g.Arcs, order: list[int]) -> Solution:
    n, into = arcs.n, arcs.into
    best: list[Number] = [0] * n
    pred = [-1] * n
    for v in order:
        top: Number = 0
        came = -1
        for u, w in into[v]:
            if best[u] + w > top:
                top, came = best[u] + w, u
        best[v], pred[v] = top, came
    if not n:
        return dp.Solution(0, strategy="fast", witness={"path": []})
    end = max(order, key=best.__getitem__)
    return dp.Solution(
        arcs.number(best[end]),
        strategy="fast",
        lazy={"path": lambda: [arcs.nodes[v] for v in g.walk_back(pred, end)]},
    )


def _count_recurrence(arcs: g.Arcs, order: list[int], pos: list[int], s: int) -> Recurrence:
    into = arcs.into

    @dp.recurrence(states=lambda p: range(p + 1))
    def count(p: int) -> int:
        v = order[p]
        total: int = sum(count(pos[u]) for u, _ in into[v])
        return total + (v == s)

    return count


def _count_setup(G: Any, source: object, target: object) -> tuple[g.Arcs, list[int], list[int]]:
    g.check_graph("G", G)
    g.check_node("source", G, source)
    g.check_node("target", G, target)
    return _dag_setup(G, None, None)  # parallel arcs kept apart: each is its own path


def build_count_paths(G: Any, source: Node, target: Node) -> tuple[Recurrence, tuple[int]]:
    """The path-counting recurrence ``N(p)`` over a topological order; goal: target's position.

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build_count_paths(nx.DiGraph([(0, 1), (1, 2), (0, 2)]), 0, 2)
    >>> rec.solve(*goal, strategy="bottom_up").value
    2
    """
    arcs, order, pos = _count_setup(G, source, target)
    s, t = arcs.index[source], arcs.index[target]
    return _count_recurrence(arcs, order, pos, s), (pos[t],)


@shows_auto
def count_paths(G: Any, source: Node, target: Node, *, strategy: str = "auto") -> Solution:
    """The number of paths from ``source`` to ``target`` in a directed acyclic graph.

    Parameters
    ----------
    G : networkx DiGraph (or MultiDiGraph)
        Acyclic. Parallel arcs of a multigraph make distinct paths.
    source, target : node
        Nodes of ``G``; from a node to itself there is one (empty) path.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (one pass in topological order).

    Returns
    -------
    dp.Solution
        ``.value``: the count, an exact ``int``. No witness.

    Raises
    ------
    dptoolkit.CycleError
        When ``G`` has a cycle (or is undirected with an edge).
    dptoolkit.InvalidInput
        For a node not in ``G`` or an unknown strategy.

    Examples
    --------
    >>> import networkx as nx
    >>> ladder = nx.DiGraph()
    >>> for k in range(100):   # two arcs from each node to the next: 2**100 paths
    ...     ladder.add_edge(k, k + 1, key=0)
    ...     ladder.add_edge(k, k + 1.5)
    ...     ladder.add_edge(k + 1.5, k + 1)
    >>> count_paths(ladder, 0, 100).value == 2**100
    True
    """
    arcs, order, pos = _count_setup(G, source, target)
    strategy = pick(strategy, STRATEGIES, problem="count_paths")
    s, t = arcs.index[source], arcs.index[target]
    if strategy == "fast":
        counts = [0] * arcs.n
        counts[s] = 1
        out = arcs.out
        for v in order[pos[s] : pos[t] + 1]:
            c = counts[v]
            if c:
                for u, _ in out[v]:
                    counts[u] += c
        return dp.Solution(counts[t], strategy="fast")
    rec = _count_recurrence(arcs, order, pos, s)
    into = arcs.into

    def children(p: int) -> list[int]:
        return [pos[u] for u, _ in into[order[p]]]

    sol = run(rec, (pos[t],), strategy, children=children, visits=pos[t] + 1)
    ticks = tuple(str(arcs.nodes[v]) for v in order)
    labels = Labels(("node, in topological order",), (ticks,), goal=pos[t])
    return sol.with_fields(value=int(sol.value), labels=labels)


# ------------------------------------------------------------------ grid paths


def _check_grid(rows: object, cols: object, blocked: object) -> tuple[int, int, frozenset[Any]]:
    r = check_int("rows", rows, minimum=1)
    c = check_int("cols", cols, minimum=1)
    if isinstance(blocked, (str, bytes)) or not isinstance(blocked, Iterable):
        raise dp.InvalidType(
            f"blocked={show(blocked)} must be a collection of cells (row, col), e.g. [(1, 1)]"
        )
    cells = set()
    for k, cell in enumerate(blocked):
        ok = (
            isinstance(cell, (tuple, list))
            and len(cell) == 2
            and all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in cell)
        )
        if not ok:
            raise dp.InvalidType(f"blocked[{k}]={show(cell)} must be a cell (row, col) of ints")
        i, j = int(cell[0]), int(cell[1])
        if not (0 <= i < r and 0 <= j < c):
            raise dp.InvalidInput(f"blocked[{k}]={show(cell)} is outside the {r} x {c} grid")
        cells.add((i, j))
    return r, c, frozenset(cells)


def _grid_recurrence(blocked: frozenset[tuple[int, int]]) -> Recurrence:
    @dp.recurrence(states=lambda r, c: dp.grid(r + 1, c + 1))
    def paths(r: int, c: int) -> int:
        if (r, c) in blocked:
            return 0
        if r == 0 and c == 0:
            return 1
        return (paths(r - 1, c) if r else 0) + (paths(r, c - 1) if c else 0)

    return paths


def build_grid_paths(
    rows: int, cols: int, *, blocked: Iterable[tuple[int, int]] = ()
) -> tuple[Recurrence, tuple[int, int]]:
    """The recurrence ``P(r, c)`` over the cells, and the goal ``(rows-1, cols-1)``.

    Examples
    --------
    >>> rec, goal = build_grid_paths(3, 7)
    >>> rec.solve(*goal, strategy="top_down").value
    28
    """
    r, c, cells = _check_grid(rows, cols, blocked)
    return _grid_recurrence(cells), (r - 1, c - 1)


def _grid_memory(rows: int, cols: int, blocked: int) -> int:
    """Bytes :func:`_grid_fast` holds at most: counts have fewer than ``rows + cols`` bits."""
    count = (rows + cols) // 8 + 32
    if not blocked:
        return 3 * count
    if blocked * blocked <= rows * cols:  # inclusion-exclusion: one count per blocked cell
        return (blocked + 3) * count
    return 3 * min(rows, cols) * count  # the row sweep: a few rows of counts


def _grid_fast(rows: int, cols: int, blocked: frozenset[tuple[int, int]]) -> int:
    def between(a: tuple[int, int], b: tuple[int, int]) -> int:
        dr, dc = b[0] - a[0], b[1] - a[1]
        return binomial(dr + dc, dr) if dr >= 0 and dc >= 0 else 0

    start, end = (0, 0), (rows - 1, cols - 1)
    if not blocked:
        return between(start, end)
    if start in blocked or end in blocked:
        return 0
    cells = sorted(blocked)
    if len(cells) ** 2 <= rows * cols:
        # inclusion-exclusion: f[i] = paths reaching cells[i] avoiding earlier blocked cells
        first: list[int] = []
        for cell in cells:
            first.append(
                between(start, cell) - sum(f * between(cells[k], cell) for k, f in enumerate(first))
            )
        return between(start, end) - sum(
            f * between(cell, end) for f, cell in zip(first, cells, strict=True)
        )
    if rows > cols:  # sweep along the longer side, vectorize the shorter one
        rows, cols = cols, rows
        blocked = frozenset((j, i) for i, j in blocked)
    dtype: Any = np.int64 if between(start, (rows - 1, cols - 1)) < 2**62 else object
    by_row: dict[int, list[int]] = {}
    for i, j in blocked:
        by_row.setdefault(i, []).append(j)
    index = np.arange(cols)
    row = np.zeros(cols, dtype=dtype)
    row[0] = 1  # a virtual row above the grid feeding the start cell
    for i in range(rows):
        above = row.copy()
        wall = np.zeros(cols, dtype=bool)
        if i in by_row:
            wall[by_row[i]] = True
            above[wall] = 0
        total = np.cumsum(above)
        last = np.maximum.accumulate(np.where(wall, index, -1))
        base = np.where(last >= 0, total[np.maximum(last, 0)], 0)
        row = total - base
        row[wall] = 0
    return int(row[-1])


@shows_auto
def grid_paths(
    rows: int, cols: int, *, blocked: Iterable[tuple[int, int]] = (), strategy: str = "auto"
) -> Solution:
    """The number of monotone paths across a ``rows x cols`` grid avoiding blocked cells.

    A path starts in the top-left cell ``(0, 0)``, steps right or down one
    cell at a time, and ends in the bottom-right cell ``(rows-1, cols-1)``.

    Parameters
    ----------
    rows, cols : int
        The grid size, each at least 1.
    blocked : iterable of (int, int)
        Cells ``(row, col)`` no path may enter (a blocked start or end
        gives 0).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"``.

    Returns
    -------
    dp.Solution
        ``.value``: the exact count (an ``int``). No witness.

    Raises
    ------
    dptoolkit.InvalidInput
        For a size below 1, a blocked cell outside the grid, an unknown
        strategy (``InvalidType`` for a non-integer size or a malformed cell),
        or, for ``fast``, a grid whose counts would take more than 2 GiB.

    Examples
    --------
    >>> grid_paths(3, 3).value
    6
    >>> grid_paths(3, 3, blocked=[(0, 1), (1, 0)]).value
    0
    >>> grid_paths(60, 60).value == math.comb(118, 59)
    True
    """
    r, c, cells = _check_grid(rows, cols, blocked)
    strategy = pick(strategy, STRATEGIES, problem="grid_paths")
    if strategy == "fast":
        check_memory("rows", rows, _grid_memory(r, c, len(cells)))
        return dp.Solution(_grid_fast(r, c, cells), strategy="fast")
    rec = _grid_recurrence(cells)

    def children(rc: tuple[int, int]) -> list[tuple[int, int]]:
        i, j = rc
        if rc in cells:
            return []
        return ([(i - 1, j)] if i else []) + ([(i, j - 1)] if j else [])

    sol = run(rec, (r - 1, c - 1), strategy, children=children, visits=r * c)
    labels = Labels(("row", "column"), goal=(r - 1, c - 1))
    return sol.with_fields(value=int(sol.value), labels=labels)


# ------------------------------------------------------------------ the catalog


def _coerce_graph_args(args: Sequence[Any]) -> tuple[Any, ...]:
    """``[edges, *nodes]`` from the command line -> ``(DiGraph, *nodes)``."""
    if not args:
        return ()
    return (g.coerce_graph(args[0]), *(g.node_label(x) for x in args[1:]))


_GRAPH = [["s", "a", 4], ["s", "b", 2], ["b", "a", -1], ["a", "t", 3], ["b", "t", 6]]
_DAG = [["a", "b", 3], ["b", "c", 4], ["a", "c", 5], ["c", "d", -1], ["b", "d", 2]]

PROBLEMS = (
    dp.Problem(
        name="shortest_path",
        summary="Lightest path between two nodes of a graph; negative weights allowed.",
        recurrence=(
            "d(k, v) = min(d(k-1, v), min_{u->v} d(k-1, u) + w(u, v)); "
            "d(0, v) = 0 if v == source else inf; answer d(V-1, target)"
        ),
        time="O(V (V + E))",
        space="O(V^2)",
        strategies=STRATEGIES,
        solve=shortest_path,
        module=__name__,
        example=(_GRAPH, "s", "t"),
        witness=("path",),
        build=build_shortest_path,
        coerce=_coerce_graph_args,
        aliases=("bellman_ford", "shortest-path"),
    ),
    dp.Problem(
        name="all_pairs_shortest_paths",
        summary="Shortest distances between every pair of nodes, with paths.",
        recurrence=(
            "d(k, i, j) = min(d(k-1, i, j), d(k-1, i, k-1) + d(k-1, k-1, j)); "
            "d(0, i, j) = w(i, j), 0 on the diagonal"
        ),
        time="O(V^3)",
        space="O(V^3)",
        strategies=STRATEGIES,
        solve=all_pairs_shortest_paths,
        module=__name__,
        example=(_GRAPH,),
        witness=("path",),
        build=build_all_pairs_shortest_paths,
        coerce=_coerce_graph_args,
        aliases=("floyd_warshall", "apsp"),
    ),
    dp.Problem(
        name="longest_path",
        summary="Heaviest path in a directed acyclic graph.",
        recurrence="L(v) = max(0, max_{u->v} L(u) + w(u, v)) in topological order; answer max_v L(v)",
        time="O(V + E)",
        space="O(V)",
        strategies=STRATEGIES,
        solve=longest_path,
        module=__name__,
        example=(_DAG,),
        witness=("path",),
        build=build_longest_path,
        coerce=_coerce_graph_args,
        aliases=("dag_longest_path",),
    ),
    dp.Problem(
        name="count_paths",
        summary="Number of paths between two nodes of a directed acyclic graph.",
        recurrence="N(v) = [v == source] + sum_{u->v} N(u) in topological order",
        time="O(V + E)",
        space="O(V)",
        strategies=STRATEGIES,
        solve=count_paths,
        module=__name__,
        example=([[0, 1], [0, 2], [1, 2], [1, 3], [2, 3]], 0, 3),
        witness=(),
        build=build_count_paths,
        coerce=_coerce_graph_args,
        aliases=("dag_count_paths",),
    ),
    dp.Problem(
        name="grid_paths",
        summary="Number of right/down paths across a grid, avoiding blocked cells.",
        recurrence="P(r, c) = P(r-1, c) + P(r, c-1); P(0, 0) = 1; 0 on blocked cells",
        time="O(rows cols)",
        space="O(rows cols)",
        strategies=STRATEGIES,
        solve=grid_paths,
        module=__name__,
        example=(3, 4),
        witness=(),
        build=build_grid_paths,
        aliases=("lattice_paths", "unique_paths"),
    ),
)
