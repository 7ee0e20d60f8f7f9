"""palindrome: every strategy against all subsequences; the witness is re-checked as text."""

from __future__ import annotations

import itertools
import random

import pytest
from dptoolkit.problems import palindrome
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]


def reference(s):
    """Longest palindromic subsequence length over every index subset (independent)."""
    best = 0
    for mask in range(1 << len(s)):
        picked = [s[k] for k in range(len(s)) if mask >> k & 1]
        if picked == picked[::-1]:
            best = max(best, len(picked))
    return best


def is_subsequence(small, big):
    items = iter(big)
    return all(any(x == y for y in items) for x in small)


def check(s, sol):
    seq = sol.sequence
    assert type(seq) is (type(s) if isinstance(s, (str, bytes, tuple)) else list)
    assert list(seq) == list(seq)[::-1]
    assert is_subsequence(list(seq), list(s))
    assert len(seq) == sol.value


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(s=st.text(alphabet="abc", max_size=11))
def test_every_strategy_matches_all_subsequences(strategy, s):
    sol = palindrome.solve(s, strategy=strategy)
    assert sol.value == reference(s)
    check(s, sol)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=30)
@given(s=st.lists(st.integers(0, 3), max_size=10) | st.binary(max_size=8).map(bytes))
def test_lists_and_bytes(strategy, s):
    sol = palindrome.solve(s, strategy=strategy)
    assert sol.value == reference(s)
    check(s, sol)


@settings(max_examples=30)
@given(s=st.text(alphabet="xyz", max_size=10))
def test_module_brute_force_agrees(s):
    assert palindrome.brute_force(s) == reference(s)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_clrs_character(strategy):
    sol = palindrome.solve("character", strategy=strategy)
    assert (sol.value, sol.sequence) == (5, "carac")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_palindromes_are_their_own_answer(strategy):
    for word in ("civic", "racecar", "aibohphobia", "a"):
        assert palindrome.solve(word, strategy=strategy).sequence == word


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_longer_strings_agree(strategy):
    rng = random.Random(5)
    s = "".join(rng.choice("acgt") for _ in range(300))
    sol = palindrome.solve(s, strategy=strategy)
    assert sol.value == palindrome.solve(s, strategy="bottom_up").value
    check(s, sol)


def test_fast_value_is_lcs_with_the_reverse_and_needs_no_table(monkeypatch):
    monkeypatch.setattr(palindrome, "_fast_table", lambda *a: pytest.fail("table was built"))
    s = "".join(random.Random(1).choice("ab") for _ in range(2000))
    assert palindrome.solve(s).value == dp.catalog("lcs").solve(s, s[::-1]).value


def test_empty_input():
    for strategy in STRATEGIES:
        sol = palindrome.solve("", strategy=strategy)
        assert (sol.value, sol.sequence) == (0, "")
    assert palindrome.solve([]).sequence == []
    with pytest.raises(dp.InvalidInput, match="must be non-empty"):
        palindrome.build("")


def test_is_palindrome():
    assert palindrome.is_palindrome("abba") and not palindrome.is_palindrome("abc")
    for s in map("".join, itertools.product("ab", repeat=4)):
        assert palindrome.is_palindrome(s) == (s == s[::-1])


BAD = [
    pytest.param(None, dp.InvalidType, "s=None", id="none"),
    pytest.param(5, dp.InvalidType, "s=5", id="int"),
    pytest.param([[1], [2]], dp.InvalidType, "s[0]=[1] must be hashable", id="unhashable"),
    pytest.param([1.0, float("nan")], dp.InvalidInput, "s[1]=nan", id="nan"),
]


@pytest.mark.parametrize(("s", "exc", "fragment"), BAD)
def test_bad_input_names_the_argument(s, exc, fragment):
    with pytest.raises(exc) as info:
        palindrome.solve(s)
    assert fragment in str(info.value)


def test_size_refusals_come_before_any_work():
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        palindrome.solve("abcdefghijklmnopqrstuvwxyz", strategy="naive")
    with pytest.raises(dp.BudgetExceeded, match="strategy='bottom_up'"):
        palindrome.solve("ab" * 5000, strategy="bottom_up")
    with pytest.raises(dp.InvalidInput, match="too large for strategy='fast'"):
        palindrome.solve("ab" * 20000).sequence  # the witness is the refusal


def test_catalog_entry():
    problem = dp.catalog("longest-palindromic-subsequence")
    assert problem.name == "palindrome"
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="top_down").value == 5
