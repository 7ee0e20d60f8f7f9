"""The README quick start is what CI runs."""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _quick_start_blocks() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, "README.md needs a '## Quick start' section"
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", section.group(1), re.S)
    return [[line.strip() for line in b.strip().splitlines() if line.strip()] for b in blocks]


def test_quick_start_has_exactly_two_shell_blocks() -> None:
    assert len(_quick_start_blocks()) == 2


def test_ci_runs_the_quick_start_test_block_exactly() -> None:
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    block = _quick_start_blocks()[1]
    start = ci.index(block[0])
    assert ci[start : start + len(block)] == block
