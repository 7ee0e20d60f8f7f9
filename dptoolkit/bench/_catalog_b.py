"""Catalog benchmarks, part B: edit distance, LCS, and the graph problems.

Each case times dptoolkit's ``fast`` kernel and the outside tool people would
use instead, in one process, and reports the ratio to the tool (lower is
better; 1.00x is the tool). Times are the minimum over several rounds. The
memory case runs in a subprocess so that its peak is its own.
"""

from __future__ import annotations

import importlib
import json
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from ._timing import Row, timed


def _problem(name: str) -> Any:
    """``dptoolkit.problems.<name>`` (imported by name: the catalog installs beside the package)."""
    return importlib.import_module(f"dptoolkit.problems.{name}")


__all__ = ["run"]

SUITE = "catalog"


def _missing(case: str, tool: str, extra: str = "bench") -> Row:
    return Row(SUITE, case, tool, 0.0, None, f"not installed (pip install 'dptoolkit[{extra}]')")


def _rows(
    case: str, baseline: tuple[str, float], others: list[tuple[str, float, str]]
) -> list[Row]:
    name, base = baseline
    out = [Row(SUITE, case, name, base, 1.0, "baseline")]
    out += [Row(SUITE, case, subject, t, t / base, note) for subject, t, note in others]
    return out


def _dna(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("ACGT") for _ in range(n))


