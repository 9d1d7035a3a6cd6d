"""A reused nox environment answered without loading the project: the warm memo.

Every ``nox -s tests`` calls :func:`sprintlock.nox.install`, which loads the project
(``pyproject.toml``, every key validated), finds the lock and asks the environment's
stamp whether it still holds that lock. When the answer is yes (or once a sync made it
so), ``install`` writes down what that answer rested on, in sprintlock's cache folder
(``nox/<hash of the environment's path>.json``): the sprintlock that gave it, the call
(project folder, layer, how the project is installed, lock format), the digest of
``pyproject.toml`` (the configuration the lock's path came from), the lock's path, and
the digest of the stamp file as it was then.

The next call with the same arguments answers from the memo when ``pyproject.toml`` and
the stamp file have the same bytes: it then reads the lock, computes the stamp's key and
checks the environment against the stamp with the same functions as the full path
(:mod:`sprintlock._env.stampcheck`), so a changed lock, interpreter, project copy or
environment is seen exactly as before. Any other difference, or a memo it cannot read,
is no answer: the full path runs. Importing this module loads neither the project's
configuration nor :mod:`dataclasses`. Best effort: a memo that cannot be written is none.

:func:`pythons` and :func:`remember_pythons` do the same for
:func:`sprintlock.nox.pythons`, which every noxfile calls when nox loads it: the target
Pythons, by the digest of ``pyproject.toml``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from sprintlock._core.cachedir import cache_folder, write_quietly
from sprintlock._core.venvpaths import venv_python
from sprintlock._env.stampcheck import (
    PYPROJECT,
    STAMP_NAME,
    data_holds,
    file_digest,
    project_record,
    request_key,
    sha256_hex,
)
from sprintlock._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Call", "current", "pythons", "remember", "remember_pythons"]

#: The modules whose code decides which lock a call installs and how it is checked, and
#: the target Pythons (relative to the package): an edited checkout is another sprintlock.
_DECIDERS = (
    "_core/known.py",
    "_env/request.py",
    "_env/stampcheck.py",
    "_env/warm.py",
    "_lock/names.py",
    "_project/config.py",
    "_project/pyproject.py",
    "_project/targets.py",
)


def _sprintlock() -> str:
    """Which sprintlock gave an answer: its version and the times of the modules that decide it."""
    package = Path(__file__).parent.parent  # sprintlock/
    try:
        times = [str((package / name).lstat().st_mtime_ns) for name in _DECIDERS]
    except OSError:  # not installed as files (a zip): the version alone
        times = []
    return " ".join([__version__, *times])


class Call:
    """One call of ``install``: what its answer depends on besides the files."""

    def __init__(self, root: Path, layer: str, venv: Path, *, project: bool, editable: bool, lock_format: str) -> None:
        self.root = os.path.realpath(root)
        self.layer, self.venv, self.project, self.editable = layer, venv, project, editable
        self.fields = {
            "version": _sprintlock(),
            "root": self.root,
            "venv": str(venv),
            "layer": layer,
            "project": project,
            "editable": editable,
            "format": lock_format,
        }

    @property
    def pyproject(self) -> Path:
        return Path(self.root, PYPROJECT)


def _name(text: str) -> str:
    return hashlib.sha256(os.fsencode(text)).hexdigest()[:24]


def _memo_file(call: Call) -> str:
    return f"{cache_folder()}/nox/{_name(str(call.venv))}.json"


def _read(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def current(call: Call) -> bool:
    """Whether the memo of ``call`` holds and the environment still matches its lock (True only when surely so)."""
    memo = _read(_memo_file(call))
    if memo is None or any(memo.get(key) != value for key, value in call.fields.items()):
        return False
    venv = call.venv
    if not venv_python(venv).exists() or os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return False  # the full path says what is wrong
    try:
        stamp_bytes = (venv / STAMP_NAME).read_bytes()
        if file_digest(call.pyproject) != memo["pyproject"] or sha256_hex(stamp_bytes) != memo["stamp"]:
            return False
        with open(str(memo["lock"]), encoding="utf-8") as handle:  # universal newlines, as the full path reads
            lock_text = handle.read()
        stamp = json.loads(stamp_bytes)
    except (OSError, ValueError, KeyError):
        return False
    record = project_record(Path(call.root), install=call.project, editable=call.editable)
    key = request_key(lock_text, call.layer, venv, record)
    return isinstance(stamp, dict) and data_holds(stamp, key)


def remember(call: Call, *, pyproject: str, lock: Path) -> None:
    """Write the memo of ``call``: its environment matches the lock at ``lock``, made from
    ``pyproject.toml`` whose digest was ``pyproject`` (taken before it was read)."""
    memo = {**call.fields, "pyproject": pyproject, "lock": str(lock), "stamp": file_digest(call.venv / STAMP_NAME)}
    write_quietly(_memo_file(call), json.dumps(memo))


def _pythons_file(root: str) -> str:
    return f"{cache_folder()}/nox/{_name(root)}.pythons.json"


def pythons(root: Path) -> list[str] | None:
    """The target Pythons the project at ``root`` had when its ``pyproject.toml`` had these bytes; None if unknown."""
    real = os.path.realpath(root)
    memo = _read(_pythons_file(real))
    if memo is None or memo.get("version") != _sprintlock() or memo.get("root") != real:
        return None
    found = memo.get("pythons")
    if file_digest(Path(real, PYPROJECT)) != memo.get("pyproject") or not isinstance(found, list):
        return None
    return [str(version) for version in found]


def remember_pythons(root: Path, found: list[str], *, pyproject: str) -> None:
    real = os.path.realpath(root)
    memo = {"version": _sprintlock(), "root": real, "pyproject": pyproject, "pythons": found}
    write_quietly(_pythons_file(real), json.dumps(memo))
