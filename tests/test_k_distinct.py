"""``solve(..., k=K).k_best`` lists the K best *distinct* witnesses, each once (issue 14).

User-written recurrences whose witness map folds several choice paths into
one witness (orders of paying one multiset of coins; grid paths seen only by
the costs they pass), checked against brute force from the problems'
definitions: the values are the K best over distinct witnesses, every
witness is valid and none repeats. Then the bound on the paths drawn, and
``k=1`` as the plain solve.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit.bench._workloads import grid_path

STRATEGIES = ("naive", "top_down", "bottom_up")


def paying(coins: list[int]) -> dp.Recurrence:
    """Fewest coins, choosing the last coin paid: one path per *order* of paying."""

    @dp.recurrence(states=lambda a: range(a + 1))
    def fewest(a: int) -> int | float:
        if a == 0:
            return 0
        options = [(fewest(a - c) + 1, c) for c in coins if c <= a]
        return dp.choose(options, best=min) if options else math.inf  # type: ignore[no-any-return]

    return fewest


def multisets(coins: list[int], amount: int) -> dict[tuple[int, ...], int]:
    """Every multiset of coins paying *amount*, and its size: brute force."""
    out: dict[tuple[int, ...], int] = {}
    for size in range(amount + 1):
        for combo in itertools.combinations_with_replacement(sorted(set(coins)), size):
            if sum(combo) == amount:
                out[combo] = size
    return out


@settings(max_examples=60, deadline=None)
@given(
    coins=st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True),
    amount=st.integers(0, 9),
    strategy=st.sampled_from(STRATEGIES),
    k=st.integers(1, 10),
)
def test_orders_of_paying_give_each_multiset_once(
    coins: list[int], amount: int, strategy: str, k: int
) -> None:
    def paid(s: dp.Solution) -> dict[str, tuple[int, ...]]:
        return {"coins": tuple(sorted(c for _, c in s.walk(amount, lambda a, c: a - c)))}

    top = paying(coins).solve(amount, strategy=strategy, k=k).with_fields(witness_of=paid)
    scored = multisets(coins, amount)
    assert [e.value for e in top.k_best] == sorted(scored.values())[:k]
    seen = [e.coins for e in top.k_best]
    assert len(seen) == len(set(seen))
    assert all(scored[e.coins] == e.value for e in top.k_best)


def monotone_paths(rows: int, cols: int) -> list[list[tuple[int, int]]]:
    out = []
    for downs in itertools.combinations(range(rows + cols - 2), rows - 1):
        i = j = 0
        cells = [(0, 0)]
        for step in range(rows + cols - 2):
            i, j = (i + 1, j) if step in downs else (i, j + 1)
            cells.append((i, j))
        out.append(cells)
    return out


grids = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 3), min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(grid=grids, strategy=st.sampled_from(STRATEGIES), k=st.integers(1, 12))
def test_paths_seen_by_their_costs_are_listed_once_per_cost_multiset(
    grid: list[list[int]], strategy: str, k: int
) -> None:
    goal = (len(grid) - 1, len(grid[0]) - 1)

    def costs(s: dp.Solution) -> dict[str, tuple[int, ...]]:
        cells = [(0, 0), *(state for state, _ in s.walk(goal, lambda state, to: to))]
        return {"costs": tuple(sorted(grid[i][j] for i, j in cells))}

    top = grid_path(grid).solve(*goal, strategy=strategy, k=k).with_fields(witness_of=costs)
    scored = {
        tuple(sorted(grid[i][j] for i, j in cells)): sum(grid[i][j] for i, j in cells)
        for cells in monotone_paths(len(grid), len(grid[0]))
    }
    assert [e.value for e in top.k_best] == sorted(scored.values())[:k]
    seen = [e.costs for e in top.k_best]
    assert len(seen) == len(set(seen))
    assert all(scored[e.costs] == e.value for e in top.k_best)


def test_the_paths_drawn_are_bounded() -> None:
    # every path is one witness: k=2 has only one to give, found while the paths last
    same = {"w": 0}
    small = grid_path([[0] * 6 for _ in range(6)]).solve(5, 5, k=2)  # 252 paths, under 256
    assert [e.w for e in small.with_fields(witness_of=lambda s: same).k_best] == [0]
    big = grid_path([[0] * 7 for _ in range(7)]).solve(6, 6, k=2)  # 924 paths
    with pytest.raises(dp.BudgetExceeded, match=r"k=2: the 2 best distinct witnesses .* 256 best"):
        big.with_fields(witness_of=lambda s: same).k_best


def test_without_fields_each_path_is_an_entry() -> None:
    top = paying([1, 2]).solve(4, k=6)
    assert [e.value for e in top.k_best] == [2, 3, 3, 3, 4]  # every order of paying, once
    assert len({tuple(sorted(e.choices.items())) for e in top.k_best}) == 5


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_k_1_is_the_plain_solve(strategy: str) -> None:
    grid = [[1, 0, 2], [0, 1, 0], [2, 0, 1]]
    rec = grid_path(grid)
    plain = rec.solve(2, 2, strategy=strategy)
    one = rec.solve(2, 2, strategy=strategy, k=1)
    (entry,) = one.k_best
    assert entry.value == one.value == plain.value
    assert list(entry.walk((2, 2), lambda s, to: to)) == list(plain.walk((2, 2), lambda s, to: to))
    assert one.stats == plain.stats


def test_k_1_answers_any_body_and_k_2_refuses_what_it_cannot_follow() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def fib(n: int) -> int:
        return n if n < 2 else max(fib(n - 1), fib(n - 2))

    assert [e.value for e in fib.solve(10, k=1).k_best] == [fib.solve(10).value]
    with pytest.raises(dp.InvalidInput, match=r"k=2 .*compared sub-results"):
        fib.solve(10, k=2)


@settings(max_examples=300, deadline=None)
@given(
    runs=st.lists(
        st.tuples(
            st.integers(0, 24).flatmap(
                lambda n: st.lists(st.integers(0, 3), min_size=n, max_size=n)
            ),
            st.none() | st.integers(-1, 1),
        ),
        min_size=1,
        max_size=4,
    ),
    maximize=st.booleans(),
    k=st.sampled_from((1, 2, 3, 5, 16, 17, 20)),  # the cut works from K = 16 (CUT_FROM)
)
def test_choose_keeps_the_k_best_entries_first_candidate_first_on_ties(
    runs: list[tuple[list[int], int | None]], maximize: bool, k: int
) -> None:
    from dptoolkit.recurrence._kbest import KBest, choose_k

    candidates: list[tuple[object, object]] = []
    every = []  # (value, candidate, position): a stable sort of all of them is the answer
    for c, (values, off) in enumerate(runs):
        entries = [(v, ("leaf", c, p)) for p, v in enumerate(sorted(values, reverse=maximize))]
        if not entries:
            candidates.append((c, f"constant {c}"))
            every.append((c, f"constant {c}", None))
            continue
        sub = KBest(entries, k, maximize, off)
        candidates.append((sub, f"label {c}"))
        every += [(v + (off or 0), f"label {c}", t) for v, t in entries]
    every.sort(key=lambda e: e[0], reverse=maximize)
    got = choose_k(candidates, maximize, "here", k).items()
    assert [(v, t[2], t[3]) for v, t in got] == every[:k]


@pytest.mark.parametrize("k", [1, 3])
def test_a_decimal_infinity_is_no_answer(k: int) -> None:
    from decimal import Decimal

    from dptoolkit.problems import shortest_path

    arcs = [[0, 1, Decimal("1.5")], [2, 0, Decimal(1)]]  # 2 is unreachable from 0
    assert shortest_path.solve(arcs, 0, 2, strategy="bottom_up", k=k).k_best == []
    top = shortest_path.solve(arcs, 0, 1, strategy="bottom_up", k=k)
    assert [(e.value, e.path) for e in top.k_best] == [(Decimal("1.5"), [0, 1])]


def test_a_wider_run_past_the_entries_bound_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from dptoolkit.recurrence import _kdistinct

    monkeypatch.setattr(_kdistinct, "MOST_ENTRIES", 36 * 8 - 1)  # 36 states, 8 wide: past it
    top = grid_path([[0] * 6 for _ in range(6)]).solve(5, 5, k=2)
    with pytest.raises(dp.BudgetExceeded, match=r"k=2: .* 8 would be past the bound"):
        top.with_fields(witness_of=lambda s: {"w": 0}).k_best


def test_a_first_run_holding_too_many_entries_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from dptoolkit.problems import dtw

    from dptoolkit.recurrence import _k_run

    # 6 x 6 equal series: 1,683 warping paths, up to 1,683 entries a state
    assert len(dtw.solve([0] * 6, [0] * 6, k=10**9).k_best) == 1683
    monkeypatch.setattr(_k_run, "MOST_ENTRIES", 1000)
    with pytest.raises(
        dp.BudgetExceeded, match=r"k=1000000000: the run would hold more than 1,000"
    ):
        dtw.solve([0] * 6, [0] * 6, k=10**9)
    assert len(dtw.solve([0] * 6, [0] * 6, k=5).k_best) == 5  # a small k is still answered


@pytest.mark.parametrize("k", [1, 3])
def test_empty_inputs_have_the_empty_answer(k: int) -> None:
    from dptoolkit.problems import coin_change, lcs, palindrome

    assert [(e.value, e.sequence) for e in palindrome.solve("", k=k).k_best] == [(0, "")]
    assert [(e.value, e.sequence) for e in palindrome.solve([], k=k).k_best] == [(0, [])]
    assert [(e.value, e.sequence) for e in lcs.solve("", "ab", k=k).k_best] == [(0, "")]
    assert [(e.value, e.coins) for e in coin_change.solve([3], 0, k=k).k_best] == [(0, [])]


def test_lcs_and_palindrome_k_runs_are_refused_past_their_work_bound() -> None:
    from dptoolkit.problems import _one_path, lcs, palindrome

    items = list(range(3000))  # 3001^2 states, 3000 distinct items each
    with pytest.raises(dp.BudgetExceeded, match=r"k=2: lcs's k= recurrence .* 3,000 distinct"):
        lcs.solve(items, items[::-1], k=2)
    with pytest.raises(dp.BudgetExceeded, match=r"k=2: palindrome's k= recurrence"):
        palindrome.solve(items, k=2)
    assert _one_path.K_WORK_LIMIT > 100 * 101 * 4  # the small cases above stay well under
