"""Edit distance: the fewest single-item edits that turn one sequence into another.

The *Levenshtein distance* between sequences ``a`` and ``b`` is the smallest
number of edits -- insert one item, delete one item, or substitute one item
for another -- that turn ``a`` into ``b``. ``kitten`` becomes ``sitting`` in
three: substitute k -> s, substitute e -> i, insert g. Items may be
characters of a string or any hashable values of a list or tuple (words,
tokens, numbers); they are compared with ``==``.

The witness is an *edit script* that reads ``a`` and ``b`` left to right:
a list of ``(kind, i, j)`` where ``i`` and ``j`` are the positions reached in
``a`` and in ``b`` before the operation (0-based cursors):

============  =====================================  ===========
kind          meaning                                advances
============  =====================================  ===========
match         ``a[i] == b[j]`` is kept               ``i`` and ``j``
substitute    ``a[i]`` is replaced by ``b[j]``       ``i`` and ``j``
delete        ``a[i]`` is dropped                    ``i``
insert        ``b[j]`` is inserted before ``a[i]``   ``j``
============  =====================================  ===========

The script starts at ``(0, 0)`` and ends at ``(len(a), len(b))``; applying it
(:func:`apply_operations`) gives ``b``, and its number of non-match
operations is the distance.

Notes
-----
Recurrence (Wagner and Fischer [1]_), with ``D(i, j)`` the distance between
the prefixes ``a[:i]`` and ``b[:j]``::

    D(i, 0) = i,   D(0, j) = j
    D(i, j) = min( D(i-1, j-1) + [a[i-1] != b[j-1]],   match / substitute
                   D(i-1, j) + 1,                      delete a[i-1]
                   D(i, j-1) + 1 )                     insert b[j-1]

The goal is ``D(len(a), len(b))``; the states form an
``(len(a)+1) x (len(b)+1)`` grid filled row by row. Ties prefer the diagonal,
then delete, then insert; the script is read back from the recorded choices
by one walk from the goal, whichever strategy filled them.

``fast`` computes the value with the bit-parallel algorithm of Myers [2]_ in
the global form of Hyyrö [3]_: ``b``'s positions are the bits of Python
integers, each item of ``a`` costs about fifteen big-integer operations on
``len(b)`` bits, and any alphabet works through one match mask per symbol.
Its script comes from Hirschberg's divide and conquer [4]_ on bit-parallel
rows, in linear space; it is computed only when ``.operations`` is read.

==========  ==============================  ======================
strategy    time                            space
==========  ==============================  ======================
naive       O(3^(n+m)) calls                O(n + m) stack
top_down    O(n m)                          O(n m)
bottom_up   O(n m)                          O(n m)
fast        O(n m / w), w = 30-bit digits   O(n + m) (script too)
==========  ==============================  ======================

Examples
--------
>>> from dptoolkit.problems import edit_distance
>>> sol = edit_distance.solve("kitten", "sitting")
>>> sol.value
3
>>> [op for op in sol.operations if op[0] != "match"]
[('substitute', 0, 0), ('substitute', 4, 4), ('insert', 6, 6)]
>>> edit_distance.apply_operations("kitten", "sitting", sol.operations)
'sitting'
>>> edit_distance.solve(["the", "cat", "sat"], ["the", "dog", "sat"]).value
1

References
----------
.. [1] R. A. Wagner and M. J. Fischer, "The string-to-string correction
   problem", *Journal of the ACM* 21(1), 168-173, 1974.
.. [2] G. Myers, "A fast bit-vector algorithm for approximate string matching
   based on dynamic programming", *Journal of the ACM* 46(3), 395-415, 1999.
.. [3] H. Hyyrö, "Explaining and extending the bit-parallel approximate string
   matching algorithm of Myers", Technical report A-2001-10, University of
   Tampere, 2001.
.. [4] D. S. Hirschberg, "A linear space algorithm for computing maximal common
   subsequences", *Communications of the ACM* 18(6), 341-343, 1975.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import dptoolkit as dp
from dptoolkit._labels import labelled, pair_step, prefixes
from dptoolkit._validate import check_sequence, show

from . import _ckernels, _edit_variants, _strings
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_symbols, run, same_type, shows_auto

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = [
    "PROBLEMS",
    "apply_operations",
    "brute_force",
    "build",
    "fast_edit_distance",
    "fast_operations",
    "solve",
]

STRATEGIES = WITH_FAST

Operation = tuple[str, int, int]


@labelled
def build(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[Recurrence, tuple[int, int]]:
    """The edit-distance recurrence for ``a`` and ``b``, and the goal ``(len(a), len(b))``.

    Parameters
    ----------
    a, b : sequence of hashable
        The source and the target (``str``, ``list``, ``tuple``, ...).

    Returns
    -------
    (Recurrence, tuple)
        The ``@dp.recurrence`` over the grid of prefix pairs, and the goal.

    Examples
    --------
    >>> rec, goal = build("flaw", "lawn")
    >>> rec.solve(*goal, strategy="bottom_up").value
    2
    """
    a = check_symbols("a", a)
    b = check_symbols("b", b)

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def distance(i: int, j: int) -> int:
        if i == 0:
            return j
        if j == 0:
            return i
        same = a[i - 1] == b[j - 1]
        return dp.choose(  # type: ignore[no-any-return]
            [
                (distance(i - 1, j - 1) + (0 if same else 1), "match" if same else "substitute"),
                (distance(i - 1, j) + 1, "delete"),
                (distance(i, j - 1) + 1, "insert"),
            ],
            best=min,
        )

    return distance, (len(a), len(b))


def apply_operations(
    a: Sequence[Hashable], b: Sequence[Hashable], operations: Iterable[Operation]
) -> Sequence[Hashable]:
    """Replay an edit script on ``a``; the result has ``b``'s type when ``a`` and ``b`` share it.

    Each operation is checked against the cursors it claims (``i``, ``j``) and
    against the items (a match must match, a substitution must change).

    Raises
    ------
    dptoolkit.InvalidInput
        For an operation out of place or a script that does not end at
        ``(len(a), len(b))``.
    dptoolkit.InvalidType
        For ``a`` or ``b`` not a sequence, *operations* not iterable, or an
        operation that is not a ``(kind, i, j)`` triple.

    Examples
    --------
    >>> apply_operations("ab", "b", [("delete", 0, 0), ("match", 1, 0)])
    'b'
    """
    a = check_sequence("a", a)
    b = check_sequence("b", b)
    given: object = operations  # annotated as a script, but checked as anything
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        raise dp.InvalidType(
            f"operations={show(operations)} must be an iterable of (kind, i, j) triples"
        )
    script = list(operations)
    if any(isinstance(op, tuple) and op[:1] == ("transpose",) for op in script):
        return same_type(b, _edit_variants.apply(a, b, script))
    out: list[Hashable] = []
    i = j = 0
    for k, op in enumerate(script):
        try:
            kind, oi, oj = op
        except (TypeError, ValueError):
            raise dp.InvalidType(
                f"operations[{k}]={show(op)} must be a (kind, i, j) triple"
            ) from None
        here, there = i < len(a), j < len(b)
        if kind in ("match", "substitute"):
            ok = here and there and (a[i] == b[j]) == (kind == "match")
            step = (1, 1)
        else:
            ok = here if kind == "delete" else there and kind == "insert"
            step = (1, 0) if kind == "delete" else (0, 1)
        if not ok or (oi, oj) != (i, j):
            raise dp.InvalidInput(f"operations[{k}]={show(op)} does not apply at a[{i}], b[{j}]")
        if kind != "delete":
            out.append(b[j])
        i, j = i + step[0], j + step[1]
    if (i, j) != (len(a), len(b)):
        raise dp.InvalidInput(
            f"operations stop at ({i}, {j}), not at the ends ({len(a)}, {len(b)})"
        )
    return same_type(b, out)


def _scripts(a: Sequence[Hashable], b: Sequence[Hashable]) -> Iterator[list[Operation]]:
    """Every edit script from ``a`` to ``b`` (every alignment), by exhaustive search."""
    stack: list[tuple[int, int, list[Operation]]] = [(0, 0, [])]
    while stack:
        i, j, ops = stack.pop()
        if i == len(a) and j == len(b):
            yield ops
            continue
        if i < len(a) and j < len(b):
            kind = "match" if a[i] == b[j] else "substitute"
            stack.append((i + 1, j + 1, [*ops, (kind, i, j)]))
        if i < len(a):
            stack.append((i + 1, j, [*ops, ("delete", i, j)]))
        if j < len(b):
            stack.append((i, j + 1, [*ops, ("insert", i, j)]))


def brute_force(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The distance as the cheapest of *all* edit scripts (exponential; tiny inputs only).

    Independent of the recurrence: every alignment of ``a`` with ``b`` is
    listed and its non-match operations counted.

    Examples
    --------
    >>> brute_force("abc", "yabd")
    2
    """
    return min(sum(kind != "match" for kind, _, _ in ops) for ops in _scripts(a, b))


