"""The versions a project's ``uv.lock`` pins, as the resolver's preferences.

A project managed by uv keeps ``uv.lock`` (every dependency group and the project's own
dependencies, resolved once). When sprintlock locks the same groups, it prefers the
versions uv chose, as it prefers the pins of a foreign (pip-compile) lock: adopting the
project, or locking a group anew, keeps the versions the project already runs with.
These are preferences only: a version that does not fit a layer's requirements or a
target is resolved anew, and ``uv.lock`` never makes a lock stale.

Only releases from a package index count (``source = { registry = ... }``): the project
itself (``editable``/``virtual``) and git, path or URL sources have no index version to
prefer. A package uv forked into several versions (one per Python range) keeps each with
its ``resolution-markers``. An unreadable or invalid ``uv.lock`` gives no preferences:
it is uv's file, and ``uv lock`` reports its problems.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sprintlock._core.errors import ParseError, SprintlockError
from sprintlock._core.files import read_text
from sprintlock._lock.lockfile import Pin, make_pin

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["UV_LOCK", "uv_lock_pins"]

#: uv's lock, at the project root: a project that has one is managed by uv.
UV_LOCK = "uv.lock"


def _packages(text: str) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    packages = data.get("package", [])
    return [p for p in packages if isinstance(p, dict)] if isinstance(packages, list) else []


def _from_index(package: dict[str, Any]) -> bool:
    source = package.get("source")
    return (
        isinstance(source, dict)
        and "registry" in source
        and isinstance(package.get("name"), str)
        and isinstance(package.get("version"), str)
    )


def _marker(package: dict[str, Any], forked: bool) -> str | None:
    """The Python range uv resolved this version for, when it forked the package; else None."""
    markers = package.get("resolution-markers")
    if not forked or not isinstance(markers, list) or not markers:
        return None
    return " or ".join(f"({marker})" for marker in markers if isinstance(marker, str)) or None


def _pin(package: dict[str, Any], forked: bool) -> Pin:
    try:
        return make_pin(package["name"], package["version"], _marker(package, forked))
    except ParseError:  # a marker this packaging cannot read: prefer the version everywhere
        return make_pin(package["name"], package["version"])


def parse_uv_lock(text: str) -> tuple[Pin, ...]:
    """The index releases ``uv.lock`` text pins (a forked package once per version, with its markers)."""
    packages = [p for p in _packages(text) if _from_index(p)]
    names = [make_pin(p["name"], p["version"]).name for p in packages]
    forked = {name for name in names if names.count(name) > 1}
    pins = [_pin(p, name in forked) for p, name in zip(packages, names, strict=True)]
    return tuple({pin.key: pin for pin in pins}.values())


def uv_lock_pins(root: Path) -> tuple[Pin, ...]:
    """The preferences of the project's ``uv.lock`` at ``root``; () when there is none (or it is unreadable)."""
    try:
        text = read_text(root / UV_LOCK, root=root)
    except SprintlockError:
        return ()
    return parse_uv_lock(text) if text is not None else ()
