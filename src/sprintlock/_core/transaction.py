"""All-or-nothing writes of several files: every temporary first, then a commit with rollback.

A :class:`Transaction` works in two steps:

1. :meth:`~Transaction.prepare` checks every target (a directory where a file is expected, a
   folder that cannot be written) and writes each new text to a temporary next to its target.
   A failure here writes nothing: the temporaries are removed.
2. :meth:`~Transaction.commit` keeps a backup of each existing target (a hard link in the same
   folder, or a copy where links are not possible), then replaces the targets one by one. If a
   replacement fails, or anything interrupts the commit, every target replaced so far gets its
   backup back (a new file is removed): all the old files, or all the new ones. SIGINT and
   SIGTERM are held back while committing and delivered afterwards
   (:func:`sprintlock._core.signals.deferred`).

With a ``journal`` (a file outside the project: :func:`sprintlock._core.filelock.writer_journal`),
the commit also survives what no handler sees (SIGKILL, a power cut): the journal names every
target, temporary and backup before the first backup is made and says ``committed`` once every
target is replaced; the next writer of the project calls :func:`recover`, which puts the old
files back (or, after ``committed``, only removes what is left) and removes the journal.

Temporaries and backups are removed on every path. Failures are :class:`WriteError` (exit 2)
and say what was written: nothing, unless a rollback itself failed (then where the old text is).

:func:`between_replacements` is the test seam: it runs after each replacement, and a test may
replace it to raise or to send a signal there.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sprintlock._core.errors import WriteError, location
from sprintlock._core.signals import deferred, record_committed

logger = logging.getLogger("sprintlock")


def between_replacements(done: int, path: Path) -> None:
    """Called after each replacement (``done`` of them so far, the last ``path``): a test seam."""


@dataclass
class _Entry:
    target: Path
    text: str
    temporary: Path | None = None
    backup: Path | None = None
    replaced: bool = False


def _default_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class Transaction:
    """New texts for several files, written all together or not at all.

    ``root``, when given, shortens the paths in messages. Use as a context manager
    (or call :meth:`discard` in a ``finally``) so that temporaries never stay behind.
    """

    def __init__(self, files: Mapping[Path, str], *, root: Path | None = None, journal: Path | None = None) -> None:
        self.entries = [_Entry(Path(path), text) for path, text in files.items()]
        self.root = root
        self.journal = journal
        self._created: list[Path] = []

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(entry.target for entry in self.entries)

    def _where(self, path: Path) -> str:
        return location(path, root=self.root)

    # --- step 1: temporaries ---

    def prepare(self) -> None:
        """Check every target and write every temporary; on failure nothing is written."""
        for entry in self.entries:
            check_writable(entry.target, root=self.root)
        try:
            for entry in self.entries:
                entry.temporary = self._temporary(entry)
        except BaseException:
            self.discard()
            raise

    def _temporary(self, entry: _Entry) -> Path:
        target = entry.target
        temporary = None
        try:
            self._make_parent(target.parent)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temporary = Path(name)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(entry.text)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp makes 0600 files: keep the replaced file's mode, else the usual one.
            temporary.chmod(target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        except BaseException as exc:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            if not isinstance(exc, OSError):
                raise
            raise WriteError(
                f"cannot write {self._where(target)}: {_reason(exc)}; nothing was written",
                hint=f"check that you may write in {self._where(target.parent)} (and that the disk is not full)",
            ) from None
        return temporary

    def _make_parent(self, folder: Path) -> None:
        missing = [folder, *folder.parents]
        missing = [path for path in missing if not path.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        self._created += missing  # removed again if the transaction writes nothing

    # --- step 2: the commit ---

    def commit(self) -> None:
        """Replace every target (after :meth:`prepare`); on any failure, put every old file back."""
        with deferred():
            try:
                self._make_backups()
                for done, entry in enumerate(self.entries, start=1):
                    self._replace(entry)
                    between_replacements(done, entry.target)
                self._write_journal("committed")
            except BaseException as exc:
                restored = self._rollback()
                if not restored:
                    self._remove_journal()  # else the next writer tries again
                if isinstance(exc, OSError):
                    raise self._failure(exc, restored) from None
                raise
            self._drop_backups()
            self._remove_journal()
            record_committed(self.paths)  # before a held-back signal is delivered

    def _make_backups(self) -> None:
        """A backup of every existing target, named in the journal before it is made."""
        token = secrets.token_hex(4)
        for entry in self.entries:
            if entry.target.exists():
                entry.backup = entry.target.with_name(f".{entry.target.name}.{token}.bak")
        self._write_journal("committing")
        for entry in self.entries:
            if entry.backup is not None:
                _backup(entry.target, entry.backup)

    def _write_journal(self, state: str) -> None:
        if self.journal is None:
            return
        entries = [
            {"target": str(e.target), "temporary": str(e.temporary or ""), "backup": str(e.backup or "")}
            for e in self.entries
        ]
        text = json.dumps({"pid": os.getpid(), "state": state, "entries": entries}, indent=1) + "\n"
        temporary = self.journal.with_name(self.journal.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self.journal)

    def _remove_journal(self) -> None:
        if self.journal is not None:
            self.journal.unlink(missing_ok=True)

    def _replace(self, entry: _Entry) -> None:
        if entry.temporary is None:
            raise RuntimeError("Transaction.commit() before prepare()")
        entry.temporary.replace(entry.target)
        entry.temporary = None
        entry.replaced = True

    def _rollback(self) -> list[tuple[Path, OSError]]:
        """Undo every replacement; return the files that could not be restored."""
        failed = []
        for entry in reversed(self.entries):
            if not entry.replaced:
                continue
            try:
                if entry.backup is not None:
                    entry.backup.replace(entry.target)
                    entry.backup = None
                else:
                    entry.target.unlink()
                entry.replaced = False
            except OSError as exc:
                failed.append((entry.target, exc))
        return failed

    def _failure(self, exc: OSError, unrestored: list[tuple[Path, OSError]]) -> WriteError:
        failing = next((e.target for e in self.entries if not e.replaced and e.temporary is not None), None)
        name = self._where(failing) if failing is not None else "a file"
        reason = _reason(exc)
        if not unrestored:
            return WriteError(
                f"cannot replace {name}: {reason}; nothing was written (every file is as it was)",
                hint="check the file's permissions (or whether another program holds it), then run again",
            )
        kept = [
            f"{self._where(path)} ({_reason(error)}; its old text is in {self._where(backup)})"
            if (backup := self._backup_of(path)) is not None
            else f"{self._where(path)} ({_reason(error)})"
            for path, error in unrestored
        ]
        return WriteError(
            f"cannot replace {name}: {reason}; the files written before it could not all be put back: "
            + ", ".join(kept),
            hint="restore those files by hand (from the backup named, or with git), then run again",
        )

    def _backup_of(self, path: Path) -> Path | None:
        return next((e.backup for e in self.entries if e.target == path), None)

    def _drop_backups(self) -> None:
        for entry in self.entries:
            if entry.backup is not None:
                entry.backup.unlink(missing_ok=True)
                entry.backup = None

    # --- cleanup ---

    def discard(self) -> None:
        """Remove what is left: temporaries, backups that were restored or not needed, new empty folders."""
        for entry in self.entries:
            if entry.temporary is not None:
                entry.temporary.unlink(missing_ok=True)
                entry.temporary = None
            if entry.backup is not None and not entry.replaced:
                entry.backup.unlink(missing_ok=True)
                entry.backup = None
        if not any(entry.replaced for entry in self.entries):
            for folder in sorted(self._created, key=lambda path: len(path.parts), reverse=True):
                try:
                    folder.rmdir()
                except OSError:
                    continue  # not empty (or gone): someone else's
            self._created = []


def check_writable(path: Path, *, root: Path | None = None) -> None:
    """Raise :class:`WriteError` if ``path`` cannot be written as a file: it is a directory, a file
    stands where one of its folders should be, or its nearest existing folder cannot be written."""
    where = location(path, root=root)
    if path.is_dir():
        raise WriteError(
            f"{where} is a directory, not a file; nothing was written",
            hint="move it out of the way (or name another file), then run the command again",
        )
    for parent in path.parents:
        if not parent.exists():
            continue
        if not parent.is_dir():
            raise WriteError(
                f"{location(parent, root=root)} is a file, not a folder; nothing was written",
                hint=f"move it out of the way, so that {where} can be written",
            )
        if not os.access(parent, os.W_OK | os.X_OK):
            raise WriteError(
                f"cannot write {where}: {location(parent, root=root)} is not writable; nothing was written",
                hint="check the folder's permissions (or name another file), then run the command again",
            )
        return


def _backup(target: Path, backup: Path) -> None:
    """``backup``: a second name for ``target`` in its folder (a hard link; a copy where links fail)."""
    backup.unlink(missing_ok=True)  # left by a crash that the journal did not record
    try:
        os.link(target, backup)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES):
            raise
        shutil.copy2(target, backup)


def _recover_one(target: Path, temporary: Path | None, backup: Path | None, rollback: bool) -> bool:
    """Undo (``rollback``) or finish one entry of a journal; return whether its old text came back."""
    if temporary is not None:
        temporary.unlink(missing_ok=True)
    if backup is None:
        if rollback:
            target.unlink(missing_ok=True)  # new with this commit
        return False
    if not backup.exists():
        return False  # the crash came before its backup: the target was not replaced
    if not rollback or (target.exists() and backup.samefile(target)):
        backup.unlink()  # committed, or never replaced (renaming a link onto its own file does nothing)
        return False
    backup.replace(target)
    return True


def recover(journal: Path) -> tuple[Path, ...]:
    """Finish the commit a dead process left in ``journal`` (hold the project's writer lock).

    Before ``committed``: every target gets its old text back (from its backup), a file the
    commit created is removed. After it: only the backups and temporaries left are removed.
    Returns the files put back; a missing journal is nothing to do.
    """
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        entries = [(Path(e["target"]), e["temporary"], e["backup"]) for e in data["entries"]]
        rollback = data["state"] != "committed"
    except FileNotFoundError:
        return ()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WriteError(
            f"cannot read the journal of an interrupted write, {journal}: {exc}",
            hint="check the files it names with git, then delete the journal",
        ) from None
    restored = [
        target
        for target, temporary, backup in entries
        if _recover_one(target, Path(temporary) if temporary else None, Path(backup) if backup else None, rollback)
    ]
    journal.unlink()
    logger.warning("an interrupted write (process %s) was %s", data.get("pid"), "undone" if rollback else "completed")
    return tuple(restored)


def write_all(files: Mapping[Path, str], *, root: Path | None = None, journal: Path | None = None) -> None:
    """Replace every file in ``files`` with its new text: all of them, or none."""
    with Transaction(files, root=root, journal=journal) as transaction:
        transaction.prepare()
        transaction.commit()