def fast_edit_distance(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """The Levenshtein distance by Myers' bit-parallel algorithm (linear space).

    Parameters
    ----------
    a, b : sequence of hashable
        Checked by :func:`solve`, not here.

    Returns
    -------
    int

    Examples
    --------
    >>> fast_edit_distance("intention", "execution")
    5
    """
    return _strings.levenshtein(*_strings.encode(a, b))


def fast_operations(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Operation]:
    """A minimal edit script by Hirschberg's method on bit-parallel rows (linear space).

    Examples
    --------
    >>> fast_operations("ab", "b")
    [('delete', 0, 0), ('match', 1, 0)]
    """
    return _strings.edit_operations(*_strings.encode(a, b))


def _unit_distance(ca: Any, cb: Any) -> int:
    """The unit-cost distance: the C bit-parallel kernel when built, else the Python one."""
    if _ckernels.C is not None and _edit_variants.masks_fit(ca, cb):
        return int(_ckernels.C.levenshtein(ca.astype("int64"), cb.astype("int64")))
    return _strings.levenshtein(ca, cb)


@shows_auto
def solve(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    *,
    insert: float = 1,
    delete: float = 1,
    substitute: float = 1,
    transpose: float = 1,
    variant: str = "levenshtein",
    strategy: str = "auto",
    k: int | None = None,
) -> Solution:
    """The edit distance from ``a`` to ``b`` (Levenshtein, OSA or Damerau), with an edit script.

    Parameters
    ----------
    a, b : sequence of hashable
        ``str``, ``bytes``, ``list`` or ``tuple`` (any iterable is read once);
        items are compared with ``==`` and must be hashable.
    insert, delete, substitute, transpose : number >= 0
        The cost of each edit (``transpose`` only counts for ``"osa"`` and
        ``"damerau"``; ``"damerau"`` needs ``2 * transpose >= insert + delete``).
    variant : {"levenshtein", "osa", "damerau"}
        See :mod:`dptoolkit.problems._edit_variants`: ``"osa"`` adds swaps of
        two adjacent items, each item edited at most once; ``"damerau"``
        allows edits between swapped items. Scripts then hold
        ``("transpose", i, j)`` operations.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* cheapest edit scripts: ``sol.k_best``, best first,
        each with its ``.operations`` (``fast`` is refused with *k*), for
        every variant and weights.

    Returns
    -------
    dp.Solution
        ``.value``: the distance (an ``int``; a ``float`` for float costs). ``.operations``: the edit
        script, a list of ``(kind, i, j)`` (see the module docstring),
        built on first access. ``sol.count()`` and ``sol.witnesses()``: the
        distinct optimal scripts (an ``auto`` answer re-solves with
        ``bottom_up`` for them, a ``fast`` one refuses them).

    Raises
    ------
    dptoolkit.InvalidType
        For ``None`` or a non-sequence, or an unhashable item.
    dptoolkit.InvalidInput
        For a NaN item or an unknown strategy.
    dptoolkit.BudgetExceeded
        For ``strategy="naive"`` on more than a few items, before any work.

    Examples
    --------
    >>> solve("sunday", "saturday").value
    3
    >>> solve("abc", "", strategy="top_down").operations
    [('delete', 0, 0), ('delete', 1, 0), ('delete', 2, 0)]
    >>> solve("ca", "abc", variant="damerau").operations
    [('transpose', 0, 0), ('insert', 1, 1)]
    >>> solve("kitten", "sitting", substitute=2).value
    5
    """
    a = check_symbols("a", a)
    b = check_symbols("b", b)
    costs = _edit_variants.check_costs(insert, delete, substitute, transpose, variant)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="edit_distance", k=k)
    if not costs.unit:
        return _edit_variants.solve(a, b, costs, strategy, k=k, asked=asked)  # type: ignore[no-any-return]
    if strategy == "fast":
        codes = _strings.encode(a, b)
        return engine_later(
            dp.Solution(
                _unit_distance(*codes),
                strategy="fast",
                lazy={"operations": lambda: _strings.edit_operations(*codes)},
            ),
            asked,
            lambda: solve(a, b, strategy="bottom_up"),
        )
    rec, goal = build(a, b)
    sol = run(rec, goal, strategy, visits=(len(a) + 1) * (len(b) + 1), k=k)
    choices = sol.choices
    labels = prefixes(a, b, goal=goal, step=pair_step)
    return sol.with_fields(
        value=int(sol.value),
        lazy={"operations": lambda: _edit_variants.walk(choices, *goal)},
        labels=labels,
        step=_edit_variants.step,  # one edit script per choice path
        witness_of=lambda each: {"operations": _edit_variants.walk(each.choices, *goal)},
    )


PROBLEMS = (
    dp.Problem(
        name="edit_distance",
        summary="Edit distance (Levenshtein, OSA, Damerau; weighted) between two sequences, with an edit script.",
        recurrence=(
            "D(i, j) = min(D(i-1, j-1) + [a[i-1] != b[j-1]], D(i-1, j) + 1, D(i, j-1) + 1); "
            "D(i, 0) = i, D(0, j) = j"
        ),
        time="O(n m)",
        space="O(n m)",
        strategies=STRATEGIES,
        solve=solve,
        module=__name__,
        example=("kitten", "sitting"),
        witness=("operations",),
        build=build,
        aliases=("levenshtein", "edit-distance", "damerau_levenshtein", "osa"),
    ),
)
