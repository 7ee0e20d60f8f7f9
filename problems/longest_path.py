"""Longest path in a directed acyclic graph: the heaviest chain of arcs.

Find a path of largest total weight anywhere in a directed acyclic graph
(DAG). Weights may be negative; a path may be a single node (weight 0), so
the answer is never negative. In a graph with cycles the problem is NP-hard,
so a cycle, or an undirected graph with an edge, raises
:class:`dptoolkit.CycleError` showing one. ``G`` is a networkx graph or an
edge list ``[[u, v, w], ...]`` (a DiGraph); a missing weight counts as 1 and
parallel arcs of a multigraph count by the heaviest.

Notes
-----
In a topological order every arc goes forward, so one pass suffices::

    L(v) = max(0, max over arcs u->v of L(u) + w(u, v))    (a path may start at v)

States are positions in a topological order, plus one goal after the last
that takes the best ``L(v)`` over all ``v`` (a virtual sink); each records
the position it came from, and the path is read back from the goal.
``fast`` is the same pass without the engine. Weights stay exact (``int``,
``Fraction``, ``Decimal`` are added as they are).

============  ===================  ==========
strategy      time                 space
============  ===================  ==========
naive         exponential calls    O(V) stack
top_down      O(V + E)             O(V)
bottom_up     O(V + E)             O(V)
fast          O(V + E)             O(V)
============  ===================  ==========

Examples
--------
>>> import networkx as nx
>>> from dptoolkit.problems import longest_path
>>> G = nx.DiGraph()
>>> G.add_weighted_edges_from([("s", "a", 4), ("s", "b", 2), ("b", "a", -1), ("a", "t", 3)])
>>> longest_path.solve(G).path
['s', 'a', 't']

References
----------
.. [1] T. H. Cormen et al., *Introduction to Algorithms*, 3rd ed.,
   Chapter 24.2 ("Single-source shortest paths in directed acyclic graphs"),
   MIT Press, 2009.
.. [2] R. Sedgewick, K. Wayne, *Algorithms*, 4th ed., Section 4.4
   ("Longest paths in edge-weighted DAGs"), Addison-Wesley, 2011.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled

from . import _graphs as g
from . import _paths as paths
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, run, shows_auto, state, wiring

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "solve"]

STRATEGIES = WITH_FAST

Node = Hashable
Number = g.Number


def _check(G: Any, weight: object) -> tuple[g.Arcs, list[int], list[int]]:
    return g.dag_setup(G, g.check_weight(weight), max)


def _recurrence(arcs: g.Arcs, order: list[int], pos: list[int]) -> tuple[Recurrence, tuple[int]]:
    """The recurrence on validated input (see :func:`build`)."""
    n, into = arcs.n, arcs.into

    @dp.recurrence(states=lambda p: range(p + 1))
    def best(p: int) -> Number:
        if p == n:  # the virtual sink: the best path may end anywhere
            return dp.choose(((best(q), q) for q in range(n)), best=max) if n else 0
        v = order[p]
        return dp.choose([(0, None), *((best(pos[u]) + w, pos[u]) for u, w in into[v])], best=max)

    return best, (n,)


@labelled
def build(G: Any, *, weight: str | None = "weight") -> tuple[Recurrence, tuple[int]]:
    """The recurrence ``L(p)`` over positions in a topological order of ``G``; goal ``(V,)``.

    State ``p < V`` is the ``p``-th node of the order; state ``V`` is a virtual
    sink that takes the best ``L`` over every node.

    Examples
    --------
    >>> import networkx as nx
    >>> rec, goal = build(nx.DiGraph([(0, 1), (1, 2), (0, 2)]))
    >>> rec.solve(*goal, strategy="top_down").value
    2
    """
    return _recurrence(*_check(G, weight))


def _walk(choices: Any, n: int) -> list[int]:
    """Positions along the path, first to last, read back from the goal's choices."""
    if not n:
        return []
    p = state(choices, (n,))
    found = []
    while p is not None:
        found.append(p)
        p = state(choices, (p,))
    found.reverse()
    return found


