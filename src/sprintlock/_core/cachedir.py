"""sprintlock's cache folder. Importing this loads nothing but :mod:`os` and :mod:`pathlib`.

The hot path of ``sprintlock check`` (its memo) needs the folder without the exclusive
locks' module (:mod:`logging`, the ``filelock`` library), which re-exports it.
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """sprintlock's cache folder: ``$SPRINTLOCK_CACHE_DIR``, else ``$XDG_CACHE_HOME/sprintlock``
    (default ``~/.cache/sprintlock``; ``%LOCALAPPDATA%\\sprintlock\\cache`` on Windows)."""
    configured = os.environ.get("SPRINTLOCK_CACHE_DIR")
    if configured:
        return Path(configured)
    if os.name == "nt":  # pragma: no cover - Windows only
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else Path.home() / "AppData" / "Local") / "sprintlock" / "cache"
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache") / "sprintlock"
