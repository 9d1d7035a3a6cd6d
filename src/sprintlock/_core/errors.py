"""The exception hierarchy; the command line maps it to exit codes in one place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sprintlock._core.redact import redact


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
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return redact(f"{text}\n  hint: {self.hint}" if self.hint else text)


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


class SyncError(SprintlockError):
    """An environment cannot be synced to its lock (missing, uncovered or broken lock)."""


class UpgradePRError(SprintlockError):
    """The upgrade cannot be proposed: the tree is not ready (staged changes, conflict
    markers, no report, not a git repository) or git or gh failed."""


class CommandFailed(Exception):
    """A subprocess failed in a way sprintlock did not expect (a bug, exit 3).

    Callers that expect a tool to fail catch it and raise a :class:`SprintlockError`
    that shows the tool's output.
    """

    def __init__(self, cmd: Sequence[str], returncode: int, output: str) -> None:
        super().__init__(f"command failed with exit code {returncode}: {' '.join(cmd)}")
        self.cmd = list(cmd)
        self.returncode = returncode
        self.output = output


class ProgramNotFound(ToolMissingError, CommandFailed):
    """The program a command runs is not installed, or not on ``PATH`` (exit 2, with what to install).

    Also a :class:`CommandFailed` with exit code 127 (as a shell reports it), so that a
    caller which treats "the command failed" and "there is no such command" alike (as
    ``git ls-remote``, which only asks whether tags can be listed) catches both.
    """

    def __init__(self, cmd: Sequence[str], *, hint: str | None = None) -> None:
        program = cmd[0]
        if "/" in program or "\\" in program:
            message = f"{program} does not exist (or cannot be run)"
        else:
            message = f"{program} is not installed (or not on PATH)"
        # Both bases have their own __init__: set what each one provides by hand.
        Exception.__init__(self, message)
        self.message, self.where, self.hint = message, None, hint
        self.cmd, self.returncode, self.output = list(cmd), 127, message


class ParseError(ValueError):
    """Text in a format sprintlock reads that does not parse; ``line`` (1-based) when known.

    Internal: each reader's caller turns it into a user error naming the file, or a finding.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class LockFormatError(ParseError):
    """Text that is not a lock (or resolver output) sprintlock can read."""


class JsoncError(ParseError):
    """A ``devcontainer.json`` that is not JSON with comments."""


class YamlError(ParseError):
    """A workflow or pre-commit config that is not YAML."""


class WriteError(SprintlockError):
    """Files cannot be written (a directory in the way, no permission, a full disk): exit 2.

    The message says what was and was not written (a failed commit is rolled back first).
    """


class Terminated(BaseException):
    """SIGTERM, raised in the main thread like Ctrl-C's :class:`KeyboardInterrupt`, so that
    ``finally`` blocks (staging folders, temporaries) run; the command line exits 143."""
