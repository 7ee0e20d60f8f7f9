"""What a solve returns: :class:`Solution` and :class:`Stats`.

A Solution of the engine also answers "how many optimal answers, which, and
the K best" (:meth:`Solution.count`, :meth:`Solution.witnesses`,
:attr:`Solution.k_best`) from what the run recorded; the work is in
``_many`` and ``_kbest``. Imports those two only (and the package's errors
and validation), so every strategy may import it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .._labels import Labels, missing, strategy_text
from .._shown import Shown
from .._validate import check_int, show
from ..errors import CycleError, InvalidInput, InvalidType
from . import _many
from ._kdistinct import KRun, k_best_of
from ._many import Hook

__all__ = ["Solution", "Stats"]


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
    >>> from dptoolkit.problems import fibonacci
    >>> fib, goal = fibonacci.build(5)  # fib(n) = fib(n - 1) + fib(n - 2), states 0..n
    >>> fib.solve(*goal, strategy="top_down").stats
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


class Solution(Shown):
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
        self._stats = stats
        self._labels: Labels | None = None  # the table's axes, for pictures
        self._table = table
        self.choices: dict[Any, Any] = dict(choices) if choices is not None else {}
        self._choices_note = ""
        self._goal: Any = _NO_GOAL  # the goal's state key, for count() and witnesses()
        self._ties: dict[Any, list[Any]] | None = None  # None: the run recorded no ties
        self._hook = Hook()
        self._kraw: KRun | None = None  # a k= solve's entries, and how to draw more
        self._again: Callable[[], Solution] | None = None  # an auto kernel answer's re-solve
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
        """The filled table (numpy array or dict) of a bottom-up run; else ``NotRecorded``."""
        table = self._table
        if isinstance(table, _Deferred):
            return table.get()
        if table is None:
            raise missing(self, "table")
        return table

    def with_fields(
        self,
        *,
        value: Any = _KEEP,
        witness: Mapping[str, Any] | None = None,
        lazy: Mapping[str, Callable[[], Any]] | None = None,
        step: Callable[[Any, Any], Any] | None = None,
        witness_of: Callable[[Solution], Mapping[str, Any]] | None = None,
        count_by: Callable[[Solution], int] | None = None,
        labels: Labels | None = None,
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
        step : callable, optional
            How a choice leads on, for :meth:`count` and :meth:`witnesses`:
            ``step(state, label)`` -> the next state, ``None`` at the end, or
            a list of states when the choice splits the problem in parts.
        witness_of : callable, optional
            ``witness_of(sol) -> {field: value}``: the problem's witness
            fields of a Solution from its ``choices`` (by ``sol.walk``); each
            of :meth:`witnesses` and :attr:`k_best` gets its fields this way.
        count_by : callable, optional
            ``count_by(sol) -> int``: the problem's own count of distinct
            witnesses, for problems where different choice paths give one
            witness (LCS: one subsequence, several embeddings); it must
            agree with ``len(set(...))`` of the witnesses' fields.
        labels : optional
            The table's axis names and ticks, for pictures; by default this one's.

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
        >>> from dptoolkit.problems import coin_change
        >>> fewest, goal = coin_change.build([1, 3, 4], 6)  # each amount records its last coin
        >>> sol = fewest.solve(*goal, strategy="bottom_up")
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
            stats=self._stats,
            witness=ready,
            lazy=later,
        )
        new.choices = self.choices  # shared, not copied: a run's choices are never changed
        new._table = self._table
        new._choices_note = self._choices_note
        new._goal, new._ties, new._kraw = self._goal, self._ties, self._kraw
        new._again = self._again
        new._hook = self._hook.updated(step, witness_of, count_by)
        new._labels = labels if labels is not None else self._labels
        return new

    def _recorded(self, goal: Any, ties: dict[Any, list[Any]] | None) -> None:
        """Set by a strategy: the goal's state key and the ties its run recorded."""
        self._goal = goal
        self._ties = ties

    # -- more than one answer ------------------------------------------------

    def _follow(self, step: Any) -> Callable[[Any, Any], Any]:
        """The step to follow the choices by, after checking the run recorded what is needed."""
        if self._choices_note:
            raise InvalidInput(self._choices_note)
        if self._kraw is not None:
            raise InvalidInput("a k= solve records no ties; solve without k= to count or list")
        if self._ties is None or self._goal is _NO_GOAL:
            raise InvalidInput(
                f"strategy={self.strategy!r} recorded no ties; count() and witnesses() need a "
                "solve by the engine (top_down, bottom_up or naive)"
            )
        step = step if step is not None else self._hook.step
        if step is None:
            raise InvalidInput(
                "step=None: say how a choice leads on, step(state, label) -> next state "
                "(None at the end, a list of states for a split), as for sol.walk"
            )
        return _many.check_step(step)

    def count(self, step: Callable[[Any, Any], Any] | None = None) -> int:
        """The exact number of distinct optimal witnesses.

        A DP over the choices and ties :func:`~dptoolkit.choose` recorded
        (each state reached once; no enumeration), or the problem's own
        ``count_by`` (see :meth:`with_fields`). 0 for an infeasible answer
        (an infinite value, as in :attr:`k_best`, or ``False``).

        Parameters
        ----------
        step : callable, optional
            ``step(state, label)`` -> the next state (``None`` at the end, a
            list of states for a split); by default the one the problem
            declared with :meth:`with_fields`.

        Raises
        ------
        dptoolkit.InvalidInput
            Without a step, or for a solution that recorded no ties (a
            ``fast`` kernel's, a ``window=`` or ``k=`` solve's).
        dptoolkit.CycleError
            If the choices come back to a state.

        Examples
        --------
        >>> import dptoolkit as dp
        >>> @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
        ... def paths(i, j):
        ...     if i == 0 and j == 0:
        ...         return 0
        ...     moves = []
        ...     if i:
        ...         moves.append((paths(i - 1, j) + 1, (i - 1, j)))
        ...     if j:
        ...         moves.append((paths(i, j - 1) + 1, (i, j - 1)))
        ...     return dp.choose(moves, best=min)
        >>> sol = paths.solve(2, 2, strategy="bottom_up")
        >>> sol.value, sol.count(step=lambda state, to: to)
        (4, 6)
        """
        return _many.count_of(self, step)

    def witnesses(
        self, limit: int | None = None, *, step: Callable[[Any, Any], Any] | None = None
    ) -> Iterator[Solution]:
        """Every optimal witness, lazily, each a Solution with its own ``choices``.

        Each has this solution's value, strategy and stats, the ``choices``
        of that witness alone (so ``w.walk(...)`` follows it) and the
        problem's witness fields (``witness_of`` of :meth:`with_fields`). No
        two have the same fields (the same choices, without fields). The
        first arrives after one walk.

        Parameters
        ----------
        limit : int, optional
            Stop after this many.
        step : callable, optional
            As for :meth:`count`.

        Examples
        --------
        >>> from dptoolkit.problems import coin_change
        >>> fewest, goal = coin_change.build([1, 2, 3], 4)  # each amount records its last coin
        >>> sol = fewest.solve(*goal).with_fields(
        ...     step=lambda a, c: a - c or None,
        ...     witness_of=lambda s: {"coins": [c for _, c in s.walk(4, lambda a, c: a - c)]})
        >>> sol.value, sol.count(), [w.coins for w in sol.witnesses()]
        (2, 3, [[1, 3], [2, 2], [3, 1]])
        """
        if limit is not None:
            limit = check_int("limit", limit, minimum=0)
        return _many.witnesses_of(self, limit, step)

    @property
    def k_best(self) -> list[Solution]:
        """The K best distinct witnesses of a ``solve(..., k=K)``, best first, each once.

        Each is a Solution with its value, the ``choices`` of its witness and
        the problem's witness fields (``witness_of`` of :meth:`with_fields`);
        no two have the same fields (where several choice paths give one
        witness, more paths are drawn, see :mod:`._kdistinct`). Infeasible
        entries (an infinite value) are left out, so there may be fewer than K.

        Raises
        ------
        dptoolkit.BudgetExceeded
            If K distinct witnesses are not among ``max(16 K, 256)`` best
            choice paths.
        """
        raw = self._kraw
        if raw is None:
            raise InvalidInput("k_best needs a solve with k=K: rec.solve(*goal, k=K)")
        cached = self.__dict__.get("_kcache")
        if cached is None:
            cached = k_best_of(self, raw)
            self.__dict__["_kcache"] = cached
        return list(cached)

    def __getattr__(self, name: str) -> Any:
        lazy = self.__dict__.get("_lazy")
        if lazy and name in lazy:
            value = lazy[name]()
            self.__dict__[name] = value
            return value
        if name == "table":  # the property raised NotRecorded
            raise missing(self, name)
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
        parts = [f"value={show(self.value)}", f"strategy={strategy_text(self.strategy)}"]
        for name in self._fields:
            if name in self.__dict__:
                parts.append(f"{name}={show(self.__dict__[name])}")
            else:
                parts.append(f"{name}=<lazy>")
        return f"Solution({', '.join(parts)})"


_RESERVED = Shown.NAMES | {
    "value",
    "strategy",
    "table",
    "choices",
    "fields",
    "as_dict",
    "walk",
    "with_fields",
    "witnesses",
    "k_best",
}

_NO_GOAL: Any = object()
