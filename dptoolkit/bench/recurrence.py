"""Benchmarks of the recurrence engine: the generic paths against hand-written code.

* ``bottom_up`` LCS against a hand-written nested loop over lists (the same
  recurrence expression), and against a tuned loop;
* ``window=2`` against the full table;
* ``top_down`` against ``dp.memoize`` alone on the same body (what it runs
  on) and against ``functools.cache`` recursion, which needs a raised
  recursion limit where deep (raised here only, inside a worker thread with a
  large stack, and restored);
* ``top_down`` LCS of two 1,500-character strings (depth ~3,000): completes;
* ``count()`` after a solve and ``solve(k=K)`` for K = 1, 10, 100
  (a user-written grid min-path recurrence, the catalog's knapsack and edit
  distance recurrences).

Run ``python -m dptoolkit.bench recurrence`` (``--quick`` for small sizes).
"""

from __future__ import annotations

import functools
import gc
import importlib
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import dptoolkit as dp

from ._timing import Row, time_once
from ._workloads import grid_path, lcs_under, make_lcs, on_big_stack, random_strings

__all__ = ["run"]

SUITE = "recurrence"


def hand_lcs(a: str, b: str) -> int:
    """The same recurrence as a nested loop over a list of lists."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev = table[i], table[i - 1]
        for j in range(1, m + 1):
            if a[i - 1] == b[j - 1]:
                row[j] = prev[j - 1] + 1
            else:
                row[j] = max(prev[j], row[j - 1])
    return table[n][m]


def tuned_lcs(a: str, b: str) -> int:
    """A tuned loop: hoisted lookups, a conditional expression instead of ``max``."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, ai = table[i], table[i - 1], a[i - 1]
        for j in range(1, m + 1):
            if ai == b[j - 1]:
                row[j] = prev[j - 1] + 1
            else:
                up, left = prev[j], row[j - 1]
                row[j] = up if up >= left else left
    return table[n][m]


def memo_lcs(a: str, b: str) -> int:
    """The same body memoized with ``dp.memoize`` alone (what ``top_down`` runs on)."""
    return lcs_under(dp.memoize, a, b)(len(a), len(b))


def functools_lcs(a: str, b: str) -> int:
    """``functools.cache`` recursion (needs a recursion limit above ~2 * (len(a) + len(b)))."""
    return lcs_under(functools.cache, a, b)(len(a), len(b))


@dp.recurrence(states=lambda n: range(n + 1))
def fib(n: int) -> int:
    """Fibonacci as one recurrence."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def memo_fib(n: int) -> int:
    """``dp.memoize`` Fibonacci, the same body (a fresh cache per call, like a solve)."""

    @dp.memoize
    def f(k: int) -> int:
        return k if k < 2 else f(k - 1) + f(k - 2)

    return f(n)


def functools_fib(n: int) -> int:
    """``functools.cache`` Fibonacci (a fresh cache per call, like a solve)."""

    @functools.cache
    def f(k: int) -> int:
        return k if k < 2 else f(k - 1) + f(k - 2)

    return f(n)


def _deep(func: Callable[[], Any]) -> Any:
    """Run *func* in a thread with a large stack and a raised recursion limit."""
    return on_big_stack(func, max(sys.getrecursionlimit(), 200_000))


def _interleaved(subjects: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Minimum time of each subject, the subjects taking turns in every round.

    Taking turns spreads the load of a shared machine evenly over the
    subjects, so the ratios are fairer than timing each one in a block.
    """
    return _sampled({name: functools.partial(time_once, f) for name, f in subjects.items()}, rounds)


