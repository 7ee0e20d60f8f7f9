"""tsp: every strategy against all permutations, networkx's Hamiltonian cycles and python-tsp."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from dptoolkit.problems import tsp
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]
HOROWITZ_SAHNI = [[0, 10, 15, 20], [5, 0, 9, 10], [6, 13, 0, 12], [8, 8, 9, 0]]


def reference(D):
    """The shortest tour length over every permutation (independent of the module)."""
    n = len(D)
    return min(
        sum(D[a][b] if a != b else 0 for a, b in itertools.pairwise((0, *order, 0)))
        for order in itertools.permutations(range(1, n))
    )


def check_tour(D, sol, nodes=None):
    """The tour is a closed permutation of the cities starting at city 0, of the reported length."""
    nodes = list(range(len(D))) if nodes is None else nodes
    tour = sol.tour
    assert tour[0] == tour[-1] == nodes[0]
    assert sorted(tour[:-1], key=nodes.index) == nodes or len(nodes) == 1
    index = {node: i for i, node in enumerate(nodes)}
    length = sum(D[index[a]][index[b]] if a != b else 0 for a, b in itertools.pairwise(tour))
    assert math.isclose(length, sol.value, rel_tol=1e-9, abs_tol=1e-9)


def matrices(max_n=6, floats=False):
    def square(n):
        entry = (
            st.floats(0, 100, allow_nan=False, allow_infinity=False)
            if floats
            else st.integers(0, 50)
        )
        return st.lists(st.lists(entry, min_size=n, max_size=n), min_size=n, max_size=n)

    return st.integers(1, max_n).flatmap(square)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=40)
@given(D=matrices())
def test_every_strategy_matches_all_permutations(strategy, D):
    sol = tsp.solve(D, strategy=strategy)
    assert sol.value == reference(D)
    check_tour(D, sol)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=25)
@given(D=matrices(floats=True))
def test_float_distances(strategy, D):
    sol = tsp.solve(D, strategy=strategy)
    assert math.isclose(sol.value, reference(D), rel_tol=1e-9, abs_tol=1e-9)
    check_tour(D, sol)


@settings(max_examples=25)
@given(D=matrices())
def test_module_brute_force_agrees(D):
    value, tour = tsp.brute_force(D)
    assert value == reference(D)
    check_tour(D, dp.Solution(value, strategy="x", witness={"tour": tour}))


def hamiltonian_reference(G):
    """The lightest Hamiltonian cycle, found among networkx's simple cycles (an outside oracle)."""
    best = math.inf
    for cycle in nx.simple_cycles(G):
        if len(cycle) == len(G):
            closed = [*cycle, cycle[0]]
            best = min(best, sum(G[a][b]["weight"] for a, b in itertools.pairwise(closed)))
    return best


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=20)
@given(n=st.integers(3, 6), seed=st.integers(0, 10**6), directed=st.booleans())
def test_networkx_graphs_against_simple_cycles(strategy, n, seed, directed):
    rng = np.random.default_rng(seed)
    G = nx.complete_graph(n, create_using=nx.DiGraph if directed else nx.Graph)
    G = nx.relabel_nodes(G, {i: f"c{i}" for i in range(n)})
    for u, v in G.edges:
        G[u][v]["weight"] = int(rng.integers(1, 30))
    sol = tsp.solve(G, strategy=strategy)
    oracle = hamiltonian_reference(G if directed else G.to_directed())
    assert sol.value == oracle
    nodes = list(G)
    D = [[0 if u == v else G[u][v]["weight"] for v in nodes] for u in nodes]
    check_tour(D, sol, nodes)


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_python_tsp_agrees(strategy):
    exact = pytest.importorskip("python_tsp.exact")
    rng = np.random.default_rng(7)
    for n in (5, 7, 9):
        D = rng.integers(1, 100, (n, n))
        np.fill_diagonal(D, 0)
        _, theirs = exact.solve_tsp_dynamic_programming(D)
        sol = tsp.solve(D, strategy=strategy)
        assert sol.value == int(theirs)
        check_tour(D.tolist(), sol)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_horowitz_sahni_instance(strategy):
    sol = tsp.solve(HOROWITZ_SAHNI, strategy=strategy)
    assert (sol.value, sol.tour) == (35, [0, 1, 3, 2, 0])


def test_asymmetric_distances_are_travelled_in_order():
    one_way = [[0, 1, 9], [9, 0, 1], [1, 9, 0]]
    assert tsp.solve(one_way).tour == [0, 1, 2, 0]
    assert tsp.tour_length(one_way, [0, 2, 1, 0]) == 27


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_larger_instances_agree(strategy):
    rng = np.random.default_rng(3)
    D = rng.integers(0, 1000, (11, 11))
    sol = tsp.solve(D, strategy=strategy)
    assert sol.value == tsp.solve(D, strategy="top_down").value
    check_tour(D.tolist(), sol)


def test_huge_integers_stay_exact():
    D = [[0, 10**20, 3], [1, 0, 10**20 + 1], [10**20 + 7, 5, 0]]
    assert tsp.solve(D).value == reference(D) == tsp.solve(D, strategy="bottom_up").value


def test_one_and_two_cities():
    for strategy in STRATEGIES:
        assert (tsp.solve([[0]], strategy=strategy).tour, tsp.solve([[0]]).value) == ([0, 0], 0)
        sol = tsp.solve(np.array([[0.0, 2.5], [1.5, 0.0]]), strategy=strategy)
        assert (sol.value, sol.tour) == (4.0, [0, 1, 0])


