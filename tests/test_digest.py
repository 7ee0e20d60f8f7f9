"""Stable keys: equal across processes and hash seeds; new code, new keys."""

from __future__ import annotations

import enum
import json
import os
import subprocess
import sys
import textwrap
from collections import namedtuple
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit._codec import encode_key
from dptoolkit._digest import fingerprint, namespace, qualified_name
from dptoolkit.stores import MemoryStore

# Arguments whose naive encodings (repr, hash) depend on the process's hash seed.
KEY_PROGRAM = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from dptoolkit.stores import MemoryStore

    def area(*args, **kwargs):
        return None

    cases = [
        ((1, 2), {}),
        (({"b", "a", "c", "dd", "e"},), {}),
        (({"z": 1, "y": {"q", "r", "s"}, 3: frozenset({"u", "v"})},), {"k": [1.5, None]}),
        ((frozenset({("x", 1), ("y", 2), ("w", 3)}),), {"b": 1, "a": 2}),
        ((np.arange(6).reshape(2, 3), 2**80, -0.0, "é"), {}),
    ]
    bound = MemoryStore().bind(area)
    print(json.dumps([bound.key(args, kwargs).hex() for args, kwargs in cases]))
    """
)


def run_keys(seed: str) -> list[str]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    out = subprocess.run(
        [sys.executable, "-c", KEY_PROGRAM], env=env, capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout))


def test_keys_are_equal_across_processes_with_different_hash_seeds() -> None:
    first, second, third = run_keys("1"), run_keys("2"), run_keys("random")
    assert first == second == third
    assert len(set(first)) == len(first)  # different arguments, different keys
    assert all(len(bytes.fromhex(k)) == 24 for k in first)


def test_equal_arguments_give_equal_keys_in_any_order() -> None:
    assert encode_key(({"a": 1, "b": 2},)) == encode_key(({"b": 2, "a": 1},))
    assert encode_key((), {"x": 1, "y": 2}) == encode_key((), {"y": 2, "x": 1})
    big = set(range(1000, 1100))
    assert encode_key((big,)) == encode_key((set(sorted(big, reverse=True)),))
    assert encode_key(({"s", "t", "u"},)) == encode_key(({"u", "t", "s"},))


def test_different_arguments_give_different_keys() -> None:
    distinct = [
        (1,),
        (1.0,),
        (True,),
        ("1",),
        (b"1",),
        ((1,),),
        ([1],),
        (1, 2),
        ((1, 2),),
        ({1: 2},),
        ({1, 2},),
        (None,),
        (),
        (np.int64(1),),
        (np.array([1]),),
        (np.array([1.0]),),
        (np.array([[1]]),),
    ]
    encodings = {encode_key(args) for args in distinct}
    assert len(encodings) == len(distinct)
    assert encode_key((1,), {"a": 1}) != encode_key((1, 1))


class Color(enum.Enum):
    RED = 1
    BLUE = 2


class Level(enum.IntEnum):
    LOW = 1


Pair = namedtuple("Pair", "a b")


def test_enum_and_builtin_subclass_arguments_have_stable_keys() -> None:
    assert encode_key((Color.RED,)) != encode_key((Color.BLUE,))
    assert encode_key((Color.RED,)) == encode_key((Color["RED"],))
    assert encode_key((Level.LOW,)) != encode_key((1,))  # counts by class and name
    assert encode_key((Pair(1, 2),)) == encode_key(((1, 2),))  # a tuple, as in a dict


def test_unencodable_arguments_raise_unsupported_value() -> None:
    with pytest.raises(dp.UnsupportedValue, match=r"stable key.*object"):
        encode_key((object(),))


def test_namespace_names_module_and_qualname() -> None:
    def f() -> None:
        pass

    assert qualified_name(f).endswith(":test_namespace_names_module_and_qualname.<locals>.f")
    assert len(namespace(f)) == 8
    assert namespace(f) == namespace(f)


def fresh(source: str, name: str = "f", env: dict[str, Any] | None = None) -> Any:
    """Define a function from source text, as a new version of a module would."""
    scope: dict[str, Any] = {"__name__": "tests.versions"}
    if env:
        scope.update(env)
    exec(compile(textwrap.dedent(source), "<version>", "exec"), scope)
    return scope[name]


BASE = """
def f(n, k=2):
    return n * k + 1
