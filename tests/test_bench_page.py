"""``python -m dptoolkit.bench --page FILE``: a run's tables written between a page's markers."""

from __future__ import annotations

import json
import pathlib
import sys
import types

import pytest

from dptoolkit.bench import __main__ as bench_main
from dptoolkit.bench import _page
from dptoolkit.bench._timing import Row

PAGE = """# Figures

<!-- table:toy -->
old toy table
<!-- /table -->

Prose between the tables stays.

<!-- table:other -->
a table this run did not measure
<!-- /table -->
"""


def _install_toy(monkeypatch: pytest.MonkeyPatch) -> None:
    ratios = [3.0, 2.0]
    toy = types.ModuleType("dptoolkit.bench.toy")

    def run(quick: bool = False) -> list[Row]:
        ratio = ratios.pop()
        return [
            Row("toy", "a case", "outside tool", 2e-3, 1.0, "baseline"),
            Row("toy", "a case", "dptoolkit", ratio * 2e-3, ratio, ""),
            Row("toy", "a case", "missing tool", float("nan"), None, "not installed"),
        ]

    toy.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dptoolkit.bench.toy", toy)
    monkeypatch.setattr(bench_main, "SUITES", ("toy",))
    monkeypatch.setattr(bench_main, "PARTS", {})


def test_page_tables_are_rewritten_from_the_run_and_the_rest_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    _install_toy(monkeypatch)
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    saved = tmp_path / "run.json"
    assert bench_main.main(["toy", "--repeat", "2", "--json", str(saved), "--page", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "old toy table" not in text
    assert "a table this run did not measure" in text and "Prose between the tables stays." in text
    block = text[text.index("<!-- table:toy -->") : text.index("<!-- /table -->")]
    assert "median [min-max] over 2 runs" in block
    assert "| a case | outside tool | 2.0 ms | 1 (reference) | baseline |" in block
    # the median of 2.0 and 3.0, with the spread; the case is named once
    assert "|  | dptoolkit | 4.0 ms | 2.50x [2.00x-3.00x] |  |" in block
    assert "|  | missing tool | n/a |  | not measured |" in block

    # redrawn from the saved run, the page comes out the same
    page.write_text(PAGE, encoding="utf-8")
    assert bench_main.main(["--from-json", str(saved), "--page", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == text


def test_fill_reports_the_parts_it_wrote() -> None:
    results = {
        "date": "2026-12-02 04:14 UTC",
        "repeat": 1,
        "machine": "2 cores",
        "suites": [
            {
                "suite": "toy",
                "rows": [
                    {
                        "part": "toy",
                        "case": "c",
                        "subject": "s",
                        "measured": True,
                        "seconds": 1e-6,
                        "ratio": 0.5,
                        "ratio_min": 0.5,
                        "ratio_max": 0.5,
                        "runs": 1,
                        "note": "",
                    }
                ],
            }
        ],
    }
    text, written = _page.fill(PAGE, json.loads(json.dumps(results)))
    assert written == ["toy"]
    assert "| c | s | 1.00 us | 0.50x |  |" in text
    assert "Measured 2026-12-02 04:14 UTC, one run; 2 cores." in text
