"""One version per package: what two (non-frozen) locks must agree on for every target."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sprintlock._core.markers import evaluate
from sprintlock._lock.layers import Layer
from sprintlock._lock.lockfile import Lock, Pin
from sprintlock._lock.problem import Problem
from sprintlock._project.config import Project


@dataclass(frozen=True)
class Disagreement:
    """``package`` at different versions in different locks for one target environment."""

    package: str
    environment: Mapping[str, str]
    #: The version each lock installs there, by layer name.
    versions: Mapping[str, str]


def disagreements(project: Project, layers: Mapping[str, Layer], locks: Mapping[str, Lock]) -> Iterator[Disagreement]:
    """For each package two (non-frozen) locks pin at different versions, the first target where they do.

    A lock may pin a package at several versions under exclusive markers (an older one
    for old Pythons): that is consistent as long as each target gets one version.
    """
    pinned: dict[str, dict[str, list[Pin]]] = {}
    for name, lock in locks.items():
        if not layers[name].frozen:
            for package, pins in lock.by_name().items():
                pinned.setdefault(package, {})[name] = pins
    environments: list[dict[str, str]] = []
    for package, by_lock in sorted(pinned.items()):
        if len({frozenset(p.version for p in pins) for pins in by_lock.values()}) < 2:
            continue  # the cheap, common case: every lock pins the same versions
        environments = environments or project.config.targets.environments()
        for environment in environments:
            chosen = {
                lock: pin.version for lock, pins in by_lock.items() for pin in pins if evaluate(pin.marker, environment)
            }
            if len(set(chosen.values())) > 1:
                yield Disagreement(package, environment, chosen)
                break


def consistent(project: Project, layers: Mapping[str, Layer], locks: Mapping[str, Lock]) -> bool:
    """Whether the locks agree on one version per package for every target."""
    return next(disagreements(project, layers, locks), None) is None


def inconsistencies(project: Project, layers: Mapping[str, Layer], locks: Mapping[str, Lock]) -> list[Problem]:
    """Each disagreement between locks, as a ``check`` problem."""
    problems = []
    for found in disagreements(project, layers, locks):
        where = "; ".join(f"{version} in {lock}.txt" for lock, version in sorted(found.versions.items()))
        target = f"python {found.environment['python_version']} on {found.environment['sys_platform']}"
        problems.append(
            Problem(
                "inconsistent",
                project.config.requirements,
                f"{found.package} is pinned at different versions for {target}: {where}",
                "run `sprintlock lock --all` so that every layer agrees",
            )
        )
    return problems
