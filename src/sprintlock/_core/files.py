"""Reading project files, and the all-or-nothing writer (see :mod:`sprintlock._core.transaction`)."""

from __future__ import annotations

from pathlib import Path

from sprintlock._core.transaction import Transaction, write_all

__all__ = ["Transaction", "read_text", "write_all"]


def read_text(path: Path) -> str | None:
    """The text of ``path``, or None when it does not exist."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
