"""Many answers of the sequence problems (issue 14): count(), witnesses() and k= by enumeration.

For random small instances each problem's answers are checked against a
brute-force enumeration written here from the problem's definition, not
from its recurrence: every alignment, every warping path, every state
sequence, every segmentation, every increasing index set, every edit script
(with transpositions), every first drop. ``count()`` must be the number of
optimal ones, ``witnesses()`` exactly their set (no repeats), and ``k=K``
the K best values, each entry a distinct witness that scores its value.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import numpy as np
import pytest
from dptoolkit.problems import _edit_variants as variants
from dptoolkit.problems import alignment, dtw, edit_distance, egg_drop, lis, viterbi, word_break
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = st.sampled_from(("top_down", "bottom_up", "auto"))
KS = st.integers(1, 10)

Witness = Hashable


def frozen(value: Any) -> Hashable:
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    return value  # type: ignore[no-any-return]


def agree(
    solve: Callable[..., dp.Solution],
    scored: dict[Witness, Any],
    witness: Callable[[dp.Solution], Witness],
    *,
    maximize: bool,
    strategy: str,
    k: int,
) -> None:
    """*solve*'s count, witnesses and k best against *scored*: every witness and its value."""
    best = (max if maximize else min)(scored.values())
    optimal = {w for w, v in scored.items() if v == best}
    sol = solve(strategy=strategy)
    assert sol.value == best
    listed = [witness(w) for w in sol.witnesses()]
    assert len(listed) == len(set(listed)), "witnesses() repeated one"
    assert set(listed) == optimal
    assert sol.count() == len(optimal)
    assert witness(sol) in optimal  # the solve's own witness is one of them
    assert [witness(w) for w in sol.witnesses(1)] == listed[:1]
    top = solve(strategy=strategy, k=k)
    assert top.strategy in ("naive", "top_down", "bottom_up")  # auto: bottom_up
    assert top.value == best
    entries = [witness(e) for e in top.k_best]
    assert len(entries) == len(set(entries)), "k_best repeated a witness"
    assert [e.value for e in top.k_best] == sorted(scored.values(), reverse=maximize)[:k]
    for e in top.k_best:
        assert scored[witness(e)] == e.value


def refuses_fast(solve: Callable[..., dp.Solution]) -> None:
    """``fast`` answers neither k= nor count()/witnesses(), and says which strategies can."""
    with pytest.raises(dp.InvalidInput, match="'fast' kernel records none; use strategy 'auto'"):
        solve(strategy="fast", k=2)
    fast = solve(strategy="fast")
    with pytest.raises(dp.InvalidInput, match="top_down, bottom_up or naive"):
        fast.count()
    with pytest.raises(dp.InvalidInput, match="top_down, bottom_up or naive"):
        next(fast.witnesses())


# -- alignment -------------------------------------------------------------------------------

Column = tuple[int, int]  # (i, j), -1 for a gap


def alignments(n: int, m: int) -> Iterator[tuple[Column, ...]]:
    """Every alignment of lengths n and m as its columns (no column of two gaps)."""
    if n == 0 and m == 0:
        yield ()
        return
    if n and m:
        for rest in alignments(n - 1, m - 1):
            yield (*rest, (n - 1, m - 1))
    if n:
        for rest in alignments(n - 1, m):
            yield (*rest, (n - 1, -1))
    if m:
        for rest in alignments(n, m - 1):
            yield (*rest, (-1, m - 1))


def rows(a: str, b: str, cols: tuple[Column, ...]) -> tuple[str, str]:
    return (
        "".join(a[i] if i >= 0 else "-" for i, _ in cols),
        "".join(b[j] if j >= 0 else "-" for _, j in cols),
    )


