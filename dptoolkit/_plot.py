"""Pictures with matplotlib: a filled DP table as a heatmap (``sol.draw_table()``).

matplotlib comes from the ``plot`` extra (``pip install "dptoolkit[plot]"``)
and is imported only when a picture is drawn; without it the drawing
functions raise :class:`MissingExtra`, which names the extra. The figures are
built on :class:`matplotlib.figure.Figure` directly (no ``pyplot``), so
drawing never touches a user's global matplotlib state or backend.

A table is drawn from its :class:`~dptoolkit._tableview.TableView`, the same
one the notebook heatmap and the explain page use: axes named by the
problem, discrete colours for booleans and for integers with few values (in
a legend), a colour bar otherwise, the goal cell outlined and the witness
path drawn, both in the legend. Each function returns the Figure and saves it
when given a path; none prints. Subproblem graphs are in :mod:`._plot_dag`.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._labels import Labels
from ._tableview import (
    GOAL_COLOUR,
    PATH_COLOUR,
    TableView,
    bends,
    ramp,
    table_view,
    text_colour,
)
from ._validate import show

if TYPE_CHECKING:
    from .recurrence import Solution
    from .trace import Trace

__all__ = [
    "MissingExtra",
    "draw_dag",
    "draw_solution",
    "draw_table",
    "draw_trace",
    "table_array",
    "table_grid",
]

#: What to install for pictures.
EXTRA_HINT = 'pip install "dptoolkit[plot]"'

#: Resolution of saved pictures: 2x a screen's, so they stay sharp on high-density displays.
DPI = 200
#: Most cells a table picture annotates with their values.
ANNOTATE_MAX_CELLS = 600


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


def _save(fig: Any, path: Any) -> Any:
    if path is not None:
        fig.savefig(path, dpi=DPI)
    return fig


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


def draw_solution(
    sol: Solution, path: Any = None, *, title: str | None = None, annotate: bool | None = None
) -> Any:
    """``sol.draw_table()``: the solution's table as a Figure, saved to *path* if given.

    Raises
    ------
    dptoolkit.errors.NotRecorded
        When the solution keeps no table (only ``bottom_up`` does).
    MissingExtra
        When matplotlib is not installed.
    """
    from ._labels import goal_of, witness_path

    table = sol.table  # NotRecorded for a strategy without one
    labels = sol._labels
    view = table_view(table, labels, goal=goal_of(sol), path=witness_path(sol))
    if title is None:
        shown = show(sol.value)
        title = f"value {shown}" if len(shown) <= 40 else ""
    return _draw_view(view, path, title=title, annotate=annotate)


def draw_table(
    table: object,
    path: Any = None,
    *,
    title: str = "",
    goal: Sequence[Any] | None = None,
    labels: Labels | None = None,
    names: Sequence[str] = (),
    witness: Sequence[Any] = (),
    annotate: bool | None = None,
) -> Any:
    """Draw a filled DP table (numpy array or dict) as a heatmap; return the Figure.

    *goal* and the states of *witness* are marked; *labels* or *names* name
    the axes. Saved to *path* (PNG, or any format matplotlib knows by the
    suffix) when given.

    Raises
    ------
    MissingExtra
        When matplotlib is not installed.
    """
    goal_state: Any = tuple(goal) if goal is not None else None
    if isinstance(goal_state, tuple) and len(goal_state) == 1:
        goal_state = goal_state[0]
    view = table_view(table, labels, names=names, goal=goal_state, path=witness)
    return _draw_view(view, path, title=title, annotate=annotate)


def _draw_view(view: TableView, path: Any, *, title: str, annotate: bool | None) -> Any:
    rows, cols = view.rows, view.cols
    width = min(
        max(2.8 + 0.42 * cols + (0.06 * max(map(len, view.row_ticks), default=0)), 4.5), 22.0
    )
    height = 2.4 if rows == 1 else min(max(1.9 + 0.42 * rows, 2.6), 16.0) + 0.7
    fig = _figure(width, height)
    ax = fig.add_subplot()
    from matplotlib.colors import to_rgb

    rgb = np.array([[to_rgb(c) for c in row] for row in view.colours])
    ax.imshow(rgb, aspect="auto", interpolation="nearest")
    fits = rows * cols <= ANNOTATE_MAX_CELLS and cols <= 40 and rows <= 40
    if annotate if annotate is not None else fits:
        size = 8 if cols <= 16 else 6
        for r in range(rows):
            for c in range(cols):
                if view.texts[r][c]:
                    ax.text(c, r, view.texts[r][c], ha="center", va="center", fontsize=size,
                            color=text_colour(view.colours[r][c]))  # fmt: skip
    _ticks(ax, view)
    handles = _legend_handles(view)
    if view.goal is not None:
        from matplotlib.patches import Rectangle

        r, c = view.goal
        ax.add_patch(
            Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor=GOAL_COLOUR, linewidth=2.5)
        )
    if len(view.path) > 1:
        _draw_path(ax, view.path)
    if view.continuous:
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import LinearSegmentedColormap, Normalize

        low, high = view.legend[0][1], view.legend[1][1]
        cmap = LinearSegmentedColormap.from_list("dptoolkit", [ramp(k / 8) for k in range(9)])
        norm = Normalize(_as_float(low), _as_float(high))
        fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.85, label="value")
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8,
                  frameon=False, title="cells" if not view.continuous else None)  # fmt: skip
    if view.note:
        title = f"{title}\n({view.note})" if title else f"({view.note})"
    if title:
        ax.set_title(title, fontsize=10)
    return _save(fig, path)


def _draw_path(ax: Any, cells: Sequence[tuple[int, int]]) -> None:
    """The witness path: a dot on each cell, joined; a join over cells in between is bent."""
    from matplotlib.patches import FancyArrowPatch

    ys, xs = zip(*cells, strict=True)
    ax.plot(xs, ys, ls="", color=PATH_COLOUR, marker="o", markersize=4, alpha=0.9)
    for a, b in itertools.pairwise(cells):
        style = "arc3,rad=-0.35" if bends(a, b) else "arc3,rad=0"
        ax.add_patch(FancyArrowPatch((a[1], a[0]), (b[1], b[0]), connectionstyle=style,
                                     arrowstyle="-", color=PATH_COLOUR, linewidth=2.5, alpha=0.85))  # fmt: skip


def _as_float(text: str) -> float:
    try:
        return float(text.replace("∞", "inf"))
    except ValueError:
        return 0.0


def _ticks(ax: Any, view: TableView) -> None:
    rows, cols = view.rows, view.cols
    every = max(1, math.ceil(cols / 40))
    ax.set_xticks(range(0, cols, every), [view.col_ticks[c] for c in range(0, cols, every)],
                  fontsize=8, rotation=0 if max(map(len, view.col_ticks), default=0) <= 3 else 60)  # fmt: skip
    ax.set_xlabel(view.col_name)
    if rows > 1:
        every = max(1, math.ceil(rows / 40))
        ax.set_yticks(
            range(0, rows, every), [view.row_ticks[r] for r in range(0, rows, every)], fontsize=8
        )
        ax.set_ylabel(view.row_name)
    else:
        ax.set_yticks([])
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")


def _legend_handles(view: TableView) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    if not view.continuous:
        handles += [
            Patch(facecolor=colour, edgecolor="#999999", label=text) for colour, text in view.legend
        ]
    else:
        handles += [
            Patch(facecolor=colour, edgecolor="#999999", label=text)
            for colour, text in view.legend[2:]
        ]
    if view.goal is not None:
        handles.append(Patch(facecolor="none", edgecolor=GOAL_COLOUR, linewidth=2, label="goal"))
    if len(view.path) > 1:
        handles.append(Line2D([], [], color=PATH_COLOUR, linewidth=2.5, label="witness path"))
    return handles


def draw_trace(trace: Trace, path: Any = None, **options: Any) -> Any:
    """``trace.draw()``: the subproblem graph as a Figure (see :func:`._plot_dag.draw_graph`)."""
    from ._plot_dag import draw_graph

    title = options.pop("title", f"{trace.name}: subproblems ({trace.strategy})")
    goal = trace.records[0].state if trace.records else None
    return _save(draw_graph(trace.graph(), title=title, goal=goal, **options), path)


def draw_dag(
    graph: Any, path: Any = None, *, title: str = "", goal: Hashable | None = None, **options: Any
) -> Any:
    """Draw a subproblem graph (edges from a state to the states it reads); return the Figure."""
    from ._plot_dag import draw_graph

    return _save(draw_graph(graph, title=title, goal=goal, **options), path)