def _sampled(samplers: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Minimum over *rounds* of each sampler (a callable returning seconds), in turns."""
    samples: dict[str, list[float]] = {name: [] for name in samplers}
    for _ in range(rounds):
        for name, sample in samplers.items():
            samples[name].append(sample())
    return {name: min(times) for name, times in samples.items()}


def _repeat(func: Callable[[], Any], reps: int) -> Callable[[], None]:
    def go() -> None:
        for _ in range(reps):
            func()

    return go


def _versus_functools(
    case: str,
    functools_run: Callable[[], Any],
    memo_run: Callable[[], Any],
    top_down: Callable[[], Any],
    bottom_up: Callable[[], Any],
    *,
    reps: int,
    rounds: int,
) -> list[Row]:
    """functools.cache (in a deep thread), dp.memoize alone and both strategies, in turns."""
    best = _sampled(
        {
            "functools.cache (raised limit)": lambda: _deep(
                lambda: time_once(_repeat(functools_run, reps))
            ),
            "dp.memoize alone (same body)": lambda: time_once(_repeat(memo_run, reps)),
            "dp top_down": lambda: time_once(_repeat(top_down, reps)),
            "dp bottom_up": lambda: time_once(_repeat(bottom_up, reps)),
        },
        rounds,
    )
    base = best["functools.cache (raised limit)"] / reps
    memo = best["dp.memoize alone (same body)"]
    notes = {"dp top_down": f"{best['dp top_down'] / memo:.2f}x dp.memoize alone"}
    return [
        _row(case, name, seconds / reps, base, notes.get(name, ""))
        for name, seconds in best.items()
    ]


def _row(case: str, subject: str, seconds: float, base: float | None, note: str = "") -> Row:
    return Row(SUITE, case, subject, seconds, None if base is None else seconds / base, note)


def run(quick: bool = False) -> list[Row]:
    """Measure the recurrence engine; every ratio is against the first row of its case."""
    rows: list[Row] = []
    rounds = 3 if quick else 7

    # -- bottom_up LCS against hand-written loops ------------------------------
    n = 300 if quick else 1200
    a, b = random_strings(n, 1)
    lcs = make_lcs(a, b)
    expected = hand_lcs(a, b)
    assert lcs.solve(n, n, strategy="bottom_up").value == expected == tuned_lcs(a, b)
    case = f"LCS {n}x{n} bottom_up"
    subjects: dict[str, Callable[[], Any]] = {
        "hand-written loop (same expression)": lambda: hand_lcs(a, b),
        "hand-written loop, tuned": lambda: tuned_lcs(a, b),
        "dp bottom_up (generic)": lambda: lcs.solve(n, n, strategy="bottom_up"),
        "dp bottom_up + numpy table": lambda: lcs.solve(n, n, strategy="bottom_up").table,
        "dp bottom_up window=2": lambda: lcs.solve(n, n, strategy="bottom_up", window=2),
    }
    notes = {
        "dp bottom_up (generic)": "value only (the table is converted on first access)",
        "dp bottom_up window=2": "memory: 2 rows",
    }
    best = _interleaved(subjects, rounds=rounds + 4)
    base = best["hand-written loop (same expression)"]
    for subject, seconds in best.items():
        rows.append(_row(case, subject, seconds, base, notes.get(subject, "")))

    # -- fib and LCS: top_down vs bottom_up vs functools.cache -------------------------
    for k in (500, 5000) if not quick else (500,):
        reference = functools.partial(functools_fib, k)
        assert fib.solve(k, strategy="bottom_up").value == _deep(reference)
        rows += _versus_functools(
            f"fib({k}) one solve",
            reference,
            functools.partial(memo_fib, k),
            functools.partial(fib.solve, k, strategy="top_down"),
            functools.partial(fib.solve, k, strategy="bottom_up"),
            reps=20 if k <= 500 else 3,
            rounds=rounds,
        )
    m = 200 if quick else 400
    a, b = random_strings(m, 2)
    lcs = make_lcs(a, b)
    assert lcs.solve(m, m).value == _deep(lambda: functools_lcs(a, b))
    rows += _versus_functools(
        f"LCS {m}x{m} one solve",
        lambda: functools_lcs(a, b),
        lambda: memo_lcs(a, b),
        lambda: lcs.solve(m, m, strategy="top_down"),
        lambda: lcs.solve(m, m, strategy="bottom_up"),
        reps=1,
        rounds=rounds,
    )

    # -- deep top_down: LCS of two 1,500-character strings ---------------------------
    big = 300 if quick else 1500
    a, b = random_strings(big, 3)
    lcs = make_lcs(a, b)
    case = f"LCS {big}x{big} top_down (depth ~{2 * big})"
    box: list[Any] = []
    seconds = time_once(lambda: box.append(lcs.solve(big, big, strategy="top_down")))
    ok = box[0].value == tuned_lcs(a, b)
    stats = box[0].stats
    alone = time_once(lambda: memo_lcs(a, b))
    rows.append(_row(case, "dp.memoize alone (same body)", alone, alone, "one run"))
    rows.append(
        _row(
            case,
            "dp top_down",
            seconds,
            alone,
            f"{'completes, value checked' if ok else 'WRONG VALUE'}; one run; "
            f"{stats.misses:,} states, {stats.hits:,} hits; recursion limit untouched",
        )
    )
    base = _deep(lambda: time_once(lambda: functools_lcs(a, b)))
    rows.append(_row(case, "functools.cache (raised limit)", base, alone, "one run"))

    # -- more than one answer: count() and k= ------------------------------------------
    rows += _many_answers(quick)
    return rows


def _came_from(state: Any, label: Any) -> Any:
    return label


def _timer(func: Callable[[], Any]) -> Callable[[], float]:
    return functools.partial(time_once, func)


def _collecting(func: Callable[[], Any]) -> Callable[[], float]:
    """Seconds of one call with the garbage collector on, as a user's program runs it."""

    def sample() -> float:
        was_enabled = gc.isenabled()
        gc.collect()  # what the paused collector left pending is not this call's
        gc.enable()
        try:
            start = time.perf_counter()
            func()
            gc.collect(0)  # the pass over what the call left young (a k= run defers it)
            return time.perf_counter() - start
        finally:
            if not was_enabled:
                gc.disable()

    return sample


def _first(sol: Any) -> Any:
    return next(sol.witnesses(step=_came_from))


def _many_answers(quick: bool) -> list[Row]:
    """count() after a solve, and solve(k=K) for K = 1, 10, 100, against the plain solve."""
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
        # the timings above pause the collector; a k= run allocates many traces, so also
        # with it on (the ratio against the plain solve with it on)
        on = "collector on"
        samplers[f"solve, {on}"] = _collecting(
            functools.partial(target.solve, *g, strategy="bottom_up")
        )
        samplers[f"solve k=100, {on}"] = _collecting(
            functools.partial(target.solve, *g, strategy="bottom_up", k=100)
        )
        best = _sampled(samplers, rounds)
        for subject, seconds in best.items():
            base = best[f"solve, {on}"] if on in subject else best["solve"]
            note = f"against the plain solve, {on}" if on in subject else ""
            rows.append(Row(SUITE, f"{case}: k best", subject, seconds, seconds / base, note))
    return rows
