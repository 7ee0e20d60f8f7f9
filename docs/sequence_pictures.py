"""Pictures of the sequence problems (alignment, dtw, viterbi), called by docs/pictures.py.

Each draws its problem's catalog example solved ``bottom_up``: the filled
table with the witness path through it, the aligned rows (alignment), the
two series (dtw), the trellis of states (viterbi). Needs the ``plot`` extra.
"""

from __future__ import annotations

import pathlib
from typing import Any

import numpy as np

import dptoolkit as dp

__all__ = ["DRAW", "draw"]

DPI = 200  # the resolution of every picture in the docs (dptoolkit._plot's)


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _ink(value: float, low: float, high: float) -> str:
    """Black text on light cells, white on dark ones."""
    share = (value - low) / (high - low) if high > low else 0.0
    return "white" if share > 0.6 else "black"


def _alignment(path: pathlib.Path) -> str:
    from dptoolkit.problems import alignment

    a, b = dp.catalog("alignment").example
    rec, goal = alignment.build(a, b)
    run = rec.solve(*goal, strategy="bottom_up")
    sol = alignment.solve(a, b, strategy="bottom_up")
    table = np.asarray(run.table, dtype=float)[: len(a) + 1, :, :]
    best = table.max(axis=2)  # D = max(M, X, Y) per cell
    top, bottom = sol.aligned
    cells = [(0, 0)]
    i = j = 0
    for x, y in zip(top, bottom, strict=False):
        i, j = i + (x != "-"), j + (y != "-")
        cells.append((i, j))
    plt = _plt()
    fig, (ax, rows_ax) = plt.subplots(
        2, 1, figsize=(5.6, 6.4), gridspec_kw={"height_ratios": [5, 1]}, constrained_layout=True
    )
    shown = np.where(np.isfinite(best), best, np.nan)
    image = ax.imshow(shown, cmap="Blues", origin="upper")
    fig.colorbar(image, ax=ax, shrink=0.8, label="best score of the prefixes")
    for p in range(best.shape[0]):
        for q in range(best.shape[1]):
            ink = _ink(best[p, q], np.nanmin(shown), np.nanmax(shown))
            ax.text(q, p, f"{best[p, q]:g}", ha="center", va="center", fontsize=8, color=ink)
    ys, xs = zip(*cells, strict=False)
    ax.plot(xs, ys, color="#e66101", linewidth=2.5, marker="o", markersize=4)
    ax.set_xticks(range(len(b) + 1), ["", *b])
    ax.set_yticks(range(len(a) + 1), ["", *a])
    ax.xaxis.tick_top()
    ax.set_xlabel(f"b = {b}")
    ax.set_ylabel(f"a = {a}")
    ax.set_title("global alignment: max(M, X, Y) per cell, the witness path", fontsize=10)
    rows_ax.axis("off")
    marks = "".join(
        "|" if x == y else (" " if "-" in (x, y) else ".")
        for x, y in zip(top, bottom, strict=False)
    )
    rows_ax.text(
        0.5, 0.5, f"{top}\n{marks}\n{bottom}", family="monospace", fontsize=16,
        ha="center", va="center", linespacing=1.1,
    )  # fmt: skip
    rows_ax.set_title(f".aligned, score {sol.value}", fontsize=10)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return (
        "The global alignment of the example as rows (bottom), and behind them the table: each "
        "cell is the best score of two prefixes (the largest of Gotoh's three tables), the "
        "orange path the walk back that produced the rows: diagonal steps pair two letters, "
        "down steps put a gap in b, right steps a gap in a."
    )


