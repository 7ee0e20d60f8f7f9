"""word_break: every strategy against all segmentations; the split is re-checked."""

from __future__ import annotations

import random

import pytest
from dptoolkit.problems import word_break
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]
ERICKSON = ["BOTH", "EARTH", "AND", "SATURN", "SPIN", "BOT", "HEART", "HANDS", "AT", "URNS", "PIN"]


def segmentations(text, words):
    """Every segmentation, by choosing the first piece among all prefixes (independent)."""
    if not text:
        return [[]]
    out = []
    for k in range(1, len(text) + 1):
        if text[:k] in words:
            out += [[text[:k], *rest] for rest in segmentations(text[k:], words)]
    return out


def check(text, words, sol):
    every = segmentations(text, set(words))
    assert sol.count == len(every)
    assert sol.value is (len(every) > 0)
    if sol.words is None:
        assert not every
    else:
        assert "".join(sol.words) == text
        assert all(w in set(words) for w in sol.words)
        assert sol.words in every


texts = st.text(alphabet="ab", max_size=12)
dictionaries = st.lists(st.text(alphabet="ab", min_size=1, max_size=3), max_size=6)


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=60)
@given(text=texts, words=dictionaries)
def test_every_strategy_matches_all_segmentations(strategy, text, words):
    check(text, words, word_break.solve(text, words, strategy=strategy))


@settings(max_examples=40)
@given(text=texts, words=dictionaries)
def test_module_brute_force_agrees(text, words):
    assert word_break.brute_force(text, words) == sorted(segmentations(text, set(words)))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_erickson_example(strategy):
    sol = word_break.solve("BOTHEARTHANDSATURNSPIN", ERICKSON, strategy=strategy)
    assert (sol.value, sol.count) == (True, 2)
    assert sol.words == ["BOT", "HEART", "HANDS", "AT", "URNS", "PIN"]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_leetcode_examples(strategy):
    sol = word_break.solve("catsandog", ["cats", "dog", "sand", "and", "cat"], strategy=strategy)
    assert (sol.value, sol.words, sol.count) == (False, None, 0)
    sol = word_break.solve("applepenapple", ("apple", "pen"), strategy=strategy)
    assert (sol.words, sol.count) == (["apple", "pen", "apple"], 1)


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_counts_are_exact_past_64_bits(strategy):
    sol = word_break.solve("a" * 120, ["a", "aa"], strategy=strategy)
    fib = [0, 1]
    while len(fib) < 123:
        fib.append(fib[-1] + fib[-2])
    assert sol.count == fib[121]
    assert sol.words == ["a"] * 120


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up", "fast"])
def test_longer_texts_agree(strategy):
    rng = random.Random(9)
    words = {"".join(rng.choice("abc") for _ in range(rng.randint(1, 5))) for _ in range(40)}
    pieces = [rng.choice(sorted(words)) for _ in range(300)]
    text = "".join(pieces)
    sol = word_break.solve(text, words, strategy=strategy)
    assert sol.count == word_break.solve(text, words, strategy="bottom_up").count > 0
    assert "".join(sol.words) == text and all(w in words for w in sol.words)


def test_repeats_and_sets_count_once():
    assert word_break.solve("aa", ["a", "a"]).count == 1
    assert word_break.solve("aa", {"a"}).count == 1
    assert word_break.solve("", []).count == 1
    assert word_break.solve("a", []).value is False


BAD = [
    pytest.param(
        ("abc", ["a", ""]), dp.InvalidInput, "words[1]='' must be a non-empty", id="empty-word"
    ),
    pytest.param(
        ("abc", "abc"), dp.InvalidType, "words='abc' must be a collection", id="str-words"
    ),
    pytest.param(("abc", None), dp.InvalidType, "words=None", id="none-words"),
    pytest.param(("abc", ["a", 3]), dp.InvalidType, "words[1]=3 must be a string", id="int-word"),
    pytest.param((None, ["a"]), dp.InvalidType, "text=None must be a string", id="none-text"),
    pytest.param((b"ab", ["a"]), dp.InvalidType, "text=b'ab'", id="bytes-text"),
]


@pytest.mark.parametrize(("args", "exc", "fragment"), BAD)
def test_bad_input_names_the_argument(args, exc, fragment):
    with pytest.raises(exc) as info:
        word_break.solve(*args)
    assert fragment in str(info.value)


def test_size_refusals_come_before_any_work():
    with pytest.raises(dp.BudgetExceeded, match="strategy='naive'"):
        word_break.solve("a" * 40, ["a", "aa"], strategy="naive")
    with pytest.raises(dp.BudgetExceeded, match="levels deep"):
        word_break.solve("a" * 400, ["a"], strategy="naive")


def test_catalog_entry():
    problem = dp.catalog("word-break")
    assert problem.witness == ("words", "count")
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="top_down").value == 3


@pytest.mark.parametrize("strategy", ["naive", "top_down", "bottom_up", "fast"])
def test_count_field_and_count_method_agree(strategy):
    # `.count` is the contract's witness field; `Solution.count()` is the
    # engine's method: on word_break both give the number of segmentations.
    text, words = "aaaa", ["a", "aa"]
    sol = word_break.solve(text, words, strategy=strategy)
    expected = len(word_break.brute_force(text, words))
    assert sol.count == expected == 5
    assert sol.count() == expected
    assert type(sol.count()) is int
