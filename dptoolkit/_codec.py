"""Values and keys as bytes, without pickle.

Two encodings share one format:

* **values** (:func:`encode` / :func:`decode`): what a store keeps. Types
  round-trip exactly (``int`` stays ``int``, ``np.float32`` stays
  ``np.float32``); a value of any other type raises
  :class:`~dptoolkit.errors.UnsupportedValue` unless a codec is registered
  for it with :func:`register_codec`.
* **keys** (:func:`encode_key`): a canonical encoding of a call's arguments,
  hashed into a stable digest. Equal containers encode equally whatever their
  insertion order (dict items and set members are sorted by their encoding),
  and subclasses of the built-in types (``IntEnum``, named tuples) are
  accepted as their base type; enum members count by class and name.

Decoding only ever builds ``None``, ``bool``, ``int``, ``float``,
``complex``, ``str``, ``bytes``, ``bytearray``, tuples, lists, dicts, sets,
numpy arrays and scalars of plain dtypes, and whatever the *reader's own*
registered codecs build: nothing stored in the bytes can name a function,
class or module to call, so reading a store never runs code from it.

The format: one version byte, then a tagged tree. Each node is one tag byte
followed by its payload; lengths and counts are unsigned LEB128 varints.

This module owns encoding and the codec registry; decoding lives in
:mod:`dptoolkit._decode` (re-exported here) and what both directions share
(the version, number layouts, limits, the codec tables) in
:mod:`dptoolkit._wire`. Imported by the stores and :mod:`dptoolkit._digest`.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from typing import Any

from ._decode import decode
from ._validate import show
from ._wire import (
    _DD,
    _INT_MAX,
    _INT_MIN,
    _PLAIN_KINDS,
    _VERSION_BYTE,
    FORMAT_VERSION,
    _codecs_by_tag,
    _codecs_by_type,
    _pack_d,
    _pack_q,
    _varint,
)
from .errors import InvalidInput, InvalidType, UnsupportedValue

__all__ = ["FORMAT_VERSION", "decode", "encode", "encode_key", "register_codec"]

Writer = Callable[[Any, list[bytes], bool], None]


# --------------------------------------------------------------------------
# registered codecs
# --------------------------------------------------------------------------


def register_codec(
    cls: type,
    tag: str,
    encode: Callable[[Any], Any],
    decode: Callable[[Any], Any],
) -> None:
    """Teach the persistent stores to keep values (and keys) of type *cls*.

    Parameters
    ----------
    cls : type
        The exact type to handle (subclasses need their own registration to
        be stored as values; as arguments they use the nearest registered
        base class).
    tag : str
        A short, stable name written into the store next to the payload, e.g.
        ``"fractions.Fraction"``. Readers look the tag up in *their own*
        registry, so keep it unchanged across versions of your program.
    encode : callable
        ``encode(obj)`` returns a value the stores already support (numbers,
        strings, bytes, tuples, lists, dicts, numpy arrays, other registered
        types).
    decode : callable
        ``decode(payload)`` rebuilds the object from what *encode* returned.

    Raises
    ------
    InvalidType
        *cls* is not a class, *tag* is not a string, or a codec is not
        callable.
    InvalidInput
        *tag* is empty or already names another type's codec, or *cls* is a
        type the stores handle natively.

    Examples
    --------
    >>> from fractions import Fraction
    >>> import dptoolkit as dp
    >>> dp.register_codec(Fraction, "fractions.Fraction",
    ...                   lambda f: (f.numerator, f.denominator),
    ...                   lambda t: Fraction(*t))
    >>> from dptoolkit._codec import decode, encode
    >>> decode(encode(Fraction(2, 3)))
    Fraction(2, 3)

    Notes
    -----
    Registering the same type again replaces its codec. Decoding an entry
    whose tag is not registered in the reading process raises
    :class:`~dptoolkit.errors.StoreError`.
    """
    if not isinstance(cls, type):
        raise InvalidType(f"cls={show(cls)} must be a class")
    if not isinstance(tag, str):
        raise InvalidType(f"tag={show(tag)} must be a string")
    if not tag:
        raise InvalidInput("tag='' must be a non-empty string")
    if not callable(encode):
        raise InvalidType(f"encode={show(encode)} must be callable")
    if not callable(decode):
        raise InvalidType(f"decode={show(decode)} must be callable")
    if cls in _BUILTIN_WRITERS or _is_numpy_type(cls):
        raise InvalidInput(f"cls={cls.__qualname__} is stored natively; it takes no codec")
    owner = _codecs_by_tag.get(tag)
    if owner is not None and owner[0] is not cls:
        raise InvalidInput(
            f"tag={tag!r} is already registered for {owner[0].__module__}.{owner[0].__qualname__}"
        )
    old = _codecs_by_type.get(cls)
    if old is not None:
        _codecs_by_tag.pop(old[0], None)
    _codecs_by_type[cls] = (tag, encode)
    _codecs_by_tag[tag] = (cls, decode)
    # forget the dispatch decisions made before this registration
    for writers in (_value_writers, _key_writers):
        writers.clear()
        writers.update(_BUILTIN_WRITERS)


def _is_numpy_type(cls: type) -> bool:
    np = sys.modules.get("numpy")
    return np is not None and issubclass(cls, (np.ndarray, np.generic))


# --------------------------------------------------------------------------
# encoding
# --------------------------------------------------------------------------


def _w_none(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"N")


def _w_bool(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"T" if value else b"F")


def _w_ellipsis(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"E")


def _w_int(value: Any, out: list[bytes], canonical: bool) -> None:
    value = int(value)
    if _INT_MIN <= value <= _INT_MAX:
        out.append(b"i" + _pack_q(value))
    else:
        size = (value.bit_length() + 8) // 8
        out.append(b"I" + _varint(size) + value.to_bytes(size, "little", signed=True))


def _w_float(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"f" + _pack_d(value))


def _w_complex(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"c" + _DD.pack(value.real, value.imag))


def _w_str(value: Any, out: list[bytes], canonical: bool) -> None:
    data = str.encode(value, "utf-8", "surrogatepass")
    out.append(b"s" + _varint(len(data)))
    out.append(data)


def _w_bytes(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"b" + _varint(len(value)))
    out.append(bytes(value))


def _w_bytearray(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"B" + _varint(len(value)))
    out.append(bytes(value))


def _w_tuple(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"t" + _varint(len(value)))
    for item in value:
        _encode_into(item, out, canonical)


def _w_list(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"l" + _varint(len(value)))
    for item in value:
        _encode_into(item, out, canonical)


def _w_dict(value: Any, out: list[bytes], canonical: bool) -> None:
    out.append(b"d" + _varint(len(value)))
    if canonical:
        pairs = sorted(
            (_encode_part(k, canonical), _encode_part(v, canonical)) for k, v in value.items()
        )
        for k, v in pairs:
            out.append(k)
            out.append(v)
    else:
        for k, v in value.items():
            _encode_into(k, out, canonical)
            _encode_into(v, out, canonical)


def _set_writer(tag: bytes) -> Writer:
    def write(value: Any, out: list[bytes], canonical: bool) -> None:
        # sorted by encoding, so a set's bytes never depend on hash order
        out.append(tag + _varint(len(value)))
        out.extend(sorted(_encode_part(item, canonical) for item in value))

    return write


def _w_ndarray(value: Any, out: list[bytes], canonical: bool) -> None:
    dtype = value.dtype
    if dtype.kind not in _PLAIN_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise UnsupportedValue(
            f"cannot store a numpy array of dtype {dtype!s}: object, structured and "
            "void dtypes are refused (they could hold arbitrary objects)"
        )
    import numpy as np

    data = np.ascontiguousarray(value).tobytes()
    code = dtype.str.encode("ascii")
    parts = [b"a", _varint(len(code)), code, _varint(value.ndim)]
    parts.extend(_varint(n) for n in value.shape)
    parts.append(_varint(len(data)))
    out.append(b"".join(parts))
    out.append(data)


def _w_npscalar(value: Any, out: list[bytes], canonical: bool) -> None:
    dtype = value.dtype
    if dtype.kind not in _PLAIN_KINDS or dtype.fields is not None:
        raise UnsupportedValue(f"cannot store a numpy scalar of dtype {dtype!s}")
    code = dtype.str.encode("ascii")
    data = value.tobytes()
    out.append(b"g" + _varint(len(code)) + code + _varint(len(data)))
    out.append(data)


def _w_registered(value: Any, out: list[bytes], canonical: bool, tag: str, enc: Any) -> None:
    try:
        payload = enc(value)
    except UnsupportedValue:
        raise
    except Exception as exc:
        raise UnsupportedValue(
            f"the codec {tag!r} failed to encode a {type(value).__qualname__}: {exc!r}"
        ) from exc
    name = tag.encode("utf-8")
    out.append(b"x" + _varint(len(name)) + name)
    _encode_into(payload, out, canonical)


def _w_enum(value: Any, out: list[bytes], canonical: bool) -> None:
    # keys only: a member counts by its class's qualified name and its name
    cls = type(value)
    out.append(b"e")
    _w_str(cls.__module__, out, canonical)
    _w_str(cls.__qualname__, out, canonical)
    _w_str(value.name, out, canonical)


_BUILTIN_WRITERS: dict[type, Writer] = {
    type(None): _w_none,
    bool: _w_bool,
    type(Ellipsis): _w_ellipsis,
    int: _w_int,
    float: _w_float,
    complex: _w_complex,
    str: _w_str,
    bytes: _w_bytes,
    bytearray: _w_bytearray,
    tuple: _w_tuple,
    list: _w_list,
    dict: _w_dict,
    set: _set_writer(b"S"),
    frozenset: _set_writer(b"Z"),
}

# base types a key may subclass (checked in this order)
_KEY_BASES: tuple[type, ...] = (
    bool,
    int,
    float,
    complex,
    str,
    bytes,
    bytearray,
    tuple,
    list,
    dict,
    frozenset,
    set,
)

# exact type -> writer; grows as new types are met (cleared by register_codec)
_value_writers: dict[type, Writer] = dict(_BUILTIN_WRITERS)
_key_writers: dict[type, Writer] = dict(_BUILTIN_WRITERS)


def _resolve_writer(cls: type, canonical: bool) -> Writer | None:
    codec = _codecs_by_type.get(cls)
    if codec is None and canonical:
        for base in cls.__mro__[1:]:
            codec = _codecs_by_type.get(base)
            if codec is not None:
                break
    if codec is not None:
        tag, enc = codec

        def registered(value: Any, out: list[bytes], canonical: bool) -> None:
            _w_registered(value, out, canonical, tag, enc)

        return registered
    np = sys.modules.get("numpy")
    if np is not None:
        if cls is np.ndarray or (canonical and issubclass(cls, np.ndarray)):
            return _w_ndarray
        if issubclass(cls, np.generic):
            return _w_npscalar
    if not canonical:
        return None
    if issubclass(cls, enum.Enum):
        return _w_enum
    for base in _KEY_BASES:
        if issubclass(cls, base):
            return _BUILTIN_WRITERS[base]
    return None


def _encode_into(value: Any, out: list[bytes], canonical: bool) -> None:
    cls = type(value)
    writers = _key_writers if canonical else _value_writers
    writer = writers.get(cls)
    if writer is None:
        writer = _resolve_writer(cls, canonical)
        if writer is None:
            raise _unsupported(value, canonical)
        writers[cls] = writer
    writer(value, out, canonical)


def _unsupported(value: Any, canonical: bool) -> UnsupportedValue:
    cls = type(value)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if canonical:
        return UnsupportedValue(
            f"cannot make a stable key from an argument of type {name}: "
            "register a codec for it with dp.register_codec"
        )
    return UnsupportedValue(
        f"cannot store a value of type {name}: supported are None, bool, int, float, "
        "complex, str, bytes, tuple, list, dict, set, numpy arrays and scalars; "
        "register a codec for it with dp.register_codec"
    )


def _encode_part(value: Any, canonical: bool) -> bytes:
    out: list[bytes] = []
    _encode_into(value, out, canonical)
    return b"".join(out)


def encode(value: Any) -> bytes:
    """Encode a value for a store; the inverse of :func:`decode`.

    >>> decode(encode((1, 2.5, "x", [None, b"\\x00"], {"k": True})))
    (1, 2.5, 'x', [None, b'\\x00'], {'k': True})
    >>> encode(object())
    Traceback (most recent call last):
    ...
    dptoolkit.errors.UnsupportedValue: cannot store a value of type builtins.object: ...
    """
    out = [_VERSION_BYTE]
    try:
        _encode_into(value, out, False)
    except RecursionError:
        raise UnsupportedValue(
            "cannot store a value nested this deeply (or one that contains itself)"
        ) from None
    return b"".join(out)


def encode_key(args: tuple[Any, ...], kwargs: dict[str, Any] | None = None) -> bytes:
    """The canonical encoding of a call's arguments (the input of a key digest).

    Keyword arguments are sorted by name, dict items and set members by
    their encoding, so equal arguments give equal bytes in every process.

    >>> encode_key(({"b": 1, "a": 2},)) == encode_key(({"a": 2, "b": 1},))
    True
    >>> encode_key((1,)) == encode_key((1.0,))
    False
    """
    if not kwargs and len(args) == 1:  # the common case, byte for byte as below
        arg = args[0]
        if type(arg) is int and _INT_MIN <= arg <= _INT_MAX:
            return b"t\x01i" + _pack_q(arg)
        if type(arg) is str:
            data = str.encode(arg, "utf-8", "surrogatepass")
            return b"t\x01s" + _varint(len(data)) + data
    out: list[bytes] = []
    try:
        _w_tuple(args, out, True)
        if kwargs:
            out.append(b"k" + _varint(len(kwargs)))
            for name in sorted(kwargs):
                _w_str(name, out, True)
                _encode_into(kwargs[name], out, True)
    except RecursionError:
        raise UnsupportedValue(
            "cannot make a key from arguments nested this deeply (or that contain themselves)"
        ) from None
    return b"".join(out)
