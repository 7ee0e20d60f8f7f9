"""Bad input to the catalog solvers, gathered in one parametrized table.

Every case is a call that must fail fast with a :class:`dptoolkit.DPError`
subclass that is also the built-in a user would catch (``ValueError``,
``TypeError``, or ``RuntimeError`` for a refused naive run), and whose message
names the argument and its value. Add a case as
``pytest.param(call, exception, fragment_of_the_message, id=...)``.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any

import pytest

import dptoolkit as dp


def solver(module: str, func: str = "solve") -> Callable[..., Any]:
    """``dptoolkit.problems.<module>.<func>``, imported when the case runs."""

    def call(*args: Any, **kwargs: Any) -> Any:
        target = getattr(importlib.import_module(f"dptoolkit.problems.{module}"), func)
        return target(*args, **kwargs)

    return call


fibonacci = solver("fibonacci")
catalan = solver("catalan")
factorial = solver("factorial")
knapsack = solver("knapsack")
coin_change = solver("coin_change")
rod_cutting = solver("rod_cutting")
subset_sum = solver("subset_sum")
lis = solver("lis")

NAN = math.nan

CASES: list[Any] = [
    # --- numbers: fibonacci, catalan, factorial ---------------------------------
    pytest.param(
        lambda: fibonacci(-1), ValueError, "n=-1 must be a non-negative integer", id="fib-negative"
    ),
    pytest.param(lambda: fibonacci(2.5), TypeError, "n=2.5", id="fib-float"),
    pytest.param(lambda: fibonacci(True), TypeError, "n=True", id="fib-bool"),
    pytest.param(lambda: fibonacci(None), TypeError, "n=None", id="fib-none"),
    pytest.param(lambda: fibonacci("7"), TypeError, "n='7'", id="fib-str"),
    pytest.param(
        lambda: fibonacci(5, strategy="greedy"), ValueError, "strategy='greedy'", id="fib-strategy"
    ),
    pytest.param(
        lambda: fibonacci(5, strategy=None), TypeError, "strategy=None", id="fib-strategy-none"
    ),
    pytest.param(
        lambda: fibonacci(60, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="fib-naive-too-big",
    ),
    pytest.param(lambda: catalan(-2), ValueError, "n=-2", id="catalan-negative"),
    pytest.param(lambda: catalan(3.0), TypeError, "n=3.0", id="catalan-float"),
    pytest.param(lambda: catalan(False), TypeError, "n=False", id="catalan-bool"),
    pytest.param(
        lambda: catalan(30, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="catalan-naive-too-big",
    ),
    pytest.param(lambda: factorial(-5), ValueError, "n=-5", id="factorial-negative"),
    pytest.param(lambda: factorial(NAN), TypeError, "n=nan", id="factorial-nan"),
    pytest.param(
        lambda: factorial(4, strategy="FAST"),
        ValueError,
        "strategy='FAST'",
        id="factorial-strategy-case",
    ),
    # --- knapsack ---------------------------------------------------------------
    pytest.param(
        lambda: knapsack([1, 2], [3], 5), ValueError, "values", id="knapsack-length-mismatch"
    ),
    pytest.param(
        lambda: knapsack([1, 2.5], [3, 4], 5),
        TypeError,
        "weights[1]=2.5",
        id="knapsack-float-weight",
    ),
    pytest.param(
        lambda: knapsack([1, -2], [3, 4], 5),
        ValueError,
        "weights[1]=-2",
        id="knapsack-negative-weight",
    ),
    pytest.param(
        lambda: knapsack([1, 2], [3, NAN], 5), ValueError, "values[1]=nan", id="knapsack-nan-value"
    ),
    pytest.param(
        lambda: knapsack([1, 2], [3, -1], 5),
        ValueError,
        "values[1]=-1",
        id="knapsack-negative-value",
    ),
    pytest.param(
        lambda: knapsack(None, [3], 5), TypeError, "weights=None", id="knapsack-none-weights"
    ),
    pytest.param(
        lambda: knapsack([1], None, 5), TypeError, "values=None", id="knapsack-none-values"
    ),
    pytest.param(
        lambda: knapsack([1], [3], -3),
        ValueError,
        "capacity=-3 must be a non-negative integer",
        id="knapsack-negative-capacity",
    ),
    pytest.param(
        lambda: knapsack([1], [3], 5.0), TypeError, "capacity=5.0", id="knapsack-float-capacity"
    ),
    pytest.param(
        lambda: knapsack([1], [3], True), TypeError, "capacity=True", id="knapsack-bool-capacity"
    ),
    pytest.param(
        lambda: knapsack([True], [3], 5), TypeError, "weights[0]=True", id="knapsack-bool-weight"
    ),
    pytest.param(
        lambda: knapsack([0, 2], [3, 1], 5, unbounded=True),
        ValueError,
        "weights[0]=0",
        id="knapsack-unbounded-zero-weight",
    ),
    pytest.param(
        lambda: knapsack([1], [1], 5, unbounded="yes"),
        TypeError,
        "unbounded='yes'",
        id="knapsack-unbounded-not-bool",
    ),
    pytest.param(
        lambda: knapsack([1], [1], 5, strategy="greedy"),
        ValueError,
        "strategy='greedy'",
        id="knapsack-strategy",
    ),
    pytest.param(
        lambda: knapsack(list(range(1, 31)), [1] * 30, 10**6, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="knapsack-naive-too-big",
    ),
    # --- coin change --------------------------------------------------------------
    pytest.param(lambda: coin_change([1, 0], 5), ValueError, "coins[1]=0", id="coins-zero"),
    pytest.param(lambda: coin_change([1, -5], 5), ValueError, "coins[1]=-5", id="coins-negative"),
    pytest.param(lambda: coin_change([1, 2.0], 5), TypeError, "coins[1]=2.0", id="coins-float"),
    pytest.param(lambda: coin_change(None, 5), TypeError, "coins=None", id="coins-none"),
    pytest.param(lambda: coin_change({1, 2}, 5), TypeError, "coins={1, 2}", id="coins-set"),
    pytest.param(
        lambda: coin_change([1, 2], -1), ValueError, "amount=-1", id="coins-negative-amount"
    ),
    pytest.param(
        lambda: coin_change([1, 2], 3, strategy="fastest"),
        ValueError,
        "strategy='fastest'",
        id="coins-strategy",
    ),
    pytest.param(
        lambda: coin_change([1, 2], 200, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="coins-naive-too-big",
    ),
    # --- rod cutting ----------------------------------------------------------------
    pytest.param(lambda: rod_cutting([1, NAN], 2), ValueError, "prices[1]=nan", id="rod-nan-price"),
    pytest.param(
        lambda: rod_cutting([1, -2], 2), ValueError, "prices[1]=-2", id="rod-negative-price"
    ),
    pytest.param(lambda: rod_cutting("15", 2), TypeError, "prices='15'", id="rod-str-prices"),
    pytest.param(lambda: rod_cutting([], 2), ValueError, "prices=[]", id="rod-empty-prices"),
    pytest.param(lambda: rod_cutting([1, 5], -4), ValueError, "n=-4", id="rod-negative-n"),
    pytest.param(
        lambda: rod_cutting([1, 5], 2, strategy="fast"),
        ValueError,
        "strategy='fast'",
        id="rod-no-fast",
    ),
    pytest.param(
        lambda: rod_cutting([1] * 40, 40, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="rod-naive-too-big",
    ),
    # --- subset sum -------------------------------------------------------------------
    pytest.param(lambda: subset_sum([3, -1], 2), ValueError, "numbers[1]=-1", id="subset-negative"),
    pytest.param(lambda: subset_sum([3, 1.5], 2), TypeError, "numbers[1]=1.5", id="subset-float"),
    pytest.param(lambda: subset_sum(None, 2), TypeError, "numbers=None", id="subset-none"),
    pytest.param(lambda: subset_sum([3], -2), ValueError, "target=-2", id="subset-negative-target"),
    pytest.param(lambda: subset_sum([3], None), TypeError, "target=None", id="subset-none-target"),
    pytest.param(
        lambda: subset_sum(list(range(1, 41)), 400, strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="subset-naive-too-big",
    ),
    # --- longest increasing subsequence -----------------------------------------------
    pytest.param(lambda: lis(None), TypeError, "seq=None", id="lis-none"),
    pytest.param(lambda: lis([1, NAN, 2]), ValueError, "seq[1]=nan", id="lis-nan"),
    pytest.param(lambda: lis(42), TypeError, "seq=42", id="lis-int"),
    pytest.param(lambda: lis([1, 2], strategy=3), TypeError, "strategy=3", id="lis-strategy-int"),
    pytest.param(
        lambda: lis(list(range(40)), strategy="naive"),
        dp.BudgetExceeded,
        "strategy='naive'",
        id="lis-naive-too-big",
    ),
    # --- part B: graph and string problems (edit_distance, lcs, matrix_chain, graph_paths) ---
    # Add cases below this line.
    # --- end of part B ---
]


@pytest.mark.parametrize(("call", "exc", "fragment"), CASES)
def test_bad_input_fails_fast_with_a_named_argument(
    call: Callable[[], Any], exc: type[BaseException], fragment: str
) -> None:
    with pytest.raises(exc) as info:
        call()
    assert isinstance(info.value, dp.DPError)
    assert isinstance(info.value, (ValueError, TypeError, RuntimeError))
    assert fragment in str(info.value)
