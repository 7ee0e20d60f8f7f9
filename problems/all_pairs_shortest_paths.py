"""All-pairs shortest paths: every distance in a graph at once (Floyd-Warshall).

For every ordered pair of nodes ``(u, v)`` of a weighted graph, find the
weight of a lightest path from ``u`` to ``v`` (``math.inf`` when there is
none), and the path itself on demand. Weights may be negative; a cycle of
negative total weight anywhere in the graph raises
:class:`dptoolkit.NegativeCycleError`, whose ``.cycle`` lists its nodes,
first == last. ``G`` is a networkx graph or an edge list ``[[u, v, w], ...]``
(a DiGraph); a missing weight counts as 1, undirected edges are two arcs,
parallel edges count by the lightest.

Notes
-----
Recurrence (Floyd [1]_, Warshall [2]_), ``d(k, i, j)`` the lightest path
from ``i`` to ``j`` whose inner nodes are among the first ``k``::

    d(0, i, j) = 0 if i == j, w(i, j) for an arc, inf otherwise
    d(k, i, j) = min(d(k-1, i, j), d(k-1, i, k-1) + d(k-1, k-1, j))

One extra goal state reads every ``d(V, i, j)`` and returns the smallest
``d(V, i, i)``: negative exactly when ``G`` has a negative cycle. The
distances are replayed from the recorded choices, and a path is unfolded
from them pivot by pivot. ``fast`` does each ``k`` as one numpy operation
over the whole ``V x V`` matrix (float64; an object array of Python numbers
for ``Fraction`` or ``Decimal`` weights and for integers too large for
float64, so those stay exact); it keeps no choices, so the first ``.path``
call runs it once more with next-hop tracking.

============  ==========================  ==========
strategy      time                        space
============  ==========================  ==========
naive         exponential calls           O(V) stack
top_down      O(V^3)                      O(V^3)
bottom_up     O(V^3)                      O(V^3)
fast          O(V^3), numpy per pivot     O(V^2)
============  ==========================  ==========

Examples
--------
>>> import networkx as nx
>>> from dptoolkit.problems import all_pairs_shortest_paths
>>> G = nx.DiGraph()
>>> G.add_weighted_edges_from([("s", "a", 4), ("s", "b", 2), ("b", "a", -1), ("a", "t", 3)])
>>> apsp = all_pairs_shortest_paths.solve(G)
>>> apsp.value["s"]["a"], apsp.path("s", "a"), apsp.value["t"]["s"]
(1, ['s', 'b', 'a'], inf)

References
----------
.. [1] R. W. Floyd, "Algorithm 97: Shortest path", *Communications of the ACM*
   5(6), 345, 1962.
.. [2] S. Warshall, "A theorem on Boolean matrices", *Journal of the ACM*
   9(1), 11-12, 1962.
.. [3] T. H. Cormen et al., *Introduction to Algorithms*, 3rd ed.,
   Chapter 25.2, MIT Press, 2009.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import show

from . import _graphs as g
from . import _paths as paths
from ._run import WITH_FAST, check_memory, pick, run, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = WITH_FAST

Node = Hashable
Number = g.Number
State = tuple[int, int, int]
Path = Callable[[Node, Node], "list[Node] | None"]


def _check(G: Any, weight: object) -> tuple[Any, str | None]:
    weight = g.check_weight(weight)
    return g.check_graph("G", G, weight=weight), weight


def _recurrence(arcs: g.Arcs) -> tuple[Recurrence, State]:
    """The recurrence on validated input (see :func:`build`)."""
    n, inf = arcs.n, arcs.inf
    direct: dict[tuple[int, int], Number] = {(i, j): w for i, j, w in arcs.arcs}

    def states(*goal: int) -> Iterable[State]:
        return itertools.chain(dp.grid(n + 1, n, n), [(n + 1, 0, 0)])

    @dp.recurrence(states=states)
    def d(k: int, i: int, j: int) -> Number:
        if k > n:  # the goal: every pair at level n; negative diagonal <=> negative cycle
            pairs = [d(n, u, v) for u in range(n) for v in range(n)]
            return min(pairs[:: n + 1], default=0)
        if k == 0:
            w = direct.get((i, j), inf)
            return min(w, 0) if i == j else w
        m = k - 1
        return dp.choose([(d(m, i, j), None), (d(m, i, m) + d(m, m, j), m)], best=min)

    return d, (n + 1, 0, 0)


@labelled
def build(G: Any, *, weight: str | None = "weight") -> tuple[Recurrence, State]:
    """The Floyd-Warshall recurrence ``d(k, i, j)`` for ``G``, and its goal ``(V+1, 0, 0)``.

    The goal is one extra state after the ``(V+1) x V x V`` grid: it reads
    every ``d(V, i, j)`` and returns the smallest ``d(V, i, i)`` (below 0 only
    with a negative cycle).

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build(nx.DiGraph([(0, 1), (1, 0)]))
    >>> goal, rec.solve(*goal, strategy="top_down").value
    ((3, 0, 0), 0)
    """
    G, weight = _check(G, weight)
    return _recurrence(g.read_arcs(G, weight, combine=min))


def _replay(arcs: g.Arcs, choices: Any) -> list[list[Number]]:
    """The distances ``d(V, i, j)``, replayed level by level from the recorded choices."""
    n = arcs.n
    dist: list[list[Number]] = [[arcs.inf] * n for _ in range(n)]
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
    return dist


def _walk(choices: Any, n: int, i: int, j: int) -> list[int]:
    """Node indices of the path from ``i`` to ``j``, unfolded pivot by pivot from the choices."""
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
    return nodes


def _pair(arcs: g.Arcs, u: object, v: object) -> tuple[int, int]:
    for name, node in (("u", u), ("v", v)):
        try:
            known = node in arcs.index
        except TypeError:
            known = False
        if not known:
            raise dp.InvalidInput(f"{name}={show(node)} is not a node of G")
    return arcs.index[u], arcs.index[v]


def _negative_cycle_anywhere(arcs: g.Arcs, dist: Any) -> None:
    """Raise the negative cycle through the node of the most negative ``d(i, i)``."""
    diagonal = [dist[i][i] for i in range(arcs.n)]
    paths.bellman_ford(arcs, diagonal.index(min(diagonal)), origin="")


def brute_force(G: Any, *, weight: str | None = "weight") -> dict[Node, dict[Node, Number]]:
    """Every distance as the lightest of all simple paths (from the definition).

    Valid when ``G`` has no negative cycle. Exponential: small graphs only.

    Examples
    --------
    >>> import networkx as nx
    >>> brute_force(nx.DiGraph([(0, 1), (1, 2)]))[0]
    {0: 0, 1: 1, 2: 2}
    """
    G, weight = _check(G, weight)
    arcs = g.read_arcs(G, weight, combine=min)
    out = arcs.out
    best: list[list[Number]] = [[arcs.inf] * arcs.n for _ in range(arcs.n)]

    def extend(start: int, path: list[int], total: Number) -> None:
        v = path[-1]
        best[start][v] = min(best[start][v], total)
        for u, w in out[v]:
            if u not in path:
                path.append(u)
                extend(start, path, total + w)
                path.pop()

    for s in range(arcs.n):
        extend(s, [s], 0)
    return {
        arcs.nodes[i]: {arcs.nodes[j]: arcs.number(best[i][j]) for j in range(arcs.n)}
        for i in range(arcs.n)
    }


def _fast(G: Any, weight: str | None) -> Solution:
    n = G.number_of_nodes()  # an n x n distance matrix, its update temporaries, the next hops
    check_memory("G", G, 32 * n * n, shown=f"<{type(G).__name__} with {n:,} nodes>")
    bulk = g.bulk_arcs(G, weight)
    if bulk is None:
        arcs = g.read_arcs(G, weight, combine=min)
        rows = np.array([i for i, _, _ in arcs.arcs], dtype=np.intp)
        cols = np.array([j for _, j, _ in arcs.arcs], dtype=np.intp)
        values: Any = [w for _, _, w in arcs.arcs]
        big = arcs.integral and sum(abs(w) for w in values) >= 2**52
        exact = arcs.exact or big  # Fraction, Decimal, or ints float64 would round
    else:
        arcs, rows, cols, values = bulk
        exact = False
    weights = values if exact else np.asarray(values, dtype=np.float64)
    dist, bad = paths.floyd_warshall(arcs.n, rows, cols, weights, exact=exact, inf=arcs.inf)
    full: list[g.Arcs] = []

    def detailed() -> g.Arcs:  # arcs as triples, read only when needed
        if not full:
            full.append(arcs if arcs.arcs else g.read_arcs(G, weight, combine=min))
        return full[0]

    if bad >= 0:
        _negative_cycle_anywhere(detailed(), dist)
    matrix = paths.DistanceMatrix(arcs.nodes, dist, integral=arcs.integral)

    def make_path() -> Path:
        nxt = paths.floyd_warshall_next(arcs.n, detailed())

        def path(u: Node, v: Node) -> list[Node] | None:
            i, j = _pair(arcs, u, v)
            if matrix[u][v] == arcs.inf:
                return None
            nodes = [i]
            while nodes[-1] != j and len(nodes) <= arcs.n:
                nodes.append(int(nxt[nodes[-1], j]))
            return [arcs.nodes[x] for x in nodes]

        return path

    return dp.Solution(matrix, strategy="fast", lazy={"path": make_path})


@shows_auto
def solve(G: Any, *, weight: str | None = "weight", strategy: str = "auto") -> Solution:
    """Shortest distances between every pair of nodes, with paths on demand.

    Parameters
    ----------
    G : networkx graph or edge list
        Directed or undirected, simple or multi; negative weights allowed. An
        edge list ``[[u, v, w], ...]`` is read as a DiGraph.
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
    >>> sol = solve(G)
    >>> sol.value[0][2], sol.path(0, 2), sol.path(2, 0)
    (1, [0, 1, 2], None)
    >>> dict(solve(G, strategy="bottom_up").value[0])
    {0: 0, 1: 3, 2: 1}
    """
    G, weight = _check(G, weight)
    strategy = pick(strategy, STRATEGIES, problem="all_pairs_shortest_paths")
    if strategy == "fast":
        return _fast(G, weight)
    arcs = g.read_arcs(G, weight, combine=min)
    n = arcs.n
    rec, goal = _recurrence(arcs)
    sol = run(rec, goal, strategy, visits=(n + 1) * n * n + 1)
    choices = sol.choices
    dist = _replay(arcs, choices)
    if sol.value < 0:
        _negative_cycle_anywhere(arcs, dist)
    matrix = paths.DistanceMatrix(arcs.nodes, np.array(dist, dtype=object), integral=arcs.integral)

    def path(u: Node, v: Node) -> list[Node] | None:
        i, j = _pair(arcs, u, v)
        if dist[i][j] == arcs.inf:
            return None
        return [arcs.nodes[x] for x in _walk(choices, n, i, j)]

    names = tuple(str(node) for node in arcs.nodes)
    labels = Labels(("through nodes < k", "from i", "to j"), (None, names, names))
    return sol.with_fields(value=matrix, lazy={"path": lambda: path}, labels=labels)


PROBLEMS = (
    dp.Problem(
        name="all_pairs_shortest_paths",
        summary="Shortest distances between every pair of nodes, with paths.",
        recurrence=(
            "d(k, i, j) = min(d(k-1, i, j), d(k-1, i, k-1) + d(k-1, k-1, j)); "
            "d(0, i, j) = w(i, j), 0 on the diagonal"
        ),
        time="O(V^3)",
        space="O(V^3)",
        example=(g.EXAMPLE_GRAPH,),
        witness=("path",),
        coerce=g.coerce_args,
        aliases=("floyd_warshall", "apsp"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
