"""``@dp.recurrence``: write a recurrence once, run it naive, top-down or bottom-up.

The decorated body is ordinary Python that calls itself by name for its
subproblems. Each run routes those calls to the strategy that is running:

* ``naive`` -- plain recursion, no cache, with a call budget and a depth guard;
* ``top_down`` -- memoized recursion on :func:`dptoolkit.memoize` (deep
  recursions work, cycles are detected);
* ``bottom_up`` -- a table filled in the order of the declared states; a read
  is a table lookup.

Every run returns a :class:`Solution` with the value, :class:`Stats` (calls,
hits, misses, states, peak table size), the choices recorded by
:func:`choose` and, for ``bottom_up``, the table.

How calls are routed
--------------------
A solve builds a private copy of the body whose own name (a closure cell or a
global) points straight at the running strategy's entry (the table reader,
the memoized function, the counting shim), so a recursive call costs one
Python call and no lookup. Calls that reach the :class:`Recurrence` object
itself (from a helper function, say) find the running strategy through a
:class:`contextvars.ContextVar`, so two solves on two threads or in two
asyncio tasks never see each other.
"""

from __future__ import annotations

import builtins
import contextlib
import dis
import functools
import inspect
import itertools
import math
import numbers
import sys
import textwrap
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from ._fold import fold
from ._validate import check_choice, check_function_kind, check_int, show
from .errors import BudgetExceeded, CycleError, InvalidInput, InvalidType, OrderError
from .spaces import Grid, Space, Subsets, _range_size, _state_guard

if TYPE_CHECKING:
    from .trace import Trace

__all__ = ["Recurrence", "Solution", "Stats", "choose", "recurrence"]

STRATEGIES = ("naive", "top_down", "bottom_up")

#: Default call budget of ``strategy="naive"``: a few seconds at most.
NAIVE_MAX_CALLS = 2_000_000

# Python frames one level of naive recursion takes (shim + body), plus slack
# for helpers the body may call.
_FRAMES_PER_LEVEL = 2
_DEPTH_MARGIN = 60


