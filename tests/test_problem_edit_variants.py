"""edit_distance variants: weights, OSA and Damerau against their definitions and rapidfuzz."""

from __future__ import annotations

import random

import pytest
from dptoolkit.problems import _ckernels, _edit_variants, edit_distance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]
VARIANTS = ["levenshtein", "osa", "damerau"]


@pytest.fixture(params=["c", "python"])
def kernel(request, monkeypatch):
    if request.param == "c":
        if _ckernels.C is None:
            pytest.skip("dptoolkit._ckernels is not built")
    else:
        monkeypatch.setattr(_ckernels, "C", None)
    return request.param


def replay_cost(a, b, ops, costs):
    """Replay by hand (the module's replay is checked separately) and price the script."""
    assert edit_distance.apply_operations(a, b, ops) == b
    price = {
        "match": 0,
        "substitute": costs[2],
        "delete": costs[1],
        "insert": costs[0],
        "transpose": costs[3],
    }
    return sum(price[k] for k, _, _ in ops)


weights = st.sampled_from(
    [(1, 1, 1, 1), (2, 3, 1, 3), (1, 1, 3, 1), (1, 2, 2, 2), (0.5, 1.5, 1.0, 1.0)]
)
tiny = st.text(alphabet="abc", max_size=4)


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("variant", VARIANTS)
@settings(max_examples=40, deadline=None)
@given(a=tiny, b=tiny, w=weights)
def test_every_strategy_matches_the_definition(strategy, variant, a, b, w):
    ins, dele, sub, tr = w
    sol = edit_distance.solve(
        a,
        b,
        insert=ins,
        delete=dele,
        substitute=sub,
        transpose=tr,
        variant=variant,
        strategy=strategy,
    )
    costs = _edit_variants.check_costs(ins, dele, sub, tr, variant)
    assert sol.value == pytest.approx(_edit_variants.brute_force(a, b, costs))
    assert replay_cost(a, b, sol.operations, w) == pytest.approx(sol.value)


@settings(max_examples=40, deadline=None)
@given(a=tiny, b=tiny)
def test_osa_is_between_damerau_and_levenshtein(a, b):
    lev = edit_distance.solve(a, b).value
    osa = edit_distance.solve(a, b, variant="osa").value
    dam = edit_distance.solve(a, b, variant="damerau").value
    assert dam <= osa <= lev
    assert (
        _edit_variants.edit_search(a, b, _edit_variants.check_costs(1, 1, 1, 1, "damerau")) == dam
    )


@pytest.mark.parametrize("variant", VARIANTS)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=st.text(alphabet="abcd", max_size=25), b=st.text(alphabet="abcd", max_size=25))
def test_against_rapidfuzz(kernel, variant, a, b):
    rf = pytest.importorskip("rapidfuzz.distance")
    fast = edit_distance.solve(a, b, variant=variant)
    if variant == "levenshtein":
        weighted = edit_distance.solve(a, b, insert=2, delete=3, substitute=4)
        assert weighted.value == rf.Levenshtein.distance(a, b, weights=(2, 3, 4))
        assert replay_cost(a, b, weighted.operations, (2, 3, 4, 1)) == weighted.value
        expected = rf.Levenshtein.distance(a, b)
    elif variant == "osa":
        expected = rf.OSA.distance(a, b)
    else:
        expected = rf.DamerauLevenshtein.distance(a, b)
    assert fast.value == expected
    assert replay_cost(a, b, fast.operations, (1, 1, 1, 1)) == expected
    assert edit_distance.solve(a, b, variant=variant, strategy="bottom_up").value == expected


@pytest.mark.parametrize("variant", ["osa", "damerau"])
def test_long_strings_against_rapidfuzz(kernel, variant):
    rf = pytest.importorskip("rapidfuzz.distance")
    ref = rf.OSA if variant == "osa" else rf.DamerauLevenshtein
    rng = random.Random(4)
    for n, m in ((300, 280), (70, 130), (64, 64), (65, 1), (0, 5)):
        a = "".join(rng.choice("ACGT") for _ in range(n))
        b = "".join(rng.choice("ACGT") for _ in range(m))
        sol = edit_distance.solve(a, b, variant=variant)
        assert sol.value == ref.distance(a, b)
        assert replay_cost(a, b, sol.operations, (1, 1, 1, 1)) == sol.value


