"""Findings, their stable codes, and the reports ``sprintlock doctor`` prints."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypedDict

#: The name of every code doctor reports (docs/doctor.md); mypy rejects a name not listed here.
CodeName = Literal[
    "not-a-project",
    "config-invalid",
    "file-invalid",
    "missing-file",
    "lock-missing",
    "lock-foreign",
    "lock-edited",
    "lock-stale",
    "lock-uncovered",
    "lock-unhashed",
    "lock-inconsistent",
    "lock-inputs-invalid",
    "lock-unused",
    "tox-conflict",
    "tox-hash-mix",
    "dangling-path",
    "dangling-session",
    "dangling-layer",
    "matrix-drift",
    "matrix-uncovered",
    "action-unpinned",
    "action-no-version-comment",
    "hook-unpinned",
    "hook-no-frozen-comment",
    "bot-edits-locks",
]
Family = Literal["project", "standard files", "locks", "references", "matrix", "pins", "bots"]


@dataclass(frozen=True)
class Code:
    """A kind of drift: its stable name, what it means and the usual fix (docs/doctor.md)."""

    name: CodeName
    family: Family
    meaning: str


_CODES = (
    Code("not-a-project", "project", "the path is not a folder with a pyproject.toml"),
    Code("config-invalid", "project", "pyproject.toml or its [tool.sprintlock] table cannot be read"),
    Code("file-invalid", "project", "a standard file does not parse (YAML, JSON or Python syntax)"),
    Code("missing-file", "standard files", "a file of the standard layout is missing"),
    Code("lock-missing", "locks", "a requirements/NAME.in has no lock"),
    Code("lock-foreign", "locks", "a lock has no sprintlock header (hand-written or plain pip-compile)"),
    Code("lock-edited", "locks", "a lock was edited by hand since it was generated"),
    Code("lock-stale", "locks", "a lock no longer matches its inputs (.in, referenced files, options, targets)"),
    Code("lock-uncovered", "locks", "a lock was not resolved for some of its configured targets"),
    Code("lock-unhashed", "locks", "a lock has pins without hashes although hashes are on"),
    Code("lock-inconsistent", "locks", "two locks pin one package at different versions for one target"),
    Code("lock-inputs-invalid", "locks", "the requirements/*.in files cannot be read (bad reference, cycle)"),
    Code(
        "lock-unused", "locks", "no nox session, tox environment, workflow, devcontainer or other lock installs a lock"
    ),
    Code("tox-conflict", "locks", "a tox environment's requirement files pin one package at different versions"),
    Code(
        "tox-hash-mix",
        "locks",
        "a tox environment (or a requirements file) installs hashed lock lines with unhashed ones in one pip run",
    ),
    Code(
        "dangling-path", "references", "a file that a devcontainer, workflow, tox.ini, noxfile or hook names is missing"
    ),
    Code("dangling-session", "references", "a nox session that a workflow, script or the noxfile names does not exist"),
    Code(
        "dangling-layer", "references", "a lock layer (sprintlock sync/dev, sprintlock_layer, install) does not exist"
    ),
    Code("matrix-drift", "matrix", "a hand-kept workflow matrix and the noxfile disagree on sessions or Pythons"),
    Code("matrix-uncovered", "matrix", "a test Python (noxfile or workflow matrix) is not a target of its lock"),
    Code("action-unpinned", "pins", "a workflow uses an action by tag or branch, not by commit SHA"),
    Code("action-no-version-comment", "pins", "an action pinned by SHA has no `# vX.Y.Z` comment"),
    Code("hook-unpinned", "pins", "a pre-commit hook repository's rev is a tag or branch, not a commit SHA"),
    Code("hook-no-frozen-comment", "pins", "a hook rev pinned by SHA has no `# frozen: vX.Y.Z` comment"),
    Code("bot-edits-locks", "bots", "a Dependabot or Renovate configuration would edit the locks or their inputs"),
)
#: Every code doctor reports, by name; the names are stable (scripts and dashboards key on them).
CODES: dict[CodeName, Code] = {code.name: code for code in _CODES}


class _FindingDict(TypedDict):
    code: CodeName
    file: str
    message: str
    fix: str


class FindingDict(_FindingDict, total=False):
    """A finding in ``doctor --json``: ``line`` only when the finding has one."""

    line: int


class RepoDict(TypedDict):
    path: str
    ok: bool
    findings: list[FindingDict]


@dataclass(frozen=True)
class Finding:
    """One drift: ``file`` is relative to the repository (empty for the repository itself)."""

    code: CodeName
    file: str
    message: str
    fix: str
    line: int | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown doctor code {self.code!r}")

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def as_dict(self) -> FindingDict:
        """The JSON object, keys in the documented order: code, file, line (when known), message, fix."""
        if self.line is None:
            return {"code": self.code, "file": self.file, "message": self.message, "fix": self.fix}
        return {"code": self.code, "file": self.file, "line": self.line, "message": self.message, "fix": self.fix}


@dataclass(frozen=True)
class RepoReport:
    """The findings for one repository; ``path`` is shown as the user gave it."""

    path: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    def text(self) -> str:
        if self.ok:
            return f"{self.path}: ok\n"
        count = len(self.findings)
        lines = [f"{self.path}: {count} finding{'s' * (count != 1)}"]
        for finding in self.findings:
            if not finding.file:
                where = self.path
            elif self.path in (".", ""):
                where = finding.where
            else:
                where = f"{self.path.rstrip('/')}/{finding.where}"
            lines += [f"{where}: {finding.code} {finding.message}", f"  fix: {finding.fix}"]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> RepoDict:
        return {"path": self.path, "ok": self.ok, "findings": [f.as_dict() for f in self.findings]}


@dataclass(frozen=True)
class DoctorReport:
    repositories: tuple[RepoReport, ...]

    @property
    def ok(self) -> bool:
        return all(repo.ok for repo in self.repositories)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for repo in self.repositories for f in repo.findings)

    def text(self) -> str:
        """For people: findings grouped per repository, each with its fix, then a summary."""
        body = "".join(repo.text() for repo in self.repositories)
        drifting = [repo for repo in self.repositories if not repo.ok]
        total = len(self.repositories)
        if not drifting:
            summary = f"{total} repositor{'ies' if total != 1 else 'y'} checked: all follow the standard"
        else:
            summary = (
                f"{total} repositor{'ies' if total != 1 else 'y'} checked: {len(drifting)} drifting, "
                f"{len(self.findings)} finding{'s' * (len(self.findings) != 1)}"
            )
        return body + summary + "\n"

    def json(self) -> str:
        """For dashboards: a list of ``{path, ok, findings: [{code, file, line?, message, fix}]}``."""
        return json.dumps([repo.as_dict() for repo in self.repositories], indent=2) + "\n"


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Stable order: by file, then line, then code (one family's findings stay together per file)."""
    return tuple(sorted(findings, key=lambda f: (f.file, f.line or 0, f.code, f.message)))
