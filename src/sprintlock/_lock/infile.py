"""Parse ``requirements/*.in`` files (and files they reference) with line numbers."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from sprintlock._core.errors import InputError, location
from sprintlock._core.files import read_text
from sprintlock._core.text import requirement_lines

RefKind = Literal["-r", "-c"]
_REFERENCE_OPTIONS: dict[str, RefKind] = {
    "-r": "-r",
    "--requirement": "-r",
    "-c": "-c",
    "--constraint": "-c",
}


@dataclass(frozen=True)
class Reference:
    """A ``-r FILE`` or ``-c FILE`` line; ``path`` is resolved against the referencing file."""

    kind: RefKind
    path: Path
    text: str
    line: int


@dataclass(frozen=True)
class InRequirement:
    requirement: Requirement
    line: int

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def exact(self) -> bool:
        """True for an exact pin such as ``werkzeug==3.1.0``."""
        specs = list(self.requirement.specifier)
        return len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version


@dataclass(frozen=True)
class Origin:
    """Where an input that is not a file of its own comes from (a dependency group)."""

    #: How lock headers name it, e.g. ``pyproject.toml [dependency-groups] tests``.
    label: str
    #: The file and line that define it (for messages).
    path: Path
    line: int | None


@dataclass(frozen=True)
class InFile:
    """An input: a ``.in`` file (or a file one includes), or a dependency group read as one.

    A group's :attr:`path` is where its ``NAME.in`` would be: the resolver reads it there
    (in the staging copy), and ``-r`` lines resolve against it.
    """

    path: Path
    text: str
    requirements: tuple[InRequirement, ...]
    references: tuple[Reference, ...]
    #: None for a file; a dependency group's origin otherwise.
    origin: Origin | None = None

    @property
    def exact_pins(self) -> bool:
        """A minimum-versions style layer: every requirement is an exact pin."""
        return bool(self.requirements) and all(req.exact for req in self.requirements)


def parse_infile(path: Path, *, root: Path | None = None, text: str | None = None) -> InFile:
    """Parse one requirements input file; raise :class:`InputError` naming file and line."""
    if text is None:
        text = read_text(path, root=root, hint="save it as a UTF-8 text file of requirements")
        if text is None:
            raise InputError("cannot read: no such file", where=location(path, root=root))
    requirements: list[InRequirement] = []
    references: list[Reference] = []
    for number, line in requirement_lines(text):
        where = location(path, number, root=root)
        if line.startswith("-"):
            references.append(_parse_option(path, line, number, where))
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as exc:
            raise InputError(
                f"not a valid requirement: {line!r} ({exc})",
                where=where,
                hint='write a PEP 508 requirement such as "pytest>=8" or "-r other.in"',
            ) from None
        if requirement.url:
            raise InputError(
                f"direct references are not supported: {line!r}",
                where=where,
                hint="require a released version by name; locks pin versions from the index",
            )
        requirements.append(InRequirement(requirement, number))
    return InFile(path, text, tuple(requirements), tuple(references))


def _parse_option(path: Path, line: str, number: int, where: str) -> Reference:
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise InputError(f"cannot parse {line!r}: {exc}", where=where) from None
    option, _, inline_value = words[0].partition("=")
    if option in _REFERENCE_OPTIONS:
        value = inline_value or (words[1] if len(words) > 1 else "")
        extra = words[1:] if inline_value else words[2:]
        if not value or extra:
            raise InputError(
                f"{option} takes exactly one file name: {line!r}",
                where=where,
                hint=f"write `{option} other.txt` on a line of its own",
            )
        return Reference(_REFERENCE_OPTIONS[option], (path.parent / value), value, number)
    if option in ("-e", "--editable"):
        hint = (
            "remove this line: sprintlock pins the project's own dependencies from "
            "pyproject.toml and installs the project itself without dependencies"
        )
    else:
        hint = (
            "only -r and -c are supported in .in files; configure indexes in your "
            "pip or uv configuration so that locks stay machine-independent"
        )
    raise InputError(f"unsupported option {option!r}", where=where, hint=hint)
