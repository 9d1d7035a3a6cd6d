"""The project and its ``[tool.sprintlock]`` configuration."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from sprintlock._core.errors import ConfigError, location
from sprintlock._project.schedule import valid_schedule
from sprintlock._project.targets import PLATFORMS, Targets, pythons_allowed, sort_versions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

RESOLVERS = ("uv", "pip-tools")
#: ``upgrade-schedule``: when the upgrade workflow runs: "weekly", "monthly" (default) or a cron line.
KEYS = ("requirements", "resolver", "python", "platforms", "hashes", "project-layers", "upgrade-schedule")
_VERSION = re.compile(r"^3\.\d+$")


@dataclass(frozen=True)
class Config:
    """``[tool.sprintlock]`` with its defaults applied."""

    requirements: str = "requirements"
    resolver: str = "uv"
    targets: Targets = field(default_factory=lambda: Targets((), ()))
    hashes: bool = True
    #: Layers whose lock also pins the project's runtime dependencies; None: all but ``build``.
    project_layers: tuple[str, ...] | None = None
    #: When ``.github/workflows/upgrade.yml`` runs: ``weekly``, ``monthly`` or a five-field cron line.
    upgrade_schedule: str = "monthly"

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

    @property
    def requirements_dir(self) -> Path:
        return self.root / self.config.requirements

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"


def _key_line(text: str, key: str) -> int | None:
    """The line of ``key = ...`` inside ``[tool.sprintlock]``, for error messages."""
    in_section = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped == "[tool.sprintlock]"
        elif in_section and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return None


def _string_list(value: Any, key: str, fail: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        fail(key, f"`{key}` must be a list of strings", None)
    return tuple(value)


def load_project(root: Path) -> Project:
    """Read ``root/pyproject.toml`` (optional) and validate ``[tool.sprintlock]``."""
    root = root.resolve()
    pyproject = root / "pyproject.toml"
    text = ""
    data: dict[str, Any] = {}
    if pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"invalid TOML: {exc}",
                where=location(pyproject, root=root),
                hint="fix the syntax error in pyproject.toml",
            ) from exc

    def fail(key: str, message: str, hint: str | None) -> None:
        raise ConfigError(
            message,
            where=location(pyproject, _key_line(text, key), root=root),
            hint=hint or f"see the [tool.sprintlock] keys in the docs: {', '.join(KEYS)}",
        )

    project_table = data.get("project", {})
    table = data.get("tool", {}).get("sprintlock", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.sprintlock] must be a table", where=location(pyproject, root=root))
    for key in table:
        if key not in KEYS:
            fail(key, f"unknown option `{key}` in [tool.sprintlock]", None)

    requirements = table.get("requirements", "requirements")
    if not isinstance(requirements, str) or not requirements or Path(requirements).is_absolute():
        fail("requirements", "`requirements` must be a relative folder path", None)
    resolver = table.get("resolver", "uv")
    if resolver not in RESOLVERS:
        fail("resolver", f"unknown resolver {resolver!r}", f"use one of: {', '.join(RESOLVERS)}")
    hashes = table.get("hashes", True)
    if not isinstance(hashes, bool):
        fail("hashes", "`hashes` must be true or false", None)

    requires_python = project_table.get("requires-python")
    if "python" in table:
        pythons = _string_list(table["python"], "python", fail)
        bad = [v for v in pythons if not _VERSION.match(v)]
        if bad or not pythons:
            fail("python", f'`python` must list minor versions like "3.12", not {bad}', None)
    else:
        try:
            pythons = pythons_allowed(requires_python)
        except ValueError:
            raise ConfigError(
                f"invalid requires-python {requires_python!r}",
                where=location(pyproject, root=root),
                hint='use a PEP 440 specifier such as ">=3.10"',
            ) from None
        if not pythons:
            raise ConfigError(
                f"requires-python {requires_python!r} admits no known CPython version",
                where=location(pyproject, root=root),
                hint="set `python` in [tool.sprintlock] to the versions you test on",
            )
    platforms = _string_list(table.get("platforms", list(PLATFORMS)), "platforms", fail)
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown or not platforms:
        fail("platforms", f"unknown platforms {unknown}", f"use some of: {', '.join(PLATFORMS)}")
    project_layers = None
    if "project-layers" in table:
        project_layers = _string_list(table["project-layers"], "project-layers", fail)

    upgrade_schedule = table.get("upgrade-schedule", "monthly")
    if not isinstance(upgrade_schedule, str) or not valid_schedule(upgrade_schedule):
        fail(
            "upgrade-schedule",
            f"invalid upgrade-schedule {upgrade_schedule!r}",
            'use "weekly", "monthly" or a five-field cron line such as "0 5 * * 1"',
        )

    dependencies = project_table.get("dependencies", [])
    if "dependencies" in project_table.get("dynamic", []):
        raise ConfigError(
            "the project's dependencies are dynamic, so sprintlock cannot read them offline",
            where=location(pyproject, root=root),
            hint="list them statically in [project] dependencies, or in each requirements/*.in",
        )
    for dep in dependencies:
        try:
            Requirement(dep)
        except InvalidRequirement as exc:
            raise ConfigError(f"invalid dependency {dep!r}: {exc}", where=location(pyproject, root=root)) from None
    config = Config(
        requirements=requirements,
        resolver=resolver,
        targets=Targets(sort_versions(pythons), tuple(p for p in PLATFORMS if p in platforms)),
        hashes=hashes,
        project_layers=project_layers,
        upgrade_schedule=upgrade_schedule,
    )
    return Project(
        root=root,
        config=config,
        name=project_table.get("name"),
        dependencies=tuple(dependencies),
        requires_python=requires_python,
    )
