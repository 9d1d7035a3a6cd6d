"""The stamp an environment carries after a sync, and the cheap check that trusts it.

The stamp (``VENV/sprintlock-stamp.json``) records:

- ``key``: a digest of what was asked for: the lock file's bytes, the layer, how the
  project was installed (and, when it was installed as a copy, a fingerprint of its
  files), and the interpreter (the bytes of ``pyvenv.cfg``);
- ``env``: the sorted names of the ``*.dist-info``/``*.egg-info`` folders in
  site-packages, which carry every installed name and version;
- ``dists``: what was installed, distribution by distribution (:class:`Installed`):
  version, metadata folder, the sha256 of its ``RECORD`` (which holds every file's
  hash), the lock's wheel hashes it was installed against, and the digests of the
  few files ``RECORD`` lists without a hash. Every file's bytes were checked against
  ``RECORD`` when the stamp was written. See :mod:`sprintlock._env.sync` for why this
  is enough to tell, later, that a file's bytes are still the wheel's;
- ``manifest``: every folder and file under site-packages plus the installed scripts
  and the interpreter, with their sizes and modification times folded into one
  digest (:mod:`sprintlock._env.contents`).

:func:`is_current` reads the stamp, lists one or two folders and ``lstat``s every
folder and file of the manifest: no subprocess, no hashing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sprintlock._env.contents import Folder, Manifest, manifest_holds
from sprintlock._project.layout import PYPROJECT

STAMP_NAME = "sprintlock-stamp.json"
STAMP_FORMAT = 2
#: Folders never part of a project's installable files (tool caches, builds, environments).
_PRUNED = frozenset({"__pycache__", "_build", "build", "dist", "htmlcov", "node_modules", "site"})


@dataclass(frozen=True)
class Installed:
    """One distribution as the sync left it."""

    name: str
    version: str
    #: Its ``*.dist-info`` folder (absolute).
    info: str
    #: The sha256 of its ``RECORD`` file.
    record: str
    #: The lock's hashes for its pin (one of them was installed); ``()`` for the project.
    wheels: tuple[str, ...] = ()
    #: ``(path, digest)`` of the files ``RECORD`` lists without a hash.
    unhashed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Stamp:
    key: str
    #: The project's install record: ``""`` (not installed) or mode plus fingerprint.
    project: str
    site_dirs: tuple[str, ...]
    env: tuple[str, ...]
    format: int = STAMP_FORMAT
    dists: tuple[Installed, ...] = ()
    manifest: Manifest = field(default_factory=Manifest)

    def installed(self, name: str) -> Installed | None:
        return next((dist for dist in self.dists if dist.name == name), None)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The digest of a file's bytes; ``"missing"`` when it does not exist."""
    try:
        return _sha256(path.read_bytes())
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
        f"lock {_sha256(lock_text.encode())}",
        f"interpreter {file_digest(venv / 'pyvenv.cfg')}",
        f"project {project}",
    ]
    return "sha256:" + _sha256("\n".join(parts).encode())


def env_fingerprint(site_dirs: tuple[str, ...]) -> tuple[str, ...]:
    """Sorted names of the distribution metadata folders: every installed name and version."""
    names: set[str] = set()
    for folder in site_dirs:
        try:
            with os.scandir(folder) as entries:
                names.update(e.name for e in entries if e.name.endswith((".dist-info", ".egg-info")))
        except FileNotFoundError:
            names.add(f"<missing {folder}>")
    return tuple(sorted(names))


def read_stamp(venv: Path) -> Stamp | None:
    try:
        data = json.loads((venv / STAMP_NAME).read_text(encoding="utf-8"))
        if int(data["format"]) != STAMP_FORMAT:
            return None
        return Stamp(
            key=str(data["key"]),
            project=str(data["project"]),
            site_dirs=_strings(data["site_dirs"]),
            env=_strings(data["env"]),
            format=int(data["format"]),
            dists=tuple(_installed(item) for item in data["dists"]),
            manifest=_manifest(data["manifest"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _strings(items: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in items)


def _installed(data: Any) -> Installed:
    return Installed(
        name=str(data["name"]),
        version=str(data["version"]),
        info=str(data["info"]),
        record=str(data["record"]),
        wheels=_strings(data["wheels"]),
        unhashed=tuple((str(path), str(digest)) for path, digest in data["unhashed"]),
    )


def _manifest(data: Any) -> Manifest:
    # Read on every warm check: the names are taken as JSON gives them (a name that is
    # not a string makes the check fail, see contents._stat_values).
    folders = tuple(
        Folder(str(path), int(mtime), tuple(files), tuple(subfolders))
        for path, mtime, files, subfolders in data["folders"]
    )
    return Manifest(folders, _strings(data["outside"]), str(data["stats"]))


def write_stamp(venv: Path, stamp: Stamp) -> None:
    """Write the stamp next to its final place, then rename: never half-written."""
    data = asdict(stamp)
    # Folders as lists, not objects: the manifest is most of the stamp, keep it compact.
    data["manifest"]["folders"] = [
        [folder.path, folder.mtime_ns, folder.files, folder.folders] for folder in stamp.manifest.folders
    ]
    from sprintlock._core.transaction import write_all  # here: the stamp check only reads

    write_all({venv / STAMP_NAME: json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"})


def remove_stamp(venv: Path) -> None:
    (venv / STAMP_NAME).unlink(missing_ok=True)


def is_current(stamp: Stamp | None, key: str) -> bool:
    """Whether the environment is what the stamp says was installed for ``key``, at stat level.

    Cheap: no hashing. A file edited in place with its size and modification time put
    back is not seen here; ``sync(verify=True)`` re-hashes every file.
    """
    return (
        stamp is not None
        and stamp.key == key
        and env_fingerprint(stamp.site_dirs) == stamp.env
        and manifest_holds(stamp.manifest)
    )
