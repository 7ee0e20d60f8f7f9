"""Misusing ``@dp.recurrence`` gets a named DPError, never a raw exception (issue 15).

Decoration checks what it can (``states=`` that is neither a function nor a
re-iterable space, generator and async bodies, keyword-only parameters); the
first solve checks the rest (a ``states`` function that cannot take the goal,
unhashable states, states in the wrong order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import dptoolkit as dp


def _ident(n: int) -> int:
    return n


@pytest.mark.parametrize("states", [5, 2.5, True, object()], ids=repr)
def test_states_neither_callable_nor_iterable_is_refused_at_decoration(states: Any) -> None:
    with pytest.raises(dp.InvalidType, match=r"states=.* must be a function of the goal") as info:
        dp.recurrence(states=states)(lambda n: n)
    assert isinstance(info.value, TypeError) and isinstance(info.value, dp.DPError)


def test_states_5_names_the_argument_and_its_value() -> None:
    with pytest.raises(dp.InvalidType, match=r"^states=5 must be"):
        dp.recurrence(states=5)(lambda n: n)


def test_a_one_shot_iterator_is_refused() -> None:
    with pytest.raises(dp.InvalidType, match="one-shot iterator"):
        dp.recurrence(states=iter(range(3)))(_ident)


def _gen(n: int) -> Any:
    yield n


async def _coro(n: int) -> int:
    return n


async def _agen(n: int) -> Any:
    yield n


def _kwonly(n: int, *, k: int = 1) -> int:
    return n


def _varkw(n: int, **kw: Any) -> int:
    return n


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (_gen, "generator function"),
        (_agen, "generator function"),
        (_coro, "async function"),
        (_kwonly, "positional parameters only"),
        (_varkw, "positional parameters only"),
    ],
    ids=["generator", "async generator", "coroutine", "keyword-only", "**kwargs"],
)
def test_bodies_that_cannot_be_a_recurrence_are_refused_at_decoration(
    body: Callable[..., Any], needle: str
) -> None:
    with pytest.raises(dp.InvalidType, match=needle) as info:
        dp.recurrence(states=lambda n: range(n + 1))(body)
    assert body.__name__ in str(info.value)


@pytest.mark.parametrize("strategy", ["naive", "top_down", "bottom_up"])
def test_a_states_function_that_cannot_take_the_goal_is_named(strategy: str) -> None:
    rec = dp.recurrence(states=lambda: range(3))(_ident)
    with pytest.raises(dp.InvalidType, match=r"states=.*failed for the goal _ident\(2\)"):
        rec.solve(2, strategy=strategy)


def test_a_states_function_raising_value_error_is_invalid_input() -> None:
    def states(n: int) -> range:
        raise ValueError(f"n={n} too big")

    rec = dp.recurrence(states=states)(_ident)
    with pytest.raises(dp.InvalidInput, match=r"states=.*states failed .*n=2 too big"):
        rec.solve(2, strategy="bottom_up")


def test_a_states_function_raising_a_dp_error_passes_it_unchanged() -> None:
    rec = dp.recurrence(states=lambda n: dp.grid(n))(_ident)
    with pytest.raises(dp.InvalidInput) as info:
        rec.solve(-1, strategy="bottom_up")
    assert "failed for the goal" not in str(info.value)


@pytest.mark.parametrize("window", [None, 2])
def test_unhashable_states_are_named(window: int | None) -> None:
    rec = dp.recurrence(states=lambda n: [[0], [1]])(lambda n: 0)
    with pytest.raises(dp.InvalidType, match=r"states yielded \[0\].*not hashable"):
        rec.solve(1, strategy="bottom_up", window=window)


def test_states_in_the_wrong_order_name_both_states() -> None:
    @dp.recurrence(states=lambda n: range(n, -1, -1))
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)  # type: ignore[no-any-return]

    with pytest.raises(dp.OrderError, match=r"computing fib\(5\) read fib\(4\)") as info:
        fib.solve(5, strategy="bottom_up")
    assert (info.value.state, info.value.needed) == (5, 4)
    assert isinstance(info.value, ValueError)


def test_a_states_function_returning_a_non_iterable_is_named() -> None:
    rec = dp.recurrence(states=lambda n: 5)(_ident)
    with pytest.raises(dp.InvalidType, match=r"states\(2,\) returned 5"):
        rec.solve(2, strategy="bottom_up")


def test_a_method_decorated_as_a_recurrence_is_told_why() -> None:
    class Shop:
        @dp.recurrence
        def best(self, n: int) -> int:
            return n

    with pytest.raises(dp.InvalidType, match=r"takes self as a state.*not a method"):
        Shop().best(3)  # type: ignore[call-arg]
