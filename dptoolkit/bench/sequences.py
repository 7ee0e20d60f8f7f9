"""Sequence-problem benchmarks: alignment, edit-distance variants, DTW and Viterbi.

Part of ``python -m dptoolkit.bench catalog``. Each case times dptoolkit's
``fast`` strategy against the library people use for the job (Biopython's
PairwiseAligner, rapidfuzz, dtaidistance's C kernel, hmmlearn), in this
process, subjects alternated round by round; a row is the least CPU time
over the rounds and ``ratio`` is over the outside library's row (lower is
better). A library that is not installed (the ``bench`` extra) drops its
case. The last case is the peak memory (``tracemalloc``) of one alignment
score of two 100,000-letter strings.
"""

from __future__ import annotations

import functools
import gc
import importlib
import math
import random
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from ._timing import Row

__all__ = ["run"]

SUITE = "catalog"


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _alternate(
    subjects: list[tuple[str, Callable[[], Any], str]], rounds: int
) -> list[tuple[str, float, str]]:
    """Least CPU time of each subject, the subjects run in turn within each round."""
    best = [math.inf] * len(subjects)
    for _ in range(rounds):
        for k, (_, func, _) in enumerate(subjects):
            enabled = gc.isenabled()
            gc.disable()
            try:
                start = time.process_time()
                func()
                best[k] = min(best[k], time.process_time() - start)
            finally:
                if enabled:
                    gc.enable()
    return [(name, seconds, note) for (name, _, note), seconds in zip(subjects, best, strict=False)]


def _case(
    case: str, subjects: list[tuple[str, Callable[[], Any], str]], rounds: int = 5
) -> list[Row]:
    """The rows of one case: its subjects alternated, ratios over the first (the baseline)."""
    entries = _alternate(subjects, rounds)
    base = entries[0][1]
    return [
        Row(SUITE, case, subject, seconds, seconds / base if base > 0 else None, note)
        for subject, seconds, note in entries
    ]


Bench = Callable[[bool], list[Row]]


def _needs(problem: str, *libraries: str) -> Callable[[Callable[..., list[Row]]], Bench]:
    """A case as ``bench(quick, problem_module, *library_modules)``; no rows if a library is missing."""

    def wrap(bench: Callable[..., list[Row]]) -> Bench:
        @functools.wraps(bench)
        def run(quick: bool) -> list[Row]:
            found = [_optional(library) for library in libraries]
            if any(module is None for module in found):
                return []
            return bench(quick, importlib.import_module(f"dptoolkit.problems.{problem}"), *found)

        return run

    return wrap


