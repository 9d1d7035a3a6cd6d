"""Sync an environment to a lock: exactly its pins plus the project, hash-checked, stamped.

Decisions:

- **Identity.** After a sync the environment's distributions are the lock's pins whose
  marker holds *in that environment's interpreter* (asked for its marker environment),
  plus the project installed with ``--no-deps`` (editable if asked). Everything else
  is uninstalled, including the installer seeds (pip, setuptools, wheel) that
  ``virtualenv`` puts in: an environment made by ``uv venv`` and one made by
  ``virtualenv`` end up identical. A session that needs pip must lock it.
- **Installer.** uv (a dependency of sprintlock, so normally present), else the pip
  that runs sprintlock, driving the environment from outside with ``pip --python``.
  Neither needs anything inside the environment. Locked pins always install with
  ``--require-hashes --no-deps``; a lock without hashes is refused. The project is a
  local folder, so it (and its build backend) is the one thing not hash-checked.
- **Reuse.** A successful sync writes a stamp (see :mod:`sprintlock._stamp`). When the
  request (lock bytes, layer, project mode, interpreter) and the installed set still
  match it, :func:`sync` returns ``skipped=True`` having run no subprocess at all.
  Otherwise only the difference is applied: extra distributions are uninstalled,
  missing or wrong versions installed, and the project reinstalled when its files (or
  install mode) changed.
- **Coverage.** A lock whose header does not cover the interpreter's ``X.Y`` or the
  platform is refused before anything is touched. After installing, ``uv pip check``
  (``pip check``) must pass.
- **Concurrency.** Everything happens under an exclusive lock on
  ``VENV/.sprintlock.lock``: a second sync waits, then finds the stamp and skips.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from sprintlock._core.errors import CommandFailed, ProgramNotFound, location
from sprintlock._core.errors import SyncError as SyncError  # re-exported: its home before errors.py
from sprintlock._core.filelock import exclusive
from sprintlock._core.process import Runner, run, run_checked, tail
from sprintlock._core.tools import venv_python as venv_python  # re-exported: tests import it from here
from sprintlock._env.installers import Installer, get_installer
from sprintlock._env.stamp import (
    Stamp,
    env_fingerprint,
    is_current,
    project_record,
    read_stamp,
    remove_stamp,
    request_key,
    write_stamp,
)
from sprintlock._lock.lockfile import Lock, LockFormatError, Pin, parse_lock
from sprintlock._project.config import Project
from sprintlock._project.targets import SYS_PLATFORM

LOCK_NAME = ".sprintlock.lock"
_PLATFORM_OF = {value: key for key, value in SYS_PLATFORM.items()}

#: Run in the environment's interpreter: its marker environment (as ``packaging``
#: computes it) and its site-packages folders. Standard library only.
_PROBE = r"""
import json, os, platform, sys, sysconfig
def fmt(info):
    text = "%d.%d.%d" % tuple(info[:3])
    if info.releaselevel != "final":
        text += info.releaselevel[0] + str(info.serial)
    return text
paths = sysconfig.get_paths()
print(json.dumps({
    "markers": {
        "implementation_name": sys.implementation.name,
        "implementation_version": fmt(sys.implementation.version),
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    },
    "site_dirs": sorted({paths["purelib"], paths["platlib"]}),
}))
"""


@dataclass(frozen=True)
class SyncResult:
    """What :func:`sync` did to an environment."""

    #: The stamp matched and the environment was untouched: no install command ran.
    skipped: bool
    #: ``"name==version"`` installed or changed (the project too when reinstalled).
    installed: tuple[str, ...] = ()
    #: ``"name==version"`` uninstalled.
    removed: tuple[str, ...] = ()

    def changes(self, most: int = 8) -> str:
        """``+a==1 -b==2`` for a few changes, counts for many (a first build installs everything)."""
        items = [*(f"+{item}" for item in self.installed), *(f"-{item}" for item in self.removed)]
        if len(items) > most:
            return f"{len(self.installed)} installed, {len(self.removed)} removed"
        return " ".join(items) or "no changes"


@dataclass(frozen=True)
class _Interpreter:
    markers: dict[str, str]
    site_dirs: tuple[str, ...]

    @property
    def version(self) -> str:
        return self.markers["python_version"]

    @property
    def platform(self) -> str:
        return _PLATFORM_OF.get(self.markers["sys_platform"], self.markers["sys_platform"])


@dataclass(frozen=True)
class _Request:
    """One :func:`sync` call: the environment, the lock and how to install them."""

    project: Project
    layer: str
    venv: Path
    install_project: bool = True
    editable: bool = False
    runner: Runner = run
    installer: str | None = None

    @property
    def lock_path(self) -> Path:
        return self.project.requirements_dir / f"{self.layer}.txt"

    @property
    def where(self) -> str:
        return location(self.lock_path, root=self.project.root)

    def record(self) -> str:
        return project_record(self.project.root, install=self.install_project, editable=self.editable)


def sync(
    project: Project,
    layer: str,
    venv: Path,
    *,
    install_project: bool = True,
    editable: bool = False,
    runner: Runner = run,
    installer: str | None = None,
) -> SyncResult:
    """Make the environment at ``venv`` hold exactly ``requirements/LAYER.txt`` plus the project.

    ``installer`` forces ``"uv"`` or ``"pip"`` (default: uv when available). Raises
    :class:`SyncError` (a :class:`SprintlockError`) when the lock is missing, does not
    cover the environment's interpreter or platform, or cannot be installed.
    """
    request = _Request(project, layer, Path(venv).absolute(), install_project, editable, runner, installer)
    python = _check_venv(request.venv)
    record = request.record()
    with exclusive(request.venv / LOCK_NAME):
        lock_text = _read_lock_text(request.lock_path, layer, request.where)
        stamp = read_stamp(request.venv)
        if is_current(stamp, request_key(lock_text, layer, request.venv, record)):
            return SyncResult(skipped=True)
        return _sync(request, python, lock_text, stamp, record)


def _check_venv(venv: Path) -> Path:
    """The interpreter of ``venv``, which must be a virtual environment other than sprintlock's own."""
    python = venv_python(venv)
    if not python.exists():
        raise SyncError(
            f"{venv} is not a virtual environment (no {python.relative_to(venv).as_posix()})",
            hint="create it first (`uv venv` or `virtualenv`), or let nox create it",
        )
    if Path(sys.prefix).resolve() == venv.resolve():
        raise SyncError(
            f"sprintlock runs inside {venv}, the environment it would sync (and empty of itself)",
            hint="run sprintlock from another environment (`uvx sprintlock`, pipx, or nox's/tox's own)",
        )
    return python


