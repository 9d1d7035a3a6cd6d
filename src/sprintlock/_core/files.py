"""Reading project files: the one reader of the text files sprintlock reads.

Writing is :mod:`sprintlock._core.transaction` (all-or-nothing); it is not imported here, so
that read-only paths (``sprintlock check``) do not load it.
"""

from __future__ import annotations

import stat
from pathlib import Path

from sprintlock._core.errors import InputError, location

_HINT = "make it a readable UTF-8 text file, or move it out of the way"


def read_text(path: Path, *, root: Path | None = None, hint: str = _HINT) -> str | None:
    """The text of a project file sprintlock reads (an input or a lock); None when it does not exist.

    Anything else that keeps it from being read as UTF-8 text is an :class:`InputError`
    naming the file (and, for bytes that are not UTF-8, the line), with ``hint`` on how
    to fix it: a folder or another non-regular file (a FIFO would block the read), a
    file that cannot be read. Newlines are read as Python's text mode reads them.
    """
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise InputError(f"{what}, where a text file is expected", where=location(path, root=root), hint=hint)
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where=location(path, root=root), hint=hint) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            where=location(path, line, root=root),
            hint=hint,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
