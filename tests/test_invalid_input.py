"""Bad input to the catalog solvers, gathered in one parametrized table.

Every case is a call that must fail fast with a :class:`dptoolkit.DPError`
subclass that is also the built-in a user would catch (``ValueError``,
``TypeError``, or ``RuntimeError`` for a refused naive run), and whose message
names the argument and its value. Add a case as
``pytest.param(call, exception, fragment_of_the_message, id=...)``.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

import dptoolkit as dp


def solver(module: str, func: str = "solve") -> Callable[..., Any]:
    """``dptoolkit.problems.<module>.<func>``, imported when the case runs."""

    def call(*args: Any, **kwargs: Any) -> Any:
        target = getattr(importlib.import_module(f"dptoolkit.problems.{module}"), func)
        return target(*args, **kwargs)

    return call


fibonacci = solver("fibonacci")
apply_operations = solver("edit_distance", "apply_operations")
is_subsequence = solver("lcs", "is_subsequence")
catalan = solver("catalan")
factorial = solver("factorial")
knapsack = solver("knapsack")
coin_change = solver("coin_change")
rod_cutting = solver("rod_cutting")
subset_sum = solver("subset_sum")
lis = solver("lis")
# part B solvers
edit_distance = solver("edit_distance")
lcs = solver("lcs")
matrix_chain = solver("matrix_chain")
shortest_path = solver("graph_paths", "shortest_path")
all_pairs = solver("graph_paths", "all_pairs_shortest_paths")
longest_path = solver("graph_paths", "longest_path")
count_paths = solver("graph_paths", "count_paths")
grid_paths = solver("graph_paths", "grid_paths")
# sequence problems
alignment = solver("alignment")
dtw = solver("dtw")
viterbi = solver("viterbi")
HMM = (
    ["Healthy", "Fever"],
    {"Healthy": 0.6, "Fever": 0.4},
    {"Healthy": {"Healthy": 0.7, "Fever": 0.3}, "Fever": {"Healthy": 0.4, "Fever": 0.6}},
    {"Healthy": {"cold": 0.4, "dizzy": 0.6}, "Fever": {"cold": 0.3, "dizzy": 0.7}},
)


def _graph(edges: list[tuple[Any, ...]]) -> Any:
    """A networkx DiGraph from (u, v) or (u, v, weight) tuples, built when the case runs."""
    import networkx as nx

    G = nx.DiGraph()
    for u, v, *w in edges:
        G.add_edge(u, v, **({"weight": w[0]} if w else {}))
    return G


def _complete(n: int) -> Any:
    import networkx as nx

    return nx.complete_graph(n, create_using=nx.DiGraph)


def _nodes(n: int) -> Any:
    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    return G


NAN = math.nan

CASES: list[Any] = [
    # --- numbers: fibonacci, catalan, factorial ---------------------------------
    pytest.param(
        lambda: fibonacci(-1), ValueError, "n=-1 must be a non-negative integer", id="fib-negative"
    ),
    pytest.param(lambda: fibonacci(2.5), TypeError, "n=2.5", id="fib-float"),
    pytest.param(lambda: fibonacci(True), TypeError, "n=True", id="fib-bool"),
    pytest.param(lambda: fibonacci(None), TypeError, "n=None", id="fib-none"),
    pytest.param(lambda: fibonacci("7"), TypeError, "n='7'", id="fib-str"),
    pytest.param(
        lambda: fibonacci(5, strategy="greedy"), ValueError, "strategy='greedy'", id="fib-strategy"
    ),
    pytest.param(
        lambda: fibonacci(5, strategy=None), TypeError, "strategy=None", id="fib-strategy-none"
    ),
    pytest.param(
        lambda: fibonacci(60, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="fib-naive-too-big",
    ),
    pytest.param(
        lambda: fibonacci(10**12),
        ValueError,
        "n=1000000000000 is too large for strategy='fast'",
        id="fib-fast-too-big",
    ),
    pytest.param(lambda: catalan(-2), ValueError, "n=-2", id="catalan-negative"),
    pytest.param(lambda: catalan(3.0), TypeError, "n=3.0", id="catalan-float"),
    pytest.param(lambda: catalan(False), TypeError, "n=False", id="catalan-bool"),
    pytest.param(
        lambda: catalan(30, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="catalan-naive-too-big",
    ),
    pytest.param(
        lambda: catalan(10**30, strategy="naive"),
        dp.BudgetExceeded,
        "recurse more than 300 levels deep",
        id="catalan-naive-huge-n",  # refused from the first levels; the goal's 2n calls never listed
    ),
    pytest.param(
        lambda: catalan(10**10), ValueError, "n=10000000000 is too large", id="catalan-fast-too-big"
    ),
    pytest.param(lambda: factorial(-5), ValueError, "n=-5", id="factorial-negative"),
    pytest.param(lambda: factorial(NAN), TypeError, "n=nan", id="factorial-nan"),
    pytest.param(
        lambda: factorial(4, strategy="FAST"),
        ValueError,
        "strategy='FAST'",
        id="factorial-strategy-case",
    ),
    pytest.param(
        lambda: factorial(10**9),
        ValueError,
        "n=1000000000 is too large",
        id="factorial-fast-too-big",
    ),
    # --- knapsack ---------------------------------------------------------------
    pytest.param(
        lambda: knapsack([1, 2], [3], 5), ValueError, "values", id="knapsack-length-mismatch"
    ),
    pytest.param(
        lambda: knapsack([1, 2.5], [3, 4], 5),
        TypeError,
        "weights[1]=2.5",
        id="knapsack-float-weight",
    ),
    pytest.param(
        lambda: knapsack([1, -2], [3, 4], 5),
        ValueError,
        "weights[1]=-2",
        id="knapsack-negative-weight",
    ),
    pytest.param(
        lambda: knapsack([1, 2], [3, NAN], 5), ValueError, "values[1]=nan", id="knapsack-nan-value"
    ),
    pytest.param(
        lambda: knapsack([1, 2], [3, -1], 5),
        ValueError,
        "values[1]=-1",
        id="knapsack-negative-value",
    ),
    pytest.param(
        lambda: knapsack(None, [3], 5), TypeError, "weights=None", id="knapsack-none-weights"
    ),
    pytest.param(
        lambda: knapsack([1], None, 5), TypeError, "values=None", id="knapsack-none-values"
    ),
    pytest.param(
        lambda: knapsack([1], [3], -3),
        ValueError,
        "capacity=-3 must be a non-negative integer",
        id="knapsack-negative-capacity",
    ),
    pytest.param(
        lambda: knapsack([1], [3], 5.0), TypeError, "capacity=5.0", id="knapsack-float-capacity"
    ),
    pytest.param(
        lambda: knapsack([1], [3], True), TypeError, "capacity=True", id="knapsack-bool-capacity"
    ),
    pytest.param(
        lambda: knapsack([True], [3], 5), TypeError, "weights[0]=True", id="knapsack-bool-weight"
    ),
    pytest.param(
        lambda: knapsack([0, 2], [3, 1], 5, unbounded=True),
        ValueError,
        "weights[0]=0",
        id="knapsack-unbounded-zero-weight",
    ),
    pytest.param(
        lambda: knapsack([1], [1], 5, unbounded="yes"),
        TypeError,
        "unbounded='yes'",
        id="knapsack-unbounded-not-bool",
    ),
    pytest.param(
        lambda: knapsack([1], [1], 5, strategy="greedy"),
        ValueError,
        "strategy='greedy'",
        id="knapsack-strategy",
    ),
    pytest.param(
        lambda: knapsack(list(range(1, 31)), [1] * 30, 10**6, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="knapsack-naive-too-big",
    ),
    pytest.param(
        lambda: knapsack([10**9 + 7, 10**9 + 9], [1, 2], 10**12, unbounded=True),
        ValueError,
        "capacity=1000000000000 is too large for strategy='fast'",
        id="knapsack-fast-row-too-big",
    ),
    # --- coin change --------------------------------------------------------------
    pytest.param(lambda: coin_change([1, 0], 5), ValueError, "coins[1]=0", id="coins-zero"),
    pytest.param(lambda: coin_change([1, -5], 5), ValueError, "coins[1]=-5", id="coins-negative"),
    pytest.param(lambda: coin_change([1, 2.0], 5), TypeError, "coins[1]=2.0", id="coins-float"),
    pytest.param(lambda: coin_change(None, 5), TypeError, "coins=None", id="coins-none"),
    pytest.param(lambda: coin_change({1, 2}, 5), TypeError, "coins={1, 2}", id="coins-set"),
    pytest.param(
        lambda: coin_change([1, 2], -1), ValueError, "amount=-1", id="coins-negative-amount"
    ),
    pytest.param(
        lambda: coin_change([10**9 + 7, 10**9 + 9], 10**15),
        ValueError,
        "amount=1000000000000000 is too large for strategy='fast'",
        id="coins-fast-row-too-big",
    ),
    pytest.param(
        lambda: coin_change([1, 2, 5], 10**15).coins,
        ValueError,
        "amount=1000000000000000 is too large",
        id="coins-fast-witness-too-long",
    ),
    pytest.param(
        lambda: coin_change([1, 2], 3, strategy="fastest"),
        ValueError,
        "strategy='fastest'",
        id="coins-strategy",
    ),
    pytest.param(
        lambda: coin_change([1, 2], 200, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="coins-naive-too-big",
    ),
    pytest.param(
        lambda: coin_change([10**20, 3], 10**30, strategy="top_down"),
        dp.BudgetExceeded,
        "would compute up to 1,000,000,000,000,000,000,000,000,000,001 states",
        id="coins-top-down-huge-amount",
    ),
    pytest.param(
        lambda: coin_change([7], 7 * 400, strategy="naive"),
        dp.BudgetExceeded,
        "recurse more than 300 levels deep",
        id="coins-naive-too-deep",
    ),
    # --- rod cutting ----------------------------------------------------------------
    pytest.param(lambda: rod_cutting([1, NAN], 2), ValueError, "prices[1]=nan", id="rod-nan-price"),
    pytest.param(
        lambda: rod_cutting([1, -2], 2), ValueError, "prices[1]=-2", id="rod-negative-price"
    ),
    pytest.param(lambda: rod_cutting("15", 2), TypeError, "prices='15'", id="rod-str-prices"),
    pytest.param(lambda: rod_cutting([], 2), ValueError, "prices=[]", id="rod-empty-prices"),
    pytest.param(lambda: rod_cutting([1, 5], -4), ValueError, "n=-4", id="rod-negative-n"),
    pytest.param(
        lambda: rod_cutting([1, 5], 2, strategy="fast"),
        ValueError,
        "strategy='fast'",
        id="rod-no-fast",
    ),
    pytest.param(
        lambda: rod_cutting([1] * 40, 40, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="rod-naive-too-big",
    ),
    pytest.param(
        lambda: rod_cutting([2, 3], 10**30, strategy="naive"),
        dp.BudgetExceeded,
        "recurse more than 300 levels deep",
        id="rod-naive-huge-n",  # refused from the first levels, not after counting a chain
    ),
    pytest.param(
        lambda: fibonacci(10**30, strategy="top_down"),
        dp.BudgetExceeded,
        "would compute up to",
        id="fib-top-down-huge-n",
    ),
    pytest.param(
        lambda: rod_cutting([2, 3], 10**30, strategy="bottom_up"),
        dp.BudgetExceeded,
        "would fill",
        id="rod-bottom-up-huge-n",
    ),
    # --- subset sum -------------------------------------------------------------------
    pytest.param(lambda: subset_sum([3, -1], 2), ValueError, "numbers[1]=-1", id="subset-negative"),
    pytest.param(lambda: subset_sum([3, 1.5], 2), TypeError, "numbers[1]=1.5", id="subset-float"),
    pytest.param(lambda: subset_sum(None, 2), TypeError, "numbers=None", id="subset-none"),
    pytest.param(lambda: subset_sum([3], -2), ValueError, "target=-2", id="subset-negative-target"),
    pytest.param(lambda: subset_sum([3], None), TypeError, "target=None", id="subset-none-target"),
    pytest.param(
        lambda: subset_sum(list(range(1, 41)), 400, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="subset-naive-too-big",
    ),
    pytest.param(
        lambda: subset_sum([10**12, 10**12 + 1, 7], 10**12 + 1),
        ValueError,
        "target=1000000000001 is too large for strategy='fast'",
        id="subset-fast-bitset-too-big",
    ),
    # --- longest increasing subsequence -----------------------------------------------
    pytest.param(lambda: lis(None), TypeError, "seq=None", id="lis-none"),
    pytest.param(lambda: lis([1, NAN, 2]), ValueError, "seq[1]=nan", id="lis-nan"),
    pytest.param(lambda: lis(42), TypeError, "seq=42", id="lis-int"),
    pytest.param(
        lambda: lis([None, None]),
        TypeError,
        "seq=[None, None] holds items that cannot be ordered with <",
        id="lis-none-items",
    ),
    pytest.param(
        lambda: lis([{"a": 1}, {"b": 2}], strategy="bottom_up"),
        TypeError,
        "cannot be ordered with <",
        id="lis-dict-items",
    ),
    pytest.param(
        lambda: lis([{1}, {2}, {1, 2}]), TypeError, "seq[0]={1} is a set", id="lis-set-items"
    ),
    pytest.param(
        lambda: lis([np.float32(1), np.float32("nan")], strategy="top_down"),
        ValueError,
        "seq[1]=np.float32(nan)",
        id="lis-numpy-nan",
    ),
    pytest.param(lambda: lis([1, 2], strategy=3), TypeError, "strategy=3", id="lis-strategy-int"),
    pytest.param(
        lambda: lis(list(range(40)), strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="lis-naive-too-big",
    ),
    pytest.param(
        lambda: lis(list(range(3000, 0, -1)), strategy="naive"),
        dp.BudgetExceeded,
        "compare about n^2 / 2 pairs of its n=3,000 items",
        id="lis-naive-too-long",
    ),
    # --- part B: graph and string problems (edit_distance, lcs, matrix_chain, graph_paths) ---
    # Add cases below this line.
    pytest.param(lambda: edit_distance(None, "a"), TypeError, "a=None", id="edit-none"),
    pytest.param(lambda: edit_distance("a", 5), TypeError, "b=5", id="edit-int"),
    pytest.param(lambda: edit_distance({1, 2}, [1]), TypeError, "a={1, 2}", id="edit-set"),
    pytest.param(
        lambda: edit_distance([[1], [2]], [1]),
        TypeError,
        "a[0]=[1] must be hashable",
        id="edit-unhashable",
    ),
    pytest.param(lambda: edit_distance([1.0, NAN], [1.0]), ValueError, "a[1]=nan", id="edit-nan"),
    pytest.param(
        lambda: edit_distance([1.0], [np.float32("nan")]),
        ValueError,
        "b[0]=np.float32(nan) never equals itself",
        id="edit-numpy-nan",
    ),
    pytest.param(
        lambda: lcs([Decimal("NaN")], "a"), ValueError, "a[0]=Decimal('NaN')", id="lcs-decimal-nan"
    ),
    pytest.param(
        lambda: edit_distance("ab", "b", strategy="greedy"),
        ValueError,
        "strategy='greedy'",
        id="edit-strategy",
    ),
    pytest.param(
        lambda: edit_distance("a" * 20, "b" * 20, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="edit-naive-too-big",
    ),
    pytest.param(
        lambda: apply_operations("ab", "b", [("delete", 0)]),
        TypeError,
        "operations[0]=('delete', 0) must be a (kind, i, j) triple",
        id="edit-apply-short-operation",
    ),
    pytest.param(
        lambda: apply_operations("ab", "b", None),
        TypeError,
        "operations=None must be an iterable",
        id="edit-apply-none",
    ),
    pytest.param(
        lambda: apply_operations("ab", 3, []),
        TypeError,
        "b=3 must be a sequence",
        id="edit-apply-b",
    ),
    pytest.param(
        lambda: is_subsequence("a", 5),
        TypeError,
        "big=5 must be a sequence",
        id="lcs-is-subsequence",
    ),
    pytest.param(lambda: lcs("abc", None), TypeError, "b=None", id="lcs-none"),
    pytest.param(lambda: lcs([{}], "a"), TypeError, "a[0]={}", id="lcs-unhashable"),
    pytest.param(lambda: lcs("a", "b", strategy=1), TypeError, "strategy=1", id="lcs-strategy"),
    pytest.param(
        lambda: lcs("ab" * 15, "cd" * 15, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="lcs-naive-too-big",
    ),
    pytest.param(lambda: matrix_chain([]), ValueError, "dims=[]", id="chain-empty"),
    pytest.param(lambda: matrix_chain(None), TypeError, "dims=None", id="chain-none"),
    pytest.param(lambda: matrix_chain([10, 0, 5]), ValueError, "dims[1]=0", id="chain-zero"),
    pytest.param(lambda: matrix_chain([10, -3]), ValueError, "dims[1]=-3", id="chain-negative"),
    pytest.param(lambda: matrix_chain([10, 2.5, 3]), TypeError, "dims[1]=2.5", id="chain-float"),
    pytest.param(lambda: matrix_chain([True, 3]), TypeError, "dims[0]=True", id="chain-bool"),
    pytest.param(lambda: matrix_chain("123"), TypeError, "dims='123'", id="chain-str"),
    pytest.param(
        lambda: matrix_chain([2] * 20, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="chain-naive-too-big",
    ),
    pytest.param(
        lambda: shortest_path(None, 0, 1),
        TypeError,
        "G=None must be a networkx graph",
        id="shortest-not-a-graph",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1)]), 0, 99),
        ValueError,
        "target=99 is not a node of G",
        id="shortest-unknown-target",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1)]), [0], 1),
        TypeError,
        "source=[0]",
        id="shortest-unhashable-source",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1, "x")]), 0, 1),
        TypeError,
        "G[0][1]['weight']='x' must be a number",
        id="shortest-text-weight",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1, NAN)]), 0, 1),
        ValueError,
        "G[0][1]['weight']=nan",
        id="shortest-nan-weight",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1, math.inf)]), 0, 1),
        ValueError,
        "must be finite",
        id="shortest-inf-weight",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1, True)]), 0, 1),
        TypeError,
        "G[0][1]['weight']=True",
        id="shortest-bool-weight",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1)]), 0, 1, weight=3),
        TypeError,
        "weight=3",
        id="shortest-weight-option",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1, 1), (1, 0, -2)]), 0, 1),
        dp.NegativeCycleError,
        "negative cycle",
        id="shortest-negative-cycle",
    ),
    pytest.param(
        lambda: shortest_path(_graph([(0, 1)]), 0, 1, strategy="dijkstra"),
        ValueError,
        "strategy='dijkstra'",
        id="shortest-strategy",
    ),
    pytest.param(
        lambda: shortest_path(_complete(10), 0, 9, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="shortest-naive-too-big",
    ),
    pytest.param(lambda: all_pairs({0: 1}), TypeError, "G={0: 1}", id="all-pairs-not-a-graph"),
    pytest.param(
        lambda: all_pairs([[0, 1, 2, 3]]), ValueError, "G[0]=[0, 1, 2, 3]", id="all-pairs-bad-edge"
    ),
    pytest.param(lambda: all_pairs("01"), TypeError, "G='01'", id="all-pairs-string"),
    pytest.param(
        lambda: all_pairs(_graph([(0, 1, 2), (1, 2, -3), (2, 0, 0)])),
        dp.NegativeCycleError,
        "negative cycle",
        id="all-pairs-negative-cycle",
    ),
    pytest.param(
        lambda: all_pairs(_graph([(0, 1, "1")]), strategy="bottom_up"),
        TypeError,
        "G[0][1]['weight']='1'",
        id="all-pairs-text-weight",
    ),
    pytest.param(
        lambda: all_pairs(_complete(10), strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="all-pairs-naive-too-big",
    ),
    pytest.param(
        lambda: all_pairs(_nodes(9000)),
        ValueError,
        "G=<DiGraph with 9,000 nodes> is too large for strategy='fast'",
        id="all-pairs-fast-too-big",
    ),
    pytest.param(
        lambda: longest_path(_graph([(0, 1), (1, 0)])),
        dp.CycleError,
        "G must be a directed acyclic graph; it has the cycle [0, 1, 0]",
        id="longest-cycle",
    ),
    pytest.param(
        lambda: longest_path(_graph([(0, 1)]).to_undirected()),
        dp.CycleError,
        "G is undirected",
        id="longest-undirected",
    ),
    pytest.param(
        lambda: longest_path("G"), TypeError, "G='G' must be a networkx graph", id="longest-str"
    ),
    pytest.param(
        lambda: count_paths(_graph([(0, 1)]), "z", 1),
        ValueError,
        "source='z' is not a node of G",
        id="count-unknown-source",
    ),
    pytest.param(
        lambda: count_paths(_graph([(0, 1), (1, 2), (2, 0)]), 0, 2),
        dp.CycleError,
        "has the cycle",
        id="count-cycle",
    ),
    pytest.param(
        lambda: grid_paths(0, 3),
        ValueError,
        "rows=0 must be a positive integer",
        id="grid-zero-rows",
    ),
    pytest.param(lambda: grid_paths(3, 2.0), TypeError, "cols=2.0", id="grid-float-cols"),
    pytest.param(lambda: grid_paths(None, 2), TypeError, "rows=None", id="grid-none-rows"),
    pytest.param(
        lambda: grid_paths(3, 3, blocked=[(5, 0)]),
        ValueError,
        "blocked[0]=(5, 0) is outside the 3 x 3 grid",
        id="grid-blocked-outside",
    ),
    pytest.param(
        lambda: grid_paths(3, 3, blocked=[(1,)]),
        TypeError,
        "blocked[0]=(1,)",
        id="grid-blocked-short",
    ),
    pytest.param(
        lambda: grid_paths(3, 3, blocked="ab"), TypeError, "blocked='ab'", id="grid-blocked-str"
    ),
    pytest.param(
        lambda: grid_paths(30, 30, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="grid-naive-too-big",
    ),
    pytest.param(
        lambda: grid_paths(10**10, 10**10),
        ValueError,
        "rows=10000000000 is too large",
        id="grid-fast-too-big",
    ),
    # --- end of part B ---
    # --- sequence problems: alignment, edit-distance variants, dtw, viterbi ---
    pytest.param(lambda: alignment(None, "A"), TypeError, "a=None", id="align-none"),
    pytest.param(
        lambda: alignment("A", "C", mode="glocal"), ValueError, "mode='glocal'", id="align-mode"
    ),
    pytest.param(
        lambda: alignment("A", "C", gap=1), ValueError, "gap=1 must be <= 0", id="align-gap"
    ),
    pytest.param(
        lambda: alignment("A", "C", gap_open=-3),
        ValueError,
        "gap_open=-3 needs gap_extend",
        id="align-open",
    ),
    pytest.param(
        lambda: alignment("AJ", "A", matrix="BLOSUM62"),
        ValueError,
        "a[1]='J' is not in 'BLOSUM62'",
        id="align-matrix-letter",
    ),
    pytest.param(
        lambda: alignment("A", "A", matrix=[1]), TypeError, "matrix=[1]", id="align-matrix"
    ),
    pytest.param(
        lambda: alignment("A", "A", match=None), TypeError, "match=None", id="align-match"
    ),
    pytest.param(
        lambda: alignment("ACGT" * 5, "ACGT" * 5, strategy="naive"),
        RuntimeError,
        "strategy='naive'",
        id="align-naive-too-big",
    ),
    pytest.param(
        lambda: alignment("A" * 4000, "C" * 4000, strategy="top_down"),
        RuntimeError,
        "strategy='top_down' would compute up to",
        id="align-top-down-too-big",
    ),
    pytest.param(
        lambda: edit_distance("ab", "ba", variant="jaro"),
        ValueError,
        "variant='jaro'",
        id="edit-variant",
    ),
    pytest.param(
        lambda: edit_distance("ab", "ba", insert=-1), ValueError, "insert=-1", id="edit-weight"
    ),
    pytest.param(
        lambda: edit_distance("ab", "ba", variant="damerau", transpose=0.25),
        ValueError,
        "transpose=0.25 must be at least",
        id="edit-damerau-cheap-swap",
    ),
    pytest.param(lambda: dtw([], [1.0]), ValueError, "x=[] must not be empty", id="dtw-empty"),
    pytest.param(lambda: dtw([1.0], "ab"), TypeError, "y='ab'", id="dtw-str"),
    pytest.param(lambda: dtw([1.0, NAN], [1.0]), ValueError, "x[1]=nan", id="dtw-nan"),
    pytest.param(lambda: dtw([1, 2], [1], cost="cubic"), ValueError, "cost='cubic'", id="dtw-cost"),
    pytest.param(
        lambda: dtw([1, 2, 3], [1], window=1), ValueError, "window=1 is narrower", id="dtw-window"
    ),
    pytest.param(
        lambda: dtw(np.zeros((2, 2, 2)), [1.0]), ValueError, "shape (2, 2, 2)", id="dtw-3d"
    ),
    pytest.param(
        lambda: viterbi([], *HMM), ValueError, "observations=[] must not be empty", id="hmm-empty"
    ),
    pytest.param(
        lambda: viterbi(["cold"], HMM[0], {"Healthy": 0.9, "Fever": 0.4}, *HMM[2:]),
        ValueError,
        "start_p sums to 1.3",
        id="hmm-start-sum",
    ),
    pytest.param(
        lambda: viterbi([0, 5], ["a"], np.ones(1), np.ones((1, 1)), np.ones((1, 1))),
        ValueError,
        "observations[1]=5 must be a symbol in range(1)",
        id="hmm-symbol",
    ),
    pytest.param(
        lambda: viterbi(["cold"] * 30, *HMM, strategy="naive"),
        RuntimeError,
        "strategy='naive'",
        id="hmm-naive-too-big",
    ),
]


@pytest.mark.parametrize(("call", "exc", "fragment"), CASES)
def test_bad_input_fails_fast_with_a_named_argument(
    call: Callable[[], Any], exc: type[BaseException], fragment: str
) -> None:
    with pytest.raises(exc) as info:
        call()
    assert isinstance(info.value, dp.DPError)
    assert isinstance(info.value, (ValueError, TypeError, RuntimeError))
    assert fragment in str(info.value)
    if isinstance(info.value, dp.BudgetExceeded):  # every refused run reads the same
        assert re.fullmatch(
            r"strategy='(naive|top_down|bottom_up)' would .+ on this instance( \(more .+\))?; "
            r"use .+",
            str(info.value),
        ), str(info.value)
