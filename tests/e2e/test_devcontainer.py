"""The devcontainer that ``sprintlock init`` writes, and its bootstrap script run for real.

The script is run with bash on this machine, no container: offline, it installs
sprintlock (from the test index, like ``pip install sprintlock==X`` from PyPI) into a
tool environment, then ``sprintlock dev`` makes ``.venv`` the dev lock plus the project
(editable) and installs the git hooks, exactly as ``nox -s dev`` does.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from initkit import (  # noqa: F401 - init_index and init_index_dir are fixtures
    expected,
    init_index,
    init_index_dir,
    installed,
    write_demo,
)
from sprintkit import assert_valid_devcontainer, git, write_planned

from sprintlock import load_project
from sprintlock._cli.main import main
from sprintlock._scaffold.init import UPDATE, plan
from sprintlock._standard.devcontainer import COMMAND, INTERPRETER, adopt_devcontainer, image_python

pytestmark = [
    pytest.mark.usefixtures("init_index"),
    pytest.mark.posix(reason="the bootstrap script runs in a Linux container (bash, bin/)"),
]


def bootstrap(root: Path) -> subprocess.CompletedProcess[str]:
    """``bash .devcontainer/bootstrap.sh`` as onCreateCommand runs it (from the workspace root)."""
    return subprocess.run(
        ["bash", ".devcontainer/bootstrap.sh"],
        cwd=root,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The demo project after ``sprintlock init``, committed to git (as a clone is)."""
    root = write_demo(tmp_path / "project")
    assert main(["-C", str(root), "init"]) == 0, capsys.readouterr()
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "init")
    return root


def test_the_bootstrap_script_makes_the_dev_venv(project: Path) -> None:
    result = bootstrap(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert installed(project / ".venv") == expected(project, "dev")
    direct_url = next((project / ".venv").glob("lib/python*/site-packages/demo-1.0.dist-info/direct_url.json"))
    assert json.loads(direct_url.read_text())["dir_info"] == {"editable": True}
    hook = project / ".git" / "hooks" / "pre-commit"
    assert hook.is_file() and "pre-commit" in hook.read_text()
    assert "git hooks: installed" in result.stdout
    # A second run (a rebuilt container, or by hand) finds the stamp: nothing to install.
    again = bootstrap(project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert ".venv: up to date with the dev lock" in again.stdout
    # The dev session runs the same command.
    noxfile = (project / "noxfile.py").read_text()
    assert 'session.run(*SPRINTLOCK, "dev")' in noxfile
    assert 'sprintlock" dev --python' in (project / ".devcontainer/bootstrap.sh").read_text()


def test_devcontainer_json(project: Path) -> None:
    path = project / ".devcontainer" / "devcontainer.json"
    assert_valid_devcontainer(path)
    data = json.loads(path.read_text())
    pythons = load_project(project).config.targets.pythons
    image, _, version = data["image"].partition(":")
    assert image == "mcr.microsoft.com/devcontainers/python"
    assert version in pythons and version == image_python(pythons)
    assert data["onCreateCommand"] == COMMAND == "bash .devcontainer/bootstrap.sh"
    assert data["waitFor"] == "onCreateCommand"
    assert data["customizations"]["vscode"]["settings"]["python.defaultInterpreterPath"] == INTERPRETER
    assert INTERPRETER.endswith("/.venv/bin/python")
    assert set(data["hostRequirements"]) >= {"cpus", "memory"}
    assert "postCreateCommand" not in data


def test_image_python_is_a_target() -> None:
    assert image_python(("3.11", "3.12", "3.13", "3.14", "3.15")) == "3.14"
    assert image_python(("3.9", "3.10")) == "3.10"
    assert image_python(("3.99",)) == "3.99"  # no image known: still a target, never an untargeted one


#: pallets/click's devcontainer of the time, and a pip-based one.
PALLETS = {
    "name": "pallets/click",
    "image": "mcr.microsoft.com/devcontainers/python:3",
    "customizations": {
        "vscode": {
            "settings": {
                "python.defaultInterpreterPath": "${workspaceFolder}/.venv",
                "python.terminal.activateEnvironment": True,
                "python.terminal.launchArgs": ["-X", "dev"],
            }
        }
    },
    "onCreateCommand": ".devcontainer/on-create-command.sh",
}
PIP_BASED = {"image": "python:3.12", "postCreateCommand": "pip install -r requirements/dev.txt && pre-commit install"}


@pytest.mark.parametrize("existing", [PALLETS, PIP_BASED])
def test_an_existing_devcontainer_is_merged(tmp_path: Path, existing: dict[str, object]) -> None:
    root = write_demo(tmp_path / "project")
    path = root / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir()
    path.write_text(json.dumps(existing, indent=4) + "\n")
    _, changes = plan(root)
    change = {c.relative: c for c in changes}[".devcontainer/devcontainer.json"]
    assert change.action == UPDATE
    merged = json.loads(change.text)
    assert merged["onCreateCommand"] == COMMAND and merged["waitFor"] == "onCreateCommand"
    assert merged["image"] == existing["image"]  # the user's choice stays
    assert "postCreateCommand" not in merged  # it installed the requirements another way
    settings = merged["customizations"]["vscode"]["settings"]
    assert settings["python.defaultInterpreterPath"] == INTERPRETER
    if existing is PALLETS:
        assert settings["python.terminal.launchArgs"] == ["-X", "dev"]
        assert 'onCreateCommand: ".devcontainer/on-create-command.sh" -> "bash .devcontainer/bootstrap.sh"' in (
            change.notes
        )
    write_planned(root)
    assert_valid_devcontainer(path)
    assert adopt_devcontainer(path.read_text()) == (path.read_text(), ())  # merging again changes nothing


def test_a_devcontainer_with_comments_is_merged_keeping_them(tmp_path: Path) -> None:
    # Once a conflict (the merge read strict JSON only); now merged in the text, comments kept.
    root = write_demo(tmp_path / "project")
    path = root / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir()
    path.write_text('{\n  // mine\n  "image": "python:3.12"\n}\n')
    _, changes = plan(root)
    change = {c.relative: c for c in changes}[".devcontainer/devcontainer.json"]
    assert change.action == UPDATE
    assert change.text.startswith('{\n  // mine\n  "image": "python:3.12",\n  "onCreateCommand": "bash .devcontainer/')
    assert adopt_devcontainer(change.text) == (change.text, ())


def test_sprintlock_dev_outside_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_demo(tmp_path / "project")
    assert main(["-C", str(root), "init"]) == 0
    capsys.readouterr()
    assert main(["-C", str(root), "dev", "--python", str(tmp_path / "no-python")]) == 2
    assert "could not create .venv: no Python at" in capsys.readouterr().err
    assert not (root / ".venv").exists()
    assert main(["-C", str(root), "dev"]) == 0
    out = capsys.readouterr().out
    assert ".venv: created, synced to the dev lock plus the project, editable" in out
    assert "git hooks: not a git checkout: git hooks not installed" in out
    assert installed(root / ".venv") == expected(root, "dev")
