"""Graph arguments of the catalog's graph problems: validation, index form, DAG order.

Private to :mod:`dptoolkit.problems` (``shortest_path``,
``all_pairs_shortest_paths``, ``longest_path``, ``count_paths``). A graph
argument is a networkx graph or an edge list ``[[u, v, w], ...]`` (read as a
DiGraph, see :func:`check_graph`), so a catalog entry's JSON example solves
as it is. It is read once into an :class:`Arcs` object: the nodes in ``G``'s
order, an index per node, and the arcs as ``(i, j, w)`` index triples with
validated weights, exact kinds (``int``, ``Fraction``, ``Decimal``) kept
exact. Undirected edges become two arcs; parallel edges of a multigraph are
combined (``min`` for shortest paths, ``max`` for longest paths, kept apart
for counting). The path kernels that run on this form are in :mod:`._paths`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from dptoolkit._validate import check_exact_number, number_kind, show
from dptoolkit.errors import CycleError, InvalidInput, InvalidType

__all__ = [
    "EXAMPLE_DAG",
    "EXAMPLE_GRAPH",
    "Arcs",
    "check_graph",
    "check_node",
    "check_undirected",
    "check_weight",
    "coerce_args",
    "coerce_graph",
    "dag_order",
    "dag_setup",
    "read_arcs",
]

Number = Any  # int, float, Fraction or Decimal: one kind per graph (see read_arcs)

#: The catalog examples: edge lists, JSON literals the command line shows and solve reads.
EXAMPLE_GRAPH = [["s", "a", 4], ["s", "b", 2], ["b", "a", -1], ["a", "t", 3], ["b", "t", 6]]
EXAMPLE_DAG = [["a", "b", 3], ["b", "c", 4], ["a", "c", 5], ["c", "d", -1], ["b", "d", 2]]


def check_graph(name: str, value: object, *, weight: str | None = "weight") -> Any:
    """Return *value* as a networkx graph: a graph as it is, an edge list as a DiGraph.

    An edge list is ``[[u, v], ...]`` or ``[[u, v, w], ...]``; ``w`` is stored
    under the *weight* attribute (list node labels become tuples).
    """
    import networkx as nx

    if isinstance(value, nx.Graph):
        return value
    if isinstance(value, (list, tuple)):
        return coerce_graph(value, name=name, weight=weight or "weight")
    raise InvalidType(
        f"{name}={show(value)} must be a networkx graph (Graph, DiGraph, MultiGraph, ...) "
        "or an edge list such as [[0, 1, 2.5], [1, 2, -1]]"
    )


def check_node(name: str, G: Any, node: object, *, graph: str = "G") -> Hashable:
    """Return *node* if it is a node of *G*."""
    try:
        hash(node)
    except TypeError:  # networkx answers False for unhashable nodes; say why instead
        raise InvalidType(f"{name}={show(node)} must be a node of {graph} (hashable)") from None
    if node not in G:
        raise InvalidInput(f"{name}={show(node)} is not a node of {graph}")
    return node


def check_weight(value: object) -> str | None:
    """Return the ``weight`` option: an edge-attribute name, or ``None`` for unit weights."""
    if value is not None and not isinstance(value, str):
        raise InvalidType(f"weight={show(value)} must be an edge attribute name (a str) or None")
    return value


def _edge_weight(data: Mapping[str, Any], weight: str | None, where: str) -> Number:
    if weight is None:
        return 1
    return check_exact_number(f"{where}[{weight!r}]", data.get(weight, 1))


@dataclass
class Arcs:
    """A graph read into index form.

    Attributes
    ----------
    nodes:
        The nodes of ``G`` in its iteration order; node ``nodes[i]`` has index ``i``.
    index:
        Node -> index.
    arcs:
        ``(i, j, w)`` triples, one per arc (two per undirected edge).
    integral:
        Whether every weight is an ``int`` (results are then given as ints).
    exact:
        Whether the weights are of an exact kind other than ``int``
        (``Fraction`` or ``Decimal``): kernels then compute with them as
        Python numbers, never through float64.
    """

    nodes: list[Hashable]
    index: dict[Hashable, int]
    arcs: list[tuple[int, int, Number]]
    integral: bool
    directed: bool
    exact: bool = False
    inf: Any = math.inf  # "unreachable", of a kind that adds with the weights
    _out: list[list[tuple[int, Number]]] | None = field(default=None, repr=False)
    _in: list[list[tuple[int, Number]]] | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def out(self) -> list[list[tuple[int, Number]]]:
        """``out[i]``: the ``(j, w)`` arcs leaving node ``i``."""
        if self._out is None:
            self._out = [[] for _ in self.nodes]
            for i, j, w in self.arcs:
                self._out[i].append((j, w))
        return self._out

    @property
    def into(self) -> list[list[tuple[int, Number]]]:
        """``into[j]``: the ``(i, w)`` arcs entering node ``j``."""
        if self._in is None:
            self._in = [[] for _ in self.nodes]
            for i, j, w in self.arcs:
                self._in[j].append((i, w))
        return self._in

    def number(self, value: Number) -> Number:
        """*value* as an ``int`` when every weight is one (and it is finite); ``inf`` a float."""
        if isinstance(value, Decimal) and value.is_infinite():
            return math.inf if value > 0 else -math.inf
        if self.integral and isinstance(value, (float, np.floating)) and math.isfinite(value):
            return int(value)
        if isinstance(value, np.generic):
            return value.item()
        return value


def read_arcs(
    G: Any, weight: str | None, *, combine: Callable[[Number, Number], Number] | None
) -> Arcs:
    """Read *G* into :class:`Arcs`, validating every weight on the way.

    ``combine`` merges the weights of parallel arcs of a multigraph (``min``
    or ``max``); ``None`` keeps them apart (for counting). Undirected graphs
    list each edge from both ends, which gives the two arcs.
    """
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    multi = G.is_multigraph()
    integral = True
    slow = multi  # some weight read through _edge_weight: it may be of an exact kind
    arcs: list[tuple[int, int, Number]] = []
    append = arcs.append
    isfinite = math.isfinite
    for u, nbrs in G.adjacency():
        i = index[u]
        for v, data in nbrs.items():
            j = index[v]
            if multi:
                found = [
                    _edge_weight(d, weight, f"G[{u!r}][{v!r}][{key!r}]") for key, d in data.items()
                ]
                if combine is None:
                    for w in found:
                        integral = integral and type(w) is int
                        append((i, j, w))
                    continue
                w = found[0]
                for other in found[1:]:
                    w = combine(w, other)
            elif weight is None:
                w = 1
            else:
                w = data.get(weight, 1)
                kind = type(w)
                if kind is not int and not (kind is float and isfinite(w)):
                    w = _edge_weight(data, weight, f"G[{u!r}][{v!r}]")
                    slow = True
            integral = integral and type(w) is int
            append((i, j, w))
    exact = False
    inf: Any = math.inf
    if slow and not integral:  # only plain int and float weights otherwise
        kinds = set(map(type, (w for _, _, w in arcs))) - {int}
        exact = not kinds <= {float}
        if len(kinds) > 1:
            _refuse_mixed_weights(G, weight, arcs, nodes)
        inf = Decimal("Infinity") if Decimal in kinds else math.inf
    return Arcs(nodes, index, arcs, integral, G.is_directed(), exact, inf)


def _refuse_mixed_weights(
    G: Any, weight: str | None, arcs: list[tuple[int, int, Number]], nodes: list[Hashable]
) -> None:
    """Name the first weight whose kind would round with an earlier one's (InvalidType)."""
    seen: dict[type, str] = {}
    for i, j, w in arcs:
        number_kind(f"G[{nodes[i]!r}][{nodes[j]!r}][{weight!r}]", w, seen)


