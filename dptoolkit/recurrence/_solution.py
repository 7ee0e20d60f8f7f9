"""What a solve returns: :class:`Solution` and :class:`Stats`; :func:`choose`, which records choices.

:func:`choose` is the one place a body tells the engine which candidate it
picked; it records the label in the running solve's :class:`~._seam.Run`.
Imports only the seam (and the package's errors and validation), so every
strategy may import it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .._validate import show
from ..errors import CycleError, InvalidInput, InvalidType
from ._seam import ACTIVE

__all__ = ["Solution", "Stats", "choose"]


@dataclass(frozen=True)
class Stats:
    """What a run did.

    Attributes
    ----------
    calls : int
        Calls of the recurrence: every evaluation of a state, base cases
        included, plus every recursive call answered from the cache or table.
    hits : int
        Calls answered from the cache (``top_down``) or the table
        (``bottom_up``); always 0 for ``naive``.
    misses : int
        Calls that ran the body.
    states : int
        Distinct states computed.
    peak : int
        The most values held at once (cache entries or table cells); 0 for
        ``naive``, which keeps none.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> @dp.recurrence(states=lambda n: range(n + 1))
    ... def fib(n):
    ...     return n if n < 2 else fib(n - 1) + fib(n - 2)
    >>> fib.solve(5, strategy="top_down").stats
    Stats(calls=9, hits=3, misses=6, states=6, peak=6)
    """

    calls: int = 0
    hits: int = 0
    misses: int = 0
    states: int = 0
    peak: int = 0


class _Deferred:
    """A table built on first use and then kept; solutions derived from one run share it."""

    __slots__ = ("_factory", "_value")

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory: Callable[[], Any] | None = factory
        self._value: Any = None

    def get(self) -> Any:
        factory = self._factory
        if factory is not None:
            self._value = factory()
            self._factory = None
        return self._value


_KEEP: Any = object()  # with_fields(value=...) not given: keep the value


class Solution:
    """The answer of a solve: the value, how it was found, and its witness.

    Parameters
    ----------
    value
        The value of the goal state.
    strategy : str
        The strategy that ran (``"naive"``, ``"top_down"``, ``"bottom_up"``,
        ``"fast"``, ...).
    stats : Stats, optional
        What the run did; ``None`` when not measured.
    table : numpy.ndarray or dict, optional
        The filled bottom-up table, indexed by state.
    choices : dict, optional
        State -> label recorded by :func:`choose`.
    witness : dict, optional
        Ready witness fields; each becomes an attribute (``sol.items``).
    lazy : dict, optional
        Witness fields as zero-argument callables, evaluated once on first
        access.

    Attributes
    ----------
    fields : tuple of str
        The witness field names, ready ones first.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> sol = dp.Solution(7, strategy="fast", witness={"items": [0, 2]},
    ...                   lazy={"path": lambda: ["a", "b"]})
    >>> sol.value, sol.items, sol.fields
    (7, [0, 2], ('items', 'path'))
    >>> sol.as_dict()
    {'value': 7, 'strategy': 'fast', 'items': [0, 2], 'path': ['a', 'b']}
    """

    def __init__(
        self,
        value: Any,
        *,
        strategy: str,
        stats: Stats | None = None,
        table: Any = None,
        choices: Mapping[Any, Any] | None = None,
        witness: Mapping[str, Any] | None = None,
        lazy: Mapping[str, Callable[[], Any]] | None = None,
    ) -> None:
        if not isinstance(strategy, str):
            raise InvalidType(f"strategy={show(strategy)} must be a string")
        self.value = value
        self.strategy = strategy
        self.stats = stats
        self._table = table
        self.choices: dict[Any, Any] = dict(choices) if choices is not None else {}
        self._choices_note = ""
        ready = dict(witness or {})
        later = dict(lazy or {})
        for name in itertools.chain(ready, later):
            if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
                raise InvalidInput(f"witness field {name!r} must be a public identifier")
            if name in _RESERVED:
                raise InvalidInput(f"witness field {name!r} clashes with a Solution attribute")
        for name, thunk in later.items():
            if not callable(thunk):
                raise InvalidType(f"lazy[{name!r}]={show(thunk)} must be a zero-argument callable")
        self._lazy = later
        self._fields = tuple(ready) + tuple(n for n in later if n not in ready)
        self.__dict__.update(ready)

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the witness fields."""
        return self._fields

    @property
    def table(self) -> Any:
        """The filled table (numpy array or dict) of a bottom-up run, else ``None``."""
        table = self._table
        if isinstance(table, _Deferred):
            return table.get()
        return table

    def with_fields(
        self,
        *,
        value: Any = _KEEP,
        witness: Mapping[str, Any] | None = None,
        lazy: Mapping[str, Callable[[], Any]] | None = None,
    ) -> Solution:
        """A new Solution like this one, with more witness fields (and maybe another value).

        This is how a solver dresses the engine's answer: the strategy,
        stats, choices and table carry over as they are (a table not built
        yet stays unbuilt, and is built at most once for both solutions);
        fields already present are kept unless named again. This solution
        is left unchanged.

        Parameters
        ----------
        value : optional
            The new value (e.g. converted, or offset); by default this one's.
        witness : dict, optional
            Ready fields to add.
        lazy : dict, optional
            Fields to add as zero-argument callables, evaluated once on first
            access.

        Returns
        -------
        Solution

        Raises
        ------
        dptoolkit.InvalidInput
            For a field name that is not a public identifier or clashes with
            a Solution attribute (``InvalidType`` for a lazy field that is not
            callable).

        Examples
        --------
        >>> import dptoolkit as dp
        >>> @dp.recurrence(states=lambda a: range(a + 1))
        ... def fewest(a):
        ...     if a == 0:
        ...         return 0
        ...     return dp.choose(((fewest(a - c) + 1, c) for c in (1, 3, 4) if c <= a), best=min)
        >>> sol = fewest.solve(6, strategy="bottom_up")
        >>> dressed = sol.with_fields(lazy={"coins": lambda: [c for _, c in sol.walk(6, int.__sub__)]})
        >>> dressed.value, dressed.coins, dressed.strategy, dressed.stats == sol.stats
        (2, [3, 3], 'bottom_up', True)
        >>> sol.fields, dressed.fields
        ((), ('coins',))
        """
        added = dict(witness or {})
        later = dict(lazy or {})
        ready = {n: v for n, v in self.__dict__.items() if n in self._fields and n not in later}
        ready.update(added)
        for name, thunk in self._lazy.items():
            if name not in ready and name not in later:
                later[name] = thunk
        new = Solution(
            self.value if value is _KEEP else value,
            strategy=self.strategy,
            stats=self.stats,
            witness=ready,
            lazy=later,
        )
        new.choices = self.choices  # shared, not copied: a run's choices are never changed
        new._table = self._table
        new._choices_note = self._choices_note
        return new

    def __getattr__(self, name: str) -> Any:
        lazy = self.__dict__.get("_lazy")
        if lazy and name in lazy:
            value = lazy[name]()
            self.__dict__[name] = value
            return value
        raise AttributeError(f"Solution has no field {name!r} (fields: {self._fields})")

    def as_dict(self) -> dict[str, Any]:
        """``{"value": ..., "strategy": ..., **fields}``, lazy fields evaluated."""
        out: dict[str, Any] = {"value": self.value, "strategy": self.strategy}
        for name in self._fields:
            out[name] = getattr(self, name)
        return out

    def walk(self, start: Any, step: Callable[[Any, Any], Any]) -> Iterator[tuple[Any, Any]]:
        """Follow the recorded choices from *start*: yield ``(state, label)`` pairs.

        Parameters
        ----------
        start
            The first state, usually the goal (a bare value for a one-argument
            recurrence, a tuple otherwise).
        step : callable
            ``step(state, label) -> next state`` (``None`` to stop). The walk
            also stops at a state with no recorded choice (a base case).

        Yields
        ------
        (state, label)
            Each state along the chain and the label :func:`choose` recorded.

        Raises
        ------
        dptoolkit.CycleError
            If the chain comes back to a state it has visited.
        dptoolkit.InvalidInput
            If the run recorded no choices (``window=`` runs keep none).

        Examples
        --------
        >>> import dptoolkit as dp
        >>> coins = (1, 3, 4)
        >>> @dp.recurrence(states=lambda a: range(a + 1))
        ... def fewest(a):
        ...     if a == 0:
        ...         return 0
        ...     return dp.choose(((fewest(a - c) + 1, c) for c in coins if c <= a), best=min)
        >>> sol = fewest.solve(6, strategy="bottom_up")
        >>> [coin for a, coin in sol.walk(6, lambda a, coin: a - coin)]
        [3, 3]
        """
        if self._choices_note:
            raise InvalidInput(self._choices_note)
        check_callable_step = callable(step)
        if not check_callable_step:
            raise InvalidType(f"step={show(step)} must be callable")
        return self._walk(start, step)

    def _walk(self, start: Any, step: Callable[[Any, Any], Any]) -> Iterator[tuple[Any, Any]]:
        choices = self.choices
        seen: set[Any] = set()
        state = start
        while state is not None:
            try:
                label = choices[state]
            except (KeyError, TypeError):
                return
            if state in seen:
                raise CycleError(f"the choices lead back to state {show(state)}", cycle=[state])
            seen.add(state)
            yield state, label
            state = step(state, label)

    def __repr__(self) -> str:
        parts = [f"value={show(self.value)}", f"strategy={self.strategy!r}"]
        for name in self._fields:
            if name in self.__dict__:
                parts.append(f"{name}={show(self.__dict__[name])}")
            else:
                parts.append(f"{name}=<lazy>")
        return f"Solution({', '.join(parts)})"


