"""A ``devcontainer.json`` with comments (the VS Code template) is adopted, not replaced.

``init`` keeps the user's image, comments, order and tabs, points the container at the
bootstrap script, and ``doctor`` then finds nothing; the devcontainer schema validates the
file's values (read without its comments, as the editor reads it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from initkit import init_index, init_index_dir, write_demo  # noqa: F401 - init_index and init_index_dir are fixtures
from sprintkit import assert_valid_devcontainer, git

from sprintlock._cli.main import main
from sprintlock._doctor import check_repository
from sprintlock._inspect.jsonc import parse_jsonc
from sprintlock._standard.devcontainer import COMMAND, INTERPRETER

pytestmark = pytest.mark.usefixtures("init_index")

#: What VS Code's "Add Dev Container Configuration Files" writes for Python 3.
TEMPLATE = """\
// For format details, see https://aka.ms/devcontainer.json. For config options, see the
// README at: https://github.com/devcontainers/templates/tree/main/src/python
{
\t"name": "Python 3",
\t// Or use a Dockerfile or Docker Compose file. More info: https://containers.dev/guide/dockerfile
\t"image": "mcr.microsoft.com/devcontainers/python:1-3.12-bullseye",

\t// Features to add to the dev container. More info: https://containers.dev/features.
\t// "features": {},

\t// Use 'forwardPorts' to make a list of ports inside the container available locally.
\t// "forwardPorts": [],

\t// Use 'postCreateCommand' to run commands after the container is created.
\t"postCreateCommand": "pip3 install --user -r requirements.txt",

\t// Configure tool-specific properties.
\t// "customizations": {},

\t// Uncomment to connect as root instead. More info: https://aka.ms/dev-containers-non-root.
\t// "remoteUser": "root"
}
"""


def test_a_commented_devcontainer_is_adopted_with_its_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_demo(tmp_path / "project")
    path = root / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir()
    path.write_text(TEMPLATE)

    assert main(["-C", str(root), "init"]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "removed postCreateCommand" in out

    text = path.read_text()
    comments = [line.strip() for line in TEMPLATE.splitlines() if line.strip().startswith("//")]
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("//")] == comments
    assert '\t"image": "mcr.microsoft.com/devcontainers/python:1-3.12-bullseye",\n' in text  # the user's image
    assert re.search(r'^\t"onCreateCommand": "bash \.devcontainer/bootstrap\.sh",$', text, re.MULTILINE)  # tabs
    data = parse_jsonc(text)
    assert isinstance(data, dict)
    assert data["image"] == "mcr.microsoft.com/devcontainers/python:1-3.12-bullseye"
    assert data["onCreateCommand"] == COMMAND and "postCreateCommand" not in data
    assert data["customizations"]["vscode"]["settings"]["python.defaultInterpreterPath"] == INTERPRETER  # type: ignore[call-overload, index]

    values = tmp_path / "devcontainer.values.json"
    values.write_text(json.dumps(data))
    assert_valid_devcontainer(values)

    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "init")
    assert list(check_repository(root).findings) == []
    assert main(["-C", str(root), "doctor"]) == 0
