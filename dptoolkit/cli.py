"""The ``dptoolkit`` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    import dptoolkit as dp

    @dp.memoize
    def fib(n: int) -> int:
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    for i in range(16):
        fib(i)
    print("memoized fib over 0..15:", fib.cache_info())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
