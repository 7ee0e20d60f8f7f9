"""Catalog benchmarks: each problem's kernels against the plain way and the outside tools.

``python -m dptoolkit.bench catalog [--quick]``. Every row is the minimum over
several rounds, timed in this process; ``ratio`` is the row's time over the
first row of its case (the baseline), so lower is better. Each problem has
one function returning its rows; :func:`run` gathers them.

Part A's rows are CPU time of this process (``time.process_time``): every
kernel measured there is single-threaded, and on a shared machine a 50 ms
computation is preempted far more often than a 2 ms one, which skews
wall-clock ratios between rows of very different lengths.
"""

from __future__ import annotations

import gc
import importlib
import math
import random
import time
from collections.abc import Callable
from typing import Any

from ._timing import Row

__all__ = ["run"]

SUITE = "catalog"

Bench = Callable[[bool], list[Row]]


def _rows(case: str, entries: list[tuple[str, float, str]]) -> list[Row]:
    """Rows of one case; the first entry is the baseline of the ratios."""
    base = entries[0][1]
    return [
        Row(SUITE, case, subject, seconds, seconds / base if base > 0 else None, note)
        for subject, seconds, note in entries
    ]


def _faster(base: float, seconds: float) -> str:
    return f"{base / seconds:.0f}x faster" if seconds < base else f"{seconds / base:.1f}x slower"


def _cpu(func: Callable[[], Any], *, rounds: int) -> float:
    """Least CPU time of *func* over *rounds* runs (garbage collector paused)."""
    best = math.inf
    for _ in range(rounds):
        enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.process_time()
            func()
            best = min(best, time.process_time() - start)
        finally:
            if enabled:
                gc.enable()
    return best


def _problem(name: str) -> Any:
    """The catalog module ``dptoolkit.problems.<name>``."""
    return importlib.import_module(f"dptoolkit.problems.{name}")


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


# --------------------------------------------------------------------------
# Part A: fibonacci, catalan, factorial, knapsack, lis, subset_sum, coin_change
# --------------------------------------------------------------------------


def _knapsack_plain(weights: list[int], values: list[int], capacity: int, unbounded: bool) -> int:
    """The textbook one-row DP in plain Python (the baseline)."""
    row = [0] * (capacity + 1)
    for weight, value in zip(weights, values, strict=True):
        cells = range(weight, capacity + 1) if unbounded else range(capacity, weight - 1, -1)
        for w in cells:
            candidate = row[w - weight] + value
            if candidate > row[w]:
                row[w] = candidate
    return row[capacity]


def _knapsack_case(
    weights: list[int], values: list[int], capacity: int, unbounded: bool, quick: bool
) -> list[Row]:
    knapsack = _problem("knapsack")

    def value() -> object:
        return knapsack.solve(weights, values, capacity, unbounded=unbounded).value

    def items() -> object:
        return knapsack.solve(weights, values, capacity, unbounded=unbounded).items

    plain = _cpu(
        lambda: _knapsack_plain(weights, values, capacity, unbounded), rounds=1 if quick else 3
    )
    value_only = _cpu(value, rounds=5 if quick else 21)
    witness = _cpu(items, rounds=5 if quick else 21)
    kind = "unbounded" if unbounded else "0/1"
    return _rows(
        f"knapsack {kind}, {len(weights)} items, W={capacity:,}",
        [
            ("plain-Python 1-D DP (value)", plain, "baseline"),
            ("fast: numpy row (value)", value_only, _faster(plain, value_only)),
            (
                "fast: value + items (choice table)",
                witness,
                f"witness costs {witness / value_only:.2f}x the value alone",
            ),
        ],
    )