def _strings(quick: bool) -> list[Row]:
    _strings, edit_distance, lcs = (_problem(m) for m in ("_strings", "edit_distance", "lcs"))

    n = 2_000 if quick else 10_000
    rounds = 5 if quick else 15
    a, b = _dna(n, 1), _dna(n, 2)
    case = f"edit distance, 2 x {n:,} random DNA"
    ours = timed(lambda: edit_distance.solve(a, b).value, rounds=rounds)
    rows: list[Row] = []
    try:
        from rapidfuzz.distance import LCSseq, Levenshtein
    except ImportError:
        return [_missing(case, "rapidfuzz"), Row(SUITE, case, "dptoolkit fast", ours)]
    assert edit_distance.solve(a, b).value == Levenshtein.distance(a, b)
    base = timed(lambda: Levenshtein.distance(a, b), rounds=rounds)
    others = [("dptoolkit fast (bit-parallel, Python ints)", ours, "value only")]
    if not quick:
        codes = _strings.encode(a, b)
        row_dp = timed(lambda: _strings._levenshtein_rowwise(*codes), rounds=3)
        others.append(("numpy row-by-row DP (the huge-alphabet fallback)", row_dp, "for scale"))
    rows += _rows(case, ("rapidfuzz Levenshtein.distance", base), others)

    case = f"edit script, 2 x {n:,} random DNA"
    base = timed(lambda: Levenshtein.editops(a, b), rounds=rounds)
    ours = timed(lambda: edit_distance.fast_operations(a, b), rounds=max(3, rounds // 3))
    rows += _rows(
        case,
        ("rapidfuzz Levenshtein.editops", base),
        [("dptoolkit fast .operations (Hirschberg)", ours, "linear space")],
    )

    case = f"LCS length, 2 x {n:,} random DNA"
    assert lcs.solve(a, b).value == LCSseq.similarity(a, b)
    base = timed(lambda: LCSseq.similarity(a, b), rounds=rounds)
    ours = timed(lambda: lcs.solve(a, b).value, rounds=rounds)
    rows += _rows(
        case, ("rapidfuzz LCSseq.similarity", base), [("dptoolkit fast (bit-vector)", ours, "")]
    )
    return rows


_MEMORY_PROBE = textwrap.dedent(
    """
    import json, random, resource, sys, time, tracemalloc

    def high_water_kb():
        # VmHWM starts afresh at exec; ru_maxrss may carry the parent's peak over
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    n = int(sys.argv[1])
    rng = random.Random(5)
    a = "".join(rng.choice("ACGT") for _ in range(n))
    b = "".join(rng.choice("ACGT") for _ in range(n))
    from dptoolkit.problems import edit_distance
    before = high_water_kb()
    tracemalloc.start()
    start = time.perf_counter()
    value = edit_distance.solve(a, b).value
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    after = high_water_kb()
    print(json.dumps({"value": value, "seconds": seconds, "peak": peak,
                      "rss_growth_kb": after - before, "rss_kb": after}))
    """
)


def _memory(quick: bool) -> list[Row]:
    n = 20_000 if quick else 100_000
    case = f"memory: edit distance value, 2 x {n:,} random DNA"
    proc = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(proc.stdout)
    note = (
        f"peak {report['peak'] / 2**20:.1f} MB traced (tracemalloc), "
        f"max RSS growth {report['rss_growth_kb'] / 1024:.1f} MB "
        f"(whole process {report['rss_kb'] / 1024:.0f} MB, imports included); subprocess, one run"
    )
    return [Row(SUITE, case, "dptoolkit fast", report["seconds"], None, note)]


def _complete_digraph(n: int, seed: int) -> Any:
    import networkx as nx

    rng = random.Random(seed)
    G = nx.complete_graph(n, create_using=nx.DiGraph)
    for _, _, data in G.edges(data=True):
        data["weight"] = rng.uniform(1.0, 10.0)
    return G


def _all_pairs(quick: bool) -> list[Row]:
    import networkx as nx
    import numpy as np

    graph_paths = _problem("graph_paths")

    n = 150 if quick else 500
    rounds = 3 if quick else 7
    G = _complete_digraph(n, 3)
    case = f"all-pairs shortest paths, complete digraph, {n} nodes (networkx graph in)"
    ours = timed(lambda: graph_paths.all_pairs_shortest_paths(G).value, rounds=rounds)
    nx_numpy = timed(lambda: nx.floyd_warshall_numpy(G), rounds=max(2, rounds // 2))
    try:
        from scipy.sparse.csgraph import floyd_warshall
    except ImportError:
        return [
            _missing(case, "scipy"),
            Row(SUITE, case, "dptoolkit fast (numpy, per k)", ours),
            Row(SUITE, case, "networkx floyd_warshall_numpy", nx_numpy),
        ]
    dense = timed(
        lambda: floyd_warshall(nx.to_numpy_array(G, nonedge=np.inf), directed=True),
        rounds=rounds,
    )
    sparse = timed(lambda: floyd_warshall(nx.to_scipy_sparse_array(G)), rounds=rounds)
    check = graph_paths.all_pairs_shortest_paths(G).value.array
    assert np.allclose(check, floyd_warshall(nx.to_numpy_array(G, nonedge=np.inf)))
    return _rows(
        case,
        ("scipy floyd_warshall + nx.to_numpy_array", dense),
        [
            ("scipy floyd_warshall + nx.to_scipy_sparse_array", sparse, ""),
            ("networkx floyd_warshall_numpy", nx_numpy, ""),
            ("dptoolkit fast (numpy, per k)", ours, "conversion included"),
        ],
    )


def _paths(quick: bool) -> list[Row]:
    import networkx as nx

    graph_paths = _problem("graph_paths")

    n = 500 if quick else 3_000
    rounds = 3 if quick else 7
    rng = random.Random(9)
    G = nx.gnm_random_graph(n, 8 * n, seed=9, directed=True)
    for u, v, data in G.edges(data=True):
        data["weight"] = rng.randint(-3, 20) if u < v else rng.randint(5, 20)
    rows: list[Row] = []
    target = max(nx.descendants(G, 0), default=0)
    case = f"shortest path, negative weights, {n:,} nodes {G.number_of_edges():,} arcs"
    assert graph_paths.shortest_path(G, 0, target).value == nx.bellman_ford_path_length(
        G, 0, target
    )
    rows += _rows(
        case,
        (
            "networkx bellman_ford_path_length",
            _time(lambda: nx.bellman_ford_path_length(G, 0, target), rounds),
        ),
        [
            (
                "dptoolkit fast (queue Bellman-Ford)",
                _time(lambda: graph_paths.shortest_path(G, 0, target), rounds),
                "",
            )
        ],
    )
    dag = nx.DiGraph((u, v, d) for u, v, d in G.edges(data=True) if u < v)
    case = f"longest path in a DAG, {dag.number_of_nodes():,} nodes {dag.number_of_edges():,} arcs"
    assert graph_paths.longest_path(dag).value == nx.dag_longest_path_length(dag)
    rows += _rows(
        case,
        (
            "networkx dag_longest_path_length",
            _time(lambda: nx.dag_longest_path_length(dag), rounds),
        ),
        [
            (
                "dptoolkit fast (one topological pass)",
                _time(lambda: graph_paths.longest_path(dag), rounds),
                "",
            )
        ],
    )
    return rows


def _matrix_chain(quick: bool) -> list[Row]:
    matrix_chain = _problem("matrix_chain")
    n = 60 if quick else 200
    rng = random.Random(4)
    dims = [rng.randint(1, 100) for _ in range(n + 1)]
    case = f"matrix chain, {n} matrices (no outside tool: the recurrence is the baseline)"
    table = timed(lambda: matrix_chain.solve(dims, strategy="bottom_up").value, rounds=3)
    fast = timed(lambda: matrix_chain.solve(dims).value, rounds=5)
    return _rows(
        case,
        ("dptoolkit bottom_up (the recurrence)", table),
        [("dptoolkit fast (numpy per chain length)", fast, "")],
    )


def _time(func: Callable[[], Any], rounds: int) -> float:
    return timed(func, rounds=rounds)


def run(quick: bool) -> list[Row]:
    """The part-B catalog rows: strings, memory, matrix chain, all-pairs, shortest and DAG paths."""
    rows: list[Row] = []
    for part in (_strings, _memory, _matrix_chain, _all_pairs, _paths):
        rows += part(quick)
    return rows
