"""``strategy="bottom_up"``: a table filled in the order of the declared states.

A read is a table lookup through a reader generated with the body's own
parameter names (:func:`~._codegen.compile_reader`). A dense box of integer
states (``range``, ``dp.grid``, ``dp.intervals``, ``dp.subsets``) is a flat
list (:class:`_BoxFill`), any other space a dict (:class:`_DictFill`); a read
of a state not filled yet raises :class:`~dptoolkit.OrderError` naming both.
``window=k`` keeps only the last *k* rows. The table given to the user is
converted on first access (:func:`_to_table`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .._validate import show
from ..errors import BudgetExceeded, CycleError, InvalidInput, InvalidType, OrderError
from ..spaces import Grid, Space, Subsets, _range_size
from ._codegen import can_generate, compile_reader, flat_expr, set_defaults
from ._seam import Run, routed
from ._solution import Solution, Stats, _Deferred

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = ["solve_bottom_up"]


class _Unfilled:
    """The marker of a table cell no state has written yet."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unfilled>"


_U = _Unfilled()


def _box_of(space: Any, arity: int) -> tuple[int, ...] | None:
    """The bounding box of a space stored as a flat table, or None for a dict table."""
    if isinstance(space, range):
        count = _range_size(space)
        if not count or min(space[0], space[-1]) < 0:
            return None
        shape: tuple[int, ...] | None = (max(space[0], space[-1]) + 1,)
    elif isinstance(space, Space):
        shape = space.shape
        count = space.size
    else:
        return None
    if shape is None or len(shape) != arity or not count:
        return None
    cells = math.prod(shape)
    if cells > 8 * count + 4096:  # too sparse for a flat table
        return None
    return shape


class _Fill:
    """The bookkeeping of one bottom-up fill: the current state and the slow path."""

    __slots__ = ("col", "cur", "evicted_rows", "member", "rec", "rescan", "row", "window")

    def __init__(self, rec: Recurrence) -> None:
        self.rec = rec
        # the state being computed: ``cur``, or ``(row, col)`` while ``cur`` is _U
        # (the 2-D loops store two ints rather than build a tuple per state)
        self.cur: Any = None
        self.row: Any = None
        self.col: Any = None
        self.member: Callable[[Any], bool] | None = None
        self.rescan: Callable[[], Iterable[Any]] | None = None
        self.window: int | None = None
        self.evicted_rows: Callable[[Any], bool] | None = None

    @property
    def current(self) -> tuple[Any, ...] | None:
        cur = self.cur
        return (self.row, self.col) if cur is _U else cur

    @current.setter
    def current(self, state: tuple[Any, ...] | None) -> None:
        self.cur = state

    def missing(self, needed: tuple[Any, ...]) -> Any:
        """A read found no value: say why, always by raising."""
        rec = self.rec
        cur = self.current
        key = rec._key
        if cur is None:  # reading the goal after the fill
            raise InvalidInput(f"goal {rec._fmt(needed)} is not among the declared states")
        if key(needed) == key(cur):
            raise CycleError(
                f"state {rec._fmt(cur)} depends on itself",
                cycle=[key(cur), key(cur)],
            )
        inside = self._inside(needed)
        if not inside:
            raise InvalidInput(
                f"state {rec._fmt(needed)} (read by {rec._fmt(cur)}) is outside the declared states"
            )
        if self.evicted_rows is not None and self.evicted_rows(needed):
            raise OrderError(
                f"bottom_up: computing {rec._fmt(cur)} read {rec._fmt(needed)}, which is no "
                f"longer in the window of window={self.window} rows along the first axis",
                state=key(cur),
                needed=key(needed),
            )
        raise OrderError(
            f"bottom_up: computing {rec._fmt(cur)} read {rec._fmt(needed)}, which the declared "
            f"order has not filled yet; list {rec._fmt(needed)} before {rec._fmt(cur)} in states=",
            state=key(cur),
            needed=key(needed),
        )

    def _inside(self, needed: tuple[Any, ...]) -> bool:
        key = self.rec._key(needed)
        if self.member is not None:
            try:
                return bool(self.member(key))
            except TypeError:
                return False
        if self.rescan is not None:
            args_of = self.rec._args_of
            try:
                return any(args_of(item) == needed for item in self.rescan())
            except TypeError:
                return False
        return True


