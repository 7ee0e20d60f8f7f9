"""Progress on stderr, drawn only on a terminal, with the elapsed time and an ETA.

With the ``cli`` extra (``rich``) installed the bar is rich's; without it, a
one-line bar of our own (``[#####-----] 2/4 top_down 1.3s, eta 2s``) redrawn
in place. Both have the same interface: ``step(label)`` starts a step,
``advance()`` finishes one. Imports nothing of the CLI; used by ``compare``
and ``bench``.
"""

from __future__ import annotations

import threading
import time
from typing import IO, Any, Protocol

__all__ = ["make_progress"]


class Bar(Protocol):
    def __enter__(self) -> Bar: ...
    def __exit__(self, *exc: object) -> None: ...
    def step(self, label: str) -> None: ...
    def advance(self) -> None: ...


def make_progress(total: int, *, stream: IO[str], enabled: bool, title: str) -> Bar:
    """A progress bar on *stream*: rich's when rich is installed, else the plain one."""
    if enabled:
        try:
            return _RichProgress(total, stream=stream, title=title)
        except ImportError:
            pass
    return _Progress(total, stream=stream, enabled=enabled, title=title)


def _eta(started: float, done: int, total: int) -> float | None:
    """Seconds left, from the average of the steps done so far."""
    if done <= 0 or done >= total:
        return None
    return (time.perf_counter() - started) / done * (total - done)


class _RichProgress:
    """rich's progress bar: description, bar, M/N, the step, elapsed time, time remaining."""

    def __init__(self, total: int, *, stream: IO[str], title: str) -> None:
        import rich  # noqa: F401  (None in sys.modules: rich is disabled)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[label]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._task: Any = None
        self._total = max(total, 1)
        self._title = title

    def __enter__(self) -> _RichProgress:
        self._progress.start()
        self._task = self._progress.add_task(self._title, total=self._total, label="")
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def step(self, label: str) -> None:
        self._progress.update(self._task, label=label)

    def advance(self) -> None:
        self._progress.advance(self._task, 1)


class _Progress:
    """``[#####-----] 2/4 top_down 1.3s, eta 2s`` on one terminal line, redrawn in place.

    Silent unless *enabled*; a background thread redraws the elapsed time
    while a slow step runs, so a long naive recursion visibly progresses.
    """

    WIDTH = 20

    def __init__(self, total: int, *, stream: IO[str], enabled: bool, title: str) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.enabled = enabled
        self.title = title
        self.done = 0
        self.label = ""
        self.began = time.perf_counter()
        self.started = self.began
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._tick, name="dptoolkit-progress")
            self._thread.daemon = True
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.enabled:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()

    def step(self, label: str) -> None:
        """Start the next step, called *label*."""
        with self._lock:
            self.label = label
            self.started = time.perf_counter()
        self._draw()

    def advance(self) -> None:
        """Finish the current step."""
        with self._lock:
            self.done = min(self.done + 1, self.total)
        self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(0.1):
            self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            filled = self.WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            elapsed = time.perf_counter() - self.started
            left = _eta(self.began, self.done, self.total)
            eta = "" if left is None else f", eta {left:.0f}s"
            self.stream.write(
                f"\r\x1b[K{self.title} [{bar}] {self.done}/{self.total} {self.label} "
                f"{elapsed:.1f}s{eta}"
            )
            self.stream.flush()


def progress_enabled(stream: IO[str], disabled: bool) -> bool:
    """Draw progress? Only on a terminal, and not with ``--no-progress``."""
    if disabled:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())
