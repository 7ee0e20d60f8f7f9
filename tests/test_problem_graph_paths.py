"""graph_paths: every strategy against enumerated simple paths, and networkx as an oracle."""

from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import pytest
from dptoolkit.problems import graph_paths as gp
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]


# ---------------------------------------------------------------- graphs and references


@st.composite
def digraphs(draw, max_nodes=5, low=-3, high=8, dag=False):
    n = draw(st.integers(1, max_nodes))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v and (not dag or u < v)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    )
    for u, v in chosen:
        G.add_edge(u, v, weight=draw(st.integers(low, high)))
    if dag:  # relabel so node order is not a topological order
        perm = draw(st.permutations(range(n)))
        G = nx.relabel_nodes(G, dict(enumerate(perm)))
    return G


def weight_of(G, path, weight="weight"):
    return sum(G[u][v].get(weight, 1) for u, v in itertools.pairwise(path))


def negative_cycles(G, among=None):
    """Simple cycles of negative weight (through nodes of `among` when given)."""
    found = []
    for cycle in nx.simple_cycles(G):
        closed = [*cycle, cycle[0]]
        if weight_of(G, closed) < 0 and (among is None or set(cycle) & among):
            found.append(closed)
    return found


def lightest(G, s, t):
    """The lightest simple path by enumeration (valid without a reachable negative cycle)."""
    if s == t:
        return 0
    weights = [weight_of(G, p) for p in nx.all_simple_paths(G, s, t)]
    return min(weights, default=math.inf)


def check_path(G, path, s, t, value, weight="weight"):
    assert path[0] == s and path[-1] == t
    assert all(G.has_edge(u, v) for u, v in itertools.pairwise(path))
    assert weight_of(G, path, weight) == value


def check_cycle(G, cycle):
    assert len(cycle) >= 2 and cycle[0] == cycle[-1]
    assert all(G.has_edge(u, v) for u, v in itertools.pairwise(cycle))
    assert weight_of(G, cycle) < 0


def solve_or_none(call):
    """Run a solver; None when naive refuses the instance as too big."""
    try:
        return call()
    except dp.BudgetExceeded:
        return None


