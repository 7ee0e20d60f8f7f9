"""The recurrence engine: one body, three strategies, the same answers and honest counts."""

from __future__ import annotations

import asyncio
import importlib
import math
import sys
import threading

import numpy as np
import pytest

import dptoolkit as dp

STRATEGIES = ("naive", "top_down", "bottom_up")


def make_fib():
    @dp.recurrence(states=lambda n: range(n + 1))
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return fib


@dp.recurrence(states=lambda n: range(n + 1))
def fib_global(n):
    return n if n < 2 else fib_global(n - 1) + fib_global(n - 2)


@dp.recurrence(states=lambda n, k: dp.grid(n + 1, k + 1))
def binom(n, k):
    if k == 0 or k == n:
        return 1
    if k > n:
        return 0
    return binom(n - 1, k - 1) + binom(n - 1, k)


def fib_reference(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


# -- the three strategies agree, and the counts are the textbook ones ---------


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("make", [make_fib, lambda: fib_global], ids=["closure", "global"])
def test_fib_every_strategy(make, strategy) -> None:
    fib = make()
    for n in range(15):
        sol = fib.solve(n, strategy=strategy)
        assert sol.value == fib_reference(n)
        assert sol.strategy == strategy


def test_naive_counts_every_call() -> None:
    fib = make_fib()
    assert fib.solve(5, strategy="naive").stats.calls == 15
    stats = fib.solve(10, strategy="naive").stats
    assert stats == dp.Stats(calls=177, hits=0, misses=177, states=11, peak=0)


def test_top_down_counts_hits_and_misses() -> None:
    fib = make_fib()
    assert fib.solve(5, strategy="top_down").stats == dp.Stats(9, 3, 6, 6, 6)
    stats = fib.solve(10, strategy="top_down").stats
    assert (stats.calls, stats.hits, stats.misses, stats.states) == (19, 8, 11, 11)


def test_bottom_up_counts_states_and_reads() -> None:
    fib = make_fib()
    stats = fib.solve(10, strategy="bottom_up").stats
    # 11 states computed; states 2..10 read two states each
    assert stats == dp.Stats(calls=11 + 18, hits=18, misses=11, states=11, peak=11)


def test_calling_outside_a_solve_is_top_down_and_holds_no_cache() -> None:
    fib = make_fib()
    assert fib(30) == fib_reference(30)
    assert fib(30) == fib_reference(30)
    assert fib.solve(30).strategy == "top_down"


def test_keyword_calls_are_normalized_to_the_positional_state() -> None:
    @dp.recurrence(states=lambda n, k: dp.grid(n + 1, k + 1))
    def c(n, k):
        if k == 0 or k == n:
            return 1
        return c(n=n - 1, k=k - 1) + c(n - 1, k=k) if k < n else 0

    for strategy in STRATEGIES:
        sol = c.solve(n=8, k=3, strategy=strategy)
        assert sol.value == math.comb(8, 3)
    td = c.solve(8, 3, strategy="top_down").stats
    bu = c.solve(8, 3, strategy="bottom_up")
    # the same states as the positional spelling: keywords made no duplicates
    assert td.misses == binom.solve(8, 3, strategy="top_down").stats.misses == 23
    assert bu.value == 56


def test_defaults_are_part_of_the_state() -> None:
    @dp.recurrence(states=lambda n, step=1: dp.grid(n + 1, 2))
    def walk(n, step=1):
        return 1 if n == 0 else walk(n - 1) + walk(n - 1, step)

    for strategy in STRATEGIES:
        assert walk.solve(6, strategy=strategy).value == 2**6
    assert walk.solve(6, strategy="top_down").stats.misses == 7


def test_calls_through_a_helper_are_routed_to_the_running_solve() -> None:
    def make():
        def helper(n):
            return f(n - 1) + f(n - 2)

        @dp.recurrence(states=lambda n: range(n + 1))
        def f(n):
            return n if n < 2 else helper(n)

        return f

    f = make()
    for strategy in STRATEGIES:
        sol = f.solve(12, strategy=strategy)
        assert sol.value == 144
    assert f.solve(12, strategy="bottom_up").stats.states == 13
    assert f.solve(12, strategy="top_down").stats.misses == 13


def test_a_body_that_assigns_globals_still_works() -> None:
    sol = counter_fib.solve(10, strategy="bottom_up")
    assert sol.value == 55
    assert COUNTER["n"] == 11


COUNTER = {"n": 0}
_seen = 0


@dp.recurrence(states=lambda n: range(n + 1))
def counter_fib(n):
    global _seen
    _seen += 1
    COUNTER["n"] = _seen
    return n if n < 2 else counter_fib(n - 1) + counter_fib(n - 2)


def test_bare_decorator_runs_top_down_and_naive_but_needs_states_for_bottom_up() -> None:
    @dp.recurrence
    def f(n):
        return 1 if n == 0 else 2 * f(n - 1)

    assert f(10) == 1024
    assert f.solve(10, strategy="naive").value == 1024
    with pytest.raises(dp.InvalidInput, match="states"):
        f.solve(10, strategy="bottom_up")


def test_fixed_space_instead_of_a_function() -> None:
    @dp.recurrence(states=range(50))
    def tri(n):
        return 0 if n == 0 else n + tri(n - 1)

    assert tri.solve(20, strategy="bottom_up").value == 210
    with pytest.raises(dp.InvalidType, match="one-shot iterator"):
        dp.recurrence(states=iter(range(3)))(lambda n: n)


def test_solution_of_each_strategy_is_a_solution() -> None:
    sol = binom.solve(6, 2, strategy="bottom_up")
    assert isinstance(sol, dp.Solution)
    assert isinstance(sol.stats, dp.Stats)
    assert sol.table[6, 2] == 15
    with pytest.raises(dp.errors.NotRecorded, match="strategy='bottom_up'"):
        binom.solve(6, 2, strategy="top_down").table


# -- failure modes -------------------------------------------------------------


def test_order_error_names_both_states() -> None:
    @dp.recurrence(states=lambda n: range(n, -1, -1))  # backwards: wrong for this body
    def f(n):
        return 0 if n == 0 else f(n - 1) + 1

    with pytest.raises(dp.OrderError) as info:
        f.solve(5, strategy="bottom_up")
    assert info.value.state == 5 and info.value.needed == 4
    assert "f(5)" in str(info.value) and "f(4)" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_order_error_in_a_dict_table() -> None:
    @dp.recurrence(states=lambda n, j: [(i, j) for i in range(n, -1, -1)])
    def g(i, j):
        return 0 if i == 0 else g(i - 1, j) + 1

    with pytest.raises(dp.OrderError) as info:
        g.solve(3, 0, strategy="bottom_up")
    assert (info.value.state, info.value.needed) == ((3, 0), (2, 0))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_state_that_depends_on_itself_is_a_cycle_error(strategy) -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        if n == 0:
            return 0
        return f(n - 1) + (f(n) if n == 2 else 0)

    with pytest.raises(dp.CycleError, match=r"f\(2\)"):
        f.solve(4, strategy=strategy)


@pytest.mark.parametrize("strategy", ["naive", "top_down"])
def test_a_longer_cycle_is_a_cycle_error(strategy) -> None:
    @dp.recurrence
    def f(n):
        return f((n + 1) % 3)

    with pytest.raises(dp.CycleError) as info:
        f.solve(0, strategy=strategy)
    assert "f(0)" in str(info.value)
    assert info.value.cycle == [0, 1, 2, 0]


def test_naive_budget_stops_with_budget_exceeded() -> None:
    fib = make_fib()
    with pytest.raises(dp.BudgetExceeded) as info:
        fib.solve(25, strategy="naive", max_calls=1000)
    assert info.value.max_calls == 1000
    assert "max_calls=1,000" in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_naive_default_budget_never_hangs() -> None:
    fib = make_fib()
    with pytest.raises(dp.BudgetExceeded, match="2,000,000"):
        fib.solve(60, strategy="naive")


def test_naive_too_deep_is_a_budget_error_naming_the_depth() -> None:
    @dp.recurrence
    def count(n):
        return 0 if n == 0 else count(n - 1) + 1

    with pytest.raises(dp.BudgetExceeded, match="depth"):
        count.solve(sys.getrecursionlimit() * 3, strategy="naive")
    assert count.solve(100, strategy="naive").value == 100


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_state_outside_the_declared_space_is_invalid_input(strategy) -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        return 0 if n == 0 else f(n - 1) + f(n + 1) if n == 3 else (f(n - 1) if n else 0)

    with pytest.raises(dp.InvalidInput, match=r"f\(4\)"):
        f.solve(3, strategy=strategy)


def test_goal_outside_the_states_is_invalid_input() -> None:
    @dp.recurrence(states=lambda n: range(n))  # forgot the + 1
    def f(n):
        return 0 if n == 0 else f(n - 1)

    with pytest.raises(dp.InvalidInput, match=r"goal f\(5\)"):
        f.solve(5, strategy="bottom_up")


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"strategy": "greedy"}, dp.InvalidInput, "strategy='greedy'"),
        ({"strategy": 3}, dp.InvalidType, "strategy=3"),
        ({"max_calls": 0}, dp.InvalidInput, "max_calls=0"),
        ({"max_calls": 2.5}, dp.InvalidType, "max_calls=2.5"),
        ({"window": 0, "strategy": "bottom_up"}, dp.InvalidInput, "window=0"),
        ({"window": 2, "strategy": "top_down"}, dp.InvalidInput, "window=2 needs"),
    ],
)
def test_bad_options_name_the_argument(kwargs, exc, message) -> None:
    with pytest.raises(exc, match=message):
        make_fib().solve(5, **kwargs)


