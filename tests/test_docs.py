"""The documentation runs: every page's code is executed and its shown output checked.

* Each ```python block of a page (docs/**/*.md and README.md) runs, in order,
  in one namespace per page, in a fresh temporary working directory. A page
  whose blocks raise fails its test.
* A ```output block right after a ```python block is what that block
  prints: the test compares them (trailing spaces ignored).
* A ```console block's ``$ dptoolkit ...`` lines run through the command's
  entry point (in-process) and the lines after each, up to the next ``$``,
  are its expected output, compared exactly.

Blocks meant only to be read use ```text (or any other language).
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import re
import shlex
import sys
import types
from dataclasses import dataclass

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")


@dataclass
class Block:
    lang: str
    code: str
    line: int


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown page, indentation removed."""
    found: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        info = match["info"].strip().split()
        lang = info[0].lstrip("{.").rstrip("}") if info else ""
        body: list[str] = []
        start = i + 1
        i += 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence) and lines[i].strip().strip(fence[0]) == ""
        ):
            line = lines[i]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            i += 1
        found.append(Block(lang, "\n".join(body) + "\n", start + 1))
        i += 1
    return found


def _pages() -> list[pathlib.Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def _normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _with_python(pages: list[pathlib.Path]) -> list[pathlib.Path]:
    return [p for p in pages if any(b.lang == "python" for b in blocks(p.read_text("utf-8")))]


def _with_console(pages: list[pathlib.Path]) -> list[pathlib.Path]:
    return [
        p
        for p in pages
        if any(
            b.lang == "console" and "$ dptoolkit" in b.code for b in blocks(p.read_text("utf-8"))
        )
    ]


def _id(page: pathlib.Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.fixture
def in_tmp_dir(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("page", _with_python(_pages()), ids=_id)
def test_python_blocks_run(page: pathlib.Path, in_tmp_dir: pathlib.Path) -> None:
    page_blocks = blocks(page.read_text(encoding="utf-8"))
    name = "docs_" + re.sub(r"\W", "_", _id(page))
    module = types.ModuleType(name)  # a real module, so dataclasses and pickling work
    sys.modules[name] = module
    try:
        for index, block in enumerate(page_blocks):
            if block.lang != "python":
                continue
            where = f"{_id(page)}:{block.line}"
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(block.code, where, "exec"), module.__dict__)
            following = page_blocks[index + 1] if index + 1 < len(page_blocks) else None
            if following is not None and following.lang == "output":
                assert _normalize(printed.getvalue()) == _normalize(following.code), (
                    f"{where}: the output shown at line {following.line} is not what the block prints"
                )
    finally:
        sys.modules.pop(name, None)


def _console_runs(code: str) -> list[tuple[list[str], str]]:
    runs: list[tuple[list[str], list[str]]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            runs.append((shlex.split(line[2:]), []))
        elif runs:
            runs[-1][1].append(line)
    return [(argv, "\n".join(out)) for argv, out in runs]


@pytest.mark.parametrize("page", _with_console(_pages()), ids=_id)
def test_console_blocks_show_real_output(
    page: pathlib.Path, in_tmp_dir: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dptoolkit.cli import main

    for block in blocks(page.read_text(encoding="utf-8")):
        if block.lang != "console":
            continue
        for argv, expected in _console_runs(block.code):
            if argv[:1] != ["dptoolkit"]:
                continue
            status = main(argv[1:])
            captured = capsys.readouterr()
            where = f"{_id(page)}:{block.line}: $ {shlex.join(argv)}"
            assert status == 0, f"{where} exited {status}: {captured.err}"
            assert _normalize(captured.out) == _normalize(expected), where


def test_the_block_reader_finds_languages_and_indented_fences() -> None:
    text = (
        "# t\n\n```python\nx = 1\n```\n\n!!! note\n\n    ```output\n    1\n    ```\n"
        "\n````text\n```python\nnot a block\n```\n````\n"
    )
    found = blocks(text)
    assert [b.lang for b in found] == ["python", "output", "text"]
    assert found[0].code == "x = 1\n"
    assert found[1].code == "1\n"
    assert "not a block" in found[2].code


def test_every_catalog_problem_has_a_page_and_a_picture() -> None:
    import dptoolkit as dp

    manifest_path = DOCS / "problems" / "img" / "pictures.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    pages = {p.stem for p in (DOCS / "problems").glob("*.md")}
    for problem in dp.catalog():
        module = problem.module.rsplit(".", 1)[-1]
        assert problem.name in pages or module in pages, f"no docs/problems page for {problem.name}"
        assert problem.name in manifest, f"no picture for {problem.name}: run docs/pictures.py"
        png = DOCS / "problems" / "img" / manifest[problem.name]["file"]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png


def test_every_docs_page_is_reachable_from_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav_text = config[config.index("\nnav:") :]
    nav_text = "\n".join(line.split(" #", 1)[0] for line in nav_text.splitlines())
    listed = set(re.findall(r"([\w/-]+\.md)", nav_text))
    for page in DOCS.rglob("*.md"):
        rel = page.relative_to(DOCS).as_posix()
        # problem pages are added to the nav by docs/hooks.py
        assert rel in listed or rel.startswith("problems/"), f"{rel} is not in mkdocs.yml's nav"
    for rel in listed:
        assert (DOCS / rel).is_file(), f"mkdocs.yml lists {rel}, which does not exist"


def _hooks() -> types.ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_site_hooks_write_the_catalog_table_and_place_pictures() -> None:
    import dptoolkit as dp

    hooks = _hooks()
    table = hooks.catalog_table()
    for problem in dp.catalog():
        assert f"`{problem.name}`" in table, problem.name
    for target in re.findall(r"\]\(([^)#]+)\)", table):
        assert (DOCS / "problems" / target).is_file(), target

    page = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="problems/knapsack.md"))
    text = "# Knapsack\n\nStatement.\n\n## References\n\n- a book\n"
    out = hooks.on_page_markdown(text, page=page, config=None, files=None)
    assert "![" in out and "(img/knapsack.png)" in out
    assert out.index("## Picture") < out.index("## References")
    index = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="problems/index.md"))
    assert hooks.MARKER not in hooks.on_page_markdown(
        f"# P\n\n{hooks.MARKER}\n", page=index, config=None, files=None
    )
    nav = {"nav": [{"Problems": ["problems/index.md"]}]}
    listed = hooks.on_config(nav)["nav"][0]["Problems"]
    assert listed[0] == "problems/index.md" and "problems/knapsack.md" in listed
