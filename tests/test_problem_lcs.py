"""lcs: every strategy against all subsequences; the witness is checked as a subsequence."""

from __future__ import annotations

import itertools
import random

import pytest
from dptoolkit.problems import _strings, lcs
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]


def subsequences(seq):
    """Every subsequence of seq, as tuples (2**len of them)."""
    for size in range(len(seq) + 1):
        yield from itertools.combinations(seq, size)


def reference(a, b):
    """The longest tuple that is a subsequence of both: from the definition."""
    common = set(subsequences(tuple(a))) & set(subsequences(tuple(b)))
    return max(len(c) for c in common)


def is_subsequence(small, big):
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def table_length(a, b):
    prev = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b, 1):
            row.append(prev[j - 1] + 1 if x == y else max(prev[j], row[j - 1]))
        prev = row
    return prev[-1]


def check_witness(a, b, sol):
    seq = sol.sequence
    assert len(seq) == sol.value
    assert is_subsequence(seq, a) and is_subsequence(seq, b)
    if isinstance(a, (str, tuple, bytes)):
        assert type(seq) is type(a)
    else:
        assert isinstance(seq, list)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=100)
@given(a=st.text(alphabet="abc", max_size=6), b=st.text(alphabet="abc", max_size=6))
def test_every_strategy_matches_all_subsequences(strategy, a, b):
    sol = lcs.solve(a, b, strategy=strategy)
    assert sol.value == reference(a, b)
    check_witness(a, b, sol)


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
@settings(max_examples=40)
@given(
    a=st.lists(st.integers(0, 4), max_size=15)
    | st.tuples(st.integers(0, 2), st.text("xy", max_size=1)),
    b=st.lists(st.integers(0, 4), max_size=15),
)
def test_lists_and_tuples(strategy, a, b):
    sol = lcs.solve(a, b, strategy=strategy)
    assert sol.value == table_length(a, b)
    check_witness(a, b, sol)


@settings(max_examples=30)
@given(a=st.text(alphabet="ab", max_size=6), b=st.text(alphabet="ab", max_size=6))
def test_module_brute_force_agrees(a, b):
    assert lcs.brute_force(a, b) == reference(a, b)


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize(
    ("a", "b", "length"),
    [
        ("ABCBDAB", "BDCABA", 4),
        ("AGGTAB", "GXTXAYB", 4),
        ("", "abc", 0),
        ("abc", "abc", 3),
        ("abc", "def", 0),
    ],
)
def test_textbook_instances(strategy, a, b, length):
    sol = lcs.solve(a, b, strategy=strategy)
    assert sol.value == length
    check_witness(a, b, sol)


@pytest.mark.parametrize("alphabet", ["ACGT", "ab", "abcdefghijklmnopqrstuvwxyz"])
def test_fast_on_long_strings(alphabet):
    rng = random.Random(len(alphabet))
    for _ in range(4):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(100, 300)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        sol = lcs.solve(a, b)
        assert sol.value == table_length(a, b)
        check_witness(a, b, sol)


def test_hirschberg_recursion_with_tiny_leaves(monkeypatch):
    monkeypatch.setattr(_strings, "_LEAF_CELLS", 16)
    rng = random.Random(5)
    for _ in range(30):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 60)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 60)))
        seq = lcs.fast_lcs(a, b)
        assert len(seq) == table_length(a, b)
        assert is_subsequence(seq, a) and is_subsequence(seq, b)


def test_huge_alphabets_fall_back_to_the_row_dp(monkeypatch):
    monkeypatch.setattr(_strings, "MASK_BUDGET", 0)
    rng = random.Random(9)
    for _ in range(10):
        a = [rng.randrange(300) for _ in range(rng.randint(70, 120))]
        b = [rng.randrange(300) for _ in range(rng.randint(70, 120))]
        b[::5] = a[: len(b[::5])]
        sol = lcs.solve(a, b)
        assert sol.value == table_length(a, b)
        check_witness(a, b, sol)


def test_matches_rapidfuzz_indel_on_long_strings():
    indel = pytest.importorskip("rapidfuzz.distance").Indel
    rng = random.Random(2)
    a = "".join(rng.choice("ACGT") for _ in range(2000))
    b = "".join(rng.choice("ACGT") for _ in range(2500))
    # indel distance = len(a) + len(b) - 2 LCS
    assert lcs.solve(a, b).value == (len(a) + len(b) - indel.distance(a, b)) // 2


def test_the_value_does_not_pay_for_the_sequence(monkeypatch):
    def refuse(*args):
        raise AssertionError("the sequence was built")

    monkeypatch.setattr(_strings, "lcs_pairs", refuse)
    sol = lcs.solve("ABCBDAB", "BDCABA")
    assert sol.value == 4
    with pytest.raises(AssertionError, match="sequence was built"):
        _ = sol.sequence


def test_bytes_give_bytes():
    assert lcs.solve(b"hello", b"yellow").sequence == b"ello"


def test_naive_refuses_big_instances_before_starting():
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        lcs.solve("ab" * 15, "cd" * 15, strategy="naive")


def test_catalog_entry():
    problem = dp.catalog("lcs")
    assert problem.witness == ("sequence",)
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="top_down").value == 4
    assert dp.catalog("longest-common-subsequence") is problem
