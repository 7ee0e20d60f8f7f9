"""Shortest path between two nodes of a graph, negative weights allowed (Bellman-Ford).

Find the lightest path from ``source`` to ``target`` in a graph whose edges
carry weights, some of them possibly negative. ``G`` is a networkx graph
(directed or not, simple or multi) or an edge list ``[[u, v, w], ...]``,
read as a directed graph. A missing weight attribute counts as 1, as in
networkx, and ``weight=None`` makes every edge weigh 1. Undirected graphs
are read as two arcs per edge, so a negative undirected edge ``u - v`` is
itself the negative cycle ``[u, v, u]``; parallel edges of a multigraph
count by the lightest of them.

A cycle of negative total weight reachable from ``source`` makes "shortest"
meaningless: every strategy raises :class:`dptoolkit.NegativeCycleError`,
whose ``.cycle`` lists its nodes, first == last.

Notes
-----
Recurrence (Bellman [1]_), ``d(k, v)`` the lightest walk from ``source`` to
``v`` with at most ``k`` arcs::

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

Weights stay exact: ``int``, :class:`~fractions.Fraction` and
:class:`~decimal.Decimal` weights are added as they are, in every strategy.

============  ===================  ==========
strategy      time                 space
============  ===================  ==========
naive         exponential calls    O(V) stack
top_down      O(V (V + E))         O(V^2)
bottom_up     O(V (V + E))         O(V^2)
fast          O(E log V); O(V E)   O(V + E)
============  ===================  ==========

Examples
--------
>>> import networkx as nx
>>> from dptoolkit.problems import shortest_path
>>> G = nx.DiGraph()
>>> G.add_weighted_edges_from([("s", "a", 4), ("s", "b", 2), ("b", "a", -1), ("a", "t", 3)])
>>> sol = shortest_path.solve(G, "s", "t")
>>> sol.value, sol.path
(4, ['s', 'b', 'a', 't'])
>>> shortest_path.solve([["s", "a", 4], ["a", "t", 1]], "s", "t").value   # an edge list
5

References
----------
.. [1] R. Bellman, "On a routing problem", *Quarterly of Applied Mathematics*
   16(1), 87-90, 1958.
.. [2] T. H. Cormen, C. E. Leiserson, R. L. Rivest, C. Stein, *Introduction
   to Algorithms*, 3rd ed., Chapters 24.1-24.3, MIT Press, 2009.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled

from . import _graphs as g
from . import _one_path
from . import _paths as paths
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, run, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = WITH_FAST
_INF = math.inf

Node = Hashable
Number = g.Number
State = tuple[int, int]


def _check(G: Any, source: object, target: object, weight: object) -> tuple[g.Arcs, int, int]:
    weight = g.check_weight(weight)
    G = g.check_graph("G", G, weight=weight)
    g.check_node("source", G, source)
    g.check_node("target", G, target)
    arcs = g.read_arcs(G, weight, combine=min)
    return arcs, arcs.index[source], arcs.index[target]


def _recurrence(arcs: g.Arcs, s: int, t: int) -> tuple[Recurrence, State]:
    """The recurrence on validated input (see :func:`build`)."""
    n, into, inf = arcs.n, arcs.into, arcs.inf

    @dp.recurrence(states=lambda k, v: dp.grid(k + 1, n))
    def dist(k: int, v: int) -> Number:
        if k == 0:
            return 0 if v == s else inf
        return dp.choose(
            [(dist(k - 1, v), None), *((dist(k - 1, u) + w, u) for u, w in into[v])], best=min
        )

    return dist, (max(n - 1, 0), t)


@labelled
def build(
    G: Any, source: Node, target: Node, *, weight: str | None = "weight"
) -> tuple[Recurrence, State]:
    """The Bellman-Ford recurrence ``d(k, v)`` for ``G`` and the goal ``(V-1, target)``.

    States are ``(k, i)`` with ``i`` the index of a node in ``list(G)``; each
    records the node it came from (``None``: it kept ``d(k-1, v)``).

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build(nx.path_graph(4), 0, 3)
    >>> goal, rec.solve(*goal, strategy="bottom_up").value
    ((3, 3), 3)
    """
    arcs, s, t = _check(G, source, target, weight)
    return _recurrence(arcs, s, t)


def _walk(choices: Any, goal: State) -> list[int]:
    """Node indices of the path, read back from the recorded choices from the goal."""
    k, v = goal
    nodes = [v]
    while k:
        came = state(choices, (k, v))
        if came is not None:
            v = came
            nodes.append(v)
        k -= 1
    nodes.reverse()
    return nodes


def brute_force(
    G: Any, source: Node, target: Node, *, weight: str | None = "weight"
) -> tuple[Number, list[Node] | None]:
    """The lightest simple path by trying every one (depth-first, from the definition).

    Valid when no negative cycle is reachable from ``source`` (then a
    shortest path is simple). Exponential: small graphs only.

    Examples
    --------
    >>> import networkx as nx
    >>> brute_force(nx.DiGraph([(0, 1), (1, 2), (0, 2)]), 0, 2)
    (1, [0, 2])
    """
    arcs, s, t = _check(G, source, target, weight)
    best: list[Any] = [_INF, None]
    out = arcs.out

    def extend(path: list[int], total: Number) -> None:
        v = path[-1]
        if v == t:
            if total < best[0]:
                best[:] = [total, list(path)]
            return
        for u, w in out[v]:
            if u not in path:
                path.append(u)
                extend(path, total + w)
                path.pop()

    extend([s], 0)
    nodes = None if best[1] is None else [arcs.nodes[i] for i in best[1]]
    return arcs.number(best[0]), nodes


def _fast(arcs: g.Arcs, t: int, dist: list[Number], pred: list[int]) -> Solution:
    """The answer of the Bellman-Ford (or Dijkstra) pass that :func:`solve` ran first."""
    value = arcs.number(dist[t])

    def found() -> list[Node] | None:
        return None if value == _INF else [arcs.nodes[i] for i in paths.walk_back(pred, t)]

    return dp.Solution(value, strategy="fast", lazy={"path": found})


@shows_auto
def solve(
    G: Any,
    source: Node,
    target: Node,
    *,
    weight: str | None = "weight",
    strategy: str = "auto",
    k: int | None = None,
) -> Solution:
    """The lightest path from ``source`` to ``target``; negative weights allowed.

    Parameters
    ----------
    G : networkx graph or edge list
        Directed or undirected (two arcs per edge), simple or multi; an edge
        list ``[[u, v, w], ...]`` (or ``[u, v]``) is read as a DiGraph.
    source, target : node
        Nodes of ``G``.
    weight : str or None
        The edge attribute holding the weight (missing means 1); ``None``
        weighs every edge 1.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (Dijkstra, or queue-based Bellman-Ford when
        a weight is negative); ``"bottom_up"`` with *k*.
    k : int, optional
        Also find the *k* lightest distinct walks of at most ``V - 1`` arcs:
        ``sol.k_best``, best first, each with its ``.path`` (run on a
        recurrence with one path per walk; ``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value``: the distance (``int`` when every weight is an ``int``,
        exact for ``Fraction`` and ``Decimal`` weights, ``math.inf`` when
        ``target`` is unreachable). ``.path``: the nodes from ``source`` to
        ``target``, or ``None`` when unreachable. ``sol.witnesses()``:
        every distinct lightest walk of at most ``V - 1`` arcs (the simple
        shortest paths, and with zero-weight cycles the walks through them),
        ``sol.count()`` their number (0 when unreachable); an ``auto``
        answer re-solves with ``bottom_up`` for them, a ``fast`` one
        refuses them.

    Raises
    ------
    dptoolkit.NegativeCycleError
        When a negative cycle is reachable from ``source``; ``.cycle`` holds it.
    dptoolkit.InvalidInput
        For a node not in ``G``, a NaN or infinite weight, an unknown strategy
        (``InvalidType`` for a non-graph, a non-numeric weight or weights of
        kinds that do not add exactly together, such as Decimal and float).
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` on all but tiny graphs.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(0, 1, {"weight": 5}), (1, 2, {"weight": -2}), (0, 2, {"weight": 4})])
    >>> solve(G, 0, 2).path
    [0, 1, 2]
    >>> solve(G, 2, 0).value
    inf
    """
    arcs, s, t = _check(G, source, target, weight)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="shortest_path", k=k)
    dist, pred = paths.bellman_ford(arcs, s)  # raises on a negative cycle, for every strategy
    if strategy == "fast":
        return engine_later(
            _fast(arcs, t, dist, pred),
            asked,
            lambda: solve(G, source, target, weight=weight, strategy="bottom_up"),
        )
    if k is not None:  # one path per walk (see _one_path)
        return _one_path.shortest_path(arcs, s, t, strategy, k)
    rec, goal = _recurrence(arcs, s, t)
    sol = run(rec, goal, strategy, visits=arcs.n * arcs.n)
    value = arcs.number(sol.value)
    choices = sol.choices

    def path() -> list[Node] | None:
        return None if value == _INF else [arcs.nodes[i] for i in _walk(choices, goal)]

    names = tuple(str(node) for node in arcs.nodes)
    labels = Labels(("arcs used, at most k", "node v"), (None, names), goal=goal)
    return sol.with_fields(
        value=value,
        lazy={"path": path},
        labels=labels,
        step=_step,
        witness_of=lambda each: {"path": [arcs.nodes[i] for i in _walk(each.choices, goal)]},
        count_by=lambda _: _walks(arcs, s, t),  # walks, not the rounds they are placed in
    )


def _step(state: State, came: int | None) -> State:
    k, v = state
    return k - 1, v if came is None else came


def _walks(arcs: g.Arcs, s: int, t: int) -> int:
    """The number of distinct lightest walks from s to t of at most ``V - 1`` arcs.

    Each such walk ends with one arc ``u -> t`` that is tight (the walk to
    ``u`` before it is a lightest one of one arc fewer), or is the walk of no
    arc when ``s == t``; so, round by round, ``C(k, v) = [v == s] + sum of
    C(k - 1, u)`` over the tight arcs ``u -> v``, ``C(0, v) = [v == s]``.
    """
    n, into, inf = arcs.n, arcs.into, arcs.inf
    dist: list[Any] = [inf] * n
    dist[s] = 0
    count = [int(v == s) for v in range(n)]
    for _ in range(max(n - 1, 0)):
        new_dist = [min([dist[v], *(dist[u] + w for u, w in into[v])]) for v in range(n)]
        count = [
            int(v == s)
            + sum(count[u] for u, w in into[v] if dist[u] != inf and dist[u] + w == new_dist[v])
            for v in range(n)
        ]
        dist = new_dist
    return 0 if dist[t] == inf else count[t]


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
        example=(g.EXAMPLE_GRAPH, "s", "t"),
        witness=("path",),
        coerce=g.coerce_args,
        aliases=("bellman_ford", "shortest-path"),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
