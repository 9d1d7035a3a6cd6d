"""Python and platform targets: which environments a lock must be valid for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from sprintlock._core.markers import PLATFORMS, SYS_PLATFORM, environments

__all__ = [
    "DEFAULT_PYTHONS",
    "KNOWN_PYTHONS",
    "PLATFORMS",
    "SYS_PLATFORM",
    "Targets",
    "python_marker",
    "pythons_allowed",
    "sort_versions",
    "version_key",
]

#: CPython minor versions sprintlock knows about, oldest first.
KNOWN_PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
#: Used when a project declares no ``requires-python``: the versions still maintained.
DEFAULT_PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14", "3.15")


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def sort_versions(versions: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(versions), key=version_key))


def pythons_allowed(requires_python: str | None) -> tuple[str, ...]:
    """The known CPython minor versions that ``requires-python`` admits.

    A minor version counts when any of its releases is admitted (``>=3.9.2`` admits 3.9).
    Raises ValueError for a malformed specifier.
    """
    if not requires_python:
        return DEFAULT_PYTHONS
    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier as exc:
        raise ValueError(str(exc)) from exc
    return tuple(
        minor
        for minor in KNOWN_PYTHONS
        if any(spec.contains(f"{minor}.{patch}", prereleases=True) for patch in (0, 99))
    )


@dataclass(frozen=True)
class Targets:
    """The Python minor versions and platforms a lock must be valid for."""

    pythons: tuple[str, ...]
    platforms: tuple[str, ...]

    def describe(self) -> str:
        return f"python {' '.join(self.pythons)}; platforms {' '.join(self.platforms)}"

    @classmethod
    def parse(cls, text: str) -> Targets:
        """Inverse of :meth:`describe`; raises ValueError."""
        python_part, _, platform_part = text.partition(";")
        words = python_part.split()
        platform_words = platform_part.split()
        if not words or words[0] != "python" or not platform_words or platform_words[0] != "platforms":
            raise ValueError(f"not a target description: {text!r}")
        return cls(tuple(words[1:]), tuple(platform_words[1:]))

    def missing_from(self, covered: Targets) -> Targets:
        """The part of ``self`` that ``covered`` does not cover."""
        return Targets(
            tuple(v for v in self.pythons if v not in covered.pythons),
            tuple(p for p in self.platforms if p not in covered.platforms),
        )

    @property
    def empty(self) -> bool:
        return not self.pythons and not self.platforms

    def environments(self) -> list[dict[str, str]]:
        """Marker environments sampling every target (see :func:`sprintlock._core.markers.environments`)."""
        return environments(self.pythons, self.platforms)


def python_marker(versions: Sequence[str], all_versions: Sequence[str]) -> str | None:
    """The shortest ``python_version`` marker selecting ``versions`` out of ``all_versions``.

    None when ``versions`` is all of them (no marker needed).
    """
    chosen = sort_versions(versions)
    ordered = sort_versions(all_versions)
    if chosen == ordered:
        return None
    if chosen == ordered[: len(chosen)]:
        return f'python_version < "{ordered[len(chosen)]}"'
    if chosen == ordered[len(ordered) - len(chosen) :]:
        return f'python_version >= "{chosen[0]}"'
    return " or ".join(f'python_version == "{v}"' for v in chosen)
