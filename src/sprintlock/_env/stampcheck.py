"""The stamp check's own functions: what a sync was asked for (its key), and whether the
environment still holds what its stamp lists. Light: :mod:`os`, :mod:`hashlib`,
:mod:`json` and :mod:`pathlib` only (no :mod:`dataclasses`, no project configuration),
so that a reused nox environment is answered without loading the rest of sprintlock
(:mod:`sprintlock._env.warm`). :mod:`sprintlock._env.stamp` and
:mod:`sprintlock._env.contents` build on these; there is one implementation of each.

The manifest's folders are read by position, ``(path, mtime_ns, files, folders)``: a
:class:`sprintlock._env.contents.Folder` or the list the stamp's JSON holds.
"""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from itertools import chain
from operator import attrgetter
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

STAMP_NAME = "sprintlock-stamp.json"
STAMP_FORMAT = 2
CACHE_FOLDER = "__pycache__"
#: ``_project/layout.PYPROJECT``, named here so that a noxfile loads nothing of ``_project``.
PYPROJECT = "pyproject.toml"
#: Folders never part of a project's installable files (tool caches, builds, environments).
_PRUNED = frozenset({"__pycache__", "_build", "build", "dist", "htmlcov", "node_modules", "site"})
_SIZE_AND_TIME = attrgetter("st_size", "st_mtime_ns")


def sha256_hex(data: bytes) -> str:
    """The sha256 of ``data``, in hexadecimal."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The digest of a file's bytes; ``"missing"`` when it does not exist."""
    try:
        return sha256_hex(path.read_bytes())
    except FileNotFoundError:
        return "missing"


def project_record(root: Path, *, install: bool, editable: bool) -> str:
    """What the project's installed copy depends on.

    Editable installs follow the source by themselves: only the build configuration
    counts. A regular install is a copy, so every file of the project tree counts
    (size and modification time), except hidden files and folders (``.git``,
    ``.nox``, ``.coverage``, tool caches), build outputs and environments; a change
    reinstalls the project, never the locked packages.
    """
    if not install:
        return ""
    config = ",".join(file_digest(root / name) for name in (PYPROJECT, "setup.py", "setup.cfg"))
    if editable:
        return f"editable {root} {config}"
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _PRUNED
            and not d.endswith(".egg-info")
            and not Path(folder, d, "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            try:
                info = path.stat()
            except OSError:
                continue
            digest.update(f"{path.relative_to(root).as_posix()} {info.st_size} {info.st_mtime_ns}\n".encode())
    return f"copy {root} {config} {digest.hexdigest()}"


def request_key(lock_text: str, layer: str, venv: Path, project: str) -> str:
    """The digest of everything a sync was asked to do."""
    parts = [
        f"format {STAMP_FORMAT}",
        f"layer {layer}",
        f"lock {sha256_hex(lock_text.encode())}",
        f"interpreter {file_digest(venv / 'pyvenv.cfg')}",
        f"project {project}",
    ]
    return "sha256:" + sha256_hex("\n".join(parts).encode())


def env_fingerprint(site_dirs: Iterable[str]) -> tuple[str, ...]:
    """Sorted names of the distribution metadata folders: every installed name and version."""
    names: set[str] = set()
    for folder in site_dirs:
        try:
            with os.scandir(folder) as entries:
                names.update(e.name for e in entries if e.name.endswith((".dist-info", ".egg-info")))
        except FileNotFoundError:
            names.add(f"<missing {folder}>")
    return tuple(sorted(names))


def stamp_data(venv: Path) -> dict[str, Any] | None:
    """The stamp's JSON, if there is one in this stamp format."""
    try:
        data = json.loads((venv / STAMP_NAME).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and data.get("format") == STAMP_FORMAT else None
    except (OSError, ValueError):
        return None


def data_holds(data: dict[str, Any], key: str) -> bool:
    """Whether the stamp's JSON ``data`` is for ``key`` and the environment is still what it lists."""
    try:
        manifest = data["manifest"]
        return (
            data["key"] == key
            and list(env_fingerprint(data["site_dirs"])) == list(data["env"])
            and manifest_holds(manifest["folders"], manifest["outside"], manifest["stats"])
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def manifest_holds(folders: Sequence[Sequence[Any]], outside: Iterable[str], stats: str) -> bool:
    """Whether no file was added, removed or changed (size, modification time) since the
    manifest of ``folders`` (``(path, mtime_ns, files, folders)``), ``outside`` files and ``stats``."""
    if not stats:
        return False
    for folder in folders:
        try:
            mtime = os.lstat(folder[0]).st_mtime_ns
        except (OSError, TypeError, ValueError):
            return False
        if mtime != folder[1] and not _same_entries(folder):
            return False
    values = stat_values(folders, outside)
    return values is not None and values_digest(values) == stats


def _same_entries(folder: Sequence[Any]) -> bool:
    """Whether a folder whose time changed still has the same entries (a new cache is none)."""
    try:
        with os.scandir(folder[0]) as entries:
            names = {entry.name for entry in entries if entry.name != CACHE_FOLDER}
    except (OSError, TypeError, ValueError):
        return False
    return names == {*folder[2], *folder[3]}


def stat_values(folders: Iterable[Sequence[Any]], outside: Iterable[str]) -> array[int] | None:
    """Every file's size and modification time, in manifest order; None when one is gone.

    The warm path of every nox session: one ``lstat`` per file and as little Python
    around it as possible.
    """
    try:
        paths = [prefix + name for folder in folders for prefix in (folder[0] + os.sep,) for name in folder[2]]
        paths.extend(outside)
        return array("q", chain.from_iterable(map(_SIZE_AND_TIME, map(os.lstat, paths))))
    except (OSError, TypeError, ValueError):  # gone, or a damaged manifest
        return None


def values_digest(values: array[int]) -> str:
    return sha256_hex(values.tobytes())
