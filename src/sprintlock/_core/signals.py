"""Signals: SIGTERM as an exception (so cleanup runs), and signals held back while files are replaced.

Python turns SIGINT (Ctrl-C) into :class:`KeyboardInterrupt`; the command line makes
SIGTERM raise :class:`~sprintlock._core.errors.Terminated` the same way
(:func:`raise_on_sigterm`), so every ``finally`` block (a staging folder, temporaries)
runs on both. While a transaction replaces files, :func:`deferred` records either signal
instead, and delivers it once the files are all new (or all old again).

Handlers can only be set in the main thread: elsewhere both functions do nothing (a signal
is then handled by the main thread, as Python always does).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from sprintlock._core.errors import Terminated

_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers
#: The files this process's transactions replaced, in order: what a stopped command says it wrote.
_COMMITTED: list[Path] = []
#: The signals a commit holds back.
DEFERRED = (signal.SIGINT, signal.SIGTERM)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def raise_on_sigterm() -> None:
    """Make SIGTERM raise :class:`Terminated` in the main thread (the command line calls this first)."""
    if _in_main_thread():
        signal.signal(signal.SIGTERM, _terminate)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM in this block; deliver them (once each) when it ends.

    A signal that is ignored (``SIG_IGN``) stays ignored. Delivery goes through the
    handler that was in place before, so Ctrl-C still raises :class:`KeyboardInterrupt`,
    SIGTERM raises :class:`Terminated` (or ends the process if nothing handles it).
    """
    if not _in_main_thread():
        yield
        return
    received: list[int] = []
    previous: dict[signal.Signals, _Handler] = {}

    def record(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    try:
        for wanted in DEFERRED:
            handler = signal.getsignal(wanted)
            if handler not in (signal.SIG_IGN, None):
                previous[wanted] = handler
                signal.signal(wanted, record)
        yield
    finally:
        for wanted, handler in previous.items():
            signal.signal(wanted, handler)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)  # runs the restored handler now (it may raise)


def record_committed(paths: Iterable[Path]) -> None:
    """A transaction replaced ``paths`` (all of them: commits are whole)."""
    _COMMITTED.extend(paths)


def committed() -> tuple[Path, ...]:
    """The files this process's transactions replaced (in order)."""
    return tuple(_COMMITTED)


def forget_committed() -> None:
    """Start a new record (the command line does this as it starts a command)."""
    _COMMITTED.clear()
