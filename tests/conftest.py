"""Shared test configuration.

The suite imports dptoolkit the way users get it: the installed package
(``pip install .`` or ``pip install -e .``), never a stray copy on sys.path.
pytest runs in importlib mode (see pyproject), which keeps the repository
root off ``sys.path``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,  # shared CI machines are noisy; tests never assert wall-clock time
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(params=["c", "python"])
def memo_impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Memoize with the C paths, then with the pure-Python twin: ``"c"`` or ``"python"``.

    A memo test module runs all its tests under both by an autouse fixture of
    its own that asks for this one. With ``DPTOOLKIT_REQUIRE_C=1`` (CI) a
    missing extension fails instead of skipping.
    """
    from dptoolkit import _fastpath

    if request.param == "c":
        if _fastpath.CFastWrapper is None:
            if os.environ.get("DPTOOLKIT_REQUIRE_C") == "1":
                pytest.fail("DPTOOLKIT_REQUIRE_C=1 but the C extension is not built")
            pytest.skip("the C extension dptoolkit._cmemo is not built")
        monkeypatch.setattr(_fastpath, "FastWrapper", _fastpath.CFastWrapper)
    else:
        monkeypatch.setattr(_fastpath, "FastWrapper", _fastpath.PyFastWrapper)
    return str(request.param)


@pytest.fixture
def recursion_limit_untouched(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if any code path calls ``sys.setrecursionlimit``, or the limit moved."""
    limit = sys.getrecursionlimit()

    def forbidden(new: int) -> None:
        raise AssertionError(f"sys.setrecursionlimit({new}) was called")

    monkeypatch.setattr(sys, "setrecursionlimit", forbidden)
    yield
    assert sys.getrecursionlimit() == limit