# ---------------------------------------------------------------- shortest_path


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=100)
@given(G=digraphs(), data=st.data())
def test_shortest_path_against_all_simple_paths(strategy, G, data):
    s = data.draw(st.sampled_from(sorted(G)))
    t = data.draw(st.sampled_from(sorted(G)))
    reachable = nx.descendants(G, s) | {s}
    if negative_cycles(G.subgraph(reachable)):
        with pytest.raises(dp.NegativeCycleError) as info:
            gp.shortest_path(G, s, t, strategy=strategy)
        check_cycle(G, info.value.cycle)
        assert set(info.value.cycle) <= reachable
        return
    sol = solve_or_none(lambda: gp.shortest_path(G, s, t, strategy=strategy))
    if sol is None:
        return
    expected = lightest(G, s, t)
    assert sol.value == expected
    if expected == math.inf:
        assert sol.path is None
    else:
        check_path(G, sol.path, s, t, expected)


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_shortest_path_against_networkx_on_larger_graphs(strategy):
    rng = random.Random(1)
    for trial in range(3):
        G = nx.gnp_random_graph(25, 0.15, seed=trial, directed=True)
        for u, v in G.edges:
            G[u][v]["weight"] = rng.randint(-2 if u < v else 1, 9)  # negative arcs only forward
        if nx.negative_edge_cycle(G):
            continue
        lengths = nx.single_source_bellman_ford_path_length(G, 0)
        for t in (5, 13, 24):
            sol = gp.shortest_path(G, 0, t, strategy=strategy)
            assert sol.value == lengths.get(t, math.inf)
            if t in lengths:
                check_path(G, sol.path, 0, t, lengths[t])


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_negative_cycle_on_a_larger_graph_agrees_with_networkx(strategy):
    G = nx.gnp_random_graph(20, 0.2, seed=7, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = 3
    G.add_edge(4, 9, weight=-10)
    G.add_edge(9, 4, weight=2)
    assert nx.negative_edge_cycle(G)
    source = next(s for s in G if 4 in nx.descendants(G, s))
    with pytest.raises(dp.NegativeCycleError) as info:
        gp.shortest_path(G, source, 0, strategy=strategy)
    check_cycle(G, info.value.cycle)


def test_unreachable_target_and_same_node():
    G = nx.DiGraph([(0, 1), (2, 3)])
    for strategy in STRATEGIES:
        sol = gp.shortest_path(G, 0, 3, strategy=strategy)
        assert sol.value == math.inf and sol.path is None
        same = gp.shortest_path(G, 2, 2, strategy=strategy)
        assert (same.value, same.path) == (0, [2])


def test_missing_weights_default_to_one_and_weight_none_ignores_them():
    G = nx.DiGraph()
    G.add_edge("a", "b", cost=5)
    G.add_edge("b", "c")  # no cost: counts 1
    G.add_edge("a", "c", cost=10)
    for strategy in STRATEGIES:
        by_cost = gp.shortest_path(G, "a", "c", weight="cost", strategy=strategy)
        assert (by_cost.value, by_cost.path) == (6, ["a", "b", "c"])
        plain = gp.shortest_path(G, "a", "c", strategy=strategy)  # no 'weight' anywhere
        assert (plain.value, plain.path) == (1, ["a", "c"])
        assert gp.shortest_path(G, "a", "c", weight=None, strategy=strategy).value == 1


def test_undirected_graphs_are_two_arcs_per_edge():
    G = nx.Graph()
    G.add_weighted_edges_from([(0, 1, 2), (1, 2, 2), (0, 2, 5)])
    for strategy in STRATEGIES:
        sol = gp.shortest_path(G, 2, 0, strategy=strategy)
        assert (sol.value, sol.path) == (4, [2, 1, 0])
    G.add_edge(1, 3, weight=-1)
    with pytest.raises(dp.NegativeCycleError) as info:
        gp.shortest_path(G, 0, 2)
    assert info.value.cycle in ([1, 3, 1], [3, 1, 3])


def test_multigraph_uses_the_lightest_parallel_edge():
    G = nx.MultiDiGraph()
    G.add_edge(0, 1, weight=5)
    G.add_edge(0, 1, weight=2)
    G.add_edge(1, 2, weight=1)
    for strategy in STRATEGIES:
        assert gp.shortest_path(G, 0, 2, strategy=strategy).value == 3


def test_float_weights():
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 0.5), (1, 2, 0.25), (0, 2, 1.0)])
    for strategy in STRATEGIES:
        sol = gp.shortest_path(G, 0, 2, strategy=strategy)
        assert sol.value == pytest.approx(0.75) and sol.path == [0, 1, 2]


# ---------------------------------------------------------------- all pairs


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(G=digraphs(max_nodes=4))
def test_all_pairs_against_all_simple_paths(strategy, G):
    if negative_cycles(G):
        with pytest.raises(dp.NegativeCycleError) as info:
            gp.all_pairs_shortest_paths(G, strategy=strategy)
        check_cycle(G, info.value.cycle)
        return
    sol = solve_or_none(lambda: gp.all_pairs_shortest_paths(G, strategy=strategy))
    if sol is None:
        return
    for u in G:
        for v in G:
            expected = lightest(G, u, v)
            assert sol.value[u][v] == expected
            path = sol.path(u, v)
            if expected == math.inf:
                assert path is None
            else:
                check_path(G, path, u, v, expected)


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_all_pairs_against_networkx_floyd_warshall(strategy):
    rng = random.Random(3)
    G = nx.gnp_random_graph(14, 0.3, seed=3, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = rng.randint(-1 if u < v else 2, 9)
    assert not nx.negative_edge_cycle(G)
    expected = nx.floyd_warshall(G)
    sol = gp.all_pairs_shortest_paths(G, strategy=strategy)
    assert sol.value == {u: dict(row) for u, row in expected.items()}
    for u, v in [(0, 13), (13, 0), (5, 7)]:
        if expected[u][v] < math.inf:
            check_path(G, sol.path(u, v), u, v, expected[u][v])


def test_all_pairs_fast_on_a_bigger_float_graph():
    rng = random.Random(8)
    G = nx.gnp_random_graph(80, 0.1, seed=8, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = rng.uniform(0.1, 5.0)
    expected = nx.floyd_warshall(G)
    sol = gp.all_pairs_shortest_paths(G)
    for u in (0, 17, 79):
        for v in G:
            assert sol.value[u][v] == pytest.approx(expected[u][v])
            if expected[u][v] < math.inf:
                assert weight_of(G, sol.path(u, v)) == pytest.approx(expected[u][v])


def test_all_pairs_huge_integer_weights_stay_exact():
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 2**60 + 1), (1, 2, 2**60 + 3), (0, 2, 2**62)])
    for strategy in ("bottom_up", "fast"):
        assert gp.all_pairs_shortest_paths(G, strategy=strategy).value[0][2] == 2**61 + 4


