"""Draw the pictures of the documentation: ``python docs/pictures.py``.

For each catalog problem, its example is drawn through the ``dptoolkit``
command itself, so a picture is exactly what a user gets:

* a two-dimensional bottom-up table (knapsack, edit distance, LCS, ...) as a
  heatmap: ``dptoolkit solve NAME ARGS --table img/NAME.png``;
* otherwise the graph of subproblems of the memoized recursion, cache hits
  marked: ``dptoolkit trace NAME ARGS --dag img/NAME.png``.

The PNGs land in ``docs/problems/img/`` with ``pictures.json``, the captions
that ``docs/hooks.py`` puts under each problem page. The pictures of
"memoization explained" land in ``docs/img/``. Needs the ``plot`` extra.
Re-run it when a problem's example changes; tests/test_docs.py checks that
every catalog problem has its picture.
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import sys

import dptoolkit as dp
from dptoolkit import cli

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import sequence_pictures

DOCS = pathlib.Path(__file__).resolve().parent
IMAGES = DOCS / "problems" / "img"


def _run(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(argv)
    if status != 0:
        raise SystemExit(f"dptoolkit {' '.join(argv)} failed with status {status}")


def _is_two_dimensional(problem: dp.Problem) -> bool:
    args, kwargs = cli._prepare(problem, [cli._dumps(a) for a in problem.example], [])
    if problem.build is None:
        return False
    rec, goal = problem.build(*args, **kwargs)
    table = rec.solve(*goal, strategy="bottom_up").table
    if table is None:
        return False
    from dptoolkit._plot import table_grid

    grid, labels = table_grid(table)
    return labels is None and grid.shape[0] > 1 and grid.shape[1] > 1


def problem_pictures() -> dict[str, dict[str, str]]:
    IMAGES.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    for problem in dp.catalog():
        words = [cli._dumps(a, separators=(",", ":")) for a in problem.example]
        shown = " ".join(cli._shell_word(a) for a in problem.example)
        file = f"{problem.name}.png"
        target = str(IMAGES / file)
        if problem.name in sequence_pictures.DRAW:  # drawn with the witness path through the table
            manifest[problem.name] = sequence_pictures.draw(problem.name, IMAGES)
            sys.stdout.write(f"drew {target}\n")
            continue
        if _is_two_dimensional(problem):
            _run(["solve", problem.name, *words, "--table", target])
            alt = f"{problem.name}: the filled bottom-up table of the example"
            caption = (
                "The bottom-up table of the example, one cell per subproblem, coloured by "
                "value; the goal cell is outlined."
            )
            command = f"dptoolkit solve {problem.name} {shown} --table {file}"
        elif problem.build is not None:
            _run(["trace", problem.name, *words, "--dag", target])
            alt = f"{problem.name}: the subproblem graph of the example"
            caption = (
                "The subproblems of the example and which reads which, goal on top; "
                "orange states were also served from the cache."
            )
            command = f"dptoolkit trace {problem.name} {shown} --dag {file}"
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
    for strategy in ("top_down", "naive"):
        target = DOCS / "img" / f"fib-{strategy}.png"
        _run(["trace", "fibonacci", "6", "--strategy", strategy, "--dag", str(target)])
        sys.stdout.write(f"drew {target}\n")
    target = DOCS / "img" / "lcs-table.png"
    _run(["solve", "lcs", "ABCBDAB", "BDCABA", "--table", str(target)])
    sys.stdout.write(f"drew {target}\n")


if __name__ == "__main__":
    problem_pictures()
    explained_pictures()
    sys.exit(0)
