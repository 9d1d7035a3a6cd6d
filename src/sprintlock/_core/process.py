"""The one subprocess helper: argument lists, captured output, typed failures."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sprintlock._core.children import tracked
from sprintlock._core.errors import CommandFailed, ProgramNotFound

logger = logging.getLogger("sprintlock")

#: What to install when a program is missing, by its name (without ``.exe``).
INSTALL_HINTS = {
    "git": "install git (https://git-scm.com/downloads) and make sure it is on PATH",
    "gh": "install the GitHub CLI, gh (https://cli.github.com), or run this on GitHub Actions, where gh is installed",
    "uv": "install uv next to sprintlock (`pip install uv`), or put it on PATH",
}


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


class Runner(Protocol):
    """Runs one command; tests may inject their own to patch a single seam."""

    def __call__(
        self,
        cmd: Sequence[str],
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Result: ...


def run(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Result:
    """Run ``cmd``; return its result whatever the exit code (callers decide).

    Raises :class:`ProgramNotFound` (a user error naming what to install) when the
    program does not exist.
    """
    logger.debug("running %s (in %s)", " ".join(cmd), cwd or Path.cwd())
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    try:
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        if cwd is not None and not Path(cwd).is_dir():  # the folder is missing, not the program: a bug
            raise CommandFailed(cmd, 127, str(exc)) from exc
        raise ProgramNotFound(cmd, hint=_install_hint(cmd[0])) from None
    with proc, tracked(proc):  # an interruption stops it (see _core/children.py)
        try:
            stdout, stderr = proc.communicate()
        except BaseException:
            proc.kill()
            raise
    return Result(proc.returncode, stdout, stderr)


def _install_hint(program: str) -> str:
    if Path(program).name != program:  # a path, not a name looked up on PATH
        return "check the path: the program (or the environment holding it) may have been removed"
    name = program.removesuffix(".exe")
    return INSTALL_HINTS.get(name, f"install {name}, or put it on PATH")


def run_checked(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    runner: Runner = run,
) -> Result:
    """Run ``cmd`` and raise :class:`CommandFailed` on a non-zero exit."""
    result = runner(cmd, cwd=cwd, env=env)
    if result.returncode != 0:
        raise CommandFailed(cmd, result.returncode, result.stdout + result.stderr)
    return result


def tail(output: str, lines: int = 20) -> str:
    """The last ``lines`` non-blank lines of a tool's output, indented, to show in an error."""
    kept = [line for line in output.strip().splitlines() if line.strip()][-lines:]
    return "\n".join(f"  {line}" for line in kept)
