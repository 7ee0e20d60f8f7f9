"""``python -m dptoolkit``: the same as the ``dptoolkit`` command."""

import sys

from .cli import main

sys.exit(main())
