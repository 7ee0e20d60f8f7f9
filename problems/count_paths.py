"""Counting paths in a directed acyclic graph: how many ways from source to target.

Count the distinct paths from ``source`` to ``target`` in a directed acyclic
graph (from a node to itself there is one, empty, path). The count is an
exact ``int``, however large (a ladder of 100 doubled arcs has ``2^100``).
Parallel arcs of a multigraph make distinct paths. A cycle, or an undirected
graph with an edge, raises :class:`dptoolkit.CycleError` (the count would
be infinite). ``G`` is a networkx graph or an edge list ``[[u, v], ...]``
(a DiGraph).

Notes
-----
In a topological order every arc goes forward, so one pass suffices::

    N(v) = [v == source] + sum over arcs u->v of N(u)

States are positions in a topological order; the goal is ``target``'s.
``fast`` is the same pass pushed forward from ``source`` over the nodes
between the two positions only.

Every strategy but ``naive`` (one call per path, repeats included) takes
``O(V + E)`` time and ``O(V)`` space.

Examples
--------
>>> from dptoolkit.problems import count_paths
>>> count_paths.solve([["s", "a"], ["s", "b"], ["b", "a"], ["a", "t"]], "s", "t").value
2

References
----------
.. [1] T. H. Cormen et al., *Introduction to Algorithms*, 3rd ed.,
   Exercise 22.4-2 ("count the simple paths in a DAG"), MIT Press, 2009.
.. [2] R. Sedgewick, K. Wayne, *Algorithms*, 4th ed., Section 4.2,
   Addison-Wesley, 2011.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled

from . import _graphs as g
from ._run import WITH_FAST, pick, run, shows_auto, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = WITH_FAST

Node = Hashable


def _check(G: Any, source: object, target: object) -> tuple[g.Arcs, list[int], list[int], int, int]:
    G = g.check_graph("G", G, weight=None)
    g.check_node("source", G, source)
    g.check_node("target", G, target)
    arcs, order, pos = g.dag_setup(G, None, None)  # parallel arcs kept apart: each is a path
    return arcs, order, pos, arcs.index[source], arcs.index[target]


def _recurrence(
    arcs: g.Arcs, order: list[int], pos: list[int], s: int, t: int
) -> tuple[Recurrence, tuple[int]]:
    """The recurrence on validated input (see :func:`build`)."""
    into = arcs.into

    @dp.recurrence(states=lambda p: range(p + 1))
    def count(p: int) -> int:
        v = order[p]
        total: int = sum(count(pos[u]) for u, _ in into[v])
        return total + (v == s)

    return count, (pos[t],)


@labelled
def build(G: Any, source: Node, target: Node) -> tuple[Recurrence, tuple[int]]:
    """The path-counting recurrence ``N(p)`` over a topological order; goal: target's position.

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build(nx.DiGraph([(0, 1), (1, 2), (0, 2)]), 0, 2)
    >>> rec.solve(*goal, strategy="bottom_up").value
    2
    """
    return _recurrence(*_check(G, source, target))


def brute_force(G: Any, source: Node, target: Node) -> int:
    """The number of paths, by walking every one of them (from the definition).

    Exponential in general (it visits each path once): small graphs only.

    Examples
    --------
    >>> import networkx as nx
    >>> brute_force(nx.DiGraph([(0, 1), (1, 2), (0, 2)]), 0, 2)
    2
    """
    arcs, _, _, s, t = _check(G, source, target)
    out = arcs.out
    found = 0
    stack = [s]
    while stack:
        v = stack.pop()
        found += v == t
        stack.extend(u for u, _ in out[v])
    return found


def _fast(arcs: g.Arcs, order: list[int], pos: list[int], s: int, t: int) -> int:
    """Counts pushed forward from ``source`` along a topological order."""
    counts = [0] * arcs.n
    counts[s] = 1
    out = arcs.out
    for v in order[pos[s] : pos[t] + 1]:
        c = counts[v]
        if c:
            for u, _ in out[v]:
                counts[u] += c
    return counts[t]


@shows_auto
def solve(G: Any, source: Node, target: Node, *, strategy: str = "auto") -> Solution:
    """The number of paths from ``source`` to ``target`` in a directed acyclic graph.

    Parameters
    ----------
    G : networkx DiGraph (or MultiDiGraph), or an edge list
        Acyclic. Parallel arcs of a multigraph make distinct paths. An edge
        list ``[[u, v], ...]`` is read as a DiGraph.
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
    >>> solve(ladder, 0, 100).value == 2**100
    True
    """
    arcs, order, pos, s, t = _check(G, source, target)
    strategy = pick(strategy, STRATEGIES, problem="count_paths")
    if strategy == "fast":
        return dp.Solution(_fast(arcs, order, pos, s, t), strategy="fast")
    rec, goal = _recurrence(arcs, order, pos, s, t)
    sol = run(rec, goal, strategy, visits=pos[t] + 1)  # sums of ints: the value is an int
    ticks = tuple(str(arcs.nodes[v]) for v in order)
    return sol.with_fields(labels=Labels(("node, in topological order",), (ticks,), goal=goal[0]))


PROBLEMS = (
    dp.Problem(
        name="count_paths",
        summary="Number of paths between two nodes of a directed acyclic graph.",
        recurrence="N(v) = [v == source] + sum_{u->v} N(u) in topological order",
        time="O(V + E)",
        space="O(V)",
        example=([[0, 1], [0, 2], [1, 2], [1, 3], [2, 3]], 0, 3),
        coerce=g.coerce_args,
        aliases=("dag_count_paths",),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
