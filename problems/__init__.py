"""The dptoolkit catalog: classic dynamic-programming problems, solved every way.

Each module defines its recurrence once with ``@dp.recurrence`` and exposes
``solve(..., strategy="auto")`` returning a :class:`dptoolkit.Solution`.
Use :func:`dptoolkit.catalog` to list them.
"""
