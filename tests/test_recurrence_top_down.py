"""top_down: the body itself is memoized, its bookkeeping folded in; the wrapper when it cannot be.

Every behaviour test runs twice: with the bookkeeping folded into a copy of
the body (the usual case) and with the generated wrapper the engine falls
back to when the body's source cannot be proved faithful.
"""

from __future__ import annotations

import importlib
import linecache
import math
import sys
import traceback
import types

import numpy as np
import pytest

import dptoolkit as dp
from dptoolkit.recurrence._codegen import fold

# the strategy module that calls fold
recurrence_module = importlib.import_module("dptoolkit.recurrence._top_down")


@pytest.fixture(params=["folded", "wrapped"])
def how(request, monkeypatch):
    """Run top_down folded, or force the wrapper; the test sees which was used."""
    used: list[bool] = []
    real = recurrence_module.fold

    def spy(func, *rest):
        code = real(func, *rest) if request.param == "folded" else None
        used.append(code is not None)
        return code

    monkeypatch.setattr(recurrence_module, "fold", spy)
    return request.param, used


def check_path(how) -> None:
    kind, used = how
    assert used, "top_down never built its function"
    assert all(used) if kind == "folded" else not any(used)


def frames() -> int:
    depth, frame = 0, sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


# -- the same behaviour either way --------------------------------------------------


def test_counts_are_the_memo_engines(how) -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def fib(n):
        """A docstring stays a docstring."""
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    assert fib.solve(5).stats == dp.Stats(calls=9, hits=3, misses=6, states=6, peak=6)
    assert fib.solve(90).value == 2880067194370816120
    check_path(how)


def test_choices_are_recorded_for_the_state_being_computed(how) -> None:
    coins = (1, 3, 4)

    @dp.recurrence(states=lambda a: range(a + 1))
    def fewest(a):
        if a == 0:
            return 0
        return dp.choose(((fewest(a - c) + 1, c) for c in coins if c <= a), best=min)

    top = fewest.solve(30)
    table = fewest.solve(30, strategy="bottom_up")
    assert top.value == table.value == 8
    assert top.choices == {a: table.choices[a] for a in top.choices}
    assert set(top.choices) == set(range(1, 31))  # every state is reached here
    check_path(how)


def test_a_state_outside_names_its_reader(how) -> None:
    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def walk(i, j):
        if i == 0:
            return 0
        return walk(i - 1, j + 1 if i == 2 else j) + 1

    with pytest.raises(dp.InvalidInput, match=r"walk\(1, 4\) \(read by walk\(2, 3\)\) is outside"):
        walk.solve(3, 3)
    with pytest.raises(dp.InvalidInput, match=r"state walk\(4, -1\) is outside"):
        walk.solve(4, -1)  # the goal itself: no reader
    check_path(how)


def test_coordinates_of_other_types_get_the_general_check(how) -> None:
    @dp.recurrence(states=dp.grid(5, 5))
    def paths(i, j):
        return 1 if i == 0 or j == 0 else paths(i - 1, j) + paths(i, j - 1)

    assert paths.solve(np.int64(4), 4).value == math.comb(8, 4)  # an Integral: a member
    for bad in (True, 4.0, "4", 5):
        with pytest.raises(dp.InvalidInput, match="outside the declared states"):
            paths.solve(4, bad)
    check_path(how)


def test_a_space_without_a_fast_test_still_checks(how) -> None:
    allowed = frozenset({0, 1, 2, 3, 5})

    @dp.recurrence(states=lambda n: allowed)
    def chain(n):
        return 0 if n == 0 else chain(n - 1) + 1

    assert chain.solve(3).value == 3
    with pytest.raises(dp.InvalidInput, match=r"chain\(4\) \(read by chain\(5\)\)"):
        chain.solve(5)
    check_path(how)


def test_a_cycle_is_a_cycle_error_naming_the_states(how) -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        return f((n + 1) % 3)

    with pytest.raises(dp.CycleError) as info:
        f.solve(2)
    assert info.value.cycle == [2, 0, 1, 2]
    check_path(how)


