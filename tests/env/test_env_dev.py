"""``sprintlock dev``: a real ``.venv`` from a small project's dev lock; git hooks only when they can be."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from sprintkit import git

from sprintlock import Project, SprintlockError, load_project, lock
from sprintlock._cli.main import main
from sprintlock._core.process import Result
from sprintlock._core.tools import venv_python
from sprintlock._env.dev import VENV, make_dev_venv

PYPROJECT = """\
[build-system]
requires = ["flit_core>=3.9"]
build-backend = "flit_core.buildapi"

[project]
name = "demo"
version = "1.0"
description = "A fixture project."
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]
"""


def write_project(root: Path) -> Project:
    (root / "src" / "demo").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "src" / "demo" / "__init__.py").write_text('"""Demo."""\n')
    (root / "requirements").mkdir()
    (root / "requirements" / "dev.in").write_text("alpha\n")
    project = load_project(root)
    lock(project)
    return project


@pytest.mark.usefixtures("offline_tools_index")
def test_dev_creates_syncs_and_says_why_no_hooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path / "project")
    root = project.root

    first = make_dev_venv(project)
    assert first.venv == root / VENV and venv_python(first.venv).exists()
    assert first.created and not first.sync.skipped
    assert "demo==1.0" in first.sync.installed and any(item.startswith("alpha==") for item in first.sync.installed)
    assert (first.hooks, first.note) == (False, "no .pre-commit-config.yaml: no git hooks to install")

    (root / ".pre-commit-config.yaml").write_text("repos: []\n")
    assert main(["-C", str(root), "dev"]) == 0
    assert capsys.readouterr().out == (
        ".venv: up to date with the dev lock (stamp matches)\ngit hooks: not a git checkout: git hooks not installed\n"
    )

    git(root, "init", "--quiet")
    with pytest.raises(SprintlockError, match="pre-commit is not in the dev lock") as info:
        make_dev_venv(load_project(root))
    assert info.value.where == "requirements/dev.in"


def test_a_missing_interpreter_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    missing = tmp_path / "no" / "python3"
    with pytest.raises(SprintlockError, match=r"could not create \.venv: no Python at") as info:
        make_dev_venv(load_project(tmp_path), python=str(missing))
    assert info.value.hint == "pass --python PATH to an interpreter"
    assert not (tmp_path / VENV).exists()


def test_a_failing_venv_module_shows_its_message(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    calls: list[list[str]] = []

    def runner(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        calls.append(list(cmd))
        return Result(1, "", "Error: ensurepip is not available\n")

    with pytest.raises(SprintlockError, match=r"could not create \.venv: Error: ensurepip is not available") as info:
        make_dev_venv(load_project(tmp_path), runner=runner)
    assert info.value.hint is not None and "venv module" in info.value.hint
    assert calls == [[sys.executable, "-m", "venv", "--without-pip", str(tmp_path / VENV)]]
