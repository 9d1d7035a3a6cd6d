"""``[dependency-groups]`` (PEP 735): each group, validated, as a layer's input.

The table is read with pypa's reference implementation (``dependency_groups``): names
are normalised, includes and cycles checked. What a layer needs is a group's items in
order: each requirement (normalised, one per line) and each ``{include-group = "other"}``
as a reference to that group's lock (``-r other.txt``), exactly as an ``.in`` file
includes another layer. :attr:`DependencyGroup.text` is that content: what the lock's
fingerprint records and what the resolver reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from sprintlock._project.layout import DEPENDENCY_GROUPS

if TYPE_CHECKING:  # imported where a project has groups: `sprintlock check` elsewhere does not load it
    from dependency_groups import DependencyGroupResolver

#: The table's name in ``pyproject.toml``.
TABLE = DEPENDENCY_GROUPS
_HINT = 'list PEP 508 requirements and {include-group = "NAME"} tables, e.g. tests = ["pytest>=8"]'


@dataclass(frozen=True)
class Include:
    """``{include-group = "NAME"}`` in a group (the name normalised)."""

    include_group: str


@dataclass(frozen=True)
class DependencyGroup:
    """One group: its (normalised) name, its key as written, and its items in order."""

    name: str
    key: str
    #: Requirements (normalised) and included groups' names (normalised), in the group's order.
    items: tuple[str | Include, ...]
    #: The line of its key in ``pyproject.toml`` (for messages).
    line: int | None = None

    @property
    def requirements(self) -> tuple[str, ...]:
        return tuple(item for item in self.items if isinstance(item, str))

    @property
    def includes(self) -> tuple[str, ...]:
        return tuple(item.include_group for item in self.items if isinstance(item, Include))

    @property
    def label(self) -> str:
        """How a lock's header names it: ``pyproject.toml [dependency-groups] NAME``."""
        return f"pyproject.toml [{TABLE}] {self.name}"

    @property
    def text(self) -> str:
        """The group as an input file: a requirement or ``-r NAME.txt`` per line."""
        return "".join(
            (f"-r {item.include_group}.txt" if isinstance(item, Include) else item) + "\n" for item in self.items
        )


#: Raise a configuration error at a group's line: ``(key, message, hint)``.
Fail = Callable[[str | None, str, str], NoReturn]
#: The line of a group's key in ``pyproject.toml``.
LineOf = Callable[[str], "int | None"]


def read_groups(data: object, fail: Fail, line_of: LineOf) -> tuple[DependencyGroup, ...]:
    """Every group of ``[dependency-groups]`` (``data``), validated; () when there is no table.

    ``fail(key, message, hint)`` raises the error, at the line of ``key`` (None: the table).
    """
    if data is None:
        return ()
    if not isinstance(data, Mapping):
        fail(None, f"[{TABLE}] must be a table", _HINT)
    from dependency_groups import DependencyGroupResolver

    try:
        resolver = DependencyGroupResolver(data)
    except (TypeError, ValueError) as exc:
        fail(None, f"invalid [{TABLE}]: {exc}", "give each group one name (names are compared normalised)")
    groups = tuple(_group(resolver, key, fail, line_of(key)) for key in data)
    for group in groups:
        _check_includes(resolver, group, fail)
    for group in groups:
        _check_cycles(resolver, group, fail)
    return groups


def _group(resolver: DependencyGroupResolver, key: str, fail: Fail, line: int | None) -> DependencyGroup:
    try:
        parsed = resolver.lookup(key)
    except InvalidRequirement as exc:
        fail(key, f"group {key!r}: not a valid requirement ({exc})", _HINT)
    except (TypeError, ValueError) as exc:
        fail(key, f"group {key!r}: {exc}", _HINT)
    items: list[str | Include] = []
    for item in parsed:
        if isinstance(item, Requirement):
            if item.url:
                fail(
                    key,
                    f"group {key!r}: direct references are not supported: {str(item)!r}",
                    "require a released version by name; locks pin versions from the index",
                )
            items.append(str(item))
        else:
            items.append(Include(canonicalize_name(item.include_group)))
    return DependencyGroup(canonicalize_name(key), key, tuple(items), line)


def _check_includes(resolver: DependencyGroupResolver, group: DependencyGroup, fail: Fail) -> None:
    """An included group must exist."""
    for name in group.includes:
        if name not in resolver.dependency_groups:
            fail(
                group.key,
                f"group {group.key!r} includes {name!r}, which is not a group",
                f"add a group {name!r} to [{TABLE}], or remove the include",
            )


def _check_cycles(resolver: DependencyGroupResolver, group: DependencyGroup, fail: Fail) -> None:
    """No group may include itself, directly or through other groups."""
    from dependency_groups import CyclicDependencyError

    try:
        resolver.resolve(group.key)
    except CyclicDependencyError as exc:
        fail(
            group.key,
            f"group {group.key!r}: circular include-group ({exc})",
            "a group cannot include itself, directly or through other groups; remove one include",
        )
