"""Pictures: a filled DP table as a heatmap, a subproblem graph as a layered drawing.

matplotlib comes from the ``plot`` extra (``pip install "dptoolkit[plot]"``)
and is imported only when a picture is drawn; without it the drawing
functions raise :class:`MissingExtra`, which names the extra. The figures are
built on :class:`matplotlib.figure.Figure` directly (no ``pyplot``), so
drawing never touches a user's global matplotlib state or backend.

These functions write a file and return nothing; they never print.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["MissingExtra", "draw_dag", "draw_table", "table_array", "table_grid"]

#: What to install for pictures.
EXTRA_HINT = 'pip install "dptoolkit[plot]"'

_MISS = "#4c78a8"  # computed once (a miss)
_HIT = "#f58518"  # reused from the cache (a hit)
_AGAIN = "#b279a2"  # recomputed on every call (naive recursion)
_GOAL = "#e45756"


class MissingExtra(ImportError):
    """matplotlib (the ``plot`` extra) is not installed."""


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtra(
            f"drawing needs matplotlib, from the plot extra ({EXTRA_HINT})"
        ) from None
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _number(value: object) -> float:
    """A cell as a float for the colour scale; NaN for what is not a number."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, numbers.Real):
        try:
            return float(value)
        except OverflowError:  # an int too large for a float
            return math.inf if int(value) > 0 else -math.inf  # type: ignore[call-overload]
    return math.nan


def _is_index(state: object) -> bool:
    if isinstance(state, bool) or not isinstance(state, numbers.Integral):
        return False
    return int(state) >= 0


def _as_index(state: Hashable) -> tuple[int, ...] | None:
    if _is_index(state):
        return (int(state),)  # type: ignore[call-overload]
    if isinstance(state, tuple) and 1 <= len(state) <= 3 and all(_is_index(s) for s in state):
        return tuple(int(s) for s in state)
    return None


def table_array(table: object) -> tuple[np.ndarray[Any, Any], list[str] | None]:
    """A DP table as a float array of one to three dimensions, NaN where empty.

    A numpy table keeps its shape (dimensions past the third are flattened
    into it). A dict table keyed by one to three non-negative integers is laid
    out densely; any other dict becomes one row in fill order, and its states
    are returned as column labels. Cells that are not numbers become NaN.

    >>> grid, labels = table_array({(0, 0): 1, (1, 1): 2})
    >>> grid.tolist(), labels
    ([[1.0, nan], [nan, 2.0]], None)
    >>> table_array({"b": 2, "a": 1})
    (array([[2., 1.]]), ['b', 'a'])
    """
    if isinstance(table, Mapping):
        keys = list(table)
        indices = [_as_index(k) for k in keys]
        dims = {len(i) for i in indices if i is not None}
        if keys and None not in indices and len(dims) == 1:
            width = dims.pop()
            shape = tuple(max(i[d] for i in indices if i is not None) + 1 for d in range(width))
            grid = np.full(shape, np.nan)
            for key, index in zip(keys, indices, strict=True):
                grid[index] = _number(table[key])
            return grid, None
        row = np.array([[_number(table[k]) for k in keys]], dtype=float)
        return row, [_label(k) for k in keys]
    array = np.asarray(table)
    if array.dtype.kind in "biuf":
        grid = array.astype(float)
    else:
        grid = np.vectorize(_number, otypes=[float])(array) if array.size else array.astype(float)
    if grid.ndim == 0:
        grid = grid.reshape(1)
    if grid.ndim > 3:
        grid = grid.reshape(grid.shape[0], grid.shape[1], -1)
    return grid, None


def table_grid(table: object) -> tuple[np.ndarray[Any, Any], list[str] | None]:
    """:func:`table_array` as a 2-D grid: one row for 1-D, layers side by side for 3-D.

    >>> table_grid([1, 2, 3])[0].shape
    (1, 3)
    """
    grid, labels = table_array(table)
    if grid.ndim == 1:
        return grid.reshape(1, -1), labels
    if grid.ndim == 3:
        return np.concatenate(list(grid), axis=1), labels
    return grid, labels


def _label(state: object) -> str:
    if isinstance(state, tuple) and len(state) == 1:
        state = state[0]
    text = repr(state) if not isinstance(state, str) else state
    return text if len(text) <= 14 else text[:13] + "…"


def _cell_text(value: float) -> str:
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.3g}"


_MAX_PANELS = 8


