"""Upgrade: relock with newer versions (all, or named packages) and report the changes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from packaging.utils import canonicalize_name

from sprintlock._core.errors import InputError, location
from sprintlock._core.process import Runner, run
from sprintlock._lock.cooldown import with_held_back
from sprintlock._lock.engine import LockOutcome, PreparedLocks, compile_locks, lock
from sprintlock._lock.layers import discover
from sprintlock._lock.report import ChangeReport, build_report
from sprintlock._lock.staleness import LockFile
from sprintlock._project.config import Project


def upgrade(project: Project, packages: Iterable[str] = (), *, runner: Runner = run) -> ChangeReport:
    """Move every pin (or only ``packages``) to the newest allowed version; frozen layers stay.

    A named package that no lock pins is an :class:`InputError` (with the pinned names
    closest to it), raised before anything is resolved.
    """
    names = tuple(canonicalize_name(p) for p in packages)
    if names:
        _refuse_unpinned(project, names)
    outcome = lock(project, upgrade=not names, upgrade_packages=names, runner=runner)
    return _report(outcome, names, runner)


def prepare_upgrade(
    project: Project, packages: Iterable[str] = (), *, runner: Runner = run
) -> tuple[PreparedLocks, ChangeReport]:
    """:func:`upgrade` without the writing: the new locks (to commit) and the report.

    Hold the project's writer lock around this and the commit.
    """
    names = tuple(canonicalize_name(p) for p in packages)
    if names:
        _refuse_unpinned(project, names)
    prepared = compile_locks(project, upgrade=not names, upgrade_packages=names, runner=runner)
    return prepared, _report(prepared.outcome, names, runner)


def _report(outcome: LockOutcome, names: tuple[str, ...], runner: Runner) -> ChangeReport:
    """The change report of a run: its files include every file the run writes (pylock files too),
    and, with an upgrade cooldown, what the cooldown held back."""
    config = outcome.project.config
    report = build_report(outcome.layers, config.resolver, config.targets, config.requirements)
    written = (path.relative_to(outcome.project.root).as_posix() for path in outcome.written)
    report = replace(report, written=tuple(sorted({*report.written, *written})))
    return with_held_back(report, outcome.project, outcome.layers, packages=names, runner=runner)


def pinned_names(project: Project) -> set[str]:
    """Every package some lock of ``project`` pins (unreadable or missing locks pin nothing)."""
    pinned: set[str] = set()
    for name, layer in discover(project).items():
        current = LockFile.load(layer.lock_path, name, root=project.root).lock
        if current is not None:
            pinned.update(pin.name for pin in current.pins)
    return pinned


def _refuse_unpinned(project: Project, names: Sequence[str]) -> None:
    pinned = pinned_names(project)
    unknown = [name for name in names if name not in pinned]
    if not unknown:
        return
    close = [match for name in unknown for match in difflib.get_close_matches(name, sorted(pinned), n=3)]
    guess = f"did you mean {', '.join(dict.fromkeys(close))}? " if close else ""
    raise InputError(
        f"no lock pins {', '.join(unknown)}",
        where=location(project.requirements_dir, root=project.root),
        hint=(
            f"{guess}`sprintlock upgrade PKG` moves packages the locks already pin; "
            "to add a package, require it in a requirements/*.in file and run `sprintlock lock`"
        ),
    )
