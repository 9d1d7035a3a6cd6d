"""Reading and all-or-nothing writing of project files: every temporary first, then the renames."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def read_text(path: Path) -> str | None:
    """The text of ``path``, or None when it does not exist."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _default_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_all(files: Mapping[Path, str]) -> None:
    """Replace every file in ``files`` with its new text, or none if a temporary fails."""
    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            # mkstemp makes 0600 files: keep the replaced file's mode, else the usual one.
            Path(name).chmod(path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
            temporaries.append((Path(name), path))
        for temporary, path in temporaries:
            temporary.replace(path)
    finally:
        for temporary, _ in temporaries:
            if temporary.exists():
                temporary.unlink()
