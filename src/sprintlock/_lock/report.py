"""The change report of an upgrade: per package old -> new, as Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from packaging.version import InvalidVersion, Version

from sprintlock._lock.engine import LayerResult
from sprintlock._lock.lockfile import Pin
from sprintlock._project.layout import PYPROJECT
from sprintlock._project.targets import Targets


@dataclass(frozen=True)
class Change:
    package: str
    old: str | None
    new: str | None
    #: ``major``, ``minor``, ``patch``, ``other``, ``added`` or ``removed``.
    kind: str
    #: Direct when some ``.in`` (or the project) asks for it by name.
    direct: bool
    locks: tuple[str, ...]


def change_kind(old: str | None, new: str | None) -> str:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    try:
        before, after = Version(old), Version(new)
    except InvalidVersion:
        return "other"
    a = (*before.release, 0, 0, 0)[:3]
    b = (*after.release, 0, 0, 0)[:3]
    if a[0] != b[0]:
        return "major"
    if a[1] != b[1]:
        return "minor"
    return "patch" if a[2] != b[2] else "other"


def _versions(pins: Iterable[Pin]) -> dict[str, str]:
    grouped: dict[str, set[str]] = {}
    for pin in pins:
        grouped.setdefault(pin.name, set()).add(pin.version)
    return {name: ", ".join(sorted(versions)) for name, versions in grouped.items()}


def _is_direct(pins: Iterable[Pin]) -> bool:
    return any((via.startswith("-r ") and via.endswith(".in")) or via == PYPROJECT for p in pins for via in p.via)


@dataclass(frozen=True)
class PinChange:
    """A pre-commit hook revision or a workflow action moved to a newer tag."""

    #: ``pre-commit hook`` or ``action``.
    kind: str
    #: The hook repository URL, or the action's ``owner/name``.
    name: str
    old: str
    new: str
    #: The file that changed.
    file: str


@dataclass(frozen=True)
class ChangeReport:
    resolver: str
    targets: Targets
    changes: tuple[Change, ...]
    changed_locks: tuple[str, ...]
    #: Hook and action pins refreshed by the same upgrade.
    pins: tuple[PinChange, ...] = ()
    #: What could not be refreshed, and why (e.g. offline).
    notes: tuple[str, ...] = ()
    #: Every lock the run rewrote (relative paths), its pins changed or not (a new header).
    written: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the upgrade wrote, relative to the root: what ``upgrade-pr`` commits."""
        return tuple(sorted({*self.changed_locks, *self.written, *(pin.file for pin in self.pins)}))

    @property
    def empty(self) -> bool:
        return not self.changes and not self.changed_locks and not self.pins

    def summary(self) -> str:
        if self.empty:
            return "no changes: every lock is already at the newest allowed versions"
        parts = []
        if self.changes or self.changed_locks:
            counts: dict[str, int] = {}
            for change in self.changes:
                counts[change.kind] = counts.get(change.kind, 0) + 1
            detail = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
            parts.append(f"{len(self.changes)} package changes ({detail}) in {', '.join(self.changed_locks)}")
        if self.pins:
            parts.append(f"{len(self.pins)} pin changes in {', '.join(sorted({p.file for p in self.pins}))}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "resolver": self.resolver,
            "targets": {"python": list(self.targets.pythons), "platforms": list(self.targets.platforms)},
            "changed_locks": list(self.changed_locks),
            "changes": [asdict(change) for change in self.changes],
            "pins": [asdict(pin) for pin in self.pins],
            "notes": list(self.notes),
            "files": list(self.files),
        }

    def json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    def markdown(self) -> str:
        if self.empty:
            return ""
        lines = []
        if self.changes or self.changed_locks:
            lines += [
                "## Dependency upgrades",
                "",
                f"Resolver: `{self.resolver}`. Targets: {self.targets.describe()}.",
                "",
                "| package | old | new | change | direct | locks |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            for c in self.changes:
                lines.append(
                    f"| {c.package} | {c.old or '-'} | {c.new or '-'} | {c.kind} | "
                    f"{'yes' if c.direct else 'no'} | {', '.join(c.locks)} |"
                )
            lines += ["", "Changed lock files:", ""] + [f"- `{path}`" for path in self.changed_locks]
        if self.pins:
            lines += [
                *([""] if lines else []),
                "## Hook and action pins",
                "",
                "| pin | kind | old | new | file |",
                "| --- | --- | --- | --- | --- |",
            ]
            lines += [f"| {p.name} | {p.kind} | {p.old} | {p.new} | `{p.file}` |" for p in self.pins]
        if self.notes:
            lines += ["", "Notes:", ""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def build_report(results: Iterable[LayerResult], resolver: str, targets: Targets, folder: str) -> ChangeReport:
    """Compare each layer's lock before and after; one row per package and version move."""
    locks: dict[tuple[str, str | None, str | None], list[str]] = {}
    direct: dict[str, bool] = {}
    changed_locks = []
    written = []
    for result in results:
        if result.compiled and result.old != result.new:
            written.append(f"{folder}/{result.name}.txt")
        old_pins = result.old.pins if result.old else ()
        new_pins = result.new.pins if result.new else ()
        if old_pins == new_pins:
            continue
        changed_locks.append(f"{folder}/{result.name}.txt")
        old, new = _versions(old_pins), _versions(new_pins)
        for package in sorted(set(old) | set(new)):
            if old.get(package) != new.get(package):
                locks.setdefault((package, old.get(package), new.get(package)), []).append(f"{result.name}.txt")
                pins = [p for p in (*old_pins, *new_pins) if p.name == package]
                direct[package] = direct.get(package, False) or _is_direct(pins)
    changes = tuple(
        Change(package, old, new, change_kind(old, new), direct[package], tuple(names))
        for (package, old, new), names in sorted(locks.items(), key=lambda item: item[0][0])
    )
    return ChangeReport(resolver, targets, changes, tuple(changed_locks), written=tuple(written))
