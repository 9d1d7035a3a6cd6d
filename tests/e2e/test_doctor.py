"""``sprintlock doctor``: one fixture repository per drift code, plus a clean one with no finding.

The clean repository is the standard layout: the noxfile and tox.ini come from
`sprintlock init`'s own generators, the locks from a real (offline) `sprintlock lock`,
and the devcontainer, pre-commit config and workflows are written here in the shape
`sprintlock init` writes them. Each drift test changes one thing and expects exactly
the findings that change causes.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sprintlock import doctor, load_project, lock
from sprintlock._cli.main import main
from sprintlock._doctor import CODES, Finding, check_repository
from sprintlock._doctor.layout import STANDARD_FILES
from sprintlock._inspect.jsonc import parse_jsonc
from sprintlock._inspect.shell import read_script
from sprintlock._lock.lockfile import parse_lock, render
from sprintlock._scaffold.detect import detect
from sprintlock._standard.noxfile import render_noxfile
from sprintlock._standard.precommit import literal_paths
from sprintlock._standard.toxini import render_tox_ini

ROOT = Path(__file__).resolve().parents[2]
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
SETUP_NOX = "wntrblm/nox@a74da2c766d4e656d6105639926c31f3aa4a6ca1  # 2025.05.01"
PYPROJECT = (
    '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha>=1.0"]\n'
    '\n[tool.sprintlock]\npython = ["3.11", "3.12"]\n'
)
PRE_COMMIT = """\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: cef0300fd0fc4d2a87a85fa2093c6b283ea36f4b  # frozen: v5.0.0
    hooks:
      - id: trailing-whitespace
      - id: check-merge-conflict
  - repo: local
    hooks:
      - id: sprintlock-check
        name: sprintlock check
        entry: sprintlock check
        language: system
        pass_filenames: false
        files: ^(requirements/|pyproject\\.toml$)
"""
DEVCONTAINER = """\
{
  // Written by `sprintlock init`.
  "name": "demo",
  "image": "mcr.microsoft.com/devcontainers/python:3.12",
  "hostRequirements": {"cpus": 2, "memory": "4gb"},
  "onCreateCommand": "bash .devcontainer/bootstrap.sh",
  "waitFor": "onCreateCommand",
  "customizations": {
    "vscode": {"settings": {"python.defaultInterpreterPath": "${containerWorkspaceFolder}/.venv/bin/python"}}
  }
}
"""
BOOTSTRAP = """\
#!/usr/bin/env bash
# Make .venv the dev lock plus the project (editable) and install the git hooks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet sprintlock
.venv/bin/sprintlock sync dev --venv .venv --editable
.venv/bin/pre-commit install
"""
TESTS_YML = f"""\
name: tests
on:
  push:
  pull_request:
permissions: {{}}
concurrency:
  group: ${{{{ github.workflow }}}}-${{{{ github.ref }}}}
  cancel-in-progress: true
jobs:
  sessions:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    outputs:
      sessions: ${{{{ steps.list.outputs.sessions }}}}
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - uses: {SETUP_NOX}
      - id: list
        run: echo "sessions=$(nox --list --json | python3 .github/matrix.py)" >> "$GITHUB_OUTPUT"
  session:
    needs: sessions
    runs-on: ubuntu-latest
    timeout-minutes: 30
    strategy:
      fail-fast: false
      matrix:
        include: ${{{{ fromJSON(needs.sessions.outputs.sessions) }}}}
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - uses: {SETUP_NOX}
      - run: nox -s "${{{{ matrix.session }}}}"
"""
MATRIX_PY = "import json, sys\nprint(json.dumps([{'session': s['session']} for s in json.load(sys.stdin)]))\n"
UPGRADE_YML = f"""\
name: upgrade
on:
  schedule:
    - cron: "0 6 1 * *"
  workflow_dispatch:
permissions: {{}}
jobs:
  upgrade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: write
      pull-requests: write
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - uses: {SETUP_NOX}
      - run: nox -s upgrade
      - run: nox -s check
      - run: nox -s tests
