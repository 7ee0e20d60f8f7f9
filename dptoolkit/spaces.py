"""State spaces: the states of a recurrence and an order to fill them in.

A bottom-up solve needs every state a recurrence can reach, listed so that
each state comes after the states it reads. ``@dp.recurrence(states=...)``
takes any iterable in a valid order; the spaces here are the common shapes,
and they know their length, membership and bounding box cheaply, which lets
the engine keep a flat table instead of a dict and check states in O(1):

* :func:`grid` -- tuples of a box, row-major (``range`` axes may run backwards);
* :func:`intervals` -- pairs ``(i, j)``, ``0 <= i <= j < n``, by length;
* :func:`subsets` -- bitmasks of ``n`` items by popcount, then value.

A plain ``range`` works as a one-dimensional space. A state of one argument
is a bare value (``3``); a state of several is a tuple (``(2, 5)``).
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterator, Sequence
from typing import Any

from ._validate import check_int, show
from .errors import InvalidInput, InvalidType

__all__ = ["Grid", "Intervals", "Space", "Subsets", "grid", "intervals", "subsets"]

#: The largest ``n`` accepted by :func:`subsets` (2**n states).
MAX_SUBSET_ITEMS = 26


def _range_size(r: range) -> int:
    """``len(r)`` as an exact int, even past ``sys.maxsize`` (where ``len`` raises)."""
    start, stop, step = r.start, r.stop, r.step
    if step > 0:
        return max(0, (stop - start + step - 1) // step)
    return max(0, (start - stop - step - 1) // -step)


def _is_int(value: object) -> bool:
    """True for an integer that is not a bool (exact ``int`` first: the common case is cheap)."""
    return type(value) is int or (
        isinstance(value, numbers.Integral) and not isinstance(value, bool)
    )


class Space:
    """A finite set of states in a fill order.

    Subclasses provide iteration (the fill order), ``len`` and membership.
    ``shape`` is the bounding box when every state is a tuple of
    non-negative integers (one number per axis: the largest coordinate plus
    one), else ``None``; the engine then stores the table as a flat array
    indexed by the state itself.
    """

    __slots__ = ()

    #: Number of arguments of each state.
    ndim: int = 1

    @property
    def shape(self) -> tuple[int, ...] | None:
        """The bounding box of the states (largest coordinate + 1 per axis)."""
        return None

    def __iter__(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def size(self) -> int:  # pragma: no cover - abstract
        """The number of states, exact even where ``len`` would overflow."""
        raise NotImplementedError

    def __len__(self) -> int:
        return self.size

    def __contains__(self, state: object) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _coords(self, state: object) -> tuple[Any, ...] | None:
        """The state as a tuple of ``ndim`` coordinates, or None if it has the wrong arity."""
        if isinstance(state, tuple):
            return state if len(state) == self.ndim else None
        return (state,) if self.ndim == 1 else None


class _Axis:
    """One axis of a grid: its values in order, its membership test, its extent."""

    __slots__ = ("extent", "label", "member", "size", "values")

    def __init__(self, index: int, dim: object) -> None:
        name = f"dims[{index}]"
        self.values: Sequence[int]
        if isinstance(dim, range):
            self.values = dim
            self.label = repr(dim)
            self.member = dim.__contains__
            self.extent = (
                max(dim[0], dim[-1]) + 1 if _range_size(dim) and min(dim[0], dim[-1]) >= 0 else -1
            )
        elif isinstance(dim, Subsets):
            self.values = dim.order
            self.label = repr(dim)
            self.member = dim.__contains__
            self.extent = 1 << dim.n
        elif _is_int(dim):
            n = check_int(name, dim)
            self.values = range(n)
            self.label = str(n)
            self.member = self.values.__contains__
            self.extent = n
        else:
            raise InvalidType(
                f"{name}={show(dim)} must be a non-negative integer, a range or dp.subsets(n)"
            )
        self.size = _range_size(self.values) if isinstance(self.values, range) else len(self.values)


class Grid(Space):
    """Every tuple of a box of integers, in row-major order (the last axis fastest).

    Build it with :func:`grid`.
    """

    __slots__ = ("_axes", "_dims", "ndim")

    def __init__(self, *dims: int | range | Subsets) -> None:
        if not dims:
            raise InvalidInput("dims=() must name at least one axis: grid(rows, cols, ...)")
        self._axes = tuple(_Axis(i, d) for i, d in enumerate(dims))
        self._dims = dims
        self.ndim = len(dims)

    @property
    def shape(self) -> tuple[int, ...] | None:
        extents = tuple(axis.extent for axis in self._axes)
        return None if min(extents) < 0 else extents

    @property
    def dims(self) -> tuple[int | range | Subsets, ...]:
        """The axes as given to :func:`grid`."""
        return self._dims

    def __iter__(self) -> Iterator[Any]:
        if self.ndim == 1:
            return iter(self._axes[0].values)
        return itertools.product(*(axis.values for axis in self._axes))

    @property
    def size(self) -> int:
        """The number of states, exact even where ``len`` would overflow."""
        return math.prod(axis.size for axis in self._axes)

    def __contains__(self, state: object) -> bool:
        coords = self._coords(state)
        if coords is None:
            return False
        try:
            for c, axis in zip(coords, self._axes, strict=True):
                if not (_is_int(c) and axis.member(c)):
                    return False
        except TypeError:
            return False
        return True

    @property
    def axes(self) -> tuple[Sequence[int], ...]:
        """The values of each axis, in fill order."""
        return tuple(axis.values for axis in self._axes)

    def __repr__(self) -> str:
        return f"grid({', '.join(axis.label for axis in self._axes)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Grid) and self._dims == other._dims

    def __hash__(self) -> int:
        return hash(("grid", *map(repr, self._dims)))


class Intervals(Space):
    """Pairs ``(i, j)`` with ``0 <= i <= j < n``, by increasing length ``j - i``.

    Build it with :func:`intervals`.
    """

    __slots__ = ("n",)
    ndim = 2

    def __init__(self, n: int) -> None:
        self.n = check_int("n", n)

    @property
    def shape(self) -> tuple[int, ...] | None:
        return (self.n, self.n)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        n = self.n
        for length in range(n):
            for i in range(n - length):
                yield (i, i + length)

    @property
    def size(self) -> int:
        """The number of states, exact even where ``len`` would overflow."""
        return self.n * (self.n + 1) // 2

    def __contains__(self, state: object) -> bool:
        coords = self._coords(state)
        if coords is None:
            return False
        i, j = coords
        return _is_int(i) and _is_int(j) and 0 <= i <= j < self.n

    def __repr__(self) -> str:
        return f"intervals({self.n})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Intervals) and self.n == other.n

    def __hash__(self) -> int:
        return hash(("intervals", self.n))


class Subsets(Space):
    """Bitmasks ``0 .. 2**n - 1`` of ``n`` items, by popcount, then by value.

    Every mask comes after all masks with fewer bits, so a recurrence that
    reads ``mask`` with one bit cleared is filled in a valid order. Build it
    with :func:`subsets`; use it as an axis of :func:`grid` for states such
    as ``(mask, last)``.
    """

    __slots__ = ("_order", "n")

    def __init__(self, n: int) -> None:
        self.n = check_int("n", n, maximum=MAX_SUBSET_ITEMS)
        self._order: list[int] | None = None

    @property
    def order(self) -> list[int]:
        """The masks in fill order (computed once)."""
        if self._order is None:
            self._order = sorted(range(1 << self.n), key=int.bit_count)
        return self._order

    @property
    def shape(self) -> tuple[int, ...] | None:
        return (1 << self.n,)

    def __iter__(self) -> Iterator[int]:
        return iter(self.order)

    @property
    def size(self) -> int:
        """The number of states."""
        return 1 << self.n

    def __contains__(self, state: object) -> bool:
        coords = self._coords(state)
        if coords is None:
            return False
        (mask,) = coords
        return _is_int(mask) and 0 <= mask < (1 << self.n)

    def __repr__(self) -> str:
        return f"subsets({self.n})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Subsets) and self.n == other.n

    def __hash__(self) -> int:
        return hash(("subsets", self.n))


def grid(*dims: int | range | Subsets) -> Grid:
    """States of a box, row-major: ``grid(2, 3)`` is ``(0, 0), (0, 1), ..., (1, 2)``.

    Parameters
    ----------
    *dims : int, range or Subsets
        One per axis. An int ``n`` is the axis ``0 .. n-1``; a ``range`` gives
        other bounds or a backwards order (``range(n, -1, -1)`` for
        recurrences that read larger indices); ``dp.subsets(k)`` is an axis of
        bitmasks by popcount. The first axis varies slowest.

    Returns
    -------
    Grid
        A space of tuples (of bare ints when there is one axis) with cheap
        ``len`` and ``in``.

    Raises
    ------
    dptoolkit.InvalidInput
        For no axes or a negative size; ``InvalidType`` for an axis that is
        not an int, a range or ``dp.subsets(k)``.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> list(dp.grid(2, 3))
    [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    >>> list(dp.grid(range(2, -1, -1)))
    [2, 1, 0]
    >>> (1, 2) in dp.grid(2, 3), (2, 0) in dp.grid(2, 3), len(dp.grid(4, 5, 6))
    (True, False, 120)

    Notes
    -----
    When every coordinate is a non-negative integer the engine stores the
    table as an array of shape ``(max + 1 per axis)``, indexed by the state.
    """
    return Grid(*dims)


def intervals(n: int) -> Intervals:
    """Pairs ``(i, j)``, ``0 <= i <= j < n``, by increasing length ``j - i``.

    The order of interval recurrences (matrix chain, optimal BST,
    palindromes): every interval comes after all shorter ones.

    Parameters
    ----------
    n : int
        The number of positions.

    Returns
    -------
    Intervals
        A space of ``n * (n + 1) / 2`` pairs.

    Raises
    ------
    dptoolkit.InvalidInput
        If ``n`` is negative (``InvalidType`` if not an integer).

    Examples
    --------
    >>> import dptoolkit as dp
    >>> list(dp.intervals(3))
    [(0, 0), (1, 1), (2, 2), (0, 1), (1, 2), (0, 2)]
    >>> (2, 1) in dp.intervals(3)
    False
    """
    return Intervals(n)


def subsets(n: int) -> Subsets:
    """The bitmasks of ``n`` items, ``0 .. 2**n - 1``, by popcount then value.

    Parameters
    ----------
    n : int
        The number of items, at most 26.

    Returns
    -------
    Subsets
        A one-dimensional space of ``2**n`` masks.

    Raises
    ------
    dptoolkit.InvalidInput
        If ``n`` is negative or above 26.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> list(dp.subsets(3))
    [0, 1, 2, 4, 3, 5, 6, 7]
    >>> list(dp.grid(dp.subsets(2), 2))[:4]
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    return Subsets(n)


#: A guard: a Python expression over a state's parameter names, and the
#: constants it reads (see :func:`_state_guard`).
_Guard = tuple[str, tuple[Any, ...]]


def _state_guard(
    space: object,
    names: Sequence[str],
    *,
    exact: str = "type({}) is int",
    constants: str = "_dp_k",
) -> _Guard | None:
    """A fast membership test of a state of exact ints, as source code, or None.

    The expression reads the parameter names *names* (one per coordinate)
    and the tuple of constants it comes with, by the name *constants*. It is
    a *sufficient* test: true only for a member; a false result says
    nothing (a coordinate may be an integer of another type), so the caller
    falls back to ``state in space``. Spaces it knows: :func:`grid` of int,
    range and subsets axes, :func:`intervals`, :func:`subsets` and
    ``range``.

    Parameters
    ----------
    space : object
        The declared states.
    names : sequence of str
        The identifiers of the coordinates, in order.
    exact : str
        The test that ``{}`` is an exact ``int``, as a format string (the
        default needs the builtins ``type`` and ``int`` in scope).
    constants : str
        The name the expression reads the constants by.

    Returns
    -------
    (str, tuple) or None
        The expression and its constants; None for another space or a
        number of names the space's states do not have.

    Examples
    --------
    >>> from dptoolkit.spaces import _state_guard, grid, intervals
    >>> _state_guard(intervals(5), ["i", "j"])
    ('type(i) is int and type(j) is int and 0 <= i <= j < _dp_k[0]', (5,))
    >>> test, k = _state_guard(grid(3, range(5, 0, -1)), ["i", "j"])
    >>> test
    'type(i) is int and 0 <= i < _dp_k[0] and type(j) is int and 0 < j <= _dp_k[1]'
    >>> k, eval(test, {"_dp_k": k, "i": 2, "j": 5}), eval(test, {"_dp_k": k, "i": 2, "j": 0})
    ((3, 5), True, False)
    >>> _state_guard(range(3), ["n", "m"]) is None
    True
    """
    values: list[Any] = []

    def const(value: Any) -> str:
        if type(value) is int and value == 0:  # the usual lower bound: a literal
            return "0"
        values.append(value)
        return f"{constants}[{len(values) - 1}]"

    def within(name: str, axis: range) -> str:
        test = exact.format(name)
        if axis.step == 1:
            return f"{test} and {const(axis.start)} <= {name} < {const(axis.stop)}"
        if axis.step == -1:
            return f"{test} and {const(axis.stop)} < {name} <= {const(axis.start)}"
        return f"{test} and {name} in {const(axis)}"

    if isinstance(space, range):
        if len(names) != 1:
            return None
        expression = within(names[0], space)
    elif isinstance(space, Subsets):
        if len(names) != 1:
            return None
        expression = within(names[0], range(1 << space.n))
    elif isinstance(space, Intervals):
        if len(names) != 2:
            return None
        i, j = names
        expression = (
            f"{exact.format(i)} and {exact.format(j)} and 0 <= {i} <= {j} < {const(space.n)}"
        )
    elif isinstance(space, Grid):
        if len(names) != space.ndim:
            return None
        parts = []
        for name, axis in zip(names, space._axes, strict=True):
            # a subsets axis: the masks below 2**n
            span = axis.values if isinstance(axis.values, range) else range(axis.extent)
            parts.append(within(name, span))
        expression = " and ".join(parts)
    else:
        return None
    return expression, tuple(values)
