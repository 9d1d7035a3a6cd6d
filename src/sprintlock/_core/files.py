"""Reading project files, and the all-or-nothing writer (see :mod:`sprintlock._core.transaction`)."""

from __future__ import annotations

from pathlib import Path

from sprintlock._core.errors import SprintlockError
from sprintlock._core.transaction import Transaction, write_all

__all__ = ["Transaction", "read_text", "write_all"]


def read_text(path: Path) -> str | None:
    """The text of ``path``, or None when it does not exist.

    A directory in its place, or a file that cannot be read, is a user error (exit 2).
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise SprintlockError(
            f"{path} is a directory, not a file", hint="move it out of the way, then run the command again"
        ) from None
    except PermissionError as exc:
        raise SprintlockError(
            f"cannot read {path}: {exc.strerror}", hint="check the file's permissions, then run the command again"
        ) from None
