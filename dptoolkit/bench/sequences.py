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


def _rows(case: str, entries: list[tuple[str, float, str]]) -> list[Row]:
    base = entries[0][1]
    return [
        Row(SUITE, case, subject, seconds, seconds / base if base > 0 else None, note)
        for subject, seconds, note in entries
    ]


def _dna(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ACGT") for _ in range(n))


def _edit(quick: bool) -> list[Row]:
    rf = _optional("rapidfuzz.distance")
    if rf is None:
        return []
    ed = importlib.import_module("dptoolkit.problems.edit_distance")
    rng = random.Random(1)
    n = 2_000 if quick else 10_000
    a, b = _dna(rng, n), _dna(rng, n)
    rows = _rows(
        f"edit distance {n:,} x {n:,} DNA, value",
        _alternate(
            [
                (
                    "rapidfuzz Levenshtein.distance",
                    lambda: rf.Levenshtein.distance(a, b),
                    "baseline",
                ),
                ("edit_distance.solve fast", lambda: ed.solve(a, b).value, "bit-parallel, C"),
            ],
            rounds=5,
        ),
    )
    m = 500 if quick else 2_000
    a, b = _dna(rng, m), _dna(rng, m)
    rows += _rows(
        f"OSA {m:,} x {m:,} DNA, value",
        _alternate(
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
            rounds=5,
        ),
    )
    return rows


def _alignment(quick: bool) -> list[Row]:
    Align = _optional("Bio.Align")
    if Align is None:
        return []
    al = importlib.import_module("dptoolkit.problems.alignment")
    rng = random.Random(2)
    n = 500 if quick else 2_000
    a, b = _dna(rng, n), _dna(rng, n)
    rows: list[Row] = []
    for mode in ("global", "local"):
        aligner = Align.PairwiseAligner(mode=mode, match_score=1, mismatch_score=-1, gap_score=-1)

        def ours(mode: str = mode) -> Any:
            return al.solve(a, b, mode=mode).value

        def rows_too(mode: str = mode) -> Any:
            return al.solve(a, b, mode=mode).aligned

        rows += _rows(
            f"{mode} alignment {n:,} x {n:,} DNA, score",
            _alternate(
                [
                    (
                        "Biopython PairwiseAligner.score",
                        functools.partial(aligner.score, a, b),
                        "baseline",
                    ),
                    ("alignment.solve fast", ours, "C rows"),
                    ("alignment.solve + .aligned", rows_too, "witness"),
                ],
                rounds=5,
            ),
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
    rows += _rows(
        f"BLOSUM62 affine local {p:,} x {p:,} protein, score",
        _alternate(
            [
                ("Biopython PairwiseAligner.score", lambda: aligner.score(x, y), "baseline"),
                (
                    "alignment.solve fast",
                    lambda: al.solve(x, y, **opts).value,
                    "C rows, three tables",
                ),
                ("alignment.solve + .aligned", lambda: al.solve(x, y, **opts).aligned, "witness"),
            ],
            rounds=5,
        ),
    )
    return rows


def _dtw(quick: bool) -> list[Row]:
    ddtw = _optional("dtaidistance.dtw")
    np = _optional("numpy")
    if ddtw is None or np is None:
        return []
    dt = importlib.import_module("dptoolkit.problems.dtw")
    gen = np.random.default_rng(3)
    n = 1_000 if quick else 5_000
    x, y = gen.normal(size=n).cumsum(), gen.normal(size=n).cumsum()
    return _rows(
        f"DTW {n:,} x {n:,}, squared cost",
        _alternate(
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
        ),
    )


def _viterbi(quick: bool) -> list[Row]:
    hmm = _optional("hmmlearn.hmm")
    np = _optional("numpy")
    if hmm is None or np is None:
        return []
    vt = importlib.import_module("dptoolkit.problems.viterbi")
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
    return _rows(
        f"Viterbi {T:,} observations, {S} states, {K} symbols",
        _alternate(
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
            rounds=5,
        ),
    )


def _memory(quick: bool) -> list[Row]:
    al = importlib.import_module("dptoolkit.problems.alignment")
    rng = random.Random(5)
    n = 10_000 if quick else 100_000
    a, b = _dna(rng, n), _dna(rng, n)
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
