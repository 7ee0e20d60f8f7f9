"""The hit path of @memoize: one suite run against the C wrapper and its Python twin.

Set ``DPTOOLKIT_REQUIRE_C=1`` to make a missing C extension a failure
instead of a skip (CI on a machine with a compiler).
"""

from __future__ import annotations

import asyncio
import collections.abc
import copy
import functools
import gc
import importlib.util
import os
import pickle
import subprocess
import sys
import threading
import types
import weakref
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit import _fastpath
from dptoolkit._fastpath import PyFastWrapper, PyReady, fast_key


@pytest.fixture(params=["c", "python"])
def impl(request: pytest.FixtureRequest) -> Any:
    """The wrapper type under test: the C type or the pure-Python twin."""
    if request.param == "python":
        return PyFastWrapper
    if _fastpath.CFastWrapper is None:
        if os.environ.get("DPTOOLKIT_REQUIRE_C") == "1":
            pytest.fail("DPTOOLKIT_REQUIRE_C=1 but the C extension dptoolkit._cmemo is not built")
        pytest.skip("the C extension dptoolkit._cmemo is not built")
    return _fastpath.CFastWrapper


class Recorder:
    """A miss callable that records its calls and answers ("miss", args, kwargs)."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        return ("miss", args, kwargs)


# -- keys ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "typed", "expected"),
    [
        ((5,), False, 5),
        (("ab",), False, "ab"),
        ((5,), True, 5),
        ((True,), False, (True,)),
        ((True,), True, (True, bool)),
        ((2.0,), False, (2.0,)),
        ((2.0,), True, (2.0, float)),
        (((1, 2),), False, ((1, 2),)),
        ((1, "a"), False, (1, "a")),
        ((1, "a"), True, (1, "a", int, str)),
        ((), False, ()),
        ((), True, ()),
    ],
)
def test_fast_key_rules(args: tuple[Any, ...], typed: bool, expected: object) -> None:
    key = fast_key(args, typed)
    assert key == expected
    assert type(key) is type(expected)


def test_exact_int_and_str_only_are_bare_keys() -> None:
    class MyInt(int):
        pass

    class MyStr(str):
        pass

    assert fast_key((MyInt(3),)) == (3,)
    assert isinstance(fast_key((MyInt(3),)), tuple)
    assert isinstance(fast_key((MyStr("x"),)), tuple)


class _IntSub(int):
    pass


class _StrSub(str):
    pass


# every kind of argument the key rule distinguishes, and some it does not
_KEY_BATTERY: list[tuple[Any, ...]] = [
    (),
    (0,),
    (5,),
    (-(2**70),),
    ("",),
    ("ab",),
    (True,),
    (False,),
    (None,),
    (2.0,),
    (float("nan"),),
    (1 + 2j,),
    (b"ab",),
    ((1, 2),),
    ((),),
    (frozenset({1}),),
    (_IntSub(3),),
    (_StrSub("x"),),
    ([1, 2],),
    ({"a": 1},),
    (1, 2),
    (1, "a"),
    ("a", "b", "c"),
    (None, None),
    ([1], 2),
    (int,),
    (_IntSub,),
]


@pytest.mark.parametrize("typed", [False, True])
@pytest.mark.parametrize("args", _KEY_BATTERY, ids=repr)
def test_c_and_python_key_rules_agree(args: tuple[Any, ...], typed: bool) -> None:
    """The C hit path's key is dptoolkit.keys.fast_key's, argument by argument."""
    c_fast_key = c_impl_module().fast_key
    python = fast_key(args, typed)
    c = c_fast_key(args, typed)
    assert type(c) is type(python)
    if type(python) is tuple:
        assert len(c) == len(python)
        assert all(x is y for x, y in zip(c, python))  # the very arguments and types
    else:
        assert c is python  # a lone int or str: the argument itself


def c_impl_module() -> Any:
    if _fastpath._cmemo is None:
        if os.environ.get("DPTOOLKIT_REQUIRE_C") == "1":
            pytest.fail("DPTOOLKIT_REQUIRE_C=1 but the C extension dptoolkit._cmemo is not built")
        pytest.skip("the C extension dptoolkit._cmemo is not built")
    return _fastpath._cmemo


def test_wrapper_uses_fast_key(impl: Any) -> None:
    miss = Recorder()
    cache: dict[Any, Any] = {5: "int", (5.0,): "float", (1, 2): "pair", (): "none"}
    w = impl(cache, miss)
    assert w(5) == "int"
    assert w(5.0) == "float"
    assert w(1, 2) == "pair"
    assert w() == "none"
    assert w((1, 2)) == ("miss", ((1, 2),), {})  # one tuple argument is ((1, 2),)
    assert w.hits == 4
    assert len(miss.calls) == 1


def test_typed_keys(impl: Any) -> None:
    miss = Recorder()
    cache: dict[Any, Any] = {
        fast_key((1.0,), True): "float",
        fast_key((1, 2.5), True): "mixed",
        fast_key((3,), True): "int",
    }
    w = impl(cache, miss, typed=True)
    assert w.typed is True
    assert w(1.0) == "float"
    assert w(1, 2.5) == "mixed"
    assert w(3) == "int"
    assert w(1.0 + 0j) == ("miss", (1 + 0j,), {})  # equal value, other type
    assert w(1, 2.5 + 0j)[0] == "miss"
    assert w.hits == 3


@settings(max_examples=60)
@given(
    args=st.lists(
        st.one_of(
            st.integers(),
            st.text(max_size=3),
            st.booleans(),
            st.floats(allow_nan=False),
            st.tuples(st.integers()),
            st.lists(st.integers(), max_size=2),
        ),
        max_size=3,
    ),
    typed=st.booleans(),
)
def test_both_implementations_agree_with_fast_key(args: list[Any], typed: bool) -> None:
    impls = [PyFastWrapper]
    if _fastpath.CFastWrapper is not None:
        impls.append(_fastpath.CFastWrapper)
    key = fast_key(tuple(args), typed)
    try:
        hash(key)
        hashable = True
    except TypeError:
        hashable = False
    for cls in impls:
        cache: dict[Any, Any] = {}
        miss = Recorder()
        w = cls(cache, miss, typed=typed)
        assert w(*args) == ("miss", tuple(args), {})
        if hashable:
            cache[key] = "hit"
            assert w(*args) == "hit"
            assert w.hits == 1
        else:
            assert w(*args)[0] == "miss"
            assert w.hits == 0


# -- what goes to miss --------------------------------------------------------


def test_unhashable_argument_goes_to_miss(impl: Any) -> None:
    miss = Recorder()
    w = impl({}, miss)
    assert w([1, 2]) == ("miss", ([1, 2],), {})
    assert w({"a": 1}, 3) == ("miss", ({"a": 1}, 3), {})
    assert w.hits == 0
    assert len(miss.calls) == 2


def test_keyword_arguments_go_to_miss(impl: Any) -> None:
    miss = Recorder()
    w = impl({3: "cached"}, miss)
    assert w(3, flag=True) == ("miss", (3,), {"flag": True})
    assert w(3) == "cached"
    assert w.hits == 1


def test_absent_key_goes_to_miss(impl: Any) -> None:
    miss = Recorder()
    cache: dict[Any, Any] = {}
    w = impl(cache, miss)
    assert w(7) == ("miss", (7,), {})
    cache[7] = "now cached"  # the wrapper only reads the dict; memo.py fills it
    assert w(7) == "now cached"
    assert [c[0] for c in miss.calls] == [(7,)]


def test_enabled_flag(impl: Any) -> None:
    miss = Recorder()
    w = impl({1: "one"}, miss)
    assert w.enabled is True
    w.enabled = False
    assert w.enabled is False
    assert w(1) == ("miss", (1,), {})
    assert w(1, k=2) == ("miss", (1,), {"k": 2})
    assert w.hits == 0
    w.enabled = 1  # any truth value
    assert w.enabled is True
    assert w(1) == "one"
    assert w.hits == 1


def test_hits_counter_is_writable(impl: Any) -> None:
    w = impl({1: "one"}, Recorder())
    for _ in range(5):
        w(1)
    w(2)
    assert w.hits == 5
    w.hits = 0
    assert w.hits == 0
    w(1)
    assert w.hits == 1
    w.hits = 10**12
    w(1)
    assert w.hits == 10**12 + 1


@pytest.mark.parametrize("bad", ["3", 1.5, None, True])
def test_hits_must_be_an_int(impl: Any, bad: object) -> None:
    w = impl({}, Recorder())
    with pytest.raises(dp.InvalidType, match=r"hits=.* must be an integer"):
        w.hits = bad
    assert w.hits == 0


def test_read_only_attributes(impl: Any) -> None:
    cache: dict[Any, Any] = {}
    miss = Recorder()
    w = impl(cache, miss)
    assert w.cache is cache
    assert w.miss is miss
    assert w.typed is False
    assert w.lru is False
    for name in ("cache", "miss", "typed", "lru"):
        with pytest.raises(AttributeError):
            setattr(w, name, None)
    with pytest.raises(AttributeError):
        del w.hits


@pytest.mark.parametrize(
    ("cache", "miss", "lru", "pattern"),
    [
        ([], print, False, r"cache=\[\] must be a dict"),
        ({}, 42, False, r"miss=42 must be callable"),
        ({}, print, True, r"cache=\{\} must have a move_to_end method"),
    ],
)
def test_bad_constructor_arguments(
    impl: Any, cache: object, miss: object, lru: bool, pattern: str
) -> None:
    with pytest.raises(dp.InvalidType, match=pattern) as info:
        impl(cache, miss, lru=lru)
    assert isinstance(info.value, TypeError)


def test_typed_and_lru_are_keyword_only(impl: Any) -> None:
    with pytest.raises(TypeError):
        impl({}, print, True)


# -- lru ----------------------------------------------------------------------


def test_lru_moves_hit_to_end(impl: Any) -> None:
    cache: OrderedDict[Any, Any] = OrderedDict((k, k * 10) for k in range(4))
    w = impl(cache, Recorder(), lru=True)
    assert w.lru is True
    assert w(1) == 10
    assert w(0) == 0
    assert list(cache) == [2, 3, 1, 0]
    assert w(9)[0] == "miss"
    assert list(cache) == [2, 3, 1, 0]
    assert w(2, 3)[0] == "miss"  # tuple key absent: order unchanged
    cache[(2, 3)] = "pair"
    assert w(2, 3) == "pair"
    assert next(reversed(cache)) == (2, 3)
    assert w.hits == 3


def test_lru_off_leaves_order(impl: Any) -> None:
    cache: OrderedDict[Any, Any] = OrderedDict((k, k) for k in range(3))
    w = impl(cache, Recorder())
    w(0)
    assert list(cache) == [0, 1, 2]


def test_lru_ignores_key_vanished_but_propagates_other_errors(impl: Any) -> None:
    class Vanishing(OrderedDict):  # type: ignore[type-arg]
        def move_to_end(self, key: Any, last: bool = True) -> None:
            raise KeyError(key)  # as if another thread had evicted it meanwhile

    class Broken(OrderedDict):  # type: ignore[type-arg]
        def move_to_end(self, key: Any, last: bool = True) -> None:
            raise RuntimeError("boom")

    w = impl(Vanishing({1: "one"}), Recorder(), lru=True)
    assert w(1) == "one"
    assert w.hits == 1
    w = impl(Broken({1: "one"}), Recorder(), lru=True)
    with pytest.raises(RuntimeError, match="boom"):
        w(1)


# -- exceptions ---------------------------------------------------------------


def test_exceptions_from_miss_propagate(impl: Any) -> None:
    def miss(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError(f"no value for {args}")

    w = impl({}, miss)
    with pytest.raises(ZeroDivisionError, match=r"no value for \(4,\)"):
        w(4)
    with pytest.raises(ZeroDivisionError):
        w(4, kw=1)
    with pytest.raises(ZeroDivisionError):
        w([4])  # unhashable, still miss
    assert w.hits == 0


class BadHash:
    """A key whose __hash__ raises the exception it was given."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __hash__(self) -> int:
        raise self.exc