"""
LAYERS = {
    "requirements/tests.in": "testtool\n",
    "requirements/dev.in": "-r tests.txt\nbeta\n",
    "requirements/build.in": "alpha\n",
}


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def edit(root: Path, relative: str, old: str, new: str) -> str:
    """Replace ``old`` (which must be there) in a file; return the new text."""
    text = (root / relative).read_text()
    assert old in text, f"{old!r} not in {relative}"
    text = text.replace(old, new, 1)
    (root / relative).write_text(text)
    return text


def line_of(root: Path, relative: str, needle: str) -> int:
    lines = (root / relative).read_text().splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def build_clean(root: Path) -> None:
    write(root, "pyproject.toml", PYPROJECT)
    for relative, text in LAYERS.items():
        write(root, relative, text)
    write(root, ".pre-commit-config.yaml", PRE_COMMIT)
    write(root, ".devcontainer/devcontainer.json", DEVCONTAINER)
    write(root, ".devcontainer/bootstrap.sh", BOOTSTRAP)
    write(root, ".github/workflows/tests.yml", TESTS_YML)
    write(root, ".github/matrix.py", MATRIX_PY)
    write(root, ".github/workflows/upgrade.yml", UPGRADE_YML)
    detected = detect(root)
    write(root, "noxfile.py", render_noxfile(detected))
    write(root, "tox.ini", render_tox_ini(detected))
    lock(load_project(root))


@pytest.fixture
def clean(tmp_path: Path, session_dir: Path, offline_index: Path) -> Path:
    """A repository that follows the standard (locked once per test session, then copied)."""
    template = session_dir / "doctor-clean"
    if not template.is_dir():
        building = session_dir / "doctor-clean.building"
        shutil.rmtree(building, ignore_errors=True)
        build_clean(building)
        building.rename(template)
    root = tmp_path / "repo"
    shutil.copytree(template, root)
    return root


def findings(root: Path) -> list[Finding]:
    return list(check_repository(root).findings)


def only(root: Path, code: str) -> Finding:
    """The one finding of ``root``, which must have ``code``."""
    found = findings(root)
    assert [f.code for f in found] == [code], found
    return found[0]


# The clean repository, the command line and its output


def test_clean_repository_has_no_finding(clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert findings(clean) == []
    assert main(["doctor", str(clean)]) == 0
    assert capsys.readouterr().out == f"{clean}: ok\n1 repository checked: all follow the standard\n"


def test_default_path_is_the_project(clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(clean), "doctor"]) == 0
    assert capsys.readouterr().out.startswith(f"{clean}: ok\n")


def test_doctor_runs_nothing_touches_no_network_and_writes_nothing(
    clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean / ".github/workflows/tests.yml").write_text(TESTS_YML.replace(f"uses: {CHECKOUT}", "uses: actions/x@v4"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("doctor must not run or reach anything")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    before = snapshot(clean)
    assert main(["doctor", str(clean)]) == 1
    assert {f.code for f in findings(clean)} == {"action-unpinned"}
    assert snapshot(clean) == before


def test_text_output_groups_findings_per_repository_with_fixes(clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (clean / ".devcontainer/bootstrap.sh").unlink()
    (clean / "requirements/dev.txt").unlink()
    assert main(["doctor", str(clean)]) == 1
    assert capsys.readouterr().out == (
        f"{clean}: 2 findings\n"
        f"{clean}/.devcontainer/bootstrap.sh: missing-file missing: the script that makes .venv the dev lock, "
        "run by the devcontainer\n"
        "  fix: run `sprintlock init` (it writes the missing files and never replaces one you wrote)\n"
        f"{clean}/requirements/dev.txt: lock-missing lock file is missing\n"
        "  fix: run `sprintlock lock dev`\n"
        "1 repository checked: 1 drifting, 2 findings\n"
    )


def test_json_output(clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(clean, ".pre-commit-config.yaml", "rev: cef0300fd0fc4d2a87a85fa2093c6b283ea36f4b", "rev: v5.0.0")
    (clean / "requirements/dev.txt").unlink()
    assert main(["doctor", "--json", str(clean)]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "sprintlock.doctor/1"
    assert document["ok"] is False
    data = document["repositories"]
    assert data == [
        {
            "path": str(clean),
            "ok": False,
            "findings": [
                {
                    "code": "hook-unpinned",
                    "file": ".pre-commit-config.yaml",
                    "line": 3,
                    "message": "https://github.com/pre-commit/pre-commit-hooks is pinned to 'v5.0.0', a tag or branch "
                    "that can be moved to other code",
                    "fix": "run `pre-commit autoupdate --freeze` (it writes the commit SHA with a "
                    "`# frozen: vX.Y.Z` comment)",
                },
                {
                    "code": "lock-missing",
                    "file": "requirements/dev.txt",
                    "message": "lock file is missing",
                    "fix": "run `sprintlock lock dev`",
                },
            ],
        }
    ]


def test_many_repositories_one_clean_one_drifting(
    clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drifting = tmp_path / "other"
    shutil.copytree(clean, drifting)
    (drifting / ".github/workflows/upgrade.yml").unlink()
    assert main(["doctor", str(clean), str(drifting)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{clean}: ok\n{drifting}: 1 finding\n{drifting}/.github/workflows/upgrade.yml: missing-file")
    assert out.endswith("2 repositories checked: 1 drifting, 1 finding\n")

    assert main(["doctor", "--json", str(clean), str(drifting)]) == 1
    data = json.loads(capsys.readouterr().out)["repositories"]
    assert [(repo["path"], repo["ok"], [f["code"] for f in repo["findings"]]) for repo in data] == [
        (str(clean), True, []),
        (str(drifting), False, ["missing-file"]),
    ]
    assert main(["doctor", str(clean), str(clean)]) == 0


def test_library_api(clean: Path) -> None:
    report = doctor([clean])
    assert report.ok
    assert report.repositories[0].path == str(clean)
    assert report.findings == ()


# One fixture per code


def test_not_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes").mkdir()
    assert only(tmp_path / "notes", "not-a-project").message == "no pyproject.toml: not a Python project"
    missing = only(tmp_path / "nowhere", "not-a-project")
    assert (missing.file, missing.message) == ("", "no such folder")
    assert main(["doctor", str(tmp_path / "nowhere")]) == 1
    assert f"{tmp_path / 'nowhere'}: not-a-project no such folder\n  fix: check the path" in capsys.readouterr().out


def test_config_invalid(clean: Path) -> None:
    edit(clean, "pyproject.toml", 'python = ["3.11", "3.12"]', 'python = ["3.11", "3.12"]\nresolver = "poetry"')
    found = only(clean, "config-invalid")
    assert (found.file, found.line) == ("pyproject.toml", line_of(clean, "pyproject.toml", "resolver"))
    assert found.message == "unknown resolver 'poetry'"
    assert found.fix == "use one of: uv, pip-tools"


@pytest.mark.parametrize(
    ("relative", "broken", "line"),
    [
        (".github/workflows/tests.yml", "jobs:\n  x: [\n", 3),
        (".pre-commit-config.yaml", "repos:\n  - repo: local\n   hooks: []\n", 3),
        (".devcontainer/devcontainer.json", '{\n  "name": "demo",\n  "image" "x"\n}\n', 3),
        ("noxfile.py", "import nox\n\ndef tests(:\n", 3),
    ],
)
def test_file_invalid(clean: Path, relative: str, broken: str, line: int) -> None:
    write(clean, relative, broken)
    found = only(clean, "file-invalid")
    assert (found.file, found.line) == (relative, line)


@pytest.mark.parametrize("relative", sorted(STANDARD_FILES))
def test_missing_file(clean: Path, relative: str) -> None:
    (clean / relative).unlink()
    found = only(clean, "missing-file")
    assert (found.file, found.line) == (relative, None)
    assert found.message == f"missing: {STANDARD_FILES[relative]}"
    assert found.fix == "run `sprintlock init` (it writes the missing files and never replaces one you wrote)"


@pytest.mark.parametrize(("tests", "upgrade"), [("tests.yaml", "upgrade.yaml"), ("ci.yml", "deps.yaml")])
def test_workflows_are_found_by_what_they_run(clean: Path, tests: str, upgrade: str) -> None:
    # init keeps a project's tests.yaml; a workflow of any name that runs the tests (or the upgrade) counts.
    workflows = clean / ".github/workflows"
    (workflows / "tests.yml").rename(workflows / tests)
    (workflows / "upgrade.yml").rename(workflows / upgrade)
    assert findings(clean) == []


def test_missing_requirements_folder(clean: Path) -> None:
    shutil.rmtree(clean / "requirements")
    found = only(clean, "missing-file")
    assert found.file == "requirements/"
    assert "add requirements/NAME.in files" in found.fix


def test_lock_unused(clean: Path) -> None:
    write(clean, "requirements/extra.in", "beta\n")
    lock(load_project(clean), names=["extra"])
    found = only(clean, "lock-unused")
    assert (found.file, found.line) == ("requirements/extra.txt", None)
    assert "sprintlock_layer = extra" in found.fix
    assert "delete requirements/extra.in and extra.txt" in found.fix


@pytest.mark.parametrize(
    ("relative", "old", "new"),
    [
        ("tox.ini", "sprintlock_layer = tests", "sprintlock_layer = tests\n[testenv:extra]\nsprintlock_layer = extra"),
        (".devcontainer/bootstrap.sh", "pre-commit install", "pre-commit install\n.venv/bin/sprintlock sync extra"),
        (".github/workflows/upgrade.yml", "- run: nox -s tests", "- run: pip install -r requirements/extra.txt"),
    ],
)
def test_a_lock_used_by_an_environment_is_not_unused(clean: Path, relative: str, old: str, new: str) -> None:
    write(clean, "requirements/extra.in", "beta\n")
    lock(load_project(clean), names=["extra"])
    edit(clean, relative, old, new)
    assert [f.code for f in findings(clean)] == []


def test_lock_missing(clean: Path) -> None:
    (clean / "requirements/dev.txt").unlink()
    found = only(clean, "lock-missing")
    assert (found.file, found.fix) == ("requirements/dev.txt", "run `sprintlock lock dev`")


def test_lock_foreign(clean: Path) -> None:
    write(clean, "requirements/dev.txt", "beta==2.0\n")
    found = only(clean, "lock-foreign")
    assert (found.file, found.fix) == ("requirements/dev.txt", "run `sprintlock lock --all`")


def test_lock_edited(clean: Path) -> None:
    edit(clean, "requirements/dev.txt", "beta==2.0", "beta==1.0")
    found = only(clean, "lock-edited")
    assert (found.file, found.fix) == ("requirements/dev.txt", "run `sprintlock lock dev`")


def test_lock_edited_into_something_unreadable(clean: Path) -> None:
    edit(clean, "requirements/dev.txt", "beta==2.0", "beta>=2.0")
    found = only(clean, "lock-edited")
    assert (found.file, found.line) == ("requirements/dev.txt", line_of(clean, "requirements/dev.txt", "beta>=2.0"))
    assert found.message.startswith("edited by hand into something that is not a lock: not a pinned requirement")


def test_lock_stale(clean: Path) -> None:
    write(clean, "requirements/dev.in", "-r tests.txt\nbeta\nalpha<2\n")
    found = only(clean, "lock-stale")
    assert found.file == "requirements/dev.txt"
    assert found.message == "stale: requirements/dev.in changed"
    assert found.fix == "run `sprintlock lock dev`"


def test_lock_uncovered(clean: Path) -> None:
    edit(clean, "requirements/dev.txt", "# covers: python 3.11 3.12;", "# covers: python 3.12;")
    found = only(clean, "lock-uncovered")
    assert found.file == "requirements/dev.txt"
    assert found.message.startswith("does not cover python 3.11")
    assert 'resolver = "uv"' in found.fix


def _rewrite(root: Path, layer: str, change: Callable[[str, str], str]) -> None:
    """Re-render a lock with changed pins (a fresh header: only the pins are wrong)."""
    path = root / f"requirements/{layer}.txt"
    parsed = parse_lock(path.read_text(), layer)
    assert parsed is not None
    pins = [replace(pin, version=change(pin.name, pin.version)) for pin in parsed.pins]
    path.write_text(render(parsed.header, pins))


def test_lock_unhashed(clean: Path) -> None:
    path = clean / "requirements/dev.txt"
    parsed = parse_lock(path.read_text(), "dev")
    assert parsed is not None
    unhashed = [replace(pin, hashes=()) if pin.name == "beta" else pin for pin in parsed.pins]
    path.write_text(render(parsed.header, unhashed))
    found = only(clean, "lock-unhashed")
    assert (found.file, found.message) == ("requirements/dev.txt", "pins without hashes: beta")


def test_lock_inconsistent(clean: Path) -> None:
    _rewrite(clean, "dev", lambda name, version: "1.0" if name == "iniconfig" else version)
    found = only(clean, "lock-inconsistent")
    assert found.file == "requirements"
    assert found.message.startswith("iniconfig is pinned at different versions")
    assert found.fix == "run `sprintlock lock --all` so that every layer agrees"


def test_lock_inputs_invalid(clean: Path) -> None:
    write(clean, "requirements/dev.in", "-r tests.txt\nbeta\n-r extra.in\n")
    found = only(clean, "lock-inputs-invalid")
    assert (found.file, found.line) == ("requirements/dev.in", 3)
    assert found.message == "-r extra.in: no such file"
    assert found.fix == "create extra.in (or its .in), or remove this line"


def test_tox_conflict(clean: Path) -> None:
    write(clean, "requirements/old.txt", "alpha==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    edit(clean, "tox.ini", "deps =\n", "deps =\n    -r requirements/tests.txt\n    -r requirements/old.txt\n")
    found = only(clean, "tox-conflict")
    assert (found.file, found.line) == ("tox.ini", line_of(clean, "tox.ini", "-r requirements/tests.txt"))
    assert found.message.startswith("tox env tests: one pip run installs alpha 1.0 (requirements/old.txt) and 2.0")
    assert "factor conditions" in found.fix


def test_tox_hash_mix(clean: Path) -> None:
    edit(clean, "tox.ini", "deps =\n", "deps =\n    -r requirements/tests.txt\n    pytest-cov\n")
    found = only(clean, "tox-hash-mix")
    assert found.message == (
        "tox env tests: one pip run installs hashed lines (requirements/tests.txt) and unhashed ones "
        "(`pytest-cov`): the hashes turn on pip's hash-checking mode, which refuses the others"
    )


def test_dangling_path_devcontainer_installs_a_deleted_lock(clean: Path) -> None:
    """The classic: the devcontainer still installs requirements/docs.txt, which was deleted."""
    edit(
        clean,
        ".devcontainer/devcontainer.json",
        '"waitFor"',
        '"postCreateCommand": "pip install -r requirements/docs.txt && pre-commit install",\n  "waitFor"',
    )
    found = only(clean, "dangling-path")
    assert found.file == ".devcontainer/devcontainer.json"
    assert found.line == line_of(clean, found.file, "postCreateCommand")
    assert found.message == "postCreateCommand names requirements/docs.txt (pip install -r), which does not exist"
    assert found.fix == (
        "point it at an existing lock (requirements/build.txt, requirements/dev.txt, requirements/tests.txt), "
        "or create requirements/docs.in and run `sprintlock lock docs`"
    )


@pytest.mark.parametrize(
    ("relative", "old", "new", "needle", "named"),
    [
        (
            ".devcontainer/bootstrap.sh",
            ".venv/bin/pre-commit install\n",
            ".venv/bin/pre-commit install\nbash scripts/post-create.sh\n",
            "post-create",
            "scripts/post-create.sh",
        ),
        (
            ".github/workflows/upgrade.yml",
            "      - run: nox -s check\n",
            "      - run: |\n          pip install nox\n          pip install -r requirements/docs.txt\n",
            "requirements/docs.txt",
            "requirements/docs.txt",
        ),
        (
            ".github/workflows/upgrade.yml",
            f"      - uses: {SETUP_NOX}\n",
            "      - uses: ./.github/actions/setup\n",
            "./.github/actions/setup",
            ".github/actions/setup",
        ),
        (
            "tox.ini",
            "deps =\n",
            "deps =\n    -r {toxinidir}/requirements/docs.txt\n",
            "docs.txt",
            "requirements/docs.txt",
        ),
        (
            ".pre-commit-config.yaml",
            "files: ^(requirements/|pyproject\\.toml$)",
            "files: ^requirements/docs\\.in$",
            "files:",
            "requirements/docs.in",
        ),
        (
            ".pre-commit-config.yaml",
            "entry: sprintlock check",
            "entry: python scripts/check_locks.py",
            "entry:",
            "scripts/check_locks.py",
        ),
        (
            "noxfile.py",
            '    session.run("pytest", *session.posargs)\n',
            '    session.install("-r", "requirements/docs.txt")\n    session.run("pytest", *session.posargs)\n',
            "requirements/docs.txt",
            "requirements/docs.txt",
        ),
    ],
)
def test_dangling_path(clean: Path, relative: str, old: str, new: str, needle: str, named: str) -> None:
    edit(clean, relative, old, new)
    found = only(clean, "dangling-path")
    assert (found.file, found.line) == (relative, line_of(clean, relative, needle))
    assert named in found.message


def test_dangling_path_in_a_script_the_devcontainer_runs(clean: Path) -> None:
    edit(
        clean,
        ".devcontainer/devcontainer.json",
        '"waitFor"',
        '"postCreateCommand": ".devcontainer/more.sh",\n  "waitFor"',
    )
    write(clean, ".devcontainer/more.sh", "set -e\npip install -r requirements/dev-old.txt\n")
    found = only(clean, "dangling-path")
    assert (found.file, found.line) == (".devcontainer/more.sh", 2)
    assert found.message.startswith(".devcontainer/more.sh (run by postCreateCommand) names requirements/dev-old.txt")


@pytest.mark.parametrize(
    ("relative", "old", "new", "needle"),
    [
        (".github/workflows/upgrade.yml", "nox -s check", "nox -s check docs", "docs"),
        (".devcontainer/bootstrap.sh", ".venv/bin/pre-commit install", "nox -s develop", "develop"),
        (
            "noxfile.py",
            'nox.options.sessions = ["check"',
            'nox.options.sessions = ["docs", "check"',
            "options.sessions",
        ),
    ],
)
def test_dangling_session(clean: Path, relative: str, old: str, new: str, needle: str) -> None:
    edit(clean, relative, old, new)
    found = only(clean, "dangling-session")
    assert (found.file, found.line) == (relative, line_of(clean, relative, needle))
    assert "which noxfile.py does not define" in found.message
    assert found.fix.startswith("use one of the noxfile's sessions (build, check, dev, lint, lock, tests")


def test_a_session_for_one_python_is_known(clean: Path) -> None:
    edit(clean, ".github/workflows/upgrade.yml", "nox -s tests", "nox -s tests-3.12")
    assert findings(clean) == []
    edit(clean, ".github/workflows/upgrade.yml", "nox -s tests-3.12", "nox -s tests-3.10")
    assert "'tests-3.10'" in only(clean, "dangling-session").message


@pytest.mark.parametrize(
    ("relative", "old", "new", "needle"),
    [
        ("tox.ini", "sprintlock_layer = tests", "sprintlock_layer = test", "sprintlock_layer = test"),
        (".devcontainer/bootstrap.sh", "sync dev", "sync develop", "sync develop"),
        ("noxfile.py", 'sprintlock.nox.install(session, "tests")', 'sprintlock.nox.install(session, "test")', '"test"'),
    ],
)
def test_dangling_layer(clean: Path, relative: str, old: str, new: str, needle: str) -> None:
    edit(clean, relative, old, new)
    found = only(clean, "dangling-layer")
    assert (found.file, found.line) == (relative, line_of(clean, relative, needle))
    assert found.fix.endswith(
        "or use an existing lock (requirements/build.txt, requirements/dev.txt, requirements/tests.txt)"
    )


HAND_KEPT = f"""\
on: push
permissions: {{}}
jobs:
  tests:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - uses: {CHECKOUT}
      - uses: {SETUP_NOX}
      - run: nox -s tests-${{{{ matrix.python }}}}
