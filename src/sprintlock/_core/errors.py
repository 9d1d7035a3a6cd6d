"""The exception hierarchy; the command line maps it to exit codes in one place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class SprintlockError(Exception):
    """A user error: bad input or an impossible request (exit 2).

    ``where`` names the file (and line) at fault; ``hint`` says what to do.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def location(path: Path, line: int | None = None, *, root: Path | None = None) -> str:
    """``requirements/tests.in:3`` style location, relative to ``root`` when possible."""
    shown = path
    if root is not None and path.is_relative_to(root):
        shown = path.relative_to(root)
    text = shown.as_posix()
    return f"{text}:{line}" if line is not None else text


class ConfigError(SprintlockError):
    """``[tool.sprintlock]`` or ``pyproject.toml`` is invalid."""


class InputError(SprintlockError):
    """A ``requirements/*.in`` file is malformed or references something missing."""


class ResolutionError(SprintlockError):
    """A resolver could not produce a lock (conflict, unknown package, unreachable index)."""


class ToolMissingError(SprintlockError):
    """A tool sprintlock needs (uv, pip-compile, an interpreter) cannot be found."""


class CommandFailed(Exception):
    """A subprocess failed in a way sprintlock did not expect (a bug, exit 3)."""

    def __init__(self, cmd: Sequence[str], returncode: int, output: str) -> None:
        super().__init__(f"command failed with exit code {returncode}: {' '.join(cmd)}")
        self.cmd = list(cmd)
        self.returncode = returncode
        self.output = output
