"""Traces: textbook counts, the call tree as text, the subproblem graph."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp


def make_fib():
    @dp.recurrence(states=lambda n: range(n + 1))
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return fib


def naive_calls(n):
    return 1 if n < 2 else 1 + naive_calls(n - 1) + naive_calls(n - 2)


def test_textbook_counts() -> None:
    fib = make_fib()
    assert fib.trace(5, strategy="naive").calls == 15
    assert fib.trace(10, strategy="naive").calls == 177
    t = fib.trace(5, strategy="top_down")
    assert (t.calls, t.misses, t.hits) == (9, 6, 3)
    t = fib.trace(10)
    assert (t.calls, t.hits, t.misses) == (19, 8, 11)
    assert t.value == 55


@settings(max_examples=20)
@given(st.integers(0, 16))
def test_counts_agree_with_the_solvers(n) -> None:
    fib = make_fib()
    naive = fib.trace(n, strategy="naive")
    assert naive.calls == naive.misses == naive_calls(n)
    assert naive.calls == fib.solve(n, strategy="naive").stats.calls
    td = fib.trace(n)
    stats = fib.solve(n, strategy="top_down").stats
    assert (td.calls, td.hits, td.misses) == (stats.calls, stats.hits, stats.misses)
    assert td.misses == len(set(td.fill_order)) == len({r.state for r in td.records})


def test_graph_of_fib5() -> None:
    g = make_fib().trace(5).graph()
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 8
    assert set(g.edges) == {(n, n - 1) for n in range(2, 6)} | {(n, n - 2) for n in range(2, 6)}
    assert [g.nodes[n]["value"] for n in range(6)] == [0, 1, 1, 2, 3, 5]
    assert sorted(g.nodes, key=lambda n: g.nodes[n]["order"]) == [1, 0, 2, 3, 4, 5]
    assert g.nodes[3]["calls"] == 2 and g.nodes[3]["hits"] == 1
    naive = make_fib().trace(5, strategy="naive").graph()
    assert set(naive.edges) == set(g.edges)
    assert naive.edges[2, 1]["calls"] == 3  # fib(2) is computed three times naively


def test_render_marks_hits_and_lists_the_fill_order() -> None:
    text = make_fib().trace(5).render()
    lines = text.splitlines()
    assert lines[0] == "fib(5) = 5"
    assert sum(line.endswith("(hit)") for line in lines) == 3
    assert lines[-1] == "cache filled in order: fib(1), fib(0), fib(2), fib(3), fib(4), fib(5)"
    assert "9 calls: 6 misses, 3 hits" in lines
    assert "├── fib(4) = 3" in lines and "└── fib(3) = 2  (hit)" in lines
    ascii_text = make_fib().trace(3).render(ascii=True)
    assert "|-- fib(2) = 1" in ascii_text and "`-- fib(1) = 1  (hit)" in ascii_text


def test_render_is_cut_for_large_trees() -> None:
    t = make_fib().trace(18, strategy="naive")
    text = t.render(max_nodes=10)
    lines = text.splitlines()
    tree = lines[: lines.index("")]
    assert len(tree) == 11
    assert tree[-1] == f"… {t.calls - 10} more calls not shown (render(max_nodes=...) shows more)"
    with pytest.raises(dp.InvalidInput, match="max_nodes=0"):
        t.render(max_nodes=0)


def test_records_are_a_preorder_with_parents_and_depths() -> None:
    t = make_fib().trace(4, strategy="naive")
    assert t.records[0].parent == -1 and t.records[0].state == 4
    for r in t.records[1:]:
        parent = t.records[r.parent]
        assert parent.position < r.position
        assert r.depth == parent.depth + 1
        assert r.state in (parent.state - 1, parent.state - 2)
    assert t.children(0) == [1, 6]
    assert t.depth == 3


def test_multi_argument_states_and_choices() -> None:
    a, b = "ABCB", "BDCAB"

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def lcs(i, j):
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return dp.choose([(lcs(i - 1, j - 1) + 1, "match")], best=max)
        return dp.choose([(lcs(i - 1, j), "up"), (lcs(i, j - 1), "left")], best=max)

    t = lcs.trace(len(a), len(b))
    assert t.value == 3
    assert t.render().splitlines()[0] == "lcs(4, 5) = 3"
    assert t.misses == lcs.solve(len(a), len(b)).stats.misses
    assert t.choices[(4, 5)] == "match"
    g = t.graph()
    assert (4, 5) in g and g.nodes[(4, 5)]["label"] == "lcs(4, 5)"


def test_trace_failure_modes() -> None:
    fib = make_fib()
    with pytest.raises(dp.BudgetExceeded, match="max_calls=100"):
        fib.trace(15, strategy="naive", max_calls=100)
    with pytest.raises(dp.InvalidInput, match="strategy='bottom_up'"):
        fib.trace(5, strategy="bottom_up")

    @dp.recurrence
    def loop(n):
        return loop(1 - n)

    with pytest.raises(dp.CycleError, match=r"loop\(0\)"):
        loop.trace(0)

    @dp.recurrence
    def deep(n):
        return 0 if n == 0 else deep(n - 1)

    with pytest.raises(dp.BudgetExceeded, match="depth"):
        deep.trace(100_000)

    @dp.recurrence(states=lambda n: range(n + 1))
    def out(n):
        return out(n + 1) if n < 3 else 0

    with pytest.raises(dp.InvalidInput, match=r"out\(1\)"):
        out.trace(0)