def _dna(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ACGT") for _ in range(n))


def _dna_pair(rng: random.Random, n: int) -> tuple[str, str]:
    """Two random DNA strings of length *n* (drawn in order from *rng*)."""
    return _dna(rng, n), _dna(rng, n)


@_needs("edit_distance", "rapidfuzz.distance")
def _edit(quick: bool, ed: Any, rf: Any) -> list[Row]:
    rng = random.Random(1)
    n = 2_000 if quick else 10_000
    a, b = _dna_pair(rng, n)
    rows = _case(
        f"edit distance {n:,} x {n:,} DNA, value",
        [
            (
                "rapidfuzz Levenshtein.distance",
                lambda: rf.Levenshtein.distance(a, b),
                "baseline",
            ),
            ("edit_distance.solve fast", lambda: ed.solve(a, b).value, "bit-parallel, C"),
        ],
    )
    m = 500 if quick else 2_000
    a, b = _dna_pair(rng, m)
    rows += _case(
        f"OSA {m:,} x {m:,} DNA, value",
        [
            ("rapidfuzz OSA.distance", lambda: rf.OSA.distance(a, b), "baseline"),
            (
                "edit_distance.solve osa fast",
                lambda: ed.solve(a, b, variant="osa").value,
                "bit-parallel, C",
            ),
            (
                "edit_distance.solve osa + operations",
                lambda: ed.solve(a, b, variant="osa").operations,
                "full table + walk",
            ),
        ],
    )
    return rows


@_needs("alignment", "Bio.Align")
def _alignment(quick: bool, al: Any, Align: Any) -> list[Row]:
    rng = random.Random(2)
    n = 500 if quick else 2_000
    a, b = _dna_pair(rng, n)
    rows: list[Row] = []
    for mode in ("global", "local"):
        aligner = Align.PairwiseAligner(mode=mode, match_score=1, mismatch_score=-1, gap_score=-1)

        def ours(mode: str = mode) -> Any:
            return al.solve(a, b, mode=mode).value

        def rows_too(mode: str = mode) -> Any:
            return al.solve(a, b, mode=mode).aligned

        rows += _case(
            f"{mode} alignment {n:,} x {n:,} DNA, score",
            [
                (
                    "Biopython PairwiseAligner.score",
                    functools.partial(aligner.score, a, b),
                    "baseline",
                ),
                ("alignment.solve fast", ours, "C rows"),
                ("alignment.solve + .aligned", rows_too, "witness"),
            ],
        )
    protein = "ARNDCQEGHILKMFPSTWYV"
    p = 300 if quick else 1_000
    x = "".join(rng.choice(protein) for _ in range(p))
    y = "".join(rng.choice(protein) for _ in range(p))
    aligner = Align.PairwiseAligner(
        mode="local",
        substitution_matrix=Align.substitution_matrices.load("BLOSUM62"),
        open_gap_score=-11,
        extend_gap_score=-1,
    )
    opts: dict[str, Any] = {
        "mode": "local",
        "matrix": "BLOSUM62",
        "gap_open": -11,
        "gap_extend": -1,
    }
    rows += _case(
        f"BLOSUM62 affine local {p:,} x {p:,} protein, score",
        [
            ("Biopython PairwiseAligner.score", lambda: aligner.score(x, y), "baseline"),
            (
                "alignment.solve fast",
                lambda: al.solve(x, y, **opts).value,
                "C rows, three tables",
            ),
            ("alignment.solve + .aligned", lambda: al.solve(x, y, **opts).aligned, "witness"),
        ],
    )
    return rows


@_needs("dtw", "dtaidistance.dtw", "numpy")
def _dtw(quick: bool, dt: Any, ddtw: Any, np: Any) -> list[Row]:
    gen = np.random.default_rng(3)
    n = 1_000 if quick else 5_000
    x, y = gen.normal(size=n).cumsum(), gen.normal(size=n).cumsum()
    return _case(
        f"DTW {n:,} x {n:,}, squared cost",
        [
            (
                "dtaidistance distance_fast (C)",
                lambda: ddtw.distance_fast(x, y),
                "baseline; returns sqrt",
            ),
            ("dtw.solve fast", lambda: dt.solve(x, y, cost="squared").value, "C rows"),
            ("dtw.solve + .path", lambda: dt.solve(x, y, cost="squared").path, "witness"),
        ],
        rounds=3,
    )


@_needs("viterbi", "hmmlearn.hmm", "numpy")
def _viterbi(quick: bool, vt: Any, hmm: Any, np: Any) -> list[Row]:
    gen = np.random.default_rng(4)
    S, K, T = 8, 20, (2_000 if quick else 10_000)
    start = gen.dirichlet(np.ones(S))
    trans = gen.dirichlet(np.ones(S), size=S)
    emit = gen.dirichlet(np.ones(K), size=S)
    obs = gen.integers(0, K, size=T)
    model = hmm.CategoricalHMM(n_components=S, n_features=K)
    model.startprob_, model.transmat_, model.emissionprob_ = start, trans, emit
    column = obs.reshape(-1, 1)
    states = list(range(S))
    return _case(
        f"Viterbi {T:,} observations, {S} states, {K} symbols",
        [
            (
                "hmmlearn CategoricalHMM.decode",
                lambda: model.decode(column, algorithm="viterbi"),
                "baseline; value and path",
            ),
            (
                "viterbi.solve fast",
                lambda: vt.solve(obs, states, start, trans, emit).value,
                "C",
            ),
            (
                "viterbi.solve + .path",
                lambda: vt.solve(obs, states, start, trans, emit).path,
                "witness",
            ),
        ],
    )


def _memory(quick: bool) -> list[Row]:
    al = importlib.import_module("dptoolkit.problems.alignment")
    rng = random.Random(5)
    n = 10_000 if quick else 100_000
    a, b = _dna_pair(rng, n)
    tracemalloc.start()
    try:
        start = time.process_time()
        al.solve(a, b).value  # noqa: B018 - the score alone, linear space
        seconds = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return [
        Row(SUITE, f"alignment score {n:,} x {n:,} DNA, memory", "alignment.solve fast", seconds, None,
            f"peak {peak / 2**20:.1f} MiB traced (bar: < 100 MB)")
    ]  # fmt: skip


def run(quick: bool) -> list[Row]:
    """Every sequence-problem case."""
    rows: list[Row] = []
    for bench in (_edit, _alignment, _dtw, _viterbi, _memory):
        rows.extend(bench(quick))
    return rows
