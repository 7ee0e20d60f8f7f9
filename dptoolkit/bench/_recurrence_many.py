"""Benchmarks of the many-answers questions: ``count()`` after a solve, and ``solve(k=K)``.

* ``count()`` (a DP over the recorded ties) against the solve it follows, on a
  user-written grid min-path recurrence with many ties;
* ``solve(..., k=K)`` for K = 1, 10, 100 against the plain solve, on the same
  grid recurrence, the catalog's knapsack and edit distance recurrences.

Called by :mod:`dptoolkit.bench.recurrence`.
"""

from __future__ import annotations

import functools
import importlib
import random
from collections.abc import Callable
from typing import Any

import dptoolkit as dp

from ._timing import Row, time_once

__all__ = ["run"]

SUITE = "recurrence"


def grid_path(grid: list[list[int]]) -> Any:
    """Cheapest monotone path to cell (i, j), as a user writes it."""

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def cost(i: int, j: int) -> int:
        if i == 0 and j == 0:
            return grid[0][0]
        moves = []
        if i:
            moves.append((cost(i - 1, j) + grid[i][j], (i - 1, j)))
        if j:
            moves.append((cost(i, j - 1) + grid[i][j], (i, j - 1)))
        return dp.choose(moves, best=min)  # type: ignore[no-any-return]

    return cost


def _came_from(state: Any, label: Any) -> Any:
    return label


def _timer(func: Callable[[], Any]) -> Callable[[], float]:
    return functools.partial(time_once, func)


def _first(sol: Any) -> Any:
    return next(sol.witnesses(step=_came_from))


def _sampled(samplers: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in samplers}
    for _ in range(rounds):
        for name, sample in samplers.items():
            samples[name].append(sample())
    return {name: min(times) for name, times in samples.items()}


def run(quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    rounds = 3 if quick else 5
    rng = random.Random(14)

    # -- count() after a solve -------------------------------------------------------
    n = 40 if quick else 150
    grid = [[rng.randint(0, 1) for _ in range(n)] for _ in range(n)]
    rec = grid_path(grid)
    goal = (n - 1, n - 1)
    for strategy in ("top_down", "bottom_up"):
        case = f"grid min-path {n}x{n} {strategy}: count()"
        solved = rec.solve(*goal, strategy=strategy)
        answers = solved.count(step=_came_from)
        best = _sampled(
            {
                "solve": _timer(functools.partial(rec.solve, *goal, strategy=strategy)),
                "count() on the solution": _timer(functools.partial(solved.count, _came_from)),
                "first witness": _timer(functools.partial(_first, solved)),
            },
            rounds,
        )
        base = best["solve"]
        for subject, seconds in best.items():
            note = f"{answers:,} optimal paths" if subject.startswith("count") else ""
            rows.append(Row(SUITE, case, subject, seconds, seconds / base, note))

    # -- k best ------------------------------------------------------------------------
    knapsack = importlib.import_module("dptoolkit.problems.knapsack")
    edit_distance = importlib.import_module("dptoolkit.problems.edit_distance")

    m = 30 if quick else 60
    small = grid_path([row[:m] for row in grid[:m]])
    wrng = random.Random(3)
    items = 12 if quick else 30
    weights = [wrng.randint(1, 20) for _ in range(items)]
    values = [wrng.randint(1, 30) for _ in range(items)]
    knap, kgoal = knapsack.build(weights, values, 10 * items // 2)
    letters = 30 if quick else 60
    a = "".join(wrng.choice("ACGT") for _ in range(letters))
    b = "".join(wrng.choice("ACGT") for _ in range(letters))
    edit, egoal = edit_distance.build(a, b)
    subjects = [
        (f"grid min-path {m}x{m} bottom_up", small, (m - 1, m - 1)),
        (f"knapsack {items} items, capacity {kgoal[1]}, bottom_up", knap, kgoal),
        (f"edit distance {letters}x{letters} bottom_up", edit, egoal),
    ]
    for case, target, g in subjects:
        samplers = {"solve": _timer(functools.partial(target.solve, *g, strategy="bottom_up"))}
        for k in (1, 10, 100):
            samplers[f"solve k={k}"] = _timer(
                functools.partial(target.solve, *g, strategy="bottom_up", k=k)
            )
        best = _sampled(samplers, rounds)
        base = best["solve"]
        for subject, seconds in best.items():
            rows.append(Row(SUITE, f"{case}: k best", subject, seconds, seconds / base, ""))
    return rows
