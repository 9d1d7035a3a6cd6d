"""What a project already uses: its package, its Pythons and its tools (for ``sprintlock init``).

What counts as "uses", so that ``init`` leaves out what the project cannot use:

- tests: always (pytest is the standard runner; a project without tests still gets the
  layer and the session, which is where its first test goes);
- typing: mypy when ``[tool.mypy]``, ``mypy.ini``/``.mypy.ini``, ``[mypy]`` in setup.cfg
  or ``mypy`` in an existing requirements file; pyright when ``[tool.pyright]``,
  ``pyrightconfig.json`` or ``pyright`` in a requirements file. Neither, but the package
  ships type information (a ``py.typed`` file): mypy, the checker that file is for
  (PEP 561). None of these: no typing layer;
- docs: Sphinx when ``conf.py`` is in docs/, doc/, docs/source or doc/source; MkDocs
  when ``mkdocs.yml`` exists. Neither (a docs/ folder of Markdown alone): no docs layer.
  The theme and extensions (plugins) the configuration names are added to the docs
  layer when they are well known (:mod:`sprintlock._scaffold.docs`);
- lint: the session always exists (pre-commit is in the dev lock), but is a default
  session only with a ``.pre-commit-config.yaml``;
- layers: the ``requirements/*.in`` files and the ``[dependency-groups]`` of pyproject.toml
  (each group is a layer; init writes no ``.in`` for it), and whether a ``uv.lock`` manages
  the project;
- minimum-versions layers: ``requirements/BASE-min.in`` of exact pins only beside ``BASE.in``
  (flask's ``tests-min.in``): its lock is complete (the tools of ``BASE.in`` at the minimum
  versions), so an adopted ``tox.ini`` installs it instead of, not beside, ``BASE.txt``.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

__all__ = ["Detected", "detect", "read_pyproject"]

from sprintlock._core.errors import ConfigError, SprintlockError, location
from sprintlock._core.files import read_text
from sprintlock._lock.infile import parse_infile
from sprintlock._lock.layers import minimum_base
from sprintlock._lock.uvlock import UV_LOCK
from sprintlock._project import pyproject
from sprintlock._scaffold.docs import mkdocs_packages, sphinx_packages
from sprintlock._standard.context import Checker, Detected, DocsTool, Layout, ToxCommands
from sprintlock._standard.noxfile import extra_layers
from sprintlock._standard.precommit import PATH as PRE_COMMIT_CONFIG
from sprintlock._standard.pyproject import PATH as PYPROJECT
from sprintlock._standard.requirements import FOLDER
from sprintlock._standard.toxcommands import layer_commands
from sprintlock._standard.toxini import TOX_UV_LINE

#: Where Sphinx projects keep ``conf.py``, in the order they are looked for.
SPHINX_DIRS = ("docs", "doc", "docs/source", "doc/source")
MKDOCS_FILES = ("mkdocs.yml", "mkdocs.yaml")
#: What the lint session, the upgrade of the hook pins and the git hooks run.
HOOK_TOOL = "pre-commit"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


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


def _find_package(root: Path, import_name: str) -> tuple[Layout, str | None]:
    layouts: tuple[tuple[Layout, Path], ...] = (("src", root / "src"), ("flat", root))
    for layout, base in layouts:
        if (base / import_name / "__init__.py").is_file():
            return layout, (base / import_name).relative_to(root).as_posix()
        if (base / f"{import_name}.py").is_file():
            return layout, (base / f"{import_name}.py").relative_to(root).as_posix()
    return "unknown", None


def _project_table(data: dict[str, Any], root: Path) -> tuple[str, str | None]:
    """``[project]``'s name and requires-python; a missing name is a user error."""
    project = data.get("project")
    pyproject = location(root / PYPROJECT, root=root)
    if not isinstance(project, dict) or not isinstance(project.get("name"), str):
        raise ConfigError(
            "no [project] name",
            where=pyproject,
            hint='add a [project] table with name = "..." (sprintlock locks what the project declares)',
        )
    requires_python = project.get("requires-python")
    if requires_python is not None and not isinstance(requires_python, str):
        raise ConfigError("requires-python must be a string", where=pyproject, hint='e.g. ">=3.10"')
    return project["name"], requires_python


def _checkers(root: Path, tool: dict[str, Any]) -> tuple[tuple[Checker, ...], bool]:
    """The type checkers the project configures, and whether mypy's configuration names what to check."""
    required = _requirement_names(root)
    checkers: list[Checker] = []
    targets_configured = False
    mypy_table = tool.get("mypy")
    mypy_ini = [p for p in (root / "mypy.ini", root / ".mypy.ini") if p.is_file()]
    if isinstance(mypy_table, dict) or mypy_ini or "mypy" in _ini_sections(root / "setup.cfg") or "mypy" in required:
        checkers.append("mypy")
        targets_configured = (isinstance(mypy_table, dict) and "files" in mypy_table) or any(
            "files" in dict(_ini_items(ini, "mypy")) for ini in mypy_ini
        )
    if isinstance(tool.get("pyright"), dict) or (root / "pyrightconfig.json").is_file() or "pyright" in required:
        checkers.append("pyright")
    return tuple(checkers), targets_configured


def _docs(root: Path) -> tuple[DocsTool | None, str | None, tuple[str, ...]]:
    """The documentation tool, the Sphinx source folder (holding conf.py), and what the
    configuration names beyond the builder (theme, extensions, plugins)."""
    for folder in SPHINX_DIRS:
        if (root / folder / "conf.py").is_file():
            return "sphinx", folder, sphinx_packages(root / folder / "conf.py")
    for name in MKDOCS_FILES:
        if (root / name).is_file():
            return "mkdocs", None, mkdocs_packages(root / name)
    return None, None, ()


