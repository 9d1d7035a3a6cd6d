"""Exclusive, inter-process locks (the ``filelock`` library): one sync of an environment at a
time, one writer of a project's files at a time.

The operating system releases a lock whose holder dies, so a lock file left on disk is
harmless. Within a process the lock is re-entrant in one thread (``lock()`` inside
``upgrade``) and excludes other threads as it excludes other processes.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sprintlock._core.cachedir import user_cache_dir as user_cache_dir  # its home before; used below
from sprintlock._core.errors import SprintlockError

logger = logging.getLogger("sprintlock")

#: How long to wait for another holder before giving up (seconds).
DEFAULT_TIMEOUT = 15 * 60.0
#: The writer lock's name inside ``.git``.
WRITER_NAME = "sprintlock-writer.lock"


@contextmanager
def exclusive(path: Path, *, timeout: float = DEFAULT_TIMEOUT, holder: str = "another sprintlock") -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing), waiting up to ``timeout`` seconds.

    Raises :class:`SprintlockError` when the lock cannot be created, or when ``holder`` keeps
    it longer than ``timeout``.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(os.fspath(path), is_singleton=True)
    try:
        try:
            lock.acquire(blocking=False)
        except Timeout:
            logger.warning("waiting for %s to finish (it holds %s)", holder, path)
            lock.acquire(timeout=timeout)
    except Timeout:
        raise SprintlockError(
            f"{holder} has held {path} for more than {timeout:g} s",
            hint="wait for it to finish (or stop it), then run again",
        ) from None
    except OSError as exc:
        raise SprintlockError(
            f"cannot create the lock file {path}: {exc.strerror or exc}",
            hint="check that you may write in its folder",
        ) from None
    try:
        yield
    finally:
        lock.release()


def writer_lock_path(root: Path) -> Path:
    """Where the writer lock of the project at ``root`` lives: never in the user's tree.

    Inside ``.git`` when the project root holds a git repository (every user and container
    working on that tree sees the same file); otherwise in the user's cache folder, named
    by a hash of the project's path.
    """
    git = root / ".git"
    if git.is_dir():
        return git / WRITER_NAME
    digest = hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:20]
    folder = user_cache_dir() / "writers"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.lock"


@contextmanager
def project_writer(root: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Be the one writer of the project at ``root`` (``lock``, ``upgrade``, ``init``) for this block."""
    try:
        path = writer_lock_path(root)
    except OSError as exc:
        raise SprintlockError(
            f"cannot create sprintlock's cache folder: {exc.strerror or exc} ({exc.filename})",
            hint="set SPRINTLOCK_CACHE_DIR (or XDG_CACHE_HOME) to a folder you may write",
        ) from None
    with exclusive(path, timeout=timeout, holder=f"another sprintlock writing to {root}"):
        from sprintlock._core.transaction import recover

        recover(writer_journal(root))  # a writer killed mid-commit: put its old files back
        yield


def writer_journal(root: Path) -> Path:
    """The journal of the project's commits (:class:`~sprintlock._core.transaction.Transaction`),
    beside its writer lock: only the holder of :func:`project_writer` writes or reads it."""
    return writer_lock_path(root).with_suffix(".journal")