class _Unfilled:
    """The marker of a table cell no state has written yet."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unfilled>"


_U = _Unfilled()


# --------------------------------------------------------------------------
# Stats, Solution, choose
# --------------------------------------------------------------------------


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


class _Run:
    """A running solve, as :func:`choose` sees it: where to record a choice.

    The state being computed is the last of *stack* when there is one (the
    states being computed, innermost last; ``None`` when empty), else what
    *current* returns.
    """

    __slots__ = ("choices", "current", "stack")

    def __init__(
        self,
        current: Callable[[], Any] | None,
        choices: dict[Any, Any] | None,
        stack: list[Any] | None = None,
    ) -> None:
        self.current = current
        self.choices = choices
        self.stack = stack


_ACTIVE: ContextVar[_Run | None] = ContextVar("dptoolkit.recurrence.active", default=None)


@contextlib.contextmanager
def _routed(rec: Recurrence, route: Callable[..., Any], run: _Run) -> Iterator[None]:
    """While the block runs, calls of *rec* go to *route* and choices are recorded in *run*."""
    route_token = rec._route.set(route)
    active_token = _ACTIVE.set(run)
    try:
        yield
    finally:
        _ACTIVE.reset(active_token)
        rec._route.reset(route_token)


def _cycle_error(rec: Recurrence, cycle: list[Any]) -> CycleError:
    """The error for a chain of live calls (states, first == last) that came back to a state."""
    chain = " -> ".join(rec._fmt(rec._state_args(s)) for s in cycle)
    return CycleError(
        f"state {rec._fmt(rec._state_args(cycle[-1]))} depends on itself: {chain}", cycle=cycle
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
    run = _ACTIVE.get()
    if run is not None and run.choices is not None:
        stack = run.stack
        if stack is not None:
            state = stack[-1] if stack else None
        else:
            state = run.current() if run.current is not None else None
        run.choices[state] = best_label
    return best_value


# --------------------------------------------------------------------------
# The decorator
# --------------------------------------------------------------------------


StatesArg = Callable[..., Iterable[Any]] | Iterable[Any] | None


@overload
def recurrence(body: Callable[..., Any], /) -> Recurrence: ...
@overload
def recurrence(*, states: StatesArg = None) -> Callable[[Callable[..., Any]], Recurrence]: ...
def recurrence(
    body: Callable[..., Any] | None = None, /, *, states: StatesArg = None
) -> Recurrence | Callable[[Callable[..., Any]], Recurrence]:
    """Turn a recursive function into a recurrence that runs every way.

    Parameters
    ----------
    body : callable
        The recurrence: a function of the state's arguments that calls itself
        by name for subproblems. Positional parameters only (defaults allowed).
    states : callable or iterable, optional
        ``states(*goal)`` returns the states in a valid bottom-up order (each
        after the states it reads): ``range(n + 1)``, ``dp.grid(r, c)``,
        ``dp.intervals(n)``, ``dp.subsets(n)`` or any iterable of states
        (a bare value for one argument, tuples for several). A fixed space
        (not a callable) is used for every goal. Needed for ``bottom_up``;
        it also lets ``top_down`` and ``naive`` reject states outside it.

    Returns
    -------
    Recurrence
        Call it for the value (top-down), or use ``.solve`` and ``.trace``.

    Raises
    ------
    dptoolkit.InvalidType
        If *body* is not callable, takes keyword-only or ``**kwargs``
        parameters, or *states* is a one-shot iterator.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> @dp.recurrence(states=lambda n, k: dp.grid(n + 1, k + 1))
    ... def binom(n, k):
    ...     if k == 0 or k == n:
    ...         return 1
    ...     if k > n:
    ...         return 0
    ...     return binom(n - 1, k - 1) + binom(n - 1, k)
    >>> binom(10, 3)
    120
    >>> binom.solve(10, 3, strategy="bottom_up").value
    120
    >>> binom.solve(10, 3, strategy="naive").stats.calls
    239

    Notes
    -----
    The body must be pure in its arguments (closures over instance data are
    fine): ``top_down`` may re-run a state after unwinding a deep recursion,
    and the three strategies must see the same function.
    """
    if body is not None:
        return Recurrence(body, states=states)

    def decorate(func: Callable[..., Any]) -> Recurrence:
        return Recurrence(func, states=states)

    return decorate


@functools.lru_cache(maxsize=256)
def _writes_globals(code: types.CodeType) -> bool:
    """True if *code* (or code nested in it) assigns or deletes a global name."""
    for instr in dis.get_instructions(code):
        if instr.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
            return True
    return any(isinstance(c, types.CodeType) and _writes_globals(c) for c in code.co_consts)


@functools.lru_cache(maxsize=256)
def _may_pass_keywords(code: types.CodeType, names: tuple[str, ...]) -> bool:
    """True if *code* may call something with a keyword among *names* (or ``**kwargs``).

    Keyword names of a call are a constant tuple of strings, so a body whose
    constants name no parameter cannot call itself by keyword.
    """
    wanted = set(names)
    for const in code.co_consts:
        if isinstance(const, tuple) and any(c in wanted for c in const if isinstance(c, str)):
            return True
        if isinstance(const, types.CodeType) and _may_pass_keywords(const, names):
            return True
    for instr in dis.get_instructions(code):
        if instr.opname == "CALL_FUNCTION_EX" and (instr.arg or 0) & 1:
            return True
    return False


@functools.lru_cache(maxsize=256)
def _global_names(code: types.CodeType) -> frozenset[str]:
    """The names *code* (or code nested in it) may read as globals or attributes."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return frozenset(names)