def score(top: str, bottom: str, match: int, mismatch: int, o: int, e: int, free_ends: bool) -> int:
    """Pairs score match/mismatch; each run of L gaps in a row o + (L - 1) e (end runs free)."""
    total = sum(
        (match if x == y else mismatch)
        for x, y in zip(top, bottom, strict=True)
        if "-" not in (x, y)
    )
    for row in (top, bottom):
        runs = [(k, len(list(g))) for k, g in itertools.groupby(row, key=lambda ch: ch == "-")]
        for index, (gap, length) in enumerate(runs):
            if gap and not (free_ends and index in (0, len(runs) - 1)):
                total += o + (length - 1) * e
    return total


def semiglobal_span(cols: tuple[Column, ...], n: int, m: int) -> tuple[Column, Column]:
    """The overlap: without the trailing run of one kind of gap, then the leading one."""
    i0, i1, j0, j1 = 0, n, 0, m
    kind: Callable[[Column], int] = lambda c: 0 if c[1] == -1 else 1 if c[0] == -1 else 2  # noqa: E731
    end = len(cols)
    if end and kind(cols[-1]) < 2:
        last = kind(cols[-1])
        while end and kind(cols[end - 1]) == last:
            end -= 1
        if last == 0:
            i1 -= len(cols) - end
        else:
            j1 -= len(cols) - end
    if end and kind(cols[0]) < 2:
        first = kind(cols[0])
        start = 0
        while start < end and kind(cols[start]) == first:
            start += 1
        if first == 0:
            i0 = start
        else:
            j0 = start
    return (i0, i1), (j0, j1)


def every_alignment(
    a: str, b: str, mode: str, match: int, mismatch: int, o: int, e: int
) -> dict[Witness, Any]:
    """Every alignment of the mode as (rows, span), and its score, by the definition."""
    n, m = len(a), len(b)
    out: dict[Witness, Any] = {}
    if mode == "local":  # every pair of substrings; the alignment starts and ends with a pair
        out[("", ""), ((0, 0), (0, 0))] = 0
        for i0, i1 in itertools.combinations_with_replacement(range(n + 1), 2):
            for j0, j1 in itertools.combinations_with_replacement(range(m + 1), 2):
                x, y = a[i0:i1], b[j0:j1]
                for cols in alignments(len(x), len(y)):
                    if not cols or -1 in cols[0] or -1 in cols[-1]:
                        continue
                    r = rows(x, y, cols)
                    out[r, ((i0, i1), (j0, j1))] = score(*r, match, mismatch, o, e, False)
        return out
    for cols in alignments(n, m):
        r = rows(a, b, cols)
        span = semiglobal_span(cols, n, m) if mode == "semiglobal" else ((0, n), (0, m))
        out[r, span] = score(*r, match, mismatch, o, e, mode == "semiglobal")
    return out


@settings(max_examples=80, deadline=None)
@given(
    a=st.text(alphabet="ACG", max_size=4),
    b=st.text(alphabet="ACG", max_size=4),
    mode=st.sampled_from(alignment.MODES),
    match=st.integers(0, 2),
    mismatch=st.integers(-2, 0),
    gaps=st.one_of(
        st.integers(-2, 0).map(lambda g: {"gap": g}),
        st.tuples(st.integers(-3, 0), st.integers(-2, 0)).map(
            lambda oe: {"gap_open": oe[0], "gap_extend": oe[1]}
        ),
    ),
    strategy=STRATEGIES,
    k=KS,
)
def test_alignment(
    a: str,
    b: str,
    mode: str,
    match: int,
    mismatch: int,
    gaps: dict[str, int],
    strategy: str,
    k: int,
) -> None:
    o = gaps.get("gap_open", gaps.get("gap", 0))
    e = gaps.get("gap_extend", gaps.get("gap", 0))
    scored = every_alignment(a, b, mode, match, mismatch, o, e)

    def solve(**kw: Any) -> dp.Solution:
        return alignment.solve(a, b, mode=mode, match=match, mismatch=mismatch, **gaps, **kw)

    agree(solve, scored, lambda s: (s.aligned, s.span), maximize=True, strategy=strategy, k=k)


def test_alignment_fast_refuses_and_auto_re_solves() -> None:
    def solve(**kw: Any) -> dp.Solution:
        return alignment.solve("GATTACA", "GCATGCU", **kw)

    refuses_fast(solve)
    quick = solve()
    assert quick.strategy == "fast" and quick.count() == 3
    assert quick.aligned in {w.aligned for w in quick.witnesses()}