def test_unit_levenshtein_long_against_rapidfuzz(kernel):
    rf = pytest.importorskip("rapidfuzz.distance")
    rng = random.Random(9)
    for n, m in ((1000, 900), (64, 64), (63, 65), (129, 3), (0, 7)):
        a = "".join(rng.choice("ACGT") for _ in range(n))
        b = "".join(rng.choice("ACGT") for _ in range(m))
        assert edit_distance.solve(a, b).value == rf.Levenshtein.distance(a, b)


def test_known_answers():
    assert edit_distance.solve("ca", "abc", variant="osa").value == 3
    sol = edit_distance.solve("ca", "abc", variant="damerau")
    assert (sol.value, sol.operations) == (2, [("transpose", 0, 0), ("insert", 1, 1)])
    sol = edit_distance.solve("abcd", "acbd", variant="osa", strategy="bottom_up")
    assert sol.operations == [("match", 0, 0), ("transpose", 1, 1), ("match", 3, 3)]
    assert edit_distance.solve("kitten", "sitting", substitute=2).value == 5
    assert isinstance(edit_distance.solve("ab", "ba", transpose=1.5, variant="osa").value, float)
    cba = edit_distance.solve(
        "cxba", "abc", variant="damerau"
    )  # a transposition with a deletion inside
    assert cba.value == _edit_variants.edit_search(
        "cxba", "abc", _edit_variants.check_costs(1, 1, 1, 1, "damerau")
    )


def test_replay_refuses_broken_transpositions():
    with pytest.raises(dp.InvalidInput, match="does not close"):
        edit_distance.apply_operations("ab", "bc", [("transpose", 0, 0)])
    with pytest.raises(dp.InvalidInput, match="does not apply"):
        edit_distance.apply_operations("ab", "ab", [("transpose", 0, 0)])
    assert edit_distance.apply_operations("ab", "ba", [("transpose", 0, 0)]) == "ba"


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"variant": "hamming"}, dp.InvalidInput, "variant='hamming'"),
        ({"insert": -1}, dp.InvalidInput, "insert=-1"),
        ({"delete": "1"}, dp.InvalidType, "delete='1'"),
        ({"substitute": float("nan")}, dp.InvalidInput, "substitute=nan"),
        ({"transpose": float("inf")}, dp.InvalidInput, "transpose=inf"),
        (
            {"variant": "damerau", "transpose": 0.5},
            dp.InvalidInput,
            "transpose=0.5 must be at least",
        ),
        ({"variant": "osa", "strategy": "greedy"}, dp.InvalidInput, "strategy='greedy'"),
    ],
)
def test_bad_input(kwargs, error, fragment):
    with pytest.raises(error) as info:
        edit_distance.solve("ab", "ba", **kwargs)
    assert fragment in str(info.value)


def test_naive_refused_for_variants_too():
    with pytest.raises(dp.BudgetExceeded, match="naive"):
        edit_distance.solve("ab" * 10, "ba" * 10, variant="osa", strategy="naive")


def test_masks_past_the_budget_fall_back_to_tables(monkeypatch):
    """A long pattern of many distinct symbols would need huge match masks: the table path runs."""
    from dptoolkit.problems import _strings

    rng = random.Random(5)
    a = [rng.randrange(400) for _ in range(300)]
    b = [rng.randrange(400) for _ in range(280)]
    expected = [edit_distance.solve(a, b, variant=v).value for v in VARIANTS]
    monkeypatch.setattr(_strings, "MASK_BUDGET", 1000)
    ca, cb, _ = _edit_variants._codes(a, b)
    assert not _edit_variants.masks_fit(ca, cb)
    assert [edit_distance.solve(a, b, variant=v).value for v in VARIANTS] == expected
    rf = pytest.importorskip("rapidfuzz.distance")
    assert expected == [
        rf.Levenshtein.distance(a, b),
        rf.OSA.distance(a, b),
        rf.DamerauLevenshtein.distance(a, b),
    ]