def test_all_pairs_value_is_a_mapping_and_paths_check_nodes():
    G = nx.DiGraph([("a", "b")])
    sol = gp.all_pairs_shortest_paths(G)
    assert dict(sol.value["a"]) == {"a": 0, "b": 1}
    assert sol.value["b"]["a"] == math.inf
    assert sol.path("a", "a") == ["a"]
    with pytest.raises(dp.InvalidInput, match="v='z' is not a node of G"):
        sol.path("a", "z")
    assert gp.all_pairs_shortest_paths(nx.DiGraph()).value == {}


def test_all_pairs_undirected_negative_edge_is_a_cycle():
    G = nx.Graph()
    G.add_edge("x", "y", weight=-1)
    with pytest.raises(dp.NegativeCycleError) as info:
        gp.all_pairs_shortest_paths(G)
    assert (
        sorted(info.value.cycle[:2]) == ["x", "y"] and info.value.cycle[0] == info.value.cycle[-1]
    )


# ---------------------------------------------------------------- longest path


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(G=digraphs(max_nodes=6, dag=True))
def test_longest_path_against_all_simple_paths(strategy, G):
    sol = solve_or_none(lambda: gp.longest_path(G, strategy=strategy))
    if sol is None:
        return
    best = 0  # a single node is a path of weight 0
    for u, v in itertools.permutations(G, 2):
        for path in nx.all_simple_paths(G, u, v):
            best = max(best, weight_of(G, path))
    assert sol.value == best
    assert sol.path[0] in G and weight_of(G, sol.path) == best
    assert all(G.has_edge(u, v) for u, v in itertools.pairwise(sol.path))


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_longest_path_against_networkx(strategy):
    rng = random.Random(2)
    G = nx.gnp_random_graph(120, 0.05, seed=2, directed=True)
    G = nx.DiGraph([(u, v, {"weight": rng.randint(1, 20)}) for u, v in G.edges if u < v])
    sol = gp.longest_path(G, strategy=strategy)
    assert sol.value == nx.dag_longest_path_length(G)
    assert weight_of(G, sol.path) == sol.value


def test_longest_path_edge_cases():
    assert gp.longest_path(nx.DiGraph()).path == []
    for strategy in STRATEGIES:
        empty = gp.longest_path(nx.DiGraph(), strategy=strategy)
        assert (empty.value, empty.path) == (0, [])
        G = nx.DiGraph()
        G.add_edge(0, 1, weight=-5)
        sol = gp.longest_path(G, strategy=strategy)
        assert sol.value == 0 and len(sol.path) == 1


@pytest.mark.parametrize("call", [lambda G: gp.longest_path(G), lambda G: gp.count_paths(G, 0, 2)])
def test_dag_problems_refuse_cycles_and_show_them(call):
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])
    with pytest.raises(dp.CycleError, match=r"G must be a directed acyclic graph") as info:
        call(G)
    cycle = info.value.cycle
    assert cycle[0] == cycle[-1] and all(G.has_edge(u, v) for u, v in itertools.pairwise(cycle))
    with pytest.raises(dp.CycleError, match="undirected"):
        call(nx.path_graph(3))


# ---------------------------------------------------------------- count paths


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(G=digraphs(max_nodes=6, dag=True), data=st.data())
def test_count_paths_against_all_simple_paths(strategy, G, data):
    s = data.draw(st.sampled_from(sorted(G)))
    t = data.draw(st.sampled_from(sorted(G)))
    sol = solve_or_none(lambda: gp.count_paths(G, s, t, strategy=strategy))
    if sol is None:
        return
    expected = 1 if s == t else sum(1 for _ in nx.all_simple_paths(G, s, t))
    assert sol.value == expected


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_count_paths_counts_parallel_arcs(strategy):
    G = nx.MultiDiGraph([(0, 1), (0, 1), (1, 2), (0, 2), (1, 2), (1, 2)])
    expected = sum(1 for _ in nx.all_simple_edge_paths(G, 0, 2))
    assert expected == 7
    assert gp.count_paths(G, 0, 2, strategy=strategy).value == expected


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_count_paths_is_exact_beyond_int64(strategy):
    G = nx.DiGraph()
    for k in range(80):  # a ladder: each rung doubles the count
        G.add_edge(("a", k), ("a", k + 1))
        G.add_edge(("a", k), ("b", k))
        G.add_edge(("b", k), ("a", k + 1))
    assert gp.count_paths(G, ("a", 0), ("a", 80), strategy=strategy).value == 2**80


