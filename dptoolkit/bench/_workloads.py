"""Workloads shared by the benchmark suites, and the deep-stack runner their baselines need.

* :func:`random_strings`: two seeded random DNA strings;
* :func:`lcs_under`: the textbook LCS recursion under any memoizing decorator
  (``functools.cache``, ``dp.memoize``), so every suite times the same body;
* :func:`make_lcs`: the same body under ``@dp.recurrence``, as a user writes it;
* :func:`on_big_stack`: run a call on a thread with a 1 GiB stack and a raised
  recursion limit (what plain recursion needs to go deep), restoring both.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Callable
from typing import Any

import dptoolkit as dp

__all__ = ["grid_path", "lcs_under", "make_lcs", "on_big_stack", "random_strings"]


def random_strings(n: int, seed: int) -> tuple[str, str]:
    """Two random strings of *n* letters over ``ACGT``, the same for the same *seed*."""
    rng = random.Random(seed)
    return (
        "".join(rng.choice("ACGT") for _ in range(n)),
        "".join(rng.choice("ACGT") for _ in range(n)),
    )


def lcs_under(decorate: Callable[[Any], Any], a: str, b: str) -> Callable[[int, int], int]:
    """The LCS length of prefixes of *a* and *b* as plain recursion, memoized by *decorate*."""

    @decorate
    def lcs(i: int, j: int) -> int:
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return lcs(i - 1, j - 1) + 1  # type: ignore[no-any-return]
        return max(lcs(i - 1, j), lcs(i, j - 1))  # type: ignore[no-any-return]

    return lcs  # type: ignore[no-any-return]


def make_lcs(a: str, b: str) -> Any:
    """LCS length as a user writes it: one ``@dp.recurrence`` (the body of :func:`lcs_under`)."""
    return lcs_under(dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1)), a, b)


def on_big_stack(func: Callable[[], Any], limit: int) -> Any:
    """``func()`` on a thread with a 1 GiB stack and the recursion limit at *limit*.

    The limit is set inside the thread and restored there; an exception of
    *func* is raised again in the calling thread.
    """
    box: list[Any] = []

    def body() -> None:
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(limit)
        try:
            box.append(func())
        except BaseException as exc:  # reported in the calling thread
            box.append(exc)
        finally:
            sys.setrecursionlimit(old)

    old = threading.stack_size(1 << 30)
    try:
        thread = threading.Thread(target=body)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old)
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def grid_path(grid: list[list[int]]) -> Any:
    """Cheapest monotone path (right/down steps) from the top-left cell to (i, j), as a user writes it.

    The many-answers suite and tests share it: ties everywhere on 0/1 costs.
    """

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def cost(i: int, j: int) -> int:
        if i == 0 and j == 0:
            return grid[0][0]
        moves = []
        if i:
            moves.append((cost(i - 1, j) + grid[i][j], (i - 1, j)))
        if j:
            moves.append((cost(i, j - 1) + grid[i][j], (i, j - 1)))
        return dp.choose(moves, best=min)  # type: ignore[no-any-return]

    return cost
