"""Properties over several recurrences: every strategy agrees with brute force.

For each recurrence: naive == top_down == bottom_up == an independent
reference; top_down computes each reachable state exactly once (its misses
equal the distinct states naive reaches); witnesses rebuilt from
``sol.choices`` are valid.
"""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit.testing import (
    assert_strategies_agree,
    grids_with_obstacles,
    strings,
)

FEW = settings(max_examples=30)


def agree(rec, *goal, check_witness=None):
    sols = assert_strategies_agree(rec, *goal, check_witness=check_witness)
    naive, top_down = sols["naive"].stats, sols["top_down"].stats
    assert top_down.misses == top_down.states == naive.states
    assert top_down.calls == top_down.hits + top_down.misses
    assert sols["bottom_up"].stats.states == len(rec.space(*goal))
    return sols["naive"].value


# -- Fibonacci ---------------------------------------------------------------------


@dp.recurrence(states=lambda n: range(n + 1))
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@FEW
@given(st.integers(0, 18))
def test_fibonacci(n) -> None:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    assert agree(fib, n) == a


# -- binomials by Pascal's rule ---------------------------------------------------


@dp.recurrence(states=lambda n, k: dp.grid(n + 1, k + 1))
def pascal(n, k):
    if k == 0 or k == n:
        return 1
    if k > n:
        return 0
    return pascal(n - 1, k - 1) + pascal(n - 1, k)