def draw_table(
    table: object,
    path: str,
    *,
    title: str = "",
    goal: Sequence[Any] | None = None,
) -> None:
    """Draw a filled DP table as a heatmap and save it to *path* (PNG).

    Cells are coloured by value; empty, infinite and non-numeric cells are
    grey; small tables show their values; the goal cell is outlined. A
    three-dimensional table is drawn as a row of panels, one per value of its
    first index (at most eight, evenly spread, the last always shown).

    Raises
    ------
    MissingExtra
        When matplotlib is not installed.
    """
    array, labels = table_array(table)
    index = _as_index(tuple(goal)) if goal is not None else None
    if array.ndim == 3:
        layers = array.shape[0]
        picked = sorted(
            {round(k * (layers - 1) / max(_MAX_PANELS - 1, 1)) for k in range(_MAX_PANELS)}
        )
        picked = picked if layers > _MAX_PANELS else list(range(layers))
        panels = [(f"first index {k}", array[k], k) for k in picked]
    else:
        grid = array.reshape(1, -1) if array.ndim == 1 else array
        panels = [("", grid, None)]
    rows, cols = panels[0][1].shape
    count = len(panels)
    width = min(1.2 + count * (0.8 + 0.42 * cols), 20.0)
    fig = _figure(width, min(1.6 + 0.42 * rows, 12.0) + 0.6)
    axes = fig.subplots(1, count, squeeze=False)[0]
    finite_all = np.ma.masked_invalid(array)
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    low, high = (
        (float(finite_all.min()), float(finite_all.max())) if finite_all.count() else (0.0, 1.0)
    )
    norm = Normalize(vmin=low, vmax=high if high > low else low + 1)
    cmap = colormaps["viridis"].with_extremes(bad="#d9d9d9")
    image = None
    for ax, (name, grid, layer) in zip(axes, panels, strict=True):
        image = ax.imshow(
            np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest"
        )
        _annotate(ax, grid, (low + high) / 2)
        if labels is not None:
            ax.set_xticks(range(cols), labels if cols <= 40 else None, rotation=60, fontsize=7)
            ax.set_yticks([])
            ax.set_xlabel("state, in fill order")
            continue
        if cols <= 30:
            ax.set_xticks(range(cols))
        if rows <= 30:
            ax.set_yticks(range(rows))
        if rows == 1:
            ax.set_yticks([])
            ax.set_xlabel("state")
        else:
            ax.set_xlabel("j (second index)" if layer is None else "third index")
            ax.set_ylabel("i (first index)" if layer is None else "second index")
        if name:
            ax.set_title(name, fontsize=9)
        if index is not None and (layer is None or (len(index) == 3 and index[0] == layer)):
            _outline_goal(ax, index if layer is None else index[1:], rows, cols)
    if finite_all.count() and image is not None:
        fig.colorbar(image, ax=list(axes), shrink=0.85, label="value")
    if title:
        fig.suptitle(title)
    fig.savefig(path, format="png")


def _annotate(ax: Any, grid: np.ndarray[Any, Any], middle: float) -> None:
    rows, cols = grid.shape
    if rows * cols > 600 or rows > 30 or cols > 30:
        return
    for i in range(rows):
        for j in range(cols):
            value = float(grid[i, j])
            dark = math.isfinite(value) and value < middle
            ax.text(
                j,
                i,
                _cell_text(value),
                ha="center",
                va="center",
                fontsize=8 if cols <= 16 else 6,
                color="white" if dark else "black",
            )


def _outline_goal(ax: Any, index: tuple[int, ...], rows: int, cols: int) -> None:
    if len(index) == 1:
        i, j = 0, index[0]
    elif len(index) == 2 and rows > 1:
        i, j = index
    else:
        return
    if i < rows and j < cols:
        from matplotlib.patches import Rectangle

        ax.add_patch(
            Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=_GOAL, linewidth=2.5)
        )


def _layers(graph: Any) -> dict[Hashable, int]:
    import networkx as nx

    if nx.is_directed_acyclic_graph(graph):
        return {
            node: depth
            for depth, layer in enumerate(nx.topological_generations(graph))
            for node in layer
        }
    return dict.fromkeys(graph.nodes, 0)


def _kind(data: Mapping[str, Any], *, naive: bool) -> str:
    """How a state was served: ``once``, ``hit`` (also from the cache), ``again``, ``plain``."""
    if "calls" not in data and "hits" not in data:
        return "plain"
    if int(data.get("hits", 0)) > 0:
        return "hit"
    if naive and int(data.get("calls", 1)) > 1:
        return "again"
    return "once"


def _node_label(data: Mapping[str, Any], node: Hashable, *, naive: bool) -> str:
    text = str(data.get("label") or _label(node))
    calls = int(data.get("calls", 1))
    if naive and calls > 1:
        text += f" ×{calls}"
    return text


