"""Every optimal answer of one solve: counting and listing them from the recorded ties.

A solve records, for each state, the label :func:`~dptoolkit.choose` picked
(``choices``) and, where candidates tied for the best, every tied label, the
picked one first (``ties``). With a *step* saying where a label leads
(``step(state, label)`` -> the next state, ``None`` at the end, or a list of
states when the choice splits the problem in parts), the optimal choices form
a DAG from the goal. Here:

* :func:`count` -- the number of optimal choice paths (trees), a DP over that
  DAG: ``count(s) = sum over tied labels l of prod over the parts c of
  step(s, l) of count(c)``, 1 at a state without a choice. Exact ints; it
  visits each reachable state once (no enumeration).
* :class:`Hook` -- how a problem maps choices to witnesses (``step``,
  ``witness_of``, ``count_by`` of ``Solution.with_fields``); :func:`freeze`
  makes a witness hashable, so no two are yielded alike.
* :func:`paths` -- every optimal choice path, lazily, as a ``{state: label}``
  dict: the first comes after one walk.

Different parts of one choice must be disjoint subproblems (as interval
splits are): a state reached twice in one witness is counted, not merged.
Imports the package's errors and validation, and ``_kbest`` (what is infinite).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .._validate import show
from ..errors import CycleError, InvalidType
from ._kbest import infinite

__all__ = [
    "Hook",
    "check_step",
    "count",
    "count_of",
    "derived",
    "distinct",
    "freeze",
    "infeasible",
    "paths",
    "stand_in",
    "witnesses_of",
]

Step = Callable[[Any, Any], Any]

_NO_CHOICE = object()


def _parts(step: Step, state: Any, label: Any) -> tuple[Any, ...]:
    nxt = step(state, label)
    if nxt is None:
        return ()
    if isinstance(nxt, list):
        return tuple(n for n in nxt if n is not None)
    return (nxt,)


def _labels(choices: Mapping[Any, Any], ties: Mapping[Any, list[Any]], state: Any) -> list[Any]:
    """The optimal labels of *state* (the picked one first); [] for a state without a choice."""
    try:
        tied = ties.get(state)
        if tied is not None:
            return tied
        label = choices.get(state, _NO_CHOICE)
    except TypeError:  # an unhashable "state" from a step: no choice there
        return []
    return [] if label is _NO_CHOICE else [label]


def infeasible(value: Any) -> bool:
    """No witness at all: an infinite value (as in ``k_best``), or ``False`` (a yes/no said no)."""
    return value is False or infinite(value)


def stand_in(sol: Any) -> Any:
    """The engine solve answering for a kernel's ``auto`` answer (``sol._again``), else None.

    Made on first use and kept, so a second ``count()`` does not solve again.
    """
    again = sol._again
    if again is None or sol._ties is not None:
        return None
    found = sol.__dict__.get("_again_sol")
    if found is None:
        found = again()
        sol.__dict__["_again_sol"] = found
    return found


def check_step(step: Any) -> Step:
    if not callable(step):
        raise InvalidType(f"step={show(step)} must be callable: step(state, label) -> next state")
    return step  # type: ignore[no-any-return]


def count(choices: Mapping[Any, Any], ties: Mapping[Any, list[Any]], goal: Any, step: Step) -> int:
    """The number of optimal choice paths from *goal* (iterative: no recursion limit)."""
    done: dict[Any, int] = {}
    live: set[Any] = set()
    # each frame: (state, its labels, parts of each label) -- expanded once, then summed
    stack: list[tuple[Any, list[tuple[Any, ...]] | None]] = [(goal, None)]
    while stack:
        state, expanded = stack.pop()
        if expanded is None:
            if state in done:
                continue
            labels = _labels(choices, ties, state)
            if not labels:
                done[state] = 1
                continue
            if state in live:
                raise CycleError(f"the choices lead back to state {show(state)}", cycle=[state])
            live.add(state)
            parts = [_parts(step, state, label) for label in labels]
            stack.append((state, parts))
            for group in parts:
                for part in group:
                    if part not in done:
                        stack.append((part, None))
            continue
        missing = [p for group in expanded for p in group if p not in done]
        if missing:  # a part was pushed before it could be finished (a shared sub-state)
            stack.append((state, expanded))
            for part in missing:
                if part in live:
                    raise CycleError(f"the choices lead back to state {show(part)}", cycle=[part])
                stack.append((part, None))
            continue
        total = 0
        for group in expanded:
            product = 1
            for part in group:
                product *= done[part]
            total += product
        live.discard(state)
        done[state] = total
    return done[goal]


def paths(
    choices: Mapping[Any, Any], ties: Mapping[Any, list[Any]], goal: Any, step: Step
) -> Iterator[dict[Any, Any]]:
    """Every optimal choice path from *goal* as ``{state: label}``, lazily, depth first."""
    # a partial path: (chosen as a linked list of (state, label, rest, length), pending as a
    # linked list of (state, rest)); nothing is copied when a partial path branches. A path
    # longer than there are choices must come back to a state: a cycle.
    most = len(choices) + 1
    stack: list[tuple[Any, Any]] = [(None, (goal, None))]
    while stack:
        chosen, pending = stack.pop()
        while pending is not None:
            state, pending = pending
            labels = _labels(choices, ties, state)
            if labels:
                break
        else:
            out: dict[Any, Any] = {}
            while chosen is not None:
                state, label, chosen, _ = chosen
                out[state] = label
            yield out
            continue
        length = 1 if chosen is None else chosen[3] + 1
        if length > most:
            raise CycleError(f"the choices lead back to state {show(state)}", cycle=[state])
        for label in reversed(labels):
            rest = pending
            for part in reversed(_parts(step, state, label)):
                rest = (part, rest)
            stack.append(((state, label, chosen, length), rest))


class Hook:
    """How a problem maps choices to its witnesses (see ``Solution.with_fields``)."""

    __slots__ = ("count_by", "step", "witness_of")

    def __init__(
        self,
        step: Callable[[Any, Any], Any] | None = None,
        witness_of: Callable[[Any], Mapping[str, Any]] | None = None,
        count_by: Callable[[Any], int] | None = None,
    ) -> None:
        for name, func in (("step", step), ("witness_of", witness_of), ("count_by", count_by)):
            if func is not None and not callable(func):
                raise InvalidType(f"{name}={show(func)} must be callable")
        self.step = step
        self.witness_of = witness_of
        self.count_by = count_by

    def updated(self, step: Any, witness_of: Any, count_by: Any) -> Hook:
        if step is None and witness_of is None and count_by is None:
            return self
        return Hook(
            step if step is not None else self.step,
            witness_of if witness_of is not None else self.witness_of,
            count_by if count_by is not None else self.count_by,
        )


def freeze(value: Any) -> Any:
    """A hashable stand-in for a witness (lists, dicts and sets frozen, recursively)."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((repr(k), freeze(v)) for k, v in value.items()), key=repr)))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((freeze(v) for v in value), key=repr)))
    try:
        hash(value)
    except TypeError:
        return ("repr", repr(value))
    return value


