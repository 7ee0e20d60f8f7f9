"""The recurrence package's shape: one-idea modules, imports one way, trace through the seam."""

from __future__ import annotations

import ast
import importlib
import pathlib

# the package, not the decorator that dptoolkit.recurrence names
PACKAGE = pathlib.Path(importlib.import_module("dptoolkit.recurrence").__file__ or "").parent
TRACE = PACKAGE.parent / "trace.py"


def _runtime_imports(path: pathlib.Path) -> set[str]:
    """Modules of the package *path* imports at run time (any depth; not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        if node.module:
            found.add(node.module.split(".")[0])
        else:
            found |= {alias.name for alias in node.names}
    return found


def test_no_import_cycle_between_the_engine_modules() -> None:
    graph = {
        p.stem: _runtime_imports(p) & {q.stem for q in PACKAGE.glob("*.py")}
        for p in PACKAGE.glob("*.py")
    }
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import cycle: {' -> '.join((*path, node))}"
        if node in done:
            return
        for nxt in graph[node]:
            visit(nxt, (*path, node))
        done.add(node)

    for module in graph:
        visit(module, ())
    assert "_decorator" not in set().union(*(graph[m] for m in graph if m != "__init__"))


def test_modules_stay_under_500_lines() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 500, path.name


def test_trace_reaches_the_engine_only_through_the_seam() -> None:
    tree = ast.parse(TRACE.read_text())
    reached = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "recurrence"
        for alias in node.names
    }
    assert reached <= {("recurrence", "_seam"), ("recurrence", "Recurrence")}, reached