def test_hash_type_error_goes_to_miss(impl: Any) -> None:
    miss = Recorder()
    w = impl({}, miss)
    key = BadHash(TypeError("not today"))
    assert w(key) == ("miss", (key,), {})
    assert w.hits == 0


@pytest.mark.parametrize("exc", [ValueError("bad hash"), KeyError("k"), RecursionError("deep")])
def test_other_hash_errors_propagate(impl: Any, exc: BaseException) -> None:
    miss = Recorder()
    w = impl({}, miss)
    with pytest.raises(type(exc)):
        w(BadHash(exc))
    with pytest.raises(type(exc)):
        w(1, BadHash(exc))
    assert miss.calls == []


def test_type_error_from_eq_propagates(impl: Any) -> None:
    """A hashable key whose comparison raises TypeError is an error, not a miss."""

    class Touchy:
        def __hash__(self) -> int:
            return 1

        def __eq__(self, other: object) -> bool:
            raise TypeError("cannot compare")

    miss = Recorder()
    w = impl({(Touchy(),): "stored"}, miss)
    with pytest.raises(TypeError, match="cannot compare"):
        w(Touchy())
    assert miss.calls == []


# -- the function protocol ----------------------------------------------------


def test_update_wrapper_attributes(impl: Any) -> None:
    def target(n: int) -> int:
        """Target docstring."""
        return n

    target.extra = "copied"  # type: ignore[attr-defined]
    w = impl({}, Recorder())
    functools.update_wrapper(w, target)
    assert w.__name__ == "target"
    assert w.__qualname__ == target.__qualname__
    assert w.__doc__ == "Target docstring."
    assert w.__module__ == target.__module__
    assert w.__wrapped__ is target
    assert w.extra == "copied"
    assert w.__dict__["__name__"] == "target"


