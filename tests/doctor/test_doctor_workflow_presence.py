"""The tests and upgrade workflows are found by what they run, not by their file name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sprintlock._doctor import check_repository
from sprintlock._inspect.shell import read_script
from sprintlock._standard.workflows.doctor import runs_tests, runs_upgrade

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\n'


def runs(check: Callable[[tuple[str, ...]], bool], text: str) -> bool:
    commands = read_script(text).commands
    assert commands, text
    return any(check(command) for command in commands)


@pytest.mark.parametrize(
    "text",
    [
        "nox",
        "pipx run nox==2025.5.1",
        "nox -s tests",
        "nox -s tests-3.12",
        "nox --session tests-min",
        'nox -s "${{ matrix.session }}"',
        "nox -p 3.12",
        "pytest -x",
        "python -m pytest",
        "uv run --group tests pytest",
        "tox run -e py313",
        "uv run --locked --no-default-groups --group dev tox run",
        "pip install tox && tox",
    ],
)
def test_commands_that_run_the_tests(text: str) -> None:
    assert runs(runs_tests, text)


@pytest.mark.parametrize(
    "text",
    [
        "pip install tox",
        "pip install pytest nox",
        "nox --list --json",
        "nox -s lint docs",
        "uv add --dev pytest",
        "echo tests",
        "sprintlock check",
    ],
)
def test_commands_that_do_not(text: str) -> None:
    assert not runs(runs_tests, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sprintlock upgrade --report upgrade.md", True),
        ("python -m sprintlock -C sub upgrade", True),
        ("nox -s upgrade", True),
        ("nox -s upgrade-pr", True),
        ("upgrade-pr --branch x", True),
        ("sprintlock check", False),
        ("nox -s tests", False),
        ("pip install --upgrade pip", False),
    ],
)
def test_commands_that_upgrade_the_locks(text: str, expected: bool) -> None:
    assert runs(runs_upgrade, text) is expected


def repo_with(tmp_path: Path, workflows: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    (root / ".github/workflows").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    for name, text in workflows.items():
        (root / ".github/workflows" / name).write_text(text)
    return root


def missing(root: Path) -> set[str]:
    return {f.file for f in check_repository(root).findings if f.code == "missing-file"}


CI = "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {}\n"
SCHEDULED = (
    "on:\n  schedule:\n    - cron: '0 6 1 * *'\njobs:\n  up:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {}\n"
)


def test_a_tests_yaml_that_runs_tox_is_the_tests_workflow(tmp_path: Path) -> None:
    root = repo_with(tmp_path, {"tests.yaml": CI.format("tox run -e py313")})
    assert ".github/workflows/tests.yml" not in missing(root)
    assert ".github/workflows/upgrade.yml" in missing(root)


def test_any_name_any_suffix(tmp_path: Path) -> None:
    root = repo_with(tmp_path, {"ci.yml": CI.format("nox"), "deps.yaml": SCHEDULED.format("nox -s upgrade")})
    found = missing(root)
    assert ".github/workflows/tests.yml" not in found
    assert ".github/workflows/upgrade.yml" not in found


def test_tests_on_a_schedule_only_are_not_ci(tmp_path: Path) -> None:
    root = repo_with(tmp_path, {"nightly.yaml": SCHEDULED.format("nox -s tests")})
    assert ".github/workflows/tests.yml" in missing(root)


def test_a_workflow_that_runs_no_tests_is_not_the_tests_workflow(tmp_path: Path) -> None:
    root = repo_with(tmp_path, {"lint.yaml": CI.format("pre-commit run --all-files")})
    assert ".github/workflows/tests.yml" in missing(root)


def test_an_invalid_workflow_is_skipped(tmp_path: Path) -> None:
    root = repo_with(tmp_path, {"ci.yaml": "jobs: [\n", "tests.yaml": CI.format("pytest")})
    assert ".github/workflows/tests.yml" not in missing(root)


@pytest.mark.parametrize("case", ["flask", "werkzeug", "click", "flask-2026"])
def test_the_pallets_tests_workflows_are_found(case: str) -> None:
    root = Path(__file__).resolve().parents[1] / "data" / "adopt" / case
    assert ".github/workflows/tests.yml" not in missing(root)
