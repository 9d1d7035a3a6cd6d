"""What a layer's files are called: light, for the hot paths (``sprintlock.nox``, the stamp check).

``sync`` is given ``LAYER`` (``requirements/LAYER.txt``) or ``pylock.LAYER.toml`` (PEP 751).
"""

from __future__ import annotations

import re
from pathlib import Path

from sprintlock._core.errors import ConfigError
from sprintlock._lock.header import pylock_name
from sprintlock._project.config import FORMATS, FormatName, Project

__all__ = ["lock_spec", "pylock_name", "pylock_path", "split_spec"]

_SPEC = re.compile(r"^pylock\.([^./\\]+)\.toml$")


def pylock_path(project: Project, layer: str) -> Path:
    return project.requirements_dir / pylock_name(layer)


def lock_spec(layer: str, lock_format: FormatName = "requirements") -> str:
    """What ``sync`` is given to install a layer in ``lock_format``: ``LAYER`` or ``pylock.LAYER.toml``."""
    if lock_format not in FORMATS:
        raise ConfigError(f"unknown lock format {lock_format!r}", hint=f"use one of: {', '.join(FORMATS)}")
    return pylock_name(layer) if lock_format == "pylock" else layer


def split_spec(spec: str) -> tuple[str, FormatName]:
    """``(layer, format)`` from what ``sync`` is given: ``tests`` or ``pylock.tests.toml``."""
    match = _SPEC.match(spec)
    return (match.group(1), "pylock") if match else (spec, "requirements")
