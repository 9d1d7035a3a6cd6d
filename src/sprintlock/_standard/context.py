"""What the standard files are rendered from: the facts about a project, and one context per ``init`` run.

:class:`Detected` is filled by :func:`sprintlock._scaffold.detect.detect`; it is defined here,
beside the renderers that read it, so that the standard files never import from the
scaffolding that uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sprintlock._project.config import Config

#: Where the package is: ``src/PKG``, ``PKG`` at the root, or not found.
Layout = Literal["src", "flat", "unknown"]
#: The documentation tool a project uses.
DocsTool = Literal["sphinx", "mkdocs"]
#: The type checkers sprintlock knows, in the order they run.
Checker = Literal["mypy", "pyright"]


#: ``(layer, tox environment, its commands)`` for each layer a tox environment installed.
ToxCommands = tuple[tuple[str, str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Detected:
    """The facts ``sprintlock init`` builds the standard layout from."""

    #: The distribution name from ``[project] name``.
    name: str
    layout: Layout
    #: The package (or module) folder relative to the root, e.g. ``src/demo``; None if not found.
    package_path: str | None
    requires_python: str | None
    #: Type checkers the project configures, in the order they run: ``mypy``, ``pyright``.
    checkers: tuple[Checker, ...]
    #: Whether the type checker configuration says what to check (``files``/``include``).
    checker_targets_configured: bool
    #: The documentation tool, or None.
    docs: DocsTool | None
    #: Sphinx source folder (holding conf.py); None for MkDocs or no docs.
    docs_dir: str | None
    #: Whether a ``tests/`` folder exists (type-checked along with the package).
    has_tests_dir: bool
    #: Whether ``.pre-commit-config.yaml`` exists (the lint session is a default session).
    pre_commit_config: bool
    #: Layers no standard session installs (``build``, the user's ``tests-min``...): each gets its own session.
    extra_layers: tuple[str, ...] = ()
    #: ``[dependency-groups]`` names (normalised): each is a layer, so init writes no ``.in`` for it.
    groups: tuple[str, ...] = ()
    #: Whether the project has a ``uv.lock`` (managed by uv: init says what it adds beside it).
    uv_lock: bool = False
    #: What the docs configuration names beyond the builder: its theme and extensions or
    #: plugins (``furo``, ``myst-parser``, ``mkdocs-material``), for ``requirements/docs.in``.
    docs_packages: tuple[str, ...] = ()
    #: The layer that has pre-commit, which ``lint`` and ``upgrade`` install: ``dev``, unless the
    #: ``dev`` dependency group lacks it and another group (``pre-commit``) has it.
    hooks_layer: str = "dev"
    #: Minimum-versions layers and their base (``("tests-min", "tests")``): each lock is complete.
    min_layers: tuple[tuple[str, str], ...] = ()
    #: Whether the project's tox runs with tox-uv (a group, an ``.in`` file or tox.ini names it).
    tox_uv: bool = False
    #: What tox.ini's environments ran, per layer they installed: ``(layer, environment, commands)``.
    tox_commands: ToxCommands = ()

    @property
    def import_name(self) -> str:
        return re.sub(r"[-.]+", "_", self.name).lower()

    @property
    def check_paths(self) -> tuple[str, ...]:
        """What the type checkers check when their configuration does not say."""
        paths = [self.package_path] if self.package_path else []
        if self.has_tests_dir:
            paths.append("tests")
        return tuple(paths)


@dataclass(frozen=True)
class Context:
    """Everything a standard file is rendered (or merged) from, for one project."""

    root: Path
    detected: Detected
    #: The project's ``[tool.sprintlock]`` configuration (defaults when there is none).
    config: Config
    #: ``pyproject.toml`` as it is (init appends its table to this text).
    pyproject: str
    #: ``init --tox``: write a ``tox.ini`` even when the project has none.
    tox: bool = False

    @property
    def pythons(self) -> tuple[str, ...]:
        """The target Python versions (``python`` in ``[tool.sprintlock]``)."""
        return self.config.targets.pythons

    @property
    def requirements(self) -> str:
        """The folder of the ``.in`` inputs and their locks, relative to the root."""
        return self.config.requirements
