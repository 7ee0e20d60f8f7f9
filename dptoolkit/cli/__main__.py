"""``python -m dptoolkit.cli``: the same as the ``dptoolkit`` command."""

import sys

from . import main

sys.exit(main())
