"""Recurrences with one choice path per witness, for ``solve(..., k=K)``.

Private to :mod:`dptoolkit.problems`. ``k_best`` lists the K best distinct
witnesses; the engine draws more choice paths when several give one witness,
but where a problem's own recurrence folds many paths into one witness
(orders of paying the same coins), or leaves witnesses out (LCS and
palindromes always take a matching pair, so shorter common subsequences are
never reached), the honest fix is a recurrence whose paths *are* the
witnesses, one each. A ``k=`` solve of these problems runs that one:

* coin change -- ``pay(i, a)``: ``a`` with the first ``i`` denominations,
  the count of each coin decided from the largest down (a multiset is one
  path);
* shortest path -- ``walk(r, v)``: a walk to ``v`` of at most ``r`` arcs,
  its last arc chosen, or its start at the source (no round is "kept", so a
  walk is one path, not one per placement in the rounds);
* LCS -- ``common(i, j)`` over prefixes, the last item ``x`` chosen and
  matched at its last occurrence in each prefix (a subsequence is one path:
  its rightmost embedding), or the empty sequence;
* palindrome -- ``pal(i, j)`` over ``s[i..j]``, the outer item ``x`` chosen
  at its first and last occurrence (alone, or around an inner palindrome),
  or the empty palindrome.

The values are the problems' own (the best is the plain solve's value); the
witness of the best may be another optimal one than the plain solve's. LCS
and palindrome weigh one option per distinct item at each state: time
``O(states x items)``, refused past :data:`K_WORK_LIMIT` before any work.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import dptoolkit as dp

from ._run import TABLE_STATE_LIMIT, run, same_type

if TYPE_CHECKING:
    from dptoolkit.recurrence import Solution

    from ._graphs import Arcs

__all__ = ["K_WORK_LIMIT", "coin_change", "lcs", "palindrome", "shortest_path"]

#: the most options (over all states) the lcs or palindrome recurrence here may set out
#: to weigh: each state weighs one option per distinct item that can end it
K_WORK_LIMIT = 4 * TABLE_STATE_LIMIT


def _check_work(problem: str, k: int, states: int, items: int) -> None:
    """Refuse, before any table is built, a run past :data:`K_WORK_LIMIT` options."""
    work = states * max(items, 1)
    if work > K_WORK_LIMIT:
        raise dp.BudgetExceeded(
            f"k={k}: {problem}'s k= recurrence weighs up to {items:,} distinct items at each "
            f"of {states:,} states ({work:,} options, more than {K_WORK_LIMIT:,}); "
            "use a smaller instance, or solve without k="
        )


def coin_change(denominations: list[int], amount: int, strategy: str, k: int) -> Solution:
    """The K fewest-coin payments of *amount*, as distinct multisets (``.coins`` ascending)."""
    n = len(denominations)

    @dp.recurrence(states=lambda i, a: dp.grid(i + 1, a + 1))
    def pay(i: int, a: int) -> int | float:
        if a == 0:
            return 0
        if i == 0:
            return math.inf
        c = denominations[i - 1]
        options = [(pay(i - 1, a), "skip")]
        if c <= a:
            options.append((pay(i, a - c) + 1, "use"))
        best: int | float = dp.choose(options, best=min)
        return best

    def coins(choices: Any) -> list[int]:
        out: list[int] = []
        i, a = n, amount
        while a:
            if choices[i, a] == "use":
                out.append(denominations[i - 1])
                a -= denominations[i - 1]
            else:
                i -= 1
        return out[::-1]  # the largest coins were decided first

    sol = run(pay, (n, amount), strategy, visits=(n + 1) * (amount + 1), k=k)
    return sol.with_fields(
        lazy={"coins": lambda: None if sol.value == math.inf else coins(sol.choices)},
        witness_of=lambda each: {"coins": coins(each.choices)},
    )


def shortest_path(arcs: Arcs, s: int, t: int, strategy: str, k: int) -> Solution:
    """The K lightest distinct walks of at most ``V - 1`` arcs from *s* to *t* (``.path``)."""
    n, into, inf = arcs.n, arcs.into, arcs.inf

    @dp.recurrence(states=lambda r, v: dp.grid(r + 1, n))
    def walk(r: int, v: int) -> Any:
        options: list[tuple[Any, int | None]] = [(0, None)] if v == s else []
        if r:
            options += [(walk(r - 1, u) + w, u) for u, w in into[v]]
        return dp.choose(options, best=min) if options else inf

    goal = (max(n - 1, 0), t)

    def path(choices: Any) -> list[Hashable]:
        r, v = goal
        nodes = [v]
        while (came := choices.get((r, v))) is not None:
            r, v = r - 1, came
            nodes.append(v)
        return [arcs.nodes[i] for i in reversed(nodes)]

    sol = run(walk, goal, strategy, visits=n * n, k=k)
    value = arcs.number(sol.value)
    return sol.with_fields(
        value=value,
        lazy={"path": lambda: None if value == inf else path(sol.choices)},
        witness_of=lambda each: {"path": path(each.choices)},
    )


def _last_seen(
    seq: Sequence[Hashable], keep: set[Hashable] | None = None
) -> list[dict[Hashable, int]]:
    """``seen[i][x]``: the last index of ``x`` in ``seq[:i]`` (only the items in *keep*)."""
    seen: list[dict[Hashable, int]] = [{}]
    for i, x in enumerate(seq):
        if keep is not None and x not in keep:
            seen.append(seen[-1])  # shared: never changed once made
            continue
        here = dict(seen[-1])
        here.pop(x, None)  # so the dict lists items by their last occurrence
        here[x] = i
        seen.append(here)
    return seen


def lcs(a: Sequence[Hashable], b: Sequence[Hashable], strategy: str, k: int) -> Solution:
    """The K longest distinct common subsequences of *a* and *b* (the empty one included)."""
    shared = set(a) & set(b)  # no other item is in a common subsequence
    _check_work("lcs", k, (len(a) + 1) * (len(b) + 1), len(shared))
    in_a, in_b = _last_seen(a, shared), _last_seen(b, shared)

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def common(i: int, j: int) -> int:
        options: list[tuple[Any, tuple[int, int] | None]] = [(0, None)]
        last_b = in_b[j]
        for x, p in in_a[i].items():
            q = last_b.get(x)
            if q is not None:
                options.append((common(p, q) + 1, (p, q)))
        best: int = dp.choose(options, best=max)
        return best

    goal = (len(a), len(b))

    def sequence(choices: Any) -> Sequence[Hashable]:
        picked: list[Hashable] = []
        state = goal
        while (label := choices[state]) is not None:
            picked.append(a[label[0]])
            state = label
        return same_type(a, picked[::-1])

    sol = run(common, goal, strategy, visits=(len(a) + 1) * (len(b) + 1), k=k)
    return sol.with_fields(
        value=int(sol.value),
        lazy={"sequence": lambda: sequence(sol.choices)},
        witness_of=lambda each: {"sequence": sequence(each.choices)},
    )


def palindrome(seq: Sequence[Hashable], strategy: str, k: int) -> Solution:
    """The K longest distinct palindromic subsequences of *seq* (the empty one included)."""
    n = len(seq)
    if n == 0:  # the one palindrome of nothing is the one common subsequence of nothing
        return lcs(seq, seq, strategy, k)
    _check_work("palindrome", k, n * (n + 1) // 2, len(set(seq)))
    first: list[dict[Hashable, int]] = [{} for _ in range(n + 1)]  # first[i][x]: in seq[i:]
    for i in range(n - 1, -1, -1):
        first[i] = {seq[i]: i, **{x: p for x, p in first[i + 1].items() if x != seq[i]}}
    last = _last_seen(seq)  # last[j + 1][x]: the last x in seq[: j + 1]

    @dp.recurrence(states=lambda i, j: dp.intervals(j + 1))
    def pal(i: int, j: int) -> int:
        options: list[tuple[Any, tuple[int, int] | None]] = [(0, None)]
        ends = last[j + 1]
        for x, p in first[i].items():
            if p > j:
                continue
            q = ends[x]
            options.append((1, (p, p)))
            if q > p:
                options.append(((pal(p + 1, q - 1) if q - p > 1 else 0) + 2, (p, q)))
        best: int = dp.choose(options, best=max)
        return best

    goal = (0, n - 1)

    def sequence(choices: Any) -> Sequence[Hashable]:
        left: list[int] = []
        middle: list[int] = []
        right: list[int] = []
        state: tuple[int, int] | None = goal
        while state is not None and (label := choices[state]) is not None:
            p, q = label
            if p == q:
                middle.append(p)
                break
            left.append(p)
            right.append(q)
            state = (p + 1, q - 1) if q - p > 1 else None
        return same_type(seq, [seq[i] for i in left + middle + right[::-1]])

    sol = run(pal, goal, strategy, visits=n * (n + 1) // 2, k=k)
    return sol.with_fields(
        value=int(sol.value),
        lazy={"sequence": lambda: sequence(sol.choices)},
        witness_of=lambda each: {"sequence": sequence(each.choices)},
    )