def _sync(request: _Request, python: Path, lock_text: str, stamp: Stamp | None, record: str) -> SyncResult:
    """Apply the difference between the environment and the lock, then stamp it (the lock is held)."""
    layer, where = request.layer, request.where
    lock = _parse(lock_text, layer, where)
    interpreter = _probe(python, request.runner)
    _check_coverage(lock, interpreter, layer, where)
    wanted = _applicable(lock, interpreter, where)
    project_name = _project_name(request.project) if request.install_project else None
    if project_name is not None:
        wanted.pop(project_name, None)
    remove_stamp(request.venv)
    steps = _Steps(get_installer(python, request.installer), request.runner, where)
    before = _installed(interpreter.site_dirs)
    reinstall = project_name is not None and (project_name not in before or stamp is None or stamp.project != record)
    steps.apply(before, wanted, project_name)
    if reinstall:
        steps.run(
            steps.tool.install_project(request.project.root, editable=request.editable),
            "installing the project",
            _PROJECT_BROKEN,
        )
        # A build may write into the tree (a generated _version.py): stamp the tree as built.
        record = request.record()
    steps.check(layer)
    after = _installed(interpreter.site_dirs)
    key = request_key(lock_text, layer, request.venv, record)
    write_stamp(request.venv, Stamp(key, record, interpreter.site_dirs, env_fingerprint(interpreter.site_dirs)))
    installed = {f"{n}=={v}" for n, v in after.items() if before.get(n) != v}
    if reinstall and project_name in after:
        installed.add(f"{project_name}=={after[project_name]}")
    removed = {f"{n}=={v}" for n, v in before.items() if after.get(n) != v}
    return SyncResult(skipped=False, installed=tuple(sorted(installed)), removed=tuple(sorted(removed)))


def _read_lock_text(lock_path: Path, layer: str, where: str) -> str:
    try:
        return lock_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SyncError(
            f"no lock for layer {layer!r}", where=where, hint=f"create it with `sprintlock lock {layer}`"
        ) from None


def _parse(text: str, layer: str, where: str) -> Lock:
    try:
        lock = parse_lock(text, layer)
    except LockFormatError as exc:
        raise SyncError(
            str(exc),
            where=f"{where}:{exc.line}" if exc.line else where,
            hint=f"locks are generated: regenerate it with `sprintlock lock {layer}`",
        ) from None
    if lock is None:
        raise SyncError(
            "not a sprintlock lock (no sprintlock header)",
            where=where,
            hint=f"regenerate it with `sprintlock lock {layer}`",
        )
    if not lock.header.hashes:
        raise SyncError(
            "the lock has no hashes, and environments are always installed hash-checked",
            where=where,
            hint=f"remove `hashes = false` from [tool.sprintlock], then run `sprintlock lock {layer}`",
        )
    return lock


def _probe(python: Path, runner: Runner) -> _Interpreter:
    result = run_checked([str(python), "-c", _PROBE], runner=runner)
    data = json.loads(result.stdout)
    return _Interpreter({str(k): str(v) for k, v in data["markers"].items()}, tuple(data["site_dirs"]))