def derived(sol: Any, value: Any, choices: dict[Any, Any]) -> Any:
    """One answer of *sol*'s solve (a witness, a k-best entry), with the problem's fields.

    Made with *sol*'s own class (a ``Solution``): this module imports none.
    """
    plain = type(sol)(value, strategy=sol.strategy, stats=sol._stats, choices=choices)
    plain._goal, plain._ties, plain._hook = sol._goal, {}, sol._hook
    witness_of = sol._hook.witness_of
    if witness_of is None:
        return plain
    return plain.with_fields(witness=dict(witness_of(plain)))


def distinct(sol: Any, found: Iterator[dict[Any, Any]], limit: int | None) -> Iterator[Any]:
    """The witnesses of *sol* along the choice paths *found*, none twice (by their fields)."""
    if limit == 0:
        return
    seen: set[Any] = set()
    for path in found:
        witness = derived(sol, sol.value, path)
        mark = freeze(witness.as_dict() if witness.fields else path)
        if mark in seen:
            continue
        seen.add(mark)
        yield witness
        if limit is not None and len(seen) >= limit:
            return


def count_of(sol: Any, step: Step | None) -> int:
    """``sol.count(step)``: the stand-in's, 0 when infeasible, ``count_by``'s, or :func:`count`."""
    if (again := stand_in(sol)) is not None:
        return again.count(step)  # type: ignore[no-any-return]
    if step is None and sol._hook.count_by is not None:
        sol._follow(lambda state, label: None)  # the checks only
        return 0 if infeasible(sol.value) else int(sol._hook.count_by(sol))
    follow = sol._follow(step)
    if infeasible(sol.value):
        return 0
    return count(sol.choices, sol._ties, sol._goal, follow)


def witnesses_of(sol: Any, limit: int | None, step: Step | None) -> Iterator[Any]:
    """``sol.witnesses(limit, step=step)``, *limit* checked: the stand-in's, none when infeasible."""
    if (again := stand_in(sol)) is not None:
        return again.witnesses(limit, step=step)  # type: ignore[no-any-return]
    follow = sol._follow(step)
    if infeasible(sol.value):
        return iter(())
    return distinct(sol, paths(sol.choices, sol._ties, sol._goal, follow), limit)
