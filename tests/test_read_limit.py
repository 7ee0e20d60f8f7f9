"""Engine runs whose states read many others are refused before they start, past READ_LIMIT.

``lis`` of 100,000 items has only 100,001 states, but each reads all the
states before it: 5 billion reads, hours of Python. ``top_down`` and
``bottom_up`` (and ``count()`` / ``witnesses()`` of an ``auto`` answer, which
re-solve with ``bottom_up``) refuse such a run with ``BudgetExceeded`` naming
the number of reads, instead of running for hours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dptoolkit.problems import (
    _run,
    egg_drop,
    lis,
    matrix_chain,
    optimal_bst,
    rod_cutting,
    tsp,
    viterbi,
)

import dptoolkit as dp


def _viterbi(strategy: str) -> dp.Solution:
    states = 30
    uniform = [[1 / states] * states for _ in range(states)]
    return viterbi.solve(
        [0, 1] * 40_000,
        list(range(states)),
        [1 / states] * states,
        uniform,
        [[0.5, 0.5] for _ in range(states)],
        strategy=strategy,
    )


# each just past the limit: (n + 1)(n + 2)/2, (e - 1) f (f + 1), ... > 2**26
TOO_BIG: dict[str, Callable[[str], Any]] = {
    "lis": lambda s: lis.solve(list(range(12_000)), strategy=s),
    "egg_drop": lambda s: egg_drop.solve(2, 8_200, strategy=s),
    "matrix_chain": lambda s: matrix_chain.solve([2] * 600, strategy=s),
    "optimal_bst": lambda s: optimal_bst.solve([1 / 1201] * 600, [1 / 1201] * 601, strategy=s),
    "rod_cutting": lambda s: rod_cutting.solve([1] * 8_200, 8_200, strategy=s),
    "viterbi": _viterbi,
    "tsp": lambda s: tsp.solve([[abs(i - j) for j in range(19)] for i in range(19)], strategy=s),
}


@pytest.mark.parametrize("strategy", ["top_down", "bottom_up"])
@pytest.mark.parametrize("problem", sorted(TOO_BIG))
def test_engine_runs_past_the_read_limit_are_refused_before_they_start(
    problem: str, strategy: str
) -> None:
    with pytest.raises(dp.BudgetExceeded, match=rf"strategy='{strategy}' would read about [\d,]+"):
        TOO_BIG[problem](strategy)


def test_the_limit_is_the_one_named() -> None:
    with pytest.raises(dp.BudgetExceeded, match=f"more than {_run.READ_LIMIT:,}"):
        lis.solve(list(range(12_000)), strategy="bottom_up")


def test_count_of_an_auto_answer_is_refused_rather_than_run_for_hours() -> None:
    sol = lis.solve(list(range(100_000)))  # the kernel answers at once
    assert sol.value == 100_000
    with pytest.raises(dp.BudgetExceeded, match="would read about 5,000,"):
        sol.count()
    with pytest.raises(dp.BudgetExceeded, match="would read about"):
        next(egg_drop.solve(2, 100_000).witnesses())


def test_instances_under_the_limit_still_run() -> None:
    assert lis.solve(list(range(2_000)), strategy="bottom_up").value == 2_000
    assert egg_drop.solve(2, 300, strategy="bottom_up").value == 24  # k(k+1)/2 >= 300
