"""What an environment holds, file by file: its distributions, their ``RECORD``, and the rest.

Three uses, from cheapest to dearest:

- :func:`take_manifest` / :func:`manifest_holds`: the fast check. The manifest lists
  every folder under site-packages (with its modification time and its entries) and
  every file in them, plus the files distributions installed outside site-packages
  (scripts in ``bin/``) and the interpreter. Checking it is one ``lstat`` per folder
  and per file, no hashing: any file added, removed, edited or touched (size or
  modification time) is seen. A folder whose time changed is listed again, so that a
  ``__pycache__`` folder Python creates as it imports is no difference.
- :func:`read_dists` and :class:`Hasher`: the distributions (``*.dist-info``) with the
  files their ``RECORD`` lists, and the hashes of those files' bytes now.
- :func:`find_strays`: whatever lies in site-packages that no distribution owns (a
  dropped ``.pth`` file, a package folder copied in by hand).

``__pycache__`` folders are caches Python writes while it runs: never listed, never
hashed (the source they cache is).
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sprintlock._core.realpaths import RealPaths
from sprintlock._env import stampcheck

CACHE_FOLDER = stampcheck.CACHE_FOLDER
#: Files that the tool creating a virtual environment may put into site-packages
#: (``virtualenv``'s, and ``uv venv``'s for compatibility): no distribution owns them.
VENV_FILES = frozenset({"_virtualenv.pth", "_virtualenv.py"})
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Row:
    """One file a ``RECORD`` lists: its absolute path and ``ALGO=DIGEST`` (``""`` when unhashed)."""

    path: str
    hash: str


@dataclass(frozen=True)
class Dist:
    """One installed distribution, read from its metadata folder."""

    name: str
    version: str
    #: The absolute path of its ``*.dist-info`` (or legacy ``*.egg-info``) folder.
    info: str
    #: The sha256 of its ``RECORD`` file's bytes; ``""`` when it has none (``.egg-info``).
    record: str
    #: The files ``RECORD`` lists inside the environment, without ``RECORD`` itself and caches.
    rows: tuple[Row, ...]


class Folder(NamedTuple):
    """A folder of site-packages as the manifest saw it (a tuple: the stamp check reads it by position)."""

    path: str
    mtime_ns: int
    files: tuple[str, ...]
    folders: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    """Every folder and file the fast check stats, and the digest of the files' sizes and times."""

    folders: tuple[Folder, ...] = ()
    #: Files outside site-packages (scripts, the interpreter), absolute.
    outside: tuple[str, ...] = ()
    stats: str = ""


def unique_dirs(site_dirs: Iterable[str]) -> tuple[str, ...]:
    """The site folders, each once (``lib64`` is often a link to ``lib``)."""
    seen: set[str] = set()
    unique: list[str] = []
    for folder in site_dirs:
        real = os.path.realpath(folder)
        if real not in seen:
            seen.add(real)
            unique.append(folder)
    return tuple(unique)


# Distributions and their RECORD.


def read_dists(venv: Path, site_dirs: Iterable[str]) -> dict[str, Dist]:
    """The distributions installed in ``site_dirs``, by normalised name."""
    found: dict[str, Dist] = {}
    inside = _Inside(venv)
    for site in unique_dirs(site_dirs):
        try:
            with os.scandir(site) as entries:
                names = sorted(entry.name for entry in entries if entry.is_dir())
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                dist = _read_dist(inside, site, name)
                found.setdefault(dist.name, dist)
    return found


class _Inside:
    """Whether a path is inside one folder once links are resolved (each folder resolved once)."""

    def __init__(self, folder: Path) -> None:
        self._root = os.path.realpath(folder) + os.sep
        self._real = RealPaths()

    def __call__(self, path: str) -> bool:
        return self._real.of(path).startswith(self._root)


def _read_dist(inside: _Inside, site: str, folder: str) -> Dist:
    info = f"{site}{os.sep}{folder}"
    stem = folder.rsplit(".", 1)[0]
    fallback_name, _, fallback_version = stem.partition("-")
    headers = _headers(Path(info, "METADATA" if folder.endswith(".dist-info") else "PKG-INFO"))
    from packaging.utils import canonicalize_name  # here: the stamp check needs none of packaging

    name = canonicalize_name(headers.get("name") or fallback_name)
    version = headers.get("version") or fallback_version.partition("-")[0]
    if not folder.endswith(".dist-info"):
        return Dist(name, version, info, "", ())
    try:
        data = Path(info, "RECORD").read_bytes()
    except OSError:
        return Dist(name, version, info, "", ())
    rows = tuple(_rows(inside, site, info, data.decode("utf-8", errors="replace")))
    return Dist(name, version, info, hashlib.sha256(data).hexdigest(), rows)


def _headers(path: Path) -> dict[str, str]:
    """``Name`` and ``Version`` from a metadata file (its header block), lower-cased keys."""
    headers: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return headers
    for line in text.splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep and key.lower() in ("name", "version"):
            headers.setdefault(key.lower(), value.strip())
    return headers


