"""Rich display: reprs that stay short, HTML and SVG that parse, records that say why they are missing."""

from __future__ import annotations

import html.parser
import re
import sys
import xml.etree.ElementTree as ET

import pytest
from dptoolkit.problems import edit_distance, fibonacci, knapsack, subset_sum

import dptoolkit as dp
from dptoolkit._html import Catalog
from dptoolkit._labels import witness_path
from dptoolkit._svg import heatmap_svg, tree_layout, tree_svg
from dptoolkit._tableview import FALSE, TRUE, table_view

SVG = "{http://www.w3.org/2000/svg}"


class _Checker(html.parser.HTMLParser):
    """Parses HTML, checks that every opened tag is closed, and collects text and SVG blocks."""

    VOID = frozenset({"br", "img", "meta", "input", "hr", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack[-5:], tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(fragment: str) -> str:
    """Parse *fragment*, check it is well nested and its SVG is XML; return its text."""
    checker = _Checker()
    checker.feed(fragment)
    checker.close()
    assert checker.stack == []
    for svg in re.findall(r"<svg.*?</svg>", fragment, re.S):
        ET.fromstring(svg)
    return " ".join(checker.text)


KNAPSACK = ([12, 2, 1, 1, 4], [4, 2, 1, 2, 10], 15)


def test_solution_html_shows_value_witness_stats_and_a_heatmap() -> None:
    sol = knapsack.solve(*KNAPSACK, strategy="bottom_up")
    page = sol._repr_html_()
    text = parse_html(page)
    assert "15" in text and "items" in text and str(sol.items) in text
    assert f"{sol.stats.calls} calls" in text
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", page, re.S).group(0))  # type: ignore[union-attr]
    cells = svg.findall(f"{SVG}rect")
    assert len(cells) >= 6 * 16  # one rect per cell, plus the goal and the legend
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "capacity w" in " ".join(x for x in labels if x)
    assert "goal" in labels and "witness path" in labels
    path = svg.find(f"{SVG}g[@class='witness-path']")  # the witness path: dots, joined
    assert path is not None and len(path.findall(f"{SVG}circle")) == len(witness_path(sol))


def test_fast_solution_html_says_it_has_no_stats() -> None:
    sol = knapsack.solve(*KNAPSACK)
    text = parse_html(sol._repr_html_())
    assert "fast (auto)" in text and "measures none" in text
    assert "<svg" not in sol._repr_html_()


def test_repr_is_short_and_shows_witness_values_once_computed() -> None:
    sol = knapsack.solve(*KNAPSACK)
    assert repr(sol) == "Solution(value=15, strategy='fast' (auto), items=<lazy>)"
    assert sol.items == [1, 2, 3, 4]
    assert repr(sol) == "Solution(value=15, strategy='fast' (auto), items=[1, 2, 3, 4])"
    explicit = knapsack.solve(*KNAPSACK, strategy="fast")
    assert "(auto)" not in repr(explicit) and explicit.strategy == "fast"
    assert "items" in dir(sol) and "value" in dir(sol)


def test_auto_strategy_still_equals_its_name() -> None:
    sol = fibonacci.solve(10)
    assert sol.strategy == "fast" and str(sol.strategy) == "fast"
    assert "(auto)" in repr(sol)
    assert sol.as_dict()["strategy"] == "fast"


def test_fast_table_and_stats_name_the_strategies_that_have_them() -> None:
    sol = knapsack.solve(*KNAPSACK, strategy="fast")
    with pytest.raises(dp.errors.NotRecorded, match="strategy='bottom_up'") as raised:
        sol.table
    assert isinstance(raised.value, AttributeError) and isinstance(raised.value, dp.DPError)
    assert not hasattr(sol, "table")
    assert not sol.stats
    with pytest.raises(dp.errors.NotRecorded, match="'naive', 'top_down' or 'bottom_up'"):
        sol.stats.calls
    assert "measures no stats" in repr(sol.stats)
    top = knapsack.solve(*KNAPSACK, strategy="top_down")
    assert top.stats.calls > 0
    with pytest.raises(AttributeError, match="keeps no table"):
        top.table


def test_trace_html_draws_the_call_tree_with_hits() -> None:
    rec, goal = fibonacci.build(5)
    trace = rec.trace(*goal)
    text = parse_html(trace._repr_html_())
    assert f"{trace.calls} calls: {trace.misses} misses, {trace.hits} hits" in text
    svg = ET.fromstring(tree_svg(trace))
    fills = [g.find(f"{SVG}rect").get("fill") for g in svg.iter(f"{SVG}g")]  # type: ignore[union-attr]
    assert len(fills) == trace.calls
    assert fills.count("#f58518") == trace.hits  # hits are orange


def test_a_long_trace_draws_its_first_calls_and_says_so() -> None:
    rec, goal = fibonacci.build(12)
    trace = rec.trace(*goal, strategy="naive")
    svg = tree_svg(trace, limit=50)
    ET.fromstring(svg)
    assert f"first 50 of {trace.calls} calls shown" in svg


def test_tree_layout_centres_parents_over_children() -> None:
    x, depth = tree_layout([-1, 0, 1, 1, 0])
    assert depth == [0, 1, 2, 2, 1]
    assert x[2] < x[3] < x[4] and x[1] == (x[2] + x[3]) / 2 and x[0] == (x[1] + x[4]) / 2


def test_problem_and_catalog_display() -> None:
    catalog = dp.catalog()
    assert isinstance(catalog, Catalog) and isinstance(catalog, list)
    assert repr(catalog).startswith("Catalog([alignment, all_pairs_shortest_paths, catalan")
    lines = str(catalog).splitlines()
    assert len(lines) == len(catalog) and lines[0].startswith("alignment")
    text = parse_html(catalog._repr_html_())
    for problem in catalog:
        assert problem.name in text
    problem = dp.catalog("knapsack")
    assert repr(problem).startswith("<Problem knapsack: ")
    text = parse_html(problem._repr_html_())
    assert "O(n W)" in text and "items" in text


def test_catalog_text_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    assert max(len(line) for line in str(dp.catalog()).splitlines()) <= 70


def test_memoized_function_html_shows_options_and_cache_info() -> None:
    @dp.memoize(maxsize=32)
    def square(n: int) -> int:
        return n * n

    square(3)
    square(3)
    text = parse_html(square._repr_html_())
    assert "hits=1, misses=1, maxsize=32, currsize=1" in text and "square" in text


def test_boolean_table_has_two_discrete_colours() -> None:
    sol = subset_sum.solve([3, 34, 4, 12, 5, 2], 9, strategy="bottom_up")
    view = table_view(sol.table, sol._labels, goal=(6, 9))
    assert view.kind == "bool" and not view.continuous
    assert {c for row in view.colours for c in row} == {TRUE, FALSE}
    assert [text for _, text in view.legend] == ["true", "false"]


def test_two_string_table_is_labelled_with_the_letters() -> None:
    sol = edit_distance.solve("kitten", "sitting", strategy="bottom_up")
    view = table_view(sol.table, sol._labels, goal=(6, 7))
    assert view.row_ticks == ["ε", *"kitten"] and view.col_ticks == ["ε", *"sitting"]
    assert view.row_name == "a = kitten" and view.col_name == "b = sitting"
    assert view.goal == (6, 7) and view.kind == "int"
    ET.fromstring(heatmap_svg(view))


def test_huge_table_is_not_drawn_inline() -> None:
    sol = edit_distance.solve("a" * 80, "b" * 80, strategy="bottom_up")
    text = parse_html(sol._repr_html_())
    assert "too large to draw inline" in text and "draw_table" in text


def test_ipython_finds_the_html_of_every_displayed_kind() -> None:
    limit = sys.getrecursionlimit()
    try:
        formatters = pytest.importorskip("IPython.core.formatters")
    finally:  # importing IPython raises the interpreter's recursion limit: put it back
        sys.setrecursionlimit(limit)
    display = formatters.DisplayFormatter()

    @dp.memoize
    def double(n: int) -> int:
        return 2 * n

    class Halver:
        @dp.memoize
        def half(self, n: int) -> int:
            return n // 2

    double(2)
    halver = Halver()
    halver.half(4)
    rec, goal = fibonacci.build(5)
    shown = [
        knapsack.solve(*KNAPSACK, strategy="bottom_up"),
        rec.trace(*goal),
        dp.catalog("knapsack"),
        dp.catalog(),
        double,
        halver.half,  # instance.method: the instance's own cache
    ]
    for obj in shown:
        data, _ = display.format(obj)
        assert "text/html" in data, type(obj)
        parse_html(data["text/html"])


def test_bound_memoized_method_html_shows_its_own_instance_cache() -> None:
    class Grid:
        def __init__(self, size: int) -> None:
            self.size = size

        def __repr__(self) -> str:
            return f"Grid({self.size})"

        @dp.memoize(maxsize=8)
        def paths(self, r: int, c: int) -> int:
            return 1 if r == 0 or c == 0 else self.paths(r - 1, c) + self.paths(r, c - 1)

    small, other = Grid(2), Grid(3)
    small.paths(2, 2)
    small.paths(2, 2)
    other.paths(1, 1)
    text = parse_html(small.paths._repr_html_())
    info = small.paths.cache_info()
    assert f"hits={info.hits}, misses={info.misses}, maxsize=8, currsize={info.currsize}" in text
    assert "Grid(2)" in text and "Grid(3)" not in text and "own cache" in text
    assert "paths(r: " in text and "self" not in text  # the bound signature
    assert "maxsize" in text and "8" in text
    text = parse_html(other.paths._repr_html_())
    assert "hits=0, misses=3" in text and "Grid(3)" in text
    function = parse_html(Grid.paths._repr_html_())  # the class-wide view has no instance row
    assert "own cache" not in function
