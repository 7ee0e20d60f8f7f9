"""The K best answers of one recurrence: a value that carries K entries through ``+`` and choose.

``rec.solve(*goal, k=K)`` runs the body unchanged, but every sub-result it
reads is a :class:`KBest`: up to *K* ``(value, trace)`` entries, best first,
where a trace says which choices built the value. The operations a body may
apply to sub-results are the semiring's:

* ``sub + c``, ``c + sub``, ``sub - c`` for a constant number *c* -- every
  entry moves by *c*;
* ``a + b`` of two sub-results -- the K best sums (a split into two parts,
  as interval recurrences do);
* :func:`~dptoolkit.choose` -- the K best entries over all candidates, each
  traced through the candidate's label (:func:`choose_k`).

Anything else (comparing sub-results, ``max``/``min``, multiplying, using one
as a number or a truth value) raises :class:`~dptoolkit.InvalidInput` naming
the operation, since the K best values cannot follow it. Imports only the
package's errors and validation.
"""

from __future__ import annotations

import heapq
import inspect
import math
import numbers
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from operator import itemgetter
from typing import Any, NoReturn

from .._validate import show
from ..errors import BudgetExceeded, InvalidInput

__all__ = [
    "KBest",
    "Lifted",
    "Refused",
    "choices_of",
    "choose_k",
    "entries_of",
    "finite",
    "infinite",
    "lift",
    "refusal",
]

_VALUE = itemgetter(0)

# a trace: None (a base case), ("c", state, label, trace) (a choice), or
# ("j", trace, trace) (two parts added)
Trace = Any