def _rows(inside: _Inside, site: str, info: str, text: str) -> Iterator[Row]:
    """The rows of a ``RECORD`` (CSV: path, hash, size) for files inside the environment."""
    import csv

    record = f"{info}{os.sep}RECORD"
    for fields in csv.reader(text.splitlines()):
        if not fields or not fields[0]:
            continue
        path = os.path.normpath(f"{site}{os.sep}{fields[0]}")
        if path == record or f"{os.sep}{CACHE_FOLDER}{os.sep}" in f"{path}{os.sep}":
            continue
        if not inside(path):
            continue  # written outside the environment: not ours to check
        yield Row(path, fields[1] if len(fields) > 1 else "")


class Hasher:
    """File digests (``RECORD`` style: urlsafe base64, no padding), each file read once per run.

    A file whose size and modification time are those it had when it was hashed is
    not read again within the same run (the environment is locked meanwhile).
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple[int, int, str]] = {}

    def digest(self, path: str, algorithm: str = "sha256") -> str | None:
        """The digest of a regular file's bytes; None when it is missing or not a regular file."""
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        cached = self._seen.get((path, algorithm))
        if cached is not None and cached[:2] == (info.st_size, info.st_mtime_ns):
            return cached[2]
        try:
            hasher = hashlib.new(algorithm)
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(_CHUNK), b""):
                    hasher.update(chunk)
        except (OSError, ValueError):
            return None
        value = base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode()
        self._seen[(path, algorithm)] = (info.st_size, info.st_mtime_ns, value)
        return value

    def matches(self, row: Row) -> bool:
        """Whether the file holds the bytes its ``RECORD`` row says."""
        algorithm, _, expected = row.hash.partition("=")
        return bool(expected) and self.digest(row.path, algorithm) == expected

    def unhashed(self, dist: Dist) -> dict[str, str]:
        """The digests of the files ``RECORD`` lists without a hash (``"missing"`` when absent)."""
        return {row.path: self.digest(row.path) or "missing" for row in dist.rows if not row.hash}

    def holds_record(self, dist: Dist) -> bool:
        """Whether every hashed file of ``dist`` holds the bytes its ``RECORD`` says."""
        return bool(dist.record) and all(self.matches(row) for row in dist.rows if row.hash)


# Files nobody owns.


def find_strays(site_dirs: Iterable[str], dists: Mapping[str, Dist]) -> list[str]:
    """Files and folders in site-packages that no distribution owns, outermost first."""
    owned: set[str] = set()
    trees: set[str] = set()
    for dist in dists.values():
        owned.update(row.path for row in dist.rows)
        owned.add(f"{dist.info}{os.sep}RECORD")
        if not dist.record:
            trees.add(dist.info)  # no RECORD to say which files: keep the folder whole
        else:
            owned.add(dist.info)
    parents = {parent for path in owned for parent in _parents(path)}
    strays: list[str] = []
    for site in unique_dirs(site_dirs):
        strays.extend(_strays_in(site, top=True, owned=owned, parents=parents | trees, trees=trees))
    return strays


def _parents(path: str) -> Iterator[str]:
    parent = path.rpartition(os.sep)[0]
    while parent:
        yield parent
        parent = parent.rpartition(os.sep)[0]


def _strays_in(folder: str, *, top: bool, owned: set[str], parents: set[str], trees: set[str]) -> Iterator[str]:
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name == CACHE_FOLDER or entry.path in trees:
                continue
            if entry.path in parents:
                yield from _strays_in(entry.path, top=False, owned=owned, parents=parents, trees=trees)
            else:
                yield entry.path
        elif entry.path not in owned and not (top and entry.name in VENV_FILES):
            yield entry.path


# The manifest: the fast check.


def take_manifest(site_dirs: Iterable[str], outside: Iterable[str]) -> Manifest:
    """The folders and files of site-packages now, plus ``outside`` files, with their stats."""
    folders: list[Folder] = []
    for site in unique_dirs(site_dirs):
        folders.extend(_walk(site))
    files = tuple(sorted(set(outside)))
    values = stampcheck.stat_values(folders, files)
    return Manifest(tuple(folders), files, stampcheck.values_digest(values) if values is not None else "")


def _walk(top: str) -> Iterator[Folder]:
    todo = [top]
    while todo:
        folder = todo.pop()
        try:
            mtime = os.lstat(folder).st_mtime_ns
            with os.scandir(folder) as found:
                entries = list(found)
        except OSError:
            continue
        files = sorted(e.name for e in entries if not e.is_dir(follow_symlinks=False))
        subfolders = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False) and e.name != CACHE_FOLDER)
        yield Folder(folder, mtime, tuple(files), tuple(subfolders))
        todo.extend(f"{folder}{os.sep}{name}" for name in reversed(subfolders))


def manifest_holds(manifest: Manifest) -> bool:
    """Whether no file was added, removed or changed (size, modification time) since ``manifest``."""
    return stampcheck.manifest_holds(manifest.folders, manifest.outside, manifest.stats)
