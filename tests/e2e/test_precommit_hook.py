"""The real pre-commit runs sprintlock's exported hook (``.pre-commit-hooks.yaml``) on a project.

pre-commit clones the hook repository, builds a virtualenv and ``pip install``s it:
here the repository is a git copy of this checkout in a temporary folder, and pip
installs offline from the tools index (flit_core, packaging, pip-tools, uv). One
pre-commit home is shared by the module, so the hook is installed only once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from sprintkit import git, run_git

import sprintlock

PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
HOOK_ID = "sprintlock-check"
HOOK_NAME = "sprintlock check (locks are fresh)"
PYPROJECT = (
    '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.10"\n'
    'dependencies = ["alpha>=1.0"]\n\n[tool.sprintlock]\npython = ["3.10", "3.11", "3.12"]\n'
)
#: Files the package build needs (flit_core: metadata, readme, the module) and the hook manifest.
HOOK_REPO_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's package and hook manifest; its path and commit."""
    repo = tmp_path_factory.mktemp("hookrepo")
    for name in HOOK_REPO_FILES:
        shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "sprintlock")
    sha = git(repo, "rev-parse", "HEAD")
    return repo, sha


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the module's tests: pre-commit installs the hook environment once, on first use."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(
    tmp_path: Path,
    offline_tools_index: Path,
    hook_repo: tuple[Path, str],
    pre_commit_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """A sample project with fresh locks, using the hook, committed to git."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    repo, sha = hook_repo
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "requirements/tests.in").write_text("testtool\n")
    (root / "other.py").write_text("print('hello')\n")
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {sha}\n    hooks:\n      - id: {HOOK_ID}\n"
    )
    sprintlock.lock(sprintlock.load_project(root))
    assert (root / "requirements/tests.txt").is_file()
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "locked")
    return root


def pre_commit(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRE_COMMIT, *args, "--color", "never"],
        cwd=root,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def hook_line(output: str) -> str:
    """pre-commit's status line for the hook, e.g. ``sprintlock check ....Passed``."""
    lines = [line for line in output.splitlines() if line.startswith(HOOK_NAME)]
    assert len(lines) == 1, output
    return lines[0]


def test_manifest_is_valid() -> None:
    result = subprocess.run(
        [PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sample_config_is_valid(project: Path) -> None:
    result = pre_commit(project, "validate-config", ".pre-commit-config.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_fresh_locks_pass(project: Path) -> None:
    result = pre_commit(project, "run", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert hook_line(output).endswith("Passed"), output


def test_edited_input_fails_and_names_the_stale_lock(project: Path) -> None:
    (project / "requirements/tests.in").write_text("testtool\nbeta\n")
    result = pre_commit(project, "run", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert hook_line(output).endswith("Failed"), output
    stale = [line for line in output.splitlines() if line.startswith("requirements/tests.txt:")]
    assert stale, output
    assert "stale" in stale[0]
    assert "requirements/tests.in changed" in stale[0]


def test_installed_hook_refuses_a_commit_with_a_stale_lock(project: Path) -> None:
    """The everyday flow: ``pre-commit install``, then ``git commit`` runs the hook on staged files."""
    result = pre_commit(project, "install")
    assert result.returncode == 0, result.stdout + result.stderr
    head = git(project, "rev-parse", "HEAD")
    (project / "requirements/tests.in").write_text("testtool\nbeta\n")
    git(project, "add", "requirements/tests.in")
    refused = run_git(project, "commit", "--message", "add beta")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert hook_line(output).endswith("Failed"), output
    assert "requirements/tests.txt:" in output
    assert git(project, "rev-parse", "HEAD") == head
    # Relocked and staged with its input, the same change is accepted.
    sprintlock.lock(sprintlock.load_project(project))
    git(project, "add", "requirements/tests.txt")
    accepted = run_git(project, "commit", "--message", "add beta")
    output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, output
    assert hook_line(output).endswith("Passed"), output
    assert git(project, "rev-parse", "HEAD") != head


def test_relocking_makes_it_pass_again(project: Path) -> None:
    (project / "requirements/tests.in").write_text("testtool\nbeta\n")
    assert pre_commit(project, "run", "--all-files").returncode == 1
    sprintlock.lock(sprintlock.load_project(project))
    result = pre_commit(project, "run", "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert hook_line(output).endswith("Passed"), output


def test_pyproject_change_triggers_the_hook(project: Path) -> None:
    """The project's runtime dependencies are pinned in its locks: changing them makes locks stale."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"alpha>=1.0"', '"alpha>=1.0", "beta"'))
    result = pre_commit(project, "run", "--files", "pyproject.toml")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert hook_line(output).endswith("Failed"), output
    assert "requirements/tests.txt:" in output


def test_other_files_do_not_trigger_the_hook(project: Path) -> None:
    # Even with a stale lock, a change elsewhere is none of this hook's business.
    (project / "requirements/tests.in").write_text("testtool\nbeta\n")
    (project / "other.py").write_text("print('changed')\n")
    result = pre_commit(project, "run", "--files", "other.py")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    line = hook_line(output)
    assert line.endswith("Skipped"), output
    assert "(no files to check)" in line