def test_bad_bodies_and_arguments() -> None:
    with pytest.raises(dp.InvalidType, match="callable"):
        dp.recurrence(3)
    with pytest.raises(dp.InvalidType, match="positional"):

        @dp.recurrence
        def f(n, *, k=1):
            return n

    with pytest.raises(dp.InvalidType, match="fib"):
        make_fib().solve(1, 2, 3)
    with pytest.raises(dp.InvalidInput, match="at least one"):
        dp.choose([], best=max)
    with pytest.raises(dp.InvalidInput, match="best="):
        dp.choose([(1, "a")], best=sorted)
    with pytest.raises(dp.InvalidInput, match="pair"):
        dp.choose([1, 2], best=min)

    @dp.recurrence(states=lambda a, b: [1, 2])
    def two(a, b):
        return a + b

    with pytest.raises(dp.InvalidInput, match="yield tuples"):
        two.solve(1, 2, strategy="bottom_up")


def test_body_exceptions_propagate_untouched() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        if n == 3:
            raise KeyError("boom")
        return 0 if n == 0 else f(n - 1)

    for strategy in STRATEGIES:
        with pytest.raises(KeyError, match="boom"):
            f.solve(5, strategy=strategy)
        # and the recurrence is usable afterwards
        assert f.solve(2, strategy=strategy).value == 0


