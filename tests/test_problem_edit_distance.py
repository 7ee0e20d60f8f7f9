"""edit_distance: every strategy against an exhaustive reference, scripts replayed."""

from __future__ import annotations

import random

import pytest
from dptoolkit.problems import _strings, edit_distance
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]


# ---------------------------------------------------------------- references


def all_scripts(a, b):
    """Every alignment of a with b as a list of edit kinds (exhaustive, tiny inputs)."""
    if not a and not b:
        yield []
        return
    if a and b:
        kind = "match" if a[0] == b[0] else "substitute"
        for rest in all_scripts(a[1:], b[1:]):
            yield [kind, *rest]
    if a:
        for rest in all_scripts(a[1:], b):
            yield ["delete", *rest]
    if b:
        for rest in all_scripts(a, b[1:]):
            yield ["insert", *rest]


def reference(a, b):
    """The distance as the cheapest alignment: independent of the recurrence."""
    return min(sum(kind != "match" for kind in script) for script in all_scripts(a, b))


def wagner_fischer(a, b):
    """A plain two-row table, for inputs too long to enumerate."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(prev[j - 1] + (x != y), prev[j] + 1, row[j - 1] + 1))
        prev = row
    return prev[-1]


def replay(a, b, operations):
    """Apply a script by hand, checking every cursor; return (result, cost)."""
    out, i, j, cost = [], 0, 0, 0
    for kind, oi, oj in operations:
        assert (oi, oj) == (i, j), (kind, oi, oj, i, j)
        if kind == "match":
            assert a[i] == b[j]
            out.append(a[i])
            i, j = i + 1, j + 1
        elif kind == "substitute":
            assert a[i] != b[j]
            out.append(b[j])
            i, j, cost = i + 1, j + 1, cost + 1
        elif kind == "delete":
            i, cost = i + 1, cost + 1
        else:
            assert kind == "insert", kind
            out.append(b[j])
            j, cost = j + 1, cost + 1
    assert (i, j) == (len(a), len(b))
    return out, cost


small_text = st.text(alphabet="abc", max_size=5)


# ---------------------------------------------------------------- properties


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=100)
@given(a=small_text, b=small_text)
def test_every_strategy_matches_the_exhaustive_reference(strategy, a, b):
    sol = edit_distance.solve(a, b, strategy=strategy)
    expected = reference(a, b)
    assert sol.value == expected
    out, cost = replay(a, b, sol.operations)
    assert "".join(out) == b
    assert cost == expected


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
@settings(max_examples=40)
@given(
    a=st.lists(st.integers(0, 3), max_size=12) | st.tuples(st.integers(0, 2), st.integers(0, 2)),
    b=st.lists(st.integers(0, 3), max_size=12),
)
def test_lists_and_tuples_of_hashables(strategy, a, b):
    sol = edit_distance.solve(a, b, strategy=strategy)
    assert sol.value == wagner_fischer(a, b)
    out, cost = replay(a, b, sol.operations)
    assert out == list(b) and cost == sol.value
    assert edit_distance.apply_operations(a, b, sol.operations) == b


@settings(max_examples=30)
@given(a=small_text, b=small_text)
def test_module_brute_force_agrees_with_the_test_reference(a, b):
    assert edit_distance.brute_force(a, b) == reference(a, b)


# ---------------------------------------------------------------- known answers


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("kitten", "sitting", 3),
        ("flaw", "lawn", 2),
        ("", "", 0),
        ("", "abc", 3),
        ("abc", "", 3),
        ("same", "same", 0),
    ],
)
def test_textbook_instances(strategy, a, b, distance):
    sol = edit_distance.solve(a, b, strategy=strategy)
    assert sol.value == distance
    assert edit_distance.apply_operations(a, b, sol.operations) == b


def test_kitten_sitting_script():
    ops = edit_distance.solve("kitten", "sitting", strategy="bottom_up").operations
    changes = [op for op in ops if op[0] != "match"]
    assert changes == [("substitute", 0, 0), ("substitute", 4, 4), ("insert", 6, 6)]


# ---------------------------------------------------------------- the fast kernels


@pytest.mark.parametrize("alphabet", ["ACGT", "ab", "abcdefghijklmnopqrstuvwxyz0123456789"])
def test_fast_on_long_strings_against_a_plain_table(alphabet):
    rng = random.Random(len(alphabet))
    for _ in range(4):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(100, 300)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        sol = edit_distance.solve(a, b)
        assert sol.value == wagner_fischer(a, b)
        out, cost = replay(a, b, sol.operations)
        assert "".join(out) == b and cost == sol.value


def test_hirschberg_recursion_with_tiny_leaves(monkeypatch):
    # force the divide-and-conquer path (normally only for large inputs)
    monkeypatch.setattr(_strings, "_LEAF_CELLS", 16)
    rng = random.Random(7)
    for _ in range(30):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 60)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 60)))
        out, cost = replay(a, b, edit_distance.fast_operations(a, b))
        assert "".join(out) == b and cost == wagner_fischer(a, b)


def test_huge_alphabets_fall_back_to_the_row_dp(monkeypatch):
    monkeypatch.setattr(_strings, "MASK_BUDGET", 0)
    rng = random.Random(3)
    for _ in range(10):
        a = [rng.randrange(500) for _ in range(rng.randint(70, 120))]
        b = [rng.randrange(500) for _ in range(rng.randint(70, 120))]
        a[::7] = b[: len(a[::7])]
        sol = edit_distance.solve(a, b)
        assert sol.value == wagner_fischer(a, b)
        out, cost = replay(a, b, sol.operations)
        assert out == b and cost == sol.value


def test_matches_rapidfuzz_on_long_random_strings():
    levenshtein = pytest.importorskip("rapidfuzz.distance").Levenshtein
    rng = random.Random(11)
    for n in (1000, 3000):
        a = "".join(rng.choice("ACGT") for _ in range(n))
        b = "".join(rng.choice("ACGT") for _ in range(n + 17))
        assert edit_distance.solve(a, b).value == levenshtein.distance(a, b)


def test_unicode_and_bytes():
    assert edit_distance.solve("naïve café", "naive cafe").value == 2
    assert edit_distance.solve("😀ab", "ab😀").value == 2
    assert edit_distance.solve(b"abc", b"abd").value == 1
    assert edit_distance.solve(b"abc", b"abd").operations[-1] == ("substitute", 2, 2)


def test_the_value_does_not_pay_for_the_script(monkeypatch):
    def refuse(*args):
        raise AssertionError("the script was built")

    monkeypatch.setattr(_strings, "edit_operations", refuse)
    sol = edit_distance.solve("kitten", "sitting")
    assert sol.value == 3
    assert "operations" in sol.fields
    with pytest.raises(AssertionError, match="script was built"):
        _ = sol.operations


def test_witness_is_read_from_the_recorded_choices():
    sol = edit_distance.solve("ab", "b", strategy="top_down")
    assert sol.choices[2, 1] == "match"
    assert sol.operations == [("delete", 0, 0), ("match", 1, 0)]


def test_naive_refuses_big_instances_before_starting():
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        edit_distance.solve("a" * 20, "b" * 20, strategy="naive")


def test_apply_operations_rejects_a_wrong_script():
    with pytest.raises(dp.InvalidInput, match=r"operations\[0\]"):
        edit_distance.apply_operations("ab", "ab", [("substitute", 0, 0), ("match", 1, 1)])
    with pytest.raises(dp.InvalidInput, match="stop at"):
        edit_distance.apply_operations("ab", "ab", [("match", 0, 0)])


def test_catalog_entry():
    problem = dp.catalog("edit_distance")
    assert problem.witness == ("operations",)
    assert set(problem.strategies) == {"naive", "top_down", "bottom_up", "fast"}
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="bottom_up").value == problem.solve(*problem.example).value
    assert dp.catalog("levenshtein") is problem


def test_lone_surrogates_and_ranges():
    assert edit_distance.solve("a\ud800b", "ab").value == 1
    assert edit_distance.solve(range(5), [0, 1, 9, 3, 4]).operations[2] == ("substitute", 2, 2)
