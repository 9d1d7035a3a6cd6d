"""Merge per-interpreter resolutions into one marker-annotated pin list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sprintlock._core.markers import environment, evaluate
from sprintlock._lock.lockfile import Pin, make_pin
from sprintlock._project.targets import python_marker, sort_versions


def applies(pin: Pin, python: str, platform: str) -> bool:
    """Whether ``pin``'s own marker holds for a target interpreter (``platform``: a platform target)."""
    return evaluate(pin.marker, environment(python, platform))


def merge(results: Mapping[str, Sequence[Pin]], platform: str) -> tuple[Pin, ...]:
    """One pin list valid for every Python in ``results`` (``{"3.12": pins, ...}``).

    A release needed by only some of the Pythons gets a ``python_version`` marker;
    a package at different versions on different Pythons gets one line per version.
    """
    pythons = sort_versions(results)
    found: dict[tuple[str, str], dict[str, Pin]] = {}
    for python in pythons:
        for pin in results[python]:
            if applies(pin, python, platform):
                found.setdefault((pin.name, pin.version), {})[python] = pin
    merged = []
    for (name, version), per_python in found.items():
        pins = per_python.values()
        merged.append(
            make_pin(
                name,
                version,
                python_marker(list(per_python), pythons),
                {h for pin in pins for h in pin.hashes},
                {v for pin in pins for v in pin.via},
            )
        )
    return tuple(sorted(merged, key=lambda p: p.key))