def brute_force(G: Any, *, weight: str | None = "weight") -> tuple[Number, list[Node]]:
    """The heaviest path by trying every path from every node (from the definition).

    Exponential: small graphs only.

    Examples
    --------
    >>> import networkx as nx
    >>> brute_force(nx.DiGraph([(0, 1), (1, 2), (0, 2)]))
    (2, [0, 1, 2])
    """
    arcs, _, _ = _check(G, weight)
    out = arcs.out
    top: list[Any] = [0, [0] if arcs.n else []]

    def extend(path: list[int], total: Number) -> None:
        if total > top[0]:
            top[:] = [total, list(path)]
        for u, w in out[path[-1]]:
            path.append(u)
            extend(path, total + w)
            path.pop()

    for v in range(arcs.n):
        extend([v], 0)
    return arcs.number(top[0]), [arcs.nodes[i] for i in top[1]]


def _fast(arcs: g.Arcs, order: list[int]) -> Solution:
    """One pass in topological order, keeping each node's best predecessor."""
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
        lazy={"path": lambda: [arcs.nodes[v] for v in paths.walk_back(pred, end)]},
    )


@shows_auto
def solve(
    G: Any, *, weight: str | None = "weight", strategy: str = "auto", k: int | None = None
) -> Solution:
    """The heaviest path in a directed acyclic graph.

    Parameters
    ----------
    G : networkx DiGraph (or MultiDiGraph), or an edge list
        Acyclic. Weights may be negative; a path may be a single node
        (weight 0), so the value is never negative. An edge list
        ``[[u, v, w], ...]`` is read as a DiGraph.
    weight : str or None
        The edge attribute holding the weight (missing means 1).
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (one pass in topological order);
        ``"bottom_up"`` with *k*.
    k : int, optional
        Also find the *k* heaviest paths: ``sol.k_best``, best first, each
        with its ``.path`` (``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value``: the total weight. ``.path``: its nodes (``[]`` for an
        empty graph). ``sol.count()`` and ``sol.witnesses()``: the distinct
        heaviest paths (node lists; a single node is a path); an ``auto``
        answer re-solves with ``bottom_up`` for them, a ``fast`` one
        refuses them.

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
    >>> sol = solve(G)
    >>> sol.value, sol.path
    (7, ['a', 'b', 'c'])
    """
    arcs, order, pos = _check(G, weight)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="longest_path", k=k)
    if strategy == "fast":
        return engine_later(
            _fast(arcs, order), asked, lambda: solve(G, weight=weight, strategy="bottom_up")
        )
    n = arcs.n
    rec, goal = _recurrence(arcs, order, pos)
    sol = run(rec, goal, strategy, visits=n + 1, k=k)
    choices = sol.choices

    def path() -> list[Node]:
        return [arcs.nodes[order[p]] for p in _walk(choices, n)]

    ticks = (*(str(arcs.nodes[v]) for v in order), "end")  # positions in topological order
    labels = Labels(("node, in topological order",), (ticks,), goal=n, step=lambda p, q: q)
    return sol.with_fields(
        value=arcs.number(sol.value),
        lazy={"path": path},
        labels=labels,
        step=lambda p, came: came,  # one path per choice path: its end, then each predecessor
        witness_of=lambda each: {"path": [arcs.nodes[order[p]] for p in _walk(each.choices, n)]},
    )


PROBLEMS = (
    dp.Problem(
        name="longest_path",
        summary="Heaviest path in a directed acyclic graph.",
        recurrence="L(v) = max(0, max_{u->v} L(u) + w(u, v)) in topological order; answer max_v L(v)",
        time="O(V + E)",
        space="O(V)",
        example=(g.EXAMPLE_DAG,),
        witness=("path",),
        coerce=g.coerce_args,
        aliases=("dag_longest_path",),
        **wiring(__name__, solve, build, STRATEGIES),
    ),
)