class Recurrence:
    """A recurrence that runs naive, top-down or bottom-up. Made by :func:`recurrence`.

    Calling it returns the value top-down (inside a running solve, a call is
    routed to that solve instead). ``.solve`` returns a :class:`Solution`;
    ``.trace`` a :class:`~dptoolkit.Trace` of the call tree.
    """

    def __init__(self, body: Callable[..., Any], *, states: StatesArg = None) -> None:
        if not callable(body):
            raise InvalidType(f"body={show(body)} must be callable")
        check_function_kind("body", body, allow_async=False)
        if states is not None and not callable(states) and iter(states) is states:
            raise InvalidType(
                f"states={show(states)} is a one-shot iterator; pass a function of the goal "
                "or a re-iterable space (range, dp.grid(...), a list)"
            )
        self._body = body
        self._states = states
        self._route: ContextVar[Callable[..., Any] | None] = ContextVar(
            f"dptoolkit.recurrence.route.{getattr(body, '__qualname__', 'body')}", default=None
        )
        try:
            sig = inspect.signature(body)
        except (TypeError, ValueError):
            sig = None
        self._signature = sig
        params: list[inspect.Parameter] = list(sig.parameters.values()) if sig else []
        kinds = {p.kind for p in params}
        if inspect.Parameter.KEYWORD_ONLY in kinds or inspect.Parameter.VAR_KEYWORD in kinds:
            raise InvalidType(
                f"body {getattr(body, '__qualname__', body)!r} must take positional parameters "
                "only (a state is a tuple of arguments)"
            )
        self._varargs = sig is None or inspect.Parameter.VAR_POSITIONAL in kinds
        self._names = tuple(
            p.name for p in params if p.kind is not inspect.Parameter.VAR_POSITIONAL
        )
        self._arity = len(self._names)
        self._has_defaults = any(p.default is not inspect.Parameter.empty for p in params)
        self.__name__ = getattr(body, "__name__", "recurrence")
        functools.update_wrapper(self, body)

    # -- naming and normalizing states -------------------------------------

    @property
    def states(self) -> StatesArg:
        """The ``states=`` given to the decorator."""
        return self._states

    def _normalize(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
        """Positional state from a call's arguments (keywords and defaults applied)."""
        if (
            not kwargs
            and (self._varargs or len(args) == self._arity)
            and not (self._varargs and self._arity and len(args) < self._arity)
        ):
            return args
        if self._signature is None:
            raise InvalidInput(f"{self.__name__} takes positional arguments only, got {kwargs!r}")
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise InvalidType(f"{self.__name__}: {exc}") from None
        bound.apply_defaults()
        return tuple(bound.args)

    def _key(self, args: tuple[Any, ...]) -> Any:
        """The natural key of a state: the bare argument for one-argument bodies."""
        return args[0] if self._arity == 1 and not self._varargs else args

    def _state_args(self, state: Any) -> tuple[Any, ...]:
        """The arguments of a state given by its key (the inverse of :meth:`_key`)."""
        return (state,) if self._arity == 1 and not self._varargs else tuple(state)

    def _args_of(self, item: Any) -> tuple[Any, ...]:
        """A state from the states iterable as a tuple of arguments."""
        if self._arity == 1 and not self._varargs:
            if isinstance(item, tuple) and len(item) == 1:
                return item
            return (item,)
        if isinstance(item, tuple):
            if not self._varargs and len(item) != self._arity:
                raise InvalidInput(
                    f"states yielded {show(item)}, but {self.__name__} takes "
                    f"{self._arity} arguments {self._names}"
                )
            return item
        if self._arity == 1 or self._varargs:
            return (item,)
        raise InvalidInput(
            f"states yielded {show(item)}, but {self.__name__} takes {self._arity} arguments "
            f"{self._names}: yield tuples"
        )

    def _fmt(self, args: tuple[Any, ...]) -> str:
        return f"{self.__name__}({', '.join(show(a) for a in args)})"

    def space(self, *goal: Any, **kwargs: Any) -> Iterable[Any] | None:
        """The declared states of the instance whose goal is *goal* (``None`` if undeclared).

        Examples
        --------
        >>> import dptoolkit as dp
        >>> @dp.recurrence(states=lambda n: range(n + 1))
        ... def fib(n):
        ...     return n if n < 2 else fib(n - 1) + fib(n - 2)
        >>> fib.space(4)
        range(0, 5)
        """
        return self._space(self._normalize(goal, kwargs))

    def _space(self, goal: tuple[Any, ...]) -> Iterable[Any] | None:
        states = self._states
        if states is None:
            return None
        if callable(states):
            space = states(*goal)
            if space is None or not isinstance(space, Iterable):
                raise InvalidType(
                    f"states{show(goal)} returned {show(space)}; it must return an iterable "
                    "of states"
                )
            return space
        return states

    def _membership(self, goal: tuple[Any, ...]) -> Callable[[Any], bool] | None:
        """A cheap membership test of the declared space, or None when there is none."""
        return _member_of(self._space(goal))

    # -- calling -------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        route = self._route.get()
        if route is None:
            return self._run(self._normalize(args, kwargs), "top_down", None, None).value
        if kwargs:
            args = self._normalize(args, kwargs)
        return route(*args)

    def __repr__(self) -> str:
        return f"<recurrence {getattr(self._body, '__qualname__', self.__name__)}>"

    def solve(
        self,
        *args: Any,
        strategy: str = "top_down",
        max_calls: int | None = None,
        window: int | None = None,
        **kwargs: Any,
    ) -> Solution:
        """Solve for the goal state *args* with one strategy.

        Parameters
        ----------
        *args, **kwargs
            The goal state (keywords are matched to the body's parameters).
        strategy : {"top_down", "bottom_up", "naive"}
            How to run the recurrence.
        max_calls : int, optional
            The call budget of ``naive`` (default 2,000,000, a few seconds);
            the table strategies make a few calls per state and ignore it.
        window : int, optional
            ``bottom_up`` only: keep just the last *window* rows of the table
            along the first axis of the states (memory of a row, not the whole
            table). The value only: no table and no choices are kept.

        Returns
        -------
        Solution
            ``.value``, ``.strategy``, ``.stats``, ``.choices`` and, for
            ``bottom_up``, ``.table``.

        Raises
        ------
        dptoolkit.OrderError
            ``bottom_up`` read a state the order has not filled yet (or that
            left the window); ``.state`` and ``.needed`` name both.
        dptoolkit.CycleError
            A state depends on itself.
        dptoolkit.BudgetExceeded
            ``naive`` passed ``max_calls``, or recursed deeper than the
            interpreter allows.
        dptoolkit.InvalidInput
            A bad option, or a state outside the declared states.

        Examples
        --------
        >>> import dptoolkit as dp
        >>> @dp.recurrence(states=lambda n: range(n + 1))
        ... def fib(n):
        ...     return n if n < 2 else fib(n - 1) + fib(n - 2)
        >>> sol = fib.solve(90, strategy="bottom_up")
        >>> sol.value, sol.stats.states
        (2880067194370816120, 91)
        >>> fib.solve(90, strategy="bottom_up", window=3).value
        2880067194370816120
        >>> fib.solve(10, strategy="naive").stats
        Stats(calls=177, hits=0, misses=177, states=11, peak=0)
        """
        check_choice("strategy", strategy, STRATEGIES)
        if max_calls is not None:
            max_calls = check_int("max_calls", max_calls, minimum=1)
        if window is not None:
            window = check_int("window", window, minimum=1)
            if strategy != "bottom_up":
                raise InvalidInput(
                    f"window={window} needs strategy='bottom_up', not strategy={strategy!r}"
                )
        return self._run(self._normalize(args, kwargs), strategy, max_calls, window)

    def trace(
        self,
        *args: Any,
        strategy: str = "top_down",
        max_calls: int | None = None,
        **kwargs: Any,
    ) -> Trace:
        """Record the call tree of a ``top_down`` or ``naive`` run.

        Parameters
        ----------
        *args, **kwargs
            The goal state.
        strategy : {"top_down", "naive"}
            Memoized recursion (hits marked) or plain recursion.
        max_calls : int, optional
            The most calls to record (default 200,000); past it,
            :class:`~dptoolkit.BudgetExceeded`. Traces are for study.

        Returns
        -------
        Trace
            ``.calls``, ``.hits``, ``.misses``, ``.render()``, ``.graph()``.

        Examples
        --------
        >>> import dptoolkit as dp
        >>> @dp.recurrence(states=lambda n: range(n + 1))
        ... def fib(n):
        ...     return n if n < 2 else fib(n - 1) + fib(n - 2)
        >>> t = fib.trace(5)
        >>> t.calls, t.misses, t.hits
        (9, 6, 3)
        >>> fib.trace(5, strategy="naive").calls
        15
        """
        from .trace import run_trace

        check_choice("strategy", strategy, ("top_down", "naive"))
        if max_calls is not None:
            max_calls = check_int("max_calls", max_calls, minimum=1)
        return run_trace(self, self._normalize(args, kwargs), strategy, max_calls)

    # -- routing ---------------------------------------------------------------

    def _rebind(self, route: Callable[..., Any]) -> Callable[..., Any]:
        """A copy of the body whose references to this recurrence call *route*.

        Falls back to the body itself (calls then reach the recurrence object,
        which routes through the context variable) when the body is not a
        plain function or assigns globals.
        """
        func, set_route = self._copy()
        set_route(route)
        return func

    def _copy(
        self,
        code: types.CodeType | None = None,
        extra: Mapping[str, types.CellType] | None = None,
    ) -> tuple[Callable[..., Any], Callable[[Callable[..., Any]], None]]:
        """A copy of the body, and the setter of where its calls of this recurrence go.

        The copy runs *code* (by default the body's own), whose free names
        are the body's plus those of *extra* (cells by name). Until the setter
        is called, its calls of this recurrence have nowhere to go. Without
        *code*, the body itself is returned when no reference needs routing
        (it is not a plain function, or it names the recurrence nowhere).
        """
        body = self._body
        if not isinstance(body, types.FunctionType):
            return body, _ignore
        own = body.__code__
        cells = dict(zip(own.co_freevars, body.__closure__ or (), strict=True))
        route = types.CellType()  # empty until the setter fills it
        changed = False
        for name, cell in cells.items():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if contents is self:
                cells[name] = route
                changed = True
        globs = body.__globals__
        names = [n for n in _global_names(own) if globs.get(n) is self]
        if names and not _writes_globals(own):
            # a global name: a copy of the globals (one that assigns globals
            # keeps the real ones, and its calls route through the recurrence)
            globs = dict(globs)
            changed = True
        else:
            names = []
        if not changed and code is None:
            return body, _ignore
        cells.update(extra or {})
        code = code or own
        func = types.FunctionType(
            code,
            globs,
            body.__name__,
            body.__defaults__,
            tuple(cells[n] for n in code.co_freevars) or None,
        )
        func.__kwdefaults__ = body.__kwdefaults__

        def set_route(target: Callable[..., Any]) -> None:
            route.cell_contents = target
            for name in names:
                globs[name] = target

        return func, set_route

    def _run(
        self,
        goal: tuple[Any, ...],
        strategy: str,
        max_calls: int | None,
        window: int | None,
    ) -> Solution:
        if strategy == "naive":
            return _solve_naive(self, goal, max_calls or NAIVE_MAX_CALLS)
        if strategy == "top_down":
            return _solve_top_down(self, goal)
        return _solve_bottom_up(self, goal, window)


def _ignore(target: Callable[..., Any]) -> None:
    """The route setter of a body that never names its recurrence."""


def _frame_depth() -> int:
    depth = 0
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def _depth_allowance() -> int:
    """How many levels of plain recursion fit under the interpreter's limit from here."""
    room = sys.getrecursionlimit() - _frame_depth() - _DEPTH_MARGIN
    return max(1, room // _FRAMES_PER_LEVEL)


# --------------------------------------------------------------------------
# naive
# --------------------------------------------------------------------------


def _solve_naive(rec: Recurrence, goal: tuple[Any, ...], max_calls: int) -> Solution:
    member = rec._membership(goal)
    normalize = rec._normalize
    arity = rec._arity
    varargs = rec._varargs
    key = rec._key
    fmt = rec._fmt
    max_depth = _depth_allowance()
    stack: list[tuple[Any, ...]] = []
    live: set[Any] = set()
    seen: set[Any] = set()
    choices: dict[Any, Any] = {}
    calls = 0
    body: Callable[..., Any] = rec._body

    def call(*args: Any, **kw: Any) -> Any:
        nonlocal calls
        if kw or (not varargs and len(args) != arity):
            args = normalize(args, kw)
        calls += 1
        if calls > max_calls:
            raise BudgetExceeded(
                f"strategy='naive' passed max_calls={max_calls:,} at {fmt(args)}; "
                "use 'top_down' or 'bottom_up', or raise max_calls",
                max_calls=max_calls,
            )
        state = key(args)
        if state in live:
            where = next(i for i, s in enumerate(stack) if key(s) == state)
            raise _cycle_error(rec, [key(s) for s in stack[where:]] + [state])
        if member is not None and not member(state):
            _outside(rec, args, stack[-1] if stack else None)
        if len(stack) >= max_depth:
            raise BudgetExceeded(
                f"strategy='naive' reached recursion depth {len(stack):,} at {fmt(args)}, "
                f"deeper than the interpreter allows (sys.getrecursionlimit()="
                f"{sys.getrecursionlimit()}); use 'top_down' or 'bottom_up'"
            )
        seen.add(state)
        live.add(state)
        stack.append(args)
        try:
            return body(*args)
        finally:
            stack.pop()
            live.discard(state)

    body = rec._rebind(call)
    try:
        with _routed(rec, call, _Run(lambda: key(stack[-1]), choices)):
            value = call(*goal)
    except RecursionError as exc:
        raise BudgetExceeded(
            f"strategy='naive' ran out of interpreter stack at recursion depth "
            f"{len(stack):,} (sys.getrecursionlimit()={sys.getrecursionlimit()}); "
            "use 'top_down' or 'bottom_up'"
        ) from exc
    stats = Stats(calls=calls, hits=0, misses=calls, states=len(seen), peak=0)
    return Solution(value, strategy="naive", stats=stats, choices=choices)


def _outside(rec: Recurrence, args: tuple[Any, ...], parent: tuple[Any, ...] | None) -> None:
    where = f" (read by {rec._fmt(parent)})" if parent is not None else ""
    raise InvalidInput(f"state {rec._fmt(args)}{where} is outside the declared states")


# --------------------------------------------------------------------------
# top_down
# --------------------------------------------------------------------------


def _solve_top_down(rec: Recurrence, goal: tuple[Any, ...]) -> Solution:
    from .memo import memoize

    space = rec._space(goal)
    key = rec._key
    choices: dict[Any, Any] = {}
    stack: list[Any] = []  # the states being computed (keys), innermost last, for choose
    normalize = rec._normalize
    arity = rec._arity
    varargs = rec._varargs
    compute, set_route = _top_down_compute(rec, space, stack)
    compute.__name__ = compute.__qualname__ = rec.__name__  # memo names states by it
    memo = memoize(compute)

    def entry(*args: Any, **kw: Any) -> Any:
        if kw or (not varargs and len(args) != arity):
            args = normalize(args, kw)
        return memo(*args)

    direct = not (rec._has_defaults or varargs)
    if direct and isinstance(rec._body, types.FunctionType):
        direct = not _may_pass_keywords(rec._body.__code__, rec._names)
    set_route(memo if direct else entry)
    try:
        with _routed(rec, entry, _Run(None, choices, stack)):
            value = memo(*goal)
    except RecursionError as exc:  # past the memo engine's depth bound
        raise BudgetExceeded(
            f"strategy='top_down' recursed too deep at {rec._fmt(goal)}: {exc}; "
            "use 'bottom_up' or a smaller instance"
        ) from exc
    except CycleError as exc:
        # the memo engine names states by its keys (argument tuples): use the states
        if exc.cycle is not None:
            exc.cycle = [key(c) if isinstance(c, tuple) else c for c in exc.cycle]
        raise
    info = memo.cache_info()
    stats = Stats(
        calls=info.hits + info.misses,
        hits=info.hits,
        misses=info.misses,
        states=info.misses,
        peak=info.currsize,
    )
    return Solution(value, strategy="top_down", stats=stats, choices=choices)


# The function top_down memoizes runs once per state computed (a miss): it
# checks the state against the declared space, pushes it on the stack of
# states being computed (the top is the state choose records for; popped in
# ``finally``, as the memo engine's unwind passes through) and runs the body.
# A box of exact ints is tested inline; any other state goes to ``_dp_slow``,
# the general test, which raises for a state outside. Best, that bookkeeping
# is folded into a copy of the body itself (``_fold``): one Python frame per
# level, as with ``dp.memoize`` alone, and few more slots in it (frames are
# copied whenever the memo engine unwinds a deep recursion). Else it is a
# wrapper generated with the body's parameter names (no ``*args`` tuple).
_COMPUTE = """
def _dp_make(_dp_body, _dp_stack, _dp_slow, _dp_type, _dp_int, _dp_k):
    def _dp_compute({params}):
{prologue}
        try:
            return _dp_body({params})
        finally:
{epilogue}
    def _dp_set_body(body):
        nonlocal _dp_body
        _dp_body = body
    return _dp_compute, _dp_set_body
"""


def _top_down_compute(
    rec: Recurrence, space: Iterable[Any] | None, stack: list[Any]
) -> tuple[Callable[..., Any], Callable[[Callable[..., Any]], None]]:
    """The function to memoize for one top_down solve, and the setter of its route.

    *stack* receives the states being computed, innermost last. The route
    (where the body's calls of the recurrence go: the memoized function) is
    set afterwards, since it is made from the function returned.
    """
    member = _member_of(space)
    key = rec._key

    def outside(state: Any) -> None:
        # the inline test failed (or there is none): the general one decides
        if member is not None and not member(state):
            parent = rec._state_args(stack[-1]) if stack else None
            _outside(rec, rec._state_args(state), parent)

    body = rec._body
    if _can_generate(rec):
        names = rec._names
        state = names[0] if rec._arity == 1 else "(" + "".join(f"{n}, " for n in names) + ")"
        epilogue = "_dp_stack.pop()\n"
        helpers: dict[str, Any] = {"_dp_stack": stack, "_dp_slow": outside}
        if isinstance(body, types.FunctionType):
            builtin = _builtins_in_scope(body, ("type", "int"))
            exact = "type({}) is int" if builtin else "_dp_type({}) is _dp_int"
            prologue, constants = _prologue(space, member, names, state, exact)
            helpers["_dp_k"] = constants
            if not builtin:
                helpers.update(_dp_type=type, _dp_int=int)
            code = fold(body, prologue, epilogue, tuple(helpers))
            if code is not None:
                return rec._copy(code, {n: types.CellType(v) for n, v in helpers.items()})
        prologue, constants = _prologue(space, member, names, state, "_dp_type({}) is _dp_int")
        make = _factory(
            _COMPUTE.format(
                params=", ".join(names),
                prologue=textwrap.indent(prologue, " " * 8).rstrip("\n"),
                epilogue=textwrap.indent(epilogue, " " * 12).rstrip("\n"),
            )
        )
        compute, set_body = make(None, stack, outside, type, int, constants)
        return compute, lambda route: set_body(rec._rebind(route))

    run: list[Callable[..., Any]] = [body]

    def compute_any(*args: Any) -> Any:
        state = key(args)
        if member is not None:
            outside(state)
        stack.append(state)
        try:
            return run[0](*args)
        finally:
            stack.pop()

    def set_route(route: Callable[..., Any]) -> None:
        run[0] = rec._rebind(route)

    return compute_any, set_route


def _prologue(
    space: Iterable[Any] | None,
    member: Callable[[Any], bool] | None,
    names: tuple[str, ...],
    state: str,
    exact: str,
) -> tuple[str, tuple[Any, ...]]:
    """The first lines of the function top_down memoizes, and the constants they read."""
    push = f"_dp_stack.append({state})\n"
    if member is None:
        return push, ()
    guard = _state_guard(space, names, exact=exact, constants="_dp_k")
    if guard is None:
        return f"_dp_slow({state})\n{push}", ()
    test, constants = guard
    return f"if not ({test}):\n    _dp_slow({state})\n{push}", constants


def _builtins_in_scope(func: types.FunctionType, names: tuple[str, ...]) -> bool:
    """True if *names*, read in *func*'s body, are the builtins (nothing shadows them)."""
    code = func.__code__
    local = set(code.co_varnames) | set(code.co_freevars) | set(code.co_cellvars)
    builtins_ = func.__globals__.get("__builtins__")
    if isinstance(builtins_, types.ModuleType):
        builtins_ = builtins_.__dict__
    if not isinstance(builtins_, dict):
        return False
    return all(
        n not in local and n not in func.__globals__ and builtins_.get(n) is getattr(builtins, n)
        for n in names
    )


def _member_of(space: Iterable[Any] | None) -> Callable[[Any], bool] | None:
    """The membership test of a declared space, or None when it has no cheap one."""
    if isinstance(space, (Space, range, set, frozenset)):
        return space.__contains__
    return None


# --------------------------------------------------------------------------
# bottom_up
# --------------------------------------------------------------------------

# A reader is generated per recurrence so that a table read is one Python
# call with the body's own parameter names (defaults and keywords work).
# ``_dp_make(_dp_U, _dp_slow, ...)`` returns the reader and a hit counter;
# a read that finds no value goes to ``_dp_slow(state)``, which raises.
_READER = """
def _dp_make(_dp_U, _dp_slow, {args}):
    _dp_hits = 0
    def {name}({params}):
        nonlocal _dp_hits
        try:
{find}
        except TypeError:
            pass
        return _dp_slow(({tuple}))
    def _dp_count():
        return _dp_hits
    return {name}, _dp_count
"""


def _compile_reader(rec: Recurrence, args: str, guards: list[str], cell: str) -> Any:
    """The factory of a reader of *rec* that returns *cell* when every guard holds."""
    names = rec._names
    lines = []
    pad = " " * 12
    for guard in guards:
        lines.append(f"{pad}if {guard}:")
        pad += "    "
    lines += [
        f"{pad}_dp_v = {cell}",
        f"{pad}if _dp_v is not _dp_U:",
        f"{pad}    _dp_hits += 1",
        f"{pad}    return _dp_v",
    ]
    return _factory(
        _READER.format(
            args=args,
            find="\n".join(lines),
            name="read",
            params=", ".join(names),
            tuple="".join(f"{n}, " for n in names),
        )
    )


def _flat_expr(names: Sequence[str], dims: Sequence[str]) -> str:
    """The row-major offset of a state in a box of sides *dims*, as an expression."""
    flat = names[0]
    for p, d in zip(names[1:], dims[1:], strict=True):
        flat = f"({flat}) * {d} + {p}"
    return flat


def _can_generate(rec: Recurrence) -> bool:
    return (
        not rec._varargs
        and rec._arity > 0
        and all(n.isidentifier() and not n.startswith("_dp_") for n in rec._names)
    )


@functools.lru_cache(maxsize=512)
def _factory(source: str) -> Any:
    """The ``_dp_make`` factory defined by *source* (compiled once per distinct source)."""
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # generated from identifiers only
    return namespace["_dp_make"]


def _set_defaults(rec: Recurrence, reader: Any) -> None:
    body = rec._body
    if rec._has_defaults and isinstance(body, types.FunctionType):
        reader.__defaults__ = body.__defaults__


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


def _solve_bottom_up(rec: Recurrence, goal: tuple[Any, ...], window: int | None) -> Solution:
    space = rec._space(goal)
    if space is None:
        raise InvalidInput(
            f"strategy='bottom_up' needs the states: declare @dp.recurrence(states=...) "
            f"for {rec.__name__}"
        )
    fill = _Fill(rec)
    fill.window = window
    box = _box_of(space, rec._arity) if _can_generate(rec) else None
    choices: dict[Any, Any] | None = None if window is not None else {}
    key = rec._key
    run = _Run(lambda: key(fill.current) if fill.current is not None else None, choices)
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
    with _routed(rec, reader, run):
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
    else:
        sol._choices_note = f"window={window} keeps no choices; solve without window to walk them"
    return sol


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
            make = _compile_reader(
                rec, ", ".join(["_dp_V", *dims]), [bounds], f"_dp_V[{_flat_expr(names, dims)}]"
            )
            self.reader, self.count = make(_U, fill.missing, self.values, *shape)
            self.tags: list[Any] = []
        else:
            # row p0 lives in slot p0 % window while tag[slot] == p0
            rest = _flat_expr(names[1:], dims[1:]) if nd > 1 else "0"
            self.slots = window * self.row
            self.values = [_U] * self.slots
            self.tags = [None] * window
            p0 = names[0]
            make = _compile_reader(
                rec,
                ", ".join(["_dp_V", "_dp_G", "_dp_K", "_dp_R", *dims]),
                [bounds, f"_dp_G[(_dp_r := {p0} % _dp_K)] == {p0}"],
                f"_dp_V[_dp_r * _dp_R + {rest}]",
            )
            self.reader, self.count = make(
                _U, fill.missing, self.values, self.tags, window, self.row, *shape
            )
            fill.evicted_rows = self._evicted
        _set_defaults(rec, self.reader)
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
                base = i * width
                fill.row = i
                for j in cols:
                    fill.col = j
                    values[base + j] = body(i, j)
                count += len(cols)
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
                base = slot * row
                fill.row = i
                for j in cols:
                    fill.col = j
                    values[base + j] = body(i, j)
                count += len(cols)
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
        if _can_generate(rec) and window is None:
            key = (
                rec._names[0]
                if rec._arity == 1
                else "(" + "".join(f"{n}, " for n in rec._names) + ")"
            )
            make = _compile_reader(rec, "_dp_T", [], f"_dp_T.get({key}, _dp_U)")
            self.reader, self.count = make(_U, fill.missing, store)
            _set_defaults(rec, self.reader)
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
                table[key(args)] = body(*args)
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
            row = rows.get(first)
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
