"""The shared argument checks: names, values and exception types in messages."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import dptoolkit as dp
from dptoolkit import _validate as v


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (
            lambda: v.check_int("capacity", -3),
            dp.InvalidInput,
            "capacity=-3 must be a non-negative integer",
        ),
        (lambda: v.check_int("n", 2.5), dp.InvalidType, "n=2.5 must be a non-negative integer"),
        (lambda: v.check_int("n", True), dp.InvalidType, "n=True"),
        (lambda: v.check_int("n", None), TypeError, "n=None"),
        (lambda: v.check_int("k", 0, minimum=1), ValueError, "k=0 must be a positive integer"),
        (lambda: v.check_int("k", 11, minimum=1, maximum=10), ValueError, "between 1 and 10"),
        (lambda: v.check_number("w", math.nan), dp.InvalidInput, "w=nan must be a number, not NaN"),
        (lambda: v.check_number("w", math.inf), dp.InvalidInput, "w=inf must be finite"),
        (lambda: v.check_number("w", "3"), TypeError, "w='3' must be a number"),
        (
            lambda: v.check_number("w", -1, allow_negative=False),
            ValueError,
            "w=-1 must be non-negative",
        ),
        (
            lambda: v.check_number("w", 1.5, allow_float=False),
            TypeError,
            "w=1.5 must be an integer",
        ),
        (
            lambda: v.check_numbers("weights", [1, -2], allow_negative=False),
            ValueError,
            "weights[1]=-2",
        ),
        (lambda: v.check_numbers("weights", "abc"), TypeError, "weights='abc'"),
        (lambda: v.check_sequence("a", None), TypeError, "a=None must be a sequence"),
        (lambda: v.check_sequence("a", {1, 2}), TypeError, "a={1, 2} must be a sequence"),
        (lambda: v.check_sequence("a", np.zeros((2, 2))), ValueError, "shape (2, 2)"),
        (lambda: v.check_choice("strategy", "greedy", ["naive"]), ValueError, "strategy='greedy'"),
        (lambda: v.check_choice("strategy", 3, ["naive"]), TypeError, "strategy=3"),
        (lambda: v.check_callable("key", 3), TypeError, "key=3 must be callable"),
    ],
)
def test_bad_values_name_the_argument(call, exc, message) -> None:
    with pytest.raises(exc) as info:
        call()
    assert isinstance(info.value, dp.DPError)
    assert message in str(info.value)


def test_good_values_pass_through() -> None:
    assert v.check_int("n", np.int64(7)) == 7
    assert type(v.check_int("n", np.int64(7))) is int
    assert v.check_number("w", np.float64(1.5)) == 1.5
    assert v.check_sequence("a", iter([1, 2])) == (1, 2)
    assert v.check_sequence("a", np.array([1, 2])) == [1, 2]
    assert v.check_numbers("v", (1, 2.5)) == [1, 2.5]
    assert v.check_choice("s", "naive", ["naive"]) == "naive"
    assert v.check_callable("key", len) is len
    assert v.check_callable("key", None) is None


def test_long_values_are_cut_in_messages() -> None:
    with pytest.raises(dp.InvalidType) as info:
        v.check_int("n", "x" * 10_000)
    assert len(str(info.value)) < 200


def test_exact_kinds_stay_exact_and_other_reals_become_float() -> None:
    from decimal import Decimal
    from fractions import Fraction

    import numpy as np

    from dptoolkit._validate import check_exact_number, check_number, check_numbers

    assert check_exact_number("x", Fraction(1, 3)) == Fraction(1, 3)
    assert type(check_exact_number("x", Decimal("0.1"))) is Decimal
    assert type(check_exact_number("x", np.int8(3))) is int
    assert type(check_exact_number("x", np.float16(0.5))) is float
    assert check_numbers("v", [1, Fraction(1, 2)]) == [1, Fraction(1, 2)]
    # options that need a float (timeouts, ttl) keep their old reading
    assert type(check_number("ttl", Fraction(1, 2))) is float


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([Fraction(1, 2), 0.5], "v[1]=0.5 is a float but v[0] is a Fraction"),
        ([Decimal("1"), Fraction(1, 2)], "v[1]=Fraction(1, 2) is a Fraction but v[0] is a Decimal"),
        ([0.5, 1, Decimal("2")], "v[2]=Decimal('2') is a Decimal but v[0] is a float"),
    ],
)
def test_number_kinds_that_would_round_together_are_refused(values, message) -> None:
    from dptoolkit._validate import check_numbers

    with pytest.raises(dp.InvalidType) as info:
        check_numbers("v", values)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("bottomup", "; did you mean 'bottom_up'?"),
        ("TOP-DOWN", "; did you mean 'top_down'?"),
        ("zzz", ""),
    ],
)
def test_check_choice_suggests_the_closest_choice(value, hint) -> None:
    from dptoolkit._validate import check_choice

    with pytest.raises(dp.InvalidInput) as info:
        check_choice("strategy", value, ["naive", "top_down", "bottom_up"])
    assert str(info.value) == (
        f"strategy={value!r} must be one of 'naive', 'top_down', 'bottom_up'{hint}"
    )
