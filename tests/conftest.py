"""Shared test configuration.

The suite imports dptoolkit the way users get it: the installed package
(``pip install .`` or ``pip install -e .``), never a stray copy on sys.path.
pytest runs in importlib mode (see pyproject), which keeps the repository
root off ``sys.path``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,  # shared CI machines are noisy; tests never assert wall-clock time
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
