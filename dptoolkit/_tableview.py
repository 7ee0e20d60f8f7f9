"""A DP table made ready to look at: a 2-D grid of cells with texts, colours and axes.

Every picture of a table (the notebook heatmap, the explain page, the
matplotlib figure) starts from one :class:`TableView`, so they all agree:

* axes named by the problem's :class:`~dptoolkit._labels.Labels` (or the
  recurrence's coordinate names), with its tick texts;
* colours on a discrete scale for booleans (two colours) and for integers
  with few distinct values (one colour per value, in a legend); a light to
  dark ramp otherwise; empty cells pale, infinite ones grey;
* the goal cell and the cells of the witness path.

A one-coordinate table is one row; of a three-coordinate table the last
layer along the first coordinate is shown (Floyd--Warshall's final
distances); a dict table keyed by anything else is one row in fill order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._labels import Labels

__all__ = ["GOAL_COLOUR", "PATH_COLOUR", "TableView", "bends", "ramp", "table_view", "text_colour"]

GOAL_COLOUR = "#d62728"
PATH_COLOUR = "#7b2cbf"
EMPTY = "#f3f3f3"
INFINITE = "#cfcfcf"
FALSE = "#e6e1d6"
TRUE = "#2f7f6f"

#: the light-to-dark ramp of numeric tables: pale sand, teal, deep navy
_RAMP = ((0.996, 0.969, 0.839), (0.255, 0.714, 0.651), (0.137, 0.224, 0.357))

#: at most this many distinct integers get one colour each
DISCRETE_MAX = 10


def ramp(t: float) -> str:
    """The ramp colour at *t* in [0, 1], as ``#rrggbb``."""
    t = min(max(t, 0.0), 1.0) * (len(_RAMP) - 1)
    k = min(int(t), len(_RAMP) - 2)
    f = t - k
    rgb = [a + (b - a) * f for a, b in zip(_RAMP[k], _RAMP[k + 1], strict=True)]
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def text_colour(background: str) -> str:
    """Black or white, whichever reads on *background* (``#rrggbb``)."""
    r, g, b = (int(background[k : k + 2], 16) / 255 for k in (1, 3, 5))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else "#1a1a1a"


def _number(value: object) -> float:
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    except OverflowError:
        return math.inf if value > 0 else -math.inf  # type: ignore[operator]
    return out