def _dtw(path: pathlib.Path) -> str:
    from dptoolkit.problems import dtw

    x = [0, 2, 3, 1, 0, 1, 3, 2]
    y = [0, 1, 3, 2, 0, 2, 2]
    rec, goal = dtw.build(x, y)
    table = np.asarray(rec.solve(*goal, strategy="bottom_up").table, dtype=float)
    sol = dtw.solve(x, y, strategy="bottom_up")
    plt = _plt()
    fig = plt.figure(figsize=(6.0, 5.6), constrained_layout=True)
    grid = fig.add_gridspec(2, 2, width_ratios=[1, 4], height_ratios=[1, 4])
    top = fig.add_subplot(grid[0, 1])
    side = fig.add_subplot(grid[1, 0])
    ax = fig.add_subplot(grid[1, 1])
    ax.imshow(table, cmap="Greens", origin="upper", aspect="auto")  # rows line up with the series
    for p in range(table.shape[0]):
        for q in range(table.shape[1]):
            ink = _ink(table[p, q], table.min(), table.max())
            ax.text(q, p, f"{table[p, q]:g}", ha="center", va="center", fontsize=8, color=ink)
    ps, qs = zip(*sol.path, strict=False)
    ax.plot(qs, ps, color="#e66101", linewidth=2.5, marker="o", markersize=4)
    ax.set_xticks(range(len(y)))
    ax.set_yticks(range(len(x)))
    ax.set_xlabel("j (series y)")
    ax.set_ylabel("i (series x)")
    top.plot(range(len(y)), y, marker="o", color="#5e3c99")
    top.set_xlim(-0.5, len(y) - 0.5)
    top.set_xticks([])
    top.set_title(f"DTW, absolute cost: {sol.value}; the warping path in orange", fontsize=10)
    side.plot(x, range(len(x)), marker="o", color="#5e3c99")
    side.set_ylim(len(x) - 0.5, -0.5)
    side.set_yticks([])
    side.invert_xaxis()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return (
        "Dynamic time warping of two short series (drawn along the edges): each cell holds "
        "D(i, j), the cheapest warping of the prefixes; the orange warping path pairs every "
        "point of x with one or more points of y."
    )


def _viterbi(path: pathlib.Path) -> str:
    from dptoolkit.problems import viterbi

    example = dp.catalog("viterbi").example
    obs, states = example[0], example[1]
    rec, goal = viterbi.build(*example)
    table = np.asarray(rec.solve(*goal, strategy="bottom_up").table, dtype=float)[: len(obs)]
    sol = viterbi.solve(*example, strategy="bottom_up")
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.0, 3.4), constrained_layout=True)
    for t in range(1, len(obs)):
        for r in range(len(states)):
            for s in range(len(states)):
                ax.plot([t - 1, t], [r, s], color="#cccccc", linewidth=1, zorder=1)
    picked = [states.index(s) for s in sol.path]
    ax.plot(range(len(obs)), picked, color="#e66101", linewidth=3, zorder=2)
    points = ax.scatter(
        [t for t in range(len(obs)) for _ in states],
        [s for _ in obs for s in range(len(states))],
        c=[table[t, s] for t in range(len(obs)) for s in range(len(states))],
        cmap="Purples", s=900, edgecolors="black", zorder=3,
    )  # fmt: skip
    for t in range(len(obs)):
        for s in range(len(states)):
            ink = _ink(table[t, s], table.min(), table.max())
            ax.text(
                t,
                s,
                f"{table[t, s]:.2f}",
                ha="center",
                va="center",
                fontsize=8,
                zorder=4,
                color=ink,
            )
    fig.colorbar(points, ax=ax, label="V(t, s), natural log")
    ax.set_xticks(range(len(obs)), [f"t={t}\n{o}" for t, o in enumerate(obs)])
    ax.set_yticks(range(len(states)), states)
    ax.set_ylim(-0.6, len(states) - 0.4)
    ax.set_xlim(-0.5, len(obs) - 0.5)
    ax.set_title(f"Viterbi trellis; best path {sol.path}, log p = {sol.value:.3f}", fontsize=9)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return (
        "The trellis of the example: one node per (observation, state) holding V(t, s), the "
        "best log-probability of a path ending there; the orange line is the decoded path."
    )


DRAW = {"alignment": _alignment, "dtw": _dtw, "viterbi": _viterbi}


def draw(name: str, images: pathlib.Path) -> dict[str, str]:
    """Draw problem *name* into *images*; its entry of ``pictures.json``."""
    file = f"{name}.png"
    caption = DRAW[name](images / file)
    return {
        "file": file,
        "alt": f"{name}: the table of the example with the witness path",
        "caption": caption,
        "command": "python docs/pictures.py",
    }