class Refused(InvalidInput):
    """What a body did that K-best cannot follow (the solve names the recurrence and K)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _refuse(what: str) -> NoReturn:
    raise Refused(what)


def refusal(name: str, k: int, what: str) -> InvalidInput:
    """The error a ``k=`` solve raises for a body that did *what*."""
    return InvalidInput(
        f"k={k} follows only bodies that combine sub-results by + of constants and "
        f"dp.choose; the body of {name} {what}"
    )


_PLAIN_NUMBERS = (int, float)


def _constant(other: Any) -> bool:
    kind = type(other)
    if kind in _PLAIN_NUMBERS:
        return True
    return isinstance(other, numbers.Number) and kind is not bool


class KBest:
    """Up to K ``(value, trace)`` entries, best first; *maximize* is None while unknown.

    ``sub + c`` is O(1): the result shares *entries* and keeps *c* as *off*
    (each value is ``v + off``), added where the entries are merged
    (:func:`choose_k`) or read (:meth:`items`). A second shift applies the
    first, so every value is summed in the body's order, as the plain solve
    sums it.
    """

    __slots__ = ("entries", "k", "maximize", "off")

    def __init__(
        self, entries: list[tuple[Any, Trace]], k: int, maximize: bool | None, off: Any = None
    ) -> None:
        self.entries = entries
        self.k = k
        self.maximize = maximize
        self.off = off

    def __repr__(self) -> str:
        return f"KBest({[v for v, _ in self.items()]!r})"

    def items(self) -> list[tuple[Any, Trace]]:
        """The entries with their values (the offset added)."""
        off = self.off
        if off is None:
            return self.entries
        return [(v + off, t) for v, t in self.entries]

    def _shift(self, c: Any) -> KBest:
        if self.off is None:
            return KBest(self.entries, self.k, self.maximize, c)
        return KBest(self.items(), self.k, self.maximize, c)

    def __add__(self, other: Any) -> KBest:
        kind = type(other)
        if kind is int or kind is float:  # the common case, inline
            if self.off is None:
                return KBest(self.entries, self.k, self.maximize, other)
            return KBest(self.items(), self.k, self.maximize, other)
        if kind is KBest:
            return _sums(self, other)
        if _constant(other):
            return self._shift(other)
        _refuse(f"added {show(other)} (not a number) to a sub-result")

    def __radd__(self, other: Any) -> KBest:
        if _constant(other):
            return self._shift(other)
        _refuse(f"added a sub-result to {show(other)} (not a number)")

    def __sub__(self, other: Any) -> KBest:
        if _constant(other):
            return self._shift(-other)
        _refuse("subtracted a sub-result from another")

    def __rsub__(self, other: Any) -> NoReturn:
        _refuse("subtracted a sub-result from a constant (its order reverses)")

    def _compare(self, other: Any) -> NoReturn:
        _refuse("compared sub-results (max(), min(), sorted() and < compare: use dp.choose)")

    __lt__ = __le__ = __gt__ = __ge__ = _compare

    def __eq__(self, other: object) -> NoReturn:
        _refuse("compared sub-results with == (use dp.choose)")

    __ne__ = __eq__
    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> NoReturn:
        _refuse("used a sub-result as a truth value")

    def _number(self) -> NoReturn:
        _refuse("used a sub-result as a number (int(), float(), round(), an index)")

    __int__ = __float__ = __index__ = __round__ = __complex__ = _number

    def _arith(self, other: Any = None) -> NoReturn:
        _refuse("multiplied, divided or negated a sub-result")

    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _arith
    __mod__ = __rmod__ = __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = _arith


def lift(result: Any, k: int) -> KBest:
    """A state's result as a KBest (a base case's constant is one entry)."""
    if isinstance(result, KBest):
        return result
    if not _constant(result):
        _refuse(f"returned {show(result)}, not a number")
    return KBest([(result, None)], k, None)


class Lifted:
    """A body whose result is lifted to a KBest: what a ``k=`` run's derived recurrence runs.

    Not a plain function, so the strategies call it as it is (no folding, no
    rebinding); it has the body's signature, so its states are the body's.
    """

    def __init__(
        self,
        func: Callable[..., Any],
        set_route: Callable[[Callable[..., Any]], None],
        k: int,
        signature: inspect.Signature | None,
        name: str,
        most: int | None = None,
    ) -> None:
        self.func = func
        self.set_route = set_route  # where the copy's calls of the recurrence go
        self.k = k
        self.most = most  # the most entries the run may hold over all its states
        self.held = 0
        self.__signature__ = signature
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args: Any) -> KBest:
        result = self.func(*args)
        if type(result) is not KBest:
            result = lift(result, self.k)
        if self.most is not None:
            self.held += len(result.entries)
            if self.held > self.most:
                raise BudgetExceeded(
                    f"k={self.k}: the run would hold more than {self.most:,} entries "
                    f"(up to {self.k:,} per state, one per choice path kept); ask a smaller "
                    "k or solve a smaller instance"
                )
        return result


def _direction(a: KBest, b: KBest) -> bool | None:
    if a.maximize is not None and b.maximize is not None and a.maximize != b.maximize:
        _refuse("added a sub-result chosen with best=min to one chosen with best=max")
    return a.maximize if a.maximize is not None else b.maximize


def _sums(a: KBest, b: KBest) -> KBest:
    """The K best ``x + y`` over the entries of *a* and *b* (a frontier over the sorted lists)."""
    k = a.k
    maximize = _direction(a, b)
    xs, ys = a.items(), b.items()
    if len(xs) == 1 or len(ys) == 1 or maximize is None:
        pairs = [(x + y, ("j", s, t)) for x, s in xs for y, t in ys]
        return KBest(pairs[:k], k, maximize)
    sign = -1 if maximize else 1
    out: list[tuple[Any, Trace]] = []
    heap = [(sign * (xs[0][0] + ys[0][0]), 0, 0)]
    seen = {(0, 0)}
    while heap and len(out) < k:
        _, i, j = heapq.heappop(heap)
        out.append((xs[i][0] + ys[j][0], ("j", xs[i][1], ys[j][1])))
        for p, q in ((i + 1, j), (i, j + 1)):
            if p < len(xs) and q < len(ys) and (p, q) not in seen:
                seen.add((p, q))
                heapq.heappush(heap, (sign * (xs[p][0] + ys[q][0]), p, q))
    return KBest(out, k, maximize)


def _value_of(off: Any, maximize: bool) -> Callable[[tuple[Any, Trace]], Any]:
    """The key that orders a source's entries ascending (values, with the offset)."""
    if off is None:
        return (lambda e: -e[0]) if maximize else _VALUE
    return (lambda e: -(e[0] + off)) if maximize else (lambda e: e[0] + off)


#: the smallest K for which :func:`_cut` pays for its bisections
CUT_FROM = 16


