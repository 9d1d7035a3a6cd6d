"""What an environment's interpreter answered, remembered per base interpreter.

Before it plans anything, a sync asks the environment's interpreter for its marker
environment and its site-packages folders: one interpreter start (about 15 ms), as long
as installing a small lock with uv. Every environment made from one base interpreter
answers the same markers, and site folders at the same place inside the environment.
So the answer is kept in sprintlock's cache folder (``interpreters/<key>.json``), under
a key of what it depends on:

- the interpreter file the environment runs (its resolved path, size and modification
  time: a rebuilt or replaced Python is another key);
- the fields of ``pyvenv.cfg`` that shape the environment (``home``, the version, the
  implementation, ``include-system-site-packages``);
- the kernel release (``platform_release`` is a marker) and the probe's own text.

A cached answer is used only when every site folder lies inside the environment (it is
stored relative to it). Best effort: a cache that cannot be read or written is no cache,
and the interpreter is asked.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sprintlock._core.cachedir import user_cache_dir, write_quietly

#: The fields of ``pyvenv.cfg`` an environment's answer depends on (``prompt`` is not one).
_FIELDS = ("home", "implementation", "version", "version_info", "include-system-site-packages", "base-prefix")
_VENV = "{venv}"


def probe_key(python: Path, venv: Path, probe: str) -> str | None:
    """The key of ``venv``'s answer to ``probe``; None when it cannot be told (no cache then)."""
    try:
        real = python.resolve(strict=True)
        info = real.stat()
        config = (venv / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace")
    except (OSError, RuntimeError):
        return None
    fields = {}
    for line in config.splitlines():
        name, sep, value = line.partition("=")
        if sep:
            fields[name.strip().lower()] = value.strip()
    uname = getattr(os, "uname", None)
    parts = [
        "probe 1",
        hashlib.sha256(probe.encode()).hexdigest(),
        f"{real} {info.st_size} {info.st_mtime_ns}",
        *(f"{name}={fields.get(name, '')}" for name in _FIELDS),
        uname().release if uname is not None else "",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _path(key: str) -> Path:
    return user_cache_dir() / "interpreters" / f"{key}.json"


def cached_probe(key: str, venv: Path) -> tuple[dict[str, str], tuple[str, ...]] | None:
    """The markers and site folders remembered under ``key``, the folders placed in ``venv``."""
    try:
        data: Any = json.loads(_path(key).read_text(encoding="utf-8"))
        markers = {str(name): str(value) for name, value in data["markers"].items()}
        relative = [str(item) for item in data["site_dirs"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not relative or not all(item.startswith(_VENV) for item in relative):
        return None
    return markers, tuple(str(venv) + item.removeprefix(_VENV) for item in relative)


def remember_probe(key: str, venv: Path, markers: dict[str, str], site_dirs: tuple[str, ...]) -> None:
    """Keep an answer whose site folders all lie inside ``venv``; nothing otherwise."""
    prefix = str(venv)
    if not site_dirs or not all(item == prefix or item.startswith(prefix + os.sep) for item in site_dirs):
        return
    relative = [_VENV + item.removeprefix(prefix) for item in site_dirs]
    write_quietly(str(_path(key)), json.dumps({"markers": markers, "site_dirs": relative}, sort_keys=True))
