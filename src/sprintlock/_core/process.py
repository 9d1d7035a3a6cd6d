"""The one subprocess helper: argument lists, captured output, typed failures."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sprintlock._core.errors import CommandFailed

logger = logging.getLogger("sprintlock")


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
    """Run ``cmd``; return its result whatever the exit code (callers decide)."""
    logger.debug("running %s (in %s)", " ".join(cmd), cwd or Path.cwd())
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    try:
        proc = subprocess.run(
            list(cmd),
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise CommandFailed(cmd, 127, str(exc)) from exc
    return Result(proc.returncode, proc.stdout, proc.stderr)


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
