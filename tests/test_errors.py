"""The exception hierarchy: every error is a DPError and the built-in users expect."""

from __future__ import annotations

import pytest

import dptoolkit as dp


@pytest.mark.parametrize(
    ("cls", "builtins"),
    [
        (dp.InvalidInput, (ValueError,)),
        (dp.InvalidType, (TypeError, ValueError)),
        (dp.OrderError, (ValueError,)),
        (dp.CycleError, (ValueError,)),
        (dp.NegativeCycleError, (ValueError,)),
        (dp.BudgetExceeded, (RuntimeError,)),
        (dp.StoreError, (OSError,)),
        (dp.UnsupportedValue, (TypeError, OSError)),
    ],
)
def test_hierarchy(cls: type[Exception], builtins: tuple[type[Exception], ...]) -> None:
    assert issubclass(cls, dp.DPError)
    for builtin in builtins:
        assert issubclass(cls, builtin)


def test_attributes_are_kept() -> None:
    err = dp.NegativeCycleError("negative cycle", cycle=["a", "b", "a"])
    assert err.cycle == ["a", "b", "a"]
    assert dp.CycleError("x").cycle is None
    assert dp.BudgetExceeded("x", max_calls=10).max_calls == 10
    order = dp.OrderError("x", state=(1, 2), needed=(1, 3))
    assert (order.state, order.needed) == ((1, 2), (1, 3))
