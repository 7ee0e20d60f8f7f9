"""Edit distance with weights and transpositions: the OSA and Damerau-Levenshtein variants.

Private to :mod:`dptoolkit.problems.edit_distance`, which sends here every
call that is not the unit-cost Levenshtein distance (that one keeps its
bit-parallel path). Costs are ``insert``, ``delete``, ``substitute`` and
``transpose`` (swap two adjacent items), any non-negative numbers.

* ``variant="levenshtein"``: insert, delete, substitute;
* ``variant="osa"`` (optimal string alignment, "restricted" Damerau): also
  transpose two adjacent items, but no item is edited twice;
* ``variant="damerau"`` (unrestricted Damerau-Levenshtein, Lowrance and
  Wagner 1975): items may be inserted between, or deleted from between,
  the two items of a transposition. The recurrence is exact when
  ``2 * transpose >= insert + delete`` (always with unit costs); other
  weights are refused for this variant.

A transposition appears in the script as ``("transpose", i, j)``: ``a[i]``
and the item it swaps with (``a[i + 1]`` in OSA) become ``b[j]`` and the item
after it, crossed. The cursors move past ``a[i]`` and ``b[j]``; in the
Damerau variant the deletions of the items of ``a`` and the insertions of
the items of ``b`` between the two swapped ones follow, at their cursors;
then the cursors move past the second swapped pair. ``("transpose", i, j)``
followed by the next operation at ``(i + 2, j + 2)`` is the plain adjacent
swap.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import dptoolkit as dp
from dptoolkit._validate import check_choice, check_number, show

from . import _ckernels, _strings
from ._answers import engine_later
from ._run import check_memory, run, state

__all__ = [
    "VARIANTS",
    "Costs",
    "apply",
    "brute_force",
    "check_costs",
    "edit_search",
    "fast",
    "osa_scripts",
    "recurrence",
    "script_cost",
    "solve",
    "step",
    "walk",
]

VARIANTS = ("levenshtein", "osa", "damerau")
Operation = tuple[str, int, int]


@dataclass(frozen=True)
class Costs:
    """The checked costs of one call, and the variant."""

    insert: int | float
    delete: int | float
    substitute: int | float
    transpose: int | float
    variant: str

    @property
    def unit(self) -> bool:
        """Plain Levenshtein with unit costs (the bit-parallel path)."""
        return self.variant == "levenshtein" and (self.insert, self.delete, self.substitute) == (
            1,
            1,
            1,
        )

    @property
    def integral(self) -> bool:
        return all(
            isinstance(v, numbers.Integral)
            for v in (self.insert, self.delete, self.substitute, self.transpose)
        )

    def number(self, value: Any) -> int | float:
        return int(value) if self.integral else float(value)


def check_costs(
    insert: object, delete: object, substitute: object, transpose: object, variant: object
) -> Costs:
    """Check the weights and the variant of :func:`edit_distance.solve`."""
    variant = check_choice("variant", variant, VARIANTS)
    costs = [
        check_number(name, value, allow_negative=False)
        for name, value in (
            ("insert", insert), ("delete", delete), ("substitute", substitute), ("transpose", transpose),
        )
    ]  # fmt: skip
    ins, dele, sub, tr = costs
    if variant == "damerau" and 2 * tr < ins + dele:
        raise dp.InvalidInput(
            f"transpose={show(transpose)} must be at least (insert + delete) / 2 = "
            f"{(ins + dele) / 2:g} for variant='damerau' (the Lowrance-Wagner condition); "
            "use variant='osa' for cheaper transpositions"
        )
    return Costs(ins, dele, sub, tr, variant)


# ---------------------------------------------------------------- the recurrence


def _last_seen(seq: Sequence[Hashable]) -> list[dict[Hashable, int]]:
    """``seen[i][x]``: the largest ``k <= i - 1`` with ``seq[k - 1] == x`` (1-based rows)."""
    seen: list[dict[Hashable, int]] = [{}]
    current: dict[Hashable, int] = {}
    for k, x in enumerate(seq, 1):
        seen.append(dict(current))
        current[x] = k
    return seen


def recurrence(a: Sequence[Hashable], b: Sequence[Hashable], c: Costs) -> Any:
    """The weighted edit-distance recurrence of variant ``c.variant`` over ``(i, j)``."""
    ins, dele, sub, tr = c.insert, c.delete, c.substitute, c.transpose
    osa, damerau = c.variant == "osa", c.variant == "damerau"
    seen_a = _last_seen(a) if damerau else []

    @dp.recurrence(states=lambda i, j: dp.grid(i + 1, j + 1))
    def distance(i: int, j: int) -> Any:
        if i == 0:
            return j * ins
        if j == 0:
            return i * dele
        same = a[i - 1] == b[j - 1]
        cands: list[tuple[Any, Any]] = [
            (distance(i - 1, j - 1) + (0 if same else sub), "match" if same else "substitute"),
            (distance(i - 1, j) + dele, "delete"),
            (distance(i, j - 1) + ins, "insert"),
        ]
        if osa and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1] and not same:
            cands.append((distance(i - 2, j - 2) + tr, ("transpose", i - 2, j - 2)))
        elif damerau and not same:
            k = seen_a[i].get(b[j - 1], 0)  # last row before i holding b[j-1]
            col = _last_col(b, j, a[i - 1])  # last column before j holding a[i-1]
            if k and col:
                cost = distance(k - 1, col - 1) + (i - k - 1) * dele + tr + (j - col - 1) * ins
                cands.append((cost, ("transpose", k - 1, col - 1)))
        return dp.choose(cands, best=min)

    return distance


def _last_col(b: Sequence[Hashable], j: int, x: Hashable) -> int:
    for q in range(j - 1, 0, -1):
        if b[q - 1] == x:
            return q
    return 0


def walk(choices: Any, n: int, m: int) -> list[Operation]:
    """The edit script read back from the choices (labels as the recurrence records them)."""
    ops: list[Operation] = []
    i, j = n, m
    while i and j:
        label = state(choices, (i, j))
        if isinstance(label, tuple):  # a transposition block ending at (i, j)
            _, k, col = label
            block = [("transpose", k, col)]
            block += [("delete", p, col + 1) for p in range(k + 1, i - 1)]
            block += [("insert", i - 1, q) for q in range(col + 1, j - 1)]
            ops.extend(reversed(block))
            i, j = k, col
        elif label == "delete":
            i -= 1
            ops.append(("delete", i, j))
        elif label == "insert":
            j -= 1
            ops.append(("insert", i, j))
        else:
            i, j = i - 1, j - 1
            ops.append((label, i, j))
    ops.extend(("delete", k, 0) for k in range(i - 1, -1, -1))
    ops.extend(("insert", 0, k) for k in range(j - 1, -1, -1))
    ops.reverse()
    return ops


# ---------------------------------------------------------------- replay and definition


def apply(a: Sequence[Hashable], b: Sequence[Hashable], operations: list[Any]) -> list[Hashable]:
    """Replay a script that may hold transpositions; the items it produces.

    Raises :class:`~dptoolkit.InvalidInput` naming the first operation that does not apply.
    """
    out: list[Hashable] = []
    i = j = 0
    block: tuple[int, int] | None = None  # the cursors of an open transposition
    k = 0

    def bad(at: int) -> dp.InvalidInput:
        return dp.InvalidInput(
            f"operations[{at}]={show(operations[at])} does not apply at a[{i}], b[{j}]"
        )

    def close() -> None:
        nonlocal i, j, block
        assert block is not None
        p, q = block
        if not (i < len(a) and j < len(b) and a[i] == b[q] and a[p] == b[j]):
            raise dp.InvalidInput(
                f"the transposition at a[{p}], b[{q}] does not close at a[{i}], b[{j}]"
            )
        out.append(b[j])
        i, j, block = i + 1, j + 1, None

    while k < len(operations):
        op = operations[k]
        try:
            kind, oi, oj = op
        except (TypeError, ValueError):
            raise dp.InvalidType(
                f"operations[{k}]={show(op)} must be a (kind, i, j) triple"
            ) from None
        if block is not None and not (kind in ("delete", "insert") and (oi, oj) == (i, j)):
            close()
        if (oi, oj) != (i, j):
            raise bad(k)
        if kind == "transpose":
            if not (i < len(a) and j < len(b) and a[i] != b[j]):
                raise bad(k)
            out.append(b[j])
            block = (i, j)
            i, j = i + 1, j + 1
        elif kind in ("match", "substitute"):
            if not (i < len(a) and j < len(b) and (a[i] == b[j]) == (kind == "match")):
                raise bad(k)
            out.append(b[j])
            i, j = i + 1, j + 1
        elif kind == "delete" and i < len(a):
            i += 1
        elif kind == "insert" and j < len(b):
            out.append(b[j])
            j += 1
        else:
            raise bad(k)
        k += 1
    if block is not None:
        close()
    if (i, j) != (len(a), len(b)):
        raise dp.InvalidInput(
            f"operations stop at ({i}, {j}), not at the ends ({len(a)}, {len(b)})"
        )
    return out


def script_cost(operations: Sequence[Operation], c: Costs) -> Any:
    """The cost of a script under the weights of *c*."""
    price = {
        "match": 0,
        "substitute": c.substitute,
        "delete": c.delete,
        "insert": c.insert,
        "transpose": c.transpose,
    }
    return sum(price[kind] for kind, _, _ in operations)


def brute_force(a: Sequence[Hashable], b: Sequence[Hashable], c: Costs) -> Any:
    """The distance from its definition: :func:`osa_scripts` for OSA, else :func:`edit_search`."""
    return osa_scripts(a, b, c) if c.variant == "osa" else edit_search(a, b, c)


def edit_search(a: Sequence[Hashable], b: Sequence[Hashable], c: Costs) -> Any:
    """The distance by a cheapest-first search over edited sequences (exponential).

    Every sequence reachable from ``a`` by single edits (insert any symbol of
    ``a`` or ``b`` anywhere, delete, substitute, swap two adjacent items), no
    longer than ``len(a) + len(b)``, is a node; the distance is the cheapest
    path to ``b``. That is the unrestricted (Damerau) distance; OSA restricts
    edits to one per item, so for it this search gives a lower bound, and the
    exact OSA reference is :func:`osa_scripts`.
    """
    import heapq

    symbols = sorted(set(a) | set(b), key=repr)
    start, goal = tuple(a), tuple(b)
    limit = len(a) + len(b)
    best: dict[tuple[Hashable, ...], Any] = {start: 0}
    heap: list[tuple[Any, int, tuple[Hashable, ...]]] = [(0, 0, start)]
    tick = 0
    while heap:
        cost, _, s = heapq.heappop(heap)
        if s == goal:
            return cost
        if cost > best.get(s, cost):
            continue
        nexts: list[tuple[Any, tuple[Hashable, ...]]] = []
        for p in range(len(s) + 1):
            if len(s) < limit:
                nexts += [(c.insert, (*s[:p], x, *s[p:])) for x in symbols]
            if p < len(s):
                nexts.append((c.delete, s[:p] + s[p + 1 :]))
                nexts += [(c.substitute, (*s[:p], x, *s[p + 1 :])) for x in symbols if x != s[p]]
            if c.variant != "levenshtein" and p + 1 < len(s) and s[p] != s[p + 1]:
                nexts.append((c.transpose, (*s[:p], s[p + 1], s[p], *s[p + 2 :])))
        for step, t in nexts:
            if cost + step < best.get(t, cost + step + 1):
                best[t] = cost + step
                tick += 1
                heapq.heappush(heap, (cost + step, tick, t))
    raise AssertionError("b is always reachable")  # pragma: no cover


def osa_scripts(a: Sequence[Hashable], b: Sequence[Hashable], c: Costs) -> Any:
    """The OSA distance as the cheapest of all alignments with adjacent swaps (exhaustive)."""
    best: Any = None
    stack: list[tuple[int, int, Any]] = [(0, 0, 0)]
    while stack:
        i, j, cost = stack.pop()
        if i == len(a) and j == len(b):
            best = cost if best is None else min(best, cost)
            continue
        if i < len(a) and j < len(b):
            stack.append((i + 1, j + 1, cost + (0 if a[i] == b[j] else c.substitute)))
            if i + 1 < len(a) and j + 1 < len(b) and a[i] == b[j + 1] and a[i + 1] == b[j]:
                stack.append((i + 2, j + 2, cost + c.transpose))
        if i < len(a):
            stack.append((i + 1, j, cost + c.delete))
        if j < len(b):
            stack.append((i, j + 1, cost + c.insert))
    return best


# ---------------------------------------------------------------- fast


def _codes(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[Any, Any, int]:
    index: dict[Hashable, int] = {}
    ca = np.fromiter((index.setdefault(x, len(index)) for x in a), np.int32, len(a))
    cb = np.fromiter((index.setdefault(y, len(index)) for y in b), np.int32, len(b))
    return ca, cb, len(index)


def masks_fit(ca: Any, cb: Any) -> bool:
    """Whether the bit-parallel kernels' match masks fit :data:`_strings.MASK_BUDGET`.

    One mask of ``len(pattern) / 64`` words per distinct symbol of the
    pattern (the shorter sequence); a long pattern of mostly distinct symbols
    would need gigabytes.
    """
    pattern = ca if len(ca) < len(cb) else cb
    words = (len(pattern) + 63) // 64
    if 8 * words * len(pattern) <= _strings.MASK_BUDGET:
        return True
    return 8 * words * len(np.unique(pattern)) <= _strings.MASK_BUDGET


def _points(s: str) -> Any:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.int32)


def _matrix(ca: Any, cb: Any, k: int, c: Costs, full: bool) -> Any:
    """The distance table (``full``) or its last row, in C or numpy."""
    n, m = len(ca), len(cb)
    code = VARIANTS.index(c.variant)
    if full or code == 2:  # the whole table (Damerau reads any earlier row)
        check_memory("a", None, 8 * (n + 1) * (m + 1), shown=f"<{n:,} items> with b of {m:,}")
    args = (float(c.insert), float(c.delete), float(c.substitute), float(c.transpose))
    if _ckernels.C is not None:
        raw = _ckernels.C.edit_table(ca, cb, k, *args, code, full)
        return np.frombuffer(raw, dtype=np.float64).reshape(n + 1 if full else 1, m + 1)
    ins, dele, sub, tr = args
    cols = np.arange(m + 1, dtype=np.float64)
    table = np.empty((n + 1, m + 1)) if (full or code == 2) else None
    prev2 = prev = cols * ins
    if table is not None:
        table[0] = prev
    last_row = np.zeros(k, dtype=np.int64)  # damerau: last row (1-based) of each symbol in a
    for i in range(1, n + 1):
        x = ca[i - 1]
        diff = cb != x
        t = np.empty(m + 1)
        t[0] = i * dele
        t[1:] = np.minimum(prev[:-1] + np.where(diff, sub, 0.0), prev[1:] + dele)
        if code == 1 and i > 1 and m > 1:
            swap = (cb[:-1] == x) & (cb[1:] == ca[i - 2]) & diff[1:]
            t[2:] = np.where(swap, np.minimum(t[2:], prev2[:-2] + tr), t[2:])
        elif code == 2 and m > 1:
            hits = np.where(cb == x, np.arange(1, m + 1), 0)  # columns (1-based) holding a[i-1]
            l_of = np.concatenate(([0], np.maximum.accumulate(hits)[:-1]))  # last before j
            k_of = last_row[cb]  # last row before i holding b[j-1]
            ok = (k_of > 0) & (l_of > 0) & diff
            js = np.arange(1, m + 1)
            assert table is not None
            cand = table[np.maximum(k_of - 1, 0), np.maximum(l_of - 1, 0)]
            cand = cand + (i - k_of - 1) * dele + tr + (js - l_of - 1) * ins
            t[1:] = np.where(ok, np.minimum(t[1:], cand), t[1:])
        row = cols * ins + np.minimum.accumulate(t - cols * ins)
        if table is not None:
            table[i] = row
        last_row[x] = i
        prev2, prev = prev, row
    return table if full else prev.reshape(1, m + 1)


def _walk_table(
    table: Any, a: Sequence[Hashable], b: Sequence[Hashable], c: Costs
) -> list[Operation]:
    """Read a script back from a full table by re-checking which candidate gives each cell."""
    D = table  # read cell by cell: converting the whole table would cost more than the walk
    ins, dele, sub, _tr = (float(v) for v in (c.insert, c.delete, c.substitute, c.transpose))
    seen_a = _last_seen(a) if c.variant == "damerau" else []
    labels: dict[tuple[int, int], Any] = {}
    i, j = len(a), len(b)
    while i and j:
        v = D[i][j]
        same = a[i - 1] == b[j - 1]
        if D[i - 1][j - 1] + (0.0 if same else sub) == v:
            labels[i, j] = "match" if same else "substitute"
            i, j = i - 1, j - 1
        elif D[i - 1][j] + dele == v:
            labels[i, j] = "delete"
            i -= 1
        elif D[i][j - 1] + ins == v:
            labels[i, j] = "insert"
            j -= 1
        elif c.variant == "osa":
            labels[i, j] = ("transpose", i - 2, j - 2)
            i, j = i - 2, j - 2
        else:
            k, col = seen_a[i].get(b[j - 1], 0), _last_col(b, j, a[i - 1])
            labels[i, j] = ("transpose", k - 1, col - 1)
            i, j = k - 1, col - 1
    return walk(labels, len(a), len(b)) if labels else walk({}, len(a), len(b))


def fast(a: Sequence[Hashable], b: Sequence[Hashable], c: Costs) -> Any:
    """The ``fast`` Solution: C or numpy rows for the value, a full table for the script."""
    unit = (c.insert, c.delete, c.substitute, c.transpose) == (1, 1, 1, 1)
    codes = (_points(a), _points(b)) if isinstance(a, str) and isinstance(b, str) else None
    if codes is None:
        codes = _codes(a, b)[:2]
    if _ckernels.C is not None and c.variant == "osa" and unit and masks_fit(*codes):
        value: Any = _ckernels.C.osa_unit(*codes)  # code points as they are: no dict pass
    else:
        ca, cb, k = _codes(a, b)
        value = _matrix(ca, cb, k, c, False)[0, -1]

    def operations() -> list[Operation]:
        ca, cb, k = _codes(a, b)
        return _walk_table(_matrix(ca, cb, k, c, True), a, b, c)

    return dp.Solution(c.number(value), strategy="fast", lazy={"operations": operations})


def solve(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    c: Costs,
    strategy: str,
    *,
    k: int | None = None,
    asked: object = None,
) -> Any:
    """Solve one variant call under *strategy* (already resolved; *asked* as the caller gave it).

    ``count()``, ``witnesses()`` and ``k=`` read the scripts the recurrence
    can write: one per choice path (a transposition is its block, see the
    module docstring), so no count of its own is needed.
    """
    if strategy == "fast":
        return engine_later(fast(a, b, c), asked, lambda: solve(a, b, c, "bottom_up"))
    rec = recurrence(a, b, c)
    goal = (len(a), len(b))
    sol = run(rec, goal, strategy, visits=(len(a) + 1) * (len(b) + 1), k=k)
    choices = sol.choices
    value = sol.value.item() if hasattr(sol.value, "item") else sol.value
    return sol.with_fields(
        value=c.number(value),
        lazy={"operations": lambda: walk(choices, *goal)},
        step=step,
        witness_of=lambda each: {"operations": walk(each.choices, *goal)},
    )


def step(here: tuple[int, int], label: Any) -> tuple[int, int]:
    """Where a recorded label leads (a transposition to the cell before its block)."""
    i, j = here
    if isinstance(label, tuple):
        return label[1], label[2]
    if label == "delete":
        return i - 1, j
    if label == "insert":
        return i, j - 1
    return i - 1, j - 1