def test_alignment_build_and_solve_share_their_options() -> None:
    rec, goal = alignment.build("TTGACGTAA", "GACG", mode="local", match=2)
    assert rec.solve(*goal, strategy="bottom_up").value == 8
    with pytest.raises(dp.InvalidInput, match="mode='loose' must be one of"):
        alignment.build("A", "A", mode="loose")
    with pytest.raises(TypeError, match="gap_opening"):
        alignment.build("A", "A", gap_opening=-1)
    with pytest.raises(dp.InvalidInput, match="mode='loose' must be one of"):
        alignment.score_rows(("A", "A"), mode="loose")
    assert alignment.score_rows(("--ACGT", "TTACG-"), mode="semiglobal", gap=-2) == 3


@pytest.mark.parametrize("mode", alignment.MODES)
def test_alignment_naive_agrees(mode: str) -> None:
    scored = every_alignment("ACG", "AG", mode, 1, -1, -1, -1)
    agree(
        lambda **kw: alignment.solve("ACG", "AG", mode=mode, **kw),
        scored,
        lambda s: (s.aligned, s.span),
        maximize=True,
        strategy="naive",
        k=6,
    )


# -- dtw -------------------------------------------------------------------------------------


def warping_paths(
    x: list[int], y: list[int], window: int | None, squared: bool
) -> dict[Witness, Any]:
    n, m = len(x), len(y)
    out: dict[Witness, Any] = {}

    def extend(path: tuple[tuple[int, int], ...]) -> None:
        i, j = path[-1]
        if (i, j) == (n - 1, m - 1):
            out[path] = sum(((x[p] - y[q]) ** 2 if squared else abs(x[p] - y[q])) for p, q in path)
            return
        for p, q in ((i + 1, j + 1), (i + 1, j), (i, j + 1)):
            if p < n and q < m and (window is None or abs(p - q) <= window):
                extend((*path, (p, q)))

    extend(((0, 0),))
    return out


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.integers(0, 3), min_size=1, max_size=4),
    y=st.lists(st.integers(0, 3), min_size=1, max_size=4),
    window=st.one_of(st.none(), st.integers(0, 3)),
    squared=st.booleans(),
    strategy=st.sampled_from(("naive", "top_down", "bottom_up", "auto")),
    k=KS,
)
def test_dtw(
    x: list[int], y: list[int], window: int | None, squared: bool, strategy: str, k: int
) -> None:
    if window is not None and window < abs(len(x) - len(y)):
        window = abs(len(x) - len(y))
    cost = "squared" if squared else "absolute"
    scored = warping_paths(x, y, window, squared)

    def solve(**kw: Any) -> dp.Solution:
        return dtw.solve(x, y, window=window, cost=cost, **kw)

    agree(solve, scored, lambda s: frozen(s.path), maximize=False, strategy=strategy, k=k)


def test_dtw_fast_refuses() -> None:
    refuses_fast(lambda **kw: dtw.solve([0, 1, 1, 2], [0, 1, 2], **kw))
    assert dtw.solve([0, 0, 0], [0, 0]).count() == 5  # every path is free: Delannoy D(2, 1)


# -- viterbi ---------------------------------------------------------------------------------


def halves(parts: int) -> st.SearchStrategy[list[float]]:
    """A probability row of *parts* entries of 0, 1/2 or 1, summing to 1 (ties are common).

    Their logs are 0 and one float ``-c`` (or ``-inf``), so a path's sum depends only on how
    many halves it meets, in any order: equal probabilities never round apart, and the
    exact ties of the recurrence are the ties of the definition.
    """
    return st.lists(st.integers(0, parts - 1), min_size=2, max_size=2).map(
        lambda picks: [picks.count(p) / 2 for p in range(parts)]
    )


