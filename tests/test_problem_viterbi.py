"""viterbi: every strategy against all state sequences and hmmlearn; long inputs in log space."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dptoolkit.problems import _ckernels, viterbi
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]

STATES = ("Healthy", "Fever")
START = {"Healthy": 0.6, "Fever": 0.4}
TRANS = {"Healthy": {"Healthy": 0.7, "Fever": 0.3}, "Fever": {"Healthy": 0.4, "Fever": 0.6}}
EMIT = {
    "Healthy": {"normal": 0.5, "cold": 0.4, "dizzy": 0.1},
    "Fever": {"normal": 0.1, "cold": 0.3, "dizzy": 0.6},
}


@pytest.fixture(params=["c", "python"])
def kernel(request, monkeypatch):
    if request.param == "c":
        if _ckernels.C is None:
            pytest.skip("dptoolkit._ckernels is not built")
    else:
        monkeypatch.setattr(_ckernels, "C", None)
    return request.param


def stochastic(draw, rows, cols, zeros=True):
    values = (
        st.sampled_from([0.0, 0.1, 0.5, 1.0, 2.0, 3.0])
        if zeros
        else st.sampled_from([0.1, 1.0, 2.0, 5.0])
    )
    m = np.array([[draw(values) for _ in range(cols)] for _ in range(rows)])
    m[m.sum(axis=1) == 0, 0] = 1.0
    return m / m.sum(axis=1, keepdims=True)


@st.composite
def models(draw, max_states=3, max_symbols=3, max_t=5):
    S = draw(st.integers(1, max_states))
    K = draw(st.integers(1, max_symbols))
    T = draw(st.integers(1, max_t))
    start = stochastic(draw, 1, S)[0]
    trans = stochastic(draw, S, S)
    emit = stochastic(draw, S, K)
    obs = [draw(st.integers(0, K - 1)) for _ in range(T)]
    return obs, [f"s{k}" for k in range(S)], start, trans, emit


def joint(path, obs, states, start, trans, emit):
    """The joint probability of a path (plain product, tiny models only)."""
    k = [states.index(s) for s in path]
    p = start[k[0]] * emit[k[0], obs[0]]
    for t in range(1, len(obs)):
        p *= trans[k[t - 1], k[t]] * emit[k[t], obs[t]]
    return p


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60, deadline=None)
@given(model=models())
def test_every_strategy_matches_all_state_sequences(strategy, model):
    sol = viterbi.solve(*model, strategy=strategy)
    best = viterbi.brute_force(*model)
    assert sol.value == pytest.approx(best, rel=1e-12, abs=1e-12)
    if best == -math.inf:
        assert sol.path is None
    else:
        assert len(sol.path) == len(model[0])
        assert math.log(joint(sol.path, *model)) == pytest.approx(best, rel=1e-9, abs=1e-12)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(model=models(max_states=5, max_symbols=4, max_t=40))
def test_fast_matches_bottom_up(kernel, model):
    fast = viterbi.solve(*model)
    slow = viterbi.solve(*model, strategy="bottom_up")
    assert fast.value == pytest.approx(slow.value, rel=1e-12)
    if fast.path is not None:
        assert viterbi.path_log_probability(fast.path, *model) == pytest.approx(
            fast.value, rel=1e-9
        )


def test_against_hmmlearn(kernel):
    hmm = pytest.importorskip("hmmlearn.hmm")
    rng = np.random.default_rng(11)
    for S, K, T in ((2, 3, 50), (8, 20, 2000), (4, 5, 300)):
        start = rng.dirichlet(np.ones(S))
        trans = rng.dirichlet(np.ones(S), size=S)
        emit = rng.dirichlet(np.ones(K), size=S)
        obs = rng.integers(0, K, size=T)
        model = hmm.CategoricalHMM(n_components=S, n_features=K)
        model.startprob_, model.transmat_, model.emissionprob_ = start, trans, emit
        logprob, states = model.decode(obs.reshape(-1, 1), algorithm="viterbi")
        sol = viterbi.solve(obs, list(range(S)), start, trans, emit)
        assert sol.value == pytest.approx(logprob, rel=1e-9)
        assert viterbi.path_log_probability(sol.path, obs, list(range(S)), start, trans, emit) == (
            pytest.approx(logprob, rel=1e-9)
        )
        assert sol.path == states.tolist()  # random probabilities: no ties


def test_textbook_example_every_strategy():
    for strategy in STRATEGIES:
        sol = viterbi.solve(
            ["normal", "cold", "dizzy"], STATES, START, TRANS, EMIT, strategy=strategy
        )
        assert sol.path == ["Healthy", "Healthy", "Fever"]
        assert math.exp(sol.value) == pytest.approx(0.01512)


def test_no_underflow_on_100000_observations(kernel):
    rng = np.random.default_rng(2)
    obs = rng.choice(["normal", "cold", "dizzy"], size=100_000).tolist()
    sol = viterbi.solve(obs, STATES, START, TRANS, EMIT)
    assert math.isfinite(sol.value) and sol.value < -50_000
    assert len(sol.path) == 100_000
    assert viterbi.path_log_probability(sol.path, obs, STATES, START, TRANS, EMIT) == pytest.approx(
        sol.value
    )
    short = obs[:1000]
    assert viterbi.solve(
        short, STATES, START, TRANS, EMIT, strategy="bottom_up"
    ).value == pytest.approx(viterbi.solve(short, STATES, START, TRANS, EMIT).value)


def test_impossible_observations():
    sol = viterbi.solve(["x"], ["a"], {"a": 1}, {"a": {"a": 1}}, {"a": {"y": 1}})
    assert sol.value == -math.inf and sol.path is None


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        (([], STATES, START, TRANS, EMIT), dp.InvalidInput, "observations=[] must not be empty"),
        ((["cold"], [], START, TRANS, EMIT), dp.InvalidInput, "states=[]"),
        ((["cold"], ["a", "a"], START, TRANS, EMIT), dp.InvalidInput, "repeated state"),
        (
            (["cold"], STATES, {"Healthy": 0.6, "Fever": 0.6}, TRANS, EMIT),
            dp.InvalidInput,
            "start_p sums to 1.2",
        ),
        (
            (["cold"], STATES, {"Healthy": 1.5, "Fever": -0.5}, TRANS, EMIT),
            dp.InvalidInput,
            "[0, 1]",
        ),
        (
            (["cold"], STATES, {"Healthy": 1, "Flu": 0}, TRANS, EMIT),
            dp.InvalidInput,
            "'Flu', which is not a state",
        ),
        (
            (["cold"], STATES, START, {"Healthy": TRANS["Healthy"]}, EMIT),
            dp.InvalidInput,
            "no entry for state 'Fever'",
        ),
        ((["cold"], STATES, START, TRANS, 5), dp.InvalidInput, "emit_p"),
        ((["cold"], STATES, START, TRANS, {"Healthy": 1, "Fever": 2}), dp.InvalidType, "emit_p"),
        ((["cold"], STATES, "x", TRANS, EMIT), dp.InvalidType, "start_p='x'"),
        (
            ([0, 3], ["a"], np.ones(1), np.ones((1, 1)), np.full((1, 3), 1 / 3)),
            dp.InvalidInput,
            "observations[1]=3",
        ),
        (
            ([0, 0.5], ["a"], np.ones(1), np.ones((1, 1)), np.ones((1, 1))),
            dp.InvalidType,
            "observations[1]=0.5",
        ),
        (
            ([0], ["a", "b"], np.ones(1), np.ones((1, 1)), np.ones((1, 1))),
            dp.InvalidInput,
            "emit_p must have shape (2, 1)",
        ),
        (([0], ["a"], np.ones(1), np.ones((1, 1)), np.ones(1)), dp.InvalidInput, "(S, K)"),
        (
            ([0], ["a"], np.array([np.nan]), np.ones((1, 1)), np.ones((1, 1))),
            dp.InvalidInput,
            "start_p[0]=nan",
        ),
        ((["cold"] * 30, STATES, START, TRANS, EMIT, "naive"), dp.BudgetExceeded, "naive"),
    ],
)
def test_bad_input(args, error, fragment):
    (*model,) = args
    strategy = model.pop() if len(model) == 6 else "auto"
    with pytest.raises(error) as info:
        viterbi.solve(*model, strategy=strategy)
    assert fragment in str(info.value)


def test_catalog_entry():
    problem = dp.catalog("hmm")
    assert problem.name == "viterbi"
    assert problem.solve(*problem.example).path == ["Healthy", "Healthy", "Fever"]