def test_get_without_bind_gives_bound_method(impl: Any) -> None:
    miss = Recorder()
    w = impl({}, miss)

    class Owner:
        method = w

    obj = Owner()
    assert Owner.method is w
    assert w.__get__(None, Owner) is w
    bound = obj.method
    assert isinstance(bound, types.MethodType)
    assert bound.__self__ is obj
    assert bound.__func__ is w
    assert obj.method(3) == ("miss", (obj, 3), {})
    w.cache[(obj, 3)] = "hit via method"
    assert obj.method(3) == "hit via method"
    assert w.hits == 1


def test_get_with_bind(impl: Any) -> None:
    w = impl({}, Recorder())

    class Owner:
        method = w

    obj = Owner()
    w._bind = lambda instance: ("bound by _bind", instance)
    assert obj.method == ("bound by _bind", obj)
    assert Owner.method is w  # the class still gets the wrapper
    w._bind = "not callable"
    assert isinstance(obj.method, types.MethodType)


def test_repr(impl: Any) -> None:
    miss = Recorder()
    w = impl({}, miss)
    assert repr(w) == f"<dptoolkit memoized function wrapping {miss!r}>"
    w.__qualname__ = "Outer.fib"
    assert repr(w) == "<dptoolkit memoized function Outer.fib>"