def bulk_arcs(G: Any, weight: str | None) -> tuple[Arcs, Any, Any, Any] | None:
    """The arcs of a simple graph as numpy arrays ``(rows, cols, weights)``, read in bulk.

    The common case for the all-pairs kernel: a ``Graph`` or ``DiGraph`` whose
    weights are all plain finite ``int`` or ``float``. Returns ``None`` for
    anything else (multigraphs, a weight that needs an error message), and the
    caller falls back to :func:`read_arcs`.
    """
    if G.is_multigraph():
        return None
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    ws: list[Any] = []
    for u, nbrs in G.adjacency():  # undirected graphs list each edge from both ends
        if not nbrs:
            continue
        rows.extend([index[u]] * len(nbrs))
        cols.extend(map(index.__getitem__, nbrs))
        if weight is None:
            ws.extend([1] * len(nbrs))
        else:
            ws.extend([d.get(weight, 1) for d in nbrs.values()])
    kinds = set(map(type, ws))
    if not kinds <= {int, float}:
        return None
    weights = np.array(ws, dtype=np.float64)
    if not np.isfinite(weights).all():
        return None
    if int in kinds and float not in kinds and float(np.abs(weights).sum()) >= 2**52:
        return None  # integers float64 may not add exactly: Python ints instead
    arcs = Arcs(nodes, index, [], kinds <= {int}, G.is_directed())
    return arcs, np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp), weights


