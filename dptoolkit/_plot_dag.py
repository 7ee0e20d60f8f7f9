"""Pictures with matplotlib: the subproblem graph of a trace (``trace.draw()``).

States are drawn where a learner expects them:

* a grid-shaped state space (every state a pair of non-negative integers:
  edit distance, LCS, knapsack, grid paths) on its grid, row ``i`` down and
  column ``j`` across, each state showing its value;
* any other graph in layers, the goal on top and the base cases at the
  bottom, each state showing its name.

Colours say how a state was served: computed once (blue), also served from
the cache (orange), or, in a naive trace, computed again on every call
(purple, with its number of calls). The goal is outlined; all of it is in
the legend. Past :data:`GRID_MAX_NODES` (grid) or :data:`LAYERED_MAX_NODES`
states the picture would be unreadable dots, so drawing is refused with a
message saying so, unless ``max_nodes=`` asks for it anyway.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from ._plot import _figure, _label
from ._svg import HIT, MISS
from ._tableview import GOAL_COLOUR
from ._validate import check_int, show
from .errors import InvalidInput

__all__ = ["GRID_MAX_NODES", "LAYERED_MAX_NODES", "draw_graph"]

AGAIN = "#b279a2"  # recomputed on every call (naive recursion)
#: Most states drawn on a grid, and in layers, before a picture is refused.
GRID_MAX_NODES = 400
LAYERED_MAX_NODES = 150
#: Most states drawn as labelled boxes (more become dots), and arrows drawn with heads.
BOXED_MAX_NODES = 60
ARROWS_MAX_EDGES = 200

_NAMES = {
    "once": "computed once",
    "hit": "computed once, then served from the cache",
    "again": "computed again on every call (no cache)",
}


def _is_cell(state: object) -> bool:
    return (
        isinstance(state, tuple)
        and len(state) == 2
        and all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in state)
    )


def _kind(data: Mapping[str, Any], *, naive: bool) -> str:
    if "calls" not in data and "hits" not in data:
        return "once"
    if int(data.get("hits", 0)) > 0:
        return "hit"
    if naive and int(data.get("calls", 1)) > 1:
        return "again"
    return "once"


def _layered(graph: Any) -> dict[Hashable, tuple[float, float]]:
    import networkx as nx

    if nx.is_directed_acyclic_graph(graph):
        layers = {n: d for d, layer in enumerate(nx.topological_generations(graph)) for n in layer}
    else:
        layers = dict.fromkeys(graph.nodes, 0)
    layered = nx.DiGraph()
    layered.add_nodes_from((n, {"layer": layers[n]}) for n in graph.nodes)
    layered.add_edges_from(graph.edges)
    position = nx.multipartite_layout(layered, subset_key="layer", align="horizontal")
    sizes: dict[int, int] = {}
    for d in layers.values():
        sizes[d] = sizes.get(d, 0) + 1
    spread = max((abs(float(x)) for x, _ in position.values()), default=0.0) or 1.0
    # a layer of one state sits left and right by turns, so an arrow skipping a
    # layer does not run straight through the state in between
    return {
        n: (
            (spread * 0.35 * (1 if layers[n] % 2 else -1)) if sizes[layers[n]] == 1 else float(x),
            -float(y),
        )
        for n, (x, y) in position.items()
    }


def draw_graph(
    graph: Any,
    *,
    title: str = "",
    goal: Hashable | None = None,
    max_nodes: int | None = None,
    layout: str = "auto",
    labels: Any = None,
) -> Any:
    """The subproblem graph as a matplotlib Figure.

    Parameters
    ----------
    graph : networkx.DiGraph
        Edges from a state to the states it reads (``trace.graph()``).
    goal : optional
        The goal state, outlined.
    max_nodes : int, optional
        Draw at most this many states (default: 400 on a grid, 150 in layers);
        a larger graph is refused with :class:`~dptoolkit.InvalidInput`.
    layout : {"auto", "grid", "layers"}
        ``"auto"`` uses the grid when every state is a pair of integers.
    labels : Labels, optional
        Names and tick texts of the grid's axes.
    """
    count = graph.number_of_nodes()
    if layout not in ("auto", "grid", "layers"):
        raise InvalidInput(f"layout={show(layout)} must be one of 'auto', 'grid', 'layers'")
    grid = layout == "grid" or (
        layout == "auto" and count > 0 and all(_is_cell(n) for n in graph.nodes)
    )
    if grid and not all(_is_cell(n) for n in graph.nodes):
        raise InvalidInput("layout='grid' needs every state to be a pair of non-negative integers")
    limit = (GRID_MAX_NODES if grid else LAYERED_MAX_NODES) if max_nodes is None else max_nodes
    limit = check_int("max_nodes", limit, minimum=1)
    if count > limit:
        raise InvalidInput(
            f"the subproblem graph has {count:,} states, more than the {limit:,} that can be read "
            f"in one picture; trace a smaller instance (from Python, draw(max_nodes={count}) "
            "draws it anyway, as dots)"
        )
    naive = graph.graph.get("strategy") == "naive"
    nodes = list(graph.nodes)
    kinds = {n: _kind(graph.nodes[n], naive=naive) for n in nodes}
    colour = {"once": MISS, "hit": HIT, "again": AGAIN}
    if grid:
        position = {n: (float(n[1]), -float(n[0])) for n in nodes}
        rows = max((n[0] for n in nodes), default=0) + 1
        cols = max((n[1] for n in nodes), default=0) + 1
        fig = _figure(min(2.5 + 0.55 * cols, 20.0), min(2.0 + 0.5 * rows, 16.0) + 0.8)
    else:
        position = _layered(graph) if nodes else {}
        depth = len({y for _, y in position.values()}) or 1
        widest = max(
            (
                sum(1 for p in position.values() if p[1] == y)
                for y in {p[1] for p in position.values()}
            ),
            default=1,
        )
        fig = _figure(min(max(3.0 + 1.0 * widest, 5.5), 18.0), min(1.6 + 0.7 * depth, 14.0) + 1.0)
    ax = fig.add_subplot()
    if not nodes:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "(no subproblems)", ha="center", va="center")
        return fig
    boxed = count <= BOXED_MAX_NODES
    ax.update_datalim(list(position.values()))  # texts and arrows do not widen the limits
    ax.autoscale_view()
    _edges(ax, graph, position, boxed=boxed)
    goal_node = (
        goal
        if goal in graph
        else (goal[0] if isinstance(goal, tuple) and len(goal) == 1 and goal[0] in graph else None)
    )
    font = 9 if count <= 20 else 7
    for node in nodes:
        x, y = position[node]
        data = graph.nodes[node]
        face = colour[kinds[node]]
        edge = GOAL_COLOUR if node == goal_node else face
        if boxed:
            text = show(data.get("value")) if grid else str(data.get("label") or _label(node))
            if naive and int(data.get("calls", 1)) > 1:
                text += f" ×{int(data['calls'])}"
            ax.text(x, y, text[:12], ha="center", va="center", fontsize=font, color="white", zorder=3,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": face, "edgecolor": edge,
                          "linewidth": 2.5 if node == goal_node else 1.0})  # fmt: skip
        else:
            ax.scatter([x], [y], s=70 if node == goal_node else 26, c=[face], zorder=3,
                       edgecolors=[edge], linewidths=2 if node == goal_node else 0.5)  # fmt: skip
    _axes(ax, nodes, grid=grid, labels=labels)
    _legend(ax, fig, kinds, colour, goal_node is not None)
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def _edges(
    ax: Any, graph: Any, position: Mapping[Hashable, tuple[float, float]], *, boxed: bool
) -> None:
    edges = list(graph.edges)
    if len(edges) <= ARROWS_MAX_EDGES:
        shrink = 11 if boxed else 4
        for a, b in edges:
            ax.annotate("", xy=position[b], xytext=position[a], zorder=1,
                        arrowprops={"arrowstyle": "-|>", "color": "#9a9a9a", "lw": 0.9,
                                    "shrinkA": shrink, "shrinkB": shrink, "mutation_scale": 9})  # fmt: skip
        return
    from matplotlib.collections import LineCollection

    lines = [(position[a], position[b]) for a, b in edges]
    ax.add_collection(LineCollection(lines, colors="#c4c4c4", linewidths=0.6, zorder=1))


def _axes(ax: Any, nodes: list[Any], *, grid: bool, labels: Any) -> None:
    if not grid:
        ax.set_axis_off()
        ax.margins(0.12)
        return
    rows = max(n[0] for n in nodes) + 1
    cols = max(n[1] for n in nodes) + 1
    ax.set_xlim(-0.7, cols - 0.3)
    ax.set_ylim(-(rows - 0.3), 0.7)
    step_c, step_r = max(1, cols // 30), max(1, rows // 30)
    tick = labels.tick if labels is not None else (lambda axis, k: str(k))
    ax.set_xticks(range(0, cols, step_c), [tick(1, c) for c in range(0, cols, step_c)], fontsize=8)
    ax.set_yticks(
        [-r for r in range(0, rows, step_r)],
        [tick(0, r) for r in range(0, rows, step_r)],
        fontsize=8,
    )
    ax.set_xlabel(
        labels.name(1, "j (second coordinate)") if labels is not None else "j (second coordinate)"
    )
    ax.set_ylabel(
        labels.name(0, "i (first coordinate)") if labels is not None else "i (first coordinate)"
    )
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    for side in ("right", "bottom"):
        ax.spines[side].set_visible(False)


def _legend(
    ax: Any, fig: Any, kinds: Mapping[Any, str], colour: Mapping[str, str], has_goal: bool
) -> None:
    from matplotlib.lines import Line2D

    used = [k for k in ("once", "hit", "again") if k in kinds.values()]
    handles = [
        Line2D([], [], marker="s", ls="", markersize=8, color=colour[k], label=_NAMES[k])
        for k in used
    ]
    if has_goal:
        handles.append(Line2D([], [], marker="s", ls="", markersize=8, markerfacecolor="none",
                              markeredgecolor=GOAL_COLOUR, markeredgewidth=2, label="goal"))  # fmt: skip
    handles.append(
        Line2D([], [], color="#9a9a9a", lw=1, label="reads (an arrow to each subproblem)")
    )
    wide = fig.get_figwidth() >= 9
    fig.legend(handles=handles, loc="outside lower center", fontsize=8, frameon=False,
               ncol=2 if wide else 1)  # fmt: skip
