"""interval_scheduling: every strategy against all subsets; the schedule is re-checked."""

from __future__ import annotations

import itertools
import random

import pytest
from dptoolkit.problems import interval_scheduling
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]
CLRS_START = [1, 3, 0, 5, 3, 5, 6, 8, 8, 2, 12]
CLRS_FINISH = [4, 5, 6, 7, 9, 9, 10, 11, 12, 14, 16]


def overlap(a, b):
    """Whether two (start, end) intervals share more than an end point (independent rule)."""
    return max(a[0], b[0]) < min(a[1], b[1])


def reference(jobs):
    best = 0
    for mask in range(1 << len(jobs)):
        chosen = [jobs[k] for k in range(len(jobs)) if mask >> k & 1]
        if all(a[1] <= b[0] or b[1] <= a[0] for a, b in itertools.combinations(chosen, 2)):
            best = max(best, sum(w for _, _, w in chosen))
    return best


def check(jobs, sol):
    idx = sol.indices
    assert idx == sorted(set(idx))
    assert all(0 <= k < len(jobs) for k in idx)
    for a, b in itertools.combinations(idx, 2):
        assert not overlap(jobs[a], jobs[b]), (jobs[a], jobs[b])
    assert sum(jobs[k][2] for k in idx) == sol.value


def instances(max_size=9, floats=False):
    coord = st.integers(0, 12)
    weight = st.floats(-5, 20, allow_nan=False) if floats else st.integers(0, 20)

    def triple(a, b, w):
        return (min(a, b), max(a, b), w)

    return st.lists(st.builds(triple, coord, coord, weight), max_size=max_size)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(jobs=instances())
def test_every_strategy_matches_all_subsets(strategy, jobs):
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    assert sol.value == reference(jobs)
    check(jobs, sol)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=30)
@given(jobs=instances(floats=True))
def test_float_and_negative_weights(strategy, jobs):
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    assert sol.value == pytest.approx(reference(jobs))
    idx = sol.indices
    assert all(jobs[k][2] > 0 for k in idx) or not idx
    assert sum(jobs[k][2] for k in idx) == pytest.approx(sol.value)


@settings(max_examples=30)
@given(jobs=instances(max_size=8))
def test_module_brute_force_agrees(jobs):
    value, idx = interval_scheduling.brute_force(jobs)
    assert value == reference(jobs)
    check(jobs, dp.Solution(value, strategy="x", witness={"indices": idx}))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_clrs_activities(strategy):
    jobs = [(s, f, 1) for s, f in zip(CLRS_START, CLRS_FINISH, strict=True)]
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    assert (sol.value, sol.indices) == (4, [0, 3, 7, 10])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_points_and_touching_ends(strategy):
    jobs = [(2, 2, 1), (0, 2, 1), (2, 2, 1), (2, 5, 1)]  # points at a shared end are compatible
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    assert sol.value == 4 == reference(jobs)
    check(jobs, sol)


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_larger_instances_agree(strategy):
    rng = random.Random(2)
    jobs = []
    for _ in range(2000):
        a = rng.uniform(0, 1000)
        jobs.append((a, a + rng.uniform(0, 30), rng.randint(1, 50)))
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    assert sol.value == interval_scheduling.solve(jobs, strategy="bottom_up").value
    check(jobs, sol)


def test_empty_and_compatible_helper():
    for strategy in STRATEGIES:
        sol = interval_scheduling.solve([], strategy=strategy)
        assert (sol.value, sol.indices) == (0, [])
    assert interval_scheduling.compatible([(0, 1, 1), (1, 2, 1)], [0, 1])
    assert not interval_scheduling.compatible([(0, 2, 1), (1, 3, 1)], [0, 1])