@FEW
@given(st.integers(0, 14).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_binomial(nk) -> None:
    n, k = nk
    assert agree(pascal, n, k) == math.comb(n, k)


@settings(max_examples=10)
@given(st.integers(64, 90).flatmap(lambda n: st.tuples(st.just(n), st.integers(n // 3, n // 2))))
def test_binomial_large_is_exact(nk) -> None:
    n, k = nk
    top = pascal.solve(n, k, strategy="top_down").value
    sol = pascal.solve(n, k, strategy="bottom_up")
    assert sol.value == top == math.comb(n, k)
    assert sol.table[n, k] == math.comb(n, k)


# -- LCS, checked against every subsequence --------------------------------------------


def make_lcs(a, b):
    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def lcs(i, j):
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return dp.choose([(lcs(i - 1, j - 1) + 1, "match")], best=max)
        return dp.choose([(lcs(i - 1, j), "up"), (lcs(i, j - 1), "left")], best=max)

    return lcs


MOVES = {"match": (1, 1), "up": (1, 0), "left": (0, 1)}


def lcs_witness(sol, a, b):
    step = lambda s, label: (s[0] - MOVES[label][0], s[1] - MOVES[label][1])  # noqa: E731
    picked = [a[i - 1] for (i, j), label in sol.walk((len(a), len(b)), step) if label == "match"]
    return "".join(reversed(picked))


def is_subsequence(s, t):
    it = iter(t)
    return all(ch in it for ch in s)


def brute_lcs(a, b):
    best = 0
    for mask in range(1 << len(a)):
        sub = "".join(ch for i, ch in enumerate(a) if mask >> i & 1)
        if len(sub) > best and is_subsequence(sub, b):
            best = len(sub)
    return best


@FEW
@given(strings(max_size=7), strings(max_size=7))
def test_lcs(a, b) -> None:
    lcs = make_lcs(a, b)

    def valid(sol):
        seq = lcs_witness(sol, a, b)
        assert len(seq) == sol.value, seq
        assert is_subsequence(seq, a) and is_subsequence(seq, b), seq

    assert agree(lcs, len(a), len(b), check_witness=valid) == brute_lcs(a, b)


@settings(max_examples=10)
@given(strings("ab", min_size=1, max_size=30), strings("ab", min_size=1, max_size=30))
def test_lcs_window_matches_the_full_table(a, b) -> None:
    lcs = make_lcs(a, b)
    full = lcs.solve(len(a), len(b), strategy="bottom_up")
    assert lcs.solve(len(a), len(b), strategy="bottom_up", window=2).value == full.value
    assert full.table.dtype.kind == "i" and full.table[len(a), len(b)] == full.value


# -- monotone grid paths around obstacles, checked by enumerating the paths ---------------


def make_paths(blocked):
    @dp.recurrence(states=lambda r, c: dp.grid(r + 1, c + 1))
    def paths(r, c):
        if (r, c) in blocked:
            return 0
        if r == 0 and c == 0:
            return 1
        return (paths(r - 1, c) if r else 0) + (paths(r, c - 1) if c else 0)

    return paths


def brute_paths(rows, cols, blocked):
    moves = rows + cols - 2
    count = 0
    for downs in itertools.combinations(range(moves), rows - 1):
        r = c = 0
        cells = [(0, 0)]
        for step in range(moves):
            if step in downs:
                r += 1
            else:
                c += 1
            cells.append((r, c))
        count += not any(cell in blocked for cell in cells)
    return count


@FEW
@given(grids_with_obstacles(max_rows=5, max_cols=5, open_corners=False))
def test_grid_paths(grid) -> None:
    rows, cols, blocked = grid
    assert agree(make_paths(blocked), rows - 1, cols - 1) == brute_paths(rows, cols, blocked)


# -- bitmask recurrences: assignment and a tiny TSP, checked with permutations --------------


def make_assignment(cost):
    n = len(cost)

    @dp.recurrence(states=lambda mask: dp.subsets(n))
    def assign(mask):
        if mask == 0:
            return 0
        worker = mask.bit_count() - 1
        return dp.choose(
            ((assign(mask & ~(1 << j)) + cost[worker][j], j) for j in range(n) if mask >> j & 1),
            best=min,
        )

    return assign


square = st.integers(1, 5).flatmap(
    lambda n: st.lists(st.lists(st.integers(0, 20), min_size=n, max_size=n), min_size=n, max_size=n)
)


@FEW
@given(square)
def test_assignment(cost) -> None:
    n = len(cost)
    full = (1 << n) - 1
    assign = make_assignment(cost)

    def valid(sol):
        jobs = [j for mask, j in sol.walk(full, lambda mask, j: mask & ~(1 << j))]
        jobs.reverse()  # the walk goes from the last worker to the first
        assert sorted(jobs) == list(range(n))
        assert sum(cost[w][j] for w, j in enumerate(jobs)) == sol.value

    brute = min(sum(cost[w][p[w]] for w in range(n)) for p in itertools.permutations(range(n)))
    assert agree(assign, full, check_witness=valid) == brute


def make_tsp(d):
    n = len(d)
    k = n - 1  # bit b of a mask is city b + 1; city 0 is the start

    @dp.recurrence(states=lambda mask, last: dp.grid(dp.subsets(k), range(n - 1, -1, -1)))
    def tour(mask, last):
        if mask == 0:
            return 0 if last == 0 else math.inf
        if last == 0:  # close the tour: come back from the last city
            return dp.choose(
                ((tour(mask, p) + d[p][0], p) for p in range(1, n) if mask >> (p - 1) & 1), best=min
            )
        bit = 1 << (last - 1)
        if not mask & bit:
            return math.inf
        rest = mask & ~bit
        if rest == 0:
            return dp.choose([(d[0][last], 0)], best=min)
        return dp.choose(
            ((tour(rest, p) + d[p][last], p) for p in range(1, n) if rest >> (p - 1) & 1), best=min
        )

    return tour


@FEW
@given(
    st.integers(2, 5).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(1, 30), min_size=n, max_size=n), min_size=n, max_size=n
        )
    )
)
def test_tsp(d) -> None:
    n = len(d)
    full = (1 << (n - 1)) - 1
    tour = make_tsp(d)

    def valid(sol):
        route, mask, last = [], full, 0
        first = sol.choices[(full, 0)]
        route.append(first)
        mask, last = full, first
        while True:
            p = sol.choices[(mask, last)]
            mask &= ~(1 << (last - 1))
            if p == 0:
                break
            route.append(p)
            last = p
        route.reverse()
        assert sorted(route) == list(range(1, n))
        cycle = [0, *route, 0]
        assert sum(d[u][v] for u, v in itertools.pairwise(cycle)) == sol.value

    brute = min(
        sum(d[u][v] for u, v in itertools.pairwise([0, *p, 0]))
        for p in itertools.permutations(range(1, n))
    )
    assert agree(tour, full, 0, check_witness=valid) == brute


@settings(max_examples=15)
@given(strings(max_size=8), strings(max_size=8))
def test_numpy_and_dict_tables_hold_the_same_values(a, b) -> None:
    def make(states):
        @dp.recurrence(states=states)
        def lcs(i, j):
            if i == 0 or j == 0:
                return 0
            if a[i - 1] == b[j - 1]:
                return lcs(i - 1, j - 1) + 1
            return max(lcs(i - 1, j), lcs(i, j - 1))

        return lcs

    boxed = make(lambda i, j: dp.grid(i + 1, j + 1)).solve(len(a), len(b), strategy="bottom_up")
    listed = make(lambda i, j: [(x, y) for x in range(i + 1) for y in range(j + 1)]).solve(
        len(a), len(b), strategy="bottom_up"
    )
    assert isinstance(listed.table, dict) and boxed.table.shape == (len(a) + 1, len(b) + 1)
    assert {state: int(boxed.table[state]) for state in listed.table} == listed.table
    assert boxed.stats == listed.stats