def solve_bottom_up(rec: Recurrence, goal: tuple[Any, ...], window: int | None) -> Solution:
    space = rec._space(goal)
    if space is None:
        raise InvalidInput(
            f"strategy='bottom_up' needs the states: declare @dp.recurrence(states=...) "
            f"for {rec.__name__}"
        )
    fill = _Fill(rec)
    fill.window = window
    box = _box_of(space, rec._arity) if can_generate(rec) else None
    choices: dict[Any, Any] | None = None if window is not None else {}
    ties: dict[Any, list[Any]] | None = None if window is not None else {}
    key = rec._key
    run = Run(
        lambda: key(fill.current) if fill.current is not None else None,
        choices,
        ties=ties,
        k=rec._k,
    )
    if box is not None:
        fill.member = space.__contains__  # type: ignore[operator]
        try:
            filler = _BoxFill(rec, space, box, fill, window)
        except (MemoryError, OverflowError):  # OverflowError: past what a list can index
            cells = math.prod(box) if window is None else min(window, box[0]) * math.prod(box[1:])
            raise BudgetExceeded(
                f"strategy='bottom_up' needs a table of {cells:,} cells for {rec._fmt(goal)}, "
                "more than memory allows; use 'top_down' (it keeps only the states it reaches)"
                + ("" if window is not None else " or window=")
            ) from None
    else:
        if isinstance(space, (Space, range, set, frozenset)):
            fill.member = space.__contains__
        else:
            fill.rescan = lambda: rec._space(goal) or ()
        filler = _DictFill(rec, space, fill, window)  # type: ignore[assignment]
    reader = filler.reader
    body = rec._rebind(reader)
    with routed(rec, reader, run):
        computed = filler.run(body)
        fill.current = None
        value = reader(*goal)
    hits = filler.count() - 1  # the goal read above is not a call of the recurrence
    stats = Stats(
        calls=computed + hits, hits=hits, misses=computed, states=computed, peak=filler.peak
    )
    sol = Solution(value, strategy="bottom_up", stats=stats, choices=choices)
    if window is None:
        sol._table = _Deferred(filler.table)
        sol._recorded(key(goal), ties)
    else:
        sol._choices_note = f"window={window} keeps no choices; solve without window to walk them"
    return sol


def _fill_row(
    values: list[Any], base: int, i: int, cols: Sequence[int], body: Callable[..., Any], fill: _Fill
) -> int:
    """Row *i* of a 2-D box into ``values[base + j]``: the hot loop of full and windowed tables."""
    fill.row = i
    for j in cols:
        fill.col = j
        values[base + j] = body(i, j)
    return len(cols)


