"""``lock-unused``: what counts as using a lock (sessions, tox, workflows, devcontainer, other locks)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sprintlock._doctor import check_repository

ADOPT = Path(__file__).resolve().parents[1] / "data" / "adopt"
NOXFILE = """\
import nox
import sprintlock.nox


@nox.session
def tests(session):
    sprintlock.nox.install(session, "tests")


def install_lock(session, name):
    sprintlock.nox.install(session, name)


@nox.session
def docs(session):
    install_lock(session, "docs")
"""


def unused(root: Path) -> list[str]:
    return [f.file for f in check_repository(root).findings if f.code == "lock-unused"]


def project(tmp_path: Path, layers: dict[str, str], noxfile: str = NOXFILE) -> Path:
    root = tmp_path / "repo"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    (root / "noxfile.py").write_text(noxfile)
    for name, text in layers.items():
        (root / f"requirements/{name}.in").write_text(text)
        (root / f"requirements/{name}.txt").write_text("")
    return root


def test_sessions_helpers_and_included_locks_use_them(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"tests": "pytest\n", "docs": "sphinx\n", "base": "x\n", "dev": "-r base.txt\n-r tests.in"}
    )
    # dev: nothing installs it; base is included by dev; tests and docs are installed by sessions.
    assert unused(root) == ["requirements/dev.txt"]


def test_a_lock_included_by_its_input_only_is_unused(tmp_path: Path) -> None:
    # `-r tests.in` includes the input, not the lock.
    root = project(tmp_path, {"tests": "pytest\n", "docs": "sphinx\n", "min": "x\n", "dev": "-r min.in\n"})
    assert unused(root) == ["requirements/dev.txt", "requirements/min.txt"]


def test_a_factor_conditional_tox_dep_uses_the_lock(tmp_path: Path) -> None:
    root = project(tmp_path, {"tests": "pytest\n", "docs": "sphinx\n", "tests-min": "x==1\n"})
    assert unused(root) == ["requirements/tests-min.txt"]
    (root / "tox.ini").write_text(
        "[testenv]\ndeps =\n    -r requirements/tests.txt\n    min: -r {toxinidir}/requirements/tests-min.txt\n"
    )
    assert unused(root) == []


def test_a_devcontainer_running_sprintlock_dev_uses_the_dev_lock(tmp_path: Path) -> None:
    root = project(tmp_path, {"tests": "pytest\n", "docs": "sphinx\n", "dev": "-r tests.txt\n"})
    (root / ".devcontainer").mkdir()
    (root / ".devcontainer/devcontainer.json").write_text('{"postCreateCommand": "sprintlock dev"}')
    assert unused(root) == []


def test_not_judged_without_a_noxfile_or_with_an_unreadable_file(tmp_path: Path) -> None:
    root = project(tmp_path, {"tests": "pytest\n", "extra": "x\n"})
    assert unused(root) == ["requirements/extra.txt"]
    (root / "tox.ini").write_text("[testenv]\ndeps = -r requirements/extra.txt\n")
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/ci.yml").write_text("jobs: [\n")
    assert unused(root) == []
    (root / "noxfile.py").unlink()
    (root / "tox.ini").unlink()
    assert unused(root) == []


def test_flask_tests_min_is_used_by_its_tox_factor(tmp_path: Path) -> None:
    root = tmp_path / "flask"
    shutil.copytree(ADOPT / "flask", root)
    (root / "noxfile.py").write_text(NOXFILE)
    assert unused(root) == []
    (root / "tox.ini").write_text(
        (root / "tox.ini").read_text().replace("    min: -r requirements/tests-min.txt\n", "")
    )
    assert unused(root) == ["requirements/tests-min.txt"]