def check_undirected(G: Any, *, graph: str = "G") -> None:
    """Refuse an undirected graph with an edge where a DAG is due (each edge is a cycle)."""
    if not G.is_directed() and G.number_of_edges():
        u, v = next(iter(G.edges()))
        raise CycleError(
            f"{graph} is undirected, so every edge is a cycle (e.g. {show([u, v, u])}); "
            "pass a directed acyclic graph (nx.DiGraph)",
            cycle=[u, v, u],
        )


def dag_order(arcs: Arcs, *, graph: str = "G") -> list[int]:
    """A topological order of *arcs*, or :class:`CycleError` showing one cycle."""
    order = topological_order(arcs)
    if len(order) == arcs.n:
        return order
    # Every node Kahn's algorithm left behind has an in-arc from another one
    # left behind: walk backwards along such arcs until a node repeats.
    placed = bytearray(arcs.n)
    for v in order:
        placed[v] = 1
    into = arcs.into
    v = placed.index(0)
    seen: dict[int, int] = {}
    walk: list[int] = []
    while v not in seen:
        seen[v] = len(walk)
        walk.append(v)
        v = next(u for u, _ in into[v] if not placed[u])
    loop = walk[seen[v] :][::-1]  # forward along the arcs
    first = loop.index(min(loop))  # start from the node listed first in G
    loop = loop[first:] + loop[:first]
    cycle = [arcs.nodes[i] for i in (*loop, loop[0])]
    raise CycleError(
        f"{graph} must be a directed acyclic graph; it has the cycle {show(cycle)}", cycle=cycle
    )


def topological_order(arcs: Arcs) -> list[int]:
    """Indices in a topological order (Kahn; ties by index). *arcs* must be acyclic."""
    indegree = [0] * arcs.n
    for _, j, _ in arcs.arcs:
        indegree[j] += 1
    ready = deque(i for i in range(arcs.n) if indegree[i] == 0)
    order: list[int] = []
    out = arcs.out
    while ready:
        i = ready.popleft()
        order.append(i)
        for j, _ in out[i]:
            indegree[j] -= 1
            if not indegree[j]:
                ready.append(j)
    return order


def coerce_graph(value: object, *, name: str = "G", weight: str = "weight") -> Any:
    """Turn a JSON edge list ``[[u, v, w], ...]`` or ``[[u, v], ...]`` into a DiGraph.

    A networkx graph passes through unchanged; ``w`` is stored under *weight*.
    """
    import networkx as nx

    if isinstance(value, nx.Graph):
        return value
    if not isinstance(value, (list, tuple)):
        raise InvalidType(
            f"{name}={show(value)} must be an edge list such as [[0, 1, 2.5], [1, 2, -1]]"
        )
    G = nx.DiGraph()
    for k, edge in enumerate(value):
        if not isinstance(edge, (list, tuple)) or len(edge) not in (2, 3):
            raise InvalidInput(f"{name}[{k}]={show(edge)} must be an edge [u, v] or [u, v, weight]")
        u, v = (node_label(x) for x in edge[:2])
        if len(edge) == 3:
            G.add_edge(u, v, **{weight: edge[2]})
        else:
            G.add_edge(u, v)
    return G


def node_label(value: Any) -> Hashable:
    """A JSON node label as a hashable node: lists become tuples."""
    return tuple(node_label(x) for x in value) if isinstance(value, list) else value


def coerce_args(args: Sequence[Any]) -> tuple[Any, ...]:
    """``[edges, *nodes]`` from the command line -> ``(DiGraph, *nodes)`` (``Problem.coerce``)."""
    if not args:
        return ()
    return (coerce_graph(args[0]), *(node_label(x) for x in args[1:]))


def dag_setup(
    G: Any, weight: str | None, combine: Callable[[Number, Number], Number] | None
) -> tuple[Arcs, list[int], list[int]]:
    """A checked DAG read into arcs, a topological order, and each node's position in it."""
    G = check_graph("G", G, weight=weight)
    check_undirected(G)
    arcs = read_arcs(G, weight, combine=combine)
    order = dag_order(arcs)
    pos = [0] * arcs.n
    for p, v in enumerate(order):
        pos[v] = p
    return arcs, order, pos
