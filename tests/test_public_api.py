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
    assert sorted(dp._EXPORTS) == dp.__all__