def _check_coverage(lock: Lock, interpreter: _Interpreter, layer: str, where: str) -> None:
    covers = lock.header.covers
    if interpreter.version in covers.pythons and interpreter.platform in covers.platforms:
        return
    hints = []
    if interpreter.version not in covers.pythons:
        hints.append(
            f'add "{interpreter.version}" to `python` in [tool.sprintlock] (pyproject.toml), '
            f"then run `sprintlock lock {layer}`"
        )
    if interpreter.platform not in covers.platforms:
        hints.append(
            f'add "{interpreter.platform}" to `platforms` in [tool.sprintlock] and relock (pip-tools '
            f'must run on {interpreter.platform} for that; resolver = "uv" covers every platform)'
        )
    raise SyncError(
        f"the lock does not cover Python {interpreter.version} on {interpreter.platform}: "
        f"it covers {covers.describe()}",
        where=where,
        hint="; ".join(hints) + ", or run this session on a covered Python",
    )


def _applicable(lock: Lock, interpreter: _Interpreter, where: str) -> dict[str, Pin]:
    """The pins whose marker holds in the environment's interpreter, by name."""
    environment = {**interpreter.markers, "extra": ""}
    wanted: dict[str, Pin] = {}
    for pin in lock.pins:
        if pin.marker is not None:
            try:
                applies = Marker(pin.marker).evaluate(environment)
            except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName) as exc:
                raise SyncError(f"{pin.name}: cannot evaluate marker {pin.marker!r}: {exc}", where=where) from None
            if not applies:
                continue
        if pin.name in wanted and wanted[pin.name].version != pin.version:
            raise SyncError(
                f"{pin.name} is pinned to both {wanted[pin.name].version} and {pin.version} "
                f"for Python {interpreter.version} on {interpreter.platform}",
                where=where,
                hint="regenerate the lock with `sprintlock lock`",
            )
        wanted.setdefault(pin.name, pin)
    return wanted


def _project_name(project: Project) -> str:
    if not project.name:
        raise SyncError(
            "the project has no name, so it cannot be installed",
            where=location(project.pyproject, root=project.root),
            hint="add [project] name to pyproject.toml, or sync without the project (--no-project)",
        )
    return canonicalize_name(project.name)


def _installed(site_dirs: tuple[str, ...]) -> dict[str, str]:
    """Installed distributions (normalised name -> version), read in process."""
    found: dict[str, str] = {}
    for dist in metadata.distributions(path=list(site_dirs)):
        name = dist.metadata["Name"]
        if name:
            found.setdefault(canonicalize_name(name), dist.version)
    return found


def _same_version(installed: str | None, pinned: str) -> bool:
    if installed is None:
        return False
    try:
        return Version(installed) == Version(pinned)
    except InvalidVersion:
        return installed == pinned


_PROJECT_BROKEN = "the project itself does not build or install; fix it, or sync without it (--no-project)"
_RELOCK = "if the lock was edited by hand or the index changed, regenerate it with `sprintlock lock`"


@dataclass(frozen=True)
class _Steps:
    """The installer's commands on one environment, failing as :class:`SyncError` naming the lock."""

    tool: Installer
    runner: Runner
    where: str

    def run(self, cmd: list[str], what: str, hint: str = _RELOCK) -> None:
        try:
            run_checked(cmd, runner=self.runner)
        except ProgramNotFound:
            raise  # says what to install; the lock is not at fault
        except CommandFailed as exc:
            raise SyncError(
                f"{what} with {self.tool.name} failed:\n{tail(exc.output)}", where=self.where, hint=hint
            ) from None

    def apply(self, before: dict[str, str], wanted: dict[str, Pin], project_name: str | None) -> None:
        """Uninstall what the lock does not list, then install what is missing or different."""
        extra = sorted(name for name in before if name not in wanted and name != project_name)
        if extra:
            self.run(self.tool.uninstall(extra), "removing unlocked packages")
        missing = [pin for name, pin in sorted(wanted.items()) if not _same_version(before.get(name), pin.version)]
        if not missing:
            return
        with tempfile.TemporaryDirectory(prefix="sprintlock-sync-") as folder:
            requirements = Path(folder, "requirements.txt")
            lines = [" ".join([f"{pin.name}=={pin.version}", *(f"--hash={h}" for h in pin.hashes)]) for pin in missing]
            requirements.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            self.run(self.tool.install_locked(requirements), "installing the lock")

    def check(self, layer: str) -> None:
        result = self.runner(self.tool.check())
        if result.returncode != 0:
            raise SyncError(
                f"the environment is missing dependencies after installing the lock:\n"
                f"{tail(result.stdout + result.stderr)}",
                where=self.where,
                hint=f"the lock does not pin everything its packages need here; run `sprintlock lock {layer}` "
                "(and add the project's runtime dependencies to [project] dependencies)",
            )
