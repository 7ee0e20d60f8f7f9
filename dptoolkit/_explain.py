"""``dp.explain``: one self-contained HTML page that steps through a run.

The page replays a traced ``top_down`` run call by call: the call tree
grows (hits marked), the table fills in the order the cache is filled, the
current cell's dependencies are drawn as arrows, the counters (calls, hits,
misses) follow along, and at the end the witness path is drawn on the
table. Below, a plot of calls against the size ``n`` for ``naive``,
``top_down`` and ``bottom_up``, with the fitted growth of each.

Everything is inline (CSS, JavaScript, SVG, the run's data as JSON): the
page fetches nothing, so it opens offline and can be mailed around. The data
is built here; the page itself is in :mod:`dptoolkit._explain_page`.
"""

from __future__ import annotations

import inspect
import itertools
import json
import os
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from ._explain_bottom_up import bottom_up_steps
from ._growth import growth
from ._labels import Labels, witness_path
from ._svg import tree_layout
from ._tableview import ramp, table_view
from ._validate import show
from .errors import BudgetExceeded, DPError, InvalidInput, InvalidType

if TYPE_CHECKING:
    from .catalog import Problem
    from .recurrence import Recurrence, Solution
    from .trace import Trace

__all__ = ["EXPLAIN_MAX_CALLS", "build_instance", "explain", "page"]

#: Most calls a stepped-through run may make: past it the page is not a lesson.
EXPLAIN_MAX_CALLS = 2000
#: Most table cells drawn on the page.
EXPLAIN_MAX_CELLS = 1600


