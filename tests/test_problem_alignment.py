"""alignment: every strategy against all alignments, Biopython's score, and re-scored rows."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from dptoolkit.problems import _ckernels, alignment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dptoolkit as dp

STRATEGIES = ["naive", "top_down", "bottom_up", "fast", "auto"]
MODES = ["global", "local", "semiglobal"]

GAPS = [
    {"gap": -1},
    {"gap": -2},
    {"gap_open": -3, "gap_extend": -1},
    {"gap_open": -1, "gap_extend": -2},  # extending costs more than opening
    {"gap": 0},
]


@pytest.fixture(params=["c", "python"])
def kernel(request, monkeypatch):
    """Run a test against the C kernel and against its numpy twin."""
    if request.param == "c":
        if _ckernels.C is None:
            pytest.skip("dptoolkit._ckernels is not built")
    else:
        monkeypatch.setattr(_ckernels, "C", None)
    return request.param


# ---------------------------------------------------------------- references


def rescore(rows, mode, **scores):
    """An independent scorer of two rows: pairs, then gap runs (free at the ends in semiglobal)."""
    top, bottom = rows
    assert len(top) == len(bottom)
    matrix = scores.get("matrix")
    if matrix is not None:
        table = alignment.load_matrix(matrix)
    total = 0
    for x, y in zip(top, bottom):
        assert not (x == "-" and y == "-")
        if x != "-" and y != "-":
            if matrix is not None:
                total += table[x, y]
            else:
                total += scores.get("match", 1) if x == y else scores.get("mismatch", -1)
    if "gap_open" in scores:
        o, e = scores["gap_open"], scores["gap_extend"]
    else:
        o = e = scores.get("gap", -1)
    for row in (top, bottom):
        inner = row.strip("-") if mode == "semiglobal" else row  # end gaps are free there
        k = 0
        while k < len(inner):
            if inner[k] == "-":
                end = k
                while end < len(inner) and inner[end] == "-":
                    end += 1
                total += o + (end - k - 1) * e
                k = end
            else:
                k += 1
    return total


def check_witness(a, b, sol, mode, **scores):
    top, bottom = sol.aligned
    (i0, i1), (j0, j1) = sol.span
    assert rescore(sol.aligned, mode, **scores) == pytest.approx(sol.value)
    assert top.replace("-", "") == (a[i0:i1] if mode == "local" else a)
    assert bottom.replace("-", "") == (b[j0:j1] if mode == "local" else b)
    if mode == "global":
        assert sol.span == ((0, len(a)), (0, len(b)))
    if mode == "semiglobal":  # the span is the overlap: outside it, one row is all gaps
        assert i0 == 0 or j0 == 0
        assert i1 == len(a) or j1 == len(b)
        head, tail = i0 + j0, (len(a) - i1) + (len(b) - j1)
        cols = list(zip(top, bottom))
        assert all("-" in col for col in cols[:head])
        assert all("-" in col for col in cols[len(cols) - tail :])


def biopython(a, b, mode, **scores):
    Align = pytest.importorskip("Bio.Align")
    al = Align.PairwiseAligner()
    al.mode = "local" if mode == "local" else "global"
    if "matrix" in scores:
        al.substitution_matrix = Align.substitution_matrices.load(scores["matrix"])
    else:
        al.match_score = scores.get("match", 1)
        al.mismatch_score = scores.get("mismatch", -1)
    if "gap_open" in scores:
        al.open_gap_score = scores["gap_open"]
        al.extend_gap_score = scores["gap_extend"]
    else:
        al.gap_score = scores.get("gap", -1)
    if mode == "semiglobal":
        al.end_gap_score = 0
    return al.score(a, b)


# ---------------------------------------------------------------- properties

dna = st.text(alphabet="ACGT", max_size=4)


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("mode", MODES)
@settings(max_examples=40, deadline=None)
@given(a=dna, b=dna, gaps=st.sampled_from(GAPS), mismatch=st.sampled_from([-1, -2, 0]))
def test_every_strategy_matches_all_alignments(strategy, mode, a, b, gaps, mismatch):
    scores = {"mismatch": mismatch, **gaps}
    sol = alignment.solve(a, b, mode=mode, strategy=strategy, **scores)
    assert sol.value == alignment.brute_force(a, b, mode=mode, **scores)
    check_witness(a, b, sol, mode, **scores)


@pytest.mark.parametrize("mode", MODES)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    a=st.text(alphabet="ACGT", min_size=1, max_size=30),  # Biopython refuses empty sequences
    b=st.text(alphabet="ACGT", min_size=1, max_size=30),
    gaps=st.sampled_from(GAPS),
    match=st.sampled_from([1, 2, 5]),
)
def test_fast_agrees_with_biopython_and_bottom_up(kernel, mode, a, b, gaps, match):
    scores = {"match": match, **gaps}
    fast = alignment.solve(a, b, mode=mode, strategy="fast", **scores)
    assert fast.value == biopython(a, b, mode, **scores)
    assert fast.value == alignment.solve(a, b, mode=mode, strategy="bottom_up", **scores).value
    check_witness(a, b, fast, mode, **scores)


PROTEIN = "ARNDCQEGHILKMFPSTWYV"


@pytest.mark.parametrize("matrix", ["BLOSUM62", "PAM250"])
@pytest.mark.parametrize("mode", MODES)
def test_proteins_with_matrices_against_biopython(kernel, matrix, mode):
    rng = random.Random(hash((matrix, mode)) % 1000)
    for _ in range(6):
        a = "".join(rng.choice(PROTEIN) for _ in range(rng.randint(1, 60)))
        b = "".join(rng.choice(PROTEIN) for _ in range(rng.randint(1, 60)))
        scores = {"matrix": matrix, "gap_open": -rng.randint(5, 12), "gap_extend": -1}
        sol = alignment.solve(a, b, mode=mode, **scores)
        assert sol.value == biopython(a, b, mode, **scores)
        check_witness(a, b, sol, mode, **scores)
        if len(a) * len(b) < 900:
            assert (
                sol.value == alignment.solve(a, b, mode=mode, strategy="top_down", **scores).value
            )


@pytest.mark.parametrize("mode", MODES)
def test_long_dna_against_biopython(kernel, mode):
    rng = random.Random(7)
    a = "".join(rng.choice("ACGT") for _ in range(700))
    b = "".join(rng.choice("ACGT") for _ in range(500))
    for scores in ({"gap": -2}, {"gap_open": -5, "gap_extend": -2, "match": 2, "mismatch": -3}):
        sol = alignment.solve(a, b, mode=mode, **scores)
        assert sol.value == biopython(a, b, mode, **scores)
        check_witness(a, b, sol, mode, **scores)


# ---------------------------------------------------------------- known answers


def test_known_answers():
    sol = alignment.solve("GATTACA", "GCATGCU")
    assert (sol.value, sol.aligned) == (0, ("G-ATTACA", "GCA-TGCU"))
    sol = alignment.solve("AAAA", "AA", gap_open=-5, gap_extend=-1)
    assert sol.value == 2 - 5 - 1  # one run of two gaps: open once, extend once
    local = alignment.solve("ACGT", "TTTT", mode="local", match=1, mismatch=-5)
    assert (local.value, local.aligned) == (1, ("T", "T"))
    nothing = alignment.solve("AAA", "CCC", mode="local")
    assert (nothing.value, nothing.aligned, nothing.span) == (0, ("", ""), ((0, 0), (0, 0)))
    inside = alignment.solve("xxxABCyy", "ABC", mode="semiglobal")
    assert (inside.value, inside.span) == (3, ((3, 6), (0, 3)))
    assert inside.aligned == ("xxxABCyy", "---ABC--")


def test_float_scores_and_user_matrix():
    matrix = {("a", "a"): 1.5, ("b", "b"): 2.0, ("a", "b"): -0.5}
    sol = alignment.solve("aab", "ab", matrix=matrix, gap=-0.25)
    assert isinstance(sol.value, float)
    assert sol.value == pytest.approx(alignment.brute_force("aab", "ab", matrix=matrix, gap=-0.25))
    assert alignment.solve("ab", "ab").value == 2 and isinstance(
        alignment.solve("ab", "ab").value, int
    )


def test_lists_of_words():
    sol = alignment.solve(["the", "cat", "sat"], ["the", "sat"], strategy="bottom_up")
    assert sol.value == 1
    assert alignment.solve(["the", "cat", "sat"], ["the", "sat"]).value == 1


def test_score_rows_is_the_definition():
    assert alignment.score_rows(("AC--GT", "ACTTGT"), gap_open=-3, gap_extend=-1) == 4 - 4
    assert alignment.score_rows(("--ACGT", "TTACG-"), mode="semiglobal") == 3
    with pytest.raises(dp.InvalidInput, match="same length"):
        alignment.score_rows(("AC", "A"))


def test_witness_costs_one_walk_and_no_refill():
    sol = alignment.solve("ACGTTGCA" * 3, "AGTTCA" * 3, mode="local", strategy="bottom_up")
    assert sol.aligned == sol.aligned and sol.span[0][1] <= 24


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"mode": "glocal"}, dp.InvalidInput, "mode='glocal'"),
        ({"gap": 2}, dp.InvalidInput, "gap=2 must be <= 0"),
        ({"gap_open": -2}, dp.InvalidInput, "needs gap_extend"),
        ({"gap_extend": -2}, dp.InvalidInput, "needs gap_open"),
        ({"gap_open": -2, "gap_extend": 1}, dp.InvalidInput, "gap_extend=1"),
        ({"match": "1"}, dp.InvalidType, "match='1'"),
        (
            {"match": Fraction(1, 2)},
            dp.InvalidType,
            "must be an int or a float",
        ),
        ({"matrix": "BLOSUM99"}, dp.InvalidInput, "matrix='BLOSUM99'"),
        ({"matrix": 5}, dp.InvalidType, "matrix=5"),
        ({"matrix": {("A", "A"): 1}}, dp.InvalidInput, "a[1]='C' is not in"),
        ({"matrix": {"A": 1}}, dp.InvalidType, "must be a pair"),
        ({"gap": float("nan")}, dp.InvalidInput, "gap=nan"),
        ({"strategy": "greedy"}, dp.InvalidInput, "strategy='greedy'"),
    ],
)
def test_bad_input(kwargs, error, fragment):
    with pytest.raises(error, match=fragment.replace("(", r"\(").replace("[", r"\[")):
        alignment.solve("AC", "AC", **kwargs)


def test_bad_sequences_and_naive_refusal():
    with pytest.raises(dp.InvalidType, match="a=None"):
        alignment.solve(None, "A")
    with pytest.raises(dp.InvalidInput, match="b\\[0\\]=nan"):
        alignment.solve([1.0], [float("nan")])
    with pytest.raises(dp.InvalidInput, match="a\\[0\\]='J' is not in 'BLOSUM62'"):
        alignment.solve("J", "A", matrix="BLOSUM62")
    with pytest.raises(dp.BudgetExceeded, match="naive"):
        alignment.solve("ACGT" * 5, "ACGT" * 5, strategy="naive")
    # '-' is the gap of .aligned: as an item it would read as a gap
    with pytest.raises(dp.InvalidInput, match="a\\[1\\]='-'"):
        alignment.solve("A-", "A")
    with pytest.raises(dp.InvalidInput, match="b\\[0\\]='-'"):
        alignment.solve(["A"], ["-", "A"], strategy="bottom_up")


def test_catalog_entry():
    problem = dp.catalog("alignment")
    assert problem.witness == ("aligned", "span")
    assert dp.catalog("smith-waterman") is problem
    rec, goal = problem.build(*problem.example)
    assert rec.solve(*goal, strategy="bottom_up").value == problem.solve(*problem.example).value
