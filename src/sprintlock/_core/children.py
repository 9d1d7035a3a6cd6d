"""The subprocesses sprintlock runs, so that an interruption can stop them.

Resolvers run in worker threads, which Ctrl-C and SIGTERM never reach: the main thread
gets the exception and calls :func:`stop_all`, which kills every running child (and any
started until :func:`resume`), so that the workers end at once and their staging folder
can be removed.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")
#: How often a thread waiting for a worker looks for a pending signal, in seconds.
_POLL = 0.1

_LOCK = threading.Lock()
_RUNNING: set[subprocess.Popen[str]] = set()
_stopping = False


@contextmanager
def tracked(process: subprocess.Popen[str]) -> Iterator[None]:
    """Register ``process`` while the block runs (killed at once if :func:`stop_all` is under way)."""
    with _LOCK:
        if _stopping:
            process.kill()
        _RUNNING.add(process)
    try:
        yield
    finally:
        with _LOCK:
            _RUNNING.discard(process)


def stop_all() -> None:
    """Kill every running child, and every child started until :func:`resume`."""
    global _stopping
    with _LOCK:
        _stopping = True
        for process in _RUNNING:
            process.kill()


def resume() -> None:
    """Let children run again (after the threads that ran them have ended)."""
    global _stopping
    with _LOCK:
        _stopping = False


@contextmanager
def worker_pool(max_workers: int | None = None) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that, on Ctrl-C or SIGTERM in the block, kills the children its workers
    run (and cancels what has not started) before waiting for the workers to end."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=max_workers)
    try:
        yield pool
    except Exception:
        raise
    except BaseException:
        stop_all()
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        finally:
            resume()
        raise
    finally:
        pool.shutdown(wait=True)


def wait_for(future: Future[T]) -> T:
    """``future.result()``, waiting in short steps so that Ctrl-C and SIGTERM are seen at once.

    The operating system may deliver a signal to any thread; Python runs the handler in
    the main thread only when that thread executes Python code, which a plain blocking
    wait would not do until the worker finished (a hang when the worker waits for a child).
    """
    from concurrent.futures import TimeoutError as Pending

    while True:
        try:
            return future.result(timeout=_POLL)
        except Pending:
            continue