"""


def test_a_hand_kept_matrix_in_step_with_the_noxfile_is_fine(clean: Path) -> None:
    write(clean, ".github/workflows/tests.yml", HAND_KEPT)
    assert findings(clean) == []


def test_matrix_drift_pythons(clean: Path) -> None:
    write(clean, ".github/workflows/tests.yml", HAND_KEPT.replace('["3.11", "3.12"]', '["3.10", "3.11"]'))
    found = findings(clean)
    assert [(f.code, f.line) for f in found] == [("matrix-drift", 8), ("matrix-drift", 8)]
    assert {f.message for f in found} == {
        "the matrix of job 'tests' runs 'tests' on Python 3.10, which noxfile.py does not (it runs it on 3.11 3.12)",
        "the matrix of job 'tests' leaves out Python 3.12, which noxfile.py runs 'tests' on",
    }
    assert found[0].fix.startswith("derive the matrix from the noxfile (`nox --list --json`")


def test_matrix_drift_sessions(clean: Path) -> None:
    workflow = HAND_KEPT.replace('python: ["3.11", "3.12"]', "session:\n          - check\n          - docs")
    write(clean, ".github/workflows/tests.yml", workflow.replace("tests-${{ matrix.python }}", "${{ matrix.session }}"))
    found = only(clean, "matrix-drift")
    assert found.line == line_of(clean, ".github/workflows/tests.yml", "- docs")
    assert found.message == "the matrix of job 'tests' lists the nox session 'docs', which noxfile.py does not define"


def test_matrix_drift_through_setup_python_and_include(clean: Path) -> None:
    workflow = HAND_KEPT.replace(
        'python: ["3.11", "3.12"]', "include:\n          - python: '3.11'\n          - python: '3.13'"
    )
    workflow = workflow.replace(
        f"      - uses: {SETUP_NOX}\n",
        f"      - uses: {SETUP_NOX}\n      - uses: {CHECKOUT.replace('checkout', 'setup-python')}\n"
        "        with:\n          python-version: ${{ matrix.python }}\n",
    )
    write(clean, ".github/workflows/tests.yml", workflow.replace("tests-${{ matrix.python }}", "tests"))
    found = findings(clean)
    assert [f.code for f in found] == ["matrix-drift", "matrix-drift"]
    assert found[1].line == line_of(clean, ".github/workflows/tests.yml", "'3.13'")
    assert "on Python 3.13, which noxfile.py does not" in found[1].message


def test_matrix_uncovered_by_the_noxfile(clean: Path) -> None:
    with (clean / "noxfile.py").open("a") as handle:
        handle.write(
            '\n\n@nox.session(python=["3.12", "3.13"])\ndef legacy(session: nox.Session) -> None:\n'
            '    sprintlock.nox.install(session, "tests")\n'
        )
    found = only(clean, "matrix-uncovered")
    assert (found.file, found.line) == ("noxfile.py", line_of(clean, "noxfile.py", '["3.12", "3.13"]'))
    assert found.message == (
        "session 'legacy' runs on Python 3.13, but requirements/tests.txt is locked for Python 3.11 3.12 only"
    )
    assert found.fix.startswith("add 3.13 to `python` in [tool.sprintlock]")


def test_matrix_uncovered_by_a_workflow_matrix(clean: Path) -> None:
    write(
        clean,
        ".github/workflows/compat.yml",
        f"""\
