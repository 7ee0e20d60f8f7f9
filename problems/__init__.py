"""The dptoolkit catalog: classic dynamic-programming problems, solved every way.

Each module defines its recurrence once with ``@dp.recurrence`` and exposes
``solve(..., strategy="auto")`` returning a :class:`dptoolkit.Solution`.
Use :func:`dptoolkit.catalog` to list them.

Every solver reads its arguments the same way and refuses, before any work,
what it could not finish: a ``naive`` run past a million calls or 300 levels
of recursion, a ``top_down`` or ``bottom_up`` run past 2**25 states
(:class:`dptoolkit.BudgetExceeded`), and a ``fast`` kernel that would need
more than 2 GiB (:class:`dptoolkit.InvalidInput` naming the argument).
"""
