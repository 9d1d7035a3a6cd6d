"""Offline freshness check: fingerprints, one version per package, hashes, targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from packaging.markers import Marker

from sprintlock._core.files import read_text
from sprintlock._lock.fingerprint import expected_header
from sprintlock._lock.layers import Layer, discover
from sprintlock._lock.lockfile import Header, Lock, LockFormatError, Pin, digest, parse_lock, split_body
from sprintlock._project.config import Project


@dataclass(frozen=True)
class Problem:
    """One finding. ``code`` is stable (for scripts and ``doctor``); ``message`` is for people."""

    code: str
    path: str
    message: str
    hint: str = ""
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    checked: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _fix(name: str) -> str:
    return f"run `sprintlock lock {name}`"


def _changes(recorded: Header, current: Header) -> list[str]:
    """Why ``recorded`` no longer matches: which inputs or settings changed."""
    reasons = []
    old_inputs = dict(recorded.inputs)
    new_inputs = dict(current.inputs)
    for label, value in new_inputs.items():
        if label not in old_inputs:
            reasons.append(f"{label} is a new input")
        elif old_inputs[label] != value:
            reasons.append(f"{label} changed")
    reasons += [f"{label} is no longer an input" for label in old_inputs if label not in new_inputs]
    if recorded.options() != current.options():
        reasons.append(f"options changed ({recorded.options()} -> {current.options()})")
    if recorded.targets != current.targets:
        reasons.append(f"targets changed ({recorded.targets.describe()} -> {current.targets.describe()})")
    if recorded.format != current.format:
        reasons.append(f"lock format {recorded.format} -> {current.format}")
    return reasons


def check(project: Project) -> CheckReport:
    """Check every lock of ``project`` without running a resolver or touching the network."""
    config = project.config
    layers = discover(project)
    texts = {name: read_text(layer.lock_path) for name, layer in layers.items()}
    problems: list[Problem] = []
    stale: set[str] = set()
    locks: dict[str, Lock] = {}
    for name, layer in layers.items():
        path = layer.lock_path.relative_to(project.root).as_posix()
        text = texts[name]
        if text is None:
            problems.append(Problem("missing", path, "lock file is missing", _fix(name)))
            stale.add(name)
            continue
        try:
            lock = parse_lock(text, name)
        except LockFormatError as exc:
            line = split_body(text)[0].count("\n") + exc.line if exc.line else None
            message = f"edited by hand into something that is not a lock: {exc}"
            problems.append(Problem("edited", path, message, _fix(name), line))
            stale.add(name)
            continue
        if lock is None:
            problems.append(
                Problem(
                    "foreign",
                    path,
                    "not a sprintlock lock (no sprintlock header)",
                    "run `sprintlock lock --all`",
                )
            )
            stale.add(name)
            continue
        locks[name] = lock
        header = lock.header
        if digest(split_body(text)[1]) != header.body:
            problems.append(Problem("edited", path, "edited by hand since it was generated", _fix(name)))
        current = expected_header(project, layer, header.covers, texts.get)
        reasons = _changes(header, current)
        if not reasons and current.compute_fingerprint() != header.fingerprint:
            reasons.append("fingerprint does not match the header")
        stale_deps = [dep for dep in layer.lock_deps if dep in stale]
        if reasons or stale_deps:
            stale.add(name)
            why = reasons + [f"includes {config.requirements}/{dep}.txt, which is stale" for dep in stale_deps]
            problems.append(Problem("stale", path, "stale: " + "; ".join(why), _fix(name)))
        missing = header.targets.missing_from(header.covers)
        if not missing.empty:
            what = " ".join(
                [f"python {' '.join(missing.pythons)}"] * bool(missing.pythons)
                + [f"platforms {' '.join(missing.platforms)}"] * bool(missing.platforms)
            )
            problems.append(
                Problem(
                    "uncovered",
                    path,
                    f"does not cover {what} (covers {header.covers.describe()})",
                    "install the missing Pythons (pythonX.Y on PATH) and run `sprintlock lock --all`, relock on "
                    'the missing platforms in CI, or use resolver = "uv", which covers every target at once',
                )
            )
        if config.hashes:
            unhashed = [pin.name for pin in lock.pins if not pin.hashes]
            if unhashed:
                problems.append(Problem("unhashed", path, f"pins without hashes: {', '.join(unhashed)}", _fix(name)))
    problems += inconsistencies(project, layers, locks)
    return CheckReport(tuple(problems), tuple(layers))


def inconsistencies(project: Project, layers: Mapping[str, Layer], locks: Mapping[str, Lock]) -> list[Problem]:
    """Packages that two (non-frozen) locks pin at different versions for the same target.

    A lock may pin a package at several versions under exclusive markers (an older one
    for old Pythons): that is consistent as long as each target gets one version.
    """
    pinned: dict[str, dict[str, list[Pin]]] = {}
    for name, lock in locks.items():
        if not layers[name].frozen:
            for package, pins in lock.by_name().items():
                pinned.setdefault(package, {})[name] = pins
    problems = []
    environments: list[dict[str, str]] = []
    for package, by_lock in sorted(pinned.items()):
        if len({frozenset(p.version for p in pins) for pins in by_lock.values()}) < 2:
            continue  # the cheap, common case: every lock pins the same versions
        environments = environments or project.config.targets.environments()
        for environment in environments:
            chosen = {
                lock: pin.version
                for lock, pins in by_lock.items()
                for pin in pins
                if pin.marker is None or Marker(pin.marker).evaluate({**environment, "extra": ""})
            }
            if len(set(chosen.values())) > 1:
                where = "; ".join(f"{version} in {lock}.txt" for lock, version in sorted(chosen.items()))
                target = f"python {environment['python_version']} on {environment['sys_platform']}"
                problems.append(
                    Problem(
                        "inconsistent",
                        project.config.requirements,
                        f"{package} is pinned at different versions for {target}: {where}",
                        "run `sprintlock lock --all` so that every layer agrees",
                    )
                )
                break
    return problems
