"""References into missing folders: a missing folder never hides what names a file inside it."""

from __future__ import annotations

import shutil
from pathlib import Path

from sprintlock._doctor import Finding, check_repository

ADOPT = Path(__file__).resolve().parents[1] / "data" / "adopt"


def copy_case(case: str, tmp_path: Path) -> Path:
    root = tmp_path / case
    shutil.copytree(ADOPT / case, root, ignore=shutil.ignore_patterns("SOURCE.txt"))
    return root


def codes(findings: tuple[Finding, ...], code: str) -> list[tuple[str, int | None]]:
    return [(f.file, f.line) for f in findings if f.code == code]


def test_flask_2026_devcontainer_still_installs_the_deleted_requirements(tmp_path: Path) -> None:
    root = copy_case("flask-2026", tmp_path)
    findings = check_repository(root).findings
    assert codes(findings, "dangling-path") == [(".devcontainer/on-create-command.sh", 5)]
    dangling = next(f for f in findings if f.code == "dangling-path")
    assert "requirements/dev.txt (pip install -r)" in dangling.message
    assert "there is no requirements/ folder" in dangling.fix
    # The missing folder is still reported on its own.
    assert ("requirements/", None) in codes(findings, "missing-file")


def test_a_workflow_naming_a_lock_in_a_missing_folder_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / ".github/workflows").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    (root / ".github/workflows/ci.yaml").write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: pip install -r requirements/tests.txt\n      - run: pytest\n"
    )
    findings = check_repository(root).findings
    assert codes(findings, "dangling-path") == [(".github/workflows/ci.yaml", 6)]


def test_a_reference_to_the_missing_folder_itself_is_not_reported_twice(tmp_path: Path) -> None:
    root = copy_case("flask-2026", tmp_path)
    (root / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: check\n        name: check\n"
        "        entry: sprintlock check\n        language: system\n        files: ^requirements/\n"
    )
    findings = check_repository(root).findings
    assert [f.file for f in findings if f.code == "dangling-path"] == [".devcontainer/on-create-command.sh"]