def _knapsack(quick: bool) -> list[Row]:
    knapsack = _problem("knapsack")

    n, capacity = (60, 10_000) if quick else (200, 50_000)
    rng = random.Random(1)
    weights = [rng.randint(1, capacity // 25) for _ in range(n)]
    values = [rng.randint(1, 1000) for _ in range(n)]
    rows = _knapsack_case(weights, values, capacity, False, quick)
    rows += _knapsack_case(weights, values, capacity, True, quick)
    small_n, small_w = (15, 1_000) if quick else (40, 5_000)
    sub_w, sub_v = weights[:small_n], values[:small_n]
    fast = _cpu(lambda: knapsack.solve(sub_w, sub_v, small_w).items, rounds=7)
    table = _cpu(
        lambda: knapsack.solve(sub_w, sub_v, small_w, strategy="bottom_up").items, rounds=3
    )
    rows += _rows(
        f"knapsack 0/1, {small_n} items, W={small_w:,}",
        [
            ("fast: numpy row + items", fast, "baseline"),
            ("bottom_up (engine table) + items", table, _faster(fast, table)),
        ],
    )
    return rows


def _fib_classic(n: int) -> int:
    """Textbook fast doubling: three full products per bit (for comparison)."""
    a, b = 0, 1
    for bit in bin(n)[2:]:
        c = a * ((b << 1) - a)
        d = a * a + b * b
        a, b = (d, c + d) if bit == "1" else (c, d)
    return a


def _fibonacci(quick: bool) -> list[Row]:
    fibonacci = _problem("fibonacci")

    n = 200_000 if quick else 1_000_000
    rounds = 3 if quick else 9
    ours = _cpu(lambda: fibonacci.solve(n).value, rounds=rounds)
    threshold = fibonacci.FFT_BITS
    fibonacci.FFT_BITS = 1 << 62  # every product by CPython's Karatsuba
    try:
        karatsuba = _cpu(lambda: fibonacci.solve(n).value, rounds=rounds)
    finally:
        fibonacci.FFT_BITS = threshold
    classic = _cpu(lambda: _fib_classic(n), rounds=rounds)
    entries = [
        ("fast: doubling by squarings, FFT for the largest", ours, "target <= 40x"),
        ("the same, Karatsuba only", karatsuba, "no FFT product"),
        ("doubling, 3 products per bit", classic, "the textbook identities"),
    ]
    gmpy2 = _optional("gmpy2")
    if gmpy2 is None:
        entries[0] = (entries[0][0], ours, "gmpy2 not installed: no outside baseline")
    else:
        entries.insert(
            0, ("gmpy2.fib (GMP)", _cpu(lambda: gmpy2.fib(n), rounds=5 * rounds), "baseline")
        )
    return _rows(f"fibonacci({n:,}), exact", entries)


def _catalan(quick: bool) -> list[Row]:
    catalan = _problem("catalan")

    n = 10_000
    rounds = 5 if quick else 25
    closed = _cpu(lambda: math.comb(2 * n, n) // (n + 1), rounds=rounds)
    fast = _cpu(lambda: catalan.solve(n).value, rounds=rounds)
    rows = _rows(
        f"catalan({n:,})",
        [
            ("math.comb(2n, n) // (n + 1)", closed, "baseline"),
            ("fast: prime powers, product tree", fast, "target <= 2x"),
        ],
    )
    small = 150 if quick else 400
    fast_small = _cpu(lambda: catalan.solve(small).value, rounds=rounds)
    table = _cpu(lambda: catalan.solve(small, strategy="bottom_up").value, rounds=3)
    rows += _rows(
        f"catalan({small})",
        [
            ("fast: prime powers, product tree", fast_small, "baseline"),
            ("bottom_up: O(n^2) products", table, _faster(fast_small, table)),
        ],
    )
    return rows


def _factorial(quick: bool) -> list[Row]:
    factorial = _problem("factorial")

    n = 20_000 if quick else 100_000
    rounds = 3 if quick else 7

    def loop() -> int:
        product = 1
        for k in range(2, n + 1):
            product *= k
        return product

    builtin = _cpu(lambda: math.factorial(n), rounds=rounds)
    fast = _cpu(lambda: factorial.solve(n).value, rounds=rounds)
    plain = _cpu(loop, rounds=1 if quick else 2)
    return _rows(
        f"factorial({n:,})",
        [
            ("math.factorial (C, binary splitting)", builtin, "baseline"),
            ("fast: odd part, binary splitting", fast, ""),
            ("plain product loop", plain, ""),
        ],
    )


def _lis(quick: bool) -> list[Row]:
    lis = _problem("lis")

    n = 600 if quick else 2_000
    rng = random.Random(7)
    seq = [rng.randint(0, 10 * n) for _ in range(n)]
    fast = _cpu(lambda: lis.solve(seq).indices, rounds=15)
    table = _cpu(lambda: lis.solve(seq, strategy="bottom_up").indices, rounds=3)
    top = _cpu(lambda: lis.solve(seq, strategy="top_down").indices, rounds=3)
    return _rows(
        f"lis, {n:,} random integers",
        [
            ("fast: patience sorting + indices", fast, "baseline"),
            ("bottom_up: O(n^2) table + indices", table, _faster(fast, table)),
            ("top_down: O(n^2) memo + indices", top, _faster(fast, top)),
        ],
    )


def _subset_sum(quick: bool) -> list[Row]:
    subset_sum = _problem("subset_sum")

    n, target = (30, 2_001) if quick else (60, 6_001)
    rng = random.Random(3)
    numbers = [2 * rng.randint(1, 100) for _ in range(n)]  # all even: the odd target is never hit
    fast = _cpu(lambda: subset_sum.solve(numbers, target).value, rounds=25)
    witness = _cpu(lambda: subset_sum.solve(numbers, target - 1).indices, rounds=25)
    table = _cpu(lambda: subset_sum.solve(numbers, target, strategy="bottom_up").value, rounds=3)
    return _rows(
        f"subset_sum, {n} numbers, T={target:,} (unreachable)",
        [
            ("fast: big-integer bitset", fast, "baseline"),
            ("fast: bitset rows + indices (T - 1)", witness, "keeps every row for the walk"),
            ("bottom_up: (n + 1)(T + 1) table", table, _faster(fast, table)),
        ],
    )


def _coin_change(quick: bool) -> list[Row]:
    coin_change = _problem("coin_change")
    amount = 20_000 if quick else 200_000
    rounds = 3 if quick else 7

    def case(label: str, coins: list[int]) -> list[Row]:
        fast = _cpu(lambda: coin_change.solve(coins, amount).coins, rounds=5 * rounds)
        table = _cpu(
            lambda: coin_change.solve(coins, amount, strategy="bottom_up").coins, rounds=rounds
        )
        top = _cpu(
            lambda: coin_change.solve(coins, amount, strategy="top_down").coins, rounds=rounds
        )
        return _rows(
            f"coin_change {label}, A={amount:,}, with coins",
            [
                ("fast: reduced amount, numpy row", fast, "baseline"),
                ("bottom_up: (A + 1) table", table, _faster(fast, table)),
                ("top_down: memo", top, _faster(fast, top)),
            ],
        )

    # euro cents: past 199 * 100 the amount comes down by 2-euro coins, a short row;
    # three coprime coins near 1000: (m - 1) m2 is past the amount, the row is all of it
    return case("euro cents", [1, 2, 5, 10, 20, 50, 100, 200]) + case(
        "997, 1009, 1013", [997, 1009, 1013]
    )


_PART_A: tuple[Bench, ...] = (
    _knapsack,
    _fibonacci,
    _catalan,
    _factorial,
    _lis,
    _subset_sum,
    _coin_change,
)


# --- part B: edit_distance, lcs, matrix_chain, graph_paths ---------------------
# Define the functions here and list them in _PART_B.
def _part_b(quick: bool) -> list[Row]:
    """Edit distance, LCS, a memory probe, all-pairs, shortest and DAG paths."""
    part_b: Any = importlib.import_module("._catalog_b", __package__)
    rows: list[Row] = part_b.run(quick)
    return rows


def _many_answers(quick: bool) -> list[Row]:
    """k = 1, 10, 100 and count() through the catalog's solve (issue 14)."""
    many: Any = importlib.import_module("._catalog_many", __package__)
    rows: list[Row] = many.run(quick)
    return rows


_PART_B: tuple[Bench, ...] = (_part_b, _many_answers)
# --- end of part B ------------------------------------------------------------


def run(quick: bool) -> list[Row]:
    """Every catalog benchmark's rows (part A's problems, then part B's)."""
    rows: list[Row] = []
    for bench in (*_PART_A, *_PART_B):
        rows.extend(bench(quick))
    return rows
