"""Benchmarks: dptoolkit side by side with the tools people use today.

Run ``python -m dptoolkit.bench [SUITE ...] [--quick]``; the suites are the
modules of this package (``memo``, ``recurrence``, ``catalog``, ``stores``).
Every figure is a ratio measured in one process, the minimum or median over
several rounds, so noise from a shared machine mostly cancels. Outside tools
come from the ``bench`` extra; a suite whose tool is missing says so and goes
on. Nothing here is a test: tests never assert wall-clock times.
"""