class _BoxFill:
    """A table stored as a flat list indexed by the state (row-major box)."""

    def __init__(
        self,
        rec: Recurrence,
        space: Any,
        shape: tuple[int, ...],
        fill: _Fill,
        window: int | None,
    ) -> None:
        self.rec = rec
        self.space = space
        self.shape = shape
        self.fill = fill
        self.window = window
        nd = len(shape)
        self.row = math.prod(shape[1:])
        dims = [f"_dp_D{i}" for i in range(nd)]
        names = rec._names
        bounds = " and ".join(f"0 <= {p} < {d}" for p, d in zip(names, dims, strict=True))
        if window is not None:
            window = min(window, shape[0])  # more rows than the box has would stay empty
            self.window = window
        if window is None:
            self.slots = math.prod(shape)
            self.values: list[Any] = [_U] * self.slots
            make = compile_reader(
                rec, ", ".join(["_dp_V", *dims]), [bounds], f"_dp_V[{flat_expr(names, dims)}]"
            )
            self.reader, self.count = make(_U, fill.missing, self.values, *shape)
            self.tags: list[Any] = []
        else:
            # row p0 lives in slot p0 % window while tag[slot] == p0
            rest = flat_expr(names[1:], dims[1:]) if nd > 1 else "0"
            self.slots = window * self.row
            self.values = [_U] * self.slots
            self.tags = [None] * window
            p0 = names[0]
            make = compile_reader(
                rec,
                ", ".join(["_dp_V", "_dp_G", "_dp_K", "_dp_R", *dims]),
                [bounds, f"_dp_G[(_dp_r := {p0} % _dp_K)] == {p0}"],
                f"_dp_V[_dp_r * _dp_R + {rest}]",
            )
            self.reader, self.count = make(
                _U, fill.missing, self.values, self.tags, window, self.row, *shape
            )
            fill.evicted_rows = self._evicted
        set_defaults(rec, self.reader)
        self.peak = 0

    def _evicted(self, needed: tuple[Any, ...]) -> bool:
        row = needed[0]
        return bool(self.tags[row % len(self.tags)] != row)

    def _flat(self, args: tuple[Any, ...]) -> int:
        k = 0
        for c, d in zip(args, self.shape, strict=False):
            k = k * d + c
        return k

    def run(self, body: Callable[..., Any]) -> int:
        values = self.values
        fill = self.fill
        space = self.space
        if self.window is not None:
            return self._run_window(body)
        count = 0
        if isinstance(space, Grid) and space.ndim == 2:
            rows, cols = space.axes
            width = self.shape[1]
            fill.cur = _U
            for i in rows:
                count += _fill_row(values, i * width, i, cols, body, fill)
        elif isinstance(space, (range, Subsets)) or (isinstance(space, Grid) and space.ndim == 1):
            for i in space:
                fill.current = (i,)
                values[i] = body(i)
                count += 1
        else:
            flat = self._flat
            for item in space:
                args = item if isinstance(item, tuple) else (item,)
                fill.current = args
                values[flat(args)] = body(*args)
                count += 1
        self.peak = count
        return count

    def _run_window(self, body: Callable[..., Any]) -> int:
        values = self.values
        tags = self.tags
        fill = self.fill
        k = len(tags)
        row = self.row
        blank = [_U] * row
        held = 0
        count = 0
        space = self.space
        if isinstance(space, Grid) and space.ndim == 2:
            rows_, cols = space.axes
            fill.cur = _U
            for i in rows_:
                slot = i % k
                if tags[slot] != i:
                    held += tags[slot] is None
                    tags[slot] = i
                    values[slot * row : (slot + 1) * row] = blank
                count += _fill_row(values, slot * row, i, cols, body, fill)
            self.peak = min(count, held * row)
            return count
        for item in space:
            args = item if isinstance(item, tuple) else (item,)
            first = args[0]
            slot = first % k
            if tags[slot] != first:
                if tags[slot] is None:
                    held += 1
                tags[slot] = first
                values[slot * row : (slot + 1) * row] = blank
            rest = 0
            for c, d in zip(args[1:], self.shape[1:], strict=False):
                rest = rest * d + c
            fill.current = args
            values[slot * row + rest] = body(*args)
            count += 1
        self.peak = min(count, held * row)
        return count

    def table(self) -> Any:
        return _to_table(self.values, self.shape, self.space, self.rec, self._flat)