@st.composite
def models(draw: st.DrawFn) -> tuple[Any, ...]:
    S = draw(st.integers(1, 3))
    K = draw(st.integers(1, 2))
    T = draw(st.integers(1, 4))
    start = np.array(draw(halves(S)))
    trans = np.array([draw(halves(S)) for _ in range(S)])
    emit = np.array([draw(halves(K)) for _ in range(S)])
    obs = draw(st.lists(st.integers(0, K - 1), min_size=T, max_size=T))
    return obs, [f"s{i}" for i in range(S)], start, trans, emit


@settings(max_examples=80, deadline=None)
@given(model=models(), strategy=st.sampled_from(("naive", "top_down", "bottom_up", "auto")), k=KS)
def test_viterbi(model: tuple[Any, ...], strategy: str, k: int) -> None:
    obs, states = model[0], model[1]
    scored: dict[Witness, Any] = {}
    for path in itertools.product(states, repeat=len(obs)):
        logp = viterbi.path_log_probability(path, *model)
        if logp > -math.inf:
            scored[path] = logp

    def solve(**kw: Any) -> dp.Solution:
        return viterbi.solve(*model, **kw)

    if not scored:  # every path has probability 0: nothing to count, list or rank
        sol = solve(strategy=strategy)
        assert sol.value == -math.inf and sol.path is None
        assert sol.count() == 0 and list(sol.witnesses()) == []
        assert solve(strategy=strategy, k=k).k_best == []
        return
    agree(solve, scored, lambda s: frozen(s.path), maximize=True, strategy=strategy, k=k)


def test_viterbi_counts_equally_likely_paths() -> None:
    half = np.array([0.5, 0.5])
    model = ([0, 0, 0], ["x", "y"], half, np.array([half, half]), np.array([[1.0], [1.0]]))
    sol = viterbi.solve(*model)
    assert sol.count() == 8 and len({tuple(w.path) for w in sol.witnesses()}) == 8
    refuses_fast(lambda **kw: viterbi.solve(*model, **kw))


# -- word break ------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    text=st.text(alphabet="ab", max_size=8),
    words=st.sets(st.text(alphabet="ab", min_size=1, max_size=3), max_size=6),
    strategy=st.sampled_from(("naive", "top_down", "bottom_up", "auto")),
)
def test_word_break(text: str, words: set[str], strategy: str) -> None:
    every = {tuple(p) for p in word_break.brute_force(text, words)}  # every cut pattern
    sol = word_break.solve(text, words, strategy=strategy)
    listed = [tuple(w.words) for w in sol.witnesses()]
    assert len(listed) == len(set(listed)) and set(listed) == every
    assert sol.count() == sol.count == len(every)  # the field and the method: one int
    assert sol.value == bool(every)
    assert (sol.words is None) == (not every) and (sol.words is None or tuple(sol.words) in every)
    with pytest.raises(dp.InvalidInput, match="k=2: word_break answers yes or no"):
        word_break.solve(text, words, k=2)


def test_word_break_fast_keeps_its_count_but_lists_nothing() -> None:
    words = ["a", "aa"]
    fast = word_break.solve("aaaa", words, strategy="fast")
    assert fast.count == fast.count() == 5
    with pytest.raises(dp.InvalidInput, match="top_down, bottom_up or naive"):
        next(fast.witnesses())
    assert len(list(word_break.solve("aaaa", words).witnesses())) == 5


# -- lis -------------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    seq=st.lists(st.integers(0, 3), max_size=7),
    strategy=st.sampled_from(("naive", "top_down", "bottom_up", "auto")),
    k=KS,
)
def test_lis_counts_index_sets(seq: list[int], strategy: str, k: int) -> None:
    scored: dict[Witness, Any] = {
        chosen: len(chosen)
        for r in range(len(seq) + 1)
        for chosen in itertools.combinations(range(len(seq)), r)
        if all(seq[p] < seq[q] for p, q in itertools.pairwise(chosen))
    }
    agree(
        lambda **kw: lis.solve(seq, **kw),
        scored,
        lambda s: tuple(s.indices),
        maximize=True,
        strategy=strategy,
        k=k,
    )


