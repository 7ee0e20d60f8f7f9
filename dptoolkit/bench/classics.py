"""Textbook classics: TSP, egg drop, optimal BST and friends against their bars.

``python -m dptoolkit.bench classics [--quick]``. Rows are the least CPU
time of this process (``time.process_time``) over the rounds shown in each
case, subjects of one case timed alternately; ``ratio`` is the row's time
over the first row of its case. The bars (issue 13):

* TSP, 15 cities, value: ``fast`` at most 0.2x python-tsp's
  ``solve_tsp_dynamic_programming`` (pure Python; the row is skipped when
  python-tsp is not installed);
* TSP, 20 cities with the tour: under 2 GiB, measured as the peak RSS of a
  fresh interpreter that does only that;
* egg drop, 100 eggs and 10^18 floors: well under a second;
* optimal BST, n = 2,000: ``fast`` at least 20x ``bottom_up``. The cubic
  table at 2,000 keys takes many minutes, so ``bottom_up`` is timed at
  sizes it can do and its 2,000-key time extrapolated as ``n^3`` from the
  largest (the note says so).
"""

from __future__ import annotations

import functools
import gc
import importlib
import math
import random
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from ._timing import Row

__all__ = ["run"]

SUITE = "classics"


def _cpu(func: Callable[[], Any]) -> float:
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.process_time()
        func()
        return time.process_time() - start
    finally:
        if enabled:
            gc.enable()


def _alternate(subjects: list[Callable[[], Any]], rounds: list[int]) -> list[float]:
    """Least CPU time of each subject, the subjects run in turn (round robin)."""
    best = [math.inf] * len(subjects)
    for r in range(max(rounds)):
        for k, func in enumerate(subjects):
            if r < rounds[k]:
                best[k] = min(best[k], _cpu(func))
    return best


def _problem(name: str) -> Any:
    """The catalog module ``dptoolkit.problems.<name>`` (imported as the bench runs)."""
    return importlib.import_module(f"dptoolkit.problems.{name}")


def _rows(case: str, entries: list[tuple[str, float, str]]) -> list[Row]:
    base = entries[0][1]
    return [
        Row(SUITE, case, subject, seconds, seconds / base if base > 0 else None, note)
        for subject, seconds, note in entries
    ]


def _matrix(n: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    return [[0 if i == j else rng.randint(1, 1000) for j in range(n)] for i in range(n)]


def _tsp_vs_python_tsp(quick: bool) -> list[Row]:
    tsp = _problem("tsp")

    n = 12 if quick else 15
    D = _matrix(n, 1)
    try:
        import numpy as np

        exact: Any = importlib.import_module("python_tsp.exact")
    except ImportError:
        return [Row(SUITE, f"tsp {n} cities, value", "python-tsp", math.nan, None, "not installed")]
    array = np.array(D)
    theirs_value: list[Any] = []
    ours: list[Any] = []
    times = _alternate(
        [
            lambda: theirs_value.append(exact.solve_tsp_dynamic_programming(array)[1]),
            lambda: ours.append(tsp.solve(D).value),
        ],
        [2, 10],
    )
    agree = int(theirs_value[0]) == ours[0]
    return _rows(
        f"tsp {n} cities, value",
        [
            ("python-tsp solve_tsp_dynamic_programming", times[0], "baseline"),
            ("fast: numpy Held-Karp (value and tour)", times[1], f"same value: {agree}"),
        ],
    )


_PROBE = """
import random, resource, sys, time

def peak():
    # VmHWM: this process's own high-water mark (ru_maxrss survives exec, so a
    # big parent would show through); ru_maxrss where /proc is missing
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

from dptoolkit.problems import tsp
n = int(sys.argv[1])
rng = random.Random(2)
D = [[0 if i == j else rng.randint(1, 1000) for j in range(n)] for i in range(n)]
before = peak()
start = time.process_time()
sol = tsp.solve(D)
assert len(sol.tour) == n + 1
seconds = time.process_time() - start
print(seconds, before, peak())
"""


def _tsp_memory(quick: bool) -> list[Row]:
    n = 16 if quick else 20
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(n)], capture_output=True, text=True, check=True
    ).stdout.split()
    seconds, before, peak = float(out[0]), int(out[1]), int(out[2])
    return [
        Row(
            SUITE,
            f"tsp {n} cities, value and tour",
            "fast, in a fresh interpreter",
            seconds,
            None,
            f"peak RSS {peak / 2**20:,.0f} MiB ({before / 2**20:,.0f} MiB before the solve)",
        )
    ]


