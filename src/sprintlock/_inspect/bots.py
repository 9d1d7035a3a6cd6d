"""Whether a Dependabot or Renovate configuration would edit sprintlock's locks or their inputs.

Both bots know pip requirements files. Dependabot's ``pip`` (and ``uv``) updater, pointed at
the root or the requirements folder, rewrites ``requirements/*.txt`` for the one Python it
runs (the universal markers and the header's fingerprint are lost: ``check`` then calls the
lock edited) and bumps ``pyproject.toml`` ranges. Renovate's ``pip_requirements`` and
``pip-compile`` managers do the same to the files their patterns reach. sprintlock's own
upgrade (``nox -s upgrade``, the upgrade workflow) moves the locks instead.

These readers only decide; doctor (``_standard/dependabot.py``) turns a :class:`Clash` into a
finding and ``init`` into a note about the user's file it keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from sprintlock._inspect.jsonc import JsonValue
from sprintlock._inspect.yamltree import Node

#: Dependabot's updaters that edit requirements files or ``pyproject.toml``.
DEPENDABOT_PYTHON = ("pip", "uv")
DEPENDABOT_FIX = (
    "keep Dependabot on `package-ecosystem: github-actions` only (remove this entry; "
    "`sprintlock init --force .github/dependabot.yml` writes such a file), or add "
    '`ignore: [{dependency-name: "*"}]` to it: `nox -s upgrade` (the upgrade workflow) moves the locks'
)
#: Where Renovate looks for its configuration, in its own order (``package.json`` is read apart).
RENOVATE_FILES = (
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
)
#: Renovate's managers that edit pip requirements files, with their default file patterns (regexes).
RENOVATE_MANAGERS: dict[str, tuple[str, ...]] = {
    "pip_requirements": (r"(^|/)[\w-]*requirements([-.]\w+)?\.(txt|pip)$",),
    "pip-compile": (),
}


@dataclass(frozen=True)
class Clash:
    """A bot configuration entry that would edit sprintlock's files: where, what, and the fix."""

    line: int | None
    message: str
    fix: str


# --- Dependabot -----------------------------------------------------------------------------


def _covers(directory: str, requirements: str) -> bool:
    """Whether a Dependabot ``directory`` reaches the locks or their inputs.

    The root holds ``pyproject.toml`` (the project's dependencies and groups) and is where
    Dependabot's pip updater also finds ``requirements/``; a glob (``/**``) may reach the folder.
    """
    folder = directory.strip().strip("/")
    return folder in ("", ".", requirements) or fnmatchcase(requirements, folder)


def _ignores_everything(entry: Node) -> bool:
    """``ignore: [{dependency-name: "*"}]`` (without versions or update types): the entry updates nothing."""
    for rule in (entry.get("ignore") or Node("seq", 0)).sequence():
        name = rule.get("dependency-name") if rule.kind == "map" else None
        unlimited = rule.get("versions") is None and rule.get("update-types") is None
        if name is not None and name.scalar() == "*" and unlimited:
            return True
    return False


def _directories(entry: Node) -> list[str]:
    found = [node.scalar() for node in (entry.get("directory"), *_items(entry.get("directories"))) if node]
    return [value for value in found if value is not None]


def _items(node: Node | None) -> tuple[Node, ...]:
    return node.sequence() if node is not None else ()


def dependabot_clashes(root: Node, requirements: str) -> list[Clash]:
    """The ``updates`` entries of a ``dependabot.yml`` that would edit the locks or their inputs."""
    clashes = []
    for entry in _items(root.child("updates")):
        ecosystem = entry.child("package-ecosystem")
        name = ecosystem.scalar() if ecosystem is not None else None
        if name not in DEPENDABOT_PYTHON or _ignores_everything(entry):
            continue
        reached = [d for d in _directories(entry) if _covers(d, requirements)]
        if reached:
            message = (
                f"Dependabot's {name} updater runs on {', '.join(reached)}: it would rewrite "
                f"{requirements}/*.txt for one Python (losing the markers and the header: `check` "
                "then reports the locks edited) and bump pyproject.toml without relocking"
            )
            clashes.append(Clash(ecosystem.line if ecosystem else entry.line, message, DEPENDABOT_FIX))
    return clashes


# --- Renovate -------------------------------------------------------------------------------


