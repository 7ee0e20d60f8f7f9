"""Public pictures: sol.draw_table() and trace.draw(), checked on the Figure objects."""

from __future__ import annotations

import os
import pathlib
import sys

import pytest
from dptoolkit.problems import edit_distance, fibonacci, graph_paths, knapsack, lcs, subset_sum

import dptoolkit as dp
from dptoolkit._plot import MissingExtra
from dptoolkit._plot_dag import GRID_MAX_NODES
from dptoolkit._tableview import FALSE, TRUE

try:
    import matplotlib  # noqa: F401
    from matplotlib.colors import to_hex
except ImportError:
    if os.environ.get("DPTOOLKIT_REQUIRE_PLOT") == "1":
        raise
    pytest.skip("matplotlib (the plot extra) is not installed", allow_module_level=True)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _ticks(labels: list[object]) -> list[str]:
    return [t.get_text() for t in labels]  # type: ignore[attr-defined]


def _legend_texts(fig: object) -> list[str]:
    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)  # type: ignore[attr-defined]
    return [t.get_text() for legend in legends if legend is not None for t in legend.get_texts()]


def test_knapsack_table_axes_are_items_and_capacity(tmp_path: pathlib.Path) -> None:
    sol = knapsack.solve([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15, strategy="bottom_up")
    target = tmp_path / "knapsack.png"
    fig = sol.draw_table(target)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "capacity w" and ax.get_ylabel() == "first i items"
    assert _ticks(ax.get_yticklabels())[:3] == ["none", "+#0 w12 v4", "+#1 w2 v2"]
    assert _ticks(ax.get_xticklabels()) == [str(w) for w in range(16)]
    assert {"goal", "witness path"} <= set(_legend_texts(fig))
    assert target.read_bytes()[:8] == PNG_MAGIC


def test_string_tables_are_labelled_with_their_letters() -> None:
    for solver, a, b in ((edit_distance.solve, "kitten", "sitting"), (lcs.solve, "ABCB", "BDCAB")):
        sol = solver(a, b, strategy="bottom_up")
        fig = sol.draw_table()
        ax = fig.axes[0]
        assert _ticks(ax.get_yticklabels()) == ["ε", *a]
        assert _ticks(ax.get_xticklabels()) == ["ε", *b]
        assert ax.get_ylabel() == f"a = {a}" and ax.get_xlabel() == f"b = {b}"


def test_boolean_table_has_two_colours_and_no_colour_bar() -> None:
    sol = subset_sum.solve([3, 34, 4, 12, 5, 2], 9, strategy="bottom_up")
    fig = sol.draw_table()
    assert len(fig.axes) == 1  # a colour bar would be a second Axes
    image = fig.axes[0].get_images()[0].get_array()
    colours = {
        to_hex(tuple(image[r, c][:3])) for r in range(image.shape[0]) for c in range(image.shape[1])
    }
    assert colours == {TRUE, FALSE}
    assert {"true", "false", "goal", "witness path"} <= set(_legend_texts(fig))


def test_integer_table_with_few_values_gets_a_legend_not_a_bar() -> None:
    sol = edit_distance.solve("kitten", "sitting", strategy="bottom_up")
    fig = sol.draw_table()
    assert len(fig.axes) == 1
    assert [str(v) for v in range(8)] == [t for t in _legend_texts(fig) if t.isdigit()]


def test_wide_ranging_table_gets_a_colour_bar() -> None:
    sol = knapsack.solve([1, 2, 3, 4, 5, 6], [3, 7, 11, 13, 17, 23], 20, strategy="bottom_up")
    fig = sol.draw_table()
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "value"


def test_all_pairs_table_is_labelled_with_node_names() -> None:
    import networkx as nx

    G = nx.DiGraph()
    G.add_weighted_edges_from([("s", "a", 4), ("s", "b", 2), ("b", "a", -1), ("a", "t", 3)])
    sol = graph_paths.all_pairs_shortest_paths(G, strategy="bottom_up")
    ax = sol.draw_table().axes[0]
    assert _ticks(ax.get_xticklabels()) == ["s", "a", "b", "t"]
    assert ax.get_xlabel() == "to j" and ax.get_ylabel() == "from i"


def test_fast_solution_has_no_table_to_draw() -> None:
    with pytest.raises(dp.errors.NotRecorded, match="bottom_up"):
        knapsack.solve([1], [1], 1).draw_table()


def test_grid_shaped_trace_is_drawn_on_its_grid(tmp_path: pathlib.Path) -> None:
    rec, goal = edit_distance.build("kitten", "sitting")
    trace = rec.trace(*goal)
    fig = trace.draw(tmp_path / "dag.png")
    ax = fig.axes[0]
    assert _ticks(ax.get_xticklabels()) == ["ε", *"sitting"]  # the problem's own axes
    assert _ticks(ax.get_yticklabels()) == ["ε", *"kitten"]
    texts = {t.get_text(): t.get_position() for t in ax.texts}
    assert texts["0"] == (0.0, 0.0)  # state (0, 0) sits in the top-left corner
    legend = _legend_texts(fig)
    assert "goal" in legend and "computed once, then served from the cache" in legend
    assert (tmp_path / "dag.png").read_bytes()[:8] == PNG_MAGIC


def test_layered_trace_marks_repeats_of_naive_recursion() -> None:
    rec, goal = fibonacci.build(6)
    fig = rec.trace(*goal, strategy="naive").draw()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "fib(1) ×8" in texts and "fib(6)" in texts
    assert "computed again on every call (no cache)" in _legend_texts(fig)


def test_an_unreadably_large_graph_is_refused_with_a_way_out() -> None:
    rec, goal = edit_distance.build("a" * 20, "b" * 20)
    trace = rec.trace(*goal)
    with pytest.raises(
        dp.InvalidInput, match=r"441 states, more than the 400 .*draw\(max_nodes=441\)"
    ):
        trace.draw()
    assert GRID_MAX_NODES == 400
    fig = trace.draw(max_nodes=441)  # asked for: drawn as dots
    assert fig.axes[0].collections


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    sol = knapsack.solve([1], [1], 1, strategy="bottom_up")
    with pytest.raises(MissingExtra, match=r"dptoolkit\[plot\]"):
        sol.draw_table()
    rec, goal = fibonacci.build(3)
    with pytest.raises(ImportError, match="plot extra"):
        rec.trace(*goal).draw()


def test_grid_drawing_takes_the_problems_labels() -> None:
    sol = edit_distance.solve("ab", "abc", strategy="bottom_up")
    rec, goal = edit_distance.build("ab", "abc")
    ax = rec.trace(*goal).draw(labels=sol._labels).axes[0]
    assert _ticks(ax.get_xticklabels()) == ["ε", "a", "b", "c"]
    assert ax.get_ylabel() == "a = ab" and ax.get_xlabel() == "b = abc"