_RESERVED = frozenset(
    {"value", "strategy", "stats", "table", "choices", "fields", "as_dict", "walk", "with_fields"}
)


def choose(candidates: Iterable[tuple[Any, Any]], best: Any) -> Any:
    """Pick the best ``(value, label)`` candidate and record its label.

    The label is recorded as the choice of the state being computed, in
    whichever strategy is running, so the witness can be rebuilt from
    ``sol.choices`` afterwards.

    Parameters
    ----------
    candidates : iterable of (value, label)
        The options of this state. A generator is fine: it is consumed
        before the choice is recorded.
    best : min or max
        ``min`` (or ``"min"``) for the smallest value, ``max`` for the largest;
        the first of equal values wins.

    Returns
    -------
    The best value.

    Raises
    ------
    dptoolkit.InvalidInput
        If there are no candidates, or a candidate is not a pair, or *best* is
        not ``min`` or ``max``.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> dp.choose([(3, "left"), (5, "right"), (5, "down")], best=max)
    5
    >>> weights, values = (2, 3, 4), (3, 4, 6)
    >>> @dp.recurrence(states=lambda i, w: dp.grid(i + 1, w + 1))
    ... def knap(i, w):
    ...     if i == 0:
    ...         return 0
    ...     options = [(knap(i - 1, w), "skip")]
    ...     if weights[i - 1] <= w:
    ...         options.append((knap(i - 1, w - weights[i - 1]) + values[i - 1], "take"))
    ...     return dp.choose(options, best=max)
    >>> sol = knap.solve(3, 6, strategy="bottom_up")
    >>> sol.value, sol.choices[3, 6], sol.choices[2, 2]
    (9, 'take', 'skip')
    """
    if best is max or best == "max":
        maximize = True
    elif best is min or best == "min":
        maximize = False
    else:
        raise InvalidInput(f"best={show(best)} must be min or max")
    found = False
    best_value: Any = None
    best_label: Any = None
    for item in candidates:
        try:
            value, label = item
        except (TypeError, ValueError):
            raise InvalidInput(f"candidate {show(item)} must be a (value, label) pair") from None
        if not found or (value > best_value if maximize else value < best_value):
            best_value, best_label, found = value, label, True
    if not found:
        raise InvalidInput("candidates=[] must hold at least one (value, label) pair")
    run = ACTIVE.get()
    if run is not None and run.choices is not None:
        stack = run.stack
        if stack is not None:
            state = stack[-1] if stack else None
        else:
            state = run.current() if run.current is not None else None
        run.choices[state] = best_label
    return best_value