def test_weakref(impl: Any) -> None:
    w = impl({}, Recorder())
    ref = weakref.ref(w)
    assert ref() is w
    del w
    gc.collect()
    assert ref() is None


def test_pickle_by_reference(impl: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("dptoolkit_pickle_probe")
    w = impl({}, Recorder())
    w.__module__ = module.__name__
    w.__qualname__ = "fib"
    module.fib = w  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(w, protocol)
        assert b"fib" in data
        assert pickle.loads(data) is w


def test_pickle_needs_a_module_level_name(impl: Any) -> None:
    w = impl({}, Recorder())
    with pytest.raises(AttributeError):  # no __qualname__ at all
        pickle.dumps(w)
    w.__module__ = "dptoolkit_no_such_module_anywhere"
    w.__qualname__ = "fib"
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(w)


def test_copy_returns_self(impl: Any) -> None:
    w = impl({1: [1]}, Recorder())
    assert copy.copy(w) is w
    assert copy.deepcopy(w) is w
    assert copy.deepcopy([w])[0] is w


def _wrapper_in_cycle(impl: Any, through: str) -> weakref.ref[Any]:
    """Build a wrapper kept alive only by a reference cycle; return a weak reference."""
    cache: dict[Any, Any] = {}
    box: list[Any] = []

    def miss(*args: Any) -> Any:
        return box  # the closure keeps box alive; box keeps the wrapper alive

    w = impl(cache, miss)
    if through == "cache":
        cache[1] = [w]  # a cached value that refers back to the wrapper
    elif through == "dict":
        w.__dict__["me"] = w
    else:
        box.append(w)
    return weakref.ref(w)


@pytest.mark.parametrize("through", ["cache", "dict", "miss"])
def test_gc_collects_wrapper_in_cycle(impl: Any, through: str) -> None:
    ref = _wrapper_in_cycle(impl, through)
    gc.collect()
    assert ref() is None


# -- threads ------------------------------------------------------------------


def test_threads_hammer_hits_while_another_inserts(impl: Any) -> None:
    readers, rounds, keys = 6, 150, 200
    cache: dict[Any, Any] = {k: k * 2 for k in range(keys // 2)}
    cache.update({(k, 0): k * 2 for k in range(keys // 2)})

    def miss(*args: Any) -> Any:
        return None

    w = impl(cache, miss)
    start = threading.Barrier(readers + 1)
    seen_hits = [0] * readers
    wrong: list[tuple[int, object]] = []

    def read(slot: int) -> None:
        start.wait()
        count = 0
        for _ in range(rounds):
            for k in range(keys):
                value = w(k) if k % 3 else w(k, 0)  # lone-int and tuple keys
                if value is None:
                    if k < keys // 2:
                        wrong.append((k, value))  # present from the start: must hit
                elif value == k * 2:
                    count += 1
                else:
                    wrong.append((k, value))
        seen_hits[slot] = count

    def insert() -> None:
        start.wait()
        for k in range(keys // 2, keys):
            cache[k] = k * 2
            cache[(k, 0)] = k * 2
            for filler in range(40):  # grow the dict so it resizes under the readers
                cache[("filler", k, filler)] = None

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
        threads.append(threading.Thread(target=insert))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert wrong == []
    assert sum(seen_hits) >= readers * rounds * keys // 2
    if impl is PyFastWrapper:
        # `self._hits += 1` is a read-modify-write in Python: exact in practice
        # under the GIL, but not a language guarantee
        assert 0 < w.hits <= sum(seen_hits)
    else:
        assert w.hits == sum(seen_hits)


# -- awaitable hits (async def) ------------------------------------------------


def test_an_awaitable_hit_is_a_finished_coroutine(impl: Any) -> None:
    miss = Recorder()
    w = impl({3: (1, 2)}, miss, awaitable=True)
    assert w.awaitable is True and impl({}, miss).awaitable is False
    with pytest.raises(AttributeError):
        w.awaitable = False
    hit = w(3)
    assert type(hit) is (PyReady if impl is PyFastWrapper else _fastpath.CReady)
    assert hit.value == (1, 2) and w.hits == 1
    assert isinstance(hit, collections.abc.Coroutine) and asyncio.iscoroutine(hit)
    assert w(4) == ("miss", (4,), {})  # a miss is whatever miss returns

    async def use() -> list[Any]:
        task = asyncio.create_task(w(3))  # a coroutine to asyncio...
        both = await asyncio.gather(w(3), asyncio.ensure_future(w(3)))
        return [await hit, await hit, await task, *both]  # ...that can be awaited again

    assert asyncio.run(use()) == [(1, 2)] * 5
    assert asyncio.run(w(3)) == (1, 2)
    with pytest.raises(StopIteration) as stop:
        hit.send(None)
    assert stop.value.value == (1, 2)  # a tuple value stays whole
    for thrown in ((ValueError("in"),), (ValueError,), (ValueError, ValueError("in"))):
        with pytest.raises(ValueError):
            hit.throw(*thrown)
    assert hit.close() is None


# -- the implementation switch ----------------------------------------------


def test_implementation_names_the_type() -> None:
    assert _fastpath.IMPLEMENTATION in ("c", "python")
    if _fastpath.IMPLEMENTATION == "c":
        assert _fastpath.FastWrapper is _fastpath.CFastWrapper
        assert _fastpath.CFastWrapper.__module__ == "dptoolkit._cmemo"
    else:
        assert _fastpath.FastWrapper is PyFastWrapper
    if os.environ.get("DPTOOLKIT_REQUIRE_C") == "1":
        assert _fastpath.IMPLEMENTATION == "c"


def test_c_type_uses_vectorcall() -> None:
    if _fastpath.CFastWrapper is None:
        pytest.skip("the C extension dptoolkit._cmemo is not built")
    have_vectorcall = 1 << 11  # Py_TPFLAGS_HAVE_VECTORCALL
    assert _fastpath.CFastWrapper.__flags__ & have_vectorcall


@pytest.mark.parametrize("value", ["1", "0"])
def test_pure_python_environment_variable(value: str, tmp_path: Any) -> None:
    code = "import dptoolkit._fastpath as f; print(f.IMPLEMENTATION)"
    env = {**os.environ, "DPTOOLKIT_PURE_PYTHON": value}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,  # import the installed package, not ./dptoolkit
        capture_output=True,
        text=True,
        check=True,
    )
    # (not this process's IMPLEMENTATION: the suite itself may run with the variable set)
    built = importlib.util.find_spec("dptoolkit._cmemo") is not None
    expected = "python" if value == "1" or not built else "c"
    assert out.stdout.strip() == expected