# -- tables -------------------------------------------------------------------


def test_int_table_is_int64_and_big_values_fall_back_to_objects() -> None:
    fib = make_fib()
    small = fib.solve(90, strategy="bottom_up")
    assert small.table.dtype == np.int64
    assert small.table[90] == fib_reference(90)
    big = fib.solve(100, strategy="bottom_up")
    assert big.value == fib_reference(100) > 2**63
    assert big.table.dtype == object
    assert big.table[100] == fib_reference(100)
    assert big.table[92] == fib_reference(92) and big.table[93] == fib_reference(93)


def test_binomials_past_int64_stay_exact() -> None:
    sol = binom.solve(70, 35, strategy="bottom_up")
    assert sol.value == math.comb(70, 35) > 2**63
    assert sol.table.dtype == object
    assert all(sol.table[70, k] == math.comb(70, k) for k in range(36))
    assert all(type(v) is int for v in sol.table.ravel())

    @dp.recurrence(states=lambda i, j: dp.intervals(j + 1))
    def big(i, j):  # a triangle of states: the cells below the diagonal are blank
        return 2**70 if i == j else big(i, j - 1) + 1

    t = big.solve(0, 2, strategy="bottom_up").table
    assert t.dtype == object and t[0, 2] == 2**70 + 2 and t[2, 0] is None


