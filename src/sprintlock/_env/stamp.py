"""The stamp an environment carries after a sync, and the cheap checks that trust it.

The stamp (``VENV/sprintlock-stamp.json``) records two things:

- ``key``: a digest of what was asked for: the lock file's bytes, the layer, how the
  project was installed (and, when it was installed as a copy, a fingerprint of its
  files), and the interpreter (the bytes of ``pyvenv.cfg``);
- ``env``: what the environment looked like right after the sync: the sorted names of
  the ``*.dist-info``/``*.egg-info`` folders in its site-packages, which carry every
  installed name and version.

Checking it reads a few small files and lists one or two folders: no subprocess.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from sprintlock._core.files import write_all
from sprintlock._project.layout import PYPROJECT

STAMP_NAME = "sprintlock-stamp.json"
STAMP_FORMAT = 1
#: Folders never part of a project's installable files (tool caches, builds, environments).
_PRUNED = frozenset({"__pycache__", "_build", "build", "dist", "htmlcov", "node_modules", "site"})


@dataclass(frozen=True)
class Stamp:
    key: str
    #: The project's install record: ``""`` (not installed) or mode plus fingerprint.
    project: str
    site_dirs: tuple[str, ...]
    env: tuple[str, ...]
    format: int = STAMP_FORMAT


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
        stamp = Stamp(
            key=str(data["key"]),
            project=str(data["project"]),
            site_dirs=tuple(str(d) for d in data["site_dirs"]),
            env=tuple(str(e) for e in data["env"]),
            format=int(data["format"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return stamp if stamp.format == STAMP_FORMAT else None


def write_stamp(venv: Path, stamp: Stamp) -> None:
    """Write the stamp next to its final place, then rename: never half-written."""
    write_all({venv / STAMP_NAME: json.dumps(asdict(stamp), indent=1, sort_keys=True) + "\n"})


def remove_stamp(venv: Path) -> None:
    (venv / STAMP_NAME).unlink(missing_ok=True)


def is_current(stamp: Stamp | None, key: str) -> bool:
    """Whether the environment is exactly what the stamp says was installed for ``key``."""
    return stamp is not None and stamp.key == key and env_fingerprint(stamp.site_dirs) == stamp.env
