"""Missing standard files: the layout that ``sprintlock init`` writes (from the registry)."""

from __future__ import annotations

from sprintlock._inspect.repo import Repo
from sprintlock._standard.registry import missing_file_purposes, required_files

#: Every file of the standard layout (besides requirements/*.in) and what it is for.
STANDARD_FILES = missing_file_purposes()
INIT_FIX = "run `sprintlock init` (it writes the missing files and never replaces one you wrote)"


def _check_inputs(repo: Repo) -> None:
    """The inputs: ``requirements/*.in``, or the dependency groups (then the folder of their locks)."""
    folder = repo.requirements
    groups = sorted(group.name for group in repo.project.groups) if repo.project else []
    if groups and not (repo.root / folder).is_dir():
        repo.missing.add(folder)
        repo.add(
            "missing-file",
            f"{folder}/",
            f"no {folder}/: the dependency groups ({', '.join(groups)}) have no hash-pinned locks",
            f"{INIT_FIX}; it locks each group to {folder}/NAME.txt and writes no .in for it",
        )
    elif not groups and (not (repo.root / folder).is_dir() or not any((repo.root / folder).glob("*.in"))):
        repo.missing.add(folder)
        repo.add(
            "missing-file",
            f"{folder}/",
            f"no {folder}/*.in: nothing says what each purpose (tests, typing, docs, dev) needs",
            f"{INIT_FIX}, or add {folder}/NAME.in files and run `sprintlock lock`",
        )


def check_standard_files(repo: Repo) -> None:
    _check_inputs(repo)
    for entry in required_files():
        if not entry.is_present(repo):
            repo.missing.add(entry.path)
            repo.add("missing-file", entry.path, f"missing: {entry.purpose}", INIT_FIX)
