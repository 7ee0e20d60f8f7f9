"""The pickle-free value codec: exact round trips, refusals, and safe decoding."""

from __future__ import annotations

import contextlib
import math
import pickle
import struct
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import dptoolkit as dp
from dptoolkit._codec import decode, encode, encode_key


def same(a: object, b: object) -> bool:
    """Equal values of exactly equal types, all the way down (nan equals nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b)  # type: ignore[arg-type]
    if isinstance(a, complex):
        return same(a.real, b.real) and same(a.imag, b.imag)  # type: ignore[attr-defined]
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)  # type: ignore[index, call-overload]
    if isinstance(a, np.ndarray):
        return (
            a.dtype == b.dtype  # type: ignore[attr-defined]
            and a.shape == b.shape  # type: ignore[attr-defined]
            and a.tobytes() == b.tobytes()  # type: ignore[attr-defined]
        )
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()  # type: ignore[attr-defined]
    return a == b


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**200), max_value=2**200)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.complex_numbers(allow_nan=True)
    | st.text()
    | st.binary()
)
hashables = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.binary(max_size=5),
    lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3),
    max_leaves=6,
)
arrays = hnp.arrays(
    dtype=hnp.scalar_dtypes() | hnp.byte_string_dtypes() | hnp.unicode_string_dtypes(),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
)
values = st.recursive(
    scalars | arrays,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(hashables, inner, max_size=4)
        | st.sets(hashables, max_size=4)
        | st.frozensets(hashables, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300)
@given(values)
def test_round_trip_keeps_values_and_types(value: object) -> None:
    assert same(decode(encode(value)), value)


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -1,
        2**63 - 1,
        -(2**63),
        2**63,
        -(2**63) - 1,
        10**400,
        -(10**400),
        0.0,
        -0.0,
        math.inf,
        -math.inf,
        math.nan,
        5e-324,
        1 + 2j,
        "",
        "héllo \ud800 surrogate",
        b"",
        b"\x00\xff",
        bytearray(b"ab"),
        (),
        (1,),
        [],
        [[], ()],
        {},
        {(1, 2): "t", 3: [4], None: b"", frozenset({1}): 2.5},
        {1, "a", (2, 3)},
        frozenset(),
        ...,
    ],
    ids=repr,
)
def test_round_trip_examples(value: object) -> None:
    out = decode(encode(value))
    assert same(out, value)
    if isinstance(value, float) and math.copysign(1, value) < 0:
        assert math.copysign(1, out) < 0  # type: ignore[arg-type]


def test_dict_keeps_insertion_order() -> None:
    value = {"b": 1, "a": 2, "c": 3}
    assert list(decode(encode(value))) == ["b", "a", "c"]


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=np.int32).reshape(3, 4),
        np.arange(12, dtype=">f8").reshape(2, 3, 2),
        np.zeros((0, 5), dtype=np.uint8),
        np.array(3.5, dtype=np.float16),
        np.array([True, False]),
        np.array(["ab", "c"]),
        np.array([b"x", b"yz"]),
        np.array([1 + 2j], dtype=np.complex64),
        np.array(["2020-01-01", "NaT"], dtype="datetime64[D]"),
        np.array([5, -3], dtype="timedelta64[ms]"),
        np.arange(20).reshape(4, 5)[:, ::2],  # not contiguous
        np.asfortranarray(np.arange(6).reshape(2, 3)),
    ],
    ids=lambda a: f"{a.dtype}{a.shape}",
)
def test_numpy_arrays_keep_dtype_shape_and_data(array: np.ndarray) -> None:
    out = decode(encode(array))
    assert isinstance(out, np.ndarray)
    assert out.dtype == array.dtype and out.shape == array.shape
    np.testing.assert_array_equal(out, array)
    out[...] = out  # writable, owns its data
    assert out.flags.writeable


@pytest.mark.parametrize(
    "scalar",
    [
        np.float32(1.5),
        np.float64(-0.0),
        np.int8(-7),
        np.uint64(2**64 - 1),
        np.bool_(True),
        np.complex128(1 - 1j),
        np.str_("hé"),
        np.bytes_(b"ab"),
        np.datetime64("2021-03-04T05:06", "m"),
    ],
    ids=repr,
)
def test_numpy_scalars_keep_their_type(scalar: np.generic) -> None:
    out = decode(encode(scalar))
    assert type(out) is type(scalar)
    assert same(out, scalar)


@pytest.mark.parametrize(
    "value",
    [
        np.array([1, "a"], dtype=object),
        np.zeros(2, dtype=[("x", "i4"), ("y", "f8")]),
        [np.array([None])],
    ],
    ids=["object", "structured", "nested-object"],
)
def test_refuses_object_and_structured_arrays(value: object) -> None:
    with pytest.raises(dp.UnsupportedValue, match="dtype"):
        encode(value)


class Opaque:
    pass


class MyInt(int):
    pass


@pytest.mark.parametrize(
    "value, name",
    [
        (Opaque(), "Opaque"),
        ([1, {"k": Opaque()}], "Opaque"),
        (MyInt(3), "MyInt"),
        (len, "builtin_function_or_method"),
        (range(3), "range"),
    ],
    ids=["object", "nested", "int-subclass", "function", "range"],
)
def test_unsupported_values_raise_naming_the_type(value: object, name: str) -> None:
    with pytest.raises(dp.UnsupportedValue, match=name) as info:
        encode(value)
    assert isinstance(info.value, dp.StoreError)
    assert isinstance(info.value, TypeError)


def test_self_containing_value_is_refused() -> None:
    value: list[object] = []
    value.append(value)
    with pytest.raises(dp.UnsupportedValue):
        encode(value)


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self) -> int:
        return hash((self.x, self.y))


def test_register_codec_round_trips_user_types() -> None:
    dp.register_codec(Point, "tests.Point", lambda p: [p.x, p.y], lambda v: Point(*v))
    value = {"p": [Point(1, 2), Point(3, -4)], "q": (Point(0, 0),)}
    assert decode(encode(value)) == value
    # as an argument too, and registered types become stable key parts
    assert encode_key((Point(1, 2),)) == encode_key((Point(1, 2),))
    assert encode_key((Point(1, 2),)) != encode_key((Point(2, 1),))


def test_register_codec_validation() -> None:
    class Thing:
        pass

    with pytest.raises(dp.InvalidType, match="cls=3"):
        dp.register_codec(3, "x", str, str)  # type: ignore[arg-type]
    with pytest.raises(dp.InvalidInput, match="tag=''"):
        dp.register_codec(Thing, "", str, str)
    with pytest.raises(dp.InvalidType, match="encode="):
        dp.register_codec(Thing, "tests.Thing", 1, str)  # type: ignore[arg-type]
    with pytest.raises(dp.InvalidInput, match="natively"):
        dp.register_codec(int, "my-int", str, int)
    with pytest.raises(dp.InvalidInput, match="natively"):
        dp.register_codec(np.float32, "f32", str, float)
    dp.register_codec(Thing, "tests.Thing", lambda t: None, lambda v: Thing())
    with pytest.raises(dp.InvalidInput, match="already registered"):
        dp.register_codec(Opaque, "tests.Thing", lambda t: None, lambda v: Opaque())


def test_failing_encoder_is_reported_as_unsupported() -> None:
    class Bad:
        pass

    def boom(value: object) -> object:
        raise RuntimeError("nope")

    dp.register_codec(Bad, "tests.Bad", boom, lambda v: Bad())
    with pytest.raises(dp.UnsupportedValue, match=r"tests\.Bad"):
        encode(Bad())


def test_unregistered_tag_is_a_store_error() -> None:
    # the bytes of an entry whose codec this process does not know
    data = b"\x01x" + bytes([len(b"no.such")]) + b"no.such" + b"N"
    with pytest.raises(dp.StoreError, match=r"no\.such"):
        decode(data)


# --------------------------------------------------------------------------
# reading never runs code
# --------------------------------------------------------------------------


class Trap:
    """Anything that runs this class's code during decoding flips the flag."""

    triggered = False

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        Trap.triggered = True
        return (Trap, ())

    def __setstate__(self, state: object) -> None:  # pragma: no cover - must never run
        Trap.triggered = True


