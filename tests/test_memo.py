"""@memoize: the functools-like face, options, keys, methods and the store seam.

Every test runs twice, through the autouse ``impl`` fixture: once with the C
hit path and once with its pure-Python twin (``memo.py`` reads
``dptoolkit._fastpath.FastWrapper`` when it decorates, so the fixture swaps
it). Functions are therefore decorated inside the tests.
"""

from __future__ import annotations

import array
import collections
import functools
import gc
import inspect
import pickle
import sys
import threading
import traceback
import types
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit import _fastpath
from dptoolkit.keys import freeze, make_key

# the autouse fixture only swaps a class: nothing to reset between examples
FIXTURE_OK = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=60,
)


@pytest.fixture(autouse=True)
def impl(memo_impl: str) -> str:
    """Every test here runs with the C hit path, then the pure-Python twin (see conftest)."""
    return memo_impl


class Clock:
    """A fake timer for ttl tests: time moves only when told."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# -- the functools face -------------------------------------------------------


def test_bare_and_called_forms_and_the_wrapper_type(impl: str) -> None:
    @dp.memoize
    def bare(n: int) -> int:
        return n

    @dp.memoize()
    def called(n: int) -> int:
        return n

    expected = _fastpath.CFastWrapper if impl == "c" else _fastpath.PyFastWrapper
    assert type(bare) is expected
    assert type(called) is expected
    assert bare(3) == called(3) == 3


def test_fibonacci_counts_match_functools() -> None:
    @dp.memoize
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    for i in range(16):
        fib(i)
    assert fib.cache_info() == dp.CacheInfo(hits=28, misses=16, maxsize=None, currsize=16)
    assert fib(15) == 610
    assert fib.cache_info().hits == 29
    fib.cache_clear()
    assert fib.cache_info() == dp.CacheInfo(0, 0, None, 0)


def test_update_wrapper_attributes() -> None:
    def area(width: int, height: int = 2) -> int:
        """The area."""
        return width * height

    memo = dp.memoize(area)
    assert memo.__wrapped__ is area
    assert memo.__name__ == "area"
    assert memo.__qualname__ == area.__qualname__
    assert memo.__doc__ == "The area."
    assert memo.__module__ == __name__
    assert inspect.signature(memo) == inspect.signature(area)
    assert "area" in repr(memo)


def test_cache_parameters_report_the_options() -> None:
    clock = Clock()

    def key(*args: Any, **kwargs: Any) -> Any:
        return args

    memo = dp.memoize(maxsize=7, ttl=3.5, timer=clock, typed=True, key=key, cache_errors=True)(
        lambda x: x
    )
    assert memo.cache_parameters() == {
        "maxsize": 7,
        "ttl": 3.5,
        "timer": clock,
        "typed": True,
        "key": key,
        "store": None,
        "cache_errors": True,
        "condition": None,
    }
    assert dp.memoize(lambda x: x).cache_parameters()["maxsize"] is None


# f(1), f(1.0) and f(True), positionally or by keyword (functools keys the
# lone int apart from the float and the bool, which share a tuple key)
CALLS = st.lists(
    st.tuples(st.sampled_from([0, 1, 2, 6, 1.0, 0.0, True, False, "a"]), st.booleans()),
    max_size=40,
)


@FIXTURE_OK
@given(calls=CALLS, maxsize=st.sampled_from([None, 0, 1, 2, 5, 128]), typed=st.booleans())
def test_counts_and_size_match_lru_cache(
    calls: list[tuple[Any, bool]], maxsize: int | None, typed: bool
) -> None:
    def same(n: Any) -> Any:
        return n

    ours = dp.memoize(maxsize=maxsize, typed=typed)(same)
    theirs = functools.lru_cache(maxsize=maxsize, typed=typed)(same)
    for n, by_keyword in calls:
        if by_keyword:
            assert ours(n=n) == theirs(n=n)
        else:
            assert ours(n) == theirs(n)
        mine, ref = ours.cache_info(), theirs.cache_info()
        assert (mine.hits, mine.misses, mine.maxsize, mine.currsize) == tuple(ref)


@FIXTURE_OK
@given(calls=st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0, 0.0, "a"])), max_size=30))
def test_mixed_argument_counts_match_lru_cache(calls: list[tuple[int, Any]]) -> None:
    def pair(a: int, b: Any) -> tuple[int, Any]:
        return (a, b)

    ours = dp.memoize(maxsize=3)(pair)
    theirs = functools.lru_cache(maxsize=3)(pair)
    for a, b in calls:
        ours(a, b)
        theirs(a, b)
        assert tuple(ours.cache_info()) == tuple(theirs.cache_info())


def test_exceptions_are_not_cached_by_default() -> None:
    calls = []

    @dp.memoize
    def fails(n: int) -> int:
        calls.append(n)
        raise ValueError(f"bad {n}")

    for _ in range(3):
        with pytest.raises(ValueError, match="bad 1"):
            fails(1)
    assert calls == [1, 1, 1]
    assert fails.cache_info() == dp.CacheInfo(0, 3, None, 0)


def test_cache_errors_caches_and_reraises_the_same_exception() -> None:
    calls = []

    @dp.memoize(cache_errors=True)
    def fails(n: int) -> int:
        calls.append(n)
        raise KeyError(n)

    with pytest.raises(KeyError) as first:
        fails(1)
    with pytest.raises(KeyError) as second:
        fails(1)
    assert second.value is first.value
    assert calls == [1]
    assert fails.cache_info() == dp.CacheInfo(1, 1, None, 1)
    assert fails.cache_evict(1) is True
    with pytest.raises(KeyError):
        fails(1)
    assert calls == [1, 1]


def test_a_cached_exception_keeps_its_own_traceback_however_often_it_is_raised() -> None:
    @dp.memoize(cache_errors=True)
    def fails(n: int) -> int:
        raise KeyError(n)

    lengths = []
    for _ in range(5):
        try:
            fails(1)
        except KeyError as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            assert frames[-1].name == "fails"  # where it was first raised
            lengths.append(len(frames))
    assert len(set(lengths[1:])) == 1  # not a few frames longer with every hit


def test_condition_caches_only_where_true() -> None:
    calls = []

    @dp.memoize(condition=lambda n: n % 2 == 0)
    def half(n: int) -> float:
        calls.append(n)
        return n / 2

    for n in (1, 1, 2, 2, 3, 2):
        half(n)
    assert calls == [1, 1, 2, 3]
    assert half.cache_info() == dp.CacheInfo(2, 4, None, 1)


def test_key_overrides_the_default_keys() -> None:
    calls = []

    @dp.memoize(key=lambda name, *, verbose=False: name.lower())
    def greet(name: str, *, verbose: bool = False) -> str:
        calls.append(name)
        return f"hi {name}"

    assert greet("Ann") == "hi Ann"
    assert greet("ANN", verbose=True) == "hi Ann"
    assert calls == ["Ann"]
    assert greet.cache_evict("aNN") is True
    assert greet.cache_evict("ann") is False


def test_key_returning_an_unhashable_value_is_frozen() -> None:
    @dp.memoize(key=lambda values: list(values))
    def total(values: tuple[int, ...]) -> int:
        return sum(values)

    assert total((1, 2)) == total((1, 2)) == 3
    assert total.cache_info().hits == 1


def test_typed_separates_argument_types() -> None:
    untyped = dp.memoize(lambda x: type(x).__name__)
    typed = dp.memoize(typed=True)(lambda x: type(x).__name__)
    # (1.0,) and (True,) are equal keys unless typed
    assert [untyped(1.0), untyped(True)] == ["float", "float"]
    assert [typed(1.0), typed(True), typed(1.0)] == ["float", "bool", "float"]
    assert untyped.cache_info() == dp.CacheInfo(1, 1, None, 1)
    assert typed.cache_info() == dp.CacheInfo(1, 2, None, 2)
    # functools' rule: an exact int is its own key, so 1 and 1.0 differ even untyped
    assert untyped(1) == "int"


def test_keyword_order_does_not_matter() -> None:
    calls = []

    @dp.memoize
    def box(a: int = 0, b: int = 0) -> tuple[int, int]:
        calls.append((a, b))
        return (a, b)

    assert box(a=1, b=2) == box(b=2, a=1) == (1, 2)
    assert calls == [(1, 2)]
    assert box.cache_evict(b=2, a=1) is True


def test_maxsize_bounds_with_lru_eviction() -> None:
    calls = []

    @dp.memoize(maxsize=2)
    def ident(n: int) -> int:
        calls.append(n)
        return n

    for n in (1, 2, 1, 3, 2, 1):
        ident(n)
    # 3 evicts 2 (1 was used more recently); then 2 evicts 1, and 1 evicts 3
    assert calls == [1, 2, 3, 2, 1]
    assert ident.cache_info() == dp.CacheInfo(1, 5, 2, 2)


def test_maxsize_zero_caches_nothing() -> None:
    calls = []
    memo = dp.memoize(maxsize=0)(lambda n: calls.append(n) or n)
    assert [memo(1), memo(1)] == [1, 1]
    assert calls == [1, 1]
    assert memo.cache_info() == dp.CacheInfo(0, 2, 0, 0)


def test_ttl_expires_entries_on_the_injected_clock() -> None:
    clock = Clock()
    calls = []

    @dp.memoize(ttl=10, timer=clock)
    def stamp(n: int) -> float:
        calls.append(n)
        return clock.now

    assert stamp(1) == 0.0
    clock.now = 9.5
    assert stamp(1) == 0.0  # still fresh
    assert stamp.cache_info() == dp.CacheInfo(1, 1, None, 1)
    clock.now = 10.0
    assert stamp.cache_info().currsize == 0
    assert stamp(1) == 10.0  # recomputed
    assert calls == [1, 1]
    clock.now = 25.0
    assert stamp.cache_evict(1) is False  # expired: dropped, but not live
    assert stamp.cache_info() == dp.CacheInfo(1, 2, None, 0)


def test_a_timer_that_raises_while_storing_leaves_the_key_free() -> None:
    broken = [True]

    def timer() -> float:
        if broken and broken.pop():
            raise RuntimeError("the clock broke")
        return 0.0

    @dp.memoize(ttl=10, timer=timer)
    def same(n: int) -> int:
        return n

    with pytest.raises(RuntimeError, match="clock"):
        same(1)  # computed, then storing it consulted the timer
    assert same(1) == 1  # not "needs its own result", nor a hang in another thread
    assert same.cache_info().misses == 2


def test_cache_evict_drops_one_entry() -> None:
    memo = dp.memoize(lambda a, b=0: (a, b))
    memo(1)
    memo(2, b=3)
    memo([4])
    assert memo.cache_evict(1) is True
    assert memo.cache_evict(1) is False
    assert memo.cache_evict(2, b=3) is True
    assert memo.cache_evict([4]) is True
    assert memo.cache_info().currsize == 0


def test_hits_are_counted_on_both_paths() -> None:
    memo = dp.memoize(lambda *args, **kwargs: len(args))
    memo(1)
    memo(1)  # the hit path
    memo(1, k=2)
    memo(1, k=2)  # keyword arguments: the miss path finds it
    memo([1])
    memo([1])  # unhashable: frozen on the miss path
    assert memo.cache_info() == dp.CacheInfo(3, 3, None, 3)


def test_decorating_a_non_callable_says_how_to_bound_the_cache() -> None:
    with pytest.raises(dp.InvalidType, match=r"memoize\(maxsize=128\)"):
        dp.memoize(128)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="must be callable"):
        dp.memoize("f")  # type: ignore[call-overload]


# -- bad options, gathered ----------------------------------------------------------


def _options(**kwargs: Any) -> Any:
    return lambda: dp.memoize(**kwargs)


BAD_OPTIONS = [
    pytest.param(_options(maxsize=-1), ValueError, "maxsize=-1", id="maxsize-negative"),
    pytest.param(_options(maxsize=2.5), TypeError, "maxsize=2.5", id="maxsize-float"),
    pytest.param(_options(maxsize=True), TypeError, "maxsize=True", id="maxsize-bool"),
    pytest.param(_options(maxsize="8"), TypeError, "maxsize='8'", id="maxsize-str"),
    pytest.param(
        _options(ttl=-5),
        ValueError,
        "ttl=-5 must be a positive number of seconds or None",
        id="ttl-negative",
    ),
    pytest.param(_options(ttl=0), ValueError, "ttl=0 must be a positive", id="ttl-zero"),
    pytest.param(_options(ttl=float("nan")), ValueError, "ttl=nan", id="ttl-nan"),
    pytest.param(_options(ttl="1s"), TypeError, "ttl='1s'", id="ttl-str"),
    pytest.param(_options(timer=None), TypeError, "timer=None must be callable", id="timer-none"),
    pytest.param(_options(timer=3), TypeError, "timer=3", id="timer-int"),
    pytest.param(_options(typed=1), TypeError, "typed=1 must be True or False", id="typed-int"),
    pytest.param(_options(typed="yes"), TypeError, "typed='yes'", id="typed-str"),
    pytest.param(_options(key=3), TypeError, "key=3 must be callable", id="key"),
    pytest.param(_options(condition="x"), TypeError, "condition='x'", id="condition"),
    pytest.param(_options(cache_errors=None), TypeError, "cache_errors=None", id="cache-errors"),
    pytest.param(
        _options(store="ftp://host/x"), ValueError, "store='ftp://host/x'", id="store-url"
    ),
    pytest.param(_options(store="nothing"), ValueError, "store='nothing'", id="store-not-url"),
    pytest.param(_options(store=42), TypeError, "store=42", id="store-int"),
]


@pytest.mark.parametrize(("make", "builtin", "fragment"), BAD_OPTIONS)
def test_bad_options_fail_at_decoration(make: Any, builtin: type, fragment: str) -> None:
    with pytest.raises(dp.DPError) as info:
        make()
    assert isinstance(info.value, builtin)
    assert fragment in str(info.value)


# -- keys: unhashable arguments are frozen ---------------------------------------


def test_a_list_twice_is_one_miss_and_one_hit() -> None:
    calls = []

    @dp.memoize
    def total(values: list[int]) -> int:
        calls.append(list(values))
        return sum(values)

    assert total([1, 2]) == 3
    assert total([1, 2]) == 3
    assert total.cache_info() == dp.CacheInfo(1, 1, None, 1)
    assert calls == [[1, 2]]


def test_a_hit_on_a_frozen_key_refreshes_its_lru_position() -> None:
    calls = []

    @dp.memoize(maxsize=2)
    def total(values: list[int]) -> int:
        calls.append(values[0])
        return sum(values)

    for values in ([1], [2], [1], [3], [1], [2]):  # [3] evicts [2], not the fresher [1]
        total(values)
    assert calls == [1, 2, 3, 2]
    assert total.cache_info() == dp.CacheInfo(2, 4, 2, 2)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 2], [1, 2]),
        ((1, [2, 3]), (1, [2, 3])),
        ({"x": 1, "y": [2]}, {"y": [2], "x": 1}),
        ({1, 2, 3}, {3, 2, 1}),
        (bytearray(b"ab"), bytearray(b"ab")),
        ([{"k": {1, 2}}, (3, [4])], [{"k": {2, 1}}, (3, [4])]),
        (array.array("i", [1, 2]), array.array("i", [1, 2])),
        (collections.deque([1, 2]), collections.deque([1, 2])),
    ],
    ids=["list", "tuple-with-list", "dict", "set", "bytearray", "nested", "array", "deque"],
)
def test_equal_unhashable_arguments_share_an_entry(a: object, b: object) -> None:
    memo = dp.memoize(lambda value: object())
    assert memo(a) is memo(b)
    assert memo.cache_info() == dp.CacheInfo(1, 1, None, 1)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 2], (1, 2)),
        ([1, 2], [2, 1]),
        ({1, 2}, frozenset({1, 2})),
        (bytearray(b"ab"), b"ab"),
        ({"x": 1}, {"x": 2}),
        ({"x": [1]}, [("x", [1])]),
        (collections.OrderedDict(a=1, b=[2]), collections.OrderedDict(b=[2], a=1)),
        ([[1]], [(1,)]),
        (array.array("i", [1]), array.array("l", [1])),
    ],
    ids=[
        "list-tuple",
        "order",
        "set-frozenset",
        "bytearray-bytes",
        "dict-values",
        "dict-items",
        "ordered-dict-order",
        "inner-list-tuple",
        "array-typecode",
    ],
)
def test_different_arguments_get_different_entries(a: object, b: object) -> None:
    memo = dp.memoize(lambda value: object())
    assert memo(a) is not memo(b)
    assert memo.cache_info().misses == 2


def test_numpy_arrays_key_by_dtype_shape_and_content() -> None:
    memo = dp.memoize(lambda array_: object())
    base = np.arange(2000, dtype=np.int64)
    other = base.copy()
    other[1234] += 1
    assert memo(base) is memo(base.copy())
    assert memo(base) is not memo(other)
    assert memo(base) is not memo(base.astype(np.float64))
    assert memo(base) is not memo(base.reshape(40, 50))
    assert memo(base) is not memo(base.tolist())
    assert memo(base[::2]) is memo(np.ascontiguousarray(base[::2]))
    objects = np.array([[1], [2]], dtype=object)
    assert memo(objects) is memo(np.array([[1], [2]], dtype=object))
    info = memo.cache_info()
    assert info.misses == 7
    assert info.hits == 7


def test_a_masked_array_keys_by_its_mask_too() -> None:
    total = dp.memoize(lambda array_: float(array_.sum()))
    hidden = np.ma.array([1.0, 2.0, 3.0], mask=[False, False, True])
    filled = np.ma.array([1.0, 2.0, hidden.fill_value])  # the bytes tobytes() gives `hidden`
    assert total(hidden) == 3.0
    assert total(filled) == 3.0 + hidden.fill_value
    assert total(np.ma.array([1.0, 2.0, 7.0], mask=[False, False, True])) == 3.0


@given(
    seed=st.integers(0, 2**32 - 1),
    where=st.integers(0, 1999),
    dtype=st.sampled_from(["i4", "f8", "u1"]),
)
@settings(FIXTURE_OK, max_examples=30)
def test_arrays_differing_in_one_element_never_collide(seed: int, where: int, dtype: str) -> None:
    first = np.random.default_rng(seed).integers(0, 3, size=2000).astype(dtype)
    second = first.copy()
    second[where] += 1
    assert freeze(first) != freeze(second)
    assert freeze(first) == freeze(first.copy())
    assert hash(freeze(first)) == hash(freeze(first.copy()))
    memo = dp.memoize(lambda array_: object())
    assert memo(first) is memo(first.copy())
    assert memo(first) is not memo(second)


def test_an_unfreezable_argument_is_a_clear_type_error() -> None:
    class Plain:
        __hash__ = None  # type: ignore[assignment]

    memo = dp.memoize(lambda a, b: 0)
    with pytest.raises(dp.InvalidType, match=r"args\[1\].*Plain.*key="):
        memo(1, Plain())
    with pytest.raises(TypeError, match="extra"):
        memo(1, b=1, extra=Plain())


@FIXTURE_OK
@given(
    args=st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3).map(tuple),
    typed=st.booleans(),
)
def test_hashable_keys_are_the_hit_path_keys(args: tuple[Any, ...], typed: bool) -> None:
    key = make_key(args, {}, typed)
    assert key == _fastpath.fast_key(args, typed)
    assert type(key) is type(_fastpath.fast_key(args, typed))


def test_freezing_cost_is_linear_not_quadratic() -> None:
    # a dict of 20,000 mixed, unorderable keys freezes without sorting
    big = {(i if i % 2 else str(i)): [i] for i in range(20_000)}
    assert freeze(big) == freeze(dict(reversed(list(big.items()))))


# -- methods --------------------------------------------------------------------


def _fresh_counter_class() -> type:
    # decorated inside the test, so the fixture's wrapper type applies
    class Counted:
        def __init__(self, step: int) -> None:
            self.step = step
            self.calls = 0

        @dp.memoize
        def scaled(self, n: int) -> int:
            self.calls += 1
            return n * self.step

    return Counted


def test_methods_have_per_instance_caches() -> None:
    cls = _fresh_counter_class()
    a, b = cls(2), cls(3)
    assert a.scaled(5) == 10
    assert a.scaled(5) == 10
    assert b.scaled(5) == 15
    assert (a.calls, b.calls) == (1, 1)
    assert a.scaled.cache_info() == dp.CacheInfo(1, 1, None, 1)
    assert cls.scaled.cache_info() == dp.CacheInfo(1, 2, None, 2)
    assert a.scaled.__self__ is a
    assert a.scaled == a.scaled
    assert a.scaled != b.scaled
    assert a.scaled.__name__ == "scaled"
    assert a.scaled.cache_evict(5) is True
    cls.scaled.cache_clear()
    assert cls.scaled.cache_info() == dp.CacheInfo(0, 0, None, 0)


def test_the_cache_never_keeps_an_instance_alive() -> None:
    cls = _fresh_counter_class()
    obj = cls(2)
    assert obj.scaled(4) == 8
    ref = weakref.ref(obj)
    del obj
    gc.collect()
    assert ref() is None
    # the entries went with the instance; the statistics stay until cache_clear
    assert cls.scaled.cache_info() == dp.CacheInfo(0, 1, None, 0)
    cls.scaled.cache_clear()
    assert cls.scaled.cache_info() == dp.CacheInfo(0, 0, None, 0)
    # a temporary instance: the bound method holds it for the call
    assert cls(7).scaled(2) == 14


def test_instances_without_weakref_support_still_work() -> None:
    class Slotted:
        __slots__ = ("step",)

        def __init__(self, step: int) -> None:
            self.step = step

        @dp.memoize
        def scaled(self, n: int) -> int:
            return n * self.step

    obj = Slotted(3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert obj.scaled(2) == 6
        assert obj.scaled(2) == 6
    assert any("cannot be weakly referenced" in str(w.message) for w in caught)
    assert Slotted(4).scaled(2) == 8
    assert Slotted.scaled.cache_info() == dp.CacheInfo(0, 3, None, 0)


def test_a_bound_memoized_method_looks_and_pickles_like_a_bound_method(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("dptoolkit_method_probe")

    class Steps:
        def __init__(self, step: int) -> None:
            self.step = step

        @dp.memoize
        def scaled(self, n: int, *, twice: bool = False) -> int:
            """Scale n by the step."""
            return n * self.step * (2 if twice else 1)

    Steps.__module__, Steps.__qualname__ = module.__name__, "Steps"
    module.Steps = Steps  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    bound = Steps(3).scaled
    assert bound.__doc__ == "Scale n by the step."
    assert list(inspect.signature(bound).parameters) == ["n", "twice"]
    copied = pickle.loads(pickle.dumps(bound))
    assert copied(2, twice=True) == 12
    assert copied.__self__.step == 3


def test_memoize_stacks_either_way_with_classmethod_and_staticmethod() -> None:
    calls = []

    class Shapes:
        @dp.memoize
        @classmethod
        def below(cls, n: int) -> tuple[str, int]:
            calls.append("below")
            return cls.__name__, n

        @classmethod
        @dp.memoize
        def above(cls, n: int) -> tuple[str, int]:
            calls.append("above")
            return cls.__name__, n

        @dp.memoize
        @staticmethod
        def inner(n: int) -> int:
            calls.append("inner")
            return -n

        @staticmethod
        @dp.memoize
        def outer(n: int) -> int:
            calls.append("outer")
            return -n

    for target in (Shapes, Shapes(), Shapes, Shapes()):
        assert target.below(1) == ("Shapes", 1) and target.above(1) == ("Shapes", 1)
        assert target.inner(2) == -2 and target.outer(2) == -2
    assert sorted(calls) == ["above", "below", "inner", "outer"]


def test_class_level_evict_reaches_an_unhashable_instance() -> None:
    class Point:  # defines __eq__, so its instances are unhashable
        def __init__(self, x: int) -> None:
            self.x = x

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Point) and other.x == self.x

        @dp.memoize
        def shifted(self, d: int) -> int:
            return self.x + d

    p = Point(1)
    assert p.shifted(2) == 3
    assert Point.shifted.cache_evict(p, 2) is True  # the documented class-level form
    assert p.shifted.cache_info().currsize == 0
    assert Point.shifted.cache_evict(p, 2) is False


def test_memoized_method_called_through_the_class() -> None:
    cls = _fresh_counter_class()
    obj = cls(5)
    assert cls.scaled(obj, 2) == 10
    assert cls.scaled(obj, 2) == 10
    assert obj.calls == 1
    assert cls.scaled.cache_evict(obj, 2) is True


# -- the store seam ---------------------------------------------------------------


class RecordingStore(dp.Store):
    """A real in-memory store (bytes in a dict) that records what the engine does."""

    location = "recording"

    def __init__(self) -> None:
        self.data: dict[bytes, bytes] = {}
        self.log: list[str] = []
        self.locked = threading.local()

    def get_bytes(self, key: bytes) -> bytes | None:
        self.log.append("get")
        return self.data.get(key)

    def set_bytes(self, key: bytes, data: bytes, ttl: float | None) -> None:
        self.log.append("set")
        assert getattr(self.locked, "held", False), "set outside the lock"
        self.data[key] = data

    def delete_bytes(self, key: bytes) -> bool:
        self.log.append("delete")
        return self.data.pop(key, None) is not None

    def clear_prefix(self, prefix: bytes) -> None:
        self.log.append("clear")
        for key in [k for k in self.data if k.startswith(prefix)]:
            del self.data[key]

    @contextmanager
    def lock_key(self, key: bytes) -> Iterator[None]:
        self.log.append("lock")
        self.locked.held = True
        try:
            yield
        finally:
            self.locked.held = False


def _square(n: int) -> int:
    _square.calls += 1  # type: ignore[attr-defined]
    return n * n


def test_store_seam_front_cache_get_lock_set() -> None:
    store = RecordingStore()
    _square.calls = 0  # type: ignore[attr-defined]
    memo = dp.memoize(store=store)(_square)
    assert memo(4) == 16
    assert store.log == ["get", "lock", "get", "set"]
    assert memo(4) == 16  # the front cache: the store is not asked
    assert store.log == ["get", "lock", "get", "set"]
    # a second process would decorate again: it reads the stored value
    again = dp.memoize(store=store)(_square)
    assert again(4) == 16
    assert _square.calls == 1  # type: ignore[attr-defined]
    assert again.cache_info() == dp.CacheInfo(1, 0, None, 1)
    assert again.cache_evict(4) is True
    assert "delete" in store.log
    assert store.data == {}
    memo(5)
    memo.cache_clear()
    assert store.log[-1] == "clear"
    assert store.data == {}
    assert memo.cache_parameters()["store"] is store


def test_store_is_skipped_where_the_condition_is_false() -> None:
    store = RecordingStore()
    memo = dp.memoize(store=store, condition=lambda n: n > 0)(lambda n: n)
    memo(0)
    assert store.log == []
    memo(1)
    assert store.log == ["get", "lock", "get", "set"]


def test_store_url_is_resolved_at_decoration(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    memo = dp.memoize(store=url)(_square)
    assert memo(3) == 9
    assert memo.cache_parameters()["store"] == url
    assert (tmp_path / "cache.db").exists()