def test_the_diagonal_is_ignored():
    D = [[7, 1, 2], [1, 9, 3], [2, 3, 5]]
    assert tsp.solve(D).value == 6


BAD = [
    pytest.param([[0, -1], [1, 0]], dp.InvalidInput, "D[0][1]=-1 must be non-negative", id="neg"),
    pytest.param([[0, math.nan], [1, 0]], dp.InvalidInput, "D[0][1]=nan", id="nan"),
    pytest.param([[0, math.inf], [1, 0]], dp.InvalidInput, "D[0][1]=inf", id="inf"),
    pytest.param([[0, 1, 2], [1, 0]], dp.InvalidInput, "D[0] has 3 entries", id="ragged"),
    pytest.param([[0, 1], [1, 0], [2, 2]], dp.InvalidInput, "D must be square", id="tall"),
    pytest.param(np.zeros((2, 3)), dp.InvalidInput, "D[0] has 3 entries", id="array-not-square"),
    pytest.param(np.zeros(3), dp.InvalidInput, "shape (3,)", id="array-1d"),
    pytest.param([], dp.InvalidInput, "at least one city", id="empty"),
    pytest.param(None, dp.InvalidType, "D=None", id="none"),
    pytest.param("abc", dp.InvalidType, "D='abc'", id="str"),
    pytest.param([[0, "x"], [1, 0]], dp.InvalidType, "D[0][1]='x'", id="str-entry"),
    pytest.param([[0, True], [1, 0]], dp.InvalidType, "D[0][1]=True", id="bool-entry"),
    pytest.param([1, 2], dp.InvalidType, "D[0]=1 must be a row", id="flat"),
    pytest.param(nx.path_graph(3), dp.InvalidInput, "D has no edge (0, 2)", id="incomplete"),
    pytest.param(nx.MultiGraph([(0, 1)]), dp.InvalidType, "multigraph", id="multigraph"),
    pytest.param([[0] * 28] * 28, dp.InvalidInput, "D has 28 cities", id="too-many-cities"),
]


@pytest.mark.parametrize(("D", "exc", "fragment"), BAD)
def test_bad_input_names_the_argument(D, exc, fragment):
    with pytest.raises(exc, match=None) as info:
        tsp.solve(D)
    assert fragment in str(info.value)
    assert isinstance(info.value, (ValueError, TypeError))


def test_negative_graph_weight():
    G = nx.complete_graph(3)
    G[0][1]["weight"] = -2
    with pytest.raises(dp.InvalidInput, match=r"D\[0\]\[1\]\['weight'\]=-2"):
        tsp.solve(G)


def test_size_refusals_come_before_any_work():
    with pytest.raises(dp.InvalidInput, match=r"too large for strategy='fast'.*GiB"):
        tsp.solve([[1] * 27] * 27)
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        tsp.solve([[1] * 11] * 11, strategy="naive")
    with pytest.raises(dp.BudgetExceeded, match="strategy='bottom_up'"):
        tsp.solve([[1] * 23] * 23, strategy="bottom_up")
    with pytest.raises(dp.BudgetExceeded, match="strategy='top_down'"):
        tsp.solve([[1] * 23] * 23, strategy="top_down")


def test_bad_strategy_and_weight():
    with pytest.raises(dp.InvalidInput, match="strategy='greedy'"):
        tsp.solve([[0]], strategy="greedy")
    with pytest.raises(dp.InvalidType, match="weight=3"):
        tsp.solve(nx.complete_graph(3), weight=3)


def test_catalog_entry():
    problem = dp.catalog("tsp")
    assert problem.witness == ("tour",)
    assert dp.catalog("travelling-salesman") is problem
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="bottom_up").value == 35


@pytest.mark.parametrize("strategy", ["naive", "top_down", "bottom_up"])
@settings(max_examples=30)
@given(D=matrices(max_n=5).map(lambda D: [[x % 3 for x in row] for row in D]))
def test_count_and_witnesses_list_every_shortest_tour(strategy, D):
    n = len(D)
    best = reference(D)
    tours = {
        (0, *order, 0)
        for order in itertools.permutations(range(1, n))
        if sum(D[a][b] if a != b else 0 for a, b in itertools.pairwise((0, *order, 0))) == best
    }
    sol = tsp.solve(D, strategy=strategy)
    listed = [tuple(w.tour) for w in sol.witnesses()]
    assert len(listed) == len(set(listed))
    assert set(listed) == (tours if n > 1 else {(0, 0)})
    assert sol.count() == len(listed)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_exact_distances_stay_exact(strategy):
    from decimal import Decimal
    from fractions import Fraction as F

    M = [[0, F(1, 3), F(1, 2)], [F(1, 5), 0, F(2, 3)], [1, F(1, 7), 0]]
    value = tsp.solve(M, strategy=strategy).value
    assert type(value) is F and value == reference(M)
    M = [[0, Decimal("0.1"), 1], [Decimal("0.3"), 0, Decimal("0.1")], [Decimal("0.7"), 2, 0]]
    value = tsp.solve(M, strategy=strategy).value
    assert type(value) is Decimal and value == reference(M)


def test_a_mix_that_would_round_is_refused_by_name():
    from fractions import Fraction as F

    with pytest.raises(
        dp.InvalidType, match=r"D\[1\]\[0\]=0.5 is a float but D\[0\]\[1\] is a Fraction"
    ):
        tsp.solve([[0, F(1, 2)], [0.5, 0]])