def test_a_pickle_written_into_the_store_is_refused() -> None:
    import os

    evil = pickle.dumps(os.system)  # a pickle that would import and return os.system
    for payload in (evil, b"\x01" + evil, b"\x80" + evil[1:]):
        with pytest.raises(dp.StoreError):
            decode(payload)


def test_crafted_entries_cannot_build_objects_or_run_code(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_import = __import__

    def spy(name: str, *args: object, **kwargs: object) -> object:
        calls.append(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    crafted = [
        b"\x01a\x02|O\x01\x01\x08" + b"\x00" * 8,  # an object-dtype array
        b"\x01a\x06|V8,i4\x01\x01\x08" + b"\x00" * 8,  # a structured dtype string
        b"\x01g\x03<O8\x08" + b"\x00" * 8,  # an object numpy scalar
        b"\x01a\x03<f8\x01\x05\x08" + b"\x00" * 8,  # shape does not match the data
        b"\x01x\x0bos.system\x00s\x02ls",  # a tag naming a callable
        b"\x01e",  # the key-only enum tag
        b"\x01d\x01l\x00N",  # an unhashable dict key
    ]
    monkeypatch.setattr("builtins.__import__", spy)
    for data in crafted:
        with pytest.raises(dp.StoreError):
            decode(data)
    assert not Trap.triggered
    assert not [name for name in calls if name not in ("numpy",)]


@settings(max_examples=400)
@given(st.binary(max_size=64))
def test_arbitrary_bytes_decode_or_raise_store_error(data: bytes) -> None:
    try:
        value = decode(b"\x01" + data)
    except dp.StoreError:
        return
    # whatever decodes is made of the codec's own types only
    assert same(decode(encode(value)), value)


@settings(max_examples=200)
@given(values, st.data())
def test_damaged_encodings_never_escape_as_other_errors(value: object, data: st.DataObject) -> None:
    raw = bytearray(encode(value))
    cut = data.draw(st.integers(0, len(raw)))
    flip = data.draw(st.integers(0, max(0, len(raw) - 1)))
    for damaged in (
        bytes(raw[:cut]),
        bytes(raw[:flip]) + bytes([raw[flip] ^ 0x5A]) + bytes(raw[flip + 1 :]),
    ):
        with contextlib.suppress(dp.StoreError):
            decode(damaged)


def test_deeply_nested_crafted_data_is_refused() -> None:
    data = b"\x01" + b"l\x01" * (sys.getrecursionlimit() * 2) + b"N"
    with pytest.raises(dp.StoreError, match=r"deeply|malformed"):
        decode(data)


@pytest.mark.parametrize(
    "data", [b"", b"\x02N", b"\x01", b"\x01N\x00", b"\x01s\x05ab", b"\x01i\x00"]
)
def test_malformed_bytes_raise_store_error(data: bytes) -> None:
    with pytest.raises(dp.StoreError, match="malformed"):
        decode(data)
