"""What sprintlock knows about targets, importable from the hot paths (nothing but the standard
library's core is loaded: ``sprintlock check`` answers from here without :mod:`packaging`).
"""

from __future__ import annotations

#: CPython minor versions sprintlock knows about, oldest first.
KNOWN_PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
#: Used when a project declares no ``requires-python``: the versions still maintained.
DEFAULT_PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
#: The platform targets sprintlock knows, in the order locks list them.
PLATFORMS = ("linux", "macos", "windows")
#: The resolvers a project may configure.
RESOLVERS = ("uv", "pip-tools")


def pythons_allowed(requires_python: str | None) -> tuple[str, ...]:
    """The known CPython minor versions that ``requires-python`` admits.

    A minor version counts when any of its releases is admitted (``>=3.9.2`` admits 3.9).
    Raises ValueError for a malformed specifier. :mod:`packaging` is imported only when
    there is a specifier to read.
    """
    if not requires_python:
        return DEFAULT_PYTHONS
    lowest = _at_least(requires_python)
    if lowest is not None:  # the common ``>=3.N``: read without loading packaging (tested against it)
        return tuple(minor for minor in KNOWN_PYTHONS if int(minor.split(".")[1]) >= lowest)
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier as exc:
        raise ValueError(str(exc)) from exc
    return tuple(
        minor
        for minor in KNOWN_PYTHONS
        if any(spec.contains(f"{minor}.{patch}", prereleases=True) for patch in (0, 99))
    )


def _at_least(requires_python: str) -> int | None:
    """``N`` when ``requires_python`` is exactly ``>=3.N`` (spaces around allowed); else None."""
    text = requires_python.strip()
    if not text.startswith(">="):
        return None
    major, dot, minor = text[2:].strip().partition(".")
    plain = minor.isdigit() and minor.isascii() and len(minor) <= 2 and (minor == "0" or minor[0] != "0")
    return int(minor) if major == "3" and dot and plain else None
