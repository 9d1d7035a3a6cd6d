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

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sprintlock._env.contents import Folder, Manifest, manifest_holds
from sprintlock._env.stampcheck import STAMP_FORMAT as STAMP_FORMAT
from sprintlock._env.stampcheck import STAMP_NAME as STAMP_NAME
from sprintlock._env.stampcheck import env_fingerprint as env_fingerprint
from sprintlock._env.stampcheck import file_digest as file_digest
from sprintlock._env.stampcheck import project_record as project_record
from sprintlock._env.stampcheck import request_key as request_key
from sprintlock._env.stampcheck import stamp_data


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


def read_stamp(venv: Path) -> Stamp | None:
    data = stamp_data(venv)
    if data is None:
        return None
    try:
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
    # vars(), not asdict(): the manifest is most of the stamp, and asdict() would copy each of
    # its names. A folder is a tuple, so a compact JSON array as it is.
    data = vars(stamp) | {"dists": [vars(dist) for dist in stamp.dists], "manifest": vars(stamp.manifest)}
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
