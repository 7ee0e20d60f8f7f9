"""Doctests are tests: every example in the installed package's docstrings runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest


def _modules() -> list[str]:
    import dptoolkit.problems

    import dptoolkit

    names = {"dptoolkit", "dptoolkit.problems"}
    # walked separately: after `pip install -e .` the catalog lives outside dptoolkit/
    for package in (dptoolkit, dptoolkit.problems):
        for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
            if info.name.rsplit(".", 1)[-1] != "__main__":
                names.add(info.name)
    return sorted(names)


@pytest.mark.parametrize("modname", _modules())
def test_docstring_examples(modname: str) -> None:
    module = importlib.import_module(modname)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, modname):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest failure(s) in {modname}"
