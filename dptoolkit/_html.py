"""Rich display in notebooks: ``_repr_html_`` for solutions, traces, problems, memoized functions.

Each function returns a fragment of HTML with inline SVG (from
:mod:`dptoolkit._svg`), made by the toolkit alone: no plot extra, nothing
fetched. The classes hook these in with one-line ``_repr_html_`` methods.
:class:`Catalog` is what ``dp.catalog()`` returns: a list of problems that
prints as a table.
"""

from __future__ import annotations

import inspect
import os
import shutil
import textwrap
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

from ._svg import heatmap_svg, tree_svg

if TYPE_CHECKING:
    from .catalog import Problem
    from .recurrence import Solution
    from .trace import Trace

__all__ = ["Catalog", "memo_html", "problem_html", "solution_html", "trace_html"]

_STYLE = (
    "font-family:sans-serif;font-size:13px;line-height:1.4;"
    "border:1px solid #ddd;border-radius:6px;padding:8px 12px;display:inline-block;max-width:100%"
)
_KEY = "text-align:left;padding:1px 12px 1px 0;color:#555;vertical-align:top;font-weight:normal"


def _short(value: object, width: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(
        f'<tr><th style="{_KEY}">{escape(k)}</th><td style="text-align:left"><code>{v}</code></td></tr>'
        for k, v in pairs
    )


def _box(title: str, body: str) -> str:
    return f'<div style="{_STYLE}"><div style="font-weight:bold;margin-bottom:4px">{title}</div>{body}</div>'


def solution_html(sol: Solution) -> str:
    """The solution: value, strategy, witness fields, stats, and its table as a heatmap."""
    from ._labels import goal_of, witness_path
    from ._tableview import table_view

    strategy = escape(str(sol.strategy)) + (
        " (auto)" if getattr(sol.strategy, "auto", False) else ""
    )
    pairs = [("value", escape(_short(sol.value))), ("strategy", strategy)]
    for name in sol.fields:
        try:
            shown = escape(_short(getattr(sol, name)))
        except Exception as exc:  # a witness that cannot be built here: say why, keep the rest
            shown = f"<i>{escape(type(exc).__name__)}: {escape(str(exc))}</i>"
        pairs.append((name, shown))
    stats = sol._stats
    if stats is not None:
        pairs.append(
            (
                "stats",
                f"{stats.calls} calls: {stats.misses} misses, {stats.hits} hits; "
                f"{stats.states} states, peak {stats.peak}",
            )
        )
    else:
        pairs.append(
            ("stats", f"<i>none: strategy {escape(repr(str(sol.strategy)))} measures none</i>")
        )
    body = f"<table>{_rows(pairs)}</table>"
    table = getattr(sol, "table", None)
    if table is not None:
        labels = sol._labels
        try:
            view = table_view(
                table,
                labels,
                goal=goal_of(sol),
                path=witness_path(sol),
            )
            body += heatmap_svg(view)
        except ValueError as exc:
            body += f"<p><i>{escape(str(exc))}; sol.draw_table() draws it</i></p>"
    return _box("Solution", body)


def trace_html(trace: Trace) -> str:
    """The trace: its counts and the call tree as SVG, hits marked."""
    counts = (
        f"{trace.calls} calls: {trace.misses} misses, {trace.hits} hits; "
        f"depth {trace.depth}; value {escape(_short(trace.value, 60))}"
    )
    title = f"Trace of {escape(trace.name)} ({escape(trace.strategy)})"
    return _box(title, f"<div>{counts}</div><div style='overflow-x:auto'>{tree_svg(trace)}</div>")


def problem_html(problem: Problem) -> str:
    """One catalog entry: summary, recurrence, complexity, strategies, witness, example."""
    example = ", ".join(_short(a, 60) for a in problem.example)
    pairs = [
        ("summary", escape(problem.summary)),
        ("recurrence", escape(problem.recurrence)),
        ("time / space", f"{escape(problem.time)} / {escape(problem.space)}"),
        ("strategies", escape(", ".join(problem.strategies))),
        ("witness", escape(", ".join(problem.witness) or "—")),
        ("call", escape(f"{problem.module}.{problem.solve.__name__}({example})")),
    ]
    return _box(f"Problem {escape(problem.name)}", f"<table>{_rows(pairs)}</table>")


def memo_html(wrapper: Any) -> str:
    """A memoized function, or ``instance.method`` of a memoized method: options and ``cache_info()``.

    The bound form shows its own instance's cache (each instance has one).
    """
    info = wrapper.cache_info()
    options = wrapper.cache_parameters()
    name = getattr(wrapper, "__qualname__", getattr(wrapper, "__name__", "function"))
    try:
        signature = str(inspect.signature(wrapper))
    except (TypeError, ValueError):
        signature = "(...)"
    total = info.hits + info.misses
    rate = f" ({100 * info.hits / total:.0f}% hits)" if total else ""
    bound = getattr(wrapper, "__self__", None)  # instance.method: the instance
    pairs = (
        [("instance", escape(_short(bound, 80)) + " (its own cache)")] if bound is not None else []
    )
    pairs += [
        (
            "cache_info",
            escape(
                f"hits={info.hits}, misses={info.misses}, maxsize={info.maxsize}, "
                f"currsize={info.currsize}"
            )
            + rate,
        ),
    ]
    shown = {
        k: v
        for k, v in options.items()
        if v is not None and v is not False and not (k == "timer" and options.get("ttl") is None)
    }
    pairs += [(k, escape(_short(v, 80))) for k, v in shown.items()]
    return _box(f"memoized {escape(name)}{escape(signature)}", f"<table>{_rows(pairs)}</table>")


class Catalog(list["Problem"]):
    """The problems of ``dp.catalog()``: a list that prints as a table.

    ``str()`` gives one line per problem (name, strategies, summary), as
    wide as the terminal (``COLUMNS``); in a notebook it is an HTML table.
    """

    def __repr__(self) -> str:
        return f"Catalog([{', '.join(p.name for p in self)}])"

    def __str__(self) -> str:
        width = int(os.environ.get("COLUMNS") or shutil.get_terminal_size((100, 24)).columns)
        width = max(width, 60)
        name_w = max((len(p.name) for p in self), default=4)
        lines = []
        for p in self:
            head = f"{p.name:<{name_w}}  "
            summary = textwrap.shorten(p.summary, max(width - len(head), 20), placeholder="…")
            lines.append(head + summary)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(
            f'<th style="text-align:left;padding:2px 10px">{h}</th>'
            for h in ("name", "summary", "time", "space", "strategies", "witness")
        )
        rows = "".join(
            "<tr>"
            + "".join(
                f'<td style="text-align:left;padding:2px 10px;vertical-align:top">{escape(c)}</td>'
                for c in (
                    p.name,
                    p.summary,
                    p.time,
                    p.space,
                    ", ".join(p.strategies),
                    ", ".join(p.witness) or "—",
                )
            )
            + "</tr>"
            for p in self
        )
        return _box(
            f"dp.catalog(): {len(self)} problems",
            f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>',
        )
