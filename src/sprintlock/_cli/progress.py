"""Show the library's log on standard error: progress as a live line on a terminal, plain lines otherwise.

The library reports steps through the ``sprintlock`` logger (:mod:`sprintlock._core.progress`).
On a terminal, the running steps share one line redrawn in place with their elapsed time
(``locking docs (4s), locking tests (4s)``), and each finished step leaves a line
(``locked tests (4.2s)``). Elsewhere (CI logs, a pipe) each step prints one plain line as it
starts and one as it ends. ``-q`` shows warnings and errors only; ``-v`` adds the commands run.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sprintlock._core.progress import BEGIN, step_of

#: How often the live line is redrawn while a step runs (seconds).
TICK = 0.25


class ProgressHandler(logging.Handler):
    """Writes records to the current ``sys.stderr``; ``live`` redraws the running steps in place."""

    def __init__(self, *, live: bool, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.live = live
        self.clock = clock
        #: The running steps: key -> (message, start time).
        self.running: dict[str, tuple[str, float]] = {}
        self._drawn = False
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            step = step_of(record)
            message = record.getMessage() if step is not None else self.format(record)
            if step is None:
                self._line(message)
            elif step[0] == BEGIN:
                self.running[step[1]] = (message, self.clock())
                if not self.live:
                    self._line(f"{message} ...")
            else:
                _, started = self.running.pop(step[1], (message, self.clock()))
                self._line(f"{message} ({self.clock() - started:.1f}s)")
            if self.live:
                self._draw()
                self._tick()
        except (OSError, ValueError):  # a closed or broken stderr: report it the logging way, never raise
            self.handleError(record)

    def _line(self, text: str) -> None:
        """A permanent line, above the live one."""
        self._clear()
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def _clear(self) -> None:
        if self._drawn:
            sys.stderr.write("\r\x1b[K")
            self._drawn = False

    def _draw(self) -> None:
        self._clear()
        if not self.running:
            sys.stderr.flush()
            return
        now = self.clock()
        text = ", ".join(f"{message} ({now - started:.0f}s)" for message, started in self.running.values())
        width = shutil.get_terminal_size().columns - 1
        sys.stderr.write(text if len(text) <= width else text[: max(width - 3, 0)] + "...")
        sys.stderr.flush()
        self._drawn = True

    def _tick(self) -> None:
        """Keep the elapsed time moving while steps run (a resolver may take minutes)."""
        if self._ticker is None and self.running:
            self._ticker = threading.Thread(target=self._redraw, name="sprintlock-progress", daemon=True)
            self._ticker.start()

    def _redraw(self) -> None:
        while not self._stop.wait(TICK):
            self.acquire()
            try:
                if self.running:
                    self._draw()
            finally:
                self.release()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        self.acquire()
        try:
            self._clear()
        finally:
            self.release()
        super().close()


def live_terminal() -> bool:
    """Whether standard error is a terminal that can redraw a line."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


@contextmanager
def cli_logging(*, verbose: bool, quiet: bool) -> Iterator[ProgressHandler]:
    """Show the ``sprintlock`` logger on standard error while a command runs; restore it afterwards."""
    logger = logging.getLogger("sprintlock")
    saved = logger.level, logger.propagate
    handler = ProgressHandler(live=live_terminal())
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        handler.close()
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
