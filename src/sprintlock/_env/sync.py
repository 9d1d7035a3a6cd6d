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
- **Reuse.** A successful sync writes a stamp (see :mod:`sprintlock._env.stamp`). When the
  request (lock bytes, layer, project mode, interpreter) still matches it and the
  stat-level check of site-packages passes (no file added, removed, or changed in size
  or modification time: :mod:`sprintlock._env.contents`), :func:`sync` returns
  ``skipped=True`` having run no subprocess and hashed nothing.
- **Verification: what the stamp vouches for.** The lock pins *wheels* (their sha256);
  an environment holds *files*. Neither uv nor pip says which wheel it installed, and
  ``RECORD`` is written by the installer, so it can be rewritten along with the files.
  So the trust is anchored at install time: right after a hash-checked install, every
  file is hashed and compared with ``RECORD``, and the stamp records, per distribution,
  the sha256 of that ``RECORD`` and the lock's hashes for the pin. Later, a
  distribution is vouched for only when its ``RECORD`` is byte-for-byte the stamped one,
  every file it lists still hashes as ``RECORD`` says, and the lock still allows the
  wheels it was installed from (the stamped hashes are a subset of the pin's). Anything
  else is not trusted, whatever its version says: the same version reinstalled from
  other bytes changes a file (and so its ``RECORD`` or a hash), a deleted or edited file
  fails its hash. With no stamp (a new environment, or one synced by an older
  sprintlock) nothing present is vouched for.
- **Repair.** When the stat-level check fails, or ``verify=True``, or the request
  changed, the sync verifies every distribution as above (re-hashing every file), then:
  uninstalls what the lock does not list, installs what is missing or at another
  version, reinstalls (``--reinstall`` / ``--force-reinstall``, still ``--no-deps``
  and hash-checked) every locked distribution not vouched for, reinstalls the project
  when its files, its install mode or its installed files changed, and finally deletes
  every file and folder in site-packages that no installed distribution's ``RECORD``
  owns (a dropped ``.pth`` file, a package folder copied in, a file added inside a
  package), except ``__pycache__`` folders and the ``_virtualenv`` shim that
  environment creators put there. Deleting rather than reporting: the environment is
  the lock's, and a ``.pth`` file runs code in every interpreter started there. When
  the files of a fresh install do not hash as their ``RECORD`` says (an installer cache
  spoiled by another tool), that distribution is reinstalled once more bypassing the
  cache, and an error names it if that fails too. When verification finds nothing to
  change, the stamp is rewritten with the new file times and the result is
  ``skipped=True, verified=True``. uv copies files (``--link-mode copy``): a file
  hard-linked from its cache would make an edit in one environment an edit of the
  cache and of every environment sharing it.
- **Limits.** The stat-level check does not see an edit that keeps a file's size and
  puts its modification time back: ``verify=True`` (``sprintlock sync --verify``) does.
  ``__pycache__`` folders are not checked (Python rewrites them as it runs). The stamp
  lives in the environment: whoever can rewrite files there can rewrite it too.
- **Only virtual environments.** ``DIR/pyvenv.cfg`` must exist: a Python installation
  (a pyenv or self-built prefix) is refused before anything is touched, since syncing
  it would uninstall that interpreter's packages. An interpreter that does not run
  (a dangling link, not executable, failing) is a user error telling to recreate it.
- **Coverage.** A lock whose header does not cover the interpreter's ``X.Y`` or the
  platform is refused before anything is touched. After installing, ``uv pip check``
  (``pip check``) must pass.
- **Concurrency.** Everything happens under an exclusive lock on
  ``VENV/.sprintlock.lock``: a second sync waits, then finds the stamp and skips.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from sprintlock._core.children import wait_for, worker_pool
from sprintlock._core.errors import CommandFailed, ProgramNotFound, location
from sprintlock._core.errors import SyncError as SyncError  # re-exported: its home before errors.py
from sprintlock._core.filelock import exclusive
from sprintlock._core.process import Runner, run, run_checked, tail
from sprintlock._core.progress import begin, end, logger
from sprintlock._core.tools import venv_python as venv_python  # re-exported: tests import it from here
from sprintlock._env.contents import Dist, Hasher, find_strays, read_dists, take_manifest, unique_dirs
from sprintlock._env.installers import Installer, get_installer
from sprintlock._env.probes import cached_probe, probe_key, remember_probe
from sprintlock._env.request import LOCK_NAME as LOCK_NAME  # re-exported: its home before
from sprintlock._env.request import SyncRequest, check_venv, stamp_state
from sprintlock._env.stamp import (
    Installed,
    Stamp,
    env_fingerprint,
    is_current,
    request_key,
    write_stamp,
)
from sprintlock._lock.lockfile import Lock, LockFormatError, Pin, parse_lock
from sprintlock._lock.names import split_spec
from sprintlock._lock.pylock import PylockFile, lock_of, parse_pylock, subset
from sprintlock._project.config import Project
from sprintlock._project.targets import SYS_PLATFORM

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
    #: ``"name==version"`` reinstalled at the locked version because its files were not
    #: the ones installed from the lock (edited, deleted, or from other bytes); also in ``installed``.
    repaired: tuple[str, ...] = ()
    #: Files and folders no installed distribution owns, removed (relative to the environment).
    strays: tuple[str, ...] = ()
    #: Every installed file was hashed and checked (``verify=True``, or a cheap check that failed).
    verified: bool = False

    def changes(self, most: int = 8) -> str:
        """``+a==1 -b==2`` for a few changes, counts for many (a first build installs everything)."""
        items = [
            *(f"+{item}" for item in self.installed),
            *(f"-{item}" for item in self.removed),
            *(f"-{item}" for item in self.strays),
        ]
        if len(items) > most:
            return self.counts()
        return " ".join(items) or "no changes"

    def counts(self) -> str:
        """``3 installed, 1 removed`` (and repairs and stray files when there are any)."""
        text = f"{len(self.installed)} installed, {len(self.removed)} removed"
        if self.repaired:
            text += f", {len(self.repaired)} repaired"
        if self.strays:
            text += f", {len(self.strays)} stray {'file' if len(self.strays) == 1 else 'files'} removed"
        return text


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


def sync(
    project: Project,
    layer: str,
    venv: Path,
    *,
    install_project: bool = True,
    editable: bool = False,
    runner: Runner = run,
    installer: str | None = None,
    verify: bool = False,
) -> SyncResult:
    """Make the environment at ``venv`` hold exactly ``requirements/LAYER.txt`` plus the project.

    ``layer`` may also name the layer's PEP 751 file, ``"pylock.LAYER.toml"`` (written with
    ``formats = ["requirements", "pylock"]``): the same pins are then installed from it, each
    file fetched from the URL it records (:func:`sprintlock._lock.pylock.lock_spec` builds the name).
    ``installer`` forces ``"uv"`` or ``"pip"`` (default: uv when available);
    ``verify=True`` re-hashes every installed file even when the stamp's cheap check
    passes. Raises
    :class:`SyncError` (a :class:`SprintlockError`) when ``venv`` is not a working
    virtual environment, or the lock is missing, does not cover the environment's
    interpreter or platform, or cannot be installed.
    """
    layer, lock_format = split_spec(layer)
    request = SyncRequest(
        project, layer, Path(venv).absolute(), install_project, editable, runner, installer, lock_format
    )
    python = check_venv(request.venv)
    if not verify and stamp_state(request).current:
        return SyncResult(skipped=True)  # read only: no lock needed (a sync writes its stamp last)
    with exclusive(request.venv / LOCK_NAME):
        state = stamp_state(request)  # again: another sync may have finished meanwhile
        if not verify and state.current:
            return SyncResult(skipped=True)
        return _sync(request, python, state.lock_text, state.stamp, (state.key, state.record))


@dataclass(frozen=True)
class _Plan:
    """What a sync changes: found by comparing the environment with the lock and the stamp."""

    #: Installed distributions the lock does not list (nor the project).
    remove: tuple[str, ...]
    #: Pins missing, or installed at another version.
    install: tuple[Pin, ...]
    #: Pins installed at their version, but not with bytes the stamp vouches for.
    repair: tuple[Pin, ...]
    #: Whether the project is (re)installed.
    project: bool

    @property
    def empty(self) -> bool:
        return not (self.remove or self.install or self.repair or self.project)


def _sync(
    request: SyncRequest, python: Path, lock_text: str, stamp: Stamp | None, asked: tuple[str, str]
) -> SyncResult:
    """Verify the environment file by file, repair the difference, then stamp it (the lock is held).

    ``asked`` is the request key and the project record it was computed from.
    """
    layer, where, venv = request.layer, request.where, request.venv
    key, record = asked
    lock, pylock = (
        _parse_pylock(lock_text, layer, where)
        if request.format == "pylock"
        else (_parse(lock_text, layer, where), None)
    )
    interpreter = _probe(python, request.runner, venv)
    _check_coverage(lock, interpreter, layer, where)
    wanted = _applicable(lock, interpreter, where)
    project_name = _project_name(request.project) if request.install_project else None
    if project_name is not None:
        wanted.pop(project_name, None)
    hasher = Hasher()
    logger.info("checking %s file by file", venv.name, extra=begin("verify"))
    before = read_dists(venv, interpreter.site_dirs)
    plan = _plan(before, wanted, project_name, _Vouch(stamp, record, hasher))
    logger.info("checked %s file by file", venv.name, extra=end("verify"))
    if plan.empty and stamp is not None and stamp.key == key and not find_strays(interpreter.site_dirs, before):
        # Verified file by file and nothing differs: at most the file times were stale.
        if not is_current(stamp, key):
            write_stamp(venv, _stamp(key, record, interpreter, _Stamped(python, before, wanted, hasher)))
        return SyncResult(skipped=True, verified=True)
    # The old stamp stays until the new one replaces it: should this sync fail halfway,
    # its manifest no longer holds (files changed), and its entries still vouch only for
    # distributions whose RECORD and files are untouched.
    steps = _Steps(get_installer(python, request.installer), request.runner, where, pylock)
    steps.apply(plan)
    if plan.project:
        steps.run(
            steps.tool.install_project(request.project.root, editable=request.editable),
            "installing the project",
            _PROJECT_BROKEN,
        )
        # A build may write into the tree (a generated _version.py): stamp the tree as built.
        record = request.record()
        key = request_key(lock_text, layer, venv, record)
    # The installer's dependency check reads only the installed metadata: it runs while
    # every installed file is hashed against its RECORD (a package reinstalled meanwhile,
    # from a spoiled cache, is checked again). The stamp is written once both passed.
    with worker_pool(1) as pool:
        checking = pool.submit(steps.check, layer)
        after, reinstalled = steps.settle(venv, interpreter.site_dirs, wanted, hasher)
        strays = _remove_strays(venv, find_strays(interpreter.site_dirs, after))
        stamp = _stamp(key, record, interpreter, _Stamped(python, after, wanted, hasher))
        wait_for(checking)
    if reinstalled:
        steps.check(layer)
    write_stamp(venv, stamp)
    return _result(before, after, plan, project_name, strays)


def _result(
    before: dict[str, Dist], after: dict[str, Dist], plan: _Plan, project_name: str | None, strays: tuple[str, ...]
) -> SyncResult:
    old = {name: dist.version for name, dist in before.items()}
    new = {name: dist.version for name, dist in after.items()}
    repaired = {f"{pin.name}=={new[pin.name]}" for pin in plan.repair if pin.name in new}
    installed = {f"{n}=={v}" for n, v in new.items() if old.get(n) != v} | repaired
    if plan.project and project_name in new:
        installed.add(f"{project_name}=={new[project_name]}")
    removed = {f"{n}=={v}" for n, v in old.items() if new.get(n) != v}
    return SyncResult(
        skipped=False,
        installed=tuple(sorted(installed)),
        removed=tuple(sorted(removed)),
        repaired=tuple(sorted(repaired)),
        strays=strays,
    )


@dataclass(frozen=True)
class _Vouch:
    """Whether the previous stamp vouches for an installed distribution's bytes."""

    stamp: Stamp | None
    record: str
    hasher: Hasher

    def __call__(self, dist: Dist, hashes: Sequence[str]) -> bool:
        """Installed by a sync from a wheel with one of ``hashes``, and every file unchanged since.

        The stamp's entry names the ``RECORD`` (by its sha256) that held when the files
        were checked after that hash-checked install; the files still hold it.
        """
        entry = self.stamp.installed(dist.name) if self.stamp is not None else None
        if entry is None or not dist.record:
            return False
        if (entry.version, entry.info, entry.record) != (dist.version, dist.info, dist.record):
            return False
        if not set(entry.wheels) <= set(hashes):
            return False  # the lock now allows other wheels than the one installed may have been
        return self.hasher.holds_record(dist) and self.hasher.unhashed(dist) == dict(entry.unhashed)


def _plan(before: dict[str, Dist], wanted: dict[str, Pin], project_name: str | None, vouch: _Vouch) -> _Plan:
    remove = tuple(sorted(name for name in before if name not in wanted and name != project_name))
    install: list[Pin] = []
    repair: list[Pin] = []
    for name, pin in sorted(wanted.items()):
        dist = before.get(name)
        if dist is None or not _same_version(dist.version, pin.version):
            install.append(pin)
        elif not vouch(dist, pin.hashes):
            repair.append(pin)
    project = project_name is not None and (
        project_name not in before
        or vouch.stamp is None
        or vouch.stamp.project != vouch.record
        or not vouch(before[project_name], ())
    )
    return _Plan(remove, tuple(install), tuple(repair), project)


@dataclass(frozen=True)
class _Stamped:
    """What the new stamp records: the environment's distributions, as verified."""

    python: Path
    dists: dict[str, Dist]
    wanted: dict[str, Pin]
    hasher: Hasher


def _stamp(key: str, record: str, interpreter: _Interpreter, stamped: _Stamped) -> Stamp:
    site_dirs = unique_dirs(interpreter.site_dirs)
    dists = tuple(
        Installed(
            name=dist.name,
            version=dist.version,
            info=dist.info,
            record=dist.record,
            wheels=tuple(stamped.wanted[name].hashes) if name in stamped.wanted else (),
            unhashed=tuple(sorted(stamped.hasher.unhashed(dist).items())),
        )
        for name, dist in sorted(stamped.dists.items())
    )
    inside = tuple(site + os.sep for site in site_dirs)
    outside = [row.path for dist in stamped.dists.values() for row in dist.rows if not row.path.startswith(inside)]
    manifest = take_manifest(site_dirs, [*outside, str(stamped.python)])
    return Stamp(
        key, record, interpreter.site_dirs, env_fingerprint(interpreter.site_dirs), dists=dists, manifest=manifest
    )


def _remove_strays(venv: Path, paths: list[str]) -> tuple[str, ...]:
    """Delete what no installed distribution owns; the paths removed, relative to ``venv``."""
    for path in paths:
        target = Path(path)
        try:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
        except OSError as exc:
            raise SyncError(
                f"cannot remove {path}, which no locked distribution owns: {exc.strerror}",
                hint="remove it by hand, or delete the environment and let it be created again",
            ) from None
    return tuple(_relative(Path(path), venv) for path in paths)


def _relative(path: Path, venv: Path) -> str:
    return path.relative_to(venv).as_posix() if path.is_relative_to(venv) else path.as_posix()


def _parse(text: str, layer: str, where: str) -> Lock:
    try:
        lock = parse_lock(text, layer)  # a bad line is named by its line in the file
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


def _parse_pylock(text: str, layer: str, where: str) -> tuple[Lock, PylockFile]:
    """A pylock file written by sprintlock, and its pins (the targets it covers come with it)."""
    hint = f"pylock files are generated: regenerate it with `sprintlock lock {layer}`"
    try:
        pylock = parse_pylock(text)
    except ValueError as exc:
        raise SyncError(str(exc), where=where, hint=hint) from None
    if not pylock.tool:
        raise SyncError("not written by sprintlock (no [tool.sprintlock] table)", where=where, hint=hint)
    return lock_of(pylock, layer), pylock


_RECREATE = "delete the environment and create it again (nox and tox recreate a deleted one)"


def _probe(python: Path, runner: Runner, venv: Path) -> _Interpreter:
    """The interpreter's marker environment and site folders, remembered per base interpreter
    (:mod:`sprintlock._env.probes`): asked at most once for every environment made from it."""
    key = probe_key(python, venv, _PROBE)
    cached = cached_probe(key, venv) if key is not None else None
    if cached is not None:
        return _Interpreter(*cached)
    interpreter = _ask(python, runner, venv)
    if key is not None:
        remember_probe(key, venv, interpreter.markers, interpreter.site_dirs)
    return interpreter


def _ask(python: Path, runner: Runner, venv: Path) -> _Interpreter:
    """Ask the interpreter (one start); a :class:`SyncError` when it does not run."""
    try:
        result = runner([str(python), "-c", _PROBE])
    except (ProgramNotFound, OSError) as exc:
        raise SyncError(f"the interpreter of {venv} does not run: {exc}", hint=_RECREATE) from None
    if result.returncode != 0:
        raise SyncError(
            f"the interpreter of {venv} does not run: {python} exited with code {result.returncode}"
            + (f":\n{tail(result.stdout + result.stderr)}" if (result.stdout + result.stderr).strip() else ""),
            hint=_RECREATE,
        )
    try:
        data = json.loads(result.stdout)
        return _Interpreter({str(k): str(v) for k, v in data["markers"].items()}, tuple(data["site_dirs"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SyncError(
            f"the interpreter of {venv} does not answer like a Python: {python} printed {tail(result.stdout)!r}",
            hint=_RECREATE,
        ) from None


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
    #: Installing from a pylock file: each install step installs a pylock file of its pins.
    pylock: PylockFile | None = None

    def run(self, cmd: list[str], what: str, hint: str = _RELOCK) -> None:
        try:
            logger.info("%s with %s", what, self.tool.name, extra=begin(what))
            run_checked(cmd, runner=self.runner)
            logger.info("%s with %s: done", what, self.tool.name, extra=end(what))
        except ProgramNotFound:
            raise  # says what to install; the lock is not at fault
        except CommandFailed as exc:
            raise SyncError(
                f"{what} with {self.tool.name} failed:\n{tail(exc.output)}", where=self.where, hint=hint
            ) from None

    def apply(self, plan: _Plan) -> None:
        """Uninstall what the lock does not list, install what is missing, reinstall what is not vouched for."""
        if plan.remove:
            self.run(self.tool.uninstall(plan.remove), "removing unlocked packages")
        if plan.install:
            self.install(plan.install)
        if plan.repair:
            self.install(plan.repair, reinstall=True)

    def install(self, pins: Sequence[Pin], *, reinstall: bool = False, fresh: bool = False) -> None:
        with tempfile.TemporaryDirectory(prefix="sprintlock-sync-") as folder:
            if self.pylock is not None:
                requirements = Path(folder, "pylock.sync.toml")
                text = subset(self.pylock, [(pin.name, pin.version) for pin in pins])
            else:
                requirements = Path(folder, "requirements.txt")
                lines = [" ".join([f"{pin.name}=={pin.version}", *(f"--hash={h}" for h in pin.hashes)]) for pin in pins]
                text = "".join(line + "\n" for line in lines)
            requirements.write_text(text, encoding="utf-8")
            command = self.tool.install_locked(requirements, reinstall=reinstall, fresh=fresh)
            self.run(command, "repairing the lock's packages" if reinstall else "installing the lock")

    def settle(
        self, venv: Path, site_dirs: tuple[str, ...], wanted: dict[str, Pin], hasher: Hasher
    ) -> tuple[dict[str, Dist], bool]:
        """The distributions after installing, each holding the bytes its ``RECORD`` lists,
        and whether some had to be reinstalled.

        A locked distribution whose files differ right after its hash-checked install came
        from a spoiled installer cache: it is reinstalled once more, bypassing the cache.
        """

        def unsettled() -> tuple[dict[str, Dist], list[str]]:
            dists = read_dists(venv, site_dirs)
            return dists, sorted(name for name, dist in dists.items() if not hasher.holds_record(dist))

        after, wrong = unsettled()
        spoiled = [wanted[name] for name in wrong if name in wanted]
        if spoiled:
            self.install(spoiled, reinstall=True, fresh=True)
            after, wrong = unsettled()
        if wrong:
            raise SyncError(
                f"after installing, the files of {', '.join(wrong)} do not match their RECORD",
                where=self.where,
                hint="something else writes into the environment while it is synced, or the package's wheel is "
                "broken; delete the environment and sync again",
            )
        return after, bool(spoiled)

    def check(self, layer: str) -> None:
        logger.info("checking dependencies with %s", self.tool.name, extra=begin("check"))
        result = self.runner(self.tool.check())
        logger.info("checked dependencies with %s", self.tool.name, extra=end("check"))
        if result.returncode != 0:
            raise SyncError(
                f"the environment is missing dependencies after installing the lock:\n"
                f"{tail(result.stdout + result.stderr)}",
                where=self.where,
                hint=f"the lock does not pin everything its packages need here; run `sprintlock lock {layer}` "
                "(and add the project's runtime dependencies to [project] dependencies)",
            )
