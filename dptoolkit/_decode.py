"""Decoding stored values (:func:`decode`): builds plain data only, never runs code from the bytes.

The inverse of :func:`dptoolkit._codec.encode` (see that module for the
format). Imports :mod:`dptoolkit._wire`; imported by :mod:`dptoolkit._codec`,
which re-exports :func:`decode`.
"""

from __future__ import annotations

import struct
from typing import Any

from ._wire import (
    _DTYPE_RE,
    _MAX_DEPTH,
    _PLAIN_KINDS,
    FORMAT_VERSION,
    _codecs_by_tag,
    _unpack_d,
    _unpack_dd,
    _unpack_q,
)
from .errors import StoreError

__all__ = ["decode"]


class _Malformed(Exception):
    pass


def decode(data: bytes | bytearray | memoryview) -> Any:
    """Rebuild a value from :func:`encode`'s bytes, running no code from them.

    Raises
    ------
    StoreError
        The bytes are not a complete, well-formed encoding (truncated,
        tampered with, or written by an unknown format version), or name a
        codec tag this process has not registered.

    >>> decode(b"garbage")
    Traceback (most recent call last):
    ...
    dptoolkit.errors.StoreError: malformed stored value: unknown format version 103
    """
    buf = bytes(data)
    if not buf:
        raise StoreError("malformed stored value: empty")
    if buf[0] != FORMAT_VERSION:
        raise StoreError(f"malformed stored value: unknown format version {buf[0]}")
    try:
        value, pos = _decode_at(buf, 1, 0)
        if pos != len(buf):
            raise _Malformed(f"{len(buf) - pos} trailing bytes")
    except StoreError:
        raise
    except _Malformed as exc:
        raise StoreError(f"malformed stored value: {exc}") from None
    except (IndexError, ValueError, TypeError, OverflowError, struct.error, MemoryError) as exc:
        raise StoreError(f"malformed stored value: {type(exc).__name__}: {exc}") from None
    return value


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    byte = buf[pos]
    if byte < 0x80:
        return byte, pos + 1
    result = 0
    shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise _Malformed("varint too long")


def _read_bytes(buf: bytes, pos: int) -> tuple[bytes, int]:
    n, pos = _read_varint(buf, pos)
    end = pos + n
    if end > len(buf):
        raise _Malformed("truncated")
    return buf[pos:end], end


def _read_count(buf: bytes, pos: int) -> tuple[int, int]:
    n, pos = _read_varint(buf, pos)
    if n > len(buf) - pos:  # every item takes at least one byte
        raise _Malformed("count larger than the data")
    return n, pos


def _dtype(code: bytes) -> Any:
    text = code.decode("ascii")
    if _DTYPE_RE.fullmatch(text) is None:
        raise _Malformed(f"refused dtype {text!r}")
    import numpy as np

    dtype = np.dtype(text)
    if dtype.kind not in _PLAIN_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise _Malformed(f"refused dtype {text!r}")
    return dtype


def _decode_at(buf: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > _MAX_DEPTH:
        raise _Malformed("nested too deeply")
    tag = buf[pos]
    pos += 1
    if tag == 0x69:  # i
        if pos + 8 > len(buf):
            raise _Malformed("truncated int")
        return _unpack_q(buf, pos)[0], pos + 8
    if tag == 0x73:  # s
        raw, pos = _read_bytes(buf, pos)
        return raw.decode("utf-8", "surrogatepass"), pos
    if tag == 0x66:  # f
        if pos + 8 > len(buf):
            raise _Malformed("truncated float")
        return _unpack_d(buf, pos)[0], pos + 8
    if tag == 0x4E:  # N
        return None, pos
    if tag == 0x54:  # T
        return True, pos
    if tag == 0x46:  # F
        return False, pos
    if tag in (0x74, 0x6C, 0x53, 0x5A):  # t l S Z
        n, pos = _read_count(buf, pos)
        items = []
        for _ in range(n):
            item, pos = _decode_at(buf, pos, depth + 1)
            items.append(item)
        if tag == 0x74:
            return tuple(items), pos
        if tag == 0x6C:
            return items, pos
        return (set(items) if tag == 0x53 else frozenset(items)), pos
    if tag == 0x64:  # d
        n, pos = _read_count(buf, pos)
        result = {}
        for _ in range(n):
            key, pos = _decode_at(buf, pos, depth + 1)
            result[key], pos = _decode_at(buf, pos, depth + 1)
        return result, pos
    if tag == 0x49:  # I
        raw, pos = _read_bytes(buf, pos)
        return int.from_bytes(raw, "little", signed=True), pos
    if tag == 0x62:  # b
        return _read_bytes(buf, pos)
    if tag == 0x42:  # B
        raw, pos = _read_bytes(buf, pos)
        return bytearray(raw), pos
    if tag == 0x63:  # c
        if pos + 16 > len(buf):
            raise _Malformed("truncated complex")
        real, imag = _unpack_dd(buf, pos)
        return complex(real, imag), pos + 16
    if tag == 0x45:  # E
        return Ellipsis, pos
    if tag == 0x61:  # a
        return _decode_array(buf, pos)
    if tag == 0x67:  # g
        code, pos = _read_bytes(buf, pos)
        dtype = _dtype(code)
        raw, pos = _read_bytes(buf, pos)
        if len(raw) != dtype.itemsize:
            raise _Malformed("numpy scalar of the wrong size")
        import numpy as np

        return np.frombuffer(raw, dtype=dtype)[0], pos
    if tag == 0x78:  # x
        name, pos = _read_bytes(buf, pos)
        tag_name = name.decode("utf-8")
        payload, pos = _decode_at(buf, pos, depth + 1)
        codec = _codecs_by_tag.get(tag_name)
        if codec is None:
            raise StoreError(
                f"stored value needs the codec {tag_name!r}, which is not registered "
                "in this process (dp.register_codec)"
            )
        try:
            return codec[1](payload), pos
        except Exception as exc:
            raise StoreError(f"the codec {tag_name!r} failed to decode a stored value") from exc
    raise _Malformed(f"unknown tag {tag:#04x} at byte {pos - 1}")


def _decode_array(buf: bytes, pos: int) -> tuple[Any, int]:
    code, pos = _read_bytes(buf, pos)
    dtype = _dtype(code)
    ndim, pos = _read_varint(buf, pos)
    if ndim > 64:
        raise _Malformed("too many dimensions")
    shape = []
    count = 1
    for _ in range(ndim):
        n, pos = _read_varint(buf, pos)
        shape.append(n)
        count *= n
    raw, pos = _read_bytes(buf, pos)
    if count * dtype.itemsize != len(raw):
        raise _Malformed("array data does not match its shape")
    import numpy as np

    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return array, pos
