"""One repository being examined: what was read once and is shared by every check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sprintlock._inspect.findings import CodeName, Finding
from sprintlock._inspect.noxfile import Noxfile
from sprintlock._lock.lockfile import Header, parse_header
from sprintlock._project.config import Project


@dataclass
class Repo:
    root: Path
    project: Project | None
    #: The requirements folder, relative to the root (``requirements`` unless configured).
    requirements: str
    #: Lock layers: the stems of ``requirements/*.in``.
    layers: frozenset[str]
    noxfile: Noxfile | None = None
    #: Standard files and folders already reported missing: a reference to one of them is not
    #: reported twice (a reference to a path *inside* a missing folder is: nothing will create it).
    missing: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    #: Lock layers something installs, noted by the reference checks as they read each file
    #: (``sprintlock sync NAME``, ``sprintlock_layer = NAME``, ``-r requirements/NAME.txt``...).
    used: set[str] = field(default_factory=set)
    _headers: dict[str, Header | None] = field(default_factory=dict)

    def add(self, code: CodeName, file: str, message: str, fix: str, line: int | None = None) -> None:
        self.findings.append(Finding(code, file, message, fix, line))

    def reported_missing(self, relative: str) -> bool:
        """Whether ``relative`` is itself a standard file or folder already reported missing.

        A path inside a missing folder is not: ``pip install -r requirements/dev.txt`` in a
        repository without ``requirements/`` is a dangling reference of its own, in its own file.
        """
        return relative.rstrip("/") in self.missing

    def note_path(self, relative: str) -> None:
        """Note a reference to ``relative``: ``requirements/NAME.txt`` is a use of the lock ``NAME``."""
        folder, _, name = relative.rpartition("/")
        if folder == self.requirements and name.endswith(".txt"):
            self.used.add(name.removesuffix(".txt"))

    def exists(self, relative: str) -> bool:
        return (self.root / relative).exists()

    def read(self, relative: str) -> str | None:
        path = self.root / relative
        try:
            return path.read_text(encoding="utf-8") if path.is_file() else None
        except (OSError, UnicodeDecodeError):
            return None

    def header(self, layer: str) -> Header | None:
        """The header of ``requirements/LAYER.txt`` (None when missing or not a sprintlock lock)."""
        if layer not in self._headers:
            text = self.read(f"{self.requirements}/{layer}.txt")
            self._headers[layer] = parse_header(text, layer) if text is not None else None
        return self._headers[layer]

    def lock_list(self) -> str:
        return ", ".join(f"{self.requirements}/{name}.txt" for name in sorted(self.layers)) or "none"

    def uncovered(self, layer: str, python: str) -> bool:
        """Whether the lock of ``layer`` neither covers nor targets ``python`` (unknown locks: no)."""
        header = self.header(layer)
        if header is None:
            return False  # missing or foreign: `check` reports it
        return python not in header.covers.pythons and python not in header.targets.pythons

    def relock_fix(self, python: str, where: str) -> str:
        return (
            f"add {python} to `python` in [tool.sprintlock] (or widen requires-python) and run "
            f"`sprintlock lock --all`, or stop testing on {python} in {where}"
        )