def test_bool_float_inf_and_object_tables() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def even(n):
        return True if n == 0 else not even(n - 1)

    t = even.solve(5, strategy="bottom_up").table
    assert t.dtype == bool and t.tolist() == [True, False, True, False, True, False]

    @dp.recurrence(states=lambda n: range(n + 1))
    def coins(n):
        if n == 0:
            return 0
        return min([coins(n - c) + 1 for c in (3, 5) if c <= n], default=math.inf)

    t = coins.solve(8, strategy="bottom_up").table
    assert t.dtype == np.float64
    assert t[1] == math.inf and t[8] == 2 and t[0] == 0

    @dp.recurrence(states=lambda n: range(n + 1))
    def words(n):
        return "" if n == 0 else words(n - 1) + "ab"[n % 2]

    t = words.solve(4, strategy="bottom_up").table
    assert isinstance(t, dict) and t[4] == "baba"

    @dp.recurrence(states=lambda n: range(n + 1))
    def mixed(n):
        return True if n == 0 else n

    t = mixed.solve(3, strategy="bottom_up").table
    assert isinstance(t, dict) and t[0] is True


def test_intervals_table_cells_outside_the_space_are_blank() -> None:
    @dp.recurrence(states=lambda i, j: dp.intervals(j + 1))
    def width(i, j):
        return 1 if i == j else width(i, j - 1) + 1

    sol = width.solve(0, 3, strategy="bottom_up")
    assert sol.value == 4
    assert sol.table.shape == (4, 4) and sol.table[1, 3] == 3 and sol.table[3, 1] == 0


def test_dict_table_for_other_iterables() -> None:
    @dp.recurrence(states=lambda n, p: [(i, (i + n + p) % 2) for i in range(n + 1)])
    def alt(i, parity):
        return 0 if i == 0 else alt(i - 1, 1 - parity) + parity

    sol = alt.solve(6, 0, strategy="bottom_up")
    assert sol.value == alt.solve(6, 0, strategy="naive").value == 3
    assert isinstance(sol.table, dict) and sol.table[(5, 1)] == 3


def test_negative_states_use_a_dict() -> None:
    g = dp.recurrence(states=range(-5, 1))(lambda n: 1 if n == -5 else g(n - 1) * 2)
    out = g.solve(0, strategy="bottom_up")
    assert out.value == 32 and isinstance(out.table, dict) and out.table[-1] == 16


# -- window -------------------------------------------------------------------


def make_lcs(a, b):
    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def lcs(i, j):
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return lcs(i - 1, j - 1) + 1
        return max(lcs(i - 1, j), lcs(i, j - 1))

    return lcs


def test_window_keeps_rows_and_gives_the_same_value() -> None:
    a, b = "ACCGGTCGAGTGCGCGGAAGCCGGCCGAA", "GTCGTTCGGAATGCCGTTGCTCTGTAAA"
    lcs = make_lcs(a, b)
    full = lcs.solve(len(a), len(b), strategy="bottom_up")
    rolling = lcs.solve(len(a), len(b), strategy="bottom_up", window=2)
    assert rolling.value == full.value == 20
    assert getattr(rolling, "table", None) is None
    assert rolling.stats.peak == 2 * (len(b) + 1) < full.stats.peak
    assert rolling.stats.states == full.stats.states
    with pytest.raises(dp.InvalidInput, match="window"):
        list(rolling.walk((len(a), len(b)), lambda s, label: None))


def test_window_too_small_is_an_order_error_naming_both_states() -> None:
    fib = make_fib()
    assert fib.solve(200, strategy="bottom_up", window=3).value == fib_reference(200)
    with pytest.raises(dp.OrderError, match="window") as info:
        fib.solve(10, strategy="bottom_up", window=2)
    assert (info.value.state, info.value.needed) == (2, 0)


def test_window_on_a_dict_table() -> None:
    @dp.recurrence(states=lambda n, j: [(i, j) for i in range(n + 1)])
    def f(i, j):
        return 1 if i == 0 else f(i - 1, j) + (f(i - 2, j) if i > 1 else 0)

    assert f.solve(20, 0, strategy="bottom_up", window=3).value == fib_reference(21)
    with pytest.raises(dp.OrderError, match="window"):
        f.solve(20, 0, strategy="bottom_up", window=2)


