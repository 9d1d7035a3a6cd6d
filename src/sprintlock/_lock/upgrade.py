"""Upgrade: relock with newer versions (all, or named packages) and report the changes."""

from __future__ import annotations

from collections.abc import Iterable

from packaging.utils import canonicalize_name

from sprintlock._core.process import Runner, run
from sprintlock._lock.engine import PreparedLocks, compile_locks, lock
from sprintlock._lock.report import ChangeReport, build_report
from sprintlock._project.config import Project


def upgrade(project: Project, packages: Iterable[str] = (), *, runner: Runner = run) -> ChangeReport:
    """Move every pin (or only ``packages``) to the newest allowed version; frozen layers stay."""
    names = tuple(canonicalize_name(p) for p in packages)
    outcome = lock(project, upgrade=not names, upgrade_packages=names, runner=runner)
    return build_report(outcome.layers, project.config.resolver, project.config.targets, project.config.requirements)


def prepare_upgrade(
    project: Project, packages: Iterable[str] = (), *, runner: Runner = run
) -> tuple[PreparedLocks, ChangeReport]:
    """:func:`upgrade` without the writing: the new locks (to commit) and the report.

    Hold the project's writer lock around this and the commit.
    """
    names = tuple(canonicalize_name(p) for p in packages)
    prepared = compile_locks(project, upgrade=not names, upgrade_packages=names, runner=runner)
    config = project.config
    return prepared, build_report(prepared.outcome.layers, config.resolver, config.targets, config.requirements)
