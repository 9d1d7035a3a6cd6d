"""Dangling references: a path, nox session or lock layer that something names but that does not exist."""

from __future__ import annotations

import posixpath

from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, is_checkable_path, is_static


def _normal(base: str, value: str) -> str:
    return posixpath.normpath(posixpath.join(base, value)) if base else posixpath.normpath(value)


def check_ref(repo: Repo, ref: Ref, file: str, line: int | None, context: str) -> None:
    """Report ``ref`` (named by ``context`` in ``file``) when it does not exist; skip what cannot be known."""
    if ref.kind == "path":
        _check_path(repo, ref, file, line, context)
    elif ref.kind == "session":
        check_session(repo, ref.value, file, line, context)
    else:
        check_layer(repo, ref.value, file, line, context)


def _lock_fix(repo: Repo, relative: str) -> str | None:
    """How to fix a missing ``requirements/X.txt`` or ``.in``; None when ``requirements/X.in`` exists."""
    folder, _, name = relative.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if folder != repo.requirements or not dot or suffix not in ("txt", "in"):
        return f"restore {relative}, or change the reference to a file that exists"
    if stem in repo.layers and not repo.reported_missing(folder):
        return None  # requirements/X.in (or group X) exists: a missing X.txt is `lock-missing`
    if not repo.exists(folder):
        group = repo.project is not None and stem in {group.name for group in repo.project.groups}
        make = (
            f"run `sprintlock init` (it locks the dependency group {stem} to {folder}/{stem}.txt)"
            if group
            else f"create {folder}/{stem}.in and run `sprintlock lock {stem}`"
        )
        return f"there is no {folder}/ folder: change the command to install what the project uses now, or {make}"
    return (
        f"point it at an existing lock ({repo.lock_list()}), "
        f"or create {repo.requirements}/{stem}.in and run `sprintlock lock {stem}`"
    )


def _check_path(repo: Repo, ref: Ref, file: str, line: int | None, context: str) -> None:
    if not is_checkable_path(ref.value):
        return
    relative = _normal(ref.base, ref.value)
    repo.note_path(relative)
    if relative.startswith("../") or repo.exists(relative) or repo.reported_missing(relative):
        return
    fix = _lock_fix(repo, relative)
    if fix is not None:
        repo.add("dangling-path", file, f"{context} names {relative} ({ref.via}), which does not exist", fix, line)


def check_session(repo: Repo, name: str, file: str, line: int | None, context: str) -> None:
    if repo.noxfile is None or not is_static(name) or repo.noxfile.find(name) is not None:
        return
    repo.add(
        "dangling-session",
        file,
        f"{context} runs the nox session {name!r}, which noxfile.py does not define",
        f"use one of the noxfile's sessions ({repo.noxfile.described()}), or add a `{name}` session to noxfile.py",
        line,
    )


def check_layer(repo: Repo, name: str, file: str, line: int | None, context: str) -> None:
    repo.used.add(name)
    if not repo.layers or not is_static(name) or name in repo.layers:
        return
    repo.add(
        "dangling-layer",
        file,
        f"{context} uses the lock {repo.requirements}/{name}.txt, but there is no {repo.requirements}/{name}.in",
        f"create {repo.requirements}/{name}.in and run `sprintlock lock {name}`, "
        f"or use an existing lock ({repo.lock_list()})",
        line,
    )


def check_noxfile(repo: Repo) -> None:
    """What the noxfile itself names: default sessions, installed layers, ``-r`` files."""
    if repo.noxfile is None:
        return
    for mention in repo.noxfile.mentions:
        # A path the noxfile names is an argument of -r or -c (pip's flags).
        ref = Ref(mention.kind, mention.value, 0, "-r")
        check_ref(repo, ref, "noxfile.py", mention.line, "noxfile.py")
