"""The stored-value format's shared parts: the version, number layouts, limits, codec tables.

Both directions of the format read these: :mod:`dptoolkit._codec` (encoding,
and :func:`~dptoolkit._codec.register_codec`, which fills the tables) and
:mod:`dptoolkit._decode`. Imports nothing of dptoolkit.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from typing import Any

FORMAT_VERSION = 1
_VERSION_BYTE = bytes([FORMAT_VERSION])

_Q = struct.Struct("<q")
_D = struct.Struct("<d")
_DD = struct.Struct("<dd")
_pack_q = _Q.pack
_pack_d = _D.pack
_unpack_q = _Q.unpack_from
_unpack_d = _D.unpack_from
_unpack_dd = _DD.unpack_from

_INT_MIN = -(2**63)
_INT_MAX = 2**63 - 1

# a dtype string numpy prints in ``dtype.str``: byte order, kind, item size,
# and a unit for datetimes; parsed by this pattern before numpy ever sees it
_DTYPE_RE = re.compile(r"[<>|=][biufcSUMm][0-9]{1,6}(\[[0-9]{0,6}[A-Za-z]{1,3}\])?")
_PLAIN_KINDS = frozenset("biufcSUMm")

_MAX_DEPTH = 500


def _varint(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


# registered codecs: type -> (tag, encode) for writing, tag -> (type, decode) for reading
_codecs_by_type: dict[type, tuple[str, Callable[[Any], Any]]] = {}
_codecs_by_tag: dict[str, tuple[type, Callable[[Any], Any]]] = {}
