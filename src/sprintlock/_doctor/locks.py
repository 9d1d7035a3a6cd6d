"""Locks: ``sprintlock check`` (offline) as doctor findings, and locks that miss the test Pythons."""

from __future__ import annotations

from sprintlock._core.errors import SprintlockError
from sprintlock._inspect.findings import CodeName
from sprintlock._inspect.repo import Repo
from sprintlock._lock.check import check
from sprintlock._standard.noxfile import PATH as NOXFILE

#: ``check`` problem code -> doctor code (an unknown future check code becomes ``lock-stale``).
CHECK_CODES: dict[str, CodeName] = {
    "missing": "lock-missing",
    "foreign": "lock-foreign",
    "edited": "lock-edited",
    "stale": "lock-stale",
    "uncovered": "lock-uncovered",
    "unhashed": "lock-unhashed",
    "inconsistent": "lock-inconsistent",
}


def split_where(where: str | None) -> tuple[str, int | None]:
    """``requirements/tests.in:3`` -> ``("requirements/tests.in", 3)``."""
    if not where:
        return "", None
    file, _, line = where.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (where, None)


def check_locks(repo: Repo) -> None:
    if repo.project is None or not repo.layers or repo.reported_missing(repo.requirements):
        return  # no locks at all (the missing folder is the finding)
    try:
        report = check(repo.project)
    except SprintlockError as exc:
        file, line = split_where(exc.where)
        repo.add(
            "lock-inputs-invalid",
            file or repo.requirements,
            exc.message,
            exc.hint or "fix the requirements/*.in files, then run `sprintlock lock`",
            line,
        )
        return
    for problem in report.problems:
        # An unknown future check code: still a lock that needs relocking.
        code = CHECK_CODES.get(problem.code, "lock-stale")
        repo.add(code, problem.path, problem.message, problem.hint or "run `sprintlock lock`", problem.line)


def check_noxfile_coverage(repo: Repo) -> None:
    """Each session's Pythons against the targets of the locks it installs.

    Sessions on ``sprintlock.nox.pythons()`` use the targets themselves: covered by construction.
    """
    if repo.noxfile is None:
        return
    for session in repo.noxfile.sessions:
        if session.source != "literal":
            continue
        for layer in session.layers:
            missing = [python for python in session.pythons if repo.uncovered(layer, python)]
            if missing:
                header = repo.header(layer)
                targets = " ".join(header.targets.pythons) if header else ""
                repo.add(
                    "matrix-uncovered",
                    NOXFILE,
                    f"session {session.name!r} runs on Python {' '.join(missing)}, but "
                    f"{repo.requirements}/{layer}.txt is locked for Python {targets} only",
                    repo.relock_fix(" ".join(missing), NOXFILE),
                    session.line,
                )
