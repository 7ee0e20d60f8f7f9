"""Catalog benchmarks of more than one answer (issue 14): ``solve(..., k=K)`` and ``count()``.

For knapsack, edit distance and alignment (Gotoh's three tables, affine
gaps), through the catalog's own ``solve``: the
plain ``bottom_up`` solve, the same solve with ``k=1, 10, 100`` (each entry
with its witness fields, read once so their walk is paid), and ``count()``
and the first witness on the plain solution; then an ``auto`` solve (the
kernel) alone and followed by ``count()`` (which re-solves ``bottom_up``). Subjects take turns; the min
over the rounds is kept, the ratio is against the plain solve.
"""

from __future__ import annotations

import functools
import importlib
import random
from collections.abc import Callable
from typing import Any

from ._timing import Row, time_once

__all__ = ["run"]

SUITE = "catalog"


def _k_solve(solve: Callable[..., Any], args: tuple[Any, ...], k: int, field: str) -> None:
    for entry in solve(*args, strategy="bottom_up", k=k).k_best:
        getattr(entry, field)


def _first(solved: Any, field: str) -> None:
    getattr(next(solved.witnesses()), field)


def _auto_count(solve: Callable[..., Any], args: tuple[Any, ...]) -> None:
    solve(*args).count()  # the kernel's answer re-solves bottom_up for count()


def _sampled(samplers: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in samplers}
    for _ in range(rounds):
        for name, func in samplers.items():
            samples[name].append(time_once(func))
    return {name: min(times) for name, times in samples.items()}


def run(quick: bool) -> list[Row]:
    """The rows: per problem, solve, solve with k = 1, 10, 100, count(), first witness."""
    knapsack: Any = importlib.import_module("dptoolkit.problems.knapsack")
    edit_distance: Any = importlib.import_module("dptoolkit.problems.edit_distance")
    alignment: Any = importlib.import_module("dptoolkit.problems.alignment")
    rng = random.Random(14)
    items = 12 if quick else 30
    weights = [rng.randint(1, 20) for _ in range(items)]
    values = [rng.randint(1, 30) for _ in range(items)]
    letters = 30 if quick else 60
    a = "".join(rng.choice("ACGT") for _ in range(letters))
    b = "".join(rng.choice("ACGT") for _ in range(letters))
    cases = [
        (
            f"knapsack {items} items, capacity {5 * items}",
            knapsack.solve,
            (weights, values, 5 * items),
            "items",
        ),
        (f"edit distance {letters}x{letters}", edit_distance.solve, (a, b), "operations"),
        (
            f"alignment {letters}x{letters}, affine gaps",
            functools.partial(alignment.solve, gap_open=-2, gap_extend=-1),
            (a, b),
            "aligned",
        ),
    ]
    rows: list[Row] = []
    for case, solve, args, field in cases:
        solved = solve(*args, strategy="bottom_up")
        answers = solved.count()
        samplers: dict[str, Callable[[], Any]] = {
            "solve bottom_up": functools.partial(solve, *args, strategy="bottom_up"),
        }
        for k in (1, 10, 100):
            samplers[f"solve k={k}"] = functools.partial(_k_solve, solve, args, k, field)
        samplers["count() on the solution"] = solved.count
        samplers["first witness"] = functools.partial(_first, solved, field)
        samplers["solve auto (kernel)"] = functools.partial(solve, *args)
        samplers["solve auto, then count()"] = functools.partial(_auto_count, solve, args)
        best = _sampled(samplers, 3 if quick else 5)
        base = best["solve bottom_up"]
        for subject, seconds in best.items():
            note = f"{answers:,} optimal" if subject.startswith("count") else ""
            rows.append(Row(SUITE, f"{case}: many answers", subject, seconds, seconds / base, note))
    return rows
