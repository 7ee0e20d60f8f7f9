"""dtw: every strategy against all warping paths and dtaidistance; paths re-costed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from dptoolkit.problems import _ckernels, dtw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]


@pytest.fixture(params=["c", "python"])
def kernel(request, monkeypatch):
    if request.param == "c":
        if _ckernels.C is None:
            pytest.skip("dptoolkit._ckernels is not built")
    else:
        monkeypatch.setattr(_ckernels, "C", None)
    return request.param


def recost(x, y, path, cost):
    """Check a warping path by hand and sum its costs."""
    assert path[0] == (0, 0) and path[-1] == (len(x) - 1, len(y) - 1)
    for (i, j), (p, q) in itertools.pairwise(path):
        assert (p - i, q - j) in ((1, 0), (0, 1), (1, 1))
    if cost == "absolute":
        return sum(abs(x[i] - y[j]) for i, j in path)
    return sum((x[i] - y[j]) ** 2 for i, j in path)


series = st.lists(st.integers(-3, 3), min_size=1, max_size=5)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60, deadline=None)
@given(
    x=series,
    y=series,
    cost=st.sampled_from(["absolute", "squared"]),
    extra=st.sampled_from([None, 0, 1, 2]),
)
def test_every_strategy_matches_all_warping_paths(strategy, x, y, cost, extra):
    window = None if extra is None else abs(len(x) - len(y)) + extra
    sol = dtw.solve(x, y, window=window, cost=cost, strategy=strategy)
    expected = dtw.brute_force(x, y, window=window, cost=cost)
    assert sol.value == expected
    assert recost(x, y, sol.path, cost) == expected
    if window is not None:
        assert all(abs(i - j) <= window for i, j in sol.path)


@pytest.mark.parametrize("cost", ["absolute", "squared"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    x=st.lists(st.floats(-100, 100), min_size=1, max_size=40),
    y=st.lists(st.floats(-100, 100), min_size=1, max_size=40),
    extra=st.sampled_from([None, 0, 3]),
)
def test_fast_matches_bottom_up(kernel, cost, x, y, extra):
    window = None if extra is None else abs(len(x) - len(y)) + extra
    fast = dtw.solve(x, y, window=window, cost=cost)
    slow = dtw.solve(x, y, window=window, cost=cost, strategy="bottom_up")
    assert fast.value == pytest.approx(slow.value, rel=1e-9, abs=1e-9)
    assert recost(x, y, fast.path, cost) == pytest.approx(slow.value, rel=1e-9, abs=1e-9)


def test_against_dtaidistance(kernel):
    """``distance(...)**2`` equals the squared-cost value; the window mapping is W = w + 1."""
    ddtw = pytest.importorskip("dtaidistance.dtw")
    rng = np.random.default_rng(3)
    for _ in range(5):
        x, y = rng.normal(size=60), rng.normal(size=60)
        assert dtw.solve(x, y, cost="squared").value == pytest.approx(ddtw.distance(x, y) ** 2)
        for w in (1, 2, 5, 20):  # equal lengths: |i - j| <= w here is |i - j| < w + 1 there
            ours = dtw.solve(x, y, cost="squared", window=w).value
            assert ours == pytest.approx(ddtw.distance(x, y, window=w + 1) ** 2)
    for n, m in ((60, 50), (40, 55)):
        x, y = rng.normal(size=n), rng.normal(size=m)
        d = abs(n - m)
        assert dtw.solve(x, y, cost="squared").value == pytest.approx(ddtw.distance_fast(x, y) ** 2)
        for big in (d + 1, d + 4, d + 10):
            # dtaidistance widens W on the longer series' side only: its band lies between
            # ours with w = W - 1 (inside it) and w = W - 1 + |n - m| (containing it)
            there = ddtw.distance(x, y, window=big) ** 2
            assert dtw.solve(x, y, cost="squared", window=big - 1 + d).value <= there + 1e-9
            assert there <= dtw.solve(x, y, cost="squared", window=big - 1).value + 1e-9


def test_multivariate_series(kernel):
    x = [(0, 0), (1, 1), (2, 2)]
    y = np.array([[0, 0], [2, 2]])
    sol = dtw.solve(x, y, cost="squared")
    assert sol.value == pytest.approx(2.0)
    assert sol.value == dtw.solve(x, y, cost="squared", strategy="bottom_up").value
    assert dtw.solve(x, y).value == pytest.approx(2.0)  # L1: |1-0| + |1-0| or |1-2| + |1-2|
    ndim = pytest.importorskip("dtaidistance.dtw_ndim")
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(30, 3)), rng.normal(size=(25, 3))
    assert dtw.solve(a, b, cost="squared").value == pytest.approx(ndim.distance(a, b) ** 2)


def test_known_answers_and_types():
    sol = dtw.solve([0, 1, 1, 2], [0, 1, 2], strategy="bottom_up")
    assert (sol.value, sol.path) == (0, [(0, 0), (1, 1), (2, 1), (3, 2)])
    assert isinstance(sol.value, int)
    assert dtw.solve([5], [1, 2]).value == 7
    assert dtw.solve([0, 0, 1, 0], [0, 1, 0, 0], window=0).value == 2
    assert dtw.solve(np.arange(4.0), np.arange(4.0), window=0).path == [(k, k) for k in range(4)]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "fragment"),
    [
        (([], [1]), {}, dp.InvalidInput, "x=[] must not be empty"),
        (([1], None), {}, dp.InvalidType, "y=None"),
        (("abc", [1]), {}, dp.InvalidType, "x='abc'"),
        (([1, float("nan")], [1]), {}, dp.InvalidInput, "x[1]=nan"),
        (([1, float("inf")], [1]), {}, dp.InvalidInput, "x[1]=inf"),
        (([1, "a"], [1]), {}, dp.InvalidType, "x[1]='a'"),
        (([1], [1]), {"cost": "cubic"}, dp.InvalidInput, "cost='cubic'"),
        (([1], [1]), {"window": -1}, dp.InvalidInput, "window=-1"),
        (([1], [1]), {"window": 1.5}, dp.InvalidType, "window=1.5"),
        (([1, 2, 3], [1]), {"window": 1}, dp.InvalidInput, "window=1 is narrower"),
        (([(1, 2)], [(1, 2, 3)]), {}, dp.InvalidInput, "dimension 2 but y of dimension 3"),
        (([(1, 2), (1,)], [(1, 2)]), {}, dp.InvalidInput, "x[1]=(1,)"),
        ((np.zeros((2, 2, 2)), [1]), {}, dp.InvalidInput, "shape (2, 2, 2)"),
        ((np.array(["a"]), [1]), {}, dp.InvalidType, "dtype"),
        (([1] * 30, [1] * 30), {"strategy": "naive"}, dp.BudgetExceeded, "naive"),
    ],
)
def test_bad_input(args, kwargs, error, fragment):
    with pytest.raises(error) as info:
        dtw.solve(*args, **kwargs)
    assert fragment in str(info.value)


def test_catalog_entry():
    problem = dp.catalog("dynamic-time-warping")
    assert problem.name == "dtw" and problem.witness == ("path",)
