"""One sync request and its stamp check: the hot path of every reused environment.

A session that reuses its environment asks only this: does the environment's stamp say
it holds exactly this lock and this project? Answering reads the lock's text, the stamp
and the ``stat`` of the files the stamp lists, and imports neither ``packaging`` nor the
installers nor the file lock (a read-only check needs no lock: a sync writes its stamp
last). :func:`sprintlock._env.sync.sync` asks the same question first, and again under
the environment's lock before it changes anything.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sprintlock._core.errors import SyncError, location
from sprintlock._core.files import read_text
from sprintlock._core.process import Runner, run
from sprintlock._core.tools import venv_python
from sprintlock._env.stamp import Stamp, is_current, project_record, read_stamp, request_key
from sprintlock._lock.names import pylock_path
from sprintlock._project.config import FormatName, Project

#: The environment's lock file: one sync at a time.
LOCK_NAME = ".sprintlock.lock"


@dataclass(frozen=True)
class SyncRequest:
    """One sync: the environment, the lock and how to install them."""

    project: Project
    layer: str
    venv: Path
    install_project: bool = True
    editable: bool = False
    runner: Runner = run
    installer: str | None = None
    #: Which file of the layer is installed: ``NAME.txt`` or ``pylock.NAME.toml``.
    format: FormatName = "requirements"

    @property
    def lock_path(self) -> Path:
        if self.format == "pylock":
            return pylock_path(self.project, self.layer)
        return self.project.requirements_dir / f"{self.layer}.txt"

    @property
    def where(self) -> str:
        return location(self.lock_path, root=self.project.root)

    def record(self) -> str:
        return project_record(self.project.root, install=self.install_project, editable=self.editable)


@dataclass(frozen=True)
class StampState:
    """What the stamp check read: enough to go on syncing when the stamp does not match."""

    lock_text: str
    stamp: Stamp | None
    key: str
    record: str

    @property
    def current(self) -> bool:
        return is_current(self.stamp, self.key)


def stamp_state(request: SyncRequest) -> StampState:
    """The lock's text, the environment's stamp and the key this request would stamp."""
    lock_text = read_lock_text(request)
    record = request.record()
    key = request_key(lock_text, request.layer, request.venv, record)
    return StampState(lock_text, read_stamp(request.venv), key, record)


def read_lock_text(request: SyncRequest) -> str:
    """The lock's text; a missing lock is a :class:`SyncError`, an unreadable one an input error."""
    layer = request.layer
    text = read_text(request.lock_path, root=request.project.root, hint=f"regenerate it with `sprintlock lock {layer}`")
    if text is None:
        raise SyncError(
            f"no lock for layer {layer!r}", where=request.where, hint=f"create it with `sprintlock lock {layer}`"
        )
    return text


def check_venv(venv: Path) -> Path:
    """The interpreter of ``venv``, which must be a virtual environment other than sprintlock's own."""
    python = venv_python(venv)
    shown = python.relative_to(venv).as_posix()
    if python.is_symlink() and not python.exists():
        raise SyncError(
            f"the interpreter of {venv} does not run: {shown} points to {python.readlink()}, which does not exist",
            hint="the Python it was made with is gone: delete the environment and create it again",
        )
    if not python.exists():
        raise SyncError(
            f"{venv} is not a virtual environment (no {shown})",
            hint="create it first (`uv venv` or `virtualenv`), or let nox create it",
        )
    if not (venv / "pyvenv.cfg").is_file():
        raise SyncError(
            f"{venv} is not a virtual environment (no pyvenv.cfg): sprintlock syncs only virtual "
            "environments, never a Python installation (it would uninstall that Python's packages)",
            hint="create a virtual environment (`uv venv DIR` or `python -m venv DIR`) and sync that",
        )
    if Path(sys.prefix).resolve() == venv.resolve():
        raise SyncError(
            f"sprintlock runs inside {venv}, the environment it would sync (and empty of itself)",
            hint="run sprintlock from another environment (`uvx sprintlock`, pipx, or nox's/tox's own)",
        )
    return python