class _DictFill:
    """A table stored as a dict keyed by state (any iterable of states)."""

    def __init__(self, rec: Recurrence, space: Any, fill: _Fill, window: int | None) -> None:
        self.rec = rec
        self.space = space
        self.fill = fill
        self.window = window
        self.table_: dict[Any, Any] = {}
        self.rows: dict[Any, dict[Any, Any]] = {}
        self.peak = 0
        store: Any = self.table_ if window is None else self.rows
        if can_generate(rec) and window is None:
            key = (
                rec._names[0]
                if rec._arity == 1
                else "(" + "".join(f"{n}, " for n in rec._names) + ")"
            )
            make = compile_reader(rec, "_dp_T", [], f"_dp_T.get({key}, _dp_U)")
            self.reader, self.count = make(_U, fill.missing, store)
            set_defaults(rec, self.reader)
        else:
            self.reader, self.count = self._generic_reader()
        if window is not None:
            fill.evicted_rows = lambda needed: needed[0] not in self.rows

    def _generic_reader(self) -> tuple[Callable[..., Any], Callable[[], int]]:
        rec = self.rec
        normalize = rec._normalize
        key = rec._key
        missing = self.fill.missing
        table = self.table_
        rows = self.rows
        windowed = self.window is not None
        hits = 0

        def read(*args: Any, **kw: Any) -> Any:
            nonlocal hits
            args = normalize(args, kw)
            try:
                if windowed:
                    row = rows.get(args[0]) if args else None
                    value = row.get(key(args), _U) if row is not None else _U
                else:
                    value = table.get(key(args), _U)
            except TypeError:
                value = _U
            if value is _U:
                return missing(args)
            hits += 1
            return value

        return read, lambda: hits

    def run(self, body: Callable[..., Any]) -> int:
        rec = self.rec
        fill = self.fill
        args_of = rec._args_of
        key = rec._key
        count = 0
        if self.window is None:
            table = self.table_
            for item in self.space:
                args = args_of(item)
                fill.current = args
                value = body(*args)
                try:
                    table[key(args)] = value
                except TypeError:
                    raise _unhashable(rec, item) from None
                count += 1
            self.peak = len(table)
            return count
        rows = self.rows
        k = self.window
        held = 0
        for item in self.space:
            args = args_of(item)
            if not args:
                raise InvalidInput("window= needs states with at least one argument")
            first = args[0]
            try:
                row = rows.get(first)
                hash(args)
            except TypeError:
                raise _unhashable(rec, item) from None
            if row is None:
                if len(rows) >= k:
                    held -= len(rows.pop(next(iter(rows))))
                row = rows[first] = {}
            fill.current = args
            row[key(args)] = body(*args)
            held += 1
            count += 1
            self.peak = max(self.peak, held)
        return count

    def table(self) -> Any:
        return self.table_


def _unhashable(rec: Recurrence, item: Any) -> InvalidType:
    return InvalidType(
        f"states yielded {show(item)} for {rec.__name__}, which is not hashable; a state is "
        "a tuple of hashable arguments (ints, strings, tuples, frozensets)"
    )


def _numeric_dtype(values: list[Any]) -> tuple[Any, Any] | None:
    """(numpy dtype, fill value) fitting every value, or None when a dict is needed."""
    import numpy as np

    kinds = set(map(type, values))
    kinds.discard(_Unfilled)
    if not kinds:
        return None
    if all(issubclass(t, (bool, np.bool_)) for t in kinds):
        return np.dtype(bool), False
    if any(issubclass(t, (bool, np.bool_)) for t in kinds):
        return None  # bools mixed with numbers: keep them apart
    if all(issubclass(t, numbers.Integral) for t in kinds):
        return np.dtype(np.int64), 0
    if all(issubclass(t, numbers.Real) for t in kinds):
        ints = [v for v in values if isinstance(v, numbers.Integral)]
        if ints and max(abs(int(v)) for v in ints) > 2**53:
            return np.dtype(object), None
        return np.dtype(np.float64), math.nan
    return None


def _to_table(
    values: list[Any],
    shape: tuple[int, ...],
    space: Any,
    rec: Recurrence,
    flat: Callable[[tuple[Any, ...]], int],
) -> Any:
    """The flat list as a numpy table (int64, float64, bool or object), else a dict."""
    import numpy as np

    found = _numeric_dtype(values)
    if found is None:
        out: dict[Any, Any] = {}
        for item in space:
            args = item if isinstance(item, tuple) else (item,)
            value = values[flat(args)]
            if value is not _U:
                out[rec._key(args)] = value
        return out
    dtype, blank = found
    raw = values
    if any(v is _U for v in raw):
        values = [blank if v is _U else v for v in raw]
    if dtype == np.int64:
        try:
            return np.array(values, dtype=np.int64).reshape(shape)
        except OverflowError:  # a value outgrew int64: exact Python ints, blanks None
            dtype = np.dtype(object)
            values = [None if v is _U else v for v in raw]
    if dtype.kind == "O":
        return np.fromiter(values, dtype=object, count=len(values)).reshape(shape)
    return np.array(values, dtype=dtype).reshape(shape)