def draw_dag(graph: Any, path: str, *, title: str = "", goal: Hashable | None = None) -> None:
    """Draw a subproblem graph (edges from a state to the states it reads) to *path*.

    States are laid out in layers, the goal on top (outlined) and the base
    cases at the bottom. When the nodes carry ``calls`` and ``hits`` counts (as
    :meth:`dptoolkit.Trace.graph` gives them), states served again from the
    cache are orange, states computed once blue, and, in a naive trace,
    states computed again on every call purple with their number of calls.

    Raises
    ------
    MissingExtra
        When matplotlib is not installed.
    """
    import networkx as nx

    nodes = list(graph.nodes)
    layers = _layers(graph)
    depth = max(layers.values(), default=0) + 1
    widest = max((sum(1 for v in layers.values() if v == d) for d in range(depth)), default=1)
    fig = _figure(min(3.0 + 1.0 * widest, 18.0), min(1.6 + 0.7 * depth, 14.0))
    font = 11 if len(nodes) <= 20 else 8
    ax = fig.add_subplot()
    ax.set_axis_off()
    if not nodes:
        ax.text(0.5, 0.5, "(no subproblems)", ha="center", va="center")
        fig.savefig(path, format="png")
        return
    layered = nx.DiGraph()
    layered.add_nodes_from((n, {"layer": layers[n]}) for n in nodes)
    layered.add_edges_from(graph.edges)
    position = nx.multipartite_layout(layered, subset_key="layer", align="horizontal")
    position = {n: (x, -y) for n, (x, y) in position.items()}  # goal on top
    # a layer of one state sits left and right by turns, so that an arrow
    # skipping a layer does not run straight through the state in between
    sizes = {d: sum(1 for v in layers.values() if v == d) for d in range(depth)}
    spread = max((abs(x) for x, _ in position.values()), default=0.0) or 1.0
    position = {
        n: ((spread * 0.35 * (1 if layers[n] % 2 else -1)) if sizes[layers[n]] == 1 else x, y)
        for n, (x, y) in position.items()
    }
    naive = graph.graph.get("strategy") == "naive"
    kinds = {n: _kind(graph.nodes[n], naive=naive) for n in nodes}
    colour = {"once": _MISS, "hit": _HIT, "again": _AGAIN, "plain": _MISS}
    wanted = [goal] if goal is not None else []
    if isinstance(goal, tuple) and len(goal) == 1:
        wanted.append(goal[0])
    goal_node = next((g for g in wanted if g in graph), None)
    if len(nodes) <= 60:
        # states as labelled boxes; arrows stop short of them
        nx.draw_networkx_edges(
            graph, position, ax=ax, arrows=True, arrowsize=10, edge_color="#999999",
            node_size=1400, width=1.0,
        )  # fmt: skip
        for kind in ("once", "hit", "again", "plain"):
            group = [n for n in nodes if kinds[n] == kind]
            if not group:
                continue
            labels = {n: _node_label(graph.nodes[n], n, naive=naive) for n in group}
            for node, text in labels.items():
                x, y = position[node]
                ax.text(
                    x, y, text, ha="center", va="center", fontsize=font, color="white",
                    bbox={
                        "boxstyle": "round,pad=0.35",
                        "facecolor": colour[kind],
                        "edgecolor": _GOAL if node == goal_node else colour[kind],
                        "linewidth": 2.5 if node == goal_node else 1.0,
                    },
                )  # fmt: skip
    else:
        nx.draw_networkx_edges(
            graph, position, ax=ax, arrows=True, arrowsize=6, edge_color="#bbbbbb", node_size=40
        )
        nx.draw_networkx_nodes(
            graph, position, ax=ax, node_size=40, node_color=[colour[kinds[n]] for n in nodes]
        )
        if goal_node is not None:
            nx.draw_networkx_nodes(
                graph, position, nodelist=[goal_node], ax=ax, node_size=90, node_color=_GOAL
            )
    used = [k for k in ("once", "hit", "again") if k in kinds.values()]
    if used:
        from matplotlib.lines import Line2D

        names = {
            "once": "computed once",
            "hit": "computed once, then served from the cache",
            "again": "computed again on every call (no cache)",
        }
        handles = [
            Line2D([], [], marker="s", ls="", markersize=9, color=colour[k], label=names[k])
            for k in used
        ]
        wide = widest >= 4
        ax.legend(handles=handles, loc="upper center", fontsize=9, frameon=False,
                  bbox_to_anchor=(0.5, 0.0), ncol=len(handles) if wide else 1)  # fmt: skip
    ax.margins(0.08)
    if title:
        ax.set_title(title)
    fig.savefig(path, format="png")
