"""Locks nothing uses: a ``requirements/NAME.txt`` that no session, environment or lock installs.

The reference checks of the standard files note every lock they see named as they read
their files (:attr:`Repo.used`): ``sprintlock sync NAME`` and ``sprintlock dev`` in
workflows, devcontainer commands and the bootstrap script, ``sprintlock_layer = NAME``
and ``-r requirements/NAME.txt`` in ``tox.ini``, ``-r`` arguments everywhere. This check
runs after them and adds what the noxfile's sessions install and what the ``.in`` files
include (``-r NAME.txt``, ``-c NAME.txt``).
"""

from __future__ import annotations

from sprintlock._core.errors import SprintlockError
from sprintlock._inspect.repo import Repo
from sprintlock._lock.infile import parse_infile
from sprintlock._standard.noxfile import PATH as NOXFILE


def _included(repo: Repo) -> set[str]:
    """The locks another lock's input names (``-r tests.txt`` in ``dev.in``)."""
    folder = (repo.root / repo.requirements).resolve()
    included: set[str] = set()
    for layer in repo.layers:
        try:
            infile = parse_infile(folder / f"{layer}.in")
        except SprintlockError:
            continue  # `lock-inputs-invalid` says why
        for reference in infile.references:
            path = reference.path.resolve()
            if path.parent == folder and path.suffix == ".txt" and path.stem != layer:
                included.add(path.stem)
    return included


def _installed_by_sessions(repo: Repo) -> set[str]:
    if repo.noxfile is None:
        return set()
    return {layer for session in repo.noxfile.sessions for layer in session.layers}


def check_unused_locks(repo: Repo) -> None:
    """Every lock must be installed by something; runs after the checks that note what they name."""
    if not repo.layers or NOXFILE in repo.missing or any(f.code == "file-invalid" for f in repo.findings):
        # A file that cannot be read may be the one that uses the lock; without a noxfile,
        # `sprintlock init` writes one with a session for every lock (`missing-file` says so).
        return
    used = repo.used | _installed_by_sessions(repo) | _included(repo)
    for layer in sorted(repo.layers - used):
        lock = f"{repo.requirements}/{layer}.txt"
        if not repo.exists(lock):
            continue  # `lock-missing`
        repo.add(
            "lock-unused",
            lock,
            f"no nox session, tox environment, workflow, devcontainer or other lock installs {lock}: "
            "what it pins is never tested",
            f"install it where it is needed (`sprintlock.nox.install(session, {layer!r})` in a noxfile session, "
            f"`sprintlock_layer = {layer}` in a tox environment, `sprintlock sync {layer}` in a workflow, "
            f"`-r {layer}.txt` in another .in), or delete {repo.requirements}/{layer}.in and {layer}.txt",
        )