"""


@pytest.mark.parametrize(
    "changed",
    [
        "def f(n, k=2):\n    return n * k + 2\n",  # a constant
        "def f(n, k=2):\n    return n * k - 1\n",  # an operator (bytecode)
        "def f(n, k=3):\n    return n * k + 1\n",  # a default
        "def f(n, k=2):\n    return n * abs(k) + 1\n",  # a global name
        "def f(n, *, k=2):\n    return n * k + 1\n",  # the signature
        "def f(n, k=2):\n    '''Doc.'''\n    return n * k + 1\n",  # the docstring
    ],
    ids=["constant", "operator", "default", "name", "signature", "docstring"],
)
def test_fingerprint_changes_with_the_code(changed: str) -> None:
    assert fingerprint(fresh(BASE)) == fingerprint(fresh(BASE))
    assert fingerprint(fresh(changed)) != fingerprint(fresh(BASE))
    # the namespace is the same: clear() still reaches the old version's entries
    assert namespace(fresh(changed)) == namespace(fresh(BASE))


def test_fingerprint_ignores_line_numbers() -> None:
    moved = "\n\n\n" + BASE
    assert fingerprint(fresh(moved)) == fingerprint(fresh(BASE))


def test_fingerprint_follows_nested_code() -> None:
    outer = """
    def f(xs):
        def inner(x):
            return x + {c}
        return sorted(xs, key=lambda x: inner(x) * {d})
    """
    base = fingerprint(fresh(outer.format(c=1, d=2)))
    assert base == fingerprint(fresh(outer.format(c=1, d=2)))
    assert base != fingerprint(fresh(outer.format(c=5, d=2)))
    assert base != fingerprint(fresh(outer.format(c=1, d=7)))


def test_fingerprint_counts_closure_values() -> None:
    factory = """
    def make(weights):
        def f(i):
            return weights[i] + g(i)
        return f
    """
    make = fresh(factory, "make", {"g": abs})
    assert fingerprint(make([1, 2])) == fingerprint(make([1, 2]))
    assert fingerprint(make([1, 2])) != fingerprint(make([1, 3]))


def test_fingerprint_of_self_referencing_closure_and_function_cells() -> None:
    factory = """
    def make(helper):
        def f(n):
            return n if n < 2 else f(n - 1) + helper(n)
        return f
    """
    make = fresh(factory, "make")
    assert fingerprint(make(abs)) == fingerprint(make(abs))
    assert fingerprint(make(abs)) != fingerprint(make(len))


def test_closures_over_different_lambdas_never_share_results() -> None:
    factory = """
    def make(op):
        def apply(n):
            return op(n)
        return apply
    """
    make = fresh(factory, "make")
    store = MemoryStore()
    add = dp.memoize(store=store)(make(lambda n: n + 1))
    double = dp.memoize(store=store)(make(lambda n: n * 2))
    assert (add(3), double(3)) == (4, 6)  # double read add's 4 from the store
    assert fingerprint(make(lambda n: n + 1)) == fingerprint(make(lambda n: n + 1))

    class Scale:
        def __init__(self, k: int) -> None:
            self.k = k

        def times(self, n: int) -> int:
            return n * self.k

    with pytest.raises(dp.UnsupportedValue, match="op"):  # its instance is data
        fingerprint(make(Scale(2).times))


def test_closure_over_unencodable_data_is_refused() -> None:
    class Graph:
        pass

    def make(graph: Graph) -> Any:
        def f(i: int) -> Any:
            return graph, i

        return f

    with pytest.raises(dp.UnsupportedValue, match=r"closure variable 'graph'.*Graph"):
        fingerprint(make(Graph()))
    with pytest.raises(dp.UnsupportedValue, match="graph"):
        MemoryStore().bind(make(Graph()))


def test_unencodable_defaults_count_by_type() -> None:
    # a sentinel default has no stable value (its repr holds an address):
    # two processes must still agree, so only its type counts
    source = "def f(n, missing=SENTINEL):\n    return n\n"
    first = fresh(source, env={"SENTINEL": object()})
    second = fresh(source, env={"SENTINEL": object()})
    other = fresh(source, env={"SENTINEL": Color.RED})
    assert fingerprint(first) == fingerprint(second)
    assert fingerprint(first) != fingerprint(other)


def test_wrapped_functions_are_fingerprinted_through_wrapped() -> None:
    import functools

    def f(n: int) -> int:
        return n + 1

    @functools.wraps(f)
    def wrapper(*args: Any) -> int:
        return f(*args)

    assert fingerprint(wrapper) == fingerprint(f)
    assert namespace(wrapper) == namespace(f)


def test_bound_keys_change_with_code_and_arguments() -> None:
    store = MemoryStore()
    old = store.bind(fresh(BASE))
    new = store.bind(fresh("def f(n, k=2):\n    return n * k + 3\n"))
    assert old.key((1,), {}) == store.bind(fresh(BASE)).key((1,), {})
    assert old.key((1,), {}) != new.key((1,), {})
    assert old.key((1,), {})[:8] == new.key((1,), {})[:8]
    assert old.key((1,), {}) != old.key((2,), {})


@settings(max_examples=200)
@given(st.integers() | st.text())
def test_single_argument_fast_path_matches_the_general_encoding(value: object) -> None:
    from dptoolkit._codec import _encode_part

    assert encode_key((value,)) == _encode_part((value,), True)
    assert encode_key((value,)) != encode_key((value, value))