def test_a_caught_error_leaves_the_current_state_right(how) -> None:
    # f(3) catches the error of f(2), which had computed f(1) first: f(3)'s
    # choice must be recorded for f(3) (f(2)'s bookkeeping undone as it raised)
    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        if n == 0:
            return 0
        if n == 2:
            f(1)
            raise ValueError("no")
        try:
            below = f(n - 1)
        except ValueError:
            below = 10
        return dp.choose([(below + 1, f"after {n - 1}")], best=min)

    sol = f.solve(5)
    assert sol.value == 13
    assert sol.choices == {1: "after 0", 3: "after 2", 4: "after 3", 5: "after 4"}
    check_path(how)


def test_deep_recursion_unwinds_through_the_bookkeeping(how) -> None:
    a, b = "abcab" * 70, "bacba" * 70

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def lcs(i, j):
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return dp.choose([(lcs(i - 1, j - 1) + 1, "both")], best=max)
        return dp.choose([(lcs(i - 1, j), "up"), (lcs(i, j - 1), "left")], best=max)

    deep = lcs.solve(len(a), len(b))  # depth ~700 levels: the memo engine unwinds
    table = lcs.solve(len(a), len(b), strategy="bottom_up")
    assert deep.value == table.value
    reachable, todo = set(), [(len(a), len(b))]
    while todo:
        i, j = state = todo.pop()
        if state not in reachable:
            reachable.add(state)
            if i and j:
                todo += [(i - 1, j - 1)] if a[i - 1] == b[j - 1] else [(i - 1, j), (i, j - 1)]
    assert deep.stats.misses == deep.stats.states == len(reachable)
    assert deep.choices == {s: table.choices[s] for s in reachable if s[0] and s[1]}
    check_path(how)


def test_keywords_and_defaults_reach_the_memo(how) -> None:
    @dp.recurrence(states=lambda n, step=1: dp.grid(n + 1, step + 1))
    def down(n, step=1):
        return 0 if n < step else down(n=n - step, step=step) + 1

    sol = down.solve(10, step=2)
    assert sol.value == 5
    assert sol.stats.misses == 6
    check_path(how)


