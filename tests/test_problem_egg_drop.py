"""egg_drop: every strategy against the decision-tree search and the binomial formula."""

from __future__ import annotations

import math

import pytest
from dptoolkit.problems import egg_drop
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]


def by_binomials(eggs, floors):
    """Least d with sum_{i=1..eggs} C(d, i) >= floors, by counting up (outside formula)."""
    d = 0
    while sum(math.comb(d, i) for i in range(1, eggs + 1)) < floors:
        d += 1
    return d


def play(sol, eggs, floors, critical):
    """Drops the recorded strategy makes when the critical floor is `critical`; checks it finds it."""
    lo, hi, e, count = 0, floors, eggs, 0  # the critical floor lies in lo .. hi
    while lo < hi:
        f = hi - lo
        x = 1 if e == 1 else sol.choices[e, f]  # drop at the x-th floor still open
        floor = lo + x
        count += 1
        if floor > critical:  # it breaks
            e, hi = e - 1, floor - 1
        else:
            lo = floor
        assert e >= 1 or lo == hi
    assert lo == critical
    return count


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=40)
@given(eggs=st.integers(1, 4), floors=st.integers(0, 9))
def test_every_strategy_matches_the_decision_tree_search(strategy, eggs, floors):
    assert egg_drop.solve(eggs, floors, strategy=strategy).value == egg_drop.brute_force(
        eggs, floors
    )


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
@settings(max_examples=40)
@given(eggs=st.integers(1, 6), floors=st.integers(0, 60))
def test_larger_buildings_match_the_binomial_formula(strategy, eggs, floors):
    assert egg_drop.solve(eggs, floors, strategy=strategy).value == by_binomials(eggs, floors)


@pytest.mark.parametrize("strategy", ["naive", "top_down", "bottom_up"])
@settings(max_examples=30)
@given(eggs=st.integers(1, 4), floors=st.integers(0, 12))
def test_the_recorded_first_drops_are_a_strategy_that_meets_the_value(strategy, eggs, floors):
    if strategy == "naive" and floors > 8:
        floors = 8
    sol = egg_drop.solve(eggs, floors, strategy=strategy)
    worst = max(play(sol, eggs, floors, c) for c in range(floors + 1))
    assert worst == sol.value


def test_huge_instances_answer_by_the_fast_recurrence():
    assert egg_drop.solve(100, 10**18).value == 60  # 2^60 > 10^18 >= 2^59: a binary search
    assert egg_drop.solve(2, 10**18).value == by_binomials_two(10**18)
    assert egg_drop.solve(1, 10**18).value == 10**18
    assert egg_drop.solve(3, 10**6).value == by_binomials(3, 10**6)


def by_binomials_two(n):
    d = math.isqrt(2 * n)
    while d * (d + 1) // 2 < n:
        d += 1
    while d > 0 and (d - 1) * d // 2 >= n:
        d -= 1
    return d


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_textbook_values(strategy):
    assert egg_drop.solve(2, 10, strategy=strategy).value == 4
    assert egg_drop.solve(1, 7, strategy=strategy).value == 7
    assert egg_drop.solve(3, 0, strategy=strategy).value == 0


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_two_eggs_hundred_floors(strategy):
    assert egg_drop.solve(2, 100, strategy=strategy).value == 14


def test_covered():
    assert [egg_drop.covered(d, 2) for d in range(6)] == [0, 1, 3, 6, 10, 15]
    assert egg_drop.covered(10, 20) == 2**10 - 1


BAD = [
    pytest.param((0, 5), dp.InvalidInput, "eggs=0 must be a positive integer", id="no-eggs"),
    pytest.param((-1, 5), dp.InvalidInput, "eggs=-1", id="negative-eggs"),
    pytest.param((2, -3), dp.InvalidInput, "floors=-3 must be a non-negative integer", id="neg"),
    pytest.param((2.0, 5), dp.InvalidType, "eggs=2.0", id="float-eggs"),
    pytest.param((2, None), dp.InvalidType, "floors=None", id="none-floors"),
    pytest.param((True, 5), dp.InvalidType, "eggs=True", id="bool-eggs"),
]


@pytest.mark.parametrize(("args", "exc", "fragment"), BAD)
def test_bad_input_names_the_argument(args, exc, fragment):
    with pytest.raises(exc) as info:
        egg_drop.solve(*args)
    assert fragment in str(info.value)


def test_size_refusals_come_before_any_work():
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        egg_drop.solve(3, 40, strategy="naive")
    with pytest.raises(dp.BudgetExceeded, match="strategy='bottom_up'"):
        egg_drop.solve(100, 10**18, strategy="bottom_up")
    with pytest.raises(dp.BudgetExceeded, match="strategy='top_down'"):
        egg_drop.solve(100, 10**18, strategy="top_down")


def test_catalog_entry():
    problem = dp.catalog("egg-drop")
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="top_down").value == 4


def test_naive_on_a_huge_building_is_refused_at_once():
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        egg_drop.solve(2, 10**18, strategy="naive")