def test_lis_index_sets_not_values() -> None:
    sol = lis.solve([1, 2, 1, 2], strategy="bottom_up")
    assert sorted(w.indices for w in sol.witnesses()) == [[0, 1], [0, 3], [2, 3]]
    assert sol.count() == 3
    refuses_fast(lambda **kw: lis.solve([3, 1, 2], **kw))


# -- egg drop --------------------------------------------------------------------------------


@functools.cache
def decided(eggs: int, left: tuple[int, ...], drops: int) -> bool:
    """Whether *drops* more drops with *eggs* eggs always tell which of *left* is the critical floor.

    An egg dropped from floor x breaks exactly when the critical floor is below x; a drop
    from a floor that splits nothing is never needed.
    """
    if len(left) == 1:
        return True
    if not drops or not eggs:
        return False
    for x in left[1:]:
        below, above = tuple(c for c in left if c < x), tuple(c for c in left if c >= x)
        if decided(eggs - 1, below, drops - 1) and decided(eggs, above, drops - 1):
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(
    eggs=st.integers(1, 3),
    floors=st.integers(0, 9),
    strategy=st.sampled_from(("naive", "top_down", "bottom_up", "auto")),
)
def test_egg_drop_first_floors(eggs: int, floors: int, strategy: str) -> None:
    every = tuple(range(floors + 1))  # the critical floor: 0 (all break) .. floors (none)
    d = next(d for d in itertools.count() if decided(eggs, every, d))
    firsts = {
        x
        for x in range(1, floors + 1)
        if decided(eggs - 1, every[:x], d - 1) and decided(eggs, every[x:], d - 1)
    } or {None}
    sol = egg_drop.solve(eggs, floors, strategy=strategy)
    assert sol.value == d
    listed = [w.first_floor for w in sol.witnesses()]
    assert len(listed) == len(set(listed)) and set(listed) == firsts
    assert sol.count() == len(firsts)
    lowest = min(firsts, key=lambda x: x or 0)
    assert sol.first_floor == lowest
    assert egg_drop.solve(eggs, floors, strategy="fast").first_floor == lowest
    with pytest.raises(dp.InvalidInput, match="the K best of a max"):
        egg_drop.solve(eggs, floors, strategy=strategy, k=3)


# -- edit distance variants: weights, OSA, Damerau -------------------------------------------


def every_script(a: str, b: str, c: variants.Costs) -> dict[Witness, Any]:
    """Every edit script the variant can write, and its cost, by exhaustive search.

    Levenshtein: match/substitute, delete, insert. OSA adds the swap of two
    adjacent different items. Damerau's transposition swaps a[i] and a[p]
    into b[q] and b[j] with the items of a between them deleted and those of
    b between them inserted, a[p] and b[q] being the nearest such items
    (Lowrance and Wagner's form, the one its recurrence writes).
    """
    n, m = len(a), len(b)
    out: dict[Witness, Any] = {}
    price = {"match": 0, "substitute": c.substitute, "delete": c.delete, "insert": c.insert}
    stack: list[tuple[int, int, tuple[tuple[str, int, int], ...], Any]] = [(0, 0, (), 0)]
    while stack:
        i, j, ops, cost = stack.pop()
        if (i, j) == (n, m):
            out[ops] = cost
            continue
        if i < n and j < m:
            kind = "match" if a[i] == b[j] else "substitute"
            stack.append((i + 1, j + 1, (*ops, (kind, i, j)), cost + price[kind]))
        if i < n:
            stack.append((i + 1, j, (*ops, ("delete", i, j)), cost + c.delete))
        if j < m:
            stack.append((i, j + 1, (*ops, ("insert", i, j)), cost + c.insert))
        swap = i + 1 < n and j + 1 < m and a[i] == b[j + 1] and a[i + 1] == b[j]
        if c.variant == "osa" and swap and a[i] != a[i + 1]:
            stack.append((i + 2, j + 2, (*ops, ("transpose", i, j)), cost + c.transpose))
        if c.variant == "damerau" and i < n and j < m:
            for p, q in itertools.product(range(i + 1, n), range(j + 1, m)):
                if not (a[i] == b[q] and a[p] == b[j] and a[p] != b[q]):
                    continue
                if b[q] in a[i + 1 : p] or a[p] in b[j + 1 : q]:
                    continue  # not the nearest pair
                block = [("transpose", i, j)]
                block += [("delete", s, j + 1) for s in range(i + 1, p)]
                block += [("insert", p, t) for t in range(j + 1, q)]
                more = c.transpose + (p - i - 1) * c.delete + (q - j - 1) * c.insert
                stack.append((p + 1, q + 1, (*ops, *block), cost + more))
    return out


