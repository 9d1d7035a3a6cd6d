"""``.devcontainer/devcontainer.json`` and ``bootstrap.sh``: written by ``sprintlock init``, checked by doctor.

The container runs the bootstrap script as its ``onCreateCommand`` (the step Codespaces
prebuilds cache, and ``waitFor`` holds the editor until it is done). The script runs
``sprintlock dev``, the command ``nox -s dev`` runs too: ``.venv`` becomes the dev lock
plus the project (editable) and the git hooks are installed. The image is pinned to a
Python minor version that the locks target, and the editor is pointed at ``.venv``.

An existing ``devcontainer.json`` (JSON with comments, as the VS Code template writes it)
is merged, not replaced: its setup command becomes the bootstrap script, and the missing
keys are added; only those members are rewritten (``_inspect/jsonc.py``, json-five), so
everything else (image, features, other settings, comments, order, indentation) stays the
user's.

Doctor checks that what the lifecycle commands (and the scripts they run, the bootstrap
script among them) name exists: files, nox sessions, lock layers; and the Dockerfile or
compose files of the container build.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from sprintlock._inspect.jsonc import DELETE, JsoncError, edit_jsonc, parse_jsonc
from sprintlock._inspect.references import check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, read_script
from sprintlock._standard.context import Context
from sprintlock._standard.pins import DEVCONTAINER_IMAGE, DEVCONTAINER_PYTHONS
from sprintlock._standard.spec import Merge, StandardFile
from sprintlock._version import __version__

FOLDER = ".devcontainer"
JSON_PATH = f"{FOLDER}/devcontainer.json"
SCRIPT_PATH = f"{FOLDER}/bootstrap.sh"
COMMAND = f"bash {SCRIPT_PATH}"
INTERPRETER = "${containerWorkspaceFolder}/.venv/bin/python"
HOST_REQUIREMENTS = {"cpus": 2, "memory": "4gb", "storage": "16gb"}
#: Setup commands that install requirements some other way (and are replaced by the script).
_SETUP_KEYS = ("onCreateCommand", "updateContentCommand", "postCreateCommand")
_INSTALLS = ("pip install", "requirements", "pip-sync", "uv pip", "uv sync", "poetry install", "on-create")


def image_python(pythons: tuple[str, ...]) -> str:
    """The newest target Python that has a devcontainer image (else the newest target)."""
    available = [version for version in pythons if version in DEVCONTAINER_PYTHONS]
    return (available or list(pythons))[-1]


def _settings() -> dict[str, Any]:
    return {
        "python.defaultInterpreterPath": INTERPRETER,
        "python.terminal.activateEnvironment": True,
    }


def render_devcontainer(name: str, pythons: tuple[str, ...]) -> str:
    """A new ``devcontainer.json``."""
    data: dict[str, Any] = {
        "name": name,
        "image": f"{DEVCONTAINER_IMAGE}:{image_python(pythons)}",
        "hostRequirements": HOST_REQUIREMENTS,
        # Runs once when the container is created: cached by Codespaces prebuilds.
        "onCreateCommand": COMMAND,
        "waitFor": "onCreateCommand",
        "customizations": {
            "vscode": {
                "extensions": ["ms-python.python"],
                "settings": _settings(),
            },
        },
    }
    return json.dumps(data, indent=2) + "\n"


class _Changes:
    """The changes the standard makes to a user's ``devcontainer.json``: to its values (to compute the
    notes) and as edits for :func:`edit_jsonc` (which makes them in the text, comments kept)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.edits: list[tuple[tuple[str, ...], object]] = []
        self.notes: list[str] = []

    def set(self, path: tuple[str, ...], value: object, note: str) -> None:
        parent = self.data
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = value
        self.edits.append((path, value))
        self.notes.append(note)

    def delete(self, key: str, note: str) -> None:
        del self.data[key]
        self.edits.append(((key,), DELETE))
        self.notes.append(note)


def _replace_setup(changes: _Changes) -> None:
    """Drop the setup commands that install requirements another way; run the bootstrap script instead."""
    data = changes.data
    for key in _SETUP_KEYS:
        value = data.get(key)
        if key != "onCreateCommand" and value is not None and any(word in json.dumps(value) for word in _INSTALLS):
            changes.delete(key, f"removed {key} {json.dumps(value)}: the bootstrap script installs the locks")
    if data.get("onCreateCommand") != COMMAND:
        old = data.get("onCreateCommand")
        was = json.dumps(old) if old is not None else "none"
        changes.set(("onCreateCommand",), COMMAND, f"onCreateCommand: {was} -> {json.dumps(COMMAND)}")
    if data.get("waitFor") != "onCreateCommand":
        changes.set(("waitFor",), "onCreateCommand", 'waitFor: "onCreateCommand"')
    if "hostRequirements" not in data:
        changes.set(("hostRequirements",), HOST_REQUIREMENTS, "hostRequirements added")


_SETTINGS_PATH = ("customizations", "vscode", "settings")


def _interpreter(changes: _Changes) -> bool:
    """Point the editor at ``.venv``; False when a level of ``customizations.vscode.settings`` is not an object."""
    node = changes.data
    for depth, key in enumerate(_SETTINGS_PATH):
        if key not in node:  # the first missing level, with what it must hold
            value: dict[str, Any] = {"python.defaultInterpreterPath": INTERPRETER}
            for outer in reversed(_SETTINGS_PATH[depth + 1 :]):
                value = {outer: value}
            changes.set(_SETTINGS_PATH[: depth + 1], value, f"python.defaultInterpreterPath: {INTERPRETER}")
            return True
        child = node[key]
        if not isinstance(child, dict):
            return False
        node = child
    if node.get("python.defaultInterpreterPath") != INTERPRETER:
        path = (*_SETTINGS_PATH, "python.defaultInterpreterPath")
        changes.set(path, INTERPRETER, f"python.defaultInterpreterPath: {INTERPRETER}")
    return True


