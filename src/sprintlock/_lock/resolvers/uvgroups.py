"""The layers resolved together by uv: one staged project, one ``uv lock``, each layer read from it.

``uv pip compile --universal`` of every layer's requirements gives one graph whose ``# via``
edges carry no markers, so a layer's closure in it gets the union's markers (colorama on
every platform in a docs lock because another layer needs it everywhere). ``uv lock`` keeps
each dependency group's own graph, markers included: what one group installs, on which
targets, is read from it (:mod:`sprintlock._lock.resolvers.uvgraph`, which gives what
``uv export --only-group`` would write, and runs that export for a layer it cannot answer
for). Each layer gets its own markers, while all layers still share one resolution (one
version per package and target), so they agree.

The staged project (:func:`stage`), in a folder of its own:

- ``pyproject.toml``: a virtual project (``[tool.uv] package = false``) whose
  ``requires-python`` is the lowest target Python, with one dependency group per layer:
  the layer's requirement lines, the project's dependencies written into the groups of the
  layers that install them, and ``{include-group = ...}`` for each lock the layer includes
  (``-r NAME.txt``), so a layer that includes another gets that layer's project
  dependencies too, as installing its lock does. Group names are the layers' names
  normalised (or ``layer-N`` when that is not a valid, distinct group name); the map back
  is kept. The layers' ``-c`` requirements are ``constraint-dependencies``.
- ``uv.lock``: a lock synthesized from the preferred pins (the layers' own, then the
  project's ``uv.lock``): one ``[[package]]`` per distinct name and version, with only its
  name, version and a registry source (markers dropped). ``uv lock`` reads an existing
  lock's versions as preferences: it keeps those that still fit and silently resolves the
  others anew (``--upgrade``/``--upgrade-package`` as for ``uv pip compile``).

uv runs with the environment
``uv pip compile`` runs with, so index settings from environment variables (``UV_DEFAULT_INDEX``, ``UV_INDEX``,
``UV_FIND_LINKS``...) and uv's user configuration apply alike.

What the staged project cannot see is the project's own uv configuration: ``uv pip
compile`` runs at the project root and reads its ``uv.toml`` or ``[tool.uv]`` (an index,
``[tool.uv.pip]``...), while ``uv lock`` runs in the stage. A project that has any
(:func:`own_uv_settings`: a ``uv.toml``, or a ``[tool.uv]`` key other than those that only
describe a uv project, such as ``dev-dependencies`` or ``package``) is resolved as before,
one ``uv pip compile`` of all layers, with that union's markers. uv configuration in a
parent folder of the project is not looked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from sprintlock._core.errors import ConfigError
from sprintlock._core.tomltext import toml_string
from sprintlock._lock.lockfile import Pin
from sprintlock._lock.resolvers import GroupsJob
from sprintlock._project.pyproject import read_pyproject

__all__ = ["STAGE_PROJECT", "explain", "group_names", "own_uv_settings", "preference_lock", "stage", "staged_project"]

#: The staged project's name (the project itself is never locked: only its groups are read).
STAGE_PROJECT = "sprintlock-layers"
_GROUP_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
#: The registry a synthesized preference names: uv reads the versions, whatever the index.
_REGISTRY = "https://pypi.org/simple"


#: ``[tool.uv]`` keys that only describe a uv project: ``uv pip compile`` of requirement files does not apply them.
_PROJECT_ONLY = frozenset(
    {
        "build-backend",
        "cache-keys",
        "conflicts",
        "default-groups",
        "dev-dependencies",
        "managed",
        "package",
        "required-version",
        "sources",
        "workspace",
    }
)


def own_uv_settings(root: Path) -> tuple[str, ...]:
    """The uv configuration of the project at ``root`` that ``uv pip compile`` run there
    applies and ``uv lock`` of the staged project would not: ``uv.toml``, ``[tool.uv] KEY``."""
    found = ["uv.toml"] if (root / "uv.toml").is_file() else []
    try:
        _, data = read_pyproject(root, required=False)
    except ConfigError:  # unreadable now: assume it configures uv
        return (*found, "pyproject.toml")
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    if isinstance(uv, dict):
        found += [f"[tool.uv] {key}" for key in uv if key not in _PROJECT_ONLY]
    elif uv is not None:
        found.append("[tool.uv]")
    return tuple(found)


def group_names(layers: Iterable[str]) -> dict[str, str]:
    """Each layer's dependency group name: its name normalised, or ``layer-N`` when that is
    not a valid group name or another layer's already."""
    names: dict[str, str] = {}
    for index, layer in enumerate(layers):
        name: str = canonicalize_name(layer)
        number = index
        while not _GROUP_NAME.match(name) or name in names.values():
            name, number = f"layer-{number}", number + 1
        names[layer] = name
    return names


def _array(items: Iterable[str]) -> str:
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def requires_python(job: GroupsJob) -> str:
    return f">={job.targets.pythons[0]}"


def staged_project(job: GroupsJob, names: dict[str, str]) -> str:
    """The staged ``pyproject.toml``: one dependency group per layer."""
    lines = [
        "[project]",
        f"name = {toml_string(STAGE_PROJECT)}",
        'version = "0"',
        f"requires-python = {toml_string(requires_python(job))}",
        "",
        "[dependency-groups]",
    ]
    for group in job.groups:
        includes = [f"{{include-group = {toml_string(names[layer])}}}" for layer in group.includes]
        lines.append(f"{names[group.layer]} = " + _array([*includes, *map(toml_string, group.requirements)]))
    lines += ["", "[tool.uv]", "package = false"]
    if job.constraints:
        lines.append("constraint-dependencies = " + _array(map(toml_string, job.constraints)))
    return "\n".join(lines) + "\n"


def _valid(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:  # e.g. an arbitrary ``===`` pin of a foreign lock: uv could not read the lock
        return False
    return True


def preference_lock(pins: Iterable[Pin], python: str) -> str:
    """A minimal ``uv.lock`` whose only content is the versions to prefer (one per name and
    version; a version uv cannot read is left out)."""
    lines = ["version = 1", f"requires-python = {toml_string(python)}", ""]
    for name, version in dict.fromkeys((pin.name, pin.version) for pin in pins if _valid(pin.version)):
        lines += [
            "[[package]]",
            f"name = {toml_string(name)}",
            f"version = {toml_string(version)}",
            f"source = {{ registry = {toml_string(_REGISTRY)} }}",
            "",
        ]
    return "\n".join(lines)


def stage(job: GroupsJob) -> dict[str, str]:
    """Write the staged project and its preferences into ``job.folder``; return each layer's group name."""
    names = group_names(group.layer for group in job.groups)
    folder: Path = job.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(staged_project(job, names), encoding="utf-8")
    (folder / "uv.lock").write_text(preference_lock(job.preferred, requires_python(job)), encoding="utf-8")
    return names


def explain(output: str, names: dict[str, str]) -> str:
    """``uv lock``'s refusal in the layers' terms: ``sprintlock-layers:tests`` is ``layer tests``
    (the interpreter line it starts with is left out)."""
    lines = [line for line in output.splitlines() if not line.startswith("Using ")]
    text = "\n".join(lines)
    for layer, group in sorted(names.items(), key=lambda item: -len(item[1])):  # ``docs-build`` before ``docs``
        text = re.sub(rf"\b{re.escape(STAGE_PROJECT)}:{re.escape(group)}\b", f"layer {layer}", text)
    return text