@st.composite
def costs(draw: st.DrawFn) -> dict[str, Any]:
    variant = draw(st.sampled_from(variants.VARIANTS))
    ins, dele, sub = (draw(st.integers(0, 3)) for _ in range(3))
    low = (ins + dele + 1) // 2 if variant == "damerau" else 0
    return {
        "insert": ins,
        "delete": dele,
        "substitute": sub,
        "transpose": draw(st.integers(low, low + 2)),
        "variant": variant,
    }


@settings(max_examples=120, deadline=None)
@given(
    a=st.text(alphabet="abc", max_size=4),
    b=st.text(alphabet="abc", max_size=4),
    weights=costs(),
    strategy=STRATEGIES,
    k=KS,
)
def test_edit_variants(a: str, b: str, weights: dict[str, Any], strategy: str, k: int) -> None:
    c = variants.check_costs(**weights)
    scored = every_script(a, b, c)
    if c.variant == "damerau":  # the scripts' best is the distance by any sequence of edits
        assert min(scored.values()) == variants.edit_search(a, b, c)

    def solve(**kw: Any) -> dp.Solution:
        return edit_distance.solve(a, b, **weights, **kw)

    agree(solve, scored, lambda s: frozen(s.operations), maximize=False, strategy=strategy, k=k)
    for w in solve(strategy=strategy).witnesses():
        assert edit_distance.apply_operations(a, b, w.operations) == b


def test_edit_variants_fast_refuses() -> None:
    refuses_fast(lambda **kw: edit_distance.solve("abcd", "bacd", variant="osa", **kw))
    assert edit_distance.solve("ab", "ba", substitute=0).count() == 1


# -- the CLI ---------------------------------------------------------------------------------


def test_cli_counts_lists_and_ranks_alignments(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from dptoolkit.cli import main

    a, b = "GATTACA", "GCATGCU"
    argv = ["solve", "alignment", a, b, "--count", "--all", "--k", "4", "--json"]
    assert main(argv) == 0
    record = json.loads(capsys.readouterr().out)
    scored = every_alignment(a, b, "global", 1, -1, -1, -1)
    best = max(scored.values())
    optimal = sorted(r for (r, _), v in scored.items() if v == best)
    assert record["count"] == len(optimal) == 3
    assert sorted(tuple(w["aligned"]) for w in record["witnesses"]) == optimal
    assert [e["value"] for e in record["k_best"]] == sorted(scored.values(), reverse=True)[:4]


def test_cli_word_break_and_egg_drop(capsys: pytest.CaptureFixture[str]) -> None:
    from dptoolkit.cli import main

    words = (
        '["BOTH", "EARTH", "AND", "SATURN", "SPIN", "BOT", "HEART", "HANDS", "AT", "URNS", "PIN"]'
    )
    assert main(["solve", "word_break", "BOTHEARTHANDSATURNSPIN", words, "--count", "--all"]) == 0
    out = capsys.readouterr().out
    assert "optimal solutions: 2" in out and "BOTH" in out and "HEART" in out
    assert main(["solve", "egg_drop", "2", "100", "--count"]) == 0
    assert "optimal solutions: 6" in capsys.readouterr().out
    assert main(["solve", "egg_drop", "2", "100", "--k", "2"]) == 2
    assert "the K best of a max" in capsys.readouterr().err