# ---------------------------------------------------------------- grid paths


def monotone_paths(rows, cols, blocked):
    """Enumerate every right/down move sequence and keep those avoiding blocked cells."""
    moves = rows + cols - 2
    count = 0
    for downs in itertools.combinations(range(moves), rows - 1):
        r = c = 0
        ok = (0, 0) not in blocked
        for step in range(moves):
            if step in downs:
                r += 1
            else:
                c += 1
            ok = ok and (r, c) not in blocked
        count += ok
    return count


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=80)
@given(
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
    cells=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=6),
)
def test_grid_paths_against_enumeration(strategy, rows, cols, cells):
    blocked = {(r, c) for r, c in cells if r < rows and c < cols}
    sol = solve_or_none(lambda: gp.grid_paths(rows, cols, blocked=blocked, strategy=strategy))
    if sol is not None:
        assert sol.value == monotone_paths(rows, cols, blocked)


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_grid_paths_unblocked_is_a_binomial(strategy):
    for rows, cols in [(1, 1), (1, 9), (7, 3), (40, 45)]:
        sol = gp.grid_paths(rows, cols, strategy=strategy)
        assert sol.value == math.comb(rows + cols - 2, rows - 1)


def test_grid_paths_fast_large_binomials_are_exact():
    # large enough for the prime-factorized binomial, small enough for math.comb
    for rows, cols, blocked in [(3000, 2500, []), (2049, 4000, [(1000, 1000)]), (5000, 70, [])]:
        expected = math.comb(rows + cols - 2, rows - 1)
        if blocked:
            (i, j), end = blocked[0], (rows - 1, cols - 1)
            expected -= math.comb(i + j, i) * math.comb(end[0] - i + end[1] - j, end[0] - i)
        assert gp.grid_paths(rows, cols, blocked=blocked).value == expected


def test_grid_paths_fast_sweep_and_inclusion_exclusion_agree_with_the_table():
    rng = random.Random(6)
    for rows, cols, count in [(30, 50, 3), (50, 30, 400), (60, 60, 40)]:
        blocked = {(rng.randrange(rows), rng.randrange(cols)) for _ in range(count)}
        blocked -= {(0, 0), (rows - 1, cols - 1)}
        fast = gp.grid_paths(rows, cols, blocked=blocked, strategy="fast").value
        assert fast == gp.grid_paths(rows, cols, blocked=blocked, strategy="bottom_up").value


def test_grid_paths_blocked_start_or_end():
    for strategy in STRATEGIES:
        assert gp.grid_paths(3, 3, blocked=[(0, 0)], strategy=strategy).value == 0
        assert gp.grid_paths(3, 3, blocked=[[2, 2]], strategy=strategy).value == 0


# ---------------------------------------------------------------- catalog and CLI hooks


@pytest.mark.parametrize(
    "name",
    ["shortest_path", "all_pairs_shortest_paths", "longest_path", "count_paths", "grid_paths"],
)
def test_catalog_entries_solve_their_examples_every_way(name):
    problem = dp.catalog(name)
    args = problem.coerce(list(problem.example)) if problem.coerce else problem.example
    values = {}
    for strategy in problem.strategies:
        sol = problem.solve(*args, strategy=strategy)
        values[strategy] = sol.value
    assert len({repr(v) for v in values.values()}) == 1, values
    rec, goal = problem.build(*args)
    assert rec.solve(*goal, strategy="top_down") is not None


def test_coerce_turns_edge_lists_into_digraphs():
    G, s, t = dp.catalog("shortest_path").coerce([[["a", "b", 2], ["b", "c"]], "a", "c"])
    assert isinstance(G, nx.DiGraph) and G["a"]["b"]["weight"] == 2 and "weight" not in G["b"]["c"]
    assert gp.shortest_path(G, s, t).value == 3
    (H,) = dp.catalog("all_pairs_shortest_paths").coerce([[[[0, 1], [0, 2]]]])
    assert H.has_edge((0, 1), (0, 2))
    with pytest.raises(dp.InvalidInput, match=r"G\[0\]"):
        dp.catalog("longest_path").coerce([[[1, 2, 3, 4]]])
