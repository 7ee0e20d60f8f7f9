"""State spaces: order, length, membership and shape, checked against plain enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dptoolkit as dp
from dptoolkit.spaces import MAX_SUBSET_ITEMS


@settings(max_examples=40)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=3))
def test_grid_is_the_row_major_product(dims) -> None:
    space = dp.grid(*dims)
    expected = list(itertools.product(*(range(d) for d in dims)))
    if len(dims) == 1:
        expected = [s[0] for s in expected]
    assert list(space) == expected
    assert len(space) == len(expected)
    assert all(s in space for s in expected)
    assert space.shape == tuple(dims)
    outside = tuple(d for d in dims)  # one past the end on every axis
    assert (outside if len(dims) > 1 else outside[0]) not in space


def test_grid_membership_rejects_wrong_types_and_arity() -> None:
    g = dp.grid(3, 4)
    assert (2, 3) in g
    assert (2.0, 3) not in g and (True, 1) not in g and ("a", 1) not in g
    assert (1,) not in g and (1, 1, 1) not in g and 1 not in g
    assert 2 in dp.grid(3) and (2,) in dp.grid(3) and 3 not in dp.grid(3)


def test_grid_with_range_axes_runs_backwards_and_has_a_box() -> None:
    g = dp.grid(range(2, -1, -1), range(1, 3))
    assert list(g) == [(2, 1), (2, 2), (1, 1), (1, 2), (0, 1), (0, 2)]
    assert g.shape == (3, 3)
    assert (0, 0) not in g and (0, 2) in g
    assert dp.grid(range(-2, 2)).shape is None  # negative coordinates: no box
    assert repr(g) == "grid(range(2, -1, -1), range(1, 3))"


def test_intervals_by_length() -> None:
    for n in range(6):
        space = dp.intervals(n)
        pairs = list(space)
        assert sorted(pairs) == sorted((i, j) for i in range(n) for j in range(i, n))
        lengths = [j - i for i, j in pairs]
        assert lengths == sorted(lengths)
        assert len(space) == len(pairs) == n * (n + 1) // 2
        assert space.shape == (n, n)
    assert (1, 0) not in dp.intervals(3) and (0, 3) not in dp.intervals(3)
    assert (0, 2) in dp.intervals(3)


def test_subsets_by_popcount_then_value() -> None:
    for n in range(7):
        masks = list(dp.subsets(n))
        assert sorted(masks) == list(range(1 << n))
        assert masks == sorted(masks, key=lambda m: (bin(m).count("1"), m))
        assert len(dp.subsets(n)) == 1 << n
    s = dp.subsets(3)
    assert 7 in s and 8 not in s and -1 not in s and (5,) in s and True not in s


def test_grid_of_subsets_for_bitmask_states() -> None:
    g = dp.grid(dp.subsets(2), 3)
    assert list(g)[:3] == [(0, 0), (0, 1), (0, 2)]
    assert [m for m, _ in g][::3] == [0, 1, 2, 3]
    assert g.shape == (4, 3) and (3, 2) in g and (4, 0) not in g


def test_spaces_compare_by_value() -> None:
    assert dp.grid(2, 3) == dp.grid(2, 3) != dp.grid(3, 2)
    assert dp.intervals(4) == dp.intervals(4) and dp.subsets(2) == dp.subsets(2)
    assert len({dp.grid(2, 3), dp.grid(2, 3), dp.intervals(2)}) == 2


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda: dp.grid(), dp.InvalidInput, "dims=()"),
        (lambda: dp.grid(3, -1), dp.InvalidInput, "dims[1]=-1"),
        (lambda: dp.grid(2.5), dp.InvalidType, "dims[0]=2.5"),
        (lambda: dp.grid("ab"), dp.InvalidType, "dims[0]='ab'"),
        (lambda: dp.intervals(-2), dp.InvalidInput, "n=-2"),
        (lambda: dp.subsets(MAX_SUBSET_ITEMS + 1), dp.InvalidInput, f"n={MAX_SUBSET_ITEMS + 1}"),
        (lambda: dp.subsets(None), dp.InvalidType, "n=None"),
    ],
)
def test_bad_spaces_name_the_argument(call, exc, message) -> None:
    with pytest.raises(exc) as info:
        call()
    assert message in str(info.value)


def test_every_space_gives_a_valid_bottom_up_order() -> None:
    @dp.recurrence(states=lambda i, j: dp.intervals(j + 1))
    def cost(i, j):  # a matrix-chain-like interval recurrence
        if i == j:
            return 0
        return min(cost(i, k) + cost(k + 1, j) + (j - i) for k in range(i, j))

    assert cost.solve(0, 6, strategy="bottom_up").value == cost.solve(0, 6).value


def test_size_is_exact_past_what_len_can_return() -> None:
    axis = range(3, 10**20, 7)
    huge = dp.grid(10**15, axis)
    assert huge.size == 10**15 * ((10**20 - 3 + 6) // 7)  # ceil((stop - start) / step) per row
    assert huge.shape == (10**15, axis[-1] + 1)
    with pytest.raises(OverflowError):
        len(huge)  # like len(range(10**30)): Python's own limit
    assert dp.intervals(10**10).size == 10**10 * (10**10 + 1) // 2
    for space in (dp.grid(3, range(5, -1, -2)), dp.intervals(6), dp.subsets(4), dp.grid(0, 3)):
        assert space.size == len(space) == len(list(space))


# -- the inline membership test the top_down engine compiles --------------------------

axis_strategy = st.one_of(
    st.integers(0, 5),
    st.builds(
        range,
        st.integers(-3, 6),
        st.integers(-3, 9),
        st.sampled_from([1, -1, 2, -3]),
    ),
    st.builds(dp.subsets, st.integers(0, 3)),
)
space_strategy = st.one_of(
    st.lists(axis_strategy, min_size=1, max_size=3).map(lambda dims: dp.grid(*dims)),
    st.builds(dp.intervals, st.integers(0, 6)),
    st.builds(dp.subsets, st.integers(0, 3)),
    st.builds(range, st.integers(-3, 6), st.integers(-3, 9), st.sampled_from([1, -1, 2, -3])),
)


@settings(max_examples=150)
@given(space_strategy, st.data())
def test_the_state_guard_agrees_with_membership_for_exact_ints(space, data) -> None:
    from dptoolkit.spaces import _state_guard

    ndim = 1 if isinstance(space, range) else space.ndim
    names = [f"p{k}" for k in range(ndim)]
    found = _state_guard(space, names)
    assert found is not None
    test, constants = found
    code = compile(test, "<guard>", "eval")
    for _ in range(20):
        point = tuple(data.draw(st.integers(-4, 12)) for _ in names)
        state = point if ndim > 1 else point[0]
        assert eval(code, {"_dp_k": constants}, dict(zip(names, point))) == (state in space)
    # any other type: the guard says no, and the caller asks the space
    for odd in (True, 1.0, np.int64(1)):
        point = (odd,) + (0,) * (ndim - 1)
        assert not eval(code, {"_dp_k": constants}, dict(zip(names, point)))


def test_the_state_guard_knows_its_spaces_and_their_arity() -> None:
    from dptoolkit.spaces import _state_guard

    assert _state_guard(dp.grid(3, 4), ["i"]) is None
    assert _state_guard(dp.intervals(3), ["i"]) is None
    assert _state_guard({(0, 1)}, ["i", "j"]) is None
    test, constants = _state_guard(dp.grid(3), ["n"], exact="isinstance({}, int)", constants="K")
    assert test == "isinstance(n, int) and 0 <= n < K[0]" and constants == (3,)
