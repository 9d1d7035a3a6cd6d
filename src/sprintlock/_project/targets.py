"""Python and platform targets: which environments a lock must be valid for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sprintlock._core.known import DEFAULT_PYTHONS, KNOWN_PYTHONS, PLATFORMS, pythons_allowed
from sprintlock._core.markers import SYS_PLATFORM, environments

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


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def sort_versions(versions: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(versions), key=version_key))


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