# -- choices and witnesses ----------------------------------------------------


def make_knapsack(weights, values):
    @dp.recurrence(states=lambda i, w: dp.grid(i + 1, w + 1))
    def best(i, w):
        if i == 0:
            return 0
        options = [(best(i - 1, w), ("skip", (i - 1, w)))]
        if weights[i - 1] <= w:
            options.append(
                (
                    best(i - 1, w - weights[i - 1]) + values[i - 1],
                    ("take", (i - 1, w - weights[i - 1])),
                )
            )
        return dp.choose(options, best=max)

    return best


def knapsack_items(sol, n, capacity):
    taken = [s[0] - 1 for s, label in sol.walk((n, capacity), lambda s, label: label[1])
             if label[0] == "take"]  # fmt: skip
    return sorted(taken)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_witness_from_choices_in_every_strategy(strategy) -> None:
    weights, values = [3, 4, 2, 5], [4, 5, 3, 8]
    best = make_knapsack(weights, values)
    sol = best.solve(4, 9, strategy=strategy)
    items = knapsack_items(sol, 4, 9)
    assert sol.value == 13
    assert sum(weights[i] for i in items) <= 9
    assert sum(values[i] for i in items) == sol.value


def test_choose_records_with_a_generator_of_candidates() -> None:
    coins = (1, 4, 5)

    @dp.recurrence(states=lambda a: range(a + 1))
    def fewest(a):
        if a == 0:
            return 0
        return dp.choose(((fewest(a - c) + 1, c) for c in coins if c <= a), best=min)

    for strategy in STRATEGIES:
        sol = fewest.solve(8, strategy=strategy)
        used = [c for _, c in sol.walk(8, lambda a, c: a - c)]
        assert sol.value == 2 and sorted(used) == [4, 4]


def test_choose_outside_a_solve_only_picks() -> None:
    assert dp.choose([(2, "a"), (1, "b"), (1, "c")], best=min) == 1
    assert dp.choose([(2, "a"), (2, "b")], best="max") == 2


def test_walk_detects_a_loop() -> None:
    sol = dp.Solution(0, strategy="fast", choices={1: 2, 2: 1})
    with pytest.raises(dp.CycleError):
        list(sol.walk(1, lambda s, label: label))


# -- Solution -------------------------------------------------------------------


def test_solution_fields_lazy_and_as_dict() -> None:
    calls = []

    def path():
        calls.append(1)
        return ["a", "b"]

    sol = dp.Solution(3, strategy="top_down", witness={"items": (1,)}, lazy={"path": path})
    assert sol.fields == ("items", "path")
    assert calls == []
    assert "path=<lazy>" in repr(sol)
    assert sol.path == ["a", "b"] and sol.path == ["a", "b"]
    assert calls == [1]
    assert sol.as_dict() == {"value": 3, "strategy": "top_down", "items": (1,), "path": ["a", "b"]}
    assert sol.choices == {} and getattr(sol, "table", None) is None
    assert not sol.stats
    with pytest.raises(dp.errors.NotRecorded, match="measures no stats"):
        sol.stats.calls
    with pytest.raises(AttributeError, match="nope"):
        sol.nope
    with pytest.raises(dp.InvalidInput, match="clashes"):
        dp.Solution(1, strategy="x", witness={"value": 2})
    with pytest.raises(dp.InvalidType):
        dp.Solution(1, strategy="x", lazy={"p": 3})


