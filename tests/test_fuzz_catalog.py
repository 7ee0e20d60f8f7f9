"""Fuzzing every catalog solver: an answer brute force confirms, or a named refusal, fast.

Table-driven over ``dp.catalog()``, so a problem added later is fuzzed without
touching this file. For each problem and strategy, hypothesis draws arguments
by mutating the entry's own ``example`` (one or two arguments swapped for
something from a wide pool of awkward values: bools where ints go, NaN,
infinities, ``-0.0``, ``10**30``, numpy scalars of every dtype, 0-d and 2-D
arrays, object arrays, generators, strings where lists go, bytes, Decimal,
Fraction, ``None``, empty and very long inputs) or, where a problem has a hook
below, from a generator of its own (random multigraphs with self-loops,
missing and non-numeric weights, nodes not in the graph, cycles where a DAG is
due, undirected negative edges; grids with out-of-range blocked cells).

The property, for every call:

* it returns within :data:`CPU_LIMIT` seconds of CPU time (a watchdog stops
  it; CPU time, not wall time, so a busy machine does not make it flaky; an
  overrun is tried once more). Only a valid large instance, one that another
  strategy answers in time, may take longer in a slow strategy (``naive`` on
  an exponential tree, cubic ``top_down`` on hundreds of matrices);
* it returns an answer that the problem's brute force (its module's
  ``brute_force``, or networkx for the graph problems) confirms, with a witness
  that is one where a hook can check it; when the reference cannot judge the
  input (too slow, or it refuses it), every other strategy must agree;
* or it raises a :class:`dptoolkit.DPError` that is also a ``ValueError``,
  ``TypeError`` (or, for a run refused as too big, ``BudgetExceeded``),
  whose message names one of the solver's arguments.

Runs are derandomized (the same examples every run, so CI never flickers);
``DPTOOLKIT_FUZZ_EXAMPLES=500 DPTOOLKIT_FUZZ_RANDOM=1`` explores further.
"""

from __future__ import annotations

import _thread
import contextlib
import copy
import importlib
import inspect
import itertools
import math
import numbers
import os
import re
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp

