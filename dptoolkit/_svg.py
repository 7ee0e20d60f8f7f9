"""Inline SVG made by the toolkit itself: a table heatmap and a call tree.

No plotting library and no network: the SVG is written as text, so a
notebook shows it with only the core install. :func:`tree_layout` is shared
with the explain page, which draws the same tree step by step.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from ._tableview import GOAL_COLOUR, PATH_COLOUR, TableView, bends, ramp, text_colour

if TYPE_CHECKING:
    from .trace import Trace

__all__ = ["HIT", "MISS", "heatmap_svg", "tree_layout", "tree_svg"]

MISS = "#4c78a8"  # a call that ran the body
HIT = "#f58518"  # a call answered from the cache

#: Cells past which the inline heatmap is not drawn (a picture of that many
#: cells is unreadable at notebook size; ``sol.draw_table()`` draws it).
HEATMAP_MAX_CELLS = 2500
#: Calls past which the inline call tree stops (the rest are counted).
TREE_MAX_NODES = 200


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def heatmap_svg(view: TableView, *, title: str = "") -> str:
    """The table as an SVG heatmap: cells coloured, texts when they fit, goal and path marked.

    Raises ``ValueError`` past :data:`HEATMAP_MAX_CELLS` cells.
    """
    rows, cols = view.rows, view.cols
    if rows * cols > HEATMAP_MAX_CELLS:
        raise ValueError(f"a {rows}x{cols} table is too large to draw inline")
    size = 24 if cols <= 24 else 16 if cols <= 48 else 10
    show_text = size >= 16
    left = 18 + (8 * max((len(t) for t in view.row_ticks), default=1) if rows > 1 else 0)
    # column ticks longer than a cell is wide (an interval, a set of cities) stand slanted
    long_ticks = max((len(t) for t in view.col_ticks), default=0) > 4
    slant = (
        round(5 * min(max((len(t) for t in view.col_ticks), default=0), 12)) if long_ticks else 0
    )
    top = (34 if title else 18) + slant
    width = left + cols * size + 12 + round(0.65 * slant)
    legend_y = top + rows * size + 34
    height = legend_y + 22
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10" role="img">'
    ]
    if title:
        parts.append(
            f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>'
        )
    parts.append(f"<title>{escape(title or 'DP table')}</title>")
    for r in range(rows):
        for c in range(cols):
            x, y = left + c * size, top + r * size
            fill = view.colours[r][c]
            parts.append(
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{fill}" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            text = view.texts[r][c]
            if show_text and text:
                parts.append(
                    f'<text x="{x + size / 2}" y="{y + size / 2 + 3.5}" text-anchor="middle" '
                    f'fill="{text_colour(fill)}">{escape(text[:4])}</text>'
                )
    if len(view.path) > 1:
        parts.append(_path_svg(view.path, left, top, size))
    if view.goal is not None:
        r, c = view.goal
        parts.append(
            f'<rect x="{left + c * size}" y="{top + r * size}" width="{size}" height="{size}" '
            f'fill="none" stroke="{GOAL_COLOUR}" stroke-width="2.5"/>'
        )
    step = max(1, cols // 24)
    for c in range(0, cols, step):
        centre = left + c * size + size / 2
        if long_ticks:
            parts.append(
                f'<text transform="translate({centre + 3},{top - 4}) rotate(-50)">'
                f"{escape(view.col_ticks[c][:12])}</text>"
            )
        else:
            parts.append(
                f'<text x="{centre}" y="{top - 4}" text-anchor="middle">'
                f"{escape(view.col_ticks[c][:4])}</text>"
            )
    if rows > 1:
        step = max(1, rows // 24)
        for r in range(0, rows, step):
            parts.append(
                f'<text x="{left - 4}" y="{top + r * size + size / 2 + 3.5}" text-anchor="end">'
                f"{escape(view.row_ticks[r][:12])}</text>"
            )
    axis = view.col_name + (f"  ↓ {view.row_name}" if rows > 1 and view.row_name else "")
    parts.append(f'<text x="{left}" y="{top + rows * size + 14}">→ {escape(axis)}</text>')
    x = left
    entries = list(view.legend[:8])
    if view.continuous and len(entries) >= 2:  # low, a ramp, high
        (_, low), (_, high), entries = entries[0], entries[1], entries[2:]
        stops = "".join(f'<stop offset="{k / 4}" stop-color="{ramp(k / 4)}"/>' for k in range(5))
        parts.append(f'<defs><linearGradient id="dp-ramp">{stops}</linearGradient></defs>')
        parts.append(f'<text x="{x}" y="{legend_y}">{escape(low)}</text>')
        x += 6 * len(low) + 4
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="60" height="10" fill="url(#dp-ramp)"/>'
        )
        x += 64
        parts.append(f'<text x="{x}" y="{legend_y}">{escape(high)}</text>')
        x += 6 * len(high) + 14
    marks = []
    if view.goal is not None:
        marks.append((GOAL_COLOUR, "goal"))
    if len(view.path) > 1:
        marks.append((PATH_COLOUR, "witness path"))
    for colour, text in entries + marks:
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 13}" y="{legend_y}">{escape(text)}</text>')
        x += 20 + 6 * len(text)
    parts.append("</svg>")
    return "".join(parts)


def _path_svg(cells: Sequence[tuple[int, int]], left: float, top: float, size: float) -> str:
    """The witness path: a dot on each cell, joined; a join over cells in between is bent."""

    def centre(cell: tuple[int, int]) -> tuple[float, float]:
        return left + cell[1] * size + size / 2, top + cell[0] * size + size / 2

    d = []
    for a, b in itertools.pairwise(cells):
        (x1, y1), (x2, y2) = centre(a), centre(b)
        if bends(a, b):
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            cx, cy = mx - (y2 - y1) * 0.35, my + (x2 - x1) * 0.35
            d.append(f"M{x1},{y1} Q{cx},{cy} {x2},{y2}")
        else:
            d.append(f"M{x1},{y1} L{x2},{y2}")
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="2.5" fill="{PATH_COLOUR}"/>' for x, y in map(centre, cells)
    )
    return (
        f'<g class="witness-path" opacity="0.85"><path d="{" ".join(d)}" fill="none" '
        f'stroke="{PATH_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>{dots}</g>'
    )


def tree_layout(parents: Sequence[int], limit: int | None = None) -> tuple[list[float], list[int]]:
    """x and depth of each call of a preorder call tree (*parents*: -1 for the root).

    Leaves sit at consecutive x; a parent is centred over its children. Only
    the first *limit* calls are laid out (a prefix of a preorder is a tree).

    >>> tree_layout([-1, 0, 1, 1, 0])
    ([1.25, 0.5, 0.0, 1.0, 2.0], [0, 1, 2, 2, 1])
    """
    count = len(parents) if limit is None else min(limit, len(parents))
    kids: list[list[int]] = [[] for _ in range(count)]
    depth = [0] * count
    for i in range(1, count):
        p = parents[i]
        kids[p].append(i)
        depth[i] = depth[p] + 1
    x = [0.0] * count
    leaf = 0.0
    # preorder numbering means children come after their parent: visit leaves in order,
    # then centre parents from the last call back to the first
    for i in range(count):
        if not kids[i]:
            x[i] = leaf
            leaf += 1.0
    for i in range(count - 1, -1, -1):
        if kids[i]:
            x[i] = (x[kids[i][0]] + x[kids[i][-1]]) / 2
    return x, depth


def tree_svg(trace: Trace, *, limit: int = TREE_MAX_NODES) -> str:
    """The call tree of *trace* as SVG: misses blue, hits orange, the goal on top."""
    records = trace.records
    x, depth = tree_layout([r.parent for r in records], limit)
    count = len(x)
    labels = [trace._fmt(r.state) for r in records[:count]]
    widest = max((len(t) for t in labels), default=4)
    boxed = count <= 60
    dx = max(6.2 * widest + 10, 28) if boxed else 14
    dy = 44 if boxed else 26
    width = int(max(x, default=0) * dx + dx + 20)
    height = int(max(depth, default=0) * dy + dy + 40)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10" role="img">',
        f"<title>call tree of {escape(trace.name)} ({escape(trace.strategy)})</title>",
    ]

    def pos(i: int) -> tuple[float, float]:
        return 10 + dx / 2 + x[i] * dx, 16 + depth[i] * dy

    for i in range(1, count):
        (x1, y1), (x2, y2) = pos(records[i].parent), pos(i)
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#9a9a9a"/>')
    for i in range(count):
        cx, cy = pos(i)
        colour = HIT if records[i].hit else MISS
        tip = f"{labels[i]} = {records[i].value!r}" + (" (hit)" if records[i].hit else "")
        if boxed:
            w = 6.2 * len(labels[i]) + 8
            parts.append(
                f'<g><title>{escape(tip)}</title><rect x="{cx - w / 2}" y="{cy - 9}" width="{w}" '
                f'height="18" rx="5" fill="{colour}"/><text x="{cx}" y="{cy + 3.5}" '
                f'text-anchor="middle" fill="#ffffff">{escape(labels[i])}</text></g>'
            )
        else:
            parts.append(
                f'<circle cx="{cx}" cy="{cy}" r="5" fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
    y = height - 10
    parts.append(f'<rect x="10" y="{y - 9}" width="10" height="10" fill="{MISS}"/>')
    parts.append(f'<text x="24" y="{y}">computed (miss)</text>')
    parts.append(f'<rect x="120" y="{y - 9}" width="10" height="10" fill="{HIT}"/>')
    parts.append(f'<text x="134" y="{y}">answered from the cache (hit)</text>')
    if count < len(records):
        parts.append(f'<text x="300" y="{y}">first {count} of {len(records)} calls shown</text>')
    parts.append("</svg>")
    return "".join(parts)
