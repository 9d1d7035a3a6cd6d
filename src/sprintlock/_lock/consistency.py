"""One version per package: what two (non-frozen) locks must agree on for every target."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from sprintlock._core.markers import evaluate
from sprintlock._lock.layers import Layer
from sprintlock._lock.lockfile import Lock, Pin
from sprintlock._lock.problem import Problem
from sprintlock._project.config import Project
from sprintlock._project.targets import Targets


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
    shared = {name: lock for name, lock in locks.items() if not layers[name].frozen}
    return conflicts(project.config.targets, shared)


def conflicts(targets: Targets, locks: Mapping[str, Lock]) -> Iterator[Disagreement]:
    """For each package ``locks`` install at different versions on one target, the first such target.

    Judged per target environment (each Python on each platform), with every pin's marker.
    """
    pinned: dict[str, dict[str, list[Pin]]] = {}
    for name, lock in locks.items():
        for package, pins in lock.by_name().items():
            pinned.setdefault(package, {})[name] = pins
    environments: list[dict[str, str]] = []
    for package, by_lock in sorted(pinned.items()):
        if _alike(by_lock.values()):
            continue  # the cheap, common case
        environments = environments or targets.environments()
        for environment in environments:
            chosen = {
                lock: pin.version for lock, pins in by_lock.items() for pin in pins if evaluate(pin.marker, environment)
            }
            if len(set(chosen.values())) > 1:
                yield Disagreement(package, environment, chosen)
                break


def _alike(pins_by_lock: Iterable[list[Pin]]) -> bool:
    """Whether locks cannot disagree on a package: one version in all of them, or the same
    pins (versions and markers) in each. The same versions under different markers may
    still install different versions on one target (2.0 for old Pythons in one lock, for
    new ones in the other)."""
    groups = [frozenset((pin.version, pin.marker) for pin in pins) for pins in pins_by_lock]
    return len({version for group in groups for version, _ in group}) < 2 or len(set(groups)) < 2


def agree(targets: Targets, first: Lock, second: Lock) -> bool:
    """Whether two locks install the same version of every package both pin, on every target."""
    return next(conflicts(targets, {"first": first, "second": second}), None) is None


def describe(found: Disagreement, *, folder: str = "") -> str:
    """``alpha: 1.1 in docs.txt; 2.0 in lint.txt, tests.txt (python 3.10 on linux)``."""
    prefix = f"{folder}/" if folder else ""
    by_version: dict[str, list[str]] = {}
    for lock, version in sorted(found.versions.items()):
        by_version.setdefault(version, []).append(f"{prefix}{lock}.txt")
    where = "; ".join(f"{version} in {', '.join(locks)}" for version, locks in sorted(by_version.items()))
    environment = found.environment
    return f"{found.package}: {where} (python {environment['python_version']} on {environment['sys_platform']})"


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
