"""The change report of an upgrade (or of an adoption's relock): per package old -> new, as Markdown and JSON.

One row per package and move. When a package is pinned at different versions on different
targets (markers), the row says what moved where, e.g. ``8.4.2 -> 9.2.0 (python >= "3.10");
8.4.2 (python < "3.10")``, and its kind is the highest of its moves (a major bump on one
Python is a major change).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from packaging.version import InvalidVersion, Version

from sprintlock._core.redact import redact
from sprintlock._lock.engine import LayerResult
from sprintlock._lock.lockfile import Pin
from sprintlock._project.layout import PYPROJECT
from sprintlock._project.targets import Targets


@dataclass(frozen=True)
class MarkerMove:
    """One package's version where ``marker`` holds (everywhere when None): old -> new."""

    marker: str | None
    old: str | None
    new: str | None

    def describe(self) -> str:
        if self.old == self.new or self.old is None or self.new is None:
            versions = self.new or f"{self.old} -> removed"
        else:
            versions = f"{self.old} -> {self.new}"
        return f"{versions} ({short_marker(self.marker)})" if self.marker else versions


@dataclass(frozen=True)
class Change:
    package: str
    #: Every version before and after (comma-separated when the markers split them).
    old: str | None
    new: str | None
    #: ``major``, ``minor``, ``patch``, ``other``, ``added`` or ``removed``: the highest of the moves.
    kind: str
    #: Direct when some ``.in`` (or the project) asks for it by name.
    direct: bool
    locks: tuple[str, ...]
    #: Per marker, when the package has different versions on different targets (else empty).
    markers: tuple[MarkerMove, ...] = ()

    def describe(self) -> str:
        """``old -> new``, per marker when the markers split the versions."""
        if self.markers:
            return "; ".join(move.describe() for move in self.markers)
        return f"{self.old or '-'} -> {self.new or '-'}"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        if not self.markers:
            del data["markers"]
        return data


#: The kinds of a version move, highest first.
KIND_ORDER = ("major", "minor", "patch", "other")


def short_marker(marker: str) -> str:
    """A marker as people read it: ``python_full_version >= "3.10"`` -> ``python >= "3.10"``."""
    return marker.replace("python_full_version", "python").replace("python_version", "python")


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


def marker_moves(old: Sequence[Pin], new: Sequence[Pin]) -> tuple[MarkerMove, ...]:
    """One package's moves per marker; empty when no marker splits (or limits) its versions.

    A new pin's old version is the old pin with the same marker, else the old version(s)
    (a pip-compile lock pins one version, with no marker, for every target).
    """
    if not any(pin.marker for pin in (*old, *new)):
        return ()
    old_by_marker = {pin.marker: pin.version for pin in old}
    everywhere = ", ".join(sorted(set(old_by_marker.values()))) or None
    moves = [MarkerMove(pin.marker, old_by_marker.get(pin.marker, everywhere), pin.version) for pin in new]
    new_markers = {pin.marker for pin in new}
    if None not in new_markers:
        moves += [MarkerMove(m, v, None) for m, v in old_by_marker.items() if m is not None and m not in new_markers]
    return tuple(sorted(moves, key=lambda move: move.marker or ""))


