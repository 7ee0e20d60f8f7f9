"""The command line's witness checks of the textbook classics accept the solvers' and catch bad ones."""

from __future__ import annotations

import pytest

import dptoolkit as dp
from dptoolkit.cli._witness import check

CASES = [
    ("tsp", {"D": [[0, 10, 15, 20], [5, 0, 9, 10], [6, 13, 0, 12], [8, 8, 9, 0]]}, "tour"),
    ("word_break", {"text": "catsdog", "words": ["cat", "cats", "dog", "sdog"]}, "words"),
    ("palindrome", {"s": "character"}, "sequence"),
    ("interval_scheduling", {"intervals": [[0, 3, 2], [1, 5, 4], [4, 6, 4], [5, 9, 1]]}, "indices"),
    (
        "optimal_bst",
        {"p": [0.15, 0.1, 0.05, 0.1, 0.2], "q": [0.05, 0.1, 0.05, 0.05, 0.05, 0.1]},
        "tree",
    ),
]

BROKEN = {
    "tsp": [0, 2, 1, 3, 0],
    "word_break": ["cats", "og"],
    "palindrome": "chc",
    "interval_scheduling": [0, 1],
    "optimal_bst": (1, None, (2, None, (3, None, (4, None, (5, None, None))))),
}


@pytest.mark.parametrize(("name", "named", "field"), CASES, ids=[c[0] for c in CASES])
def test_every_strategy_witness_checks_and_a_broken_one_does_not(name, named, field):
    problem = dp.catalog(name)
    for strategy in ("auto", *problem.strategies):
        sol = problem.solve(*named.values(), strategy=strategy)
        assert check(name, sol.value, {field: getattr(sol, field)}, named) is True, strategy
    assert check(name, sol.value, {field: BROKEN[name]}, named) is False
    assert check(name, sol.value + 1, {field: getattr(sol, field)}, named) is False


def test_no_segmentation_checks_against_false():
    named = {"text": "catsandog", "words": ["cats", "dog", "sand", "and", "cat"]}
    assert check("word_break", False, {"words": None}, named) is True
    assert check("word_break", True, {"words": None}, named) is False
