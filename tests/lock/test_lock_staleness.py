"""``staleness()``: every reason a lock is stale, the one answer for ``lock`` and ``check``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sprintlock._lock.fingerprint import expected_header
from sprintlock._lock.layers import Layer, discover
from sprintlock._lock.lockfile import make_pin, parse_lock
from sprintlock._lock.staleness import LockFile, staleness
from sprintlock._project.config import Project, load_project

PYPROJECT = (
    '[project]\nname = "demo"\nversion = "1"\ndependencies = ["alpha"]\n\n[tool.sprintlock]\npython = ["3.12"]\n'
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements/tests.in").write_text("pytest\n")
    (tmp_path / "requirements/dev.in").write_text("-r tests.txt\n")
    return tmp_path


def fresh(project: Project, layers: dict[str, Layer]) -> dict[str, LockFile]:
    """Locks as ``lock`` would write them (tests first: dev includes it)."""
    files: dict[str, LockFile] = {}
    for name, layer in layers.items():

        def body_digest(dep: str) -> str | None:
            return files[dep].body_digest if dep in files else None

        header = expected_header(project, layer, project.config.targets, body_digest)
        files[name] = LockFile.render(header, [make_pin(f"{name}-tool", "1.0", hashes=["sha256:" + "0" * 64])])
    return files


def reasons(project: Project, layers: dict[str, Layer], files: dict[str, LockFile], name: str) -> list[str]:
    return [f"{r.kind}: {r.message}" for r in staleness(project, layers[name], files, stale=())]


def test_fresh_locks_have_no_reasons(root: Path) -> None:
    project = load_project(root)
    layers = discover(project)
    files = fresh(project, layers)
    assert [staleness(project, layer, files) for layer in layers.values()] == [(), ()]


def test_a_lock_read_back_is_the_lock_rendered(root: Path) -> None:
    project = load_project(root)
    files = fresh(project, discover(project))
    text = files["tests"].text
    assert text is not None
    read = LockFile.read(text, "tests")
    assert read == files["tests"]
    assert read.lock == parse_lock(text, "tests")


def test_missing_damaged_and_foreign(root: Path) -> None:
    project = load_project(root)
    layers = discover(project)
    files = fresh(project, layers)
    text = files["tests"].text or ""
    assert reasons(project, layers, {**files, "tests": LockFile.read(None, "tests")}, "tests") == [
        "missing: lock file is missing"
    ]
    damaged = staleness(project, layers["tests"], {**files, "tests": LockFile.read(text + "oops\n", "tests")})
    assert [r.kind for r in damaged] == ["damaged"]
    assert damaged[0].line == len(text.splitlines()) + 1
    assert "not a pinned requirement: 'oops'" in damaged[0].message
    foreign = LockFile.read("pytest==8.0\n", "tests")
    assert reasons(project, layers, {**files, "tests": foreign}, "tests") == [
        "foreign: not a sprintlock lock (no sprintlock header)"
    ]


def test_edited_by_hand_and_the_including_lock_sees_its_input_change(root: Path) -> None:
    project = load_project(root)
    layers = discover(project)
    files = fresh(project, layers)
    edited = LockFile.read((files["tests"].text or "").replace("tests-tool==1.0", "tests-tool==0.9"), "tests")
    files = {**files, "tests": edited}
    assert reasons(project, layers, files, "tests") == ["edited: edited by hand since it was generated"]
    assert reasons(project, layers, files, "dev") == ["input: requirements/tests.txt changed"]


def test_inputs_options_targets_and_format(root: Path) -> None:
    project = load_project(root)
    layers = discover(project)
    files = fresh(project, layers)
    (root / "requirements/tests.in").write_text("pytest\ncoverage\n")
    changed = load_project(root)
    changed = replace(
        changed,
        config=replace(changed.config, hashes=False, targets=replace(changed.config.targets, pythons=("3.13",))),
    )
    assert reasons(changed, discover(changed), files, "tests") == [
        "input: requirements/tests.in changed",
        "options: options changed (resolver=uv hashes=true -> resolver=uv hashes=false)",
        "targets: targets changed (python 3.12; platforms linux macos windows -> "
        "python 3.13; platforms linux macos windows)",
    ]
    no_project = replace(project, config=replace(project.config, project_layers=()))
    assert reasons(no_project, layers, files, "tests") == [
        "input: pyproject.toml [project] dependencies is no longer an input"
    ]
    old_format = (files["tests"].text or "").replace("# sprintlock-format: 1", "# sprintlock-format: 0")
    found = reasons(project, layers, {**files, "tests": LockFile.read(old_format, "tests")}, "tests")
    assert found == ["format: lock format 0 -> 1"]


def test_a_header_edited_by_hand_fails_its_fingerprint(root: Path) -> None:
    project = load_project(root)
    layers = discover(project)
    files = fresh(project, layers)
    text = files["tests"].text or ""
    fingerprint = next(line for line in text.splitlines() if line.startswith("# fingerprint: "))
    tampered = LockFile.read(text.replace(fingerprint, "# fingerprint: sha256:00"), "tests")
    assert reasons(project, layers, {**files, "tests": tampered}, "tests") == [
        "fingerprint: fingerprint does not match the header"
    ]


def test_including_a_stale_lock_is_a_reason_only_when_asked(root: Path) -> None:
    project = load_project(root)
    layers = discover(project)
    files = fresh(project, layers)
    assert staleness(project, layers["dev"], files) == ()
    found = staleness(project, layers["dev"], files, stale={"tests"})
    assert [(r.kind, r.message) for r in found] == [("includes", "includes requirements/tests.txt, which is stale")]