def adopt_devcontainer(text: str) -> Merge | None:
    """``text`` merged with what the standard needs, and what was changed; None when not mergeable.

    JSON with comments is merged too: only the members that change are rewritten, so the
    user's comments, order and indentation stay.
    """
    try:
        data = parse_jsonc(text)
    except JsoncError:
        return None
    if not isinstance(data, dict):
        return None
    changes = _Changes(data)
    _replace_setup(changes)
    if not _interpreter(changes):
        return None
    if not changes.edits:
        return text, ()
    try:
        return edit_jsonc(text, changes.edits), tuple(changes.notes)
    except JsoncError:
        return None


BOOTSTRAP = """\
#!/usr/bin/env bash
# Make .venv the dev lock plus the project (editable) and install the git hooks: the same
# `sprintlock dev` that `nox -s dev` runs, from the same requirements/dev.txt.
# The devcontainer runs this as its onCreateCommand (cached by Codespaces prebuilds); it
# works the same on any Linux or macOS machine with Python 3: bash .devcontainer/bootstrap.sh
# Written by `sprintlock init`.
set -euo pipefail
cd "$(dirname "${{BASH_SOURCE[0]}}")/.."

version="{version}"
python="${{PYTHON:-python3}}"
# sprintlock runs from its own tool environment outside the project (as `pipx run` would),
# installed once from the package index pip is configured with.
tools="${{XDG_CACHE_HOME:-$HOME/.cache}}/sprintlock/bootstrap-$version"
if [ ! -x "$tools/bin/sprintlock" ]; then
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "sprintlock==$version"
fi
exec "$tools/bin/sprintlock" dev --python "$python"
"""


def render_bootstrap() -> str:
    """A new ``bootstrap.sh``: installs this sprintlock release, then runs ``sprintlock dev``."""
    return BOOTSTRAP.format(version=__version__)


# --- doctor: what the container's commands name exists ---

#: The lifecycle commands, in the order the container runs them.
COMMAND_KEYS = (
    "initializeCommand",
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
    "postAttachCommand",
)


def _line_of(lines: list[str], needle: str, start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if needle in lines[index]:
            return index + 1
    return None


def _scripts(value: Any) -> list[str]:
    """A lifecycle command as shell text: a string, an exec-form list, or an object of either."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return [shlex.join(value)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _scripts(item)]
    return []


def check_devcontainer(repo: Repo) -> None:
    text = repo.read(JSON_PATH)
    if text is None:
        return
    try:
        data = parse_jsonc(text)
    except JsoncError as exc:
        repo.add("file-invalid", JSON_PATH, str(exc), "fix the syntax so that its commands can be checked", exc.line)
        return
    if not isinstance(data, dict):
        repo.add(
            "file-invalid", JSON_PATH, "not a JSON object", "see https://containers.dev/implementors/json_reference/"
        )
        return
    lines = text.splitlines()
    for key in COMMAND_KEYS:
        key_line = _line_of(lines, f'"{key}"')
        for script in _scripts(data.get(key)):
            for ref in read_script(script).refs:
                line = _line_of(lines, ref.value, (key_line or 1) - 1) or key_line
                check_ref(repo, ref, JSON_PATH, line, key)
                _follow(repo, ref, key)
    build = data.get("build")
    dockerfile = build.get("dockerfile") if isinstance(build, dict) else data.get("dockerFile")
    compose = data.get("dockerComposeFile")
    files = [dockerfile] + (compose if isinstance(compose, list) else [compose])
    for name in files:
        if isinstance(name, str):
            ref = Ref("path", name, 0, "relative to .devcontainer/", base=FOLDER)
            check_ref(repo, ref, JSON_PATH, _line_of(lines, name), "the container build")


def _follow(repo: Repo, ref: Ref, key: str) -> None:
    """A script the container runs (other than the bootstrap script): what it names must exist too."""
    relative = ref.value.removeprefix("./")
    if ref.kind != "path" or relative == SCRIPT_PATH or not relative.endswith(".sh"):
        return
    text = repo.read(relative)
    if text is not None:
        for found in read_script(text).refs:
            check_ref(repo, found, relative, found.line + 1, f"{relative} (run by {key})")


def check_bootstrap(repo: Repo) -> None:
    text = repo.read(SCRIPT_PATH)
    if text is None:
        return
    # The script runs from the repository root (the standard one does `cd` there first).
    for ref in read_script(text).refs:
        check_ref(repo, ref, SCRIPT_PATH, ref.line + 1, SCRIPT_PATH)


def _render_json(context: Context) -> str:
    return render_devcontainer(context.detected.name, context.pythons)


def _adopt_json(text: str, context: Context) -> Merge | None:
    return adopt_devcontainer(text)


def _render_script(context: Context) -> str:
    return render_bootstrap()


JSON_FILE = StandardFile(
    path=JSON_PATH,
    purpose="the zero-setup container for sprint newcomers",
    render=_render_json,
    adopt=_adopt_json,
    check=check_devcontainer,
)
SCRIPT_FILE = StandardFile(
    path=SCRIPT_PATH,
    purpose="the script that makes .venv the dev lock, run by the devcontainer",
    render=_render_script,
    check=check_bootstrap,
)