#: CPU seconds one call may take before the watchdog calls it a hang.
CPU_LIMIT = float(os.environ.get("DPTOOLKIT_FUZZ_CPU", "1.0"))
#: CPU seconds a brute-force reference may take before it is given up on.
REFERENCE_LIMIT = 0.25
#: Wall seconds, for a call that blocks without using CPU.
WALL_LIMIT = 20.0
#: Bytes of memory one call may add.
MEMORY_LIMIT = 1 << 30
EXAMPLES = int(os.environ.get("DPTOOLKIT_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("DPTOOLKIT_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=list(HealthCheck),
)


# ---------------------------------------------------------------- the watchdog


class Overtime(BaseException):
    """Raised inside a call that ran past its limit (a BaseException: no ``except Exception`` eats it)."""


def _data_size() -> int:
    """The process's data segment now (bytes), as ``RLIMIT_DATA`` counts it."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmData in /proc/self/status")


@contextlib.contextmanager
def watchdog(cpu: float = CPU_LIMIT, wall: float = WALL_LIMIT) -> Iterator[None]:
    """Interrupt the body after *cpu* seconds of process CPU time or *wall* seconds.

    CPU time through ``ITIMER_PROF``; wall time through a timer thread that
    signals the main thread with ``SIGUSR1`` (``SIGALRM`` is pytest-timeout's).
    Memory past :data:`MEMORY_LIMIT` more than now is a ``MemoryError`` (through
    ``RLIMIT_DATA``), a finding like any other, instead of the machine's OOM killer.
    """

    def expire(signum: int, frame: object) -> None:
        raise Overtime(f"no answer within {cpu} s of CPU time ({wall} s wall)")

    old_prof = signal.signal(signal.SIGPROF, expire)
    old_data = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (_data_size() + MEMORY_LIMIT, old_data[1]))
    old_usr1 = signal.signal(signal.SIGUSR1, expire)
    timer = threading.Timer(wall, _thread.interrupt_main, args=(signal.SIGUSR1,))
    timer.daemon = True
    signal.setitimer(signal.ITIMER_PROF, cpu)
    timer.start()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        timer.cancel()
        resource.setrlimit(resource.RLIMIT_DATA, old_data)
        signal.signal(signal.SIGPROF, old_prof)
        signal.signal(signal.SIGUSR1, old_usr1)


# ---------------------------------------------------------------- the pool


@dataclass(frozen=True)
class Gen:
    """Stands for a generator over *items*: a fresh one is made for every call."""

    items: tuple[Any, ...]

    def __repr__(self) -> str:
        return f"(generator of {list(self.items)!r})"


MISSING = object()  # an edge without the weight attribute

INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
FLOAT_DTYPES = ("float16", "float32", "float64", "longdouble")


def numpy_scalars() -> list[Any]:
    out: list[Any] = [np.bool_(True), np.complex64(1 + 0j), np.complex128(2)]
    for name in INT_DTYPES:
        kind = np.dtype(name)
        out += [kind.type(3), kind.type(0)]
        top = int(np.iinfo(kind).max)
        if top <= 255 or top >= 2**31:  # mid-sized values are legitimate, slow, instances
            out.append(kind.type(top))
        if np.iinfo(kind).min < 0:
            out.append(kind.type(np.iinfo(kind).min))
    for name in FLOAT_DTYPES:
        kind = np.dtype(name)
        out += [kind.type(2.5), kind.type(3), kind.type("nan"), kind.type("inf"), kind.type(-0.0)]
    return out


SCALARS: list[Any] = [
    0, 1, 2, 3, 7, -1, -3, 10**30, -(10**30), 2**63, 2**64 + 1, 10**18,
    True, False,
    0.0, -0.0, 0.5, 2.0, 2.5, -2.5, 1e300, math.nan, math.inf, -math.inf,
    Decimal(3), Decimal("2.5"), Decimal("NaN"), Decimal("-Infinity"),
    Fraction(1, 3), Fraction(6, 2), Fraction(-1, 2),
    1j, None, "", "a", "3", "abc", b"", b"\xff\x00", bytearray(b"ab"),
    [], (), {}, set(), frozenset({1}), {"a": 1}, object(), range(3), slice(1),
    np.array(3), np.array(2.5), np.array([[1, 2], [3, 4]]), np.array([], dtype=float),
    np.array([1, "a", None], dtype=object), np.array([1, 2, 3], dtype=object),
    *numpy_scalars(),
]  # fmt: skip


def pool() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(SCALARS), st.integers(-5, 40))


def sequence_variants(x: Any) -> st.SearchStrategy[Any]:
    """Variants of a list or string example argument."""
    items = list(x)
    numeric = all(isinstance(v, numbers.Number) for v in items)
    variants: list[st.SearchStrategy[Any]] = [
        st.just([]),
        st.just(type(x)()),
        st.just(tuple(items)),
        st.just(Gen(tuple(items))),
        st.just(np.array(items, dtype=object)),
        st.just(np.array([items, items], dtype=object)),
        st.lists(pool(), max_size=6),
        # one element swapped for a pool value
        st.tuples(st.integers(0, max(len(items) - 1, 0)), pool()).map(
            lambda ip: [*items[: ip[0]], ip[1], *items[ip[0] + 1 :]]
        ),
        # very long: the example repeated, or many random items
        st.integers(20, 50).map(lambda k: items * k if items else [0] * k),
        st.lists(st.integers(0, 9), min_size=200, max_size=400),
    ]
    with contextlib.suppress(TypeError):  # unordered collections, where the items are hashable
        variants += [st.just(set(items)), st.just(dict.fromkeys(items))]
    if numeric:
        variants += [
            st.sampled_from(INT_DTYPES + FLOAT_DTYPES).map(
                lambda d: np.array(items).astype(d) if items else np.array([], dtype=d)
            ),
            st.just(np.array([items, items])),
            st.just("".join(str(v) for v in items)),
            st.just(bytes(v % 256 for v in items if isinstance(v, int))),
            st.just([float(v) for v in items]),
            st.just([Fraction(v) for v in items if isinstance(v, (int, Fraction))]),
            st.just([Decimal(v) for v in items if isinstance(v, int)]),
            st.just([np.int8(v % 128) for v in items if isinstance(v, int)]),
            st.just([bool(v % 2) for v in items if isinstance(v, int)]),
            st.just([v * 10**15 for v in items if isinstance(v, int)]),
        ]
    else:
        variants += [
            st.just(list(items)),
            st.just(np.array(items)),
            st.just(str(x).encode() if isinstance(x, str) else bytes(len(items))),
            st.text(max_size=8),
            st.lists(st.sampled_from([*items, None, math.nan, 1, "a", (1,)]), max_size=8),
        ]
    return st.one_of(variants)


def variants(x: Any) -> st.SearchStrategy[Any]:
    """An argument like *x*, or something from the pool."""
    choices = [pool()]
    if isinstance(x, (list, tuple, str)):
        choices.append(sequence_variants(x))
    if isinstance(x, int) and not isinstance(x, bool):
        choices.append(st.integers(-2, x + 3))
    return st.one_of(choices)


@st.composite
def mutated(draw: st.DrawFn, example: tuple[Any, ...]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The example with one or two of its arguments replaced."""
    args = list(example)
    if args:
        for k in draw(st.sets(st.integers(0, len(args) - 1), min_size=1, max_size=2)):
            args[k] = draw(variants(args[k]))
    return tuple(args), {}


# ---------------------------------------------------------------- running a call


def fresh(value: Any) -> Any:
    """A private copy of a drawn value (generators made anew: a call may consume one)."""
    if isinstance(value, Gen):
        return (v for v in fresh(list(value.items)))
    if isinstance(value, (list, tuple)):
        return type(value)(fresh(v) for v in value)
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    with contextlib.suppress(Exception):
        return copy.deepcopy(value)
    return value


def plain(value: Any) -> Any:
    """A drawn value in plain Python form, for a brute-force reference."""
    if isinstance(value, Gen):
        return [plain(v) for v in value.items]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return fresh(value)


@dataclass
class Outcome:
    value: Any = None
    solution: Any = None
    error: BaseException | None = None


def call(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], *, tries: int = 2
) -> Outcome:
    """Run ``fn`` under the watchdog (twice if the first run overruns: a busy machine's blip).

    Past the limit both times, the outcome's error is an :class:`Overtime`.
    """
    for attempt in range(tries):
        fresh_args, fresh_kwargs = fresh(args), fresh(kwargs)
        try:
            with watchdog():
                sol = fn(*fresh_args, **fresh_kwargs)
                value = sol.value
        except Overtime as e:
            if attempt == tries - 1:
                return Outcome(error=e)
            continue
        except Exception as e:
            return Outcome(error=e)
        return Outcome(value=value, solution=sol)
    raise AssertionError("unreachable")


def assert_in_time(problem: dp.Problem, got: Outcome, args: Any, kw: Any, what: str) -> None:
    """An overrun is a hang unless the input is a valid large instance: one that another
    strategy answers within the limit (``naive`` on 15 items, cubic ``top_down`` on 350
    matrices). A refusal is always due within the limit."""
    if not isinstance(got.error, Overtime):
        return
    for other in problem.strategies:
        if call(problem.solve, args, {**kw, "strategy": other}, tries=1).error is None:
            return
    pytest.fail(f"{got.error}: {what}")


def reference(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Outcome:
    """Run a reference under a short watchdog; give up (``error``) when it is too slow."""
    try:
        with watchdog(cpu=REFERENCE_LIMIT):
            return Outcome(value=fn(*args, **kwargs))
    except Overtime as e:
        return Outcome(error=TimeoutError(str(e)))
    except Exception as e:
        return Outcome(error=e)


NAMED = re.compile(r"\b([A-Za-z_]\w*)(?:\[[^\]=]*\]|\.\w+)*=")


def assert_refusal(error: BaseException, params: set[str], what: str) -> None:
    """*error* is a DPError that is a ValueError/TypeError (or a budget), naming an argument."""
    ok = isinstance(error, dp.DPError) and isinstance(
        error, (ValueError, TypeError, dp.BudgetExceeded)
    )
    assert ok, f"{what} raised {type(error).__name__}: {error}"
    message = str(error)
    named = set(NAMED.findall(message)) | set(re.findall(r"^(\w+)\b", message))
    assert named & (params | {"strategy"}), f"{what}: the message names no argument: {message!r}"


def same(a: Any, b: Any) -> bool:
    """Equal values; floats close (infinities equal), containers element by element."""
    if hasattr(a, "keys") or hasattr(b, "keys"):  # dicts and distance matrices
        return (
            hasattr(a, "keys")
            and hasattr(b, "keys")
            and list(a.keys()) == list(b.keys())
            and all(same(a[k], b[k]) for k in a)
        )
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, numbers.Number) and isinstance(b, numbers.Number):
        fa, fb = float(a), float(b)  # type: ignore[arg-type]
        if math.isinf(fa) or math.isinf(fb):
            return fa == fb
        if isinstance(a, float) or isinstance(b, float):
            return math.isclose(fa, fb, rel_tol=1e-9, abs_tol=1e-9)
        return bool(a == b)
    return bool(a == b)


# ---------------------------------------------------------------- per-problem hooks


@dataclass
class Hook:
    """How one problem is fuzzed, where the generic example mutation is not enough.

    ``args`` draws ``(args, kwargs)``; ``reference(args, kwargs)`` returns the
    expected value or raises :class:`Refused` when the solver must refuse;
    ``witness(solution, args, kwargs)`` asserts the witness fits.
    """

    args: st.SearchStrategy[tuple[tuple[Any, ...], dict[str, Any]]] | None = None
    reference: Callable[[tuple[Any, ...], dict[str, Any]], Any] | None = None
    witness: Callable[[Any, tuple[Any, ...], dict[str, Any]], None] | None = None


class Refused(Exception):
    """The reference says the solver must refuse this input."""


def sub_sum(xs: Any, idx: Any) -> Any:
    return sum((xs[i] for i in idx), 0)


def knapsack_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    weights, values, capacity = plain(args)
    items = sol.items
    assert items == sorted(items)
    if not kw.get("unbounded"):
        assert len(set(items)) == len(items)
    assert sub_sum(weights, items) <= capacity
    assert same(sub_sum(values, items), sol.value)


def lis_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    seq = plain(args[0])
    idx = sol.indices
    assert len(idx) == sol.value and idx == sorted(set(idx))
    assert all(seq[i] < seq[j] for i, j in itertools.pairwise(idx))


def coin_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    coins, amount = plain(args)
    if sol.coins is None:
        assert sol.value == math.inf
    else:
        assert sum(sol.coins) == amount and len(sol.coins) == sol.value
        assert set(sol.coins) <= set(coins)


def subset_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    numbers_, target = plain(args)
    if sol.value:
        assert len(set(sol.indices)) == len(sol.indices)
        assert sub_sum(numbers_, sol.indices) == target
    else:
        assert sol.indices is None


def rod_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    prices, n = plain(args)
    assert sum(sol.pieces) == n if sol.pieces else n == 0 or sol.value == 0
    assert same(sum((prices[p - 1] for p in sol.pieces), 0), sol.value)


def lcs_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    a, b = (list(x) for x in plain(args))
    seq = list(sol.sequence)
    assert len(seq) == sol.value
    for big in (a, b):
        it = iter(big)
        assert all(any(c == d for d in it) for c in seq)


# --- graphs: generated, and judged by networkx and path enumeration


WEIGHTS = st.one_of(
    st.integers(-3, 9),
    st.integers(-3, 9),
    st.sampled_from([0.5, -1.5, 2.25, 10**30, Fraction(1, 2), np.int8(5), np.float16(1.5)]),
    st.sampled_from([MISSING, math.nan, math.inf, "3", None, True, Decimal("1.5"), 1j]),
)


@st.composite
def graphs(draw: st.DrawFn, acyclic_bias: bool = False) -> Any:
    kind = draw(st.sampled_from([nx.DiGraph, nx.DiGraph, nx.Graph, nx.MultiDiGraph, nx.MultiGraph]))
    labels = draw(st.sampled_from(["int", "str", "mixed", "tuple"]))
    n = draw(st.integers(0, 6))
    pick = {
        "int": lambda i: i,
        "str": lambda i: "abcdef"[i],
        "mixed": lambda i: i if i % 2 else "abcdef"[i],
        "tuple": lambda i: (i, "x"),
    }[labels]
    nodes = [pick(i) for i in range(n)]
    G = kind()
    G.add_nodes_from(nodes)
    if n:
        forward = acyclic_bias and draw(st.booleans())
        for _ in range(draw(st.integers(0, 9))):
            i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            if forward and i >= j:
                continue
            w = draw(WEIGHTS)
            G.add_edge(nodes[i], nodes[j], **({} if w is MISSING else {"weight": w}))
    return G


OUTSIDERS = [99, "zz", None, [0], math.nan, (0, "y")]


def endpoint(G: Any) -> st.SearchStrategy[Any]:
    nodes = list(G)
    inside = [st.sampled_from(nodes)] * 4 if nodes else []
    return st.one_of(*inside, st.sampled_from(OUTSIDERS))


WEIGHT_KW = st.one_of(
    st.just({}), st.just({}), st.sampled_from([{"weight": None}, {"weight": "w"}, {"weight": 3}])
)


@st.composite
def graph_args(draw: st.DrawFn, ends: bool, acyclic: bool, weighted: bool = True) -> Any:
    G = draw(graphs(acyclic_bias=acyclic))
    args = (G, draw(endpoint(G)), draw(endpoint(G))) if ends else (G,)
    return args, (draw(WEIGHT_KW) if weighted else {})


def is_weight(w: Any) -> bool:
    return (
        isinstance(w, (numbers.Real, Decimal))
        and not isinstance(w, (bool, np.bool_))
        and math.isfinite(float(w))
    )


def kind(w: Any) -> type:
    """The number kind a weight counts as: int mixes with any, the others only with themselves."""
    if isinstance(w, numbers.Integral):
        return int
    return type(w) if isinstance(w, (Fraction, Decimal)) else float


def arc_table(G: Any, kw: dict[str, Any], combine: Callable[..., Any] | None) -> Any:
    """``{(u, v): weight or [weights]}`` over the arcs of G; Refused for a bad weight option."""
    weight = kw.get("weight", "weight")
    if weight is not None and not isinstance(weight, str):
        raise Refused("weight")
    arcs: dict[tuple[Any, Any], list[Any]] = {}
    kinds: set[type] = set()
    for u, v, d in G.edges(data=True):
        w = 1 if weight is None else d.get(weight, 1)
        if not is_weight(w):
            raise Refused("weight")
        w = w.item() if isinstance(w, np.generic) else w
        kinds.add(kind(w))
        pairs = [(u, v)] if G.is_directed() or u == v else [(u, v), (v, u)]
        for pair in pairs:
            arcs.setdefault(pair, []).append(w)
    if len(kinds - {int}) > 1:
        raise Refused("exact and inexact weights mixed")
    if combine is None:
        return arcs
    return {pair: combine(ws) for pair, ws in arcs.items()}


def check_endpoints(G: Any, *nodes: Any) -> None:
    for node in nodes:
        try:
            if node not in G:
                raise Refused("node")
        except TypeError:
            raise Refused("node") from None


def simple_digraph(G: Any, arcs: dict[tuple[Any, Any], Any]) -> Any:
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_weighted_edges_from((u, v, w) for (u, v), w in arcs.items())
    return H


def shortest_reference(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    G, s, t = args
    check_endpoints(G, s, t)
    H = simple_digraph(G, arc_table(G, kw, min))
    try:
        dist = nx.single_source_bellman_ford_path_length(H, s)
    except nx.NetworkXUnbounded:
        raise Refused("negative cycle") from None
    return dist.get(t, math.inf)


def all_pairs_reference(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    (G,) = args
    H = simple_digraph(G, arc_table(G, kw, min))
    if any(w < 0 for _, _, w in nx.selfloop_edges(H, data="weight")) or nx.negative_edge_cycle(H):
        raise Refused("negative cycle")
    fw = nx.floyd_warshall(H)
    return {u: {v: fw[u][v] for v in G} for u in G}


def dag_arcs(G: Any, kw: dict[str, Any], combine: Callable[..., Any] | None) -> Any:
    arcs = arc_table(G, kw, combine)
    if not G.is_directed() and G.number_of_edges():
        raise Refused("undirected")
    if not nx.is_directed_acyclic_graph(nx.DiGraph(list(arcs))):
        raise Refused("cycle")
    return arcs


def all_paths(G: Any, arcs: dict[tuple[Any, Any], Any]) -> Iterator[list[Any]]:
    """Every path (node list, at least one node) of an acyclic arc table."""
    out: dict[Any, list[Any]] = {u: [] for u in G}
    for u, v in arcs:
        out[u].append(v)

    def walk(path: list[Any]) -> Iterator[list[Any]]:
        yield path
        for v in out[path[-1]]:
            yield from walk([*path, v])

    for u in G:
        yield from walk([u])


def longest_reference(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    (G,) = args
    arcs = dag_arcs(G, kw, max)
    best: Any = 0
    for path in all_paths(G, arcs):
        best = max(best, sum((arcs[e] for e in itertools.pairwise(path)), 0))
    return best


def count_reference(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    G, s, t = args
    check_endpoints(G, s, t)
    arcs = dag_arcs(G, {"weight": None}, None)  # weights are not read
    total = 0
    for path in all_paths(G, arcs):
        if path[0] == s and path[-1] == t:
            total += math.prod(len(arcs[e]) for e in itertools.pairwise(path))
    return total


def path_witness(combine: Callable[..., Any], ends: bool) -> Callable[..., None]:
    def check(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
        G = args[0]
        path = sol.path
        if path is None:
            assert sol.value == math.inf
            return
        if ends:
            assert path[0] == args[1] and path[-1] == args[2]
        arcs = arc_table(G, kw, combine)
        steps = list(itertools.pairwise(path))
        assert all(e in arcs for e in steps), path
        assert same(sum((arcs[e] for e in steps), 0), sol.value)

    return check


def all_pairs_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    G = args[0]
    arcs = arc_table(G, kw, min)
    for u, v in itertools.islice(itertools.product(G, G), 12):
        path = sol.path(u, v)
        if path is None:
            assert sol.value[u][v] == math.inf
            continue
        assert path[0] == u and path[-1] == v
        steps = list(itertools.pairwise(path))
        assert all(e in arcs for e in steps)
        assert same(sum((arcs[e] for e in steps), 0), sol.value[u][v])


CELL = st.one_of(
    st.tuples(st.integers(-1, 5), st.integers(-1, 5)),
    st.sampled_from([(0, 0), [1, 1], (1,), (1, 2, 3), (True, 0), (1.0, 1), "ab", None, 3]),
    st.tuples(st.sampled_from([np.int8(1), np.uint64(2), np.int64(0)]), st.integers(0, 3)),
)


@st.composite
def grid_args(draw: st.DrawFn) -> Any:
    rows = draw(st.one_of(st.integers(-1, 6), st.sampled_from(SCALARS)))
    cols = draw(st.one_of(st.integers(-1, 6), st.sampled_from(SCALARS)))
    blocked = draw(
        st.one_of(
            st.lists(CELL, max_size=5),
            st.lists(CELL, max_size=5).map(lambda c: Gen(tuple(c))),
            st.sampled_from([None, "ab", 3, {(1, 1): 0}, np.array([[1, 1]]), {(0, 1)}]),
        )
    )
    return (rows, cols), {"blocked": blocked}


def integer(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def grid_reference(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    rows, cols = args
    if not all(integer(x) and x >= 1 for x in (rows, cols)):
        raise Refused("rows/cols")
    rows, cols = int(rows), int(cols)
    blocked = kw.get("blocked", ())
    if blocked is None or isinstance(blocked, (str, bytes, int, np.ndarray)):
        raise Refused("blocked")
    cells = set()
    for cell in blocked:
        ok = isinstance(cell, (tuple, list)) and len(cell) == 2
        if not ok or not all(integer(x) for x in cell):
            raise Refused("blocked")
        if not (0 <= cell[0] < rows and 0 <= cell[1] < cols):
            raise Refused("blocked")
        cells.add((int(cell[0]), int(cell[1])))
    if rows * cols > 64:
        raise TimeoutError("too big to enumerate")

    def walks(r: int, c: int) -> int:  # every monotone walk, enumerated
        if (r, c) in cells:
            return 0
        if (r, c) == (rows - 1, cols - 1):
            return 1
        return (walks(r + 1, c) if r + 1 < rows else 0) + (walks(r, c + 1) if c + 1 < cols else 0)

    return walks(0, 0)


def word_break_reference(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    """Every segmentation, by the module's brute force: the answer is whether there is one."""
    from dptoolkit.problems import word_break

    if too_big_to_enumerate(args[0]):
        raise TimeoutError("too long to enumerate")
    if kw.get("k") is not None:
        raise Refused("k=: a yes/no answer has no K best")
    try:
        segmentations = word_break.brute_force(*plain(args))
    except dp.DPError as e:
        raise Refused(str(e)) from None
    return bool(segmentations)


def word_break_witness(sol: Any, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
    from dptoolkit.problems import word_break

    if too_big_to_enumerate(args[0]):
        return
    segmentations = word_break.brute_force(*plain(args))
    assert sol.count == len(segmentations)
    assert (sol.words is None) if not segmentations else (list(sol.words) in segmentations)


HOOKS: dict[str, Hook] = {
    "word_break": Hook(reference=word_break_reference, witness=word_break_witness),
    "knapsack": Hook(witness=knapsack_witness),
    "lis": Hook(witness=lis_witness),
    "coin_change": Hook(witness=coin_witness),
    "subset_sum": Hook(witness=subset_witness),
    "rod_cutting": Hook(witness=rod_witness),
    "lcs": Hook(witness=lcs_witness),
    "shortest_path": Hook(
        graph_args(ends=True, acyclic=False), shortest_reference, path_witness(min, True)
    ),
    "all_pairs_shortest_paths": Hook(
        graph_args(ends=False, acyclic=False), all_pairs_reference, all_pairs_witness
    ),
    "longest_path": Hook(
        graph_args(ends=False, acyclic=True), longest_reference, path_witness(max, False)
    ),
    "count_paths": Hook(graph_args(ends=True, acyclic=True, weighted=False), count_reference),
    "grid_paths": Hook(grid_args(), grid_reference),
}


def module_reference(problem: dp.Problem) -> Callable[..., Any] | None:
    """``brute_force`` of the problem's module, as a reference over plain arguments."""
    brute = getattr(importlib.import_module(problem.module), "brute_force", None)
    if brute is None:
        return None

    def judge(args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
        if too_big_to_enumerate((args, kw)):
            raise TimeoutError("too big for an exhaustive search")
        out = brute(*plain(args), **plain(kw))
        return out[0] if isinstance(out, tuple) else out

    return judge


def too_big_to_enumerate(value: Any) -> bool:
    """Whether an exponential reference would surely run past its limit (a number > 24 or a
    collection longer than 12 anywhere): then the strategies are checked against each other."""
    if isinstance(value, Gen):
        value = value.items
    if isinstance(value, np.ndarray):
        return value.size > 12
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (str, bytes)):
        return len(value) > 12
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(value) > 12 or any(too_big_to_enumerate(v) for v in value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        with contextlib.suppress(TypeError, ValueError, OverflowError):
            return abs(float(value)) > 24
    return False


def parameters(problem: dp.Problem) -> set[str]:
    return set(inspect.signature(problem.solve).parameters)


def argument_strategy(problem: dp.Problem) -> st.SearchStrategy[Any]:
    hook = HOOKS.get(problem.name, Hook())
    if hook.args is not None:
        return hook.args
    example = tuple(problem.example)
    kwonly = [
        name
        for name, prm in inspect.signature(problem.solve).parameters.items()
        if prm.kind is prm.KEYWORD_ONLY and name != "strategy"
    ]
    extra = st.fixed_dictionaries({}, optional={name: pool() for name in kwonly})
    return st.tuples(mutated(example), extra).map(lambda ak: (ak[0][0], {**ak[0][1], **ak[1]}))


STRATEGY = st.one_of(
    st.sampled_from(["auto", "naive", "top_down", "bottom_up", "fast"]),
    st.sampled_from(["auto", "naive", "top_down", "bottom_up", "fast"]),
    st.sampled_from(["bottomup", "", None, 3, b"fast", "FAST"]),
)


def judge(problem: dp.Problem, args: tuple[Any, ...], kw: dict[str, Any], strategy: Any) -> None:
    """The fuzz property for one call."""
    params = parameters(problem)
    what = f"{problem.name}{args!r} {kw!r} strategy={strategy!r}"
    got = call(problem.solve, args, {**kw, "strategy": strategy})
    assert_in_time(problem, got, args, kw, what)
    if isinstance(got.error, Overtime):
        return
    hook = HOOKS.get(problem.name, Hook())
    ref_fn = hook.reference or module_reference(problem)
    assert ref_fn is not None, f"{problem.name} has no reference: add a hook"
    expected = reference(ref_fn, args, kw)
    if got.error is not None:
        assert_refusal(got.error, params, what)
        if isinstance(expected.error, Refused) or isinstance(got.error, dp.BudgetExceeded):
            return
        if hook.reference is not None and expected.error is None:
            # the reference answers this, so a refusal must be about the strategy
            assert isinstance(got.error, dp.BudgetExceeded) or "strategy" in str(got.error), (
                f"{what} refused ({got.error}) an input the reference answers: {expected.value!r}"
            )
        return
    # an answer: plain Python, confirmed by the reference or by the other strategies
    assert not isinstance(got.value, np.generic), f"{what} answered a numpy {type(got.value)}"
    assert not isinstance(expected.error, Refused), (
        f"{what} answered {got.value!r}, but it must refuse ({expected.error})"
    )
    if expected.error is None:
        assert same(got.value, expected.value), (
            f"{what} = {got.value!r}, expected {expected.value!r}"
        )
        inexact = isinstance(got.value, float) and isinstance(expected.value, (Fraction, Decimal))
        assert not inexact, f"{what}: exact inputs came back inexact: {got.value!r}"
    else:
        for other in problem.strategies:
            again = call(problem.solve, args, {**kw, "strategy": other})
            if isinstance(again.error, Overtime):
                continue  # a slower strategy on a valid large instance (another answered)
            if again.error is None:
                assert same(got.value, again.value), (
                    f"{what} = {got.value!r} but strategy={other!r} gives {again.value!r}"
                )
            else:
                # a refusal of this strategy alone: too big for it (budget, memory, work),
                # or a kernel asked for k= best answers, which records no choices
                message = str(again.error)
                assert isinstance(again.error, dp.BudgetExceeded) or (
                    isinstance(again.error, dp.InvalidInput)
                    and (
                        f"too large for strategy={other!r}" in message
                        or (message.startswith("k=") and f"'{other}' kernel" in message)
                    )
                ), f"{what} answered {got.value!r}; strategy={other!r} refused: {again.error!r}"
    if hook.witness is not None:
        try:  # a witness is lazy: one too big to list is refused when read, by name
            with watchdog():
                for name in problem.witness:
                    getattr(got.solution, name)
        except dp.DPError as e:
            assert_refusal(e, params, f"{what}.{problem.witness}")
            return
        hook.witness(got.solution, args, kw)


NAMES = [p.name for p in dp.catalog()]


@pytest.mark.parametrize("name", NAMES)
def test_fuzz_solver(name: str) -> None:
    problem = dp.catalog(name)

    @FUZZ
    @given(drawn=argument_strategy(problem), strategy=STRATEGY)
    def check(drawn: tuple[tuple[Any, ...], dict[str, Any]], strategy: Any) -> None:
        judge(problem, drawn[0], drawn[1], strategy)

    check()


def test_every_catalog_entry_is_fuzzed_with_a_reference() -> None:
    """Each entry is in NAMES (collected from dp.catalog()) and has an oracle to judge it."""
    assert sorted(NAMES) == sorted(p.name for p in dp.catalog())
    for problem in dp.catalog():
        hook = HOOKS.get(problem.name, Hook())
        assert hook.reference is not None or module_reference(problem) is not None, problem.name
        assert hook.args is not None or problem.example, f"{problem.name}: nothing to mutate"
    assert set(HOOKS) <= set(NAMES), "a hook for a problem that is not in the catalog"


def test_watchdog_stops_a_runaway_call() -> None:
    """The watchdog itself works: a spinning call is stopped, and the timers are off after."""

    def spin() -> None:
        while True:
            pass

    with pytest.raises(Overtime), watchdog(cpu=0.2):
        spin()
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
