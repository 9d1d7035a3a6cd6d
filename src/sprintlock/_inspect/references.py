"""Dangling references: a path, nox session or lock layer that something names but that does not exist."""

from __future__ import annotations

import posixpath

from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, is_checkable_path, is_static


def _normal(base: str, value: str) -> str:
    return posixpath.normpath(posixpath.join(base, value)) if base else posixpath.normpath(value)


def check_ref(repo: Repo, ref: Ref, file: str, line: int | None, context: str, *, base: str = "") -> None:
    """Report ``ref`` (named by ``context`` in ``file``) when it does not exist; skip what cannot be known."""
    if ref.kind == "path":
        _check_path(repo, ref.value, ref.via, file, line, context, base)
    elif ref.kind == "session":
        check_session(repo, ref.value, file, line, context)
    elif ref.kind == "layer":
        check_layer(repo, ref.value, file, line, context)


def _check_path(repo: Repo, value: str, via: str, file: str, line: int | None, context: str, base: str) -> None:
    if not is_checkable_path(value):
        return
    relative = _normal(base, value)
    if relative.startswith("../") or repo.exists(relative) or repo.reported_missing(relative):
        return
    folder, _, name = relative.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if folder == repo.requirements and dot and suffix in ("txt", "in"):
        if stem in repo.layers:
            return  # requirements/X.in exists: a missing X.txt is `lock-missing`
        fix = (
            f"point it at an existing lock ({repo.lock_list()}), "
            f"or create {repo.requirements}/{stem}.in and run `sprintlock lock {stem}`"
        )
    else:
        fix = f"restore {relative}, or change the reference to a file that exists"
    repo.add("dangling-path", file, f"{context} names {relative} ({via}), which does not exist", fix, line)


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
        if mention.kind == "session":
            check_session(repo, mention.value, "noxfile.py", mention.line, "noxfile.py")
        elif mention.kind == "layer":
            check_layer(repo, mention.value, "noxfile.py", mention.line, "noxfile.py")
        else:
            _check_path(repo, mention.value, "-r", "noxfile.py", mention.line, "noxfile.py", "")
