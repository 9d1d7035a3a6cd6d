"""What the upgrade cooldown held back: the versions an upgrade without it would pick.

With ``upgrade-cooldown`` set, ``sprintlock upgrade`` resolves once more, the same way but
without the cooldown, and never writes that resolution: a package whose newest pinned
version is older than the one picked without the cooldown was held back by it. This costs a
second resolution (cheap with uv's cache), and needs no index API of its own: the resolver
already reads the upload times and applies the cutoff.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from packaging.version import InvalidVersion, Version

from sprintlock._core.errors import ResolutionError
from sprintlock._core.process import Runner, run
from sprintlock._lock.engine import LayerResult, compile_locks
from sprintlock._lock.report import ChangeReport, HeldBack
from sprintlock._project.config import Project, cooldown_text


def _newest(results: Iterable[LayerResult]) -> dict[str, Version]:
    """Per package, the newest version any lock pins after the run."""
    newest: dict[str, Version] = {}
    for result in results:
        for pin in result.new.pins if result.new is not None else ():
            try:
                version = Version(pin.version)
            except InvalidVersion:
                continue
            if pin.name not in newest or version > newest[pin.name]:
                newest[pin.name] = version
    return newest


def held_back(
    project: Project, results: Sequence[LayerResult], packages: Sequence[str] = (), *, runner: Runner = run
) -> tuple[tuple[HeldBack, ...], tuple[str, ...]]:
    """The packages the cooldown kept back in ``results`` (an upgrade's), and notes; nothing without a cooldown.

    ``packages``: the upgrade named these packages (only they are reported); empty: all.
    """
    if project.config.upgrade_cooldown is None:
        return (), ()
    free = dataclasses.replace(project, config=dataclasses.replace(project.config, upgrade_cooldown=None))
    try:
        unheld = compile_locks(free, upgrade=not packages, upgrade_packages=packages, runner=runner)
    except ResolutionError as exc:
        return (), (f"could not tell which releases the cooldown held back: {exc.message}",)
    allowed, newest = _newest(results), _newest(unheld.outcome.layers)
    held = tuple(
        HeldBack(name, str(version), str(newest[name]))
        for name, version in sorted(allowed.items())
        if name in newest and newest[name] > version and (not packages or name in packages)
    )
    return held, ()


def with_held_back(
    report: ChangeReport,
    project: Project,
    results: Sequence[LayerResult],
    *,
    packages: Sequence[str] = (),
    runner: Runner = run,
) -> ChangeReport:
    """``report`` with what the cooldown held back (unchanged when there is no cooldown)."""
    cooldown = project.config.upgrade_cooldown
    if cooldown is None:
        return report
    held, notes = held_back(project, results, packages, runner=runner)
    return dataclasses.replace(report, cooldown=cooldown_text(cooldown), held_back=held, notes=(*report.notes, *notes))