def highest_kind(old: str | None, new: str | None, moves: Iterable[MarkerMove]) -> str:
    """The change kind of a package: the highest kind of its moves."""
    kinds = [change_kind(move.old, move.new) for move in moves if move.old and move.new and move.old != move.new]
    ranked = [kind for kind in KIND_ORDER if kind in kinds]
    return ranked[0] if ranked else change_kind(old, new)


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
class HeldBack:
    """A package the upgrade cooldown kept back: the locks pin ``allowed``, ``newer`` is too young."""

    package: str
    #: The newest version the locks pin (the newest the cooldown allows, within the ranges).
    allowed: str
    #: The version a resolution without the cooldown picks.
    newer: str


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
    #: The Markdown heading of the package table (``init`` reports an adoption's relock).
    title: str = "Dependency upgrades"
    #: The one line of a report with nothing in it.
    no_changes: str = "no changes: every lock is already at the newest allowed versions"
    #: Every lock the run rewrote (relative paths), its pins changed or not (a new header).
    written: tuple[str, ...] = ()
    #: ``upgrade-cooldown`` as configured (``"7 days"``), or "" without one.
    cooldown: str = ""
    #: The newer releases the cooldown kept out of the locks (an upgrade with a cooldown only).
    held_back: tuple[HeldBack, ...] = ()

    def __post_init__(self) -> None:
        # Notes quote tools' output, which may hold an index URL with credentials.
        object.__setattr__(self, "notes", tuple(redact(note) for note in self.notes))

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the upgrade wrote, relative to the root: what ``upgrade-pr`` commits."""
        return tuple(sorted({*self.changed_locks, *self.written, *(pin.file for pin in self.pins)}))

    @property
    def empty(self) -> bool:
        """No package, lock or pin changed (notes alone are no change: no pull request)."""
        return not self.changes and not self.changed_locks and not self.pins

    def summary(self) -> str:
        """One line; with a cooldown, what it held back after it (``alpha 2.0``: the version waited for)."""
        held = ", ".join(f"{held.package} {held.newer}" for held in self.held_back)
        return redact(self._summary() + (f"; held back by the cooldown ({self.cooldown}): {held}" if held else ""))

    def _summary(self) -> str:
        if self.empty:
            return self.no_changes
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
        data = self._dict()
        if self.cooldown:
            data["cooldown"] = {"duration": self.cooldown, "held_back": [asdict(held) for held in self.held_back]}
        return data

    def _dict(self) -> dict[str, object]:
        return {
            "resolver": self.resolver,
            "targets": {"python": list(self.targets.pythons), "platforms": list(self.targets.platforms)},
            "changed_locks": list(self.changed_locks),
            "changes": [change.to_dict() for change in self.changes],
            "pins": [asdict(pin) for pin in self.pins],
            "notes": list(self.notes),
            "files": list(self.files),
        }

    def json(self) -> str:
        return redact(json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n")

    def markdown(self) -> str:
        """The report for people; never empty (nothing: one line saying so; notes alone: the notes)."""
        return redact(self._markdown())

    def _markdown(self) -> str:
        if self.empty and not self.notes and not self.held_back:
            return self.no_changes + "\n"
        lines = [self.no_changes] if self.empty and self.held_back else []
        if self.changes or self.changed_locks:
            lines += [
                f"## {self.title}",
                "",
                f"Resolver: `{self.resolver}`. Targets: {self.targets.describe()}.",
                "",
                "| package | old | new | change | direct | locks |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            for c in self.changes:
                lines.append(
                    f"| {c.package} | {c.old or '-'} | {c.describe() if c.markers else c.new or '-'} | {c.kind} | "
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
        if self.held_back:
            lines += [*([""] if lines else []), *self._held_back_lines()]
        if self.notes:
            lines += [*([""] if lines else []), "Notes:", ""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def _held_back_lines(self) -> list[str]:
        return [
            "## Held back by the cooldown",
            "",
            f"Releases younger than {self.cooldown} (`upgrade-cooldown`) are not used yet:",
            "",
            "| package | newest allowed | held back |",
            "| --- | --- | --- |",
            *(f"| {held.package} | {held.allowed} | {held.newer} |" for held in self.held_back),
        ]


def build_report(results: Iterable[LayerResult], resolver: str, targets: Targets, folder: str) -> ChangeReport:
    """Compare each layer's lock before and after; one row per package and version move."""
    locks: dict[tuple[str, str | None, str | None, tuple[MarkerMove, ...]], list[str]] = {}
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
        for package, (before, after) in _package_pins(old_pins, new_pins).items():
            if {(p.marker, p.version) for p in before} == {(p.marker, p.version) for p in after}:
                continue
            key = (package, _versions(before).get(package), _versions(after).get(package), marker_moves(before, after))
            locks.setdefault(key, []).append(f"{result.name}.txt")
            direct[package] = direct.get(package, False) or _is_direct((*before, *after))
    changes = tuple(
        Change(package, old, new, highest_kind(old, new, moves), direct[package], tuple(names), moves)
        for (package, old, new, moves), names in sorted(locks.items(), key=lambda item: item[0][0])
    )
    return ChangeReport(resolver, targets, changes, tuple(changed_locks), written=tuple(written))


def _package_pins(old: Iterable[Pin], new: Iterable[Pin]) -> dict[str, tuple[list[Pin], list[Pin]]]:
    """Per package (sorted), its old pins and its new pins."""
    grouped: dict[str, tuple[list[Pin], list[Pin]]] = {}
    for pin in old:
        grouped.setdefault(pin.name, ([], []))[0].append(pin)
    for pin in new:
        grouped.setdefault(pin.name, ([], []))[1].append(pin)
    return dict(sorted(grouped.items()))
