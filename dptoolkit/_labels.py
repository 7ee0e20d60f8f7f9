"""What a problem's table is about: axis names, tick labels, the goal and the witness path.

A catalog solver hands a :class:`Labels` to ``sol.with_fields(labels=...)``;
every picture of the solution (the notebook heatmap, ``sol.draw_table()``,
the explain page) reads it, so knapsack's rows say *items* and its columns
*capacity*, and edit distance's rows and columns carry the letters of both
strings. A solution without labels gets the recurrence's coordinate names.

The witness path is the chain of states the witness walks from the goal:
``Labels.step(state, label) -> next state`` is the same step function a
solver gives :meth:`dptoolkit.Solution.walk`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, overload

from ._validate import show
from .errors import DPError, NotRecorded

if TYPE_CHECKING:
    from .recurrence import Solution

__all__ = [
    "Labels",
    "NoStats",
    "Ticks",
    "along",
    "first_items",
    "goal_of",
    "labelled",
    "missing",
    "pair_step",
    "prefixes",
    "strategy_text",
    "witness_path",
]

_P = ParamSpec("_P")

#: The strategies that keep each record, for the message of a missing one.
_KEEPS = {
    "table": ("bottom_up",),
    "stats": ("naive", "top_down", "bottom_up"),
}


@dataclass(frozen=True)
class Labels:
    """Names and tick labels of a table's axes, one per state coordinate.

    Attributes
    ----------
    names : tuple of str
        What each coordinate of a state counts (``("items", "capacity")``).
    ticks : tuple
        Per coordinate, a sequence of tick texts indexed by the coordinate's
        value (``None``: the numbers themselves; a :class:`Ticks` computes
        them on demand, for axes too long to spell out up front).
    goal
        The goal state, as the solution's choices key it.
    step : callable, optional
        ``step(state, label) -> next state`` along the witness (``None`` stops).
    layer : (axis, index), optional
        Of a three-coordinate table, the layer a picture shows: the states
        whose coordinate *axis* is *index* (alignment's ``M`` table). By
        default the fullest last layer along the first coordinate.
    sizes : callable, optional
        ``sizes() -> [(n, recurrence, goal), ...]``: the instance cut to each
        size ``n``, smallest first, for the explain page's plot of calls
        against ``n``, where the goal's own subproblems do not grow with
        ``n`` (a suffix count, a bitmask). By default the goal is scaled.

    Examples
    --------
    >>> labels = prefixes("ab", "b", names=("a", "b"))
    >>> labels.names, labels.tick(0, 1), labels.tick(1, 0)
    (('a = ab', 'b = b'), 'a', 'ε')
    """

    names: tuple[str, ...] = ()
    ticks: tuple[Sequence[str] | None, ...] = ()
    goal: Any = None
    step: Callable[[Any, Any], Any] | None = None
    layer: tuple[int, int] | None = None
    sizes: Callable[[], list[tuple[int, Any, tuple[Any, ...]]]] | None = None

    def name(self, axis: int, default: str = "") -> str:
        """The name of coordinate *axis*, or *default*."""
        return self.names[axis] if axis < len(self.names) else default

    def tick(self, axis: int, index: int) -> str:
        """The tick text of value *index* of coordinate *axis* (the number by default)."""
        ticks = self.ticks[axis] if axis < len(self.ticks) else None
        if ticks is not None and 0 <= index < len(ticks):
            return ticks[index]
        return str(index)

    def has_ticks(self, axis: int) -> bool:
        """Whether coordinate *axis* has tick texts of its own."""
        return axis < len(self.ticks) and self.ticks[axis] is not None

    def with_goal(self, goal: Any, step: Callable[[Any, Any], Any] | None) -> Labels:
        """These labels with the goal state and the witness step set."""
        return Labels(self.names, self.ticks, goal, step, self.layer, self.sizes)


class Ticks(Sequence[str]):
    """Tick texts ``text(0) .. text(length - 1)``, each made when a picture asks for it.

    >>> ticks = Ticks(4, lambda k: f"#{k}")
    >>> len(ticks), ticks[3], list(ticks)
    (4, '#3', ['#0', '#1', '#2', '#3'])
    """

    def __init__(self, length: int, text: Callable[[int], str]) -> None:
        self._length = length
        self._text = text

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._text(k) for k in range(*index.indices(self._length))]
        if not -self._length <= index < self._length:
            raise IndexError(index)
        return self._text(index % self._length)


def _short(item: object, width: int = 8) -> str:
    text = item if isinstance(item, str) else show(item)
    return text if len(text) <= width else text[: width - 1] + "…"


def prefixes(
    a: Sequence[Any],
    b: Sequence[Any],
    *,
    names: tuple[str, str] = ("a", "b"),
    goal: Any = None,
    step: Callable[[Any, Any], Any] | None = None,
    empty: bool = True,
) -> Labels:
    """Labels for a table over prefixes of two sequences: row *i* ends with ``a[i-1]``.

    Index 0 (the empty prefix) is ``ε``; index ``i`` is the ``i``-th item.
    With ``empty=False`` there is no empty prefix: row *i* is ``a[i]`` (a
    table of pairs of items, as dynamic time warping's).
    """
    first = ("ε",) if empty else ()
    return Labels(
        names=(f"{names[0]} = {_short(a, 24)}", f"{names[1]} = {_short(b, 24)}"),
        ticks=(
            (*first, *(_short(x, 3) for x in a)),
            (*first, *(_short(x, 3) for x in b)),
        ),
        goal=goal,
        step=step,
    )


#: How each kind of step of a two-sequence table moves back, ``(di, dj)``.
_BACK = {
    "match": (1, 1),
    "substitute": (1, 1),
    "transpose": (2, 2),
    "delete": (1, 0),
    "skip_a": (1, 0),
    "insert": (0, 1),
    "skip_b": (0, 1),
}


def pair_step(state: Any, label: Any) -> Any:
    """The witness step of a table over prefixes of two sequences (edit distance, LCS).

    >>> pair_step((3, 4), "delete"), pair_step((3, 4), "match"), pair_step((3, 4), None)
    ((2, 4), (2, 3), None)
    """
    back = _BACK.get(label) if isinstance(label, str) else None
    if back is None:
        return None
    return (state[0] - back[0], state[1] - back[1])


def first_items(
    name: str,
    items: Sequence[str],
    second: str,
    *,
    goal: Any = None,
    step: Callable[[Any, Any], Any] | None = None,
) -> Labels:
    """Labels for a table whose rows count the first ``i`` items and columns a budget.

    *items* describes each item (``"w12 v4"``); row 0 is ``none``, row ``i``
    ends with item ``i - 1`` (0-based, as the witness numbers them).
    """
    ticks = ("none", *(f"+#{k} {text}" for k, text in enumerate(items)))
    return Labels(names=(name, second), ticks=(ticks, None), goal=goal, step=step)


def along(
    name: str,
    items: Sequence[Any],
    *,
    before: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
    goal: Any = None,
    step: Callable[[Any, Any], Any] | None = None,
    width: int = 4,
    sizes: Callable[[], list[tuple[int, Any, tuple[Any, ...]]]] | None = None,
) -> Labels:
    """Labels for a one-coordinate table over positions in *items*: each tick is its item.

    *before* and *after* are ticks of states before the first item and past
    the last one (the empty prefix, a virtual end); an item's text is cut at
    *width* characters.

    >>> along("i: rise ending at seq[i]", [3, 1, 4], after=("end",)).ticks
    (('3', '1', '4', 'end'),)
    """
    return Labels(
        names=(name,),
        ticks=((*before, *(_short(x, width) for x in items), *after),),
        goal=goal,
        step=step,
        sizes=sizes,
    )


def labelled(
    build: Callable[_P, tuple[Any, Any]],
) -> Callable[_P, tuple[Any, Any]]:
    """Mark the recurrence a problem's *build* returns with the axes its ``solve`` declares.

    So ``rec.trace(*goal).draw()`` names its axes as ``sol.draw_table()`` does
    (the letters of both strings, items and capacity) without ``labels=``.
    The labels are found on the first picture, by solving the same instance
    with the module's ``solve`` (``top_down``, else ``bottom_up``); an
    instance no engine strategy solves draws with numbered axes.
    """

    @functools.wraps(build)
    def built(*args: _P.args, **kwargs: _P.kwargs) -> tuple[Any, Any]:
        rec, goal = build(*args, **kwargs)
        solve = getattr(sys.modules[build.__module__], "solve", None)
        if solve is not None:
            rec._axes = functools.partial(_axes, solve, args, dict(kwargs))
        return rec, goal

    return built


def _axes(solve: Callable[..., Solution], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The labels *solve* declares for this instance, or ``None``."""
    for strategy in ("top_down", "bottom_up"):
        try:
            return solve(*args, strategy=strategy, **kwargs)._labels
        except DPError:  # a strategy this problem or instance refuses: try the next
            continue
    return None


def witness_path(sol: Solution) -> list[Any]:
    """The states the witness walks through, goal first; ``[]`` when there is no step.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> sol = dp.catalog("knapsack").solve([1, 2], [3, 4], 2, strategy="bottom_up")
    >>> witness_path(sol)
    [(2, 2), (1, 0), (0, 0)]
    """
    labels = getattr(sol, "_labels", None)
    goal = labels.goal if labels is not None and labels.goal is not None else _engine_goal(sol)
    step = labels.step if labels is not None and labels.step is not None else None
    if step is None:
        hook = getattr(sol, "_hook", None)
        step = getattr(hook, "step", None)
    if step is None or goal is None or not sol.choices:
        return []
    states: list[Any] = []
    last: tuple[Any, Any] | None = None
    try:
        for state, label in sol.walk(goal, _single(step)):
            states.append(state)
            last = (state, label)
        if last is not None:
            after = step(*last)
            if after is not None and not isinstance(after, list) and after not in states:
                states.append(after)
    except DPError:
        return []
    return states


def goal_of(sol: Solution) -> Any:
    """The goal state of a solution: its labels', else the one the engine recorded, else ``None``."""
    labels = getattr(sol, "_labels", None)
    if labels is not None and labels.goal is not None:
        return labels.goal
    return _engine_goal(sol)


def _engine_goal(sol: Solution) -> Any:
    """The goal state the engine recorded on the solution, or ``None``."""
    goal = sol.__dict__.get("_goal")
    if goal is None or type(goal) is object:  # the engine's "no goal" marker
        return None
    return goal


def _single(step: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """*step*, stopping where a choice splits the problem in parts (a list of states)."""

    def one(state: Any, label: Any) -> Any:
        after = step(state, label)
        return None if isinstance(after, list) else after

    return one


class NoStats:
    """What ``sol.stats`` is for a run that measures nothing: false, and says so when read."""

    __slots__ = ("_error",)

    def __init__(self, error: NotRecorded) -> None:
        self._error = error

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotRecorded(str(self._error))

    def __repr__(self) -> str:
        return f"<no stats: {self._error}>"


def strategy_text(strategy: str) -> str:
    """The strategy as a repr shows it: ``'fast' (auto)`` when ``"auto"`` chose it.

    >>> strategy_text("bottom_up")
    "'bottom_up'"
    """
    return repr(str(strategy)) + (" (auto)" if getattr(strategy, "auto", False) else "")


def missing(sol: Solution, what: str) -> NotRecorded:
    """The error for ``sol.table`` or ``sol.stats`` on a run that keeps none."""
    keeps = _KEEPS[what]
    named = ", ".join(repr(s) for s in keeps[:-1])
    named = f"{named} or {keeps[-1]!r}" if named else repr(keeps[0])
    verb = "keeps no table" if what == "table" else "measures no stats"
    why = ""
    if what == "table" and sol.strategy == "bottom_up":
        why = " (a window= run keeps only its last rows)"
    return NotRecorded(
        f"strategy={str(sol.strategy)!r} {verb}{why}; solve with strategy={named} to see sol.{what}"
    )
