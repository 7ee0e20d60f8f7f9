"""Every catalog table is drawn with the problem's own axis names, never coordinate numbers.

Each problem's solve declares its axes (``with_fields(labels=...)``); these
tests fail for any catalog problem whose ``bottom_up`` table still comes out
with default names (``''``, ``state``, ``i (first coordinate)``, the bare
parameter names of its recurrence), on the matplotlib figure of
``sol.draw_table()`` and on the SVG heatmap of ``sol._repr_html_()``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import dptoolkit as dp
from dptoolkit._labels import witness_path
from dptoolkit._tableview import table_view

from .test_display import parse_html

#: names a picture falls back to when a problem declares none
DEFAULTS = frozenset(
    {
        "",
        "state",
        "first coordinate",
        "second coordinate",
        "i (first coordinate)",
        "j (second coordinate)",
        "i (first index)",
        "j (second index)",
    }
)


def _tabled() -> list[Any]:
    """The catalog problems whose bottom_up run of their example keeps a table."""
    found = []
    for problem in dp.catalog():
        if "bottom_up" not in problem.strategies or problem.build is None:
            continue
        sol = problem.solve(*problem.example, strategy="bottom_up")
        try:
            sol.table
        except dp.errors.NotRecorded:
            continue
        found.append(problem)
    return found


TABLED = _tabled()


def _defaults(problem: Any) -> frozenset[str]:
    rec, _ = problem.build(*problem.example)
    return DEFAULTS | set(rec._names)


def _view(problem: Any) -> Any:
    sol = problem.solve(*problem.example, strategy="bottom_up")
    return sol, table_view(sol.table, sol._labels, goal=None, path=witness_path(sol))


def test_the_audit_covers_the_catalog() -> None:
    names = {p.name for p in TABLED}
    # the tables of the audit, and every problem added since
    assert {"alignment", "dtw", "viterbi", "lis", "word_break", "tsp", "optimal_bst"} <= names
    assert {"interval_scheduling", "knapsack", "edit_distance", "lcs", "fibonacci"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("problem", TABLED, ids=lambda p: p.name)
def test_figure_axes_are_named_by_the_problem(problem: Any) -> None:
    pytest.importorskip("matplotlib")
    sol, view = _view(problem)
    fig = sol.draw_table()
    ax = fig.axes[0]
    defaults = _defaults(problem)
    assert ax.get_xlabel() not in defaults, (problem.name, ax.get_xlabel())
    if view.rows > 1:
        assert ax.get_ylabel() not in defaults, (problem.name, ax.get_ylabel())
    else:  # one row: no row axis to name
        assert ax.get_yticks().size == 0


@pytest.mark.parametrize("problem", TABLED, ids=lambda p: p.name)
def test_svg_heatmap_names_the_axes(problem: Any) -> None:
    sol, view = _view(problem)
    html = sol._repr_html_()
    text = parse_html(html)
    (svg,) = re.findall(r"<svg.*?</svg>", html, re.S)
    defaults = _defaults(problem)
    assert view.col_name not in defaults
    assert f"→ {view.col_name}" in parse_html(svg), problem.name
    if view.rows > 1:
        assert view.row_name not in defaults
        assert f"↓ {view.row_name}" in text, problem.name


def test_sequence_problems_tick_their_items() -> None:
    """Positions along an argument show its items: lis's values, word_break's letters."""
    pytest.importorskip("matplotlib")
    lis = dp.catalog("lis").solve([3, 1, 4, 1, 5], strategy="bottom_up")
    ax = lis.draw_table().axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["3", "1", "4", "1", "5", "end"]
    assert "rise" in ax.get_xlabel()
    words = dp.catalog("word_break").solve("catsdog", ["cat", "cats", "dog"], strategy="bottom_up")
    ax = words.draw_table().axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()][:4] == ["c", "a", "t", "s"]
    assert "catsdog" in ax.get_xlabel()


def test_tsp_rows_are_sets_of_cities_and_columns_cities() -> None:
    pytest.importorskip("matplotlib")
    nx = pytest.importorskip("networkx")
    G = nx.complete_graph(["home", "b", "c", "d"])
    for u, v in G.edges:
        G.edges[u, v]["weight"] = len(u) + len(v)
    ax = dp.catalog("tsp").solve(G, strategy="bottom_up").draw_table().axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[:4] == ["{}", "{b}", "{c}", "{b,c}"] and rows[-1] == "{b,c,d}"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["home", "b", "c", "d"]
    assert ax.get_ylabel().startswith("S: cities visited")


def test_optimal_bst_and_interval_scheduling_name_keys_and_intervals() -> None:
    pytest.importorskip("matplotlib")
    bst = dp.catalog("optimal_bst").solve([0.5, 0.3], [0.1, 0.05, 0.05], strategy="bottom_up")
    ax = bst.draw_table().axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["k1", "k2", "—"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["—", "k1", "k2"]
    jobs = [(4, 6, 1), (0, 3, 2)]  # sorted by end: #1 first
    ax = dp.catalog("interval_scheduling").solve(jobs, strategy="bottom_up").draw_table().axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["none", "+#1 0–3", "+#0 4–6"]


def test_alignment_shows_its_pair_table_and_says_so() -> None:
    sol = dp.catalog("alignment").solve("GAT", "GT", strategy="bottom_up")
    view = table_view(sol.table, sol._labels)
    assert (view.rows, view.cols) == (5, 3)  # prefixes of a, and the goal's row
    assert view.row_ticks == ["ε", "G", "A", "T", "goal"] and view.col_ticks == ["ε", "G", "T"]
    assert "M: a[i-1] pairs with b[j-1]" in view.note
    assert view.values[3][2] == sol.table[3, 2, 0]


def test_trace_draw_names_the_axes_as_the_problem_does() -> None:
    pytest.importorskip("matplotlib")
    from dptoolkit.problems import edit_distance

    from dptoolkit._labels import Labels

    rec, goal = edit_distance.build("kitten", "sitting")  # the module's build
    ax = rec.trace(*goal).draw().axes[0]
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("a = kitten", "b = sitting")
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["ε", "s", "i"]
    rec, goal = dp.catalog("lcs").build("AB", "BA")  # the catalog's
    ax = rec.trace(*goal).draw().axes[0]
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("a = AB", "b = BA")
    ax = rec.trace(*goal).draw(labels=Labels(("rows", "columns"))).axes[0]  # explicit wins
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("rows", "columns")


def test_trace_draw_of_a_plain_recurrence_names_its_parameters() -> None:
    pytest.importorskip("matplotlib")

    @dp.recurrence(states=lambda r, c: dp.grid(r + 1, c + 1))
    def paths(r: int, c: int) -> int:
        return 1 if r == 0 or c == 0 else paths(r - 1, c) + paths(r, c - 1)

    ax = paths.trace(2, 3).draw().axes[0]
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("r (first coordinate)", "c (second coordinate)")
