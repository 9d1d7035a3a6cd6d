"""Upgrade: relock with newer versions (all, or named packages) and report the changes."""

from __future__ import annotations

from collections.abc import Iterable

from packaging.utils import canonicalize_name

from sprintlock._core.process import Runner, run
from sprintlock._lock.engine import lock
from sprintlock._lock.report import ChangeReport, build_report
from sprintlock._project.config import Project


def upgrade(project: Project, packages: Iterable[str] = (), *, runner: Runner = run) -> ChangeReport:
    """Move every pin (or only ``packages``) to the newest allowed version; frozen layers stay."""
    names = tuple(canonicalize_name(p) for p in packages)
    outcome = lock(project, upgrade=names or True, runner=runner)
    return build_report(outcome.layers, project.config.resolver, project.config.targets, project.config.requirements)