def _text(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return "T" if value else "F"
    number = _number(value)
    if math.isnan(number):
        return "" if isinstance(value, float) else str(value)[:6]
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if number == int(number) and abs(number) < 1e6:
        return str(int(number))
    return f"{number:.3g}"


@dataclass
class TableView:
    """A table as a grid of cells, ready to draw.

    ``values[r][c]`` is the cell's Python value (``None`` when empty),
    ``texts`` and ``colours`` what to write and paint, ``cell_of(state)`` the
    ``(row, col)`` of a state (``None`` when the view does not show it).
    """

    values: list[list[Any]]
    texts: list[list[str]]
    colours: list[list[str]]
    kind: str
    legend: list[tuple[str, str]]
    row_name: str
    col_name: str
    row_ticks: list[str]
    col_ticks: list[str]
    cell_of: Callable[[Any], tuple[int, int] | None]
    goal: tuple[int, int] | None = None
    path: list[tuple[int, int]] = field(default_factory=list)
    note: str = ""
    continuous: bool = False

    @property
    def rows(self) -> int:
        return len(self.values)

    @property
    def cols(self) -> int:
        return len(self.values[0]) if self.values else 0


def _index(state: object) -> tuple[int, ...] | None:
    if isinstance(state, (int, np.integer)) and not isinstance(state, bool) and state >= 0:
        return (int(state),)
    if (
        isinstance(state, tuple)
        and state
        and all(not isinstance(s, tuple) and _index(s) is not None for s in state)
    ):
        return tuple(int(s) for s in state)
    return None


#: cells, the state -> cell map, a note, column ticks, the coordinates along rows and columns
#: and, of a three-coordinate table, the layer shown as ``(axis, index)``
_Grid = tuple[
    list[list[Any]],
    Callable[[Any], tuple[int, int] | None],
    str,
    list[str] | None,
    tuple[int, ...],
    tuple[int, int] | None,
]


def _grid(table: object, layer: tuple[int, int] | None = None) -> _Grid:
    """The table as a grid (see ``_Grid``); *layer* picks the layer of a 3-D table."""
    if isinstance(table, Mapping):
        keys = list(table)
        indices = [_index(k) for k in keys]
        dims = {len(i) for i in indices if i is not None}
        if keys and None not in indices and len(dims) == 1 and dims.pop() <= 3:
            shape = tuple(
                max(i[d] for i in indices if i is not None) + 1
                for d in range(len(indices[0] or ()))
            )
            array = np.full(shape, None, dtype=object)
            for key, index in zip(keys, indices, strict=True):
                array[index] = table[key]
            return _from_array(array, layer)
        order = {k: n for n, k in enumerate(keys)}
        ticks = [_short_state(k) for k in keys]
        return (
            [[table[k] for k in keys]],
            (lambda s: (0, order[s]) if s in order else None),
            "states in fill order",
            ticks,
            (0,),
            None,
        )
    return _from_array(np.asarray(table), layer)


def _from_array(array: np.ndarray[Any, Any], layer: tuple[int, int] | None = None) -> _Grid:
    ndim = array.ndim
    if ndim == 0:
        array = array.reshape(1)
        ndim = 1
    if ndim == 1:
        cells = [array.tolist()]

        def one(state: Any) -> tuple[int, int] | None:
            index = _index(state)
            return (0, index[0]) if index is not None and len(index) == 1 else None

        return cells, one, "", None, (0,), None
    if ndim == 2:

        def two(state: Any) -> tuple[int, int] | None:
            index = _index(state)
            return (index[0], index[1]) if index is not None and len(index) == 2 else None

        return array.tolist(), two, "", None, (0, 1), None
    note = "one layer:"
    if ndim == 3 and layer is not None and 0 <= layer[0] < 3:
        axis, pick = layer[0], min(max(layer[1], 0), array.shape[layer[0]] - 1)
    else:
        # the last layer along the first coordinate that is the fullest (a goal state
        # past the grid, like Floyd--Warshall's, makes a nearly empty last layer)
        counts = [int(np.count_nonzero(_present(array[k]))) for k in range(array.shape[0])]
        axis, pick = 0, max(range(len(counts)), key=lambda k: (counts[k], k))
        note = "the final layer:"
    shown = np.take(array, pick, axis=axis)
    shown = shown.reshape(shown.shape[0], -1)
    kept = [d for d in range(3) if d != axis]

    def three(state: Any) -> tuple[int, int] | None:
        index = _index(state)
        if index is None or len(index) != 3 or index[axis] != pick:
            return None
        return (index[kept[0]], index[kept[1]])

    return shown.tolist(), three, note, None, (kept[0], kept[1]), (axis, pick)


def bends(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether a line from cell *a* to cell *b* must bend: it runs along a row or a column
    over the cells in between (a one-row table's witness jumps, say).

    >>> bends((0, 4), (0, 2)), bends((0, 4), (0, 3)), bends((3, 3), (1, 1))
    (True, False, False)
    """
    same_line = a[0] == b[0] or a[1] == b[1]
    return same_line and abs(a[0] - b[0]) + abs(a[1] - b[1]) > 1


def _present(layer: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    if layer.dtype == object:
        found: np.ndarray[Any, Any] = np.vectorize(lambda v: v is not None, otypes=[bool])(layer)
        return found
    if layer.dtype.kind == "f":
        filled: np.ndarray[Any, Any] = ~np.isnan(layer)
        return filled
    return np.ones(layer.shape, dtype=bool)


def _short_state(state: Hashable) -> str:
    if isinstance(state, tuple) and len(state) == 1:
        state = state[0]
    text = state if isinstance(state, str) and state else repr(state)  # '' stays visible
    return text if len(text) <= 10 else text[:9] + "…"


def _kind(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "empty"
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        return "bool"
    numbers = [_number(v) for v in present]
    finite = [x for x in numbers if math.isfinite(x)]
    if finite and all(x == int(x) for x in finite):
        return "int"
    return "float"


def table_view(
    table: object,
    labels: Labels | None = None,
    *,
    names: Sequence[str] = (),
    goal: Any = None,
    path: Sequence[Any] = (),
) -> TableView:
    """The view of *table* (numpy array or dict, as ``sol.table`` gives it).

    *names* are the coordinate names when *labels* has none (the
    recurrence's parameters); *goal* and *path* are states.

    Examples
    --------
    >>> view = table_view([[True, False], [False, True]], names=("i", "j"), goal=(1, 1))
    >>> view.kind, view.texts, view.goal, [text for _, text in view.legend]
    ('bool', [['T', 'F'], ['F', 'T']], (1, 1), ['true', 'false'])
    """
    labels = labels or Labels()
    cells, cell_of, note, col_ticks, axes, layer = _grid(table, labels.layer)
    ndim = 3 if layer is not None else len(axes)
    flat = [v for row in cells for v in row]
    kind = _kind(flat)
    if layer is not None:  # a layer of (k, i, j) shows i and j; the note says which k
        axis, pick = layer
        default = names[axis] if axis < len(names) else ("first", "second", "third")[axis]
        note += f" {labels.name(axis, default + ' coordinate')} = {labels.tick(axis, pick)}"
    rows, cols = len(cells), len(cells[0]) if cells else 0
    if ndim == 1 and col_ticks is None:
        row_name, col_name = "", labels.name(0, names[0] if names else "state")
        col_ticks = [labels.tick(0, c) for c in range(cols)]
        row_ticks = [""]
    elif col_ticks is not None:
        row_name, col_name, row_ticks = "", "state", [""]
    else:
        dflt = [*(names[d] for d in axes if d < len(names)), "", ""]
        row_name = labels.name(axes[0], dflt[0])
        col_name = labels.name(axes[1], dflt[1])
        row_ticks = [labels.tick(axes[0], r) for r in range(rows)]
        col_ticks = [labels.tick(axes[1], c) for c in range(cols)]
    colours, legend, continuous = _colours(cells, kind)
    texts = [[_text(v, kind) for v in row] for row in cells]
    goal_cell = cell_of(goal) if goal is not None else None
    path_cells = [c for c in (cell_of(s) for s in path) if c is not None]
    return TableView(
        values=cells,
        texts=texts,
        colours=colours,
        kind=kind,
        legend=legend,
        row_name=row_name,
        col_name=col_name,
        row_ticks=row_ticks,
        col_ticks=list(col_ticks),
        cell_of=cell_of,
        goal=goal_cell,
        path=path_cells,
        note=note,
        continuous=continuous,
    )


def _colours(
    cells: list[list[Any]], kind: str
) -> tuple[list[list[str]], list[tuple[str, str]], bool]:
    """Cell colours, the legend, and whether the scale is continuous (a ramp from low to high)."""
    if kind == "bool":
        return (
            [[EMPTY if v is None else TRUE if v else FALSE for v in row] for row in cells],
            [(TRUE, "true"), (FALSE, "false")],
            False,
        )
    numbers = [[math.nan if v is None else _number(v) for v in row] for row in cells]
    finite = sorted({x for row in numbers for x in row if math.isfinite(x)})
    legend: list[tuple[str, str]] = []
    continuous = not (kind == "int" and len(finite) <= DISCRETE_MAX)
    if not continuous:
        steps = max(len(finite) - 1, 1)
        paint = {x: ramp(k / steps) for k, x in enumerate(finite)}
        legend = [(paint[x], _text(x, "int")) for x in finite]

        def colour(x: float) -> str:
            return paint[x]
    else:
        low, high = (finite[0], finite[-1]) if finite else (0.0, 1.0)
        span = (high - low) or 1.0

        def colour(x: float) -> str:
            return ramp((x - low) / span)

        if finite:
            legend = [(ramp(0.0), _text(low, kind)), (ramp(1.0), _text(high, kind))]
    out = [
        [EMPTY if math.isnan(x) else INFINITE if math.isinf(x) else colour(x) for x in row]
        for row in numbers
    ]
    if any(math.isinf(x) for row in numbers for x in row):
        legend.append((INFINITE, "∞ (unreachable)"))
    return out, legend, continuous and bool(finite)