BAD = [
    pytest.param(
        [(3, 1, 2)], dp.InvalidInput, "intervals[0]=(3, 1, 2) ends before", id="end<start"
    ),
    pytest.param(
        [(0, 1)], dp.InvalidType, "intervals[0]=(0, 1) must be a (start, end, weight)", id="pair"
    ),
    pytest.param([(0, 1, "w")], dp.InvalidType, "intervals[0][2]='w'", id="str-weight"),
    pytest.param([(0, float("nan"), 1)], dp.InvalidInput, "intervals[0][1]=nan", id="nan-end"),
    pytest.param([(0, float("inf"), 1)], dp.InvalidInput, "intervals[0][1]=inf", id="inf-end"),
    pytest.param([(0, 1, 1), "abc"], dp.InvalidType, "intervals[1]='abc'", id="str-item"),
    pytest.param(None, dp.InvalidType, "intervals=None", id="none"),
    pytest.param("abc", dp.InvalidType, "intervals='abc'", id="str"),
]


@pytest.mark.parametrize(("jobs", "exc", "fragment"), BAD)
def test_bad_input_names_the_argument(jobs, exc, fragment):
    with pytest.raises(exc) as info:
        interval_scheduling.solve(jobs)
    assert fragment in str(info.value)


def test_size_refusals_come_before_any_work():
    disjoint = [(k, k + 1, 1) for k in range(25)]
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        interval_scheduling.solve(disjoint, strategy="naive")


def test_catalog_entry():
    problem = dp.catalog("weighted-interval-scheduling")
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="top_down").value == 8


def test_a_numpy_array_of_rows():
    import numpy as np

    jobs = np.array([[0, 3, 2], [1, 5, 4], [4, 6, 4.5]])
    sol = interval_scheduling.solve(jobs)
    assert (sol.value, sol.indices) == (6.5, [0, 2])
    with pytest.raises(dp.InvalidInput, match="one-dimensional"):
        interval_scheduling.solve(np.zeros((2, 2)))


@pytest.mark.parametrize("strategy", ["naive", "top_down", "bottom_up"])
@settings(max_examples=40)
@given(jobs=instances(max_size=7).map(lambda js: [(a, b, w % 3) for a, b, w in js]))
def test_count_and_witnesses_list_every_best_schedule(strategy, jobs):
    best = reference(jobs)
    schedules = set()
    for mask in range(1 << len(jobs)):
        chosen = [k for k in range(len(jobs)) if mask >> k & 1]
        if interval_scheduling.compatible(jobs, chosen) and sum(jobs[k][2] for k in chosen) == best:
            schedules.add(tuple(chosen))
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    listed = [tuple(w.indices) for w in sol.witnesses()]
    assert len(listed) == len(set(listed)) and set(listed) == schedules
    assert sol.count() == len(schedules)


def test_huge_integers_and_mixed_rows():
    big = 10**400
    jobs = [(0, big, 1), [big, big + 1, 2], (0.5, 1, 3)]
    assert interval_scheduling.solve(jobs).indices == [1, 2]
    with pytest.raises(dp.InvalidInput, match="intervals\\[0\\]"):
        interval_scheduling.solve([(big + 1, big, 1)])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_exact_weights_stay_exact(strategy):
    from decimal import Decimal
    from fractions import Fraction as F

    jobs = [(0, 2, F(1, 3)), (1, 3, F(1, 2)), (2, 4, F(1, 4)), (F(7, 2), 5, 1)]
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    assert type(sol.value) is F and sol.value == reference(jobs) == F(3, 2)
    jobs = [(0, 1, Decimal("0.1")), (1, 2, Decimal("0.2")), (Decimal("0.5"), 1.5, Decimal("0.25"))]
    sol = interval_scheduling.solve(jobs, strategy=strategy)
    assert type(sol.value) is Decimal and sol.value == Decimal("0.3")


def test_weights_of_two_kinds_are_refused_by_name():
    from fractions import Fraction as F

    with pytest.raises(
        dp.InvalidType,
        match=r"intervals\[1\]\[2\]=0.5 is a float but intervals\[0\]\[2\] is a Fraction",
    ):
        interval_scheduling.solve([(0, 1, F(1, 2)), (1, 2, 0.5)])
    with pytest.raises(dp.InvalidInput, match="not NaN"):
        interval_scheduling.solve([(0, 1, __import__("decimal").Decimal("NaN"))])