def _cut(
    sources: list[tuple[Any, list[tuple[Any, Trace]], Any]], maximize: bool, k: int
) -> list[tuple[Any, list[tuple[Any, Trace]], Any]]:
    """*sources* less the entries that cannot be among the K best.

    A source holding K entries bounds the rest: with ``T`` its K-th value,
    an entry worse than ``T`` has K entries before it, and so has one equal
    to ``T`` from a later source (the first source wins ties). The best such
    bound is used; each source is cut by a bisection.
    """
    if k < CUT_FROM:
        return sources
    bound: Any = None
    at = -1
    for i, (_, entries, off) in enumerate(sources):
        if len(entries) >= k:
            kth = entries[k - 1][0] if off is None else entries[k - 1][0] + off
            if bound is None or (kth > bound if maximize else kth < bound):
                bound, at = kth, i
    if bound is None:
        return sources
    key_bound = -bound if maximize else bound
    out = []
    for i, (label, entries, off) in enumerate(sources):
        if i == at:
            out.append((label, entries if len(entries) == k else entries[:k], off))
            continue
        key = _value_of(off, maximize)
        cut = (bisect_right if i < at else bisect_left)(entries, key_bound, key=key)
        if cut:
            out.append((label, entries if cut == len(entries) else entries[:cut], off))
    return out


def choose_k(candidates: Iterable[tuple[Any, Any]], maximize: bool, state: Any, k: int) -> KBest:
    """The K best entries over *candidates*, each traced through its label (first wins ties)."""
    sources: list[tuple[Any, list[tuple[Any, Trace]], Any]] = []
    for item in candidates:
        try:
            value, label = item
        except (TypeError, ValueError):
            raise InvalidInput(f"candidate {show(item)} must be a (value, label) pair") from None
        if type(value) is KBest:
            if value.maximize is not None and value.maximize != maximize:
                _refuse("chose with best=min among sub-results chosen with best=max (or back)")
            sources.append((label, value.entries, value.off))
        elif _constant(value):
            sources.append((label, [(value, None)], None))
        else:
            _refuse(f"gave dp.choose the value {show(value)}, not a number")
    if not sources:
        raise InvalidInput("candidates=[] must hold at least one (value, label) pair")
    if len(sources) == 1:
        label, entries, off = sources[0]
        if off is None:
            return KBest([(v, ("c", state, label, t)) for v, t in entries[:k]], k, maximize)
        return KBest([(v + off, ("c", state, label, t)) for v, t in entries[:k]], k, maximize)
    pool: list[tuple[Any, Any, Trace]] = []
    for label, entries, off in _cut(sources, maximize, k):
        if off is None:
            pool += [(v, label, t) for v, t in entries]
        else:
            pool += [(v + off, label, t) for v, t in entries]
    # sorted runs, one per candidate: timsort merges them in linear time, stably
    # (with reverse=True too), so the first candidate wins ties; only the K kept
    # get a trace
    pool.sort(key=_VALUE, reverse=maximize)
    return KBest([(v, ("c", state, label, t)) for v, label, t in pool[:k]], k, maximize)


def infinite(value: Any) -> bool:
    """An infinite float or Decimal: what marks an infeasible answer."""
    if isinstance(value, float):
        return math.isinf(value)
    return isinstance(value, Decimal) and value.is_infinite()


def finite(entries: list[tuple[Any, Trace]]) -> list[tuple[Any, Trace]]:
    """The entries that are answers: an infinite value marks an infeasible one."""
    return [(v, t) for v, t in entries if not infinite(v)]


def choices_of(trace: Trace) -> dict[Any, Any]:
    """The ``{state: label}`` choices a trace records (iterative: any depth)."""
    out: dict[Any, Any] = {}
    stack = [trace]
    while stack:
        node = stack.pop()
        while node is not None:
            if node[0] == "c":
                out[node[1]] = node[2]
                node = node[3]
            else:
                stack.append(node[2])
                node = node[1]
    return out


def entries_of(result: Any) -> Iterator[tuple[Any, Trace]]:
    """The finite entries of a goal's result, best first."""
    if isinstance(result, KBest):
        yield from finite(result.items())
    else:
        yield from finite([(result, None)])
