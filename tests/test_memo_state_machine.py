"""A model-based test of @memoize's LRU and TTL behaviour.

A hypothesis ``RuleBasedStateMachine`` drives a memoized function with calls,
clock advances, ``cache_clear`` and ``cache_evict``, and checks every step
against a small reference model written from the documented rules:

* a call finds a live entry (a hit, which makes it the most recently used)
  or computes the value (a miss); an expired entry found by a call is dropped;
* storing a new entry first drops every expired entry, then the least
  recently used ones beyond ``maxsize`` (``maxsize=0`` stores nothing);
* ``cache_evict`` removes an entry and says whether it was live;
* ``cache_info().currsize`` counts live entries.

It runs for every combination of ``maxsize`` and ``ttl`` below, with the C hit
path and with its pure-Python twin.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

import dptoolkit as dp
from dptoolkit import _fastpath

KEYS = st.integers(0, 5)


class Model:
    """The documented cache rules, written plainly."""

    def __init__(self, maxsize: int | None, ttl: float | None) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self.entries: OrderedDict[int, tuple[object, float]] = OrderedDict()  # LRU order
        self.hits = 0
        self.misses = 0

    def live(self, key: int, now: float) -> bool:
        return self.ttl is None or now < self.entries[key][1]

    def call(self, key: int, now: float, compute: Any) -> object:
        if key in self.entries:
            if self.live(key, now):
                self.hits += 1
                self.entries.move_to_end(key)
                return self.entries[key][0]
            del self.entries[key]
        self.misses += 1
        value = compute()
        if self.maxsize != 0:
            for old in [k for k in self.entries if not self.live(k, now)]:
                del self.entries[old]
            expires = now + self.ttl if self.ttl is not None else 0.0
            self.entries[key] = (value, expires)
            while self.maxsize is not None and len(self.entries) > self.maxsize:
                self.entries.popitem(last=False)
        return value

    def evict(self, key: int, now: float) -> bool:
        if key not in self.entries:
            return False
        live = self.live(key, now)
        del self.entries[key]
        return live

    def currsize(self, now: float) -> int:
        return sum(1 for key in self.entries if self.live(key, now))


class MemoMachine(RuleBasedStateMachine):
    maxsize: int | None = None
    ttl: float | None = None

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.model = Model(self.maxsize, self.ttl)
        self.computed: list[tuple[int, int]] = []

        def compute(key: int) -> tuple[int, int]:
            value = (key, len(self.computed))  # a fresh value per computation
            self.computed.append(value)
            return value

        self.memo = dp.memoize(maxsize=self.maxsize, ttl=self.ttl, timer=lambda: self.now)(compute)

    @initialize()
    def start(self) -> None:
        assert self.memo.cache_info() == dp.CacheInfo(0, 0, self.maxsize, 0)

    @rule(key=KEYS)
    def call(self, key: int) -> None:
        computed, misses = len(self.computed), self.model.misses
        got = self.memo(key)
        # the model computes when the memo should have; it then keeps what the memo got
        expected = self.model.call(key, self.now, lambda: self.computed[-1])
        assert len(self.computed) - computed == self.model.misses - misses
        assert got is expected

    @rule(seconds=st.sampled_from([0.0, 0.5, 1.0, 2.5]))
    def advance(self, seconds: float) -> None:
        self.now += seconds

    @rule()
    def clear(self) -> None:
        self.memo.cache_clear()
        self.model = Model(self.maxsize, self.ttl)

    @rule(key=KEYS)
    def evict(self, key: int) -> None:
        assert self.memo.cache_evict(key) == self.model.evict(key, self.now)

    @invariant()
    def statistics_match(self) -> None:
        assert self.memo.cache_info() == dp.CacheInfo(
            self.model.hits, self.model.misses, self.maxsize, self.model.currsize(self.now)
        )


@pytest.mark.parametrize("implementation", ["c", "python"])
@pytest.mark.parametrize(
    ("maxsize", "ttl"),
    [(None, None), (0, None), (1, None), (3, None), (None, 2.0), (2, 2.0), (4, 1.0)],
)
def test_lru_and_ttl_against_the_model(
    implementation: str, maxsize: int | None, ttl: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if implementation == "c":
        if _fastpath.CFastWrapper is None:
            pytest.skip("the C extension dptoolkit._cmemo is not built")
        monkeypatch.setattr(_fastpath, "FastWrapper", _fastpath.CFastWrapper)
    else:
        monkeypatch.setattr(_fastpath, "FastWrapper", _fastpath.PyFastWrapper)
    machine = type("Machine", (MemoMachine,), {"maxsize": maxsize, "ttl": ttl})
    run_state_machine_as_test(
        machine, settings=settings(max_examples=25, stateful_step_count=30, deadline=None)
    )