def _strings(value: JsonValue) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _glob(path: str, pattern: str) -> bool:
    """Renovate's path match (minimatch, or a plain substring), near enough: ``**/`` may match nothing."""
    if not any(char in pattern for char in "*?["):
        return pattern.strip("/") in path
    return fnmatchcase(path, pattern) or (pattern.startswith("**/") and fnmatchcase(path, pattern[3:]))


def _file_pattern(pattern: str, *, regex: bool) -> re.Pattern[str] | str:
    """A ``fileMatch`` regex, or a ``managerFilePatterns`` entry: ``/regex/`` or a glob."""
    if regex:
        return re.compile(pattern)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.rstrip("i").endswith("/"):
        return re.compile(pattern[1:].rstrip("i")[:-1])
    return pattern


def _matches(path: str, pattern: re.Pattern[str] | str) -> bool:
    return bool(pattern.search(path)) if isinstance(pattern, re.Pattern) else _glob(path, pattern)


def _section(config: dict[str, JsonValue], manager: str) -> dict[str, JsonValue]:
    section = config.get(manager)
    return section if isinstance(section, dict) else {}


def _enabled(config: dict[str, JsonValue], manager: str) -> bool:
    managers = config.get("enabledManagers")
    if isinstance(managers, list) and manager not in managers:
        return False
    return _section(config, manager).get("enabled") is not False


def _patterns(config: dict[str, JsonValue], manager: str) -> list[re.Pattern[str] | str]:
    section = _section(config, manager)
    patterns: list[re.Pattern[str] | str] = [re.compile(default) for default in RENOVATE_MANAGERS[manager]]
    try:
        patterns += [_file_pattern(item, regex=True) for item in _strings(section.get("fileMatch"))]
        patterns += [_file_pattern(item, regex=False) for item in _strings(section.get("managerFilePatterns"))]
    except re.error:
        pass  # Renovate's own validation reports a bad pattern; doctor judges the rest
    return patterns


_RULE_MATCHES = ("matchFileNames", "matchPaths")


def _rule_disables(rule: JsonValue, manager: str, path: str) -> bool:
    """A ``packageRules`` entry that turns the manager off for ``path`` (and for every package there)."""
    if not isinstance(rule, dict) or rule.get("enabled") is not False:
        return False
    managers = rule.get("matchManagers")
    if managers is not None and manager not in _strings(managers):
        return False
    others = [key for key in rule if key.startswith("match") and key not in (*_RULE_MATCHES, "matchManagers")]
    files = [pattern for key in _RULE_MATCHES for pattern in _strings(rule.get(key))]
    return not others and (not files or any(_glob(path, pattern) for pattern in files))


def _ignored(config: dict[str, JsonValue], manager: str, path: str) -> bool:
    if any(_glob(path, pattern) for pattern in _strings(config.get("ignorePaths"))):
        return True
    if any(_glob(path, pattern) for pattern in _strings(_section(config, manager).get("ignorePaths"))):
        return True
    rules = config.get("packageRules")
    return isinstance(rules, list) and any(_rule_disables(rule, manager, path) for rule in rules)


def _reached(config: dict[str, JsonValue], manager: str, paths: Iterable[str]) -> list[str]:
    patterns = _patterns(config, manager)
    return [
        path
        for path in paths
        if any(_matches(path, pattern) for pattern in patterns) and not _ignored(config, manager, path)
    ]


def renovate_clashes(config: JsonValue, paths: Sequence[str], text: str = "") -> list[Clash]:
    """The Renovate managers that ``config`` lets edit any of ``paths`` (the locks and ``.in`` files).

    ``text`` (the file as written) only gives the line of the manager's own settings, if any.
    """
    if not isinstance(config, dict):
        return []
    clashes = []
    for manager in RENOVATE_MANAGERS:
        if not _enabled(config, manager):
            continue
        reached = _reached(config, manager, paths)
        if reached:
            shown = ", ".join(reached[:3]) + (", ..." if len(reached) > 3 else "")
            message = (
                f"Renovate's {manager} manager would edit {shown}: sprintlock's locks and inputs "
                "(for one Python, without the header: `check` then reports the locks edited)"
            )
            folder = reached[0].rpartition("/")[0] or "."
            fix = (
                f'add "{folder}/**" to "ignorePaths", or set "{manager}": {{"enabled": false}} (or leave it out '
                'of "enabledManagers"): `nox -s upgrade` (the upgrade workflow) moves the locks'
            )
            clashes.append(Clash(_line_of(text, f'"{manager}"'), message, fix))
    return clashes


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None