def test_with_fields_makes_a_new_solution_and_keeps_the_rest() -> None:
    @dp.recurrence(states=lambda a: range(a + 1))
    def fewest(a):
        if a == 0:
            return 0
        return dp.choose(((fewest(a - c) + 1, c) for c in (1, 3, 4) if c <= a), best=min)

    sol = fewest.solve(6, strategy="bottom_up")
    first = sol.with_fields(witness={"n": 6}, lazy={"coins": lambda: [3, 3]})
    second = first.with_fields(value=-sol.value, witness={"coins": [6]}, lazy={"n": lambda: 7})
    assert sol.fields == () and not hasattr(sol, "coins")
    assert first.fields == ("n", "coins") and first.value == 2 and first.coins == [3, 3]
    assert second.value == -2 and second.coins == [6] and second.n == 7
    assert first.coins == [3, 3] and first.n == 6  # the source is unchanged
    for derived in (first, second):
        assert derived.strategy == "bottom_up" and derived.stats == sol.stats
        assert derived.choices == sol.choices
    # the table is built once, for every solution derived from the run
    assert second.table is sol.table is first.table
    assert list(second.table) == [0, 1, 2, 1, 1, 2, 2]
    with pytest.raises(dp.InvalidInput, match="clashes"):
        sol.with_fields(witness={"table": 1})
    with pytest.raises(dp.InvalidType):
        sol.with_fields(lazy={"coins": [3, 3]})


def test_with_fields_leaves_the_table_unbuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    # the strategy module that builds the table
    recurrence = importlib.import_module("dptoolkit.recurrence._bottom_up")
    built = []
    real = recurrence._to_table
    monkeypatch.setattr(recurrence, "_to_table", lambda *a: built.append(1) or real(*a))

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def paths(i, j):
        return 1 if i == 0 or j == 0 else paths(i - 1, j) + paths(i, j - 1)

    sol = paths.solve(5, 5, strategy="bottom_up").with_fields(lazy={"half": lambda: 126})
    assert (sol.value, sol.half) == (252, 126)
    assert built == []
    assert sol.table[5, 5] == 252 and sol.table[2, 3] == 10
    assert built == [1]


def test_a_window_wider_than_the_table_holds_only_the_table() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    sol = fib.solve(30, strategy="bottom_up", window=10**12)  # would not fit in memory as asked
    assert sol.value == 832040
    assert sol.stats.peak == 31


def test_a_table_too_big_for_memory_is_a_budget_error_not_a_memory_error() -> None:
    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def paths(i, j):
        return 1 if i == 0 or j == 0 else paths(i - 1, j) + paths(i, j - 1)

    with pytest.raises(dp.BudgetExceeded, match=r"table of [\d,]+ cells for paths\(10+, 10+\)"):
        paths.solve(10**9, 10**9, strategy="bottom_up")


def test_a_declared_space_past_sys_maxsize_is_a_budget_error() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def count(n):
        return 0 if n == 0 else count(n - 1) + 1

    with pytest.raises(dp.BudgetExceeded, match=r"table of 1,0{3}(,000)+,001 cells"):
        count.solve(10**30, strategy="bottom_up")  # len(range(10**30 + 1)) overflows


def test_top_down_past_the_memo_depth_bound_is_a_budget_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules["dptoolkit.memo._deep"], "MAX_DEPTH", 2000)

    @dp.recurrence(states=lambda n: range(n + 1))
    def count(n):
        return 0 if n == 0 else count(n - 1) + 1

    with pytest.raises(dp.BudgetExceeded, match=r"strategy='top_down' recursed too deep"):
        count.solve(10_000, strategy="top_down")


def test_stats_is_frozen() -> None:
    stats = dp.Stats(1, 2, 3, 4, 5)
    with pytest.raises(AttributeError):
        stats.calls = 0  # type: ignore[misc]
    assert dp.Stats() == dp.Stats(0, 0, 0, 0, 0)


# -- isolation: threads and asyncio -----------------------------------------------


