"""Charts of benchmark results: one PNG per suite (or part of a suite).

``python -m dptoolkit.bench SUITE --chart DIR`` draws, from the rows it has
just measured (or from a saved ``--json`` file with ``--from-json``), one
horizontal bar chart per part: each bar is a subject's time relative to the
reference of its case, on a logarithmic axis with the 1x line drawn, the bar
running from 1x towards the figure (left: faster, right: slower), the spread
over runs as an error bar and the figure written at the bar's end.

matplotlib comes from the ``plot`` extra; it is imported when a chart is
drawn, through :class:`matplotlib.figure.Figure` (no ``pyplot``), so
nothing touches a global backend.
"""

from __future__ import annotations

import math
import pathlib
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Bar", "Case", "draw", "group_cases", "ratio_text"]

#: Colours of a bar ending left of 1x (faster than the reference) or right of it.
FASTER, SLOWER = "#2f7d4f", "#c0632b"


@dataclass(frozen=True)
class Bar:
    """One subject of a case: median ratio over runs and its [min, max]."""

    subject: str
    ratio: float
    low: float
    high: float


@dataclass(frozen=True)
class Case:
    """A case of a suite: its name, its reference subject and the other subjects' bars."""

    name: str
    reference: str
    bars: tuple[Bar, ...]


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and math.isfinite(value) and value > 0:
        return float(value)
    return None


def group_cases(rows: Sequence[Mapping[str, Any]]) -> list[Case]:
    """The cases of *rows* (``--json`` records), in order, each with its reference.

    The reference of a case is its row whose ratio is exactly 1 (the first
    such); a row whose note says it is extrapolated says so in its label; rows without a measured ratio (a missing tool, a figure with no
    reference) are left out, and so is a case left with no bar.
    """
    order: list[str] = []
    by_case: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        case = str(row["case"])
        if case not in by_case:
            order.append(case)
            by_case[case] = []
        by_case[case].append(row)
    cases: list[Case] = []
    for name in order:
        members = by_case[name]
        reference = next((r for r in members if _number(r.get("ratio")) == 1.0), None)
        if reference is None:
            continue
        bars = []
        for row in members:
            ratio = _number(row.get("ratio"))
            if row is reference or ratio is None:
                continue
            low = _number(row.get("ratio_min")) or ratio
            high = _number(row.get("ratio_max")) or ratio
            subject = str(row["subject"])
            if "extrapolat" in str(row.get("note", "")).lower():
                subject += " (EXTRAPOLATED, not measured)"
            bars.append(Bar(subject, ratio, min(low, ratio), max(high, ratio)))
        if bars:
            cases.append(Case(name, str(reference["subject"]), tuple(bars)))
    return cases


def ratio_text(ratio: float) -> str:
    """A ratio as a reader says it: ``0.53x``, ``6.8x``, ``1/132x``, ``7,445x``."""
    if ratio < 0.095:
        return f"1/{1 / ratio:,.0f}x"
    if ratio < 10:
        return f"{ratio:#.2g}x" if ratio < 1 else f"{ratio:#.3g}x"
    return f"{ratio:,.0f}x"


