"""``python -m dptoolkit.bench [SUITE ...] [--quick] [--repeat N] [--json FILE] [--chart DIR] [--page FILE]``.

Run benchmark suites and print their rows as a Markdown table. ``--repeat N``
runs each suite N times in this process and reports, for every row, the
median ratio over the runs with its [min-max]; ``--json FILE`` saves the
measured rows (``-`` for stdout); ``--chart DIR`` draws one PNG per part of a
suite (see :mod:`dptoolkit.bench._chart`); ``--page FILE`` rewrites the
tables a Markdown page marks for the parts measured (see
:mod:`dptoolkit.bench._page`). ``--from-json FILE`` with ``--chart`` or
``--page`` redraws from a saved run without measuring anything.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import json
import os
import pathlib
import platform
import statistics
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ._timing import Row, format_rows, measured

SUITES = ("memo", "recurrence", "catalog", "stores", "classics")

#: Functions whose rows a suite gathers into its own: their rows get a chart of
#: their own, ``SUITE-PART.png``, and ``SUITE-PART`` runs them alone. A key is
#: ``module`` (its ``run``) or ``module:function``, in this package; the value
#: is the part's name.
PARTS: dict[str, dict[str, str]] = {
    "memo": {"_memo_cold": "cold"},
    "recurrence": {"recurrence:_many_answers": "many"},
    "catalog": {"_catalog_b": "strings", "_catalog_many": "many", "sequences": "sequences"},
}

#: Chart titles, by part key (``SUITE`` or ``SUITE-PART``).
TITLES: dict[str, str] = {
    "memo": "Memo engine: @dp.memoize against functools, cachetools, async-lru",
    "memo-cold": "Memo engine: a fresh function's first calls",
    "recurrence": "Recurrence engine: strategies against hand-written code and functools.cache",
    "recurrence-many": "Many answers: count(), first witness and k best against the plain solve",
    "catalog": "Catalog: numbers, knapsack, subsequences, subset sum, coin change",
    "catalog-strings": "Catalog: edit distance, LCS, matrix chain, graph paths",
    "catalog-many": "Many answers through the catalog's solve: k best, count(), witnesses",
    "catalog-sequences": "Sequence problems: alignment, edit variants, DTW, Viterbi",
    "stores": "Persistent stores: the SQLite store against diskcache",
    "classics": "Textbook classics: TSP, optimal BST, word break, palindromes, intervals",
}


#: How a chart's axis names a reference that its rows call by a short name.
REFERENCES: dict[str, str] = {
    "recurrence-many": "the plain solve of each case",
    "catalog-many": "the plain bottom_up solve of each case",
}


@contextlib.contextmanager
def _tagging(suite: str, tags: dict[int, str]) -> Iterator[None]:
    """While a suite runs, note which part module returned each row (by identity).

    Each listed function is wrapped for the duration and restored after; the
    suites call it through its module's attribute (or global), so the
    wrapper sees the rows it returns. A part that is not installed is skipped.
    """
    saved: list[tuple[Any, str, Callable[..., list[Row]]]] = []
    for key, part in PARTS.get(suite, {}).items():
        found = _part_function(key)
        if found is None:
            continue
        module, attribute, original = found

        def wrapper(
            *args: Any, _run: Callable[..., list[Row]] = original, _part: str = part, **kw: Any
        ) -> list[Row]:
            rows = _run(*args, **kw)
            for row in rows:
                tags.setdefault(id(row), _part)
            return rows

        setattr(module, attribute, wrapper)
        saved.append((module, attribute, original))
    try:
        yield
    finally:
        for module, attribute, original in saved:
            setattr(module, attribute, original)


def _part_function(key: str) -> tuple[Any, str, Callable[..., list[Row]]] | None:
    """The module, attribute name and function of a :data:`PARTS` key (None: not here)."""
    module_name, _, attribute = key.partition(":")
    try:
        module: Any = importlib.import_module(f"{__package__}.{module_name}")
    except ModuleNotFoundError:
        return None
    function = getattr(module, attribute or "run", None)
    return None if function is None else (module, attribute or "run", function)


def _merge(suite: str, runs: list[tuple[list[Row], dict[int, str]]]) -> list[dict[str, Any]]:
    """One record per (case, subject), over all runs: medians and [min, max]."""
    order: list[tuple[str, str]] = []
    found: dict[tuple[str, str], list[tuple[Row, str]]] = {}
    for rows, tags in runs:
        for row in rows:
            key = (row.case, row.subject)
            if key not in found:
                order.append(key)
                found[key] = []
            found[key].append((row, tags.get(id(row), "")))
    records = []
    for key in order:
        entries = found[key]
        times = [r.seconds for r, _ in entries if measured(r.seconds)]
        ratios = [r.ratio for r, _ in entries if r.ratio is not None and measured(r.seconds)]
        part = entries[0][1]
        records.append(
            {
                "suite": suite,
                "part": f"{suite}-{part}" if part else suite,
                "case": key[0],
                "subject": key[1],
                "measured": bool(times),
                "seconds": min(times) if times else None,
                "seconds_median": statistics.median(times) if times else None,
                "ratio": statistics.median(ratios) if ratios else None,
                "ratio_min": min(ratios) if ratios else None,
                "ratio_max": max(ratios) if ratios else None,
                "runs": len(entries),
                "note": entries[0][0].note,
            }
        )
    return records


def _text(records: Sequence[dict[str, Any]]) -> str:
    """The merged records as the suites' Markdown table, spread in the ratio column."""
    rows = []
    for rec in records:
        note = rec["note"]
        if rec["runs"] > 1 and rec["ratio"] is not None and rec["ratio_min"] != rec["ratio_max"]:
            spread = f"[{rec['ratio_min']:.2f}x-{rec['ratio_max']:.2f}x] over {rec['runs']} runs"
            note = f"{spread}; {note}" if note else spread
        rows.append(
            Row(
                rec["suite"],
                rec["case"],
                rec["subject"],
                rec["seconds_median"] if rec["measured"] else float("nan"),
                rec["ratio"],
                note,
            )
        )
    return format_rows(rows)


