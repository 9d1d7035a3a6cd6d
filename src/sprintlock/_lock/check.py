"""Offline freshness check: fingerprints, one version per package, hashes, targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sprintlock._core.errors import SprintlockError
from sprintlock._core.files import read_text
from sprintlock._lock import memo
from sprintlock._lock.consistency import inconsistencies
from sprintlock._lock.layers import Layer, discover, input_files
from sprintlock._lock.lockfile import Lock
from sprintlock._lock.names import pylock_path
from sprintlock._lock.problem import Problem, ProblemCode
from sprintlock._lock.pylock import pylock_problems
from sprintlock._lock.staleness import LockFile, Reason, ReasonKind, staleness
from sprintlock._project.config import Project, load_project

__all__ = ["CheckReport", "Problem", "check"]

#: The problem reported for each reason that is not a plain "stale" (an input or setting changed).
_OWN_PROBLEM: dict[ReasonKind, ProblemCode] = {
    "missing": "missing",
    "damaged": "edited",
    "foreign": "foreign",
    "edited": "edited",
}
_UNCOVERED_HINT = (
    "install the missing Pythons (pythonX.Y on PATH) and run `sprintlock lock --all`, relock on "
    'the missing platforms in CI, or use resolver = "uv", which covers every target at once'
)


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    checked: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _fix(name: str) -> str:
    return f"run `sprintlock lock {name}`"


def _staleness_problems(path: str, layer: str, reasons: tuple[Reason, ...]) -> list[Problem]:
    """A problem for each reason that has its own code, then one ``stale`` problem for the rest."""
    problems = []
    for reason in reasons:
        code = _OWN_PROBLEM.get(reason.kind)
        if code is not None:
            hint = "run `sprintlock lock --all`" if reason.kind == "foreign" else _fix(layer)
            problems.append(Problem(code, path, reason.message, hint, reason.line))
    why = [reason.message for reason in reasons if reason.kind not in _OWN_PROBLEM]
    if why:
        problems.append(Problem("stale", path, "stale: " + "; ".join(why), _fix(layer)))
    return problems


def _lock_problems(project: Project, path: str, layer: str, lock: Lock) -> list[Problem]:
    """What is wrong with a readable lock beyond staleness: targets it misses, pins without hashes."""
    problems = []
    header = lock.header
    missing = header.targets.missing_from(header.covers)
    if not missing.empty:
        what = " ".join(
            [f"python {' '.join(missing.pythons)}"] * bool(missing.pythons)
            + [f"platforms {' '.join(missing.platforms)}"] * bool(missing.platforms)
        )
        message = f"does not cover {what} (covers {header.covers.describe()})"
        problems.append(Problem("uncovered", path, message, _UNCOVERED_HINT))
    unhashed = [pin.name for pin in lock.pins if not pin.hashes] if project.config.hashes else []
    if unhashed:
        problems.append(Problem("unhashed", path, f"pins without hashes: {', '.join(unhashed)}", _fix(layer)))
    return problems


def check(project: Project, *, memo: bool = False) -> CheckReport:
    """Check every lock of ``project`` without running a resolver or touching the network.

    With ``memo``, a passing check is written down (:mod:`sprintlock._lock.memo`) so that
    the next ``sprintlock check`` over the same files answers without parsing them.
    """
    layers = discover(project)
    files = {name: LockFile.load(layer.lock_path, name, root=project.root) for name, layer in layers.items()}
    problems: list[Problem] = []
    stale: set[str] = set()
    for layer in layers.values():
        problems += _layer_problems(project, layer, files, stale)
    locks = {name: file.lock for name, file in files.items() if file.lock is not None}
    problems += inconsistencies(project, layers, locks)
    report = CheckReport(tuple(problems), tuple(layers))
    if memo:
        _remember(project, layers, files, report)
    return report


def _remember(
    project: Project, layers: Mapping[str, Layer], files: Mapping[str, LockFile], report: CheckReport
) -> None:
    """Write the memo of a passing check: what it read, as it read it."""
    if not report.ok:
        return
    texts: dict[str, str | None] = {str(path): text for path, text in input_files(layers).items()}
    texts.update((str(layer.lock_path), files[name].text) for name, layer in layers.items())
    if project.config.pylock:  # what pylock_problems read, missing files included
        paths = (pylock_path(project, name) for name in layers)
        texts.update((str(path), read_text(path, root=project.root)) for path in paths)
    try:  # pyproject.toml as the project was read from it (the project is compared, not the text)
        texts[str(project.pyproject)] = read_text(project.pyproject, root=project.root)
        if load_project(project.root) != project:
            return
    except SprintlockError:
        return
    in_names = [layer.in_path.name for layer in layers.values() if layer.origin is None]
    memo.remember(str(project.root), str(project.requirements_dir), in_names, texts, count=len(report.checked))


def _layer_problems(project: Project, layer: Layer, files: dict[str, LockFile], stale: set[str]) -> list[Problem]:
    """The problems of one lock; records it in ``stale`` when the locks including it are stale too."""
    reasons = staleness(project, layer, files, stale)
    if any(reason.kind != "edited" for reason in reasons):
        stale.add(layer.name)
    path = layer.lock_path.relative_to(project.root).as_posix()
    problems = _staleness_problems(path, layer.name, reasons)
    lock = files[layer.name].lock
    if lock is not None:
        problems += _lock_problems(project, path, layer.name, lock)
    if project.config.pylock:
        problems += pylock_problems(project, layer.name, files[layer.name].text)
    return problems
