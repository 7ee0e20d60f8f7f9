"""The optional C kernels of the sequence problems, or ``None`` when they are not built.

Private to :mod:`dptoolkit.problems`. ``dptoolkit._ckernels`` is an optional
extension (``setup.py`` declares it ``optional=True``); every kernel it holds
has a numpy or pure-Python twin in the problem's own module, used when the
extension is missing or when ``DPTOOLKIT_PURE_PYTHON=1`` is set at import
(the project's switch, shared with the memo engine's C hit path). Tests
swap :data:`C` for ``None`` to run the twins.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["IMPLEMENTATION", "C"]

C: Any = None
if os.environ.get("DPTOOLKIT_PURE_PYTHON", "") != "1":
    try:
        from dptoolkit import _ckernels as C  # type: ignore[no-redef]
    except ImportError:  # pragma: no cover - depends on the build
        C = None

#: ``"c"`` when the C kernels are in use, else ``"python"``.
IMPLEMENTATION = "c" if C is not None else "python"
