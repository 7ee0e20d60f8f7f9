"""The entries of one cache: a dict, an LRU ``OrderedDict``, entries that expire.

Imports :mod:`._state` and :mod:`._options`; used by the miss paths.
"""

from __future__ import annotations

import collections
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from .._validate import check_clock
from ._options import Options
from ._state import MISSING

__all__ = ["Table"]


class Table:
    """The entries of one cache, for the options that need more than a dict.

    ``data`` maps a key to the value, or to ``(value, expires)`` with a
    ``ttl``; it is an ``OrderedDict`` in least-recently-used order when
    ``maxsize`` is set. Expired entries are dropped when they are looked up,
    and all of them whenever a new entry is stored (a queue in insertion
    order, which is expiry order, makes that cheap).
    """

    __slots__ = ("data", "maxsize", "move", "queue", "timer", "ttl")

    def __init__(self, opts: Options) -> None:
        self.maxsize = opts.maxsize
        self.ttl = opts.ttl
        self.timer = opts.timer if opts.ttl is None else check_clock("timer", opts.timer)
        self.data: dict[Hashable, Any] = OrderedDict() if opts.maxsize is not None else {}
        self.move = getattr(self.data, "move_to_end", None)
        self.queue: collections.deque[tuple[float, Hashable]] = collections.deque()

    def get(self, key: Hashable) -> Any:
        """The live entry for *key* (refreshing its LRU position), or ``MISSING``."""
        data = self.data
        entry = data.get(key, MISSING)
        if entry is MISSING:
            return MISSING
        if self.ttl is not None:
            if self.timer() >= entry[1]:
                if data.get(key) is entry:
                    data.pop(key, None)
                return MISSING
            entry = entry[0]
        if self.move is not None:
            try:  # noqa: SIM105 (suppress() costs a context manager per hit)
                self.move(key)
            except KeyError:
                pass
        return entry

    def put(self, key: Hashable, entry: Any) -> None:
        """Store *entry*: drop expired entries, then the least recently used ones."""
        maxsize, data = self.maxsize, self.data
        if maxsize == 0:
            return
        if self.ttl is not None:
            now = self.timer()
            queue = self.queue
            while queue and queue[0][0] <= now:
                expires, old = queue.popleft()
                current = data.get(old)
                if current is not None and current[1] == expires:
                    data.pop(old, None)
            expires = now + self.ttl
            entry = (entry, expires)
            queue.append((expires, key))
        data[key] = entry
        if maxsize is not None:
            if self.move is not None:
                try:  # noqa: SIM105 (as above)
                    self.move(key)
                except KeyError:
                    pass
            while len(data) > maxsize:
                try:
                    data.popitem(last=False)  # type: ignore[call-arg]
                except KeyError:
                    break

    def live(self) -> int:
        """The number of entries that have not expired."""
        if self.ttl is None:
            return len(self.data)
        now = self.timer()
        return sum(1 for entry in list(self.data.values()) if now < entry[1])

    def pop(self, key: Hashable) -> bool:
        """Remove *key*; True if it held a live entry."""
        entry = self.data.pop(key, MISSING)
        if entry is MISSING:
            return False
        return self.ttl is None or self.timer() < entry[1]

    def clear(self) -> None:
        self.data.clear()
        self.queue.clear()
