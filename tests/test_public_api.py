"""The public face of dptoolkit is exactly the documented contract."""

from __future__ import annotations

import importlib
import pathlib

import dptoolkit as dp

DOCUMENTED = {
    # errors (DESIGN.md "Errors")
    "DPError", "InvalidInput", "InvalidType", "OrderError", "CycleError",
    "NegativeCycleError", "BudgetExceeded", "StoreError", "UnsupportedValue",
    # memo engine
    "memoize", "CacheInfo",
    # recurrence engine
    "recurrence", "Recurrence", "Solution", "Stats", "choose",
    "grid", "intervals", "subsets", "Trace",
    # stores
    "Store", "SQLiteStore", "RedisStore", "register_codec",
    # catalog
    "catalog", "Problem",
    # seeing it (DESIGN.md "Seeing it")
    "explain",
}  # fmt: skip


def test_all_is_exactly_the_documented_api() -> None:
    assert set(dp.__all__) == DOCUMENTED
    assert len(dp.__all__) == len(set(dp.__all__))


def test_every_public_name_resolves() -> None:
    for name in dp.__all__:
        assert getattr(dp, name) is not None, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        dp.no_such_thing
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_package_is_typed() -> None:
    root = pathlib.Path(dp.__file__).parent
    assert (root / "py.typed").is_file()


def test_problems_is_a_subpackage_of_dptoolkit() -> None:
    problems = importlib.import_module("dptoolkit.problems")
    assert problems.__name__ == "dptoolkit.problems"
    # the installed package is under test, with the catalog inside it
    assert pathlib.Path(problems.__file__).parent.name in {"problems"}


def test_lazy_export_table_matches_all() -> None:
    assert sorted(dp._EXPORTS) == sorted(dp.__all__)


def test_dir_shows_the_public_names_only() -> None:
    import dptoolkit.catalog
    import dptoolkit.memo  # noqa: F401

    assert dir(dp) == sorted([*dp.__all__, "__version__"])


def test_import_dptoolkit_catalog_gives_a_usable_module() -> None:
    import sys

    import dptoolkit.catalog

    module = sys.modules["dptoolkit.catalog"]
    assert dptoolkit.catalog is module is dp.catalog  # one object: the module, callable
    assert dptoolkit.catalog.Problem is dp.Problem
    assert dptoolkit.catalog("knapsack").name == "knapsack"
    assert [p.name for p in dptoolkit.catalog()] == [p.name for p in dp.catalog.catalog()]
    from dptoolkit.catalog import Problem, catalog

    assert Problem is dp.Problem and catalog("lis").name == "lis"


def test_recurrence_stays_the_decorator_after_its_module_is_imported() -> None:
    importlib.import_module("dptoolkit.recurrence")
    from dptoolkit.recurrence import Recurrence

    assert callable(dp.recurrence) and not isinstance(dp.recurrence, type(dp))
    assert Recurrence is dp.Recurrence


def test_problems_are_lazy_attributes_listed_in_all_and_dir() -> None:
    import subprocess
    import sys

    # in a fresh interpreter: nothing but the package is loaded until an attribute is read
    code = (
        "import sys, dptoolkit.problems as P\n"
        "assert 'dptoolkit.problems.knapsack' not in sys.modules\n"
        "assert 'knapsack' in P.__all__ and 'knapsack' in dir(P)\n"
        "assert P.knapsack.solve([1], [2], 1).value == 2\n"
        "assert 'dptoolkit.problems.knapsack' in sys.modules\n"
        "assert 'dptoolkit.problems.lcs' not in sys.modules\n"
        "print(' '.join(P.__all__))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/"
    )
    listed = done.stdout.split()
    names = {p.name for p in dp.catalog()}
    assert names <= set(listed) and "graph_paths" in listed
    assert not any(name.startswith("_") for name in listed)


def test_an_unknown_problem_attribute_is_an_attribute_error() -> None:
    import dptoolkit.problems as P

    assert set(P.__all__) <= set(dir(P))
    for name in ("no_such_problem", "_run_not_public_here"):
        try:
            getattr(P, name)
        except AttributeError as exc:
            assert name in str(exc)
        else:
            raise AssertionError(f"P.{name} should not exist")
