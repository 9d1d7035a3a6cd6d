"""``.devcontainer/devcontainer.json`` and ``.devcontainer/bootstrap.sh`` for ``sprintlock init``.

The container runs the bootstrap script as its ``onCreateCommand`` (the step Codespaces
prebuilds cache, and ``waitFor`` holds the editor until it is done). The script runs
``sprintlock dev``, the command ``nox -s dev`` runs too: ``.venv`` becomes the dev lock
plus the project (editable) and the git hooks are installed. The image is pinned to a
Python minor version that the locks target, and the editor is pointed at ``.venv``.

An existing ``devcontainer.json`` (strict JSON) is merged, not replaced: its setup
command becomes the bootstrap script, and the missing keys are added; everything else
(image, features, other settings) stays the user's. A file with comments cannot be
merged safely: it is a conflict, shown as a diff.
"""

from __future__ import annotations

import json
from typing import Any

from sprintlock._standard.pins import DEVCONTAINER_IMAGE, DEVCONTAINER_PYTHONS
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


def adopt_devcontainer(text: str) -> tuple[str, tuple[str, ...]] | None:
    """``text`` merged with what the standard needs, and what was changed; None when not mergeable."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None  # JSONC (comments, trailing commas): not rewritten blindly
    if not isinstance(data, dict):
        return None
    notes: list[str] = []
    for key in _SETUP_KEYS:
        value = data.get(key)
        if key != "onCreateCommand" and value is not None and any(word in json.dumps(value) for word in _INSTALLS):
            del data[key]
            notes.append(f"removed {key} {json.dumps(value)}: the bootstrap script installs the locks")
    if data.get("onCreateCommand") != COMMAND:
        old = data.get("onCreateCommand")
        data["onCreateCommand"] = COMMAND
        notes.append(f"onCreateCommand: {json.dumps(old) if old is not None else 'none'} -> {json.dumps(COMMAND)}")
    if data.get("waitFor") != "onCreateCommand":
        data["waitFor"] = "onCreateCommand"
        notes.append('waitFor: "onCreateCommand"')
    if "hostRequirements" not in data:
        data["hostRequirements"] = HOST_REQUIREMENTS
        notes.append("hostRequirements added")
    customizations = data.setdefault("customizations", {})
    vscode = customizations.setdefault("vscode", {}) if isinstance(customizations, dict) else None
    settings = vscode.setdefault("settings", {}) if isinstance(vscode, dict) else None
    if not isinstance(settings, dict):
        return None
    if settings.get("python.defaultInterpreterPath") != INTERPRETER:
        settings["python.defaultInterpreterPath"] = INTERPRETER
        notes.append(f"python.defaultInterpreterPath: {INTERPRETER}")
    if not notes:
        return text, ()
    return json.dumps(data, indent=2) + "\n", tuple(notes)


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

    return BOOTSTRAP.format(version=__version__)
