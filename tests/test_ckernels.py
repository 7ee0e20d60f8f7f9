"""The optional C kernels of the sequence problems: the switch, and agreement with the twins.

Every sequence test module runs its fast-path tests twice through a
``kernel`` fixture (the C kernel, then its numpy twin with ``_ckernels.C``
set to ``None``); this file checks the switch itself.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from dptoolkit.problems import _ckernels, alignment, dtw, edit_distance, viterbi


def implementation(env: dict[str, str]) -> str:
    code = "from dptoolkit.problems import _ckernels; print(_ckernels.IMPLEMENTATION)"
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
        check=True, cwd="/",
    )  # fmt: skip
    return out.stdout.strip()


def test_pure_python_switch_forces_the_twins():
    assert implementation({"DPTOOLKIT_PURE_PYTHON": "1"}) == "python"


def test_the_extension_is_used_when_built():
    if _ckernels.C is None:
        if os.environ.get("DPTOOLKIT_REQUIRE_C") == "1":
            pytest.fail("dptoolkit._ckernels is not built but DPTOOLKIT_REQUIRE_C=1")
        pytest.skip("dptoolkit._ckernels is not built")
    assert implementation({"DPTOOLKIT_PURE_PYTHON": "0"}) == "c"


def test_both_paths_give_the_same_answers(monkeypatch):
    if _ckernels.C is None:
        pytest.skip("dptoolkit._ckernels is not built")
    rng = random.Random(12)
    a = "".join(rng.choice("ACGT") for _ in range(300))
    b = "".join(rng.choice("ACGT") for _ in range(250))
    x = [rng.uniform(-1, 1) for _ in range(120)]
    y = [rng.uniform(-1, 1) for _ in range(100)]

    def answers():
        return [
            *(alignment.solve(a, b, mode=mode).value for mode in ("global", "local", "semiglobal")),
            alignment.solve(a, b, mode="local", gap_open=-4, gap_extend=-1).value,
            *(edit_distance.solve(a, b, variant=v).value for v in ("levenshtein", "osa", "damerau")),
            edit_distance.solve(a, b, insert=2, substitute=3).value,
            round(dtw.solve(x, y, cost="squared", window=30).value, 9),
            round(
                viterbi.solve([0, 1, 1, 0] * 50, ["p", "q"], [0.3, 0.7], [[0.9, 0.1], [0.2, 0.8]],
                              [[0.6, 0.4], [0.1, 0.9]]).value, 9,
            ),
        ]  # fmt: skip

    with_c = answers()
    monkeypatch.setattr(_ckernels, "C", None)
    assert answers() == with_c


# the buffer arguments of each kernel (array typecode each) and its other arguments
_KERNEL_BUFFERS = {
    "align": ("ii" + "d", (1.0, 1.0, 0, False)),
    "levenshtein": ("qq", ()),
    "osa_unit": ("ii", ()),
    "edit_table": ("ii", (3, 1.0, 1.0, 1.0, 1.0, 0, False)),
    "dtw": ("dd", (-1, False, False)),
    "viterbi": ("qddd", (False,)),
}


@pytest.mark.parametrize("name", sorted(_KERNEL_BUFFERS))
def test_a_bad_buffer_releases_the_ones_taken_before_it(name):
    if _ckernels.C is None:
        pytest.skip("dptoolkit._ckernels is not built")
    import array

    codes, rest = _KERNEL_BUFFERS[name]
    kernel = getattr(_ckernels.C, name)
    for bad in range(len(codes)):
        good = [array.array(code, [0]) for code in codes]
        args = [array.array("b", [0]) if i == bad else good[i] for i in range(len(codes))]
        with pytest.raises(TypeError, match="expected items of"):
            kernel(*args, *rest)
        for arr in good:  # resizing fails with BufferError while a buffer is still held
            arr.append(0)
