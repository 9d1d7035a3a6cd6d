"""``sprintlock dev``: the contributor's ``.venv`` (dev lock + project, editable) and git hooks.

The one command behind both ``nox -s dev`` and ``.devcontainer/bootstrap.sh``, so the
devcontainer and a local checkout get the same environment from the same locks.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sprintlock._core.errors import ProgramNotFound, SprintlockError
from sprintlock._core.process import Runner, run
from sprintlock._core.tools import venv_scripts
from sprintlock._env.sync import SyncResult, sync
from sprintlock._project.config import Project
from sprintlock._project.layout import PRE_COMMIT_CONFIG

VENV = ".venv"
LAYER = "dev"


@dataclass(frozen=True)
class DevResult:
    venv: Path
    created: bool
    sync: SyncResult
    #: Whether ``pre-commit install`` ran (no ``.pre-commit-config.yaml`` or no git: not run).
    hooks: bool
    #: Why the hooks were not installed, when they were not.
    note: str | None = None


def make_dev_venv(project: Project, *, python: str | None = None, runner: Runner = run) -> DevResult:
    """Create ``.venv`` if missing, sync it to the dev lock (project editable), install git hooks."""
    root = project.root
    venv = root / VENV
    created = False
    if not venv.is_dir():
        interpreter = python or sys.executable
        try:
            result = runner([interpreter, "-m", "venv", "--without-pip", str(venv)], cwd=root)
        except ProgramNotFound:
            raise SprintlockError(
                f"could not create {VENV}: no Python at {interpreter!r}", hint="pass --python PATH to an interpreter"
            ) from None
        if result.returncode != 0:
            raise SprintlockError(
                f"could not create {VENV}: {(result.stderr or result.stdout).strip()}",
                hint="install the venv module for this Python (e.g. apt install python3-venv)",
            )
        created = True
    synced = sync(project, LAYER, venv, editable=True, runner=runner)
    if not (root / PRE_COMMIT_CONFIG).is_file():
        return DevResult(venv, created, synced, False, f"no {PRE_COMMIT_CONFIG}: no git hooks to install")
    if not (root / ".git").exists():
        return DevResult(venv, created, synced, False, "not a git checkout: git hooks not installed")
    pre_commit = venv_scripts(venv) / "pre-commit"
    if not pre_commit.exists():
        raise SprintlockError(
            f"pre-commit is not in the {LAYER} lock, so the git hooks cannot be installed",
            where=f"{project.config.requirements}/{LAYER}.in",
            hint="add pre-commit to it and run `sprintlock lock`",
        )
    result = runner([str(pre_commit), "install"], cwd=root)
    if result.returncode != 0:
        raise SprintlockError(f"pre-commit install failed: {(result.stderr or result.stdout).strip()}")
    return DevResult(venv, created, synced, True)
