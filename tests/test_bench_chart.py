"""``python -m dptoolkit.bench``: --repeat, --json, --chart, --from-json and parts of suites."""

from __future__ import annotations

import json
import pathlib
import sys
import types
from typing import Any

import pytest

from dptoolkit.bench import __main__ as bench_main
from dptoolkit.bench import _chart
from dptoolkit.bench._timing import Row

pytest.importorskip("matplotlib")


def _toy_suite(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A suite ``toy`` whose part ``_toy_part`` adds one case; its ratios come from a list."""
    ratios = [0.5, 0.25, 4.0, 2.0]

    part = types.ModuleType("dptoolkit.bench._toy_part")

    def part_run(quick: bool = False) -> list[Row]:
        slow = ratios.pop()
        return [
            Row("toy", "part case", "reference tool", 1e-3, 1.0, "baseline"),
            Row("toy", "part case", "ours", slow * 1e-3, slow, ""),
        ]

    part.run = part_run  # type: ignore[attr-defined]

    toy = types.ModuleType("dptoolkit.bench.toy")

    def run(quick: bool = False) -> list[Row]:
        fast = ratios.pop()
        rows = [
            Row("toy", "main case", "outside tool", 2e-3, 1.0, "baseline"),
            Row("toy", "main case", "dptoolkit", fast * 2e-3, fast, ""),
            Row("toy", "main case", "missing tool", float("nan"), None, "not installed"),
        ]
        return rows + sys.modules["dptoolkit.bench._toy_part"].run(quick)

    toy.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dptoolkit.bench.toy", toy)
    monkeypatch.setitem(sys.modules, "dptoolkit.bench._toy_part", part)
    monkeypatch.setattr(bench_main, "SUITES", ("toy",))
    monkeypatch.setattr(bench_main, "PARTS", {"toy": {"_toy_part": "part"}})
    return ratios


def test_repeat_records_median_and_spread_and_tags_parts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _toy_suite(monkeypatch)
    saved = tmp_path / "toy.json"
    charts = tmp_path / "charts"
    assert (
        bench_main.main(["toy", "--repeat", "2", "--json", str(saved), "--chart", str(charts)]) == 0
    )
    data = json.loads(saved.read_text())
    assert data["repeat"] == 2
    rows = {(r["case"], r["subject"]): r for r in data["suites"][0]["rows"]}
    ours = rows[("main case", "dptoolkit")]
    # run 1 gave 2.0 (main) and 4.0 (part), run 2 gave 0.25 and 0.5
    assert (ours["ratio_min"], ours["ratio"], ours["ratio_max"]) == (0.25, 1.125, 2.0)
    assert ours["part"] == "toy" and ours["runs"] == 2
    part = rows[("part case", "ours")]
    assert part["part"] == "toy-part" and part["ratio_min"] == 0.5 and part["ratio_max"] == 4.0
    missing = rows[("main case", "missing tool")]
    assert missing["measured"] is False and missing["ratio"] is None
    assert sorted(p.name for p in charts.iterdir()) == ["toy-part.png", "toy.png"]
    assert (charts / "toy.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "[0.25x-2.00x] over 2 runs" in out
    # the part module's run is restored after the suite
    assert sys.modules["dptoolkit.bench._toy_part"].run.__name__ == "part_run"


def test_a_part_runs_alone_and_charts_redraw_from_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _toy_suite(monkeypatch)
    saved = tmp_path / "part.json"
    assert bench_main.main(["toy-part", "--json", str(saved)]) == 0
    data = json.loads(saved.read_text())
    assert {r["part"] for r in data["suites"][0]["rows"]} == {"toy-part"}
    assert bench_main.main(["--from-json", str(saved), "--chart", str(tmp_path / "c")]) == 0
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["toy-part.png"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nosuch"], "unknown suite 'nosuch'"),
        (["--repeat", "0"], "--repeat=0 must be a positive integer"),
        (["--from-json", "x.json"], "--from-json needs --chart DIR"),
    ],
)
def test_bad_arguments_are_refused_by_name(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        bench_main.main(argv)
    assert message in capsys.readouterr().err


def _record(case: str, subject: str, ratio: float | None, **extra: Any) -> dict[str, Any]:
    return {"case": case, "subject": subject, "ratio": ratio, **extra}


def test_group_cases_takes_the_ratio_one_row_as_reference() -> None:
    cases = _chart.group_cases(
        [
            _record("a", "tool", 1.0),
            _record("a", "ours", 0.5, ratio_min=0.4, ratio_max=0.7),
            _record("a", "absent", None),
            _record("b", "lonely", 3.0),  # no reference: left out
            _record("c", "tool", 1.0),  # a reference alone: nothing to draw
        ]
    )
    assert cases == [_chart.Case("a", "tool", (_chart.Bar("ours", 0.5, 0.4, 0.7),))]


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(0.53, "0.53x"), (0.3, "0.30x"), (6.8, "6.80x"), (1 / 132, "1/132x"), (7445.2, "7,445x")],
)
def test_ratio_text(ratio: float, text: str) -> None:
    assert _chart.ratio_text(ratio) == text


def test_chart_names_the_shared_reference_on_its_axis(tmp_path: pathlib.Path) -> None:
    from matplotlib.figure import Figure

    drawn: list[Figure] = []
    original = Figure.savefig

    def keep(self: Figure, *args: Any, **kwargs: Any) -> None:
        drawn.append(self)
        original(self, *args, **kwargs)

    cases = [
        _chart.Case("hit", "diskcache", (_chart.Bar("sqlite", 0.4, 0.3, 0.5),)),
        _chart.Case("miss", "diskcache", (_chart.Bar("sqlite", 3.0, 3.0, 3.0),)),
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Figure, "savefig", keep)
        path = _chart.draw(cases, tmp_path / "s.png", title="Stores", note="one run")
    assert path.exists()
    (ax,) = drawn[0].axes
    assert ax.get_xlabel().startswith("time relative to diskcache (lower is better")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["hit  (vs diskcache)", "sqlite", "miss  (vs diskcache)", "sqlite"]
    texts = [t.get_text() for t in ax.texts]
    assert "0.40x  [0.30x - 0.50x]" in texts and "3.00x" in texts
