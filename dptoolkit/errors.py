"""The exceptions dptoolkit raises.

Every exception derives from :class:`DPError`, and also from the built-in
exception a Python user would reach for, so ``except ValueError`` keeps
working around code that calls dptoolkit::

    DPError
    ├── InvalidInput        (ValueError)   a bad argument or option value
    │   └── InvalidType     (TypeError)    an argument of the wrong type
    ├── OrderError          (ValueError)   bottom-up read a state not yet filled
    ├── CycleError          (ValueError)   a state depends on itself
    ├── NegativeCycleError  (ValueError)   a graph has a negative-weight cycle
    ├── BudgetExceeded      (RuntimeError) naive recursion passed ``max_calls``
    └── StoreError          (OSError)      a persistent or shared store failed
        └── UnsupportedValue (TypeError)   a value the store cannot encode

Messages name the argument and its value, e.g.
``capacity=-3 must be a non-negative integer``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

__all__ = [
    "BudgetExceeded",
    "CycleError",
    "DPError",
    "InvalidInput",
    "InvalidType",
    "NegativeCycleError",
    "NotRecorded",
    "OrderError",
    "StoreError",
    "UnsupportedValue",
]


class DPError(Exception):
    """Base class of every error dptoolkit raises on purpose."""


class InvalidInput(DPError, ValueError):
    """An argument or option has a value the function cannot accept."""


class InvalidType(InvalidInput, TypeError):
    """An argument or option has the wrong type.

    It is also a :class:`TypeError` (and, through :class:`InvalidInput`, a
    :class:`ValueError`), so either built-in ``except`` clause catches it.
    """


class OrderError(DPError, ValueError):
    """A bottom-up fill read a state that its declared order had not filled yet.

    Attributes
    ----------
    state, needed:
        The state being computed and the state it tried to read.
    """

    def __init__(self, message: str, *, state: object = None, needed: object = None) -> None:
        super().__init__(message)
        self.state = state
        self.needed = needed


class CycleError(DPError, ValueError):
    """A computation needs its own result (a cycle among subproblems).

    Attributes
    ----------
    cycle:
        The states (or graph nodes) along the cycle, first == last, when known.
    """

    def __init__(self, message: str, *, cycle: Sequence[Hashable] | None = None) -> None:
        super().__init__(message)
        self.cycle = list(cycle) if cycle is not None else None


class NegativeCycleError(DPError, ValueError):
    """A graph has a cycle of negative total weight, so shortest paths are undefined.

    Attributes
    ----------
    cycle:
        The nodes of one negative cycle, first == last.
    """

    def __init__(self, message: str, *, cycle: Sequence[Hashable]) -> None:
        super().__init__(message)
        self.cycle = list(cycle)


class BudgetExceeded(DPError, RuntimeError):
    """A computation passed its call budget (``max_calls``) and was stopped.

    Attributes
    ----------
    max_calls:
        The budget that was passed.
    """

    def __init__(self, message: str, *, max_calls: int | None = None) -> None:
        super().__init__(message)
        self.max_calls = max_calls


class StoreError(DPError, OSError):
    """A persistent or shared store could not be opened, read or written."""


class UnsupportedValue(StoreError, TypeError):
    """A value has a type the store cannot serialize (and no codec is registered)."""


class NotRecorded(DPError, AttributeError):
    """A solution has no such record: its strategy keeps no table, or measures no stats.

    It is also an :class:`AttributeError`, so ``getattr(sol, "table", None)``
    and ``hasattr(sol, "stats")`` work as for any missing attribute.
    """