on: push
permissions: {{}}
jobs:
  compat:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.11", "3.13"]
    steps:
      - uses: {CHECKOUT}
      - uses: {CHECKOUT.replace("checkout", "setup-python")}
        with:
          python-version: ${{{{ matrix.python-version }}}}
      - run: pip install --require-hashes -r requirements/tests.txt
      - run: pytest
""",
    )
    found = only(clean, "matrix-uncovered")
    assert (found.file, found.line) == (".github/workflows/compat.yml", 8)
    assert "tests on Python 3.13, but requirements/tests.txt is locked for Python 3.11 3.12 only" in found.message


def test_action_unpinned(clean: Path) -> None:
    edit(clean, ".github/workflows/upgrade.yml", CHECKOUT, "actions/checkout@v4")
    found = only(clean, "action-unpinned")
    assert (found.file, found.line) == (".github/workflows/upgrade.yml", line_of(clean, found.file, "checkout@v4"))
    assert found.message == "job 'upgrade' uses actions/checkout@v4: a tag or branch can be moved to other code"
    assert found.fix.startswith(
        "pin the release's commit with the version as a comment: `uses: actions/checkout@<40-hex"
    )


def test_action_on_a_branch_is_unpinned(clean: Path) -> None:
    edit(clean, ".github/workflows/upgrade.yml", SETUP_NOX, "wntrblm/nox@main")
    assert only(clean, "action-unpinned").message.startswith("job 'upgrade' uses wntrblm/nox@main")


def test_action_no_version_comment(clean: Path) -> None:
    edit(clean, ".github/workflows/upgrade.yml", CHECKOUT, CHECKOUT.split()[0])
    found = only(clean, "action-no-version-comment")
    assert found.line == line_of(clean, ".github/workflows/upgrade.yml", "actions/checkout@")
    assert found.fix == f"add the release after the SHA: `uses: {CHECKOUT.split()[0]}  # vX.Y.Z`"


def test_hook_unpinned(clean: Path) -> None:
    edit(clean, ".pre-commit-config.yaml", "rev: cef0300fd0fc4d2a87a85fa2093c6b283ea36f4b", "rev: main")
    found = only(clean, "hook-unpinned")
    assert (found.file, found.line) == (".pre-commit-config.yaml", 3)
    assert "pinned to 'main'" in found.message


def test_hook_no_frozen_comment(clean: Path) -> None:
    edit(clean, ".pre-commit-config.yaml", "  # frozen: v5.0.0", "  # v5.0.0")
    found = only(clean, "hook-no-frozen-comment")
    assert (found.file, found.line) == (".pre-commit-config.yaml", 3)
    assert found.fix.startswith("run `pre-commit autoupdate --freeze`")


def test_bot_edits_locks(clean: Path) -> None:
    pip = "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: weekly\n"
    (clean / ".github/dependabot.yml").write_text(pip)
    found = only(clean, "bot-edits-locks")
    assert (found.file, found.line) == (".github/dependabot.yml", 3)
    assert "github-actions" in found.fix


# Every code is tested above and documented


def test_every_code_is_documented() -> None:
    text = (ROOT / "docs/doctor.md").read_text()
    documented = re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.MULTILINE)
    assert documented == list(CODES)


def test_every_code_has_a_fixture() -> None:
    source = Path(__file__).read_text()
    untested = [code for code in CODES if f'"{code}"' not in source]
    assert untested == []


# The readers


def test_shell_reader() -> None:
    script = read_script(
        "set -e\npython -m pip install --upgrade pip \\\n  -r requirements/a.txt -c=requirements/c.txt\n"
        "nox -s lint tests-3.12 -p 3.12 -- -x\n"
        "if [ -d x ]; then bash tools/go.sh; fi  # bash commented.sh\n"
        '"$tools/bin/sprintlock" dev --python python3\n'
        "source .venv/bin/activate && ./run.sh\n"
    )
    assert [(r.kind, r.value, r.line) for r in script.refs] == [
        ("path", "requirements/a.txt", 1),
        ("path", "requirements/c.txt", 1),
        ("session", "lint", 3),
        ("session", "tests-3.12", 3),
        ("path", "tools/go.sh", 4),
        ("layer", "dev", 5),
        ("path", ".venv/bin/activate", 6),
        ("path", "run.sh", 6),
    ]
    assert [(c.sessions, c.pythons) for c in script.nox_calls] == [(("lint", "tests-3.12"), ("3.12",))]


def test_files_patterns_that_name_paths() -> None:
    assert literal_paths(r"^(requirements/|pyproject\.toml$)") == [("requirements/", False), ("pyproject.toml", True)]
    assert literal_paths(r"^docs/conf\.py$") == [("docs/conf.py", True)]
    assert literal_paths(r"\.py$") == []
    assert literal_paths(r"^requirements/.*\.txt$") == []


def test_jsonc() -> None:
    text = '{\n  // a comment\n  "a": "http://x", /* b */ "c": [1, 2,],\n}\n'
    assert parse_jsonc(text) == {"a": "http://x", "c": [1, 2]}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.sampled_from(["a,]", "//x", "/* y */", 'q",}']),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)  # no deadline: json-five loads on first use
@given(JSON_VALUES, st.sampled_from([None, 1, 2]))
def test_jsonc_reads_any_json_and_keeps_strings_that_look_like_comments(value: object, indent: int | None) -> None:
    assert parse_jsonc(json.dumps(value, indent=indent)) == value
    assert parse_jsonc(json.dumps(value, indent=indent) + "  // trailing comment\n") == value


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.from_regex(r"[A-Za-z0-9_.][A-Za-z0-9_./-]{0,30}", fullmatch=True))
def test_shell_reader_finds_any_requirement_path(path: str) -> None:
    script = read_script(f"python -m pip install --require-hashes -r {path} && echo done")
    assert [(r.kind, r.value) for r in script.refs] == [("path", path)]


def test_this_repository_follows_its_own_standard() -> None:
    """sprintlock lives in the layout it produces: its own repository has no drift."""
    root = Path(__file__).resolve().parents[2]
    report = doctor([root])
    assert [(f.code, f.file, f.message) for f in report.findings] == []
