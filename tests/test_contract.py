"""Acceptance check: every public name and call of /work/shared/DESIGN.md, as spelled there.

Each test calls a contract item exactly as DESIGN.md writes it and checks the
result against a value computed independently here (by hand, by brute force,
or by an outside oracle), not against the library's own recurrence.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import math
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from dptoolkit.problems import (
    catalan,
    coin_change,
    edit_distance,
    egg_drop,
    factorial,
    fibonacci,
    graph_paths,
    interval_scheduling,
    knapsack,
    lcs,
    lis,
    matrix_chain,
    optimal_bst,
    palindrome,
    rod_cutting,
    subset_sum,
    tsp,
    word_break,
)

import dptoolkit as dp

ENGINE = ("naive", "top_down", "bottom_up")
ALL = (*ENGINE, "fast", "auto")


def strategies_of(name: str) -> tuple[str, ...]:
    """The strategies the catalog declares for a problem, plus "auto"."""
    return (*dp.catalog(name).strategies, "auto")


# -- the memo engine -------------------------------------------------------------------


def test_naive_fib_makes_177_calls_memoized_19_with_8_hits() -> None:
    plain_calls = 0

    def plain(n: int) -> int:
        nonlocal plain_calls
        plain_calls += 1
        return n if n < 2 else plain(n - 1) + plain(n - 2)

    body_runs = 0

    @dp.memoize
    def fib(n: int) -> int:
        nonlocal body_runs
        body_runs += 1
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    assert plain(10) == fib(10) == 55
    assert plain_calls == 177
    info = fib.cache_info()
    assert info.hits + info.misses == 19
    assert (info.hits, info.misses, info.maxsize, info.currsize) == (8, 11, None, 11)
    assert body_runs == 11


def test_cache_info_is_a_namedtuple_named_like_functools() -> None:
    @dp.memoize
    def f(n: int) -> int:
        return n

    f(1)
    info = f.cache_info()
    assert isinstance(info, dp.CacheInfo)
    assert isinstance(info, tuple)
    assert dp.CacheInfo._fields == ("hits", "misses", "maxsize", "currsize")
    assert info == dp.CacheInfo(hits=0, misses=1, maxsize=None, currsize=1)
    assert info._replace(hits=5).hits == 5


def test_every_option_as_spelled_and_cache_parameters() -> None:
    @dp.memoize(
        maxsize=None,
        ttl=None,
        timer=time.monotonic,
        typed=False,
        key=None,
        store=None,
        cache_errors=False,
        condition=None,
    )
    def f(*args: Any, **kwargs: Any) -> int:
        return len(args) + len(kwargs)

    assert f(1, 2, x=3) == 3
    params = f.cache_parameters()
    assert isinstance(params, dict)
    assert params == {
        "maxsize": None,
        "ttl": None,
        "timer": time.monotonic,
        "typed": False,
        "key": None,
        "store": None,
        "cache_errors": False,
        "condition": None,
    }


def test_cache_clear_evict_and_wrapped() -> None:
    def square(n: int) -> int:
        return n * n

    f = dp.memoize(square)
    assert f.__wrapped__ is square
    assert f.__name__ == "square"
    f(2)
    f(3)
    assert f.cache_evict(2) is True
    assert f.cache_evict(2) is False
    assert f.cache_info().currsize == 1
    f.cache_clear()
    assert f.cache_info() == dp.CacheInfo(0, 0, None, 0)


def test_maxsize_bounds_with_lru_eviction() -> None:
    runs: list[int] = []

    @dp.memoize(maxsize=2)
    def f(n: int) -> int:
        runs.append(n)
        return n

    f(1), f(2), f(1), f(3)  # 2 is least recently used, so 3 evicts it
    assert f.cache_info().currsize == 2
    f(1)
    assert runs == [1, 2, 3]
    f(2)
    assert runs == [1, 2, 3, 2]


def test_ttl_with_an_injected_timer() -> None:
    now = [0.0]
    runs: list[int] = []

    @dp.memoize(ttl=10, timer=lambda: now[0])
    def f(n: int) -> int:
        runs.append(n)
        return n

    f(1), f(1)
    now[0] = 9.0
    f(1)
    assert runs == [1]
    now[0] = 10.5
    f(1)
    assert runs == [1, 1]


def test_unhashable_arguments_are_frozen_into_one_key() -> None:
    @dp.memoize
    def total(xs: Any) -> int:
        return len(xs)

    assert total([1, 2]) == 2
    assert total([1, 2]) == 2
    assert total.cache_info()[:2] == (1, 1)
    total({1, 2}), total({"a": 1}), total(bytearray(b"\x01"))
    assert total.cache_info().misses == 4


def test_key_typed_and_condition() -> None:
    @dp.memoize(key=lambda x, y: x)
    def first(x: int, y: int) -> int:
        return x

    first(1, 2), first(1, 3)
    assert first.cache_info()[:2] == (1, 1)

    @dp.memoize(typed=True)
    def ident(x: Any) -> Any:
        return x

    ident(1), ident(1.0)
    assert ident.cache_info()[:2] == (0, 2)

    @dp.memoize(condition=lambda n: n > 0)
    def cond(n: int) -> int:
        return n

    cond(0), cond(0), cond(1), cond(1)
    assert cond.cache_info().currsize == 1
    assert cond.cache_info().hits == 1


def test_exceptions_are_not_cached_unless_cache_errors() -> None:
    runs = {"plain": 0, "cached": 0}

    @dp.memoize
    def plain(n: int) -> int:
        runs["plain"] += 1
        raise KeyError(n)

    @dp.memoize(cache_errors=True)
    def cached(n: int) -> int:
        runs["cached"] += 1
        raise KeyError(n)

    for _ in range(2):
        with pytest.raises(KeyError):
            plain(1)
        with pytest.raises(KeyError):
            cached(1)
    assert runs == {"plain": 2, "cached": 1}


def test_threads_single_flight() -> None:
    runs = 0
    gate = threading.Event()

    @dp.memoize
    def slow(n: int) -> int:
        nonlocal runs
        runs += 1
        gate.wait(5)
        return n * 2

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(slow(7))) for _ in range(6)]
    for t in threads:
        t.start()
    time.sleep(0.05)  # let them all arrive; correctness does not depend on it
    gate.set()
    for t in threads:
        t.join(10)
    assert results == [14] * 6
    assert runs == 1


def test_async_awaits_share_one_computation() -> None:
    runs = 0

    @dp.memoize
    async def fetch(n: int) -> int:
        nonlocal runs
        runs += 1
        await asyncio.sleep(0.01)
        return n + 1

    async def main() -> list[int]:
        return list(await asyncio.gather(*(fetch(4) for _ in range(5))))

    assert asyncio.run(main()) == [5] * 5
    assert runs == 1


def test_a_million_deep_without_recursion_limit_change() -> None:
    limit = sys.getrecursionlimit()

    @dp.memoize
    def depth(n: int) -> int:
        return 0 if n == 0 else depth(n - 1) + 1

    assert depth(1_000_000) == 1_000_000
    assert sys.getrecursionlimit() == limit


def test_cycle_error_names_the_state() -> None:
    @dp.memoize
    def loop(n: int) -> int:
        return int(loop(n))

    with pytest.raises(dp.CycleError, match=r"loop\(3\)"):
        loop(3)


def test_methods_never_keep_the_instance_alive() -> None:
    class Box:
        @dp.memoize
        def double(self, n: int) -> int:
            return 2 * n

    box = Box()
    assert box.double(3) == 6
    ref = weakref.ref(box)
    del box
    gc.collect()
    assert ref() is None


def test_sqlite_store_url_with_a_real_file(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    runs: list[int] = []

    @dp.memoize(store=f"sqlite:///{db}")
    def square(n: int) -> int:
        runs.append(n)
        return n * n

    assert square(12) == 144
    assert square(12) == 144
    assert runs == [12]
    assert db.exists() and db.stat().st_size > 0


def run_cube(tmp_path: Path, db: Path, body: str) -> list[str]:
    script = tmp_path / "job.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import dptoolkit as dp

            @dp.memoize(store="sqlite:///{db}")
            def cube(n):
                print("ran")
                return {body}

            print(cube(5))
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    return done.stdout.split()


def test_sqlite_store_persists_across_processes_keyed_by_code(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    assert run_cube(tmp_path, db, "n ** 3") == ["ran", "125"]
    assert run_cube(tmp_path, db, "n ** 3") == ["125"]  # a hit: keys stable across processes
    # a new version of the function is not served the old version's results
    assert run_cube(tmp_path, db, "n ** 3 + 1") == ["ran", "126"]


def test_store_values_are_not_pickled(tmp_path: Path) -> None:
    class Opaque:
        pass

    @dp.memoize(store=f"sqlite:///{tmp_path / 'o.db'}")
    def make(n: int) -> Opaque:
        return Opaque()

    with pytest.raises(dp.StoreError):
        make(1)


def test_redis_store_url(tmp_path: Path) -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    pytest.importorskip("redis")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        runs: list[int] = []

        @dp.memoize(store=f"redis://127.0.0.1:{port}/0")
        def square(n: int) -> int:
            runs.append(n)
            return n * n

        assert square(9) == 81 and square(9) == 81
        assert runs == [9]
    finally:
        server.terminate()
        server.wait(10)


def test_store_object_and_bad_url() -> None:
    assert issubclass(dp.SQLiteStore, dp.Store)
    assert issubclass(dp.RedisStore, dp.Store)
    with pytest.raises(dp.DPError, match="bogus"):
        dp.memoize(store="bogus://x")(lambda n: n)


# -- the recurrence engine -------------------------------------------------------------


@dp.recurrence(states=lambda n: range(n + 1))
def rfib(n: int) -> int:
    return n if n < 2 else rfib(n - 1) + rfib(n - 2)


def test_recurrence_value_solve_and_stats() -> None:
    assert rfib(30) == 832040
    sol = rfib.solve(30, strategy="bottom_up")
    assert isinstance(sol, dp.Solution)
    assert (sol.value, sol.strategy) == (832040, "bottom_up")
    assert sol.stats.states == 31
    for strategy in ENGINE:
        assert rfib.solve(10, strategy=strategy).value == 55
    naive = rfib.solve(10, strategy="naive").stats
    assert (naive.calls, naive.hits) == (177, 0)
    top = rfib.solve(10, strategy="top_down").stats
    assert (top.calls, top.hits, top.misses, top.states) == (19, 8, 11, 11)


def test_trace_counts_render_and_graph() -> None:
    trace = rfib.trace(5, strategy="top_down")
    assert isinstance(trace, dp.Trace)
    # 6 distinct states (misses); fib(n) for n in 2..5 asks n-1 first, so its second
    # call fib(n-2) is a hit except at n=2, where fib(0) is new: 3 hits, 9 calls.
    assert (trace.calls, trace.hits, trace.misses) == (9, 3, 6)
    text = trace.render()
    assert isinstance(text, str) and "rfib(5)" in text and "hit" in text
    graph = trace.graph()
    assert isinstance(graph, nx.DiGraph)
    assert graph.number_of_nodes() == 6  # fib(0) .. fib(5)
    assert nx.is_directed_acyclic_graph(graph)


def test_naive_budget_exceeded() -> None:
    with pytest.raises(dp.BudgetExceeded):
        rfib.solve(30, strategy="naive", max_calls=100)


def test_bottom_up_order_error_names_both_states() -> None:
    @dp.recurrence(states=lambda n: range(n, -1, -1))
    def wrong(n: int) -> int:
        return 0 if n == 0 else wrong(n - 1) + 1

    with pytest.raises(dp.OrderError, match=r"wrong\(3\).*wrong\(2\)|wrong\(2\).*wrong\(3\)"):
        wrong.solve(3, strategy="bottom_up")


def test_recurrence_cycle_error() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def loop(n: int) -> int:
        return int(loop(n))

    with pytest.raises(dp.CycleError):
        loop.solve(2, strategy="top_down")


def test_spaces() -> None:
    assert sorted(dp.grid(2, 3)) == [(i, j) for i in range(2) for j in range(3)]
    intervals = list(dp.intervals(3))
    assert sorted(intervals) == [(i, j) for i in range(3) for j in range(i, 3)]
    lengths = [j - i for i, j in intervals]
    assert lengths == sorted(lengths)  # by length
    masks = list(dp.subsets(3))
    assert sorted(masks) == list(range(8))
    sizes = [bin(m).count("1") for m in masks]
    assert sizes == sorted(sizes)  # by size


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "builtin"),
    [
        ("InvalidInput", ValueError),
        ("OrderError", ValueError),
        ("CycleError", ValueError),
        ("NegativeCycleError", ValueError),
        ("BudgetExceeded", Exception),
        ("StoreError", Exception),
    ],
)
def test_errors_derive_from_dperror_and_a_builtin(name: str, builtin: type) -> None:
    cls = getattr(dp, name)
    assert issubclass(cls, dp.DPError)
    assert issubclass(cls, builtin)
    assert any(b.__module__ == "builtins" and b is not object for b in cls.__mro__[2:])


def test_message_names_the_argument_and_its_value() -> None:
    with pytest.raises(dp.InvalidInput, match=r"capacity=-3 must be a non-negative integer"):
        knapsack.solve([1], [1], -3)
    with pytest.raises(ValueError):
        knapsack.solve([1], [1], -3)


# -- the catalog -----------------------------------------------------------------------


def test_catalog_lists_every_problem_with_its_fields() -> None:
    problems = dp.catalog()
    names = {p.name for p in problems}
    table = {
        "fibonacci", "catalan", "factorial", "knapsack", "edit_distance", "lcs", "lis",
        "coin_change", "rod_cutting", "matrix_chain", "subset_sum", "tsp", "word_break",
        "palindrome", "interval_scheduling", "egg_drop", "optimal_bst",
    }  # fmt: skip
    assert table <= names
    for p in problems:
        for field in ("name", "summary", "recurrence", "time", "space", "strategies", "solve"):
            assert getattr(p, field)
        assert set(ENGINE) <= set(p.strategies)
        assert callable(p.solve)
    one = dp.catalog("knapsack")
    assert one.name == "knapsack" and one.solve is knapsack.solve


def test_problems_package_is_lazy_and_lists_problems() -> None:
    import dptoolkit.problems as P

    assert P.knapsack is knapsack
    assert {"knapsack", "lcs", "tsp", "graph_paths"} <= set(dir(P))


@pytest.mark.parametrize("strategy", ALL)
def test_numbers(strategy: str) -> None:
    assert fibonacci.solve(20, strategy=strategy).value == 6765
    assert catalan.solve(8, strategy=strategy).value == math.comb(16, 8) // 9
    assert factorial.solve(12, strategy=strategy).value == math.factorial(12)


def knapsack_brute(weights: list[int], values: list[int], capacity: int) -> int:
    return max(
        sum(values[i] for i in s)
        for r in range(len(weights) + 1)
        for s in itertools.combinations(range(len(weights)), r)
        if sum(weights[i] for i in s) <= capacity
    )


@pytest.mark.parametrize("strategy", ALL)
def test_knapsack_items_zero_based_ascending(strategy: str) -> None:
    weights, values = [5, 1, 3, 4], [7, 1, 4, 5]
    sol = knapsack.solve(weights, values, 7, strategy=strategy)
    assert sol.value == knapsack_brute(weights, values, 7) == 9
    assert sol.items == sorted(sol.items) == [2, 3]
    assert sum(weights[i] for i in sol.items) <= 7


@pytest.mark.parametrize("strategy", ALL)
def test_knapsack_unbounded_items_repeat(strategy: str) -> None:
    sol = knapsack.solve([2, 3], [3, 5], 7, unbounded=True, strategy=strategy)
    assert sol.value == 11  # 2+2+3: 3+3+5; the others: 3+3 = 10, 2*3 = 9
    assert sol.items == [0, 0, 1]


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def apply_operations(a: str, b: str, ops: list[tuple[str, int, int]]) -> tuple[str, int]:
    """Replay an edit script left to right; return the result and its cost."""
    out, cost, i_seen, j_seen = [], 0, 0, 0
    for kind, i, j in ops:
        assert kind in {"match", "substitute", "insert", "delete"}
        assert (i, j) >= (i_seen, j_seen)
        i_seen, j_seen = i, j
        if kind == "match":
            assert a[i] == b[j]
            out.append(a[i])
        elif kind == "substitute":
            assert a[i] != b[j]
            out.append(b[j])
            cost += 1
        elif kind == "insert":
            out.append(b[j])
            cost += 1
        else:
            cost += 1
    return "".join(out), cost


@pytest.mark.parametrize("strategy", ALL)
def test_edit_distance_operations(strategy: str) -> None:
    for a, b in [("kitten", "sitting"), ("", "abc"), ("abc", ""), ("flaw", "lawn")]:
        sol = edit_distance.solve(a, b, strategy=strategy)
        assert sol.value == levenshtein(a, b)
        result, cost = apply_operations(a, b, sol.operations)
        assert (result, cost) == (b, sol.value)


def small_digraph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 4), (0, 2, 1), (2, 1, 2), (1, 3, 1), (2, 3, 6)])
    return G


@pytest.mark.parametrize("strategy", ALL)
def test_graph_paths(strategy: str) -> None:
    G = small_digraph()
    sol = graph_paths.shortest_path(G, 0, 3, weight="weight", strategy=strategy)
    assert sol.value == nx.shortest_path_length(G, 0, 3, weight="weight") == 4
    assert sol.path == [0, 2, 1, 3]
    lp = graph_paths.longest_path(G, weight="weight", strategy=strategy)
    assert lp.value == nx.dag_longest_path_length(G, weight="weight") == 7
    assert lp.path == nx.dag_longest_path(G, weight="weight")
    assert graph_paths.count_paths(G, 0, 3, strategy=strategy).value == len(
        list(nx.all_simple_paths(G, 0, 3))
    )
    assert graph_paths.grid_paths(3, 4, strategy=strategy).value == math.comb(5, 2)
    assert graph_paths.grid_paths(3, 3, blocked=[(1, 1)], strategy=strategy).value == 2


@pytest.mark.parametrize("strategy", ALL)
def test_all_pairs_shortest_paths(strategy: str) -> None:
    G = small_digraph()
    sol = graph_paths.all_pairs_shortest_paths(G, weight="weight", strategy=strategy)
    oracle = dict(nx.all_pairs_bellman_ford_path_length(G))
    for u in G:
        for v in G:
            assert sol.value[u][v] == oracle[u].get(v, math.inf)
    assert sol.value[3][0] == math.inf
    assert sol.path(0, 3) == [0, 2, 1, 3]


def test_negative_cycle_error_cycle_first_equals_last() -> None:
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 1), (1, 2, -3), (2, 1, 1), (2, 3, 1)])
    for call in (
        lambda: graph_paths.shortest_path(G, 0, 3),
        lambda: graph_paths.all_pairs_shortest_paths(G),
    ):
        with pytest.raises(dp.NegativeCycleError) as info:
            call()
        cycle = info.value.cycle
        assert cycle[0] == cycle[-1] and len(cycle) >= 3
        assert sum(G[u][v]["weight"] for u, v in itertools.pairwise(cycle)) < 0


def is_subsequence(small: Any, big: Any) -> bool:
    it = iter(big)
    return all(x in it for x in small)


@pytest.mark.parametrize("strategy", ALL)
def test_lcs_lis_palindrome(strategy: str) -> None:
    sol = lcs.solve("ABCBDAB", "BDCABA", strategy=strategy)
    assert sol.value == len(sol.sequence) == 4
    assert is_subsequence(sol.sequence, "ABCBDAB") and is_subsequence(sol.sequence, "BDCABA")
    seq = [3, 1, 4, 1, 5, 9, 2, 6]
    s = lis.solve(seq, strategy=strategy)
    assert s.value == len(s.indices) == 4
    picked = [seq[i] for i in s.indices]
    assert s.indices == sorted(s.indices) and all(x < y for x, y in itertools.pairwise(picked))
    p = palindrome.solve("bbbab", strategy=strategy)
    assert p.value == 4 and p.sequence == p.sequence[::-1] and is_subsequence(p.sequence, "bbbab")


@pytest.mark.parametrize("strategy", ALL)
def test_coin_change_subset_sum_matrix_chain(strategy: str) -> None:
    cc = coin_change.solve([1, 2, 5], 11, strategy=strategy)
    assert cc.value == 3 and sum(cc.coins) == 11 and len(cc.coins) == 3
    ss = subset_sum.solve([3, 34, 4, 12, 5, 2], 9, strategy=strategy)
    assert ss.value is True and sum([3, 34, 4, 12, 5, 2][i] for i in ss.indices) == 9
    none = subset_sum.solve([3, 5], 4, strategy=strategy)
    assert none.value is False and none.indices is None
    mc = matrix_chain.solve([10, 30, 5, 60], strategy=strategy)
    assert mc.value == min(10 * 30 * 5 + 10 * 5 * 60, 30 * 5 * 60 + 10 * 30 * 60) == 4500
    assert mc.order == "((A1A2)A3)"


@pytest.mark.parametrize("strategy", strategies_of("rod_cutting"))
def test_rod_cutting_prices_are_for_length_i_plus_one(strategy: str) -> None:
    prices = [1, 5, 8, 9, 10, 17, 17, 20]
    sol = rod_cutting.solve(prices, 8, strategy=strategy)
    assert sol.value == 22  # CLRS 15.1: 2 + 6
    assert sorted(sol.pieces) == [2, 6]
    assert sum(prices[p - 1] for p in sol.pieces) == 22


def tsp_brute(D: list[list[int]]) -> int:
    n = len(D)
    return min(
        sum(D[a][b] for a, b in itertools.pairwise((0, *perm, 0)))
        for perm in itertools.permutations(range(1, n))
    )


@pytest.mark.parametrize("strategy", ALL)
def test_tsp_matrix_and_graph(strategy: str) -> None:
    D = [[0, 2, 9, 10], [1, 0, 6, 4], [15, 7, 0, 8], [6, 3, 12, 0]]
    sol = tsp.solve(D, strategy=strategy)
    assert sol.value == tsp_brute(D) == 21
    assert sol.tour[0] == sol.tour[-1] == 0 and sorted(sol.tour[:-1]) == [0, 1, 2, 3]
    assert sum(D[a][b] for a, b in itertools.pairwise(sol.tour)) == 21
    G = nx.complete_graph(4)
    for u, v in G.edges:
        G[u][v]["weight"] = (u + 1) * (v + 2)
    g = tsp.solve(G, strategy=strategy)
    W = [[G[u][v]["weight"] if u != v else 0 for v in range(4)] for u in range(4)]
    assert g.value == tsp_brute(W)
    assert g.tour[0] == g.tour[-1] == 0


@pytest.mark.parametrize("strategy", ALL)
def test_word_break(strategy: str) -> None:
    words = ["cat", "cats", "and", "sand", "dog"]
    sol = word_break.solve("catsanddog", words, strategy=strategy)
    assert sol.value is True
    assert "".join(sol.words) == "catsanddog" and set(sol.words) <= set(words)
    assert sol.count == 2  # cat|sand|dog, cats|and|dog
    miss = word_break.solve("catsandog", words, strategy=strategy)
    assert miss.value is False and miss.words is None


def schedule_brute(intervals: list[tuple[int, int, int]]) -> int:
    best = 0
    for r in range(len(intervals) + 1):
        for s in itertools.combinations(sorted(intervals, key=lambda t: t[0]), r):
            if all(a[1] <= b[0] for a, b in itertools.pairwise(s)):
                best = max(best, sum(t[2] for t in s))
    return best


@pytest.mark.parametrize("strategy", ALL)
def test_interval_scheduling(strategy: str) -> None:
    iv = [(1, 3, 5), (2, 5, 6), (4, 6, 5), (6, 7, 4), (5, 8, 11), (7, 9, 2)]
    sol = interval_scheduling.solve(iv, strategy=strategy)
    assert sol.value == schedule_brute(iv) == 17
    assert sol.indices == sorted(sol.indices)
    chosen = sorted((iv[i] for i in sol.indices), key=lambda t: t[0])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(chosen))
    assert sum(t[2] for t in chosen) == 17


@pytest.mark.parametrize("strategy", ("top_down", "bottom_up", "fast", "auto"))
def test_egg_drop(strategy: str) -> None:
    # two eggs: the least d with d (d + 1) / 2 >= floors
    assert egg_drop.solve(2, 100, strategy=strategy).value == 14
    assert egg_drop.solve(1, 10, strategy=strategy).value == 10


def test_egg_drop_naive_small() -> None:
    assert egg_drop.solve(2, 10, strategy="naive").value == 4


@pytest.mark.parametrize("strategy", ALL)
def test_optimal_bst_clrs(strategy: str) -> None:
    p = [0.15, 0.10, 0.05, 0.10, 0.20]
    q = [0.05, 0.10, 0.05, 0.05, 0.05, 0.10]
    sol = optimal_bst.solve(p, q, strategy=strategy)
    assert sol.value == pytest.approx(2.75)  # CLRS figure 15.9

    def keys(t: Any) -> list[int]:
        return [] if t is None else [*keys(t[1]), t[0], *keys(t[2])]

    assert keys(sol.tree) == [1, 2, 3, 4, 5]  # in-order: keys 1-based, a BST
    assert sol.tree[0] == 2


# -- many questions of one recurrence --------------------------------------------------


def zero_grid_paths() -> Callable[..., Any]:
    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def cost(i: int, j: int) -> int:
        if i == 0 and j == 0:
            return 0
        moves = []
        if i:
            moves.append((cost(i - 1, j) + 1, (i - 1, j)))
        if j:
            moves.append((cost(i, j - 1) + 1, (i, j - 1)))
        return dp.choose(moves, best=min)  # type: ignore[no-any-return]

    return cost


@pytest.mark.parametrize("strategy", ENGINE)
def test_count_and_witnesses_of_a_recurrence(strategy: str) -> None:
    cost = zero_grid_paths()
    sol = cost.solve(2, 3, strategy=strategy)

    def step(state: tuple[int, int], to: tuple[int, int]) -> tuple[int, int]:
        return to

    assert sol.value == 5
    assert sol.count(step=step) == math.comb(5, 2)
    every = list(sol.witnesses(step=step))
    assert len(every) == 10 and all(isinstance(w, dp.Solution) for w in every)
    assert len(list(sol.witnesses(limit=3, step=step))) == 3


@pytest.mark.parametrize("strategy", ENGINE)
def test_k_best_of_a_recurrence(strategy: str) -> None:
    weights, values = (2, 3, 4), (3, 4, 6)

    @dp.recurrence(states=lambda i, w: dp.grid(i + 1, w + 1))
    def knap(i: int, w: int) -> int:
        if i == 0:
            return 0
        options = [(knap(i - 1, w), "skip")]
        if weights[i - 1] <= w:
            options.append((knap(i - 1, w - weights[i - 1]) + values[i - 1], "take"))
        return dp.choose(options, best=max)  # type: ignore[no-any-return]

    sol = knap.solve(3, 6, strategy=strategy, k=4)
    every = sorted(
        (
            sum(values[i] for i in s)
            for r in range(4)
            for s in itertools.combinations(range(3), r)
            if sum(weights[i] for i in s) <= 6
        ),
        reverse=True,
    )
    assert [s.value for s in sol.k_best] == every[:4]
    assert all(isinstance(s, dp.Solution) for s in sol.k_best)


def test_k_best_refuses_other_bodies_with_invalid_input() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def doubling(n: int) -> int:
        return 1 if n == 0 else dp.choose([(doubling(n - 1) * 2, "x")], best=max)  # type: ignore[no-any-return]

    with pytest.raises(dp.InvalidInput, match="k=2"):
        doubling.solve(3, k=2)


# -- seeing it -------------------------------------------------------------------------


def test_rich_html_displays_and_short_reprs() -> None:
    sol = knapsack.solve([1, 3, 4, 5], [1, 4, 5, 7], 7, strategy="bottom_up")
    trace = rfib.trace(5, strategy="top_down")

    @dp.memoize
    def ident(n: int) -> int:
        return n

    ident(1)
    for shown in (sol, trace, dp.catalog("knapsack"), dp.catalog(), ident):
        html = shown._repr_html_()
        assert isinstance(html, str) and html.lstrip().startswith("<")
        assert len(repr(shown)) < 2000
    assert "<svg" in sol._repr_html_()
    assert "<svg" in trace._repr_html_()
    assert "9" in repr(sol) and "bottom_up" in repr(sol)


def test_pictures_trace_draw_and_draw_table(tmp_path: Path) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    trace = rfib.trace(5, strategy="top_down")
    sol = knapsack.solve([1, 3, 4, 5], [1, 4, 5, 7], 7, strategy="bottom_up")
    assert isinstance(trace.draw(), Figure)
    assert isinstance(sol.draw_table(), Figure)
    trace.draw(path=tmp_path / "trace.png")
    sol.draw_table(path=tmp_path / "table.png")
    for name in ("trace.png", "table.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    axes = sol.draw_table().axes[0]
    assert "capacity" in axes.get_xlabel() and "item" in axes.get_ylabel()
    axes = edit_distance.solve("abc", "axc", strategy="bottom_up").draw_table().axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()][-3:] == ["a", "x", "c"]
    assert [t.get_text() for t in axes.get_yticklabels()][-3:] == ["a", "b", "c"]


def assert_self_contained(page: str) -> None:
    assert page.lstrip().lower().startswith("<!doctype html")
    lowered = page.lower()
    for outside in ('src="http', "src='http", 'href="http', "href='http", "@import"):
        assert outside not in lowered


def test_explain_writes_one_self_contained_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "knap.html"
    dp.explain("knapsack", [1, 3, 4, 5], [1, 4, 5, 7], 7, path=str(target))
    assert_self_contained(target.read_text())
    monkeypatch.chdir(tmp_path)
    dp.explain(rfib, 6)  # path="explain.html" by default
    assert_self_contained((tmp_path / "explain.html").read_text())


def test_cli_explain_html(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    done = subprocess.run(
        [sys.executable, "-m", "dptoolkit", "explain", "knapsack", "[1,3,4,5]", "[1,4,5,7]", "7",
         "--html", str(target)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert_self_contained(target.read_text())


# -- many questions, through the catalog ------------------------------------------------


def distinct_lcs(a: str, b: str) -> set[str]:
    """Every distinct longest common subsequence, by enumerating subsequences of a."""
    common = {
        "".join(c)
        for r in range(len(a) + 1)
        for c in itertools.combinations(a, r)
        if is_subsequence(c, b)
    }
    best = max(map(len, common))
    return {s for s in common if len(s) == best}


@pytest.mark.parametrize("strategy", (*ENGINE, "auto"))
def test_catalog_count_and_witnesses(strategy: str) -> None:
    sol = lcs.solve("ABCBDAB", "BDCABA", strategy=strategy)
    expected = distinct_lcs("ABCBDAB", "BDCABA")
    assert sol.count() == len(expected) == 3
    seen = [w.sequence for w in sol.witnesses()]
    assert sorted(seen) == sorted(expected)
    assert len(list(sol.witnesses(limit=2))) == 2
    coins = coin_change.solve([1, 2, 5], 11, strategy=strategy)
    assert coins.count() == 1  # {1, 5, 5} is the only 3-coin multiset


@pytest.mark.parametrize("strategy", (*ENGINE, "auto"))
def test_catalog_k_best(strategy: str) -> None:
    weights, values = [1, 3, 4, 5], [1, 4, 5, 7]
    sol = knapsack.solve(weights, values, 7, strategy=strategy, k=3)
    best = sorted(
        (
            sum(values[i] for i in s)
            for r in range(5)
            for s in itertools.combinations(range(4), r)
            if sum(weights[i] for i in s) <= 7
        ),
        reverse=True,
    )
    assert [s.value for s in sol.k_best] == best[:3]
    for s in sol.k_best:
        assert s.items == sorted(s.items)
        assert sum(values[i] for i in s.items) == s.value
        assert sum(weights[i] for i in s.items) <= 7