def test_threads_keep_their_own_current_state(how) -> None:
    import threading

    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        if n == 0:
            return 0
        return dp.choose([(f(n - 1) + n, n - 1)], best=max)

    out: dict[int, dp.Solution] = {}
    workers = [threading.Thread(target=lambda k=k: out.update({k: f.solve(k)})) for k in (300, 400)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for k in (300, 400):
        assert out[k].value == k * (k + 1) // 2
        assert out[k].choices == {n: n - 1 for n in range(1, k + 1)}
    check_path(how)


# -- folding: what it buys, and when it declines ------------------------------------


def levels(body_factory, memoized) -> int:
    """Python frames between two consecutive levels of a recursion."""
    seen: list[int] = []
    func = body_factory(seen)
    memoized(func, 5)
    return seen[1] - seen[0]


def test_folded_top_down_takes_as_many_frames_per_level_as_memoize() -> None:
    def body(seen):
        @dp.recurrence(states=lambda n: range(n + 1))
        def count(n):
            seen.append(frames())
            return 0 if n == 0 else count(n - 1) + 1

        return count

    def plain(seen):
        def count(n):
            seen.append(frames())
            return 0 if n == 0 else memo(n - 1) + 1

        memo = dp.memoize(count)
        return memo

    alone = levels(plain, lambda f, n: f(n))
    folded = levels(body, lambda f, n: f.solve(n))
    assert folded == alone


def test_the_wrapper_costs_a_frame_per_level(monkeypatch) -> None:
    monkeypatch.setattr(recurrence_module, "fold", lambda *args: None)
    seen: list[int] = []

    @dp.recurrence(states=lambda n: range(n + 1))
    def count(n):
        seen.append(frames())
        return 0 if n == 0 else count(n - 1) + 1

    count.solve(3)
    wrapped = seen[1] - seen[0]
    monkeypatch.undo()
    seen.clear()
    count.solve(3)
    assert seen[1] - seen[0] == wrapped - 1 >= 1


def test_an_error_in_a_folded_body_points_at_its_own_line() -> None:
    @dp.recurrence(states=lambda n: range(n + 1))
    def f(n):
        if n == 2:
            raise ZeroDivisionError("here")  # the line the traceback must show
        return 0 if n == 0 else f(n - 1)

    with pytest.raises(ZeroDivisionError) as info:
        f.solve(4)
    frames_ = [fs for fs in traceback.extract_tb(info.value.__traceback__) if fs.name == "f"]
    assert frames_
    assert all(fs.filename == __file__ for fs in frames_)
    assert frames_[-1].line == 'raise ZeroDivisionError("here")  # the line the traceback must show'


def test_fold_keeps_closures_nested_code_and_module_attributes() -> None:
    offsets = (1, 2)
    calls = 0

    def shape(n: int, scale: int = 3) -> int:
        """Doc."""
        nonlocal calls
        calls += 1
        best = min((math.gcd(n, o) * scale for o in offsets), default=0)
        return best + sum(x for x in range(n) if x % 2)

    code = fold(shape, "_dp_seen.append(n)\n", "_dp_seen.append(-n)\n", ("_dp_seen",))
    assert code is not None
    seen: list[int] = []
    cells = dict(zip(shape.__code__.co_freevars, shape.__closure__, strict=True))
    cells["_dp_seen"] = types.CellType(seen)
    copy = types.FunctionType(
        code,
        shape.__globals__,
        "shape",
        shape.__defaults__,
        tuple(cells[n] for n in code.co_freevars),
    )
    assert copy(6) == shape(6) == 3 + 9
    assert copy(5, 2) == shape(5, 2)
    assert seen == [6, -6, 5, -5]
    assert calls == 4  # nonlocal writes reach the original cell
    assert code.co_filename == shape.__code__.co_filename
    assert code.co_qualname == shape.__code__.co_qualname


def declined(func, mark: int = 1) -> bool:
    return fold(func, f"_dp_x.append({mark})\n", "", ("_dp_x",)) is None


def test_fold_declines_what_it_cannot_prove() -> None:
    def gen(n):
        yield n

    def uses_prefix(n):
        _dp_mine = n
        return _dp_mine

    namespace: dict[str, object] = {}
    exec("def hidden(n):\n    return n\n", namespace)  # no source to read

    assert declined(lambda n: n)
    assert declined(gen)
    assert declined(uses_prefix)
    assert declined(namespace["hidden"])


def test_fold_declines_source_that_changed_since_compiling() -> None:
    filename = "<dptoolkit-test-fold>"
    source = "def square(n):\n    return n * n\n"
    namespace: dict[str, object] = {}
    exec(compile(source, filename, "exec"), namespace)
    square = namespace["square"]
    try:
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        assert not declined(square)
        edited = source.replace("n * n", "n + n")
        linecache.cache[filename] = (len(edited), None, edited.splitlines(True), filename)
        assert declined(square, mark=2)  # (folds are cached by code and prologue)
    finally:
        linecache.cache.pop(filename, None)


def test_a_body_without_source_runs_through_the_wrapper() -> None:
    namespace: dict[str, object] = {"dp": dp}
    exec(
        "@dp.recurrence(states=lambda n: range(n + 1))\n"
        "def tri(n):\n"
        "    return 0 if n == 0 else dp.choose([(tri(n - 1) + n, 'add')], best=max)\n",
        namespace,
    )
    tri = namespace["tri"]
    sol = tri.solve(10)
    assert sol.value == 55 and sol.choices[10] == "add"
    with pytest.raises(dp.InvalidInput, match=r"state tri\(-1\) is outside"):
        tri.solve(-1)


def test_a_variadic_body_runs_through_the_generic_function() -> None:
    @dp.recurrence(states=lambda *s: dp.grid(*(k + 1 for k in s)))
    def total(*s):
        if not any(s):
            return 0
        i = next(k for k, v in enumerate(s) if v)
        rest = (*s[:i], s[i] - 1, *s[i + 1 :])
        return dp.choose([(total(*rest) + 1, i)], best=max)

    sol = total.solve(2, 3)
    assert sol.value == 5 and sol.stats.misses == 6
    assert sol.choices[2, 3] == 0
    with pytest.raises(dp.InvalidInput, match="outside"):
        total.solve(-1, 0)