def _egg_drop(quick: bool) -> list[Row]:
    egg_drop = _problem("egg_drop")

    times = _alternate(
        [lambda: egg_drop.solve(100, 10**18), lambda: egg_drop.solve(2, 10**18)], [20, 20]
    )
    return _rows(
        "egg_drop, 10^18 floors",
        [
            ("fast: 100 eggs (answer 60)", times[0], "baseline"),
            ("fast: 2 eggs (answer 1,414,213,562)", times[1], ""),
        ],
    )


def _probabilities(n: int, seed: int) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    raw = [rng.random() for _ in range(2 * n + 1)]
    total = sum(raw)
    return [x / total for x in raw[:n]], [x / total for x in raw[n:]]


def _bst_tree(p: list[float], q: list[float], strategy: str) -> Any:
    optimal_bst = _problem("optimal_bst")

    return optimal_bst.solve(p, q, strategy=strategy).tree


def _optimal_bst(quick: bool) -> list[Row]:
    optimal_bst = _problem("optimal_bst")

    big = 500 if quick else 2000
    sizes = (50, 100) if quick else (100, 200, 300)
    rows: list[Row] = []
    for n in sizes:
        p, q = _probabilities(n, n)
        times = _alternate(
            [
                functools.partial(_bst_tree, p, q, "fast"),
                functools.partial(_bst_tree, p, q, "bottom_up"),
            ],
            [5, 2],
        )
        rows += _rows(
            f"optimal_bst n={n}, with the tree",
            [
                ("fast: Knuth, numpy per diagonal", times[0], "baseline"),
                ("bottom_up: the O(n^3) table", times[1], f"{times[1] / times[0]:.0f}x slower"),
            ],
        )
    largest = rows[-1].seconds
    p, q = _probabilities(big, big)
    (fast,) = _alternate([lambda: optimal_bst.solve(p, q).tree], [3])
    guess = largest * (big / sizes[-1]) ** 3
    rows += _rows(
        f"optimal_bst n={big:,}, with the tree",
        [
            ("fast: Knuth, numpy per diagonal", fast, "baseline (measured)"),
            (
                "bottom_up: the O(n^3) table",
                guess,
                f"EXTRAPOLATED as n^3 from n={sizes[-1]}: {guess / fast:,.0f}x slower",
            ),
        ],
    )
    return rows


def _kernels(quick: bool) -> list[Row]:
    """word_break, palindrome, interval_scheduling: fast against bottom_up."""
    interval_scheduling, palindrome, word_break = (
        _problem(name) for name in ("interval_scheduling", "palindrome", "word_break")
    )

    rng = random.Random(4)
    scale = 1 if quick else 4
    words = sorted({"".join(rng.choice("ab") for _ in range(rng.randint(1, 8))) for _ in range(60)})
    text = "".join(rng.choice(words) for _ in range(500 * scale))
    s = "".join(rng.choice("acgt") for _ in range(250 * scale))
    jobs = []
    for _ in range(5000 * scale):
        a = rng.uniform(0, 10**4)
        jobs.append((a, a + rng.uniform(0, 50), rng.randint(1, 100)))
    rows: list[Row] = []
    cases: list[tuple[str, Callable[[str], Any]]] = [
        (
            f"word_break, {len(text):,} chars, 60 words, count and split",
            lambda st: word_break.solve(text, words, strategy=st).words,
        ),
        (
            f"palindrome, {len(s):,} chars, with the sequence",
            lambda st: palindrome.solve(s, strategy=st).sequence,
        ),
        (
            f"interval_scheduling, {len(jobs):,} intervals, with the indices",
            lambda st: interval_scheduling.solve(jobs, strategy=st).indices,
        ),
    ]
    for label, call in cases:
        times = _alternate(
            [functools.partial(call, "fast"), functools.partial(call, "bottom_up")], [5, 3]
        )
        rows += _rows(
            label,
            [
                ("fast", times[0], "baseline"),
                ("bottom_up", times[1], f"{times[1] / times[0]:.1f}x slower"),
            ],
        )
    return rows


def run(quick: bool) -> list[Row]:
    """Every row of the suite: the four bars of issue 13, then the other kernels."""
    rows: list[Row] = []
    for bench in (_tsp_vs_python_tsp, _tsp_memory, _egg_drop, _optimal_bst, _kernels):
        rows.extend(bench(quick))
    return rows
