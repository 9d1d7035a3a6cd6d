"""Marker environments for (python, platform) targets, and markers evaluated against them.

The one place that says what ``sys_platform``, ``os_name``... are on each target platform,
so that merging per-interpreter resolutions and checking locks agree on what a marker means.
(Syncing probes the real interpreter instead: see ``_env/sync.py``.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from packaging.markers import Marker

#: The marker values of each platform target.
PLATFORM_MARKERS: dict[str, dict[str, str]] = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "macos": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
    "windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
}
#: ``sys_platform`` for each platform target.
SYS_PLATFORM = {platform: values["sys_platform"] for platform, values in PLATFORM_MARKERS.items()}
#: Patch releases sampled for each Python: markers may compare ``python_full_version``.
PATCHES = (0, 99)


def environment(python: str, platform: str, patch: int = 0) -> dict[str, str]:
    """The marker environment of CPython ``python`` (``"3.12"``) at ``patch`` on ``platform``.

    An unknown platform (an unusual ``sys.platform``) is taken as its own ``sys_platform``.
    """
    return {
        "python_version": python,
        "python_full_version": f"{python}.{patch}",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        **PLATFORM_MARKERS.get(platform, {"sys_platform": platform}),
    }


def environments(pythons: Iterable[str], platforms: Iterable[str]) -> list[dict[str, str]]:
    """Environments sampling every target: each Python (first and late patch) on each platform."""
    platforms = tuple(platforms)
    return [environment(python, platform, patch) for python in pythons for patch in PATCHES for platform in platforms]


def evaluate(marker: str | None, environment: Mapping[str, str]) -> bool:
    """Whether ``marker`` holds in ``environment`` (no marker always holds; no extra is active)."""
    if marker is None:
        return True
    return _parsed(marker).evaluate({**environment, "extra": ""})


@functools.lru_cache(maxsize=1024)
def _parsed(marker: str) -> Marker:
    """A marker parsed once: consistency evaluates each pin's marker on every target."""
    return Marker(marker)