def test_two_threads_solving_at_once_do_not_see_each_other() -> None:
    barrier = threading.Barrier(2, timeout=10)

    def helper(n):
        return f(n - 1) + f(n - 2)

    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        if n == 15:
            barrier.wait()  # both threads are mid-solve here
        return n if n < 2 else helper(n)

    results: dict[str, object] = {}

    def work(name, n, strategy):
        try:
            results[name] = f.solve(n, strategy=strategy)
        except BaseException as exc:  # pragma: no cover - reported below
            results[name] = exc

    threads = [
        threading.Thread(target=work, args=("a", 20, "bottom_up")),
        threading.Thread(target=work, args=("b", 25, "top_down")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["a"].value == fib_reference(20)
    assert results["b"].value == fib_reference(25)
    assert results["a"].stats.states == 21 and results["b"].stats.misses == 26


def test_asyncio_tasks_solving_in_threads() -> None:
    fib = make_fib()

    async def main():
        loop = asyncio.get_running_loop()
        jobs = [
            loop.run_in_executor(None, lambda s=s, n=n: fib.solve(n, strategy=s).value)
            for n in (18, 19, 20)
            for s in ("top_down", "bottom_up")
        ]
        return await asyncio.gather(*jobs)

    values = asyncio.run(main())
    assert values == [fib_reference(n) for n in (18, 19, 20) for _ in range(2)]


# -- deep recursion -----------------------------------------------------------------


def test_top_down_deep_recursion_completes() -> None:
    a = "ab" * 400
    b = "ba" * 400
    lcs = make_lcs(a, b)
    sol = lcs.solve(len(a), len(b), strategy="top_down")
    assert sol.value == len(a) - 1
    assert sol.value == lcs.solve(len(a), len(b), strategy="bottom_up", window=2).value


def test_deep_top_down_keeps_choices_and_counts_consistent() -> None:
    a = "abcab" * 80
    b = "bacba" * 80

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def lcs(i, j):
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return dp.choose([(lcs(i - 1, j - 1) + 1, (i - 1, j - 1))], best=max)
        return dp.choose([(lcs(i - 1, j), (i - 1, j)), (lcs(i, j - 1), (i, j - 1))], best=max)

    deep = lcs.solve(len(a), len(b), strategy="top_down")  # depth ~800: the memo engine unwinds
    table = lcs.solve(len(a), len(b), strategy="bottom_up")
    assert deep.value == table.value
    # the states reachable from the goal, found without recursion
    reachable, stack = set(), [(len(a), len(b))]
    while stack:
        i, j = state = stack.pop()
        if state in reachable:
            continue
        reachable.add(state)
        if i and j:
            stack += [(i - 1, j - 1)] if a[i - 1] == b[j - 1] else [(i - 1, j), (i, j - 1)]
    assert deep.stats.misses == deep.stats.states == len(reachable)
    assert set(deep.choices) == {(i, j) for i, j in reachable if i and j}
    picked = [
        a[i - 1]
        for (i, j), nxt in deep.walk((len(a), len(b)), lambda s, nxt: nxt)
        if nxt == (i - 1, j - 1)
    ]
    seq = "".join(reversed(picked))
    assert len(seq) == deep.value
    it = iter(b)
    assert all(ch in it for ch in seq)


def test_top_down_a_hundred_thousand_deep() -> None:

    @dp.recurrence(states=lambda n: range(n + 1))
    def total(n):
        return 0 if n == 0 else total(n - 1) + n

    sol = total.solve(100_000)
    assert sol.value == 100_000 * 100_001 // 2
    assert sol.stats.misses == 100_001


def test_window_memory_is_a_few_rows_not_the_table() -> None:
    import tracemalloc

    a, b = "ab" * 150, "ba" * 150
    lcs = make_lcs(a, b)

    def peak(**options):
        tracemalloc.start()
        try:
            lcs.solve(len(a), len(b), strategy="bottom_up", **options)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    full, rolling = peak(), peak(window=2)
    # the full table holds 301 * 301 cells; the window two rows and a fixed overhead
    assert full > 301 * 301 * 8
    assert rolling * 5 < full, (rolling, full)


def test_three_dimensional_grid() -> None:
    @dp.recurrence(states=lambda i, j, k: dp.grid(i + 1, j + 1, k + 1))
    def paths(i, j, k):
        if i == j == k == 0:
            return 1
        return (
            (paths(i - 1, j, k) if i else 0)
            + (paths(i, j - 1, k) if j else 0)
            + (paths(i, j, k - 1) if k else 0)
        )

    multinomial = math.factorial(9) // (math.factorial(2) * math.factorial(3) * math.factorial(4))
    for strategy in STRATEGIES:
        assert paths.solve(2, 3, 4, strategy=strategy).value == multinomial
    sol = paths.solve(2, 3, 4, strategy="bottom_up")
    assert sol.table.shape == (3, 4, 5) and sol.table[1, 1, 1] == 6
    assert paths.solve(2, 3, 4, strategy="bottom_up", window=2).value == multinomial
