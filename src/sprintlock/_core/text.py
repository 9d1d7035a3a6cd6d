"""Line continuations as pip reads requirement files: one implementation for .in files and locks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def without_comment(line: str) -> str:
    """``line`` without its comment (a whole-line ``#`` or one after whitespace), as pip reads it."""
    if _comment(line):
        return ""
    cuts = [i for i in (line.find(" #"), line.find("\t#")) if i >= 0]
    return line[: min(cuts)] if cuts else line


def requirement_lines(text: str) -> list[tuple[int, str]]:
    """A requirements file's logical lines without comments, blank ones left out, each with
    the number of its first physical line (from 1)."""
    physical = [without_comment(line) for line in text.splitlines()]
    return [(index + 1, line) for index, line in logical_lines(physical) if line]


def _comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def logical_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(index of the first physical line, text)`` for each logical line.

    A line ending in a backslash continues on the next one (a comment line never continues,
    as in pip); the parts are stripped and joined with one space. A backslash on the last
    line is dropped. Blank lines are logical lines too (their text is empty).
    """
    pending: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        if not pending:
            start = index
        stripped = line.rstrip()
        if stripped.endswith("\\") and not _comment(line):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(line.strip())
        yield start, " ".join(pending).strip()
        pending = []
    if pending:
        yield start, " ".join(pending).strip()
