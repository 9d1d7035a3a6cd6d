"""Helpers for the tests of the sprint-ready files: git in temporary folders, the validators.

The validators are the real offline tools of the test environment: check-jsonschema
(its built-in GitHub workflow schema, and the devcontainer base schema from
``tests/data/schemas``, both local files), zizmor ``--offline``, validate-pyproject and
``pre-commit validate-config``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML (pre-commit's dependency) ships no types
from conftest import ROOT

from sprintlock._scaffold.init import plan

BIN = Path(sys.executable).parent
DEVCONTAINER_SCHEMA = ROOT / "tests" / "data" / "schemas" / "devContainer.base.schema.json"


def fake_program(folder: Path, name: str, source: str) -> Path:
    """A program ``name`` in ``folder`` that runs the Python ``source`` (a fake ``gh``, say).

    A script with this interpreter in its ``#!`` line; on Windows a ``name.cmd`` that runs
    ``name.py`` (``shutil.which`` and ``subprocess`` find ``.cmd`` files through ``PATHEXT``).
    """
    if sys.platform == "win32":
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
        program = folder / f"{name}.cmd"
        program.write_text(f'@"{sys.executable}" "%~dp0{name}.py" %*\n', encoding="utf-8")
        return program
    program = folder / name
    program.write_text(f"#!{sys.executable}\n{source}", encoding="utf-8")
    program.chmod(0o755)
    return program


def path_with_git(folder: Path) -> str:
    """A ``PATH`` of ``folder`` and git alone (a link to it; on Windows, Git's own ``cmd`` folder)."""
    real_git = shutil.which("git")
    assert real_git is not None
    if sys.platform == "win32":
        return os.pathsep.join([str(folder), str(Path(real_git).parent)])
    (folder / "git").symlink_to(real_git)
    return str(folder)


def run_git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git in a temporary repository, with a fixed identity (conftest keeps outside configuration away)."""
    identity = ["-c", "user.name=Sprint Tester", "-c", "user.email=tester@example.org"]
    settings = ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]
    return subprocess.run(
        ["git", *identity, *settings, *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def git(cwd: Path, *args: str) -> str:
    result = run_git(cwd, *args)
    assert result.returncode == 0, f"git {' '.join(args)}\n{result.stdout}{result.stderr}"
    return result.stdout.strip()


def commit_all(root: Path, message: str = "commit") -> str:
    if not (root / ".git").exists():
        git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "--message", message)
    return git(root, "rev-parse", "HEAD")


def write_planned(root: Path, **options: object) -> dict[str, str]:
    """Write what ``init`` plans (no locking); return ``{relative: action}``."""
    _, changes = plan(root, **options)  # type: ignore[arg-type]
    for change in changes:
        if change.writes:
            change.path.parent.mkdir(parents=True, exist_ok=True)
            change.path.write_text(change.text)
    return {change.relative: change.action for change in changes}


def tool(*cmd: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a validator from this environment; its result whatever the exit code."""
    return subprocess.run(
        [str(BIN / cmd[0]), *cmd[1:]], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )


def assert_valid_workflow(path: Path) -> None:
    schema = tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(path))
    assert schema.returncode == 0, schema.stdout + schema.stderr
    zizmor = tool("zizmor", "--offline", "--no-progress", str(path))
    assert zizmor.returncode == 0, zizmor.stdout + zizmor.stderr
    assert "No findings to report" in zizmor.stdout + zizmor.stderr, zizmor.stdout + zizmor.stderr


def assert_valid_devcontainer(path: Path) -> None:
    result = tool("check-jsonschema", "--schemafile", str(DEVCONTAINER_SCHEMA), str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def assert_valid_precommit_config(path: Path) -> None:
    """``pre-commit validate-config`` passes and warns about nothing."""
    result = tool("pre-commit", "validate-config", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (result.stdout + result.stderr).strip() == "", result.stdout + result.stderr


def assert_valid_pyproject(path: Path) -> None:
    result = tool("validate-pyproject", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def load_yaml(text: str) -> Any:
    return yaml.safe_load(text)


#: The pre-commit config of a Pallets project (Flask, late 2024): tag revisions, no sprintlock hook.
PALLETS_PRE_COMMIT = """\
ci:
  autoupdate_schedule: monthly
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.7.1
    hooks:
      - id: ruff
      - id: ruff-format
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: check-merge-conflict
      - id: debug-statements
      - id: fix-byte-order-marker
      - id: trailing-whitespace
      - id: end-of-file-fixer
"""