def _ships_types(root: Path, package_path: str | None) -> bool:
    """Whether the package ships type information: ``py.typed`` in its folder (PEP 561)."""
    return package_path is not None and (root / package_path / "py.typed").is_file()


def _groups(data: dict[str, Any]) -> tuple[str, ...]:
    """The ``[dependency-groups]`` names, normalised (load_project validates the table)."""
    table = data.get("dependency-groups")
    return tuple(canonicalize_name(name) for name in table) if isinstance(table, dict) else ()


def _group_requires(table: dict[str, Any], name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The names a group requires, its included groups' too (``table`` keyed by normalised name)."""
    names: set[str] = set()
    for item in table.get(name, []) if name not in seen else []:
        if isinstance(item, dict) and isinstance(item.get("include-group"), str):
            names |= _group_requires(table, canonicalize_name(item["include-group"]), seen | {name})
        elif isinstance(item, str) and (match := _NAME.match(item)):
            names.add(canonicalize_name(match.group(1)))
    return names


def _hooks_layer(data: dict[str, Any]) -> str:
    """The layer whose environment has pre-commit (``lint`` and ``upgrade`` run it): ``dev``,
    unless ``dev`` is a dependency group without it and another group has it (flask keeps
    pre-commit in a group of that name)."""
    raw = data.get("dependency-groups")
    table: dict[str, Any] = (
        {canonicalize_name(k): v for k, v in raw.items() if isinstance(v, list)} if isinstance(raw, dict) else {}
    )
    if "dev" not in table or HOOK_TOOL in _group_requires(table, "dev"):
        return "dev"
    holders = sorted((name != HOOK_TOOL, name) for name in table if HOOK_TOOL in _group_requires(table, name))
    return holders[0][1] if holders else "dev"


def _layers(root: Path, requirements: str, groups: tuple[str, ...]) -> set[str]:
    """The layers the project will have: its inputs, its groups, and ``build`` (init always writes it)."""
    folder = root / requirements
    return ({path.stem for path in folder.glob("*.in")} if folder.is_dir() else set()) | set(groups) | {"build"}


def _min_layers(root: Path, requirements: str) -> tuple[tuple[str, str], ...]:
    """``(BASE-min, BASE)`` for each minimum-versions input (the rule of the lock engine)."""
    folder = root / requirements
    names = {path.stem for path in folder.glob("*.in")} if folder.is_dir() else set()
    found = []
    for name in sorted(names):
        try:
            base = minimum_base(name, parse_infile(folder / f"{name}.in", root=root), names)
        except SprintlockError:
            continue  # an unreadable input: locking reports it
        if base is not None:
            found.append((name, base))
    return tuple(found)


def _text(path: Path) -> str | None:
    """A file's text, or None when it is missing or unreadable (detection names nothing then)."""
    try:
        return read_text(path)
    except SprintlockError:
        return None


def _uses_tox_uv(root: Path, requirements: str, data: dict[str, Any], tox_ini: str | None) -> bool:
    """Whether the project's tox runs with tox-uv: a dependency group, an ``.in`` file or tox.ini's
    ``requires`` names it (then ``[tox] requires`` keeps it when tox provisions sprintlock's plugin)."""
    groups = data.get("dependency-groups")
    values = groups.values() if isinstance(groups, dict) else ()
    texts = [item for value in values if isinstance(value, list) for item in value if isinstance(item, str)]
    folder = root / requirements
    texts += [_text(path) or "" for path in (sorted(folder.glob("*.in")) if folder.is_dir() else [])]
    return any(TOX_UV_LINE.search(text) for text in [*texts, tox_ini or ""])


def detect(root: Path, *, requirements: str = FOLDER) -> Detected:
    """Inspect the project at ``root`` (read only); ``requirements``: its inputs' folder."""
    _, data = read_pyproject(root)
    name, requires_python = _project_table(data, root)
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    checkers, targets_configured = _checkers(root, tool)
    docs, docs_dir, docs_packages = _docs(root)
    layout, package_path = _find_package(root, re.sub(r"[-.]+", "_", name).lower())
    if not checkers and _ships_types(root, package_path):
        checkers = ("mypy",)
    groups = _groups(data)
    layers = _layers(root, requirements, groups)
    tox_ini = _text(root / "tox.ini")
    return Detected(
        name=name,
        layout=layout,
        package_path=package_path,
        requires_python=requires_python,
        checkers=checkers,
        checker_targets_configured=targets_configured,
        docs=docs,
        docs_dir=docs_dir,
        has_tests_dir=(root / "tests").is_dir(),
        pre_commit_config=(root / PRE_COMMIT_CONFIG).is_file(),
        extra_layers=extra_layers(layers, typing=bool(checkers), docs=docs is not None),
        groups=groups,
        uv_lock=(root / UV_LOCK).is_file(),
        docs_packages=docs_packages,
        hooks_layer=_hooks_layer(data),
        min_layers=_min_layers(root, requirements),
        tox_uv=_uses_tox_uv(root, requirements, data, tox_ini),
        tox_commands=_tox_commands(tox_ini, requirements, layers),
    )


def _tox_commands(tox_ini: str | None, requirements: str, layers: set[str]) -> ToxCommands:
    """What tox.ini's environments ran, per layer whose lock they installed (the sessions keep it)."""
    found = layer_commands(tox_ini, layers, requirements) if tox_ini is not None else {}
    return tuple((layer, env, commands) for layer, (env, commands) in sorted(found.items()))


def _ini_items(path: Path, section: str) -> list[tuple[str, str]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        return parser.items(section) if parser.has_section(section) else []
    except (configparser.Error, UnicodeDecodeError):
        return []
