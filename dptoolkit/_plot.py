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

__all__ = ["MissingExtra", "draw_dag", "draw_table", "table_grid"]

#: What to install for pictures.
EXTRA_HINT = 'pip install "dptoolkit[plot]"'

_MISS = "#4c78a8"  # computed once (a miss)
_HIT = "#f58518"  # reused from the cache (a hit)
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
    if isinstance(state, tuple) and 1 <= len(state) <= 2 and all(_is_index(s) for s in state):
        return tuple(int(s) for s in state)
    return None


def table_grid(table: object) -> tuple[np.ndarray[Any, Any], list[str] | None]:
    """A DP table as a 2-D float grid (NaN for empty or non-numeric cells).

    A numpy table keeps its shape (a 1-D table becomes one row; more than two
    dimensions are flattened after the first). A dict table keyed by one or
    two non-negative integers is laid out densely; any other dict becomes one
    row in fill order, and its states are returned as column labels.

    >>> grid, labels = table_grid({(0, 0): 1, (1, 1): 2})
    >>> grid.tolist(), labels
    ([[1.0, nan], [nan, 2.0]], None)
    >>> table_grid({"b": 2, "a": 1})[1]
    ['b', 'a']
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
            return _two_d(grid), None
        row = np.array([[_number(table[k]) for k in keys]], dtype=float)
        return row, [_label(k) for k in keys]
    array = np.asarray(table)
    if array.dtype.kind in "biuf":
        grid = array.astype(float)
    else:
        grid = np.vectorize(_number, otypes=[float])(array) if array.size else array.astype(float)
    return _two_d(grid), None


def _two_d(grid: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    if grid.ndim == 0:
        return grid.reshape(1, 1)
    if grid.ndim == 1:
        return grid.reshape(1, -1)
    if grid.ndim > 2:
        return grid.reshape(grid.shape[0], -1)
    return grid


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


def draw_table(
    table: object,
    path: str,
    *,
    title: str = "",
    goal: Sequence[Any] | None = None,
) -> None:
    """Draw a filled DP table as a heatmap and save it to *path* (PNG).

    Cells are coloured by value; empty, infinite and non-numeric cells are
    grey; small tables show their values; the goal cell is outlined.

    Raises
    ------
    MissingExtra
        When matplotlib is not installed.
    """
    grid, labels = table_grid(table)
    rows, cols = grid.shape
    fig = _figure(min(2.0 + 0.42 * cols, 16.0), min(1.6 + 0.42 * rows, 12.0) + 0.4)
    ax = fig.add_subplot()
    finite = np.ma.masked_invalid(grid)
    from matplotlib import colormaps

    cmap = colormaps["viridis"].with_extremes(bad="#d9d9d9")
    image = ax.imshow(finite, cmap=cmap, aspect="auto", interpolation="nearest")
    if finite.count():
        fig.colorbar(image, ax=ax, shrink=0.85, label="value")
    if rows * cols <= 600 and rows <= 30 and cols <= 30:
        low, high = (float(finite.min()), float(finite.max())) if finite.count() else (0.0, 1.0)
        middle = (low + high) / 2
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
    if labels is not None:
        ax.set_xticks(range(cols), labels if cols <= 40 else None, rotation=60, fontsize=7)
        ax.set_yticks([])
        ax.set_xlabel("state, in fill order")
    else:
        if rows == 1:
            ax.set_yticks([])
            ax.set_xlabel("state")
        else:
            ax.set_xlabel("j (second index)")
            ax.set_ylabel("i (first index)")
        _outline_goal(ax, goal, rows, cols)
    if title:
        ax.set_title(title)
    fig.savefig(path, format="png")


def _outline_goal(ax: Any, goal: Sequence[Any] | None, rows: int, cols: int) -> None:
    if goal is None:
        return
    index = _as_index(tuple(goal))
    if index is None:
        return
    i, j = (0, index[0]) if len(index) == 1 else index
    if rows == 1 and len(index) == 2:
        return
    if i < rows and j < cols:
        from matplotlib.patches import Rectangle

        ax.add_patch(
            Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=_GOAL, linewidth=2.5)
        )


def _node_hits(graph: Any, node: Hashable) -> int | None:
    data = graph.nodes[node]
    for key in ("hits", "hit"):
        if key in data:
            return int(data[key])
    return None


def _layers(graph: Any) -> dict[Hashable, int]:
    import networkx as nx

    if nx.is_directed_acyclic_graph(graph):
        return {
            node: depth
            for depth, layer in enumerate(nx.topological_generations(graph))
            for node in layer
        }
    return dict.fromkeys(graph.nodes, 0)


def draw_dag(graph: Any, path: str, *, title: str = "", goal: Hashable | None = None) -> None:
    """Draw a subproblem graph (edges from a state to the states it reads) to *path*.

    States are laid out in layers, the goal on top and the base cases at the
    bottom. When the nodes carry a ``hits`` count (as a trace's graph does),
    states reused from the cache are orange and states computed once blue.

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
    fig = _figure(min(2.5 + 0.9 * widest, 18.0), min(1.5 + 0.8 * depth, 14.0))
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
    hits = {n: _node_hits(graph, n) for n in nodes}
    colours = [_HIT if (hits[n] or 0) > 0 else _MISS for n in nodes]
    small = len(nodes) <= 80
    size = 900 if len(nodes) <= 20 else 500 if small else 60
    nx.draw_networkx_edges(
        graph, position, ax=ax, arrows=True, arrowsize=10, edge_color="#888888", node_size=size
    )
    nx.draw_networkx_nodes(graph, position, ax=ax, node_color=colours, node_size=size)
    wanted = [goal] if goal is not None else []
    if isinstance(goal, tuple) and len(goal) == 1:
        wanted.append(goal[0])
    found = [g for g in wanted if g in graph]
    if found:
        nx.draw_networkx_nodes(
            graph, position, nodelist=found[:1], ax=ax, node_color="none",
            edgecolors=_GOAL, linewidths=2.5, node_size=size * 1.25,
        )  # fmt: skip
    if small:
        labels = {n: _label(n) for n in nodes}
        nx.draw_networkx_labels(graph, position, labels, ax=ax, font_size=8, font_color="white")
    if any(h is not None for h in hits.values()):
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], marker="o", ls="", color=_MISS, label="computed once"),
            Line2D([], [], marker="o", ls="", color=_HIT, label="also reused (cache hit)"),
        ]
        ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    fig.savefig(path, format="png")
