"""Draw the pictures of the documentation: ``python docs/pictures.py``.

For each catalog problem, its example is drawn with the public picture API,
so a picture is exactly what a user gets:

* a two-dimensional bottom-up table (knapsack, edit distance, LCS, ...) as a
  heatmap, axes named by the problem, goal and witness path marked:
  ``problem.solve(*example, strategy="bottom_up").draw_table(path)``;
* otherwise the graph of subproblems of the memoized recursion, cache hits
  marked: ``rec.trace(*goal).draw(path)``.

Pictures are saved at 200 dpi (twice a screen's), so they stay sharp on
high-density displays. The PNGs land in ``docs/problems/img/`` with
``pictures.json``, the captions that ``docs/hooks.py`` puts under each
problem page. The pictures of "memoization explained" land in
``docs/img/``. Needs the ``plot`` extra. Re-run it when a problem's example
or the drawing code changes; tests/test_docs.py checks that every catalog
problem has its picture.
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

import dptoolkit as dp

DOCS = pathlib.Path(__file__).resolve().parent
IMAGES = DOCS / "problems" / "img"


def _example(problem: dp.Problem) -> tuple[Any, ...]:
    values = list(problem.example)
    return tuple(problem.coerce(values)) if problem.coerce is not None else tuple(values)


def _shown(problem: dp.Problem) -> str:
    return ", ".join(repr(a) for a in problem.example)


def _table(problem: dp.Problem) -> Any:
    """The example's bottom-up solution when its table is two-dimensional, else None."""
    sol = problem.solve(*_example(problem), strategy="bottom_up")
    table = getattr(sol, "table", None)
    if table is None:
        return None
    from dptoolkit._tableview import table_view

    view = table_view(table, sol._labels)
    return sol if view.rows > 1 and view.cols > 1 else None


def problem_pictures() -> dict[str, dict[str, str]]:
    IMAGES.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    for problem in dp.catalog():
        file = f"{problem.name}.png"
        target = IMAGES / file
        call = f"dp.catalog({problem.name!r}).solve({_shown(problem)}, strategy='bottom_up')"
        sol = _table(problem)
        if sol is not None:
            sol.draw_table(target, title=f"{problem.name}: the bottom-up table")
            alt = f"{problem.name}: the filled bottom-up table of the example"
            caption = (
                "The bottom-up table of the example, one cell per subproblem, coloured by "
                "value; the goal cell is outlined and the witness path drawn."
            )
            command = f"{call}.draw_table({file!r})"
        elif problem.build is not None:
            rec, goal = problem.build(*_example(problem))
            rec.trace(*goal).draw(target, title=f"{problem.name}: subproblems (top_down)")
            alt = f"{problem.name}: the subproblem graph of the example"
            caption = (
                "The subproblems of the example and which reads which, goal on top; "
                "orange states were also served from the cache."
            )
            command = f"rec.trace(*goal).draw({file!r}), with rec, goal = {problem.name}.build({_shown(problem)})"
        else:
            continue
        manifest[problem.name] = {"file": file, "alt": alt, "caption": caption, "command": command}
        sys.stdout.write(f"drew {target}\n")
    (IMAGES / "pictures.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def explained_pictures() -> None:
    (DOCS / "img").mkdir(exist_ok=True)
    fib, goal = dp.catalog("fibonacci").build(6)
    for strategy in ("top_down", "naive"):
        target = DOCS / "img" / f"fib-{strategy}.png"
        fib.trace(*goal, strategy=strategy).draw(
            target, title=f"fibonacci: subproblems ({strategy})"
        )
        sys.stdout.write(f"drew {target}\n")
    target = DOCS / "img" / "lcs-table.png"
    sol = dp.catalog("lcs").solve("ABCBDAB", "BDCABA", strategy="bottom_up")
    sol.draw_table(target, title="lcs: the bottom-up table")
    sys.stdout.write(f"drew {target}\n")


if __name__ == "__main__":
    problem_pictures()
    explained_pictures()
    sys.exit(0)
