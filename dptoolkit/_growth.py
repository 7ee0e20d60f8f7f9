"""Calls against size: how naive, top_down and bottom_up grow on one recurrence.

The instances are the goal's own subproblems, scaled from the origin to the
goal: for a goal ``(5, 15)`` the sizes ``n = 1 .. 5`` solve ``(1, 3)``,
``(2, 6)``, ... ``(5, 15)``; for ``fib(10)``, ``n = 1 .. 10``. Each strategy's
call counts are fitted two ways, ``a b^n`` (exponential) and ``a n^p``
(polynomial), on a log scale; the closer fit is reported (``≈ 1.62^n``,
``≈ n^2.0``). :func:`growth_svg` draws the plot as inline SVG.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from .errors import DPError

if TYPE_CHECKING:
    from .recurrence import Recurrence

__all__ = ["fit", "growth", "growth_svg"]

STRATEGY_COLOURS = {"naive": "#b279a2", "top_down": "#4c78a8", "bottom_up": "#54a24b"}
#: Calls a naive point may make before its series stops.
NAIVE_BUDGET = 60_000
#: Most states a bottom_up point may fill before its series stops.
BOTTOM_UP_STATES = 50_000
#: Most sizes measured.
MAX_POINTS = 16
#: A one-coordinate goal smaller than this is measured up to it, past the instance.
EXTEND_TO = 20


def _subgoals(goal: tuple[Any, ...]) -> list[tuple[int, tuple[Any, ...]]]:
    if not goal or not all(isinstance(g, int) and not isinstance(g, bool) and g >= 0 for g in goal):
        return []
    scale = next((g for g in goal if g > 0), 0)
    if scale == 0:
        return []
    sizes = sorted({max(1, round(scale * k / MAX_POINTS)) for k in range(1, MAX_POINTS + 1)})
    if scale <= MAX_POINTS:
        sizes = list(range(1, scale + 1))
    return [(n, tuple(round(g * n / scale) for g in goal)) for n in sizes]


def _beyond(rec: Recurrence, goal: tuple[Any, ...]) -> list[tuple[int, tuple[Any, ...]]]:
    """Sizes past a small one-coordinate goal, as far as the recurrence solves them (fib: any n)."""
    if len(goal) != 1 or not isinstance(goal[0], int) or goal[0] >= EXTEND_TO:
        return []
    out = []
    for n in range(goal[0] + 1, EXTEND_TO + 1):
        try:
            rec.solve(n, strategy="bottom_up")
        except Exception:  # the instance has no state n (a sequence index, say): stop here
            break
        out.append((n, (n,)))
    return out


def _too_many_states(rec: Recurrence, goal: tuple[Any, ...]) -> bool:
    """Whether a bottom-up run of *goal* would fill more than :data:`BOTTOM_UP_STATES` states."""
    try:
        space = rec.space(*goal)
    except DPError:
        return True
    if space is None:
        return True
    return sum(1 for _ in itertools.islice(space, BOTTOM_UP_STATES + 1)) > BOTTOM_UP_STATES


def fit(points: list[tuple[int, int]]) -> dict[str, Any] | None:
    """The closer of ``a b^n`` and ``a n^p`` to *points* (n, calls), or ``None``.

    >>> fit([(n, 2 ** n) for n in range(1, 8)])["text"]
    '≈ 2.00^n'
    >>> fit([(n, 3 * n * n) for n in range(1, 8)])["text"]
    '≈ n^2.00'
    """
    usable = [(n, c) for n, c in points if n > 0 and c > 0]
    if len(usable) < 3:
        return None
    start = usable[0][0]
    if len(usable) >= 8:  # the growth is what the larger sizes do: fit the upper half
        usable = usable[len(usable) // 2 :]
    import numpy as np

    n = np.array([p[0] for p in usable], dtype=float)
    y = np.log(np.array([p[1] for p in usable], dtype=float))
    best: dict[str, Any] | None = None
    for kind, x in (("exponential", n), ("polynomial", np.log(n))):
        slope, intercept = np.polyfit(x, y, 1)
        error = float(np.sum((y - (slope * x + intercept)) ** 2))
        if best is None or error < best["error"] - 1e-9:
            best = {
                "kind": kind,
                "slope": float(slope),
                "intercept": float(intercept),
                "error": error,
            }
    assert best is not None
    if best["kind"] == "exponential":
        best["text"] = f"≈ {math.exp(best['slope']):.2f}^n"
    else:
        best["text"] = f"≈ n^{best['slope']:.2f}"
    best["curve"] = [
        [
            float(k),
            float(
                math.exp(
                    best["slope"] * (k if best["kind"] == "exponential" else math.log(k))
                    + best["intercept"]
                )
            ),
        ]
        for k in np.linspace(start, n.max(), 24)
    ]
    return best


#: the instances a problem declares for the plot: ``(n, recurrence, goal)``, smallest first
Sized = list[tuple[int, "Recurrence", tuple[Any, ...]]]


def _sample(sized: Sized) -> Sized:
    """At most :data:`MAX_POINTS` of *sized*, evenly spread, the largest kept."""
    if len(sized) <= MAX_POINTS:
        return sized
    picks = sorted({round(k * (len(sized) - 1) / (MAX_POINTS - 1)) for k in range(MAX_POINTS)})
    return [sized[k] for k in picks]


def growth(
    rec: Recurrence, goal: tuple[Any, ...], sizes: Callable[[], Sized] | None = None
) -> dict[str, Any]:
    """Calls of each strategy on instances of growing size, with fits and the plot as SVG.

    The instances are the ones *sizes* gives (a problem's own instance cut to
    size ``n``: its ``Labels.sizes``), else the goal's subproblems scaled.
    """
    if sizes is not None:
        measured = _sample(sizes())
        caption = "n: the instance cut to size n (n = {n} is {goal})"
    else:
        measured = [(n, rec, sub) for n, sub in _subgoals(goal) + _beyond(rec, goal)]
        caption = "n: the goal scaled to size n (n = {n} is {goal})"
    subgoals = [(n, sub) for n, _, sub in measured]
    series: dict[str, list[tuple[int, int]]] = {}
    for strategy in ("naive", "top_down", "bottom_up"):
        points: list[tuple[int, int]] = []
        for n, each, sub in measured:
            if strategy == "bottom_up" and _too_many_states(each, sub):
                break  # the larger sizes declare more still
            try:
                options = {"max_calls": NAIVE_BUDGET} if strategy == "naive" else {}
                sol = each.solve(*sub, strategy=strategy, **options)
            except DPError:
                if strategy == "naive":
                    break  # past the budget: the larger sizes are larger still
                continue
            points.append((n, int(sol.stats.calls)))
        series[strategy] = points
    fits = {s: fit(p) for s, p in series.items()}
    data = {
        "sizes": [[n, each._fmt(sub)] for n, each, sub in measured],
        "series": series,
        "fits": {s: (f["text"] if f else None) for s, f in fits.items()},
    }
    if measured:
        last, each, sub = measured[-1]
        caption = caption.format(n=last, goal=each._fmt(sub))
    data["svg"] = growth_svg(series, fits, subgoals, caption) if subgoals else ""
    return data


def growth_svg(
    series: dict[str, list[tuple[int, int]]],
    fits: dict[str, dict[str, Any] | None],
    subgoals: list[tuple[int, tuple[Any, ...]]],
    caption: str,
) -> str:
    """Calls (log scale) against n, one colour per strategy, fitted curves dashed."""
    width, height, left, right, top, bottom = 560, 300, 62, 180, 16, 46
    all_calls = [c for pts in series.values() for _, c in pts if c > 0]
    if not all_calls:
        return ""
    ns = [n for n, _ in subgoals]
    x0, x1 = min(ns), max(max(ns), min(ns) + 1)
    e0 = 0
    e1 = max(1, math.ceil(math.log10(max(all_calls)) + 1e-9))

    def px(n: float) -> float:
        return left + (n - x0) / (x1 - x0) * (width - left - right)

    def py(calls: float) -> float:
        v = math.log10(max(calls, 1.0))
        return top + (1 - (v - e0) / (e1 - e0)) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="growth-plot" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img">',
        "<title>calls against n for naive, top_down and bottom_up</title>",
        f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="#fafafa" stroke="#ccc"/>',
    ]
    for e in range(e0, e1 + 1):
        y = py(10**e)
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#e4e4e4"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{10**e:,}</text>')
    step = max(1, len(ns) // 8)
    for n in ns[::step]:
        parts.append(
            f'<text x="{px(n)}" y="{height - bottom + 16}" text-anchor="middle">{n}</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 8}" text-anchor="middle">'
        f"{escape(caption)}</text>"
    )
    parts.append(
        f'<text x="14" y="{(top + height - bottom) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(top + height - bottom) / 2})">calls (log scale)</text>'
    )
    ly = top + 10
    for strategy, points in series.items():
        colour = STRATEGY_COLOURS[strategy]
        found = fits.get(strategy)
        if found is not None:
            curve = " ".join(f"{px(n):.1f},{py(c):.1f}" for n, c in found["curve"])
            parts.append(
                f'<polyline points="{curve}" fill="none" stroke="{colour}" stroke-dasharray="5 3" stroke-width="1.5"/>'
            )
        for n, c in points:
            parts.append(
                f'<circle cx="{px(n):.1f}" cy="{py(c):.1f}" r="3.2" fill="{colour}"><title>{strategy}: n={n}, {c:,} calls</title></circle>'
            )
        label = strategy + (
            f"  {found['text']}" if found else "  (too few points)" if len(points) < 3 else ""
        )
        parts.append(
            f'<rect x="{width - right + 10}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{width - right + 24}" y="{ly}" class="fit-{strategy}">{escape(label)}</text>'
        )
        ly += 18
    parts.append(
        f'<text x="{width - right + 10}" y="{ly + 6}" fill="#666">dashed: fitted growth</text>'
    )
    if len(series.get("naive", [])) < len(ns):
        parts.append(
            f'<text x="{width - right + 10}" y="{ly + 24}" fill="#666">naive stops past {NAIVE_BUDGET:,} calls</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
