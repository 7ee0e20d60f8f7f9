"""MkDocs hooks for the dptoolkit site (wired in mkdocs.yml).

* ``on_config``: the Problems section of the nav lists every page in
  ``docs/problems/`` (the catalog engineers add a page per problem; no one
  has to remember the nav).
* ``on_page_markdown``: ``docs/problems/index.md`` gets its table from
  ``dp.catalog()``, so it never goes stale; each problem page gets the
  picture of its example, a PNG committed under ``docs/problems/img/`` and
  made by ``python docs/pictures.py`` (which also writes the captions to
  ``img/pictures.json``), placed before the page's References section.
"""

from __future__ import annotations

import json
import logging
import pathlib
import re
from typing import Any

DOCS = pathlib.Path(__file__).resolve().parent
PROBLEMS = DOCS / "problems"
IMAGES = PROBLEMS / "img"
MARKER = "<!-- catalog-table -->"

log = logging.getLogger("mkdocs.hooks.dptoolkit")


def problem_pages() -> list[str]:
    """The problem pages, as nav paths (``problems/knapsack.md``), sorted."""
    return sorted(
        f"problems/{page.name}" for page in PROBLEMS.glob("*.md") if page.name != "index.md"
    )


def on_config(config: Any) -> Any:
    for item in config["nav"] or ():
        if isinstance(item, dict) and "Problems" in item:
            section = item["Problems"]
            listed = {e if isinstance(e, str) else next(iter(e.values())) for e in section}
            section.extend(page for page in problem_pages() if page not in listed)
    return config


def page_of(problem: Any) -> str | None:
    """The page documenting *problem*: ``<name>.md``, else ``<module>.md``."""
    for stem in (problem.name, problem.module.rsplit(".", 1)[-1]):
        if (PROBLEMS / f"{stem}.md").is_file():
            return f"{stem}.md"
    return None


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def catalog_table() -> str:
    import dptoolkit as dp

    lines = [
        "| Problem | What it computes | Time | Space | Strategies |",
        "|---|---|---|---|---|",
    ]
    for problem in dp.catalog():
        page = page_of(problem)
        name = f"[`{problem.name}`]({page})" if page else f"`{problem.name}`"
        strategies = ", ".join(f"`{s}`" for s in problem.strategies)
        lines.append(
            f"| {name} | {_cell(problem.summary)} | {_cell(problem.time)} "
            f"| {_cell(problem.space)} | {strategies} |"
        )
    return "\n".join(lines)


def _manifest() -> dict[str, dict[str, str]]:
    path = IMAGES / "pictures.json"
    if not path.is_file():
        return {}
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def pictures_section(stem: str) -> str:
    """Markdown for the pictures of the catalog entries documented on page *stem*."""
    import dptoolkit as dp

    manifest = _manifest()
    parts = []
    for problem in dp.catalog():
        if page_of(problem) != f"{stem}.md" or problem.name not in manifest:
            continue
        entry = manifest[problem.name]
        if not (IMAGES / entry["file"]).is_file():
            continue
        parts.append(
            f"### `{problem.name}`\n\n"
            f"![{entry['alt']}](img/{entry['file']})\n\n"
            f"*{entry['caption']}* Drawn with `{entry['command']}`."
        )
    if not parts:
        return ""
    if len(parts) == 1:  # one problem on the page: no per-problem heading
        return "\n\n## Picture\n\n" + parts[0].split("\n\n", 1)[1] + "\n"
    return "\n\n## Pictures\n\n" + "\n\n".join(parts) + "\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    src = page.file.src_uri
    if src == "problems/index.md" and MARKER in markdown:
        return markdown.replace(MARKER, catalog_table())
    if src.startswith("problems/") and src.count("/") == 1:
        section = pictures_section(src[len("problems/") : -3])
        # before the references when the page has them, else at the end
        match = re.search(r"^## (References|See also)\b", markdown, re.M)
        if section and match:
            head, tail = markdown[: match.start()], markdown[match.start() :]
            return head.rstrip("\n") + "\n" + section + "\n" + tail
        return markdown.rstrip("\n") + "\n" + section
    return markdown
