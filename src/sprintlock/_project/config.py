"""The project and its ``[tool.sprintlock]`` configuration."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn, cast

from packaging.requirements import InvalidRequirement, Requirement

from sprintlock._core import known
from sprintlock._core.durations import cooldown_days, days_text
from sprintlock._core.errors import ConfigError, location
from sprintlock._project.layout import DEPENDENCY_GROUPS as GROUPS_TABLE
from sprintlock._project.layout import PYPROJECT
from sprintlock._project.pyproject import Table, key_line, read_pyproject
from sprintlock._project.schedule import valid_schedule
from sprintlock._project.targets import KNOWN_PYTHONS, PLATFORMS, Targets, pythons_allowed, sort_versions

if TYPE_CHECKING:
    from sprintlock._project.groups import DependencyGroup

ResolverName = Literal["uv", "pip-tools"]
#: The resolvers a project may configure (one list, in ``_core/known.py``, which the hot paths read).
RESOLVERS = cast("tuple[ResolverName, ...]", known.RESOLVERS)
#: ``upgrade-schedule``: when the upgrade workflow runs: "weekly", "monthly" (default) or a cron line.
#: ``upgrade-cooldown``: ignore releases younger than this ("7 days", "2 weeks", "P7D") when locking.
KEYS = (
    "requirements",
    "resolver",
    "python",
    "platforms",
    "hashes",
    "project-layers",
    "upgrade-schedule",
    "upgrade-cooldown",
    "formats",
)
FormatName = Literal["requirements", "pylock"]
#: ``formats``: the files each layer is written as: ``requirements/NAME.txt`` (always) and,
#: with "pylock", ``requirements/pylock.NAME.toml`` (PEP 751).
FORMATS: tuple[FormatName, ...] = ("requirements", "pylock")
_VERSION = re.compile(r"^3\.\d+$")
_SECTION = "tool.sprintlock"


@dataclass(frozen=True)
class Config:
    """``[tool.sprintlock]`` with its defaults applied."""

    requirements: str = "requirements"
    resolver: ResolverName = "uv"
    targets: Targets = field(default_factory=lambda: Targets((), ()))
    hashes: bool = True
    #: Layers whose lock also pins the project's runtime dependencies; None: all but ``build``.
    project_layers: tuple[str, ...] | None = None
    #: When ``.github/workflows/upgrade.yml`` runs: ``weekly``, ``monthly`` or a five-field cron line.
    upgrade_schedule: str = "monthly"
    #: ``upgrade-cooldown``: releases younger than this are ignored by ``lock`` and ``upgrade``; None: none.
    upgrade_cooldown: timedelta | None = None
    #: The formats every layer is written in: always "requirements", and "pylock" when configured.
    formats: tuple[FormatName, ...] = ("requirements",)

    @property
    def pylock(self) -> bool:
        """Whether every layer is also written as ``pylock.NAME.toml`` (PEP 751)."""
        return "pylock" in self.formats

    def includes_project(self, layer: str) -> bool:
        if self.project_layers is None:
            return layer != "build"
        return layer in self.project_layers


@dataclass(frozen=True)
class Project:
    """A project on disk: its root, its configuration and its runtime dependencies."""

    root: Path
    config: Config
    name: str | None
    dependencies: tuple[str, ...]
    requires_python: str | None
    #: ``[dependency-groups]`` (PEP 735), each group a layer; () when there are none.
    groups: tuple[DependencyGroup, ...] = ()

    @property
    def requirements_dir(self) -> Path:
        return self.root / self.config.requirements

    @property
    def pyproject(self) -> Path:
        return self.root / PYPROJECT


def _key_line(text: str, section: str, key: str) -> int | None:
    """The line of ``key`` inside ``[section]`` (a dotted name), for error messages: see :func:`key_line`."""
    return key_line(text, (*section.split("."), key) if section else (key,))


@dataclass(frozen=True)
class _Table:
    """One table of ``pyproject.toml`` being validated: typed values, or a ConfigError at the key's line."""

    root: Path
    text: str
    section: str
    data: Table
    hint: str

    def fail(self, key: str | None, message: str, hint: str | None = None) -> NoReturn:
        line = _key_line(self.text, self.section, key) if key else None
        raise ConfigError(message, where=location(self.root / PYPROJECT, line, root=self.root), hint=hint)

    def invalid(self, key: str, message: str, hint: str | None = None) -> NoReturn:
        """A bad value: the error names its line, with the table's hint unless one is given."""
        self.fail(key, message, hint or self.hint)

    def table(self, key: str, hint: str | None = None) -> _Table:
        value = self.data.get(key, {})
        section = f"{self.section}.{key}" if self.section else key
        if not isinstance(value, dict):
            self.fail(key, f"[{section}] must be a table", hint or self.hint)
        return _Table(self.root, self.text, section, value, hint or self.hint)

    def string(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or isinstance(value, str):
            return value
        self.invalid(key, f"`{key}` must be a string")

    def strings(self, key: str) -> tuple[str, ...] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.invalid(key, f"`{key}` must be a list of strings")
        return tuple(value)


def _resolver(table: _Table) -> ResolverName:
    value = table.data.get("resolver", "uv")
    for name in RESOLVERS:
        if value == name:
            return name
    table.invalid("resolver", f"unknown resolver {value!r}", f"use one of: {', '.join(RESOLVERS)}")


def _requirements(table: _Table) -> str:
    value = table.data.get("requirements", "requirements")
    if not isinstance(value, str) or not value or Path(value).is_absolute() or Path(value).drive:
        table.invalid("requirements", "`requirements` must be a relative folder path")
    if ".." in Path(value).parts or not value.isprintable():
        table.invalid(
            "requirements",
            f"`requirements` must be a folder inside the project, not {value!r}",
            'name a folder below the project root, such as "requirements"',
        )
    return value


def _hashes(table: _Table) -> bool:
    value = table.data.get("hashes", True)
    if not isinstance(value, bool):
        table.invalid("hashes", "`hashes` must be true or false")
    return value


def _pythons(table: _Table, requires_python: _RequiresPython) -> tuple[str, ...]:
    """``python``, else the known CPython versions ``requires-python`` admits."""
    pythons = table.strings("python")
    if pythons is not None:
        bad = [v for v in pythons if not _VERSION.match(v)]
        if bad or not pythons:
            table.invalid("python", f'`python` must list minor versions like "3.12", not {bad}')
        unknown = [v for v in pythons if v not in KNOWN_PYTHONS]
        if unknown:
            table.invalid(
                "python",
                f"unknown Python versions {unknown}",
                f"use CPython minor versions sprintlock knows: {KNOWN_PYTHONS[0]} to {KNOWN_PYTHONS[-1]}",
            )
        return pythons
    if not requires_python.allowed:
        requires_python.table.invalid(
            "requires-python",
            f"requires-python {requires_python.value!r} admits no known CPython version",
            "set `python` in [tool.sprintlock] to the versions you test on",
        )
    return requires_python.allowed


@dataclass(frozen=True)
class _RequiresPython:
    """``[project] requires-python``, checked, and the known versions it admits."""

    table: _Table
    value: str | None
    allowed: tuple[str, ...]


def _platforms(table: _Table) -> tuple[str, ...]:
    platforms = table.strings("platforms")
    platforms = PLATFORMS if platforms is None else platforms
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown or not platforms:
        table.invalid("platforms", f"unknown platforms {unknown}", f"use some of: {', '.join(PLATFORMS)}")
    return tuple(p for p in PLATFORMS if p in platforms)


def _upgrade_schedule(table: _Table) -> str:
    value = table.data.get("upgrade-schedule", "monthly")
    if not isinstance(value, str) or not valid_schedule(value):
        table.invalid(
            "upgrade-schedule",
            f"invalid upgrade-schedule {value!r}",
            'use "weekly", "monthly" or a five-field cron line such as "0 5 * * 1"',
        )
    return value


def parse_cooldown(text: str) -> timedelta | None:
    """``"7 days"``, ``"1 week"``, ``"P7D"``, ``"P2W"`` (whole days, at least one) as a duration; None if not one."""
    days = cooldown_days(text)
    return timedelta(days=days) if days is not None else None


def cooldown_text(cooldown: timedelta) -> str:
    """The canonical spelling of a cooldown (``"7 days"``): what the lock's fingerprint records."""
    return days_text(cooldown.days)


def _upgrade_cooldown(table: _Table) -> timedelta | None:
    value = table.data.get("upgrade-cooldown")
    if value is None:
        return None
    cooldown = parse_cooldown(value) if isinstance(value, str) else None
    if cooldown is None:
        table.invalid(
            "upgrade-cooldown",
            f"invalid upgrade-cooldown {value!r}",
            'use a whole number of days or weeks, at least one day: "7 days", "2 weeks" or "P7D"',
        )
    return cooldown


def _formats(table: _Table) -> tuple[FormatName, ...]:
    """``formats``: a non-empty list of known formats that includes "requirements" (the lock
    ``check``, ``sync`` and the bots read; a pylock file is written beside it, never instead)."""
    hint = 'use formats = ["requirements"] (the default) or ["requirements", "pylock"]'
    value = table.data.get("formats", ["requirements"])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        table.invalid("formats", "`formats` must be a list of strings", hint)
    unknown = [item for item in value if item not in FORMATS]
    if unknown:
        table.invalid("formats", f"unknown formats {unknown} in `formats`", hint)
    if "requirements" not in value:
        table.invalid("formats", '`formats` must include "requirements": the pylock file is written beside it', hint)
    return tuple(name for name in FORMATS if name in value)


def _config(table: _Table, requires_python: _RequiresPython) -> Config:
    """``[tool.sprintlock]``, every value checked and typed."""
    for key in table.data:
        if key not in KEYS:
            table.invalid(key, f"unknown option `{key}` in [tool.sprintlock]")
    # In this order: the first bad value is the one reported.
    requirements, resolver, hashes = _requirements(table), _resolver(table), _hashes(table)
    targets = Targets(sort_versions(_pythons(table, requires_python)), _platforms(table))
    return Config(
        requirements=requirements,
        resolver=resolver,
        targets=targets,
        hashes=hashes,
        project_layers=table.strings("project-layers"),
        upgrade_schedule=_upgrade_schedule(table),
        upgrade_cooldown=_upgrade_cooldown(table),
        formats=_formats(table),
    )


def _requires_python(project: _Table) -> _RequiresPython:
    value = project.data.get("requires-python")
    hint = 'use a quoted PEP 440 specifier such as ">=3.10"'
    if value is not None and not isinstance(value, str):
        project.invalid("requires-python", f"invalid requires-python {value!r}: it must be a string", hint)
    try:
        allowed = pythons_allowed(value)
    except ValueError:
        project.invalid("requires-python", f"invalid requires-python {value!r}", hint)
    return _RequiresPython(project, value, allowed)


def _dependencies(project: _Table) -> tuple[str, ...]:
    """``[project] dependencies``, each a valid requirement; dynamic ones cannot be read offline."""
    if "dependencies" in (project.strings("dynamic") or ()):
        project.invalid(
            "dynamic",
            "the project's dependencies are dynamic, so sprintlock cannot read them offline",
            "list them statically in [project] dependencies, or in each requirements/*.in",
        )
    dependencies = project.strings("dependencies") or ()
    for dep in dependencies:
        try:
            Requirement(dep)
        except InvalidRequirement as exc:
            project.invalid("dependencies", f"invalid dependency {dep!r}: {exc}")
    return dependencies


def _project_folder(root: Path) -> None:
    """Refuse a project folder that does not exist or is not a folder (``-C`` names it)."""
    if root.is_dir():
        return
    what = "is a file, not a folder" if root.exists() else "does not exist"
    raise ConfigError(
        f"the project folder {what}",
        where=str(root),
        hint="run sprintlock in the project's root folder, or point -C at it",
    )


def load_project(root: Path) -> Project:
    """Read ``root/pyproject.toml`` (optional) and validate ``[tool.sprintlock]``."""
    _project_folder(root)
    root = root.resolve()
    text, data = read_pyproject(root, required=False)
    document = _Table(root, text, "", data, f"see the [tool.sprintlock] keys in the docs: {', '.join(KEYS)}")
    project = document.table("project", "see the [project] table in the packaging guide")
    requires_python = _requires_python(project)
    return Project(
        root=root,
        config=_config(document.table("tool").table("sprintlock"), requires_python),
        name=project.string("name"),
        dependencies=_dependencies(project),
        requires_python=requires_python.value,
        groups=_groups(root, text, data),
    )


def _groups(root: Path, text: str, data: Table) -> tuple[DependencyGroup, ...]:
    """``[dependency-groups]``, validated; an error names the line of the group at fault."""
    if GROUPS_TABLE not in data:
        return ()  # most projects: the groups' reader is not even imported (`check` is a hot path)
    from sprintlock._project.groups import read_groups

    document, table = _Table(root, text, "", {}, ""), _Table(root, text, GROUPS_TABLE, {}, "")

    def fail(key: str | None, message: str, hint: str) -> NoReturn:
        (table if key is not None else document).fail(key if key is not None else GROUPS_TABLE, message, hint)

    def line_of(key: str) -> int | None:
        return _key_line(text, GROUPS_TABLE, key)

    return read_groups(data.get(GROUPS_TABLE), fail, line_of)
