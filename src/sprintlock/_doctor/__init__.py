"""``sprintlock doctor``: how far repositories have drifted from the standard, offline.

Every check reads files and nothing else: no network, no resolver, no subprocess, and
the noxfile is read with ``ast``, never imported. Each drift is a :class:`Finding` with a
stable code (:data:`CODES`, documented in docs/doctor.md) and a fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sprintlock._core.errors import SprintlockError
from sprintlock._doctor.layout import check_standard_files
from sprintlock._doctor.locks import check_locks, check_noxfile_coverage, split_where
from sprintlock._doctor.toxenvs import check_tox_envs
from sprintlock._doctor.usage import check_unused_locks
from sprintlock._inspect.findings import CODES, Code, DoctorReport, Finding, RepoReport, sort_findings
from sprintlock._inspect.noxfile import read_noxfile
from sprintlock._inspect.repo import Repo
from sprintlock._project.config import load_project
from sprintlock._standard.noxfile import PATH as NOXFILE
from sprintlock._standard.pyproject import PATH as PYPROJECT
from sprintlock._standard.registry import checks

__all__ = ["CODES", "Code", "DoctorReport", "Finding", "RepoReport", "check_repository", "doctor"]

#: The checks, in order; each reads what it needs from the :class:`Repo` and adds findings.
#: The missing files first (references to them are then not reported again), then the locks,
#: then each standard file's own check (from the registry), what tox environments cannot install
#: together, and last the locks nothing uses
#: (the file checks note which locks they see installed).
CHECKS = (
    check_standard_files,
    check_locks,
    check_noxfile_coverage,
    *checks(),
    check_tox_envs,
    check_unused_locks,
)


def _load(root: Path) -> Repo:
    """The repository with its configuration, layers and noxfile read once for every check."""
    repo = Repo(root, None, "requirements", frozenset())
    try:
        repo.project = load_project(root)
        repo.requirements = repo.project.config.requirements
    except SprintlockError as exc:
        file, line = split_where(exc.where)
        repo.add("config-invalid", file or PYPROJECT, exc.message, exc.hint or f"fix {PYPROJECT}", line)
    folder = root / repo.requirements
    inputs = {path.stem for path in folder.glob("*.in")} if folder.is_dir() else set()
    # Each dependency group is a layer too (its lock: requirements/NAME.txt).
    repo.layers = frozenset(inputs | {group.name for group in repo.project.groups} if repo.project else inputs)
    text = repo.read(NOXFILE)
    if text is not None:
        targets = repo.project.config.targets.pythons if repo.project is not None else ()
        try:
            repo.noxfile = read_noxfile(text, layers=set(repo.layers), targets=targets, requirements=repo.requirements)
        except (SyntaxError, ValueError) as exc:
            line = exc.lineno if isinstance(exc, SyntaxError) else None
            repo.add("file-invalid", NOXFILE, f"not valid Python: {exc}", "fix the syntax error", line)
    return repo


def check_repository(path: Path, shown: str | None = None) -> RepoReport:
    """Every drift of the repository at ``path`` from the standard layout."""
    shown = shown if shown is not None else str(path)
    root = path.resolve()
    if not root.is_dir():
        message = "no such folder" if not root.exists() else "not a folder"
        return RepoReport(
            shown, (Finding("not-a-project", "", message, "check the path: doctor takes project folders"),)
        )
    if not (root / PYPROJECT).is_file():
        return RepoReport(
            shown,
            (
                Finding(
                    "not-a-project",
                    "",
                    "no pyproject.toml: not a Python project",
                    "check the path, or add a pyproject.toml and run `sprintlock init`",
                ),
            ),
        )
    repo = _load(root)
    for check in CHECKS:
        check(repo)
    return RepoReport(shown, sort_findings(repo.findings))


def doctor(paths: Iterable[Path | str] = (".",)) -> DoctorReport:
    """Check each repository in ``paths`` (default: the current folder); nothing is run or written."""
    return DoctorReport(tuple(check_repository(Path(path), str(path)) for path in paths))
