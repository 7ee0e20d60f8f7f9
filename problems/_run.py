"""Running a catalog problem under a strategy: the rules every solver shares.

Private to :mod:`dptoolkit.problems`. Every public solver checks its own
arguments, then comes here, so these read the same everywhere:

* :func:`pick` checks ``strategy`` (``strategy='greedy' must be one of
  'auto', 'naive', ...``; a problem without a kernel adds ``rod_cutting has
  no 'fast' kernel``) and resolves ``"auto"``: ``"fast"`` where the problem
  has a kernel, ``"bottom_up"`` otherwise;
* :func:`run` runs the problem's recurrence; a ``naive`` run is first costed
  by :func:`naive_calls` (calls and depth of its call tree, counted by one
  memoized run of the same body, so no second copy of the recurrence's
  call structure exists) and refused with :class:`~dptoolkit.BudgetExceeded`
  before the exponential run starts when it is too big;
* :func:`refuse_naive` is that refusal for a reason of the problem's own.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec

from dptoolkit._labels import Labels
from dptoolkit._validate import check_choice, check_sequence, show
from dptoolkit.errors import BudgetExceeded, InvalidInput, InvalidType
from dptoolkit.spaces import Space, _range_size

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = [
    "ENGINE",
    "FAST_MEMORY_LIMIT",
    "NAIVE_DEPTH_LIMIT",
    "READ_LIMIT",
    "TABLE_STATE_LIMIT",
    "WITH_FAST",
    "WORK_LIMIT",
    "Auto",
    "big_product_work",
    "check_memory",
    "check_symbols",
    "check_work",
    "is_nan",
    "naive_calls",
    "pick",
    "refuse_naive",
    "run",
    "run_term",
    "same_type",
    "shows_auto",
    "state",
    "wiring",
]

#: The strategies the recurrence engine runs (a problem without a kernel).
ENGINE = ("naive", "top_down", "bottom_up")
#: The strategies of a problem with a hand-tuned kernel.
WITH_FAST = (*ENGINE, "fast")

#: Most calls a ``strategy="naive"`` run of a catalog problem may make (a second or two).
NAIVE_CALL_LIMIT = 1_000_000

#: Most levels of plain recursion below the goal that ``strategy="naive"`` may
#: make: each level is an interpreter frame, and the default limit is 1000.
NAIVE_DEPTH_LIMIT = 300

#: Most states a ``top_down`` or ``bottom_up`` run may compute: a table of Python
#: objects that size takes a few hundred MB and tens of seconds to fill.
TABLE_STATE_LIMIT = 2**25

#: Most memory (bytes) a ``fast`` kernel may set out to use: past it, a clear
#: error naming the argument instead of a ``MemoryError`` or a swapping machine.
FAST_MEMORY_LIMIT = 2**31

#: Most candidates a ``top_down`` or ``bottom_up`` run may read over all its
#: states (each a call of the recurrence inside the body): about 0.2-0.8 us each
#: here, so at most a minute or so. Past it, a run whose states fit would still
#: take hours (``lis`` of 100,000 items reads 5 billion).
READ_LIMIT = 2**26

#: Most work (machine-word operations, roughly) a number-sequence run may set out
#: to do: about a minute here. Past it a run that fits in memory would still take
#: hours (``factorial(10**8)``, ``catalan(10**5)`` bottom_up), so it is refused.
WORK_LIMIT = 2**36


def pick(strategy: object, strategies: Sequence[str], *, problem: str) -> str:
    """Check *strategy* against ``("auto", *strategies)`` and resolve ``"auto"``.

    ``"auto"`` is ``"fast"`` where the problem has a kernel, else ``"bottom_up"``.
    """
    allowed = ("auto", *strategies)
    if isinstance(strategy, str) and strategy == "fast" and "fast" not in strategies:
        listed = ", ".join(repr(s) for s in allowed)
        raise InvalidInput(
            f"strategy='fast' must be one of {listed}; {problem} has no 'fast' kernel"
        )
    chosen = check_choice("strategy", strategy, allowed)
    if chosen == "auto":
        return "fast" if "fast" in strategies else "bottom_up"
    return chosen


class Auto(str):
    """The strategy ``"auto"`` chose: equal to its name, shown as ``strategy='fast' (auto)``."""

    __slots__ = ()
    auto = True


_P = ParamSpec("_P")


def shows_auto(solve: Callable[_P, Solution]) -> Callable[_P, Solution]:
    """Mark what a solver returns for ``strategy="auto"``, so its repr says auto chose it."""

    @functools.wraps(solve)
    def solver(*args: _P.args, **kwargs: _P.kwargs) -> Solution:
        sol = solve(*args, **kwargs)
        if kwargs.get("strategy", "auto") == "auto":
            sol.strategy = Auto(sol.strategy)
        return sol

    return solver


def run(
    rec: Recurrence,
    goal: tuple[Any, ...],
    strategy: str,
    *,
    visits: int | None = None,
    reads: int | None = None,
    k: int | None = None,
) -> Solution:
    """``rec.solve(*goal, strategy=strategy, k=k)``, refused first when the run would be too big.

    A ``naive`` run is costed by :func:`naive_calls`. A ``bottom_up`` run
    fills every declared state, and a ``top_down`` run computes at most
    *visits* states (a bound the problem knows, exact where its memo reaches
    every state); past :data:`TABLE_STATE_LIMIT` either is refused. A problem
    whose states read many others gives *reads*, the candidates its body reads
    over all states; past :data:`READ_LIMIT` either strategy is refused.
    """
    if strategy == "naive":
        naive_calls(rec, goal)
    elif strategy == "bottom_up":
        filled = _size(rec.space(*goal))
        if filled is not None and filled > TABLE_STATE_LIMIT:
            raise _too_many_states(strategy, "fill", filled)
    elif visits is not None and visits > TABLE_STATE_LIMIT:
        raise _too_many_states(strategy, "compute up to", visits)
    if strategy != "naive" and reads is not None and reads > READ_LIMIT:
        raise BudgetExceeded(
            f"strategy={strategy!r} would read about {reads:,} sub-results on this instance "
            f"(more than {READ_LIMIT:,}, about a minute); use a smaller instance"
        )
    if k is not None:
        return rec.solve(*goal, strategy=strategy, k=k)
    return rec.solve(*goal, strategy=strategy)


def run_term(
    n: int,
    strategy: object,
    problem: str,
    build: Callable[[int], tuple[Recurrence, tuple[int]]],
    fast: Callable[[int], Any],
    fast_bytes: int,
    table_bytes: int,
    *,
    fast_work: int = 0,
    table_work: int = 0,
    term: str = "term",
) -> Solution:
    """``solve(n)`` of a number sequence (fibonacci, catalan, factorial): states ``0 .. n``.

    *term* names what the table holds at ``n`` (``"F(n)"``), for its pictures.

    *n* is checked already. ``fast(n)`` is the kernel and *fast_bytes* what it
    may hold; *table_bytes* is what a ``top_down`` or ``bottom_up`` table of the
    big numbers ``0 .. n`` holds (far fewer states than
    :data:`TABLE_STATE_LIMIT` can still be gigabytes of digits). Both are
    checked before any work, and so are *fast_work* and *table_work*, the
    word operations each would take (:data:`WORK_LIMIT`).
    """
    from dptoolkit.recurrence import Solution

    chosen = pick(strategy, WITH_FAST, problem=problem)
    if chosen == "fast":
        check_memory("n", n, fast_bytes)
        check_work("n", n, fast_work)
        return Solution(fast(n), strategy="fast")
    if chosen != "naive" and n <= TABLE_STATE_LIMIT:  # past it, run() refuses the states
        check_memory("n", n, table_bytes, strategy=chosen)
        check_work("n", n, table_work, strategy=chosen)
    rec, goal = build(n)
    sol = run(rec, goal, chosen, visits=n + 1)
    return sol.with_fields(labels=Labels((f"n: {term}",), goal=n))


def naive_calls(
    rec: Recurrence,
    goal: tuple[Any, ...],
    *,
    limit: int = NAIVE_CALL_LIMIT,
    max_depth: int = NAIVE_DEPTH_LIMIT,
) -> int:
    """The calls plain recursion makes from *goal*; refused before it starts past *limit*.

    Counted by one memoized run of the recurrence's own body (the engine's
    seam routes its self-calls here, as :mod:`dptoolkit.trace` does): a
    state's naive call count is one plus its callees' counts, repeats
    included, so the count costs about what a ``top_down`` run does, never
    what the exponential run would, and it stops as soon as a partial count
    passes *limit*. A chain of calls more than *max_depth* levels below the
    goal is refused too (plain recursion takes one interpreter frame per level).

    >>> import dptoolkit as dp
    >>> @dp.recurrence(states=lambda n: range(n + 1))
    ... def fib(n):
    ...     return n if n < 2 else fib(n - 1) + fib(n - 2)
    >>> naive_calls(fib, (20,))
    21891
    >>> naive_calls(fib, (40,))
    Traceback (most recent call last):
    ...
    dptoolkit.errors.BudgetExceeded: strategy='naive' would make more than 1,000,000 calls on this instance; use 'top_down' or 'bottom_up'
    >>> naive_calls(fib, (500,), limit=10**9)
    Traceback (most recent call last):
    ...
    dptoolkit.errors.BudgetExceeded: strategy='naive' would recurse more than 300 levels deep on this instance; use 'top_down' or 'bottom_up'
    """
    from dptoolkit.recurrence import _seam  # the engine's strategy seam: see its docstring

    key, normalize, arity, varargs = rec._key, rec._normalize, rec._arity, rec._varargs
    member = rec._membership(goal)
    values: dict[Any, Any] = {}
    counts: dict[Any, int] = {}  # state -> calls of its naive call tree
    heights: dict[Any, int] = {}  # state -> levels of calls below it in that tree
    live: list[Any] = []  # the states being computed, innermost last
    totals: list[int] = []  # their running call counts
    tallest: list[int] = []  # and heights
    choices: dict[Any, Any] = {}

    def too_many() -> BudgetExceeded:
        return BudgetExceeded(
            f"strategy='naive' would make more than {limit:,} calls on this instance; "
            "use 'top_down' or 'bottom_up'",
            max_calls=limit,
        )

    def too_deep() -> BudgetExceeded:
        return BudgetExceeded(
            f"strategy='naive' would recurse more than {max_depth:,} levels deep on "
            "this instance; use 'top_down' or 'bottom_up'"
        )

    def credit(total: int, height: int) -> None:
        """Add a finished call tree below the innermost live state."""
        if not totals:
            return
        totals[-1] += total
        if totals[-1] > limit:
            raise too_many()
        if height >= tallest[-1]:
            tallest[-1] = height + 1
            if len(live) - 1 + tallest[-1] > max_depth:
                raise too_deep()

    def call(*args: Any, **kw: Any) -> Any:
        if kw or (not varargs and len(args) != arity):
            args = normalize(args, kw)
        state = key(args)
        if state in values:
            credit(counts[state], heights[state])
            return values[state]
        if state in live:
            raise _seam.cycle_error(rec, [*live[live.index(state) :], state])
        if member is not None and not member(state):
            _seam.outside(rec, args, rec._state_args(live[-1]) if live else None)
        if len(live) > max_depth:
            raise too_deep()
        live.append(state)
        totals.append(1)
        tallest.append(0)
        try:
            value = body(*args)
        finally:
            live.pop()
            total, height = totals.pop(), tallest.pop()
        values[state], counts[state], heights[state] = value, total, height
        credit(total, height)
        return value

    body = rec._rebind(call)
    try:
        with _seam.routed(rec, call, _seam.Run(lambda: live[-1] if live else None, choices)):
            call(*goal)
    except RecursionError:
        raise too_deep() from None
    return counts[key(goal)]


def _size(space: object) -> int | None:
    """The number of states of a declared space, when it is known without listing them."""
    if isinstance(space, range):
        return _range_size(space)
    if isinstance(space, Space):
        return space.size
    return None


def _too_many_states(strategy: str, verb: str, states: int) -> BudgetExceeded:
    return BudgetExceeded(
        f"strategy={strategy!r} would {verb} {states:,} states on this instance (more than "
        f"{TABLE_STATE_LIMIT:,}); use another strategy or a smaller instance"
    )


def check_memory(
    name: str,
    value: object,
    nbytes: int,
    *,
    limit: int = FAST_MEMORY_LIMIT,
    shown: str | None = None,
    strategy: str = "fast",
) -> None:
    """Refuse a run (``fast`` unless *strategy* says) needing more than *limit* bytes because of *name*.

    The message shows ``name=value`` (*shown* replaces the value's ``repr``).
    """
    if nbytes > limit:
        raise InvalidInput(
            f"{name}={shown or show(value)} is too large for strategy={strategy!r}: it would need about "
            f"{nbytes / 2**30:,.1f} GiB of memory (more than {limit / 2**30:,.0f} GiB)"
        )


def big_product_work(bits: int) -> int:
    """Word operations of one product of two *bits*-bit integers (Karatsuba, 30-bit digits)."""
    return int((bits / 30 + 1) ** 1.585)


def check_work(name: str, value: object, work: int, *, strategy: str = "fast") -> None:
    """Refuse a run that would take far longer than a minute (*work* word operations)."""
    if work > WORK_LIMIT:
        raise InvalidInput(
            f"{name}={show(value)} is too large for strategy={strategy!r}: it would take "
            f"about {work / 2**30:,.0f} billion word operations (more than "
            f"{WORK_LIMIT / 2**30:,.0f} billion, about a minute)"
        )


def refuse_naive(what: str) -> BudgetExceeded:
    """The error for a naive run refused for a problem-specific reason (*what* it would do)."""
    return BudgetExceeded(
        f"strategy='naive' would {what} on this instance; use 'top_down' or 'bottom_up'"
    )


def check_symbols(name: str, value: object) -> Sequence[Hashable]:
    """A sequence of hashable items, none of them NaN (it would not equal itself)."""
    seq = check_sequence(name, value)
    if isinstance(seq, (str, bytes, bytearray)):
        return seq
    try:
        frozenset(seq)
        plain = True
    except TypeError:
        plain = False
    for k, item in enumerate(seq):
        if not plain:
            try:
                hash(item)
            except TypeError:
                raise InvalidType(f"{name}[{k}]={show(item)} must be hashable") from None
        if is_nan(item):
            raise InvalidInput(f"{name}[{k}]={show(item)} never equals itself; remove NaN items")
    return seq


def is_nan(item: object) -> bool:
    """Whether *item* is a NaN of any number type (float, numpy scalar, Decimal, complex)."""
    return isinstance(item, numbers.Number) and bool(item != item)


def same_type(like: Sequence[Hashable], items: list[Hashable]) -> Sequence[Hashable]:
    """*items* as a sequence of *like*'s kind: ``str``, ``bytes``, ``tuple``, else a list."""
    if isinstance(like, str):
        return "".join(items)  # type: ignore[arg-type]
    if isinstance(like, (bytes, bytearray)):
        return type(like)(items)  # type: ignore[arg-type]
    if isinstance(like, tuple):
        return tuple(items)
    return items


def state(choices: Any, key: tuple[Any, ...]) -> Any:
    """The label recorded for *key* (states of one argument may be stored bare)."""
    if key in choices:
        return choices[key]
    if len(key) == 1 and key[0] in choices:
        return choices[key[0]]
    raise KeyError(key)


def wiring(
    module: str,
    solve: Callable[..., Solution],
    build: Callable[..., tuple[Recurrence, tuple[Any, ...]]],
    strategies: Sequence[str],
) -> dict[str, Any]:
    """The fields of a catalog entry that point into its own module.

    ``dp.Problem(name=..., summary=..., ..., **wiring(__name__, solve, build, STRATEGIES))``:
    the defining module, its ``solve`` and ``build``, and the strategies ``solve`` takes.
    """
    return {"module": module, "solve": solve, "build": build, "strategies": tuple(strategies)}
