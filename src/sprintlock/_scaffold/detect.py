"""What a project already uses: its package, its Pythons and its tools (for ``sprintlock init``).

What counts as "uses", so that ``init`` leaves out what the project cannot use:

- tests: always (pytest is the standard runner; a project without tests still gets the
  layer and the session, which is where its first test goes);
- typing: mypy when ``[tool.mypy]``, ``mypy.ini``/``.mypy.ini``, ``[mypy]`` in setup.cfg
  or ``mypy`` in an existing requirements file; pyright when ``[tool.pyright]``,
  ``pyrightconfig.json`` or ``pyright`` in a requirements file. Neither: no typing layer;
- docs: Sphinx when ``conf.py`` is in docs/, doc/, docs/source or doc/source; MkDocs
  when ``mkdocs.yml`` exists. Neither (a docs/ folder of Markdown alone): no docs layer;
- lint: the session always exists (pre-commit is in the dev lock), but is a default
  session only with a ``.pre-commit-config.yaml``.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Detected", "detect", "read_pyproject"]

from sprintlock._core.errors import ConfigError, location
from sprintlock._project import pyproject

#: Where Sphinx projects keep ``conf.py``, in the order they are looked for.
SPHINX_DIRS = ("docs", "doc", "docs/source", "doc/source")
MKDOCS_FILES = ("mkdocs.yml", "mkdocs.yaml")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


@dataclass(frozen=True)
class Detected:
    """The facts ``sprintlock init`` builds the standard layout from."""

    #: The distribution name from ``[project] name``.
    name: str
    #: ``"src"`` (src/PKG), ``"flat"`` (PKG at the root) or ``"unknown"``.
    layout: str
    #: The package (or module) folder relative to the root, e.g. ``src/demo``; None if not found.
    package_path: str | None
    requires_python: str | None
    #: Type checkers the project configures, in the order they run: ``mypy``, ``pyright``.
    checkers: tuple[str, ...]
    #: Whether the type checker configuration says what to check (``files``/``include``).
    checker_targets_configured: bool
    #: ``"sphinx"``, ``"mkdocs"`` or None.
    docs: str | None
    #: Sphinx source folder (holding conf.py); None for MkDocs or no docs.
    docs_dir: str | None
    #: Whether a ``tests/`` folder exists (type-checked along with the package).
    has_tests_dir: bool
    #: Whether ``.pre-commit-config.yaml`` exists (the lint session is a default session).
    pre_commit_config: bool

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


def read_pyproject(root: Path) -> tuple[str, dict[str, Any]]:
    """``pyproject.toml``'s text and data; a missing or invalid file is a user error."""
    return pyproject.read_pyproject(root)


def _requirement_names(root: Path) -> set[str]:
    """Lower-cased names required by existing ``requirements*/**.in``/``.txt`` files."""
    names: set[str] = set()
    for folder in (root / "requirements", root):
        if not folder.is_dir():
            continue
        for path in [*folder.glob("*.in"), *folder.glob("requirements*.txt")]:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            names.update(m.group(1).lower() for m in _NAME.finditer(text) if not m.group(1).startswith("-"))
    return names


def _ini_sections(path: Path) -> set[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return set()
    return set(parser.sections())


def _find_package(root: Path, import_name: str) -> tuple[str, str | None]:
    for layout, base in (("src", root / "src"), ("flat", root)):
        if (base / import_name / "__init__.py").is_file():
            return layout, (base / import_name).relative_to(root).as_posix()
        if (base / f"{import_name}.py").is_file():
            return layout, (base / f"{import_name}.py").relative_to(root).as_posix()
    return "unknown", None


def detect(root: Path) -> Detected:
    """Inspect the project at ``root`` (read only)."""
    _, data = read_pyproject(root)
    project = data.get("project")
    pyproject = location(root / "pyproject.toml", root=root)
    if not isinstance(project, dict) or not isinstance(project.get("name"), str):
        raise ConfigError(
            "no [project] name",
            where=pyproject,
            hint='add a [project] table with name = "..." (sprintlock locks what the project declares)',
        )
    name: str = project["name"]
    requires_python = project.get("requires-python")
    if requires_python is not None and not isinstance(requires_python, str):
        raise ConfigError("requires-python must be a string", where=pyproject, hint='e.g. ">=3.10"')
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    required = _requirement_names(root)
    setup_cfg = _ini_sections(root / "setup.cfg")

    checkers: list[str] = []
    targets_configured = False
    mypy_table = tool.get("mypy")
    mypy_ini = [p for p in (root / "mypy.ini", root / ".mypy.ini") if p.is_file()]
    if isinstance(mypy_table, dict) or mypy_ini or "mypy" in setup_cfg or "mypy" in required:
        checkers.append("mypy")
        if isinstance(mypy_table, dict) and "files" in mypy_table:
            targets_configured = True
        for ini in mypy_ini:
            if "files" in dict(_ini_items(ini, "mypy")):
                targets_configured = True
    pyright_table = tool.get("pyright")
    if isinstance(pyright_table, dict) or (root / "pyrightconfig.json").is_file() or "pyright" in required:
        checkers.append("pyright")

    docs: str | None = None
    docs_dir: str | None = None
    for folder in SPHINX_DIRS:
        if (root / folder / "conf.py").is_file():
            docs, docs_dir = "sphinx", folder
            break
    else:
        if any((root / name).is_file() for name in MKDOCS_FILES):
            docs = "mkdocs"

    layout, package_path = _find_package(root, re.sub(r"[-.]+", "_", name).lower())
    return Detected(
        name=name,
        layout=layout,
        package_path=package_path,
        requires_python=requires_python,
        checkers=tuple(checkers),
        checker_targets_configured=targets_configured,
        docs=docs,
        docs_dir=docs_dir,
        has_tests_dir=(root / "tests").is_dir(),
        pre_commit_config=(root / ".pre-commit-config.yaml").is_file(),
    )


def _ini_items(path: Path, section: str) -> list[tuple[str, str]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        return parser.items(section) if parser.has_section(section) else []
    except (configparser.Error, UnicodeDecodeError):
        return []
