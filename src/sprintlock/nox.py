"""nox sessions whose environments are exactly the project's locks.

Use it in a noxfile whose PEP 723 header lists ``nox`` and ``sprintlock``::

    import nox
    import sprintlock.nox

    nox.options.reuse_venv = "yes"

    @nox.session(python=sprintlock.nox.pythons())
    def tests(session: nox.Session) -> None:
        sprintlock.nox.install(session, "tests")
        session.run("pytest", *session.posargs)

:func:`install` makes the session's environment hold exactly
``requirements/LAYER.txt`` (the pins that apply to the session's Python) plus the
project, installed without dependencies, all hash-checked. It does not go through
``session.install``, which ``nox -R`` and ``--no-install`` turn off: it always checks
the environment against its stamp, so a reused environment costs a few milliseconds
when nothing changed, is synced when the lock or the environment changed, and a
session never runs in an environment that no longer matches its lock. It works with
the ``uv`` and ``virtualenv`` backends alike; see :func:`sprintlock.sync`.
"""

from __future__ import annotations

import os
from pathlib import Path

from sprintlock._env import warm
from sprintlock._env.stampcheck import PYPROJECT, file_digest

TYPE_CHECKING = False  # the warm path loads neither typing nor the project's configuration (see _env/warm.py)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import nox

    from sprintlock._core.process import Result, Runner
    from sprintlock._env.request import SyncRequest
    from sprintlock._project.config import FormatName

__all__ = ["install", "pythons"]

#: nox backends whose environments are virtual environments sprintlock can sync.
_VENV_BACKENDS = ("uv", "virtualenv", "venv")


def install(
    session: nox.Session,
    layer: str,
    *,
    project: bool = True,
    editable: bool = False,
    root: str | os.PathLike[str] = ".",
    verify: bool = False,
    format: FormatName = "requirements",
) -> None:
    """Make the session's environment exactly ``requirements/LAYER.txt`` plus the project.

    Args:
        session: the running nox session (its environment must be a virtualenv).
        layer: the lock to install, ``requirements/LAYER.txt`` (or the configured folder).
        project: also install the project itself, without its dependencies.
        editable: install the project in editable mode.
        root: the project folder (default: the current one, which nox sets to the
            noxfile's folder).
        verify: re-hash every installed file, even when the stamp's quick (stat-level)
            check passes.
        format: ``"requirements"`` installs ``requirements/LAYER.txt``; ``"pylock"`` the
            same pins from ``requirements/pylock.LAYER.toml`` (PEP 751; written when
            ``formats = ["requirements", "pylock"]``).

    Fails the session with a clear message when the lock is missing, does not cover
    the session's Python or platform, or does not install (hash mismatch, missing
    dependency). Nothing is installed when the environment's stamp still matches.
    """
    location = getattr(session.virtualenv, "location", None) if session.venv_backend in _VENV_BACKENDS else None
    if not location:
        session.error(f"sprintlock.nox.install needs a virtual environment, not venv_backend={session.venv_backend!r}")
    venv = Path(location).absolute()
    call = warm.Call(Path(root), layer, venv, project=project, editable=editable, lock_format=format)
    if not verify and warm.current(call):  # the hot path of a reused environment
        session.log(f"sprintlock: environment matches the {layer} lock (stamp), nothing to install")
        return
    from sprintlock._core.errors import SprintlockError
    from sprintlock._env.request import SyncRequest, check_venv, stamp_state
    from sprintlock._lock.names import lock_spec
    from sprintlock._project.config import load_project

    pyproject = file_digest(Path(root, PYPROJECT))  # before it is read: the memo is of this text
    try:
        request = SyncRequest(load_project(Path(root)), layer, venv, project, editable, format=format)
        lock_spec(layer, format)  # an unknown format is an error even when the stamp matches
        check_venv(request.venv)
        if not verify and stamp_state(request).current:
            session.log(f"sprintlock: environment matches the {layer} lock (stamp), nothing to install")
            warm.remember(call, pyproject=pyproject, lock=request.lock_path)
            return
    except SprintlockError as exc:
        session.error(f"sprintlock: {exc}")
    _sync(session, request, verify=verify)
    warm.remember(call, pyproject=pyproject, lock=request.lock_path)


def _sync(session: nox.Session, request: SyncRequest, *, verify: bool) -> None:
    """Sync the session's environment (the stamp did not match), logging each command."""
    import logging

    from sprintlock._core.errors import SprintlockError
    from sprintlock._env.sync import sync
    from sprintlock._lock.names import lock_spec

    layer = request.layer
    # The session log shows each command once, as nox shows its own (see _logging_runner).
    library_logger = logging.getLogger("sprintlock")
    level = library_logger.level
    library_logger.setLevel(logging.INFO)
    try:
        result = sync(
            request.project,
            lock_spec(layer, request.format),
            request.venv,
            install_project=request.install_project,
            editable=request.editable,
            runner=_logging_runner(session),
            verify=verify,
        )
    except SprintlockError as exc:
        session.error(f"sprintlock: {exc}")
    finally:
        library_logger.setLevel(level)
    if result.skipped:
        how = "verified file by file" if result.verified else "stamp"
        session.log(f"sprintlock: environment matches the {layer} lock ({how}), nothing to install")
        return
    session.log(f"sprintlock: synced to the {layer} lock: {result.changes()}")


def pythons(root: str | os.PathLike[str] = ".") -> list[str]:
    """The project's target Pythons (``X.Y``), for ``@nox.session(python=...)``.

    From ``python`` in ``[tool.sprintlock]``, else the CPython versions that
    ``requires-python`` allows: the same list every lock is made for.
    """
    known = warm.pythons(Path(root))
    if known is not None:
        return known
    from sprintlock._project.config import load_project

    pyproject = file_digest(Path(root, PYPROJECT))  # before it is read: the memo is of this text
    found = list(load_project(Path(root)).config.targets.pythons)
    warm.remember_pythons(Path(root), found, pyproject=pyproject)
    return found


def _logging_runner(session: nox.Session) -> Runner:
    """The default runner, logging each command in the session's log like nox does."""
    from sprintlock._core.process import run

    def runner(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        args = list(cmd[1:]) if cmd[1:2] != ["-c"] else ["-c", "..."]
        session.log(" ".join([Path(cmd[0]).name, *map(_short, args)]))
        return run(cmd, cwd=cwd, env=env)

    return runner


def _short(arg: str) -> str:
    """A path under the current folder, relative to it (as nox shows ``.nox/NAME``)."""
    if not Path(arg).is_absolute():
        return arg
    try:
        return Path(arg).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return arg
