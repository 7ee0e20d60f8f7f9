"""The decorator: :func:`recurrence` and :class:`Recurrence`, and how a solve is routed.

A :class:`Recurrence` names and normalizes states (a state is a tuple of
arguments; a one-argument body's state is the bare argument), finds the
declared space of a goal, and hands a solve to one strategy module
(``_naive``, ``_top_down``, ``_bottom_up``) or a trace to :mod:`dptoolkit.trace`.

How calls are routed
--------------------
A solve builds a private copy of the body whose own name (a closure cell or a
global) points straight at the running strategy's entry (the table reader,
the memoized function, the counting shim), so a recursive call costs one
Python call and no lookup (:meth:`Recurrence._rebind`). Calls that reach the
:class:`Recurrence` object itself (from a helper function, say) find the
running strategy through a :class:`contextvars.ContextVar`, set by
:func:`~._seam.routed`, so two solves on two threads or in two asyncio tasks
never see each other.

Imports the strategies, the seam and code generation; none of them imports
this module (the recurrence only for type checking).
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, overload

from .._validate import check_choice, check_int, show
from ..errors import DPError, InvalidInput, InvalidType
from ._bottom_up import solve_bottom_up
from ._k_run import solve_k
from ._naive import solve_naive
from ._rebind import copy_body
from ._seam import member_of
from ._solution import Solution
from ._top_down import solve_top_down

if TYPE_CHECKING:
    from ..trace import Trace

__all__ = ["NAIVE_MAX_CALLS", "STRATEGIES", "Recurrence", "recurrence"]

STRATEGIES = ("naive", "top_down", "bottom_up")

#: Default call budget of ``strategy="naive"``: a few seconds at most.
NAIVE_MAX_CALLS = 2_000_000


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
        If *body* is not callable, is a generator or ``async`` function
        (a body returns its value), takes keyword-only or ``**kwargs``
        parameters, or *states* is neither callable nor iterable, or a
        one-shot iterator (all checked here, at decoration). A *states*
        function that cannot take the goal's arguments, or raises
        ``TypeError``/``ValueError`` for them, raises ``InvalidType`` /
        ``InvalidInput`` naming ``states`` and the goal at the first solve.

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


class Recurrence:
    """A recurrence that runs naive, top-down or bottom-up. Made by :func:`recurrence`.

    Calling it returns the value top-down (inside a running solve, a call is
    routed to that solve instead). ``.solve`` returns a :class:`Solution`;
    ``.trace`` a :class:`~dptoolkit.Trace` of the call tree.
    """

    def __init__(self, body: Callable[..., Any], *, states: StatesArg = None) -> None:
        if not callable(body):
            raise InvalidType(f"body={show(body)} must be callable")
        if inspect.isgeneratorfunction(body) or inspect.isasyncgenfunction(body):
            raise InvalidType(
                f"body {getattr(body, '__qualname__', body)!r} is a generator function; a "
                "recurrence body must return the value of its state"
            )
        if inspect.iscoroutinefunction(body):
            raise InvalidType(
                f"body {getattr(body, '__qualname__', body)!r} is an async function; a "
                "recurrence body must return the value of its state (memoize coroutines "
                "with @dp.memoize)"
            )
        if states is not None and not callable(states):
            try:
                one_shot = iter(states) is states
            except TypeError:
                raise InvalidType(
                    f"states={show(states)} must be a function of the goal (states(*goal) -> "
                    "iterable of states) or a re-iterable space (range, dp.grid(...), a list)"
                ) from None
            if one_shot:
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
        self._k: int | None = None  # the K of a k= run's derived recurrence (see _solve_k)
        # the axes its pictures name (a catalog build sets it; see problems._run.labelled)
        self._axes: Callable[[], Any] | None = None
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
            hint = ""
            if self._names[:1] in (("self",), ("cls",)):
                hint = (
                    f" ({self.__name__} takes {self._names[0]} as a state: a recurrence is a "
                    "function of its states, not a method; build it inside the method)"
                )
            raise InvalidType(f"{self.__name__}: {exc}{hint}") from None
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
        >>> from dptoolkit.problems import fibonacci
        >>> fib, goal = fibonacci.build(4)  # fib(n) = fib(n - 1) + fib(n - 2), states 0..n
        >>> fib.space(*goal)
        range(0, 5)
        """
        return self._space(self._normalize(goal, kwargs))

    def _space(self, goal: tuple[Any, ...]) -> Iterable[Any] | None:
        states = self._states
        if states is None:
            return None
        if callable(states):
            try:
                space = states(*goal)
            except DPError:
                raise
            except TypeError as exc:
                raise InvalidType(
                    f"states={_name_of(states)} failed for the goal {self._fmt(goal)}: "
                    f"TypeError: {exc}"
                ) from exc
            except ValueError as exc:
                raise InvalidInput(
                    f"states={_name_of(states)} failed for the goal {self._fmt(goal)}: "
                    f"ValueError: {exc}"
                ) from exc
            if space is None or not isinstance(space, Iterable):
                raise InvalidType(
                    f"states{show(goal)} returned {show(space)}; it must return an iterable "
                    "of states"
                )
            return space
        return states

    def _membership(self, goal: tuple[Any, ...]) -> Callable[[Any], bool] | None:
        """A cheap membership test of the declared space, or None when there is none."""
        return member_of(self._space(goal))

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
        k: int | None = None,
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
        k : int, optional
            The K best values with one witness each, in ``sol.k_best`` (a
            list of Solution, best first; ``sol`` is the best). For bodies
            that combine sub-results only by ``+`` of constants and
            :func:`~dptoolkit.choose`; see ``docs/many-answers.md``. A body
            with a parameter named ``k`` keeps ``k=`` for that argument when
            the goal needs it (``binom.solve(n=10, k=3)``); with the goal
            complete without it, ``k=`` is the K (``binom.solve(10, 3, k=5)``).

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
            A bad option, or a state outside the declared states; with
            ``k=``, a body that does more to sub-results than ``+`` of
            constants and ``dp.choose`` (the message says what).

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
        if k is not None and "k" in self._names:
            # the body has a parameter k: k= names it when the goal needs it (as before
            # k= was an option), else it is the K of the K best
            try:
                goal = self._normalize(args, {**kwargs, "k": k})
                k = None
            except DPError:
                goal = self._normalize(args, kwargs)
        else:
            goal = self._normalize(args, kwargs)
        if k is not None:
            k = check_int("k", k, minimum=1)
            if window is not None:
                raise InvalidInput(f"k={k} keeps the choices of K answers: drop window={window}")
            return solve_k(self, goal, strategy, max_calls, k)
        return self._run(goal, strategy, max_calls, window)

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
        >>> from dptoolkit.problems import fibonacci
        >>> fib, goal = fibonacci.build(5)  # fib(n) = fib(n - 1) + fib(n - 2), states 0..n
        >>> t = fib.trace(*goal)
        >>> t.calls, t.misses, t.hits
        (9, 6, 3)
        >>> fib.trace(*goal, strategy="naive").calls
        15
        """
        from ..trace import run_trace

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

        See :func:`~._rebind.copy_body`.
        """
        return copy_body(self, code, extra)

    def _run(
        self,
        goal: tuple[Any, ...],
        strategy: str,
        max_calls: int | None,
        window: int | None,
    ) -> Solution:
        if strategy == "naive":
            return solve_naive(self, goal, max_calls or NAIVE_MAX_CALLS)
        if strategy == "top_down":
            return solve_top_down(self, goal)
        return solve_bottom_up(self, goal, window)


def _name_of(func: Any) -> str:
    """A function as a message shows it: its qualified name, else its repr."""
    name = getattr(func, "__qualname__", None)
    return name if isinstance(name, str) else show(func)