def _tick_text(value: float, _pos: object = None) -> str:
    """Powers of ten only: ``1/100x``, ``0.1x``, ``1x``, ``10x``, ``1,000x``."""
    if value <= 0 or abs(math.log10(value) - round(math.log10(value))) > 1e-9:
        return ""
    power = round(math.log10(value))
    if power < -1:
        return f"1/{10**-power:,}x"
    return f"{value:g}x" if power < 0 else f"{10**power:,}x"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def draw(
    cases: Sequence[Case],
    path: str | pathlib.Path,
    *,
    title: str,
    note: str = "",
    reference: str | None = None,
    dpi: int = 200,
) -> pathlib.Path:
    """Draw *cases* as one bar chart saved at *path* (PNG); return the path.

    Each case is a block headed by its name and reference (``vs functools.cache``);
    the x axis reads "time relative to <reference> (lower is better)", naming
    the reference when all cases share one (or *reference*, when given).
    """
    try:
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
        from matplotlib.ticker import FuncFormatter, LogLocator
    except ImportError as exc:  # pragma: no cover - the plot extra is missing
        raise ImportError('charts need matplotlib: pip install "dptoolkit[plot]"') from exc

    labels: list[tuple[str, bool]] = []  # (text, is_heading), top to bottom
    bars: list[tuple[int, Bar]] = []
    for case in cases:
        labels.append((_wrap(f"{case.name}  (vs {case.reference})", 64), True))
        for bar in case.bars:
            bars.append((len(labels), bar))
            labels.append((_wrap(bar.subject, 48), False))
    lines = sum(text.count("\n") + 1 for text, _ in labels)
    height = 1.5 + 0.27 * lines + 0.08 * len(labels)
    fig = Figure(figsize=(11.0, height), dpi=dpi, layout="constrained")
    ax = fig.add_subplot()

    values = [b.low for _, b in bars] + [b.high for _, b in bars] + [1.0]
    lo, hi = min(values), max(values)
    left = 10 ** math.floor(math.log10(lo) - 0.05)
    span = math.log10(hi) - math.log10(left)
    # room right of the largest figure for its text: about a third of the drawn span
    right = 10 ** (math.log10(hi) + max(1.0, 0.42 * span))
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ax.set_ylim(len(labels) - 0.4, -0.6)

    for y, bar in bars:
        colour = FASTER if bar.ratio < 1 else SLOWER
        start, width = (bar.ratio, 1.0 - bar.ratio) if bar.ratio < 1 else (1.0, bar.ratio - 1.0)
        ax.barh(y, width, left=start, height=0.62, color=colour, alpha=0.85, zorder=2)
        spread = bar.high > bar.low * 1.001
        if spread:
            ax.errorbar(
                bar.ratio,
                y,
                xerr=[[bar.ratio - bar.low], [bar.high - bar.ratio]],
                fmt="none",
                ecolor="#222222",
                elinewidth=1.0,
                capsize=3,
                zorder=3,
            )
        text = ratio_text(bar.ratio)
        if spread:
            text += f"  [{ratio_text(bar.low)} - {ratio_text(bar.high)}]"
        ax.annotate(
            text,
            xy=(max(bar.high, 1.0), y),  # right of the bar and of its error bar
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=8.5,
            zorder=4,
        )

    ax.axvline(1.0, color="#222222", linewidth=1.2, zorder=3)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([text for text, _ in labels], fontsize=8.5)
    for tick, (_, heading) in zip(ax.get_yticklabels(), labels, strict=True):
        if heading:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    for y, (_, heading) in enumerate(labels):
        if heading and y:
            ax.axhline(y - 0.5, color="#bbbbbb", linewidth=0.6, zorder=1)
    ax.xaxis.set_major_locator(LogLocator(base=10))
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_text))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda _v, _p: ""))
    ax.grid(axis="x", which="major", color="#dddddd", zorder=0)
    references = {case.reference for case in cases}
    if reference is None:
        reference = (
            next(iter(references)) if len(references) == 1 else "the reference named in each case"
        )
    ax.set_xlabel(
        f"time relative to {reference} (lower is better; log scale, 1x = same time)",
        fontsize=9.5,
    )
    fig.legend(
        handles=[
            Patch(color=FASTER, alpha=0.85, label="faster than the reference"),
            Patch(color=SLOWER, alpha=0.85, label="slower than the reference"),
        ],
        loc="outside lower right",
        ncols=2,
        fontsize=8.5,
        frameon=False,
    )
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    if note:
        ax.set_title(note, fontsize=8.5, loc="left", color="#444444")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    target = pathlib.Path(path)
    fig.savefig(target, dpi=dpi)
    return target
