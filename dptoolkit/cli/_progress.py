"""A small progress bar on stderr, drawn only on a terminal; used by compare and bench."""

from __future__ import annotations

import threading
import time
from typing import IO


class _Progress:
    """``[#####-----] 2/4 top_down 1.3s`` on one terminal line, redrawn in place.

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
        self.started = time.perf_counter()
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
            self.stream.write(
                f"\r\x1b[K{self.title} [{bar}] {self.done}/{self.total} {self.label} {elapsed:.1f}s"
            )
            self.stream.flush()


def _progress_enabled(stream: IO[str], disabled: bool) -> bool:
    if disabled:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())
