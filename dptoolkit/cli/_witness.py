"""What a witness means on the command line: a caption per field, the edit script in letters,
and an independent check that a witness is an optimal solution of the value it came with.

The captions name the solver's own arguments (``0-based indices into weights and
values``). The checks are read from each problem's definition, not its
recurrence, so ``compare`` can say that two different witnesses are both valid.
Imports :mod:`._format`; imported by :mod:`.solve`, :mod:`.show` and :mod:`.compare`.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._format import _text

__all__ = ["caption", "check", "render"]

Named = Mapping[str, Any]

_CAPTIONS: dict[tuple[str, str], str] = {
    ("knapsack", "items"): "0-based indices into weights and values",
    ("lis", "indices"): "0-based indices into seq",
    ("subset_sum", "indices"): "0-based indices into numbers",
    ("coin_change", "coins"): "the coins used, one entry per coin",
    ("rod_cutting", "pieces"): "piece lengths; a piece of length L sells for prices[L-1]",
    ("matrix_chain", "order"): "A1 is the first matrix, dims[0] x dims[1]",
    ("lcs", "sequence"): "a longest common subsequence of a and b",
    ("shortest_path", "path"): "nodes from source to target",
    ("longest_path", "path"): "nodes of a heaviest path",
    ("edit_distance", "operations"): "a -> b; i indexes a, j indexes b, 0-based",
}


def caption(problem: str, field: str, named: Named) -> str | None:
    """What the numbers of witness *field* are, or None when there is nothing to say."""
    text = _CAPTIONS.get((problem, field))
    if text and problem == "knapsack" and named.get("unbounded"):
        text += "; an item repeats once per copy taken"
    return text


def render(problem: str, field: str, value: Any, named: Named) -> list[str] | None:
    """Lines showing *value* better than its repr (the edit script in letters), or None."""
    if problem == "edit_distance" and field == "operations" and isinstance(value, list):
        a, b = named.get("a"), named.get("b")
        if isinstance(a, Sequence) and isinstance(b, Sequence):
            return [_operation(op, a, b) for op in value]
    return None


def _item(seq: Sequence[Any], index: int) -> str:
    if 0 <= index < len(seq):
        item = seq[index]
        return repr(item) if isinstance(item, str) else _text(item)
    return "?"


def _operation(op: Any, a: Sequence[Any], b: Sequence[Any]) -> str:
    try:
        kind, i, j = op
    except (TypeError, ValueError):
        return _text(op)
    if kind == "match":
        return f"match       a[{i}] {_item(a, i)}"
    if kind == "substitute":
        return f"substitute  a[{i}] {_item(a, i)} -> b[{j}] {_item(b, j)}"
    if kind == "delete":
        return f"delete      a[{i}] {_item(a, i)}"
    if kind == "insert":
        return f"insert      b[{j}] {_item(b, j)} before a[{i}]"
    if kind == "transpose":
        return f"transpose   a[{i}:{i + 2}] -> b[{j}:{j + 2}]"
    return _text(op)


# --------------------------------------------------------------------------
# checks: is this witness an optimal solution worth `value`?
# --------------------------------------------------------------------------


def check(problem: str, value: Any, witness: Mapping[str, Any], named: Named) -> bool | None:
    """True or False when *witness* can be checked against the problem's definition, else None."""
    checker = _CHECKS.get(problem)
    if checker is None:
        return None
    try:
        return checker(value, witness, named)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return False


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real):
        return a == b or math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _knapsack(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    items, weights, values = list(w["items"]), named["weights"], named["values"]
    if not named.get("unbounded") and len(set(items)) != len(items):
        return False
    if any(not 0 <= i < len(weights) for i in items):
        return False
    room = sum(weights[i] for i in items) <= named["capacity"]
    return room and _close(sum(values[i] for i in items), value)


def _lis(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    indices, seq = list(w["indices"]), named["seq"]
    rising = all(i < j and seq[i] < seq[j] for i, j in itertools.pairwise(indices))
    return rising and all(0 <= i < len(seq) for i in indices) and len(indices) == value


def _subset_sum(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    indices = w["indices"]
    if indices is None:
        return not value
    numbers_ = named["numbers"]
    distinct = len(set(indices)) == len(indices)
    return bool(value) and distinct and _close(sum(numbers_[i] for i in indices), named["target"])


def _coin_change(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    coins = w["coins"]
    if coins is None:
        return None
    usable = set(named["coins"])
    total = sum(coins) == named["amount"]
    return total and all(c in usable for c in coins) and len(coins) == value


def _rod_cutting(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    pieces, prices = list(w["pieces"]), named["prices"]
    if sum(pieces) != named["n"] or any(p < 1 for p in pieces):
        return False
    return _close(sum(prices[p - 1] for p in pieces), value)


def _lcs(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    sequence = list(w["sequence"])

    def inside(seq: Sequence[Any]) -> bool:
        it = iter(seq)
        return all(any(x == y for y in it) for x in sequence)

    return inside(named["a"]) and inside(named["b"]) and len(sequence) == value


def _edit_distance(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    if any(named.get(k, 1) != 1 for k in ("insert", "delete", "substitute", "transpose")):
        return None  # weighted costs: not checked here
    if named.get("variant", "levenshtein") != "levenshtein":
        return None
    a, b, ops = list(named["a"]), list(named["b"]), w["operations"]
    i = j = cost = 0
    for kind, oi, oj in ops:
        if (oi, oj) != (i, j):
            return False
        if kind in ("match", "substitute"):
            if (a[i] == b[j]) != (kind == "match"):
                return False
            cost += kind == "substitute"
            i, j = i + 1, j + 1
        elif kind == "delete":
            i, cost = i + 1, cost + 1
        elif kind == "insert":
            j, cost = j + 1, cost + 1
        else:
            return False
    return (i, j) == (len(a), len(b)) and cost == value


def _path(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    G, path = named["G"], list(w["path"])
    if getattr(G, "is_multigraph", lambda: True)():
        return None
    weight = named.get("weight", "weight")
    total: Any = 0
    for u, v in itertools.pairwise(path):
        if not G.has_edge(u, v):
            return False
        total += 1 if weight is None else G.edges[u, v].get(weight, 1)
    ends = "source" not in named or (
        path[:1] == [named["source"]] and path[-1:] == [named["target"]]
    )
    return ends and _close(total, value)


def _problem(name: str) -> Any:
    """``dptoolkit.problems.<name>`` (imported by name: the engine never imports problems statically)."""
    import importlib

    return importlib.import_module(f"dptoolkit.problems.{name}")


def _alignment(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    alignment = _problem("alignment")

    scores = {
        k: named[k]
        for k in ("mode", "match", "mismatch", "gap", "gap_open", "gap_extend", "matrix")
        if k in named
    }
    top, bottom = w["aligned"]
    (i0, i1), (j0, j1) = w["span"]
    a, b = list(named["a"]), list(named["b"])
    local = scores.get("mode", "global") == "local"
    same = [x for x in top if x != "-"] == (a[i0:i1] if local else a) and [
        y for y in bottom if y != "-"
    ] == (b[j0:j1] if local else b)
    return same and _close(alignment.score_rows((top, bottom), **scores), value)


def _dtw(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    dtw = _problem("dtw")

    path, window = list(w["path"]), named.get("window")
    inside = window is None or all(abs(i - j) <= window for i, j in path)
    cost = dtw.path_cost(named["x"], named["y"], path, cost=named.get("cost", "absolute"))
    return inside and _close(cost, value)


def _viterbi(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    viterbi = _problem("viterbi")

    if w["path"] is None:
        return bool(value == -math.inf)
    model = [named[k] for k in ("observations", "states", "start_p", "trans_p", "emit_p")]
    return _close(viterbi.path_log_probability(w["path"], *model), value)


# the textbook classics (issue 13): each re-read from the problem's definition


def _tsp(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    D, tour = named["D"], list(w["tour"])
    if not isinstance(D, (list, tuple)):
        return None  # a graph: its tour lists node labels
    n = len(D)
    if tour[:1] != [0] or tour[-1:] != [0] or sorted(tour[:-1]) != list(range(n)):
        return n == 1 and tour == [0, 0] and _close(value, 0)
    return _close(sum(D[a][b] for a, b in itertools.pairwise(tour) if a != b), value)


def _word_break(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    pieces = w["words"]
    if pieces is None:
        return value is False
    words = set(named["words"])
    return value is True and "".join(pieces) == named["text"] and all(p in words for p in pieces)


def _palindrome(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    sequence = list(w["sequence"])
    it = iter(named["s"])
    inside = all(any(x == y for y in it) for x in sequence)
    return inside and sequence == sequence[::-1] and len(sequence) == value


def _interval_scheduling(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    jobs, indices = named["intervals"], list(w["indices"])
    if indices != sorted(set(indices)) or any(not 0 <= k < len(jobs) for k in indices):
        return False
    apart = all(
        max(jobs[a][0], jobs[b][0]) >= min(jobs[a][1], jobs[b][1])
        for a, b in itertools.combinations(indices, 2)
    )
    return apart and _close(sum(jobs[k][2] for k in indices), value)


def _optimal_bst(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    p, q = named["p"], named["q"]
    keys: list[int] = []
    total: Any = 0
    gap = 0
    stack: list[tuple[Any, int, bool]] = [(w["tree"], 1, False)]
    while stack:  # in order: gaps and keys left to right, each at its depth + 1
        node, level, seen = stack.pop()
        if node is None:
            total += q[gap] * level
            gap += 1
        elif seen:
            keys.append(node[0])
            total += p[node[0] - 1] * level
        else:
            stack += [(node[2], level + 1, False), (node, level, True), (node[1], level + 1, False)]
    return keys == list(range(1, len(p) + 1)) and gap == len(q) and _close(total, value)


def _egg_drop(value: Any, w: Mapping[str, Any], named: Named) -> bool | None:
    covered = _problem("egg_drop").covered  # the floors d drops with e eggs can settle

    x, eggs, floors = w["first_floor"], named["eggs"], named["floors"]
    if x is None:
        return bool(floors == 0 and value == 0)
    # after the first drop at x, each outcome must fit in the drops left
    fits = x - 1 <= covered(value - 1, eggs - 1) and floors - x <= covered(value - 1, eggs)
    return bool(1 <= x <= floors and fits)


_CHECKS: dict[str, Callable[[Any, Mapping[str, Any], Named], bool | None]] = {
    "alignment": _alignment,
    "dtw": _dtw,
    "viterbi": _viterbi,
    "knapsack": _knapsack,
    "lis": _lis,
    "subset_sum": _subset_sum,
    "coin_change": _coin_change,
    "rod_cutting": _rod_cutting,
    "lcs": _lcs,
    "edit_distance": _edit_distance,
    "shortest_path": _path,
    "longest_path": _path,
    "tsp": _tsp,
    "word_break": _word_break,
    "palindrome": _palindrome,
    "interval_scheduling": _interval_scheduling,
    "optimal_bst": _optimal_bst,
    "egg_drop": _egg_drop,
}
