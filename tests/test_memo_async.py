"""``async def`` functions: shared computations, cancellation, errors, cycles.

Runs with the C hit path and with its pure-Python twin. Each test drives its
own event loop with ``asyncio.run`` and bounds every await with a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

import dptoolkit as dp

TIMEOUT = 10.0


@pytest.fixture(autouse=True)
def impl(memo_impl: str) -> str:
    """Every test here runs with the C hit path, then the pure-Python twin (see conftest)."""
    return memo_impl


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, TIMEOUT))


def test_async_functions_are_detected() -> None:
    @dp.memoize
    async def double(x: int) -> int:
        return 2 * x

    assert asyncio.iscoroutinefunction(double)
    assert run(double(4)) == 8
    assert double.__wrapped__.__name__ == "double"


def test_concurrent_awaits_share_one_computation() -> None:
    calls = []

    @dp.memoize
    async def fetch(x: int) -> object:
        calls.append(x)
        await asyncio.sleep(0.01)
        return object()

    async def main() -> list[object]:
        return await asyncio.gather(*(fetch(1) for _ in range(10)))

    values = run(main())
    assert calls == [1]
    assert all(v is values[0] for v in values)
    assert fetch.cache_info() == dp.CacheInfo(9, 1, None, 1)


def test_a_finished_entry_can_be_awaited_again_and_again() -> None:
    calls = []

    @dp.memoize
    async def fetch(x: int) -> int:
        calls.append(x)
        return x * 10

    async def main() -> list[int]:
        first = await fetch(3)
        again = [await fetch(3) for _ in range(5)]
        held = fetch(3)  # one awaitable, awaited twice
        return [first, *again, await held, await held]

    assert run(main()) == [30] * 8
    assert calls == [3]
    assert fetch.cache_info() == dp.CacheInfo(6, 1, None, 1)


def test_hits_work_with_gather_and_wait_in_a_later_event_loop() -> None:
    @dp.memoize
    async def fetch(x: int) -> int:
        return x + 1

    assert run(fetch(1)) == 2  # the entry is made in one loop...

    async def main() -> tuple[list[int], int]:  # ...and read in another
        gathered = await asyncio.gather(fetch(1), fetch(2), fetch(1))
        done, _ = await asyncio.wait([asyncio.ensure_future(fetch(1))])
        return gathered, done.pop().result()

    assert run(main()) == ([2, 3, 2], 2)


def test_hits_go_wherever_a_coroutine_goes() -> None:
    calls = []

    @dp.memoize
    async def fetch(x: int) -> int:
        calls.append(x)
        return x + 1

    @dp.memoize(cache_errors=True)  # a hit on the Python path
    async def fails(x: int) -> int:
        calls.append(-x)
        raise KeyError(x)

    async def main() -> list[Any]:
        out = []
        for _ in range(2):  # a miss, then hits: the same code works for both
            out.append(await asyncio.create_task(fetch(1)))
            done, _ = await asyncio.wait([asyncio.ensure_future(fetch(1))])
            out.append(done.pop().result())
            with pytest.raises(KeyError):
                await asyncio.create_task(fails(2))
        return out

    assert run(main()) == [2, 2, 2, 2]
    assert asyncio.run(fetch(1)) == 2  # asyncio.run takes a hit too
    assert calls == [1, -2]


def test_cancelling_the_first_awaiter_does_not_poison_the_others() -> None:
    calls = []

    @dp.memoize
    async def slow(x: int) -> str:
        calls.append(x)
        await asyncio.sleep(0.05)
        return f"done {x}"

    async def main() -> tuple[bool, list[str]]:
        first = asyncio.ensure_future(slow(1))
        await asyncio.sleep(0)  # the computation starts under the first awaiter
        others = [asyncio.ensure_future(slow(1)) for _ in range(3)]
        await asyncio.sleep(0.01)
        first.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await first
        return first.cancelled(), await asyncio.gather(*others)

    cancelled, results = run(main())
    assert cancelled
    assert results == ["done 1"] * 3
    assert calls == [1]


def test_a_computation_whose_awaiters_all_left_still_fills_the_cache() -> None:
    calls = []

    @dp.memoize
    async def slow(x: int) -> int:
        calls.append(x)
        await asyncio.sleep(0.02)
        return x

    async def main() -> int:
        task = asyncio.ensure_future(slow(5))
        await asyncio.sleep(0.005)
        task.cancel()
        await asyncio.sleep(0.05)
        return await slow(5)

    assert run(main()) == 5
    assert calls == [5]


def test_exceptions_reach_every_awaiter_and_are_not_cached() -> None:
    calls = []

    @dp.memoize
    async def fails(x: int) -> int:
        calls.append(x)
        await asyncio.sleep(0.01)
        raise ValueError(f"failed {len(calls)}")

    async def main() -> list[Any]:
        return await asyncio.gather(*(fails(1) for _ in range(3)), return_exceptions=True)

    errors = run(main())
    assert all(isinstance(e, ValueError) and e is errors[0] for e in errors)
    assert calls == [1]
    assert fails.cache_info()[:2] == (2, 1)  # two awaiters joined, as threads do
    with pytest.raises(ValueError, match="failed 2"):
        run(fails(1))


def test_cache_errors_caches_an_async_exception() -> None:
    calls = []

    @dp.memoize(cache_errors=True)
    async def fails(x: int) -> int:
        calls.append(x)
        raise KeyError(x)

    async def main() -> list[BaseException]:
        caught = []
        for _ in range(3):
            try:
                await fails(7)
            except KeyError as exc:
                caught.append(exc)
        return caught

    caught = run(main())
    assert len(caught) == 3 and all(e is caught[0] for e in caught)
    assert calls == [7]


def test_an_async_cycle_raises_instead_of_hanging() -> None:
    @dp.memoize
    async def ring(x: int) -> int:
        await asyncio.sleep(0)
        return await ring((x + 1) % 3)

    with pytest.raises(dp.CycleError, match=r"ring\(0\)"):
        run(ring(0))


def test_async_options_keys_and_ttl() -> None:
    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    calls = []

    @dp.memoize(ttl=5, timer=clock)
    async def total(values: list[int], *, scale: int = 1) -> int:
        calls.append(list(values))
        return sum(values) * scale

    async def main() -> list[int]:
        out = [await total([1, 2]), await total([1, 2]), await total([1, 2], scale=2)]
        clock.now = 6.0
        out.append(await total([1, 2]))
        return out

    assert run(main()) == [3, 3, 6, 3]
    assert calls == [[1, 2], [1, 2], [1, 2]]


def test_async_methods_cache_per_instance() -> None:
    class Service:
        def __init__(self, base: int) -> None:
            self.base = base
            self.calls = 0

        @dp.memoize
        async def get(self, x: int) -> int:
            self.calls += 1
            await asyncio.sleep(0)
            return self.base + x

    a, b = Service(100), Service(200)

    async def main() -> list[int]:
        return [await a.get(1), await a.get(1), await b.get(1)]

    assert run(main()) == [101, 101, 201]
    assert (a.calls, b.calls) == (1, 1)
    assert Service.get.cache_info().misses == 2


def test_deep_async_recursion_runs_each_level_in_its_own_task() -> None:
    @dp.memoize
    async def down(n: int) -> int:
        return 0 if n == 0 else await down(n - 1) + 1

    # awaiting plain coroutines this deep would raise RecursionError
    assert run(down(5000)) == 5000
    assert down.cache_info() == dp.CacheInfo(0, 5001, None, 5001)
