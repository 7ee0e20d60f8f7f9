"""``--page FILE``: write a run's tables into a Markdown page between markers.

A page marks each table it takes from the bench with a pair of comments::

    <!-- table:memo-cold -->
    ...anything: replaced...
    <!-- /table -->

The name after ``table:`` is a suite part (``memo``, ``memo-cold``,
``catalog-strings``): the part's rows of the saved run replace what stands
between the markers, headed by one line saying when and where they were
measured. Parts the run did not measure are left as they are, so one suite
can be rerun and written alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._timing import fmt_time

__all__ = ["fill", "table"]

_BLOCK = re.compile(r"(<!-- table:(?P<part>[\w-]+) -->\n)(?P<body>.*?)(<!-- /table -->)", re.S)


def _ratio(record: Mapping[str, Any]) -> str:
    if not record["measured"] or record["ratio"] is None:
        return ""
    if record["ratio"] == 1.0 and record["ratio_min"] == record["ratio_max"]:
        return "1 (reference)"
    text = f"{record['ratio']:.2f}x"
    if record["runs"] > 1 and record["ratio_min"] != record["ratio_max"]:
        text += f" [{record['ratio_min']:.2f}x-{record['ratio_max']:.2f}x]"
    return text


def table(records: Sequence[Mapping[str, Any]], *, header: str) -> str:
    """One part's records as the page's table: a case named once, then its subjects."""
    lines = [header, "", "| case | subject | time | ratio | note |", "|---|---|---|---|---|"]
    previous = None
    for record in records:
        case = "" if record["case"] == previous else record["case"]
        previous = record["case"]
        time = fmt_time(record["seconds"]) if record["measured"] else "n/a"
        note = record["note"] if record["measured"] else "not measured"
        lines.append(f"| {case} | {record['subject']} | {time} | {_ratio(record)} | {note} |")
    return "\n".join(lines) + "\n"


def _header(results: Mapping[str, Any]) -> str:
    runs = results.get("repeat", 1)
    spread = f"median [min-max] over {runs} runs" if runs > 1 else "one run"
    quick = ", --quick sizes" if results.get("quick") else ""
    return (
        f"Measured {results['date']}, {spread}{quick}; {results['machine']}. "
        "Time is the least over the runs."
    )


def _by_part(suites: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    parts: dict[str, list[Mapping[str, Any]]] = {}
    for suite in suites:
        for record in suite["rows"]:
            parts.setdefault(record["part"], []).append(record)
    return parts


def fill(page: str, results: Mapping[str, Any]) -> tuple[str, list[str]]:
    """*page* with every marked table the run measured rewritten; and those parts' names."""
    parts = _by_part(results["suites"])
    header = _header(results)
    written: list[str] = []

    def replace(match: re.Match[str]) -> str:
        records = parts.get(match["part"])
        if not records:
            return match[0]
        written.append(match["part"])
        return f"{match[1]}\n{table(records, header=header)}\n{match[4]}"

    return _BLOCK.sub(replace, page), written