def _short(value: object, width: int = 80) -> str:
    edges = getattr(value, "edges", None)
    if callable(edges) and hasattr(value, "nodes"):  # a networkx graph: its weighted edges
        listed = ", ".join(
            f"{u!r}→{v!r} {w}" if w is not None else f"{u!r}→{v!r}"
            for u, v, w in edges(data="weight")
        )
        text = f"{type(value).__name__}({listed})"
        return text if len(text) <= width else text[: width - 1] + "…"
    text = show(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _resolve(target: object) -> tuple[Problem | None, Recurrence | None]:
    from .catalog import Problem, catalog
    from .recurrence import Recurrence

    if isinstance(target, str):
        return catalog(target), None
    if isinstance(target, Problem):
        return target, None
    if isinstance(target, Recurrence):
        return None, target
    raise InvalidType(
        f"problem_or_recurrence={_short(target)} must be a catalog problem (a name or "
        "dp.catalog(name)) or a @dp.recurrence"
    )


def _instance(
    problem: Problem | None, rec: Recurrence, args: Sequence[Any], kwargs: dict[str, Any]
) -> str:
    parts = [_short(a, 60) for a in args] + [f"{k}={_short(v, 40)}" for k, v in kwargs.items()]
    name = problem.name if problem is not None else rec.__name__
    verb = f"{name}.solve" if problem is not None else f"{rec.__name__}"
    return f"{verb}({', '.join(parts)})" if problem is not None or parts else name


def _trace(rec: Recurrence, goal: tuple[Any, ...]) -> Trace:
    try:
        return rec.trace(*goal, strategy="top_down", max_calls=EXPLAIN_MAX_CALLS)
    except BudgetExceeded:
        raise InvalidInput(
            f"{rec._fmt(goal)} makes more than {EXPLAIN_MAX_CALLS:,} calls even memoized; "
            "explain steps through small instances: try a smaller one"
        ) from None


def _events(trace: Trace) -> list[list[int]]:
    """``[kind, record]`` in replay order: 0 = call (a hit returns at once), 1 = a miss returns."""
    records = trace.records
    size = [1] * len(records)
    for r in reversed(records):
        if r.parent >= 0:
            size[r.parent] += size[r.position]
    events: list[list[int]] = []
    open_: list[int] = []
    for r in records:
        while open_ and open_[-1] + size[open_[-1]] <= r.position:
            events.append([1, open_.pop()])
        events.append([0, r.position])
        if not r.hit:
            open_.append(r.position)
    while open_:
        events.append([1, open_.pop()])
    return events


def _table(sol: Solution | None, rec: Recurrence, goal: tuple[Any, ...]) -> dict[str, Any] | None:
    table = getattr(sol, "table", None) if sol is not None else None
    if table is None:
        return None
    labels: Labels | None = sol._labels if sol is not None else None
    view = table_view(
        table,
        labels,
        names=rec._names,
        goal=goal[0] if len(goal) == 1 else goal,
        path=witness_path(sol) if sol is not None else (),
    )
    if view.rows * view.cols > EXPLAIN_MAX_CELLS:
        return {"skipped": f"the table has {view.rows * view.cols:,} cells, too many to draw"}
    return {
        "rows": view.rows,
        "cols": view.cols,
        "texts": view.texts,
        "colours": view.colours,
        "rowName": view.row_name,
        "colName": view.col_name,
        "rowTicks": view.row_ticks,
        "colTicks": view.col_ticks,
        "goal": view.goal,
        "path": view.path,
        "legend": view.legend,
        "note": view.note,
        "kind": view.kind,
        "ramp": [ramp(k / 4) for k in range(5)] if view.continuous else None,
        "cellOf": view.cell_of,
    }


def _declared(rec: Recurrence, goal: tuple[Any, ...]) -> int:
    """How many states the recurrence declares for *goal*, counted up to one past the page's limit."""
    try:
        space = rec.space(*goal)
    except DPError:
        return 0
    if space is None:
        return 0
    return sum(1 for _ in itertools.islice(space, EXPLAIN_MAX_CELLS + 1))


def _bottom_up(rec: Recurrence, goal: tuple[Any, ...], cell_of: Any) -> dict[str, Any] | None:
    """The bottom-up replay: one step per declared state, with the cells it reads."""
    steps = bottom_up_steps(rec, goal, EXPLAIN_MAX_CELLS)
    if steps is None or cell_of is None:
        return None
    out = []
    for state, reads, value in steps:
        cell = cell_of(state)
        out.append(
            {
                "cell": list(cell) if cell is not None else None,
                "reads": [list(c) for c in map(cell_of, reads) if c is not None],
                "name": rec._fmt(rec._state_args(state)),
                "readNames": [rec._fmt(rec._state_args(r)) for r in reads],
                "value": _short(value, 40),
            }
        )
    hits = sum(len(reads) for _, reads, _ in steps)
    return {"steps": out, "misses": len(steps), "hits": hits, "calls": len(steps) + hits}


def page_data(
    problem: Problem | None,
    rec: Recurrence,
    goal: tuple[Any, ...],
    args: Sequence[Any],
    kwargs: dict[str, Any],
) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data."""
    trace = _trace(rec, goal)
    sol: Solution | None = None
    # a table past the page's size is not filled at all: top_down gives the value and witness
    strategy = "bottom_up" if _declared(rec, goal) <= EXPLAIN_MAX_CELLS else "top_down"
    try:
        if problem is not None:
            sol = problem.solve(*args, strategy=strategy, **kwargs)
        else:
            sol = rec.solve(*goal, strategy=strategy)
    except DPError:  # no declared states (or too many): the page shows no table
        sol = None
    table = _table(sol, rec, goal)
    cell_of = table.pop("cellOf") if table is not None and "cellOf" in table else None
    xs, depth = tree_layout([r.parent for r in trace.records])
    records = []
    labels = sol._labels if sol is not None else None
    for r in trace.records:
        cell = cell_of(r.state) if cell_of is not None else None
        coordinates = rec._state_args(r.state)
        if labels is not None and len(coordinates) == 1 and labels.has_ticks(0):
            label = labels.tick(0, coordinates[0])  # a node's name, say, not its position
        else:
            label = ", ".join(show(a) for a in coordinates)
        records.append(
            {
                "parent": r.parent,
                "label": label,
                "name": trace._fmt(r.state),
                "value": _short(r.value, 40),
                "hit": r.hit,
                "x": xs[r.position],
                "depth": depth[r.position],
                "cell": list(cell) if cell is not None else None,
            }
        )
    witness = {}
    if sol is not None:
        for name in sol.fields:
            try:
                witness[name] = _short(getattr(sol, name), 200)
            except Exception as exc:  # a witness that cannot be built: say so on the page
                witness[name] = f"({type(exc).__name__}: {exc})"
    shown_value = sol.value if sol is not None else trace.value
    bottom_up = (
        _bottom_up(rec, goal, cell_of) if table is not None and "skipped" not in table else None
    )
    return {
        "title": problem.name if problem is not None else rec.__name__,
        "summary": problem.summary
        if problem is not None
        else (rec.__doc__ or "").strip().split("\n")[0],
        "recurrence": problem.recurrence if problem is not None else "",
        "instance": _instance(problem, rec, args, kwargs),
        "goal": rec._fmt(goal),
        "value": _short(shown_value, 200),
        "traceValue": _short(trace.value, 60),
        "records": records,
        "events": _events(trace),
        "calls": trace.calls,
        "hits": trace.hits,
        "misses": trace.misses,
        "table": table,
        "witness": witness,
        "bottomUp": bottom_up,
        "growth": growth(rec, goal, labels.sizes if labels is not None else None),
    }


def page(data: dict[str, Any]) -> str:
    """The self-contained HTML page for *data* (from :func:`page_data`)."""
    from ._explain_page import CSS, JS, TEMPLATE

    blob = json.dumps(data, ensure_ascii=False, allow_nan=False, default=str)
    blob = blob.replace("</", "<\\/")  # a "</script>" inside a string must not end the script
    return (
        TEMPLATE.replace("%TITLE%", escape(f"explain {data['title']}"))
        .replace("%CSS%", CSS)
        .replace("%DATA%", blob)
        .replace("%JS%", JS)
    )


def build_instance(problem: Problem, args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
    """``problem.build(*args, **kwargs)``; arguments its build does not take are refused by name.

    The page steps through the problem's ``build`` recurrence, whose
    parameters may be fewer than ``solve``'s (edit_distance's is the unit-cost
    one), so a ``solve`` option is an :class:`~dptoolkit.InvalidType` naming
    the parameters ``build`` does take, not a bare ``TypeError``.
    """
    assert problem.build is not None
    try:
        inspect.signature(problem.build).bind(*args, **kwargs)
    except TypeError as exc:
        takes = ", ".join(inspect.signature(problem.build).parameters)
        given = ", ".join(
            [*(show(a) for a in args), *(f"{k}={show(v)}" for k, v in kwargs.items())]
        )
        raise InvalidType(
            f"the recurrence {problem.name}.build({takes}) cannot take ({given}): {exc}; "
            "explain steps through that recurrence, so options only solve() has do not apply"
        ) from None
    return problem.build(*args, **kwargs)


def explain(
    problem_or_recurrence: Any,
    *args: Any,
    path: str | os.PathLike[str] | None = "explain.html",
    **kwargs: Any,
) -> str:
    """Write a self-contained HTML page that steps through one run, and return its path.

    Parameters
    ----------
    problem_or_recurrence
        A catalog problem (its name, or ``dp.catalog(name)``), or a
        ``@dp.recurrence``.
    *args, **kwargs
        The instance: the problem's ``solve`` arguments (its example when
        none are given), or the recurrence's goal state.
    path : str or path-like, optional
        Where to write the page (``explain.html`` by default); ``None``
        writes nothing and returns the HTML text instead.

    Returns
    -------
    str
        The path written (or the page, for ``path=None``).

    Raises
    ------
    dptoolkit.InvalidInput
        For an unknown problem, bad instance arguments, or an instance too
        large to step through (more than 2,000 memoized calls).

    Examples
    --------
    >>> import dptoolkit as dp
    >>> html = dp.explain("fibonacci", 5, path=None)
    >>> "fibonacci.solve(5)" in html and "<script" in html
    True
    """
    problem, rec = _resolve(problem_or_recurrence)
    if problem is not None:
        if problem.build is None:
            raise InvalidInput(f"{problem.name} has no recurrence to step through")
        if not args and not kwargs:
            example = list(problem.example)
            args = tuple(problem.coerce(example)) if problem.coerce is not None else tuple(example)
        rec, goal = build_instance(problem, args, kwargs)
    else:
        assert rec is not None
        if kwargs:
            raise InvalidInput(
                f"{rec.__name__}: give the goal state as positional arguments, got {kwargs!r}"
            )
        goal = tuple(args)
    html = page(page_data(problem, rec, goal, args, kwargs))
    if path is None:
        return html
    target = os.fspath(path)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(html)
    return target