def _charts(results: dict[str, Any], directory: pathlib.Path) -> list[pathlib.Path]:
    from . import _chart

    directory.mkdir(parents=True, exist_ok=True)
    by_part: dict[str, list[dict[str, Any]]] = {}
    for suite in results["suites"]:
        for rec in suite["rows"]:
            by_part.setdefault(rec["part"], []).append(rec)
    runs = results.get("repeat", 1)
    spread = (
        f"median of {runs} runs, error bars min-max"
        if runs > 1
        else "one run (minimum over rounds)"
    )
    note = f"{spread}{', --quick sizes' if results.get('quick') else ''}; " + results.get(
        "machine", ""
    )
    paths = []
    for part, recs in by_part.items():
        cases = _chart.group_cases(recs)
        if cases:
            title = TITLES.get(part, f"{part}: dptoolkit against the reference of each case")
            path = directory / f"{part}.png"
            reference = REFERENCES.get(part)
            paths.append(_chart.draw(cases, path, title=title, note=note, reference=reference))
    return paths


def _part_keys() -> list[str]:
    """``SUITE-PART`` names: one part of a suite run alone (``catalog-sequences``)."""
    return [f"{suite}-{part}" for suite, parts in PARTS.items() for part in parts.values()]


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores (shared), load {load:.1f}, "
        f"CPython {platform.python_version()}, {platform.system()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dptoolkit.bench", description=__doc__)
    parser.add_argument(
        "suites",
        nargs="*",
        metavar="SUITE",
        help=f"suites to run (default: all of {', '.join(SUITES)}), or one part of a "
        f"suite alone: {', '.join(_part_keys())}",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="run each suite N times (spread)"
    )
    parser.add_argument("--json", metavar="FILE", help="save the rows as JSON ('-': stdout)")
    parser.add_argument("--chart", metavar="DIR", help="draw one PNG per suite part into DIR")
    parser.add_argument(
        "--page", metavar="FILE", help="rewrite the <!-- table:PART --> blocks of a Markdown page"
    )
    parser.add_argument(
        "--from-json",
        metavar="FILE",
        help="draw --chart / write --page from a saved --json file, run nothing",
    )
    args = parser.parse_args(argv)
    choices = (*SUITES, *_part_keys())
    unknown = [name for name in args.suites if name not in choices]
    if unknown:
        parser.error(f"unknown suite {unknown[0]!r}; choose from {', '.join(choices)}")
    if args.repeat < 1:
        parser.error(f"--repeat={args.repeat} must be a positive integer")
    if args.from_json:
        if not args.chart and not args.page:
            parser.error("--from-json needs --chart DIR or --page FILE")
        results = json.loads(pathlib.Path(args.from_json).read_text(encoding="utf-8"))
        if args.chart:
            for path in _charts(results, pathlib.Path(args.chart)):
                print(path)
        if args.page:
            _write_page(pathlib.Path(args.page), results)
        return 0

    machine = _machine()
    suites = []
    for name in args.suites or SUITES:
        suite, _, part = name.partition("-")
        key = next((k for k, p in PARTS.get(suite, {}).items() if p == part), suite)
        found = _part_function(key)
        if found is None:
            parser.error(f"suite {name!r} is not available in this installation")
        function = found[2]
        runs = []
        for number in range(args.repeat):
            if args.repeat > 1:
                print(f"{name}: run {number + 1} of {args.repeat}", file=sys.stderr)
            tags: dict[int, str] = {}
            with _tagging(suite, tags):
                rows = function(args.quick)
            if part:
                tags = {id(row): part for row in rows}
            runs.append((rows, tags))
        records = _merge(suite, runs)
        suites.append({"suite": name, "rows": records})
        if args.json != "-":
            print(f"\n## {name}\n")
            print(_text(records))
            sys.stdout.flush()
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": bool(args.quick),
        "repeat": args.repeat,
        "machine": machine,
        "suites": suites,
    }
    if args.json:
        text = json.dumps(results, indent=1) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            pathlib.Path(args.json).write_text(text, encoding="utf-8")
    if args.chart:
        for path in _charts(results, pathlib.Path(args.chart)):
            print(f"chart: {path}", file=sys.stderr)
    if args.page:
        _write_page(pathlib.Path(args.page), results)
    return 0


def _write_page(path: pathlib.Path, results: dict[str, Any]) -> None:
    from . import _page

    text, written = _page.fill(path.read_text(encoding="utf-8"), results)
    path.write_text(text, encoding="utf-8")
    print(f"page: {path}: {', '.join(written) or 'no marked table measured'}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
