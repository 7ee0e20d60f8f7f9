"""The package's shape: small modules, imports one way, state in named records.

Read from the source tree (``dptoolkit/`` and the catalog ``problems/``,
installed as ``dptoolkit.problems``), statically: nothing here imports the
modules it checks.
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
TREES = {"dptoolkit": ROOT / "dptoolkit", "dptoolkit.problems": ROOT / "problems"}
BENCH = ROOT / "dptoolkit" / "bench"  # the benchmark harness: exempt from the size rule
MAX_LINES = 600


def _modules() -> dict[str, pathlib.Path]:
    """Dotted module name -> source file, for every .py file of both trees."""
    found: dict[str, pathlib.Path] = {}
    for package, top in TREES.items():
        for path in sorted(top.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = path.relative_to(top).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join((package, *parts))
            if package == "dptoolkit" and name.startswith("dptoolkit.problems"):
                continue  # a stray build copy; the catalog is read from problems/
            found[name] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _module_level(tree: ast.Module) -> list[ast.stmt]:
    """Statements run when the module is imported: not in functions, not under TYPE_CHECKING."""
    run: list[ast.stmt] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        run.append(node)
        if isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                pending += node.body
            pending += node.orelse
        elif isinstance(node, (ast.Try, ast.TryStar)):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
        elif isinstance(node, (ast.With, ast.For, ast.While, ast.ClassDef)):
            pending += node.body
    return run


def _imports(name: str) -> set[str]:
    """The package's modules that module *name* imports when it is imported."""
    tree = ast.parse(MODULES[name].read_text())
    here = name if _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _module_level(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:  # a submodule by name, else a name of *target*
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return {target for target in found if target in MODULES and target != name}


GRAPH = {name: _imports(name) for name in MODULES}


def test_the_modules_are_found() -> None:
    assert {"dptoolkit", "dptoolkit.recurrence._decorator", "dptoolkit.problems.knapsack"} <= set(
        MODULES
    )
    assert "dptoolkit.recurrence._decorator" in GRAPH["dptoolkit.recurrence"]


def test_no_import_cycle_between_the_modules() -> None:
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import cycle: {' -> '.join((*path[path.index(node) :], node))}"
        if node in done:
            return
        for nxt in sorted(GRAPH[node]):
            visit(nxt, (*path, node))
        done.add(node)

    for module in sorted(GRAPH):
        visit(module, ())


def test_the_cycle_check_sees_a_cycle() -> None:
    """The walk above fails on a graph with a cycle (the check can fail)."""
    saved = dict(GRAPH)
    try:
        GRAPH["dptoolkit.errors"] = {"dptoolkit.trace"}
        GRAPH["dptoolkit.trace"] = set(saved["dptoolkit.trace"]) | {"dptoolkit.errors"}
        with pytest.raises(AssertionError, match="import cycle"):
            test_no_import_cycle_between_the_modules()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_under_600_lines(name: str) -> None:
    path = MODULES[name]
    if BENCH in path.parents:
        pytest.skip("the benchmark harness is exempt")
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_LINES})"


def _stamped(tree: ast.AST) -> list[int]:
    """Lines that read or write a ``_dp_*`` attribute (``f._dp_x``, ``getattr(f, "_dp_x")``)."""
    lines: list[int] = []
    for node in ast.walk(tree):
        attribute = isinstance(node, ast.Attribute) and node.attr.startswith("_dp_")
        by_name = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and str(node.args[1].value).startswith("_dp_")
        )
        if attribute or by_name:
            lines.append(getattr(node, "lineno", 0))
    return lines


def _literal_flight_indices(tree: ast.AST) -> list[int]:
    """Lines that index a single-flight record by a literal (``flight[1] = 3``)."""
    lines: list[int] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Subscript):
            continue
        subject = node.value
        named = subject.id if isinstance(subject, ast.Name) else getattr(subject, "attr", "")
        index = node.slice
        if isinstance(index, ast.UnaryOp):
            index = index.operand
        if "flight" in named.lower() and isinstance(index, ast.Constant):
            lines.append(node.lineno)
    return lines


C_STAMP = re.compile(r'"_dp_\w*"')
C_FLIGHT = re.compile(r"flight\w*\s*\[\s*-?\d")


def test_no_stamped_dp_attributes_and_no_literal_flight_indices() -> None:
    stamped: list[str] = []
    literal: list[str] = []
    for path in MODULES.values():
        tree = ast.parse(path.read_text())
        where = path.relative_to(ROOT)
        stamped += [f"{where}:{line}" for line in _stamped(tree)]
        literal += [f"{where}:{line}" for line in _literal_flight_indices(tree)]
    for path in sorted([*(ROOT / "dptoolkit").rglob("*.c"), *(ROOT / "dptoolkit").rglob("*.h")]):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            stamped += [where] if C_STAMP.search(line) else []
            literal += [where] if C_FLIGHT.search(line) else []
    assert not stamped, f"_dp_* attributes stamped on objects: {stamped}"
    assert not literal, f"flight records indexed by a literal: {literal}"


def test_the_pattern_checks_can_fail() -> None:
    sample = ast.parse(
        'func._dp_opts = 1\nsetattr(f, "_dp_x", 2)\nflight[1] = 3\nself.flight[-1]\n'
        "ok = flight[RESULT]\n_dp_stack.pop()\n"
    )
    assert _stamped(sample) == [1, 2]
    assert _literal_flight_indices(sample) == [3, 4]
    assert C_FLIGHT.search("f->flight[2] = NULL;") and not C_FLIGHT.search("flight[F_KEY]")


INTERNALS = ROOT / "docs" / "internals.md"
ROW = re.compile(r"^\| `([\w/]+\.py)` \|", re.M)


def _documented_path(path: pathlib.Path) -> str:
    """How docs/internals.md names a module file: under ``dptoolkit/`` relative to it."""
    top = TREES["dptoolkit"]
    if top in path.parents:
        return path.relative_to(top).as_posix()
    return path.relative_to(ROOT).as_posix()


def test_internals_has_one_row_for_every_module_file() -> None:
    text = INTERNALS.read_text()
    rows = ROW.findall(text)
    files = {_documented_path(path) for path in MODULES.values()}
    assert len(rows) == len(set(rows)), sorted({r for r in rows if rows.count(r) > 1})
    assert not files - set(rows), (
        f"modules without a row in docs/internals.md (add one: path, what it owns, who may import it): {sorted(files - set(rows))}"
    )
    assert not set(rows) - files, f"rows for files that do not exist: {sorted(set(rows) - files)}"


def test_internals_points_nowhere_outside_the_repository() -> None:
    text = INTERNALS.read_text()
    for outside in ("../", "/work/", "DESIGN.md", "shared/"):
        assert outside not in text, f"docs/internals.md points outside the repository: {outside!r}"
    for target in re.findall(r"\]\(([^)#]+)", text):
        assert "://" not in target and (INTERNALS.parent / target).is_file(), target
