"""A uv-managed project (flask's 2026 layout: dependency groups, ``uv.lock``, the uv-lock hook) adopted.

What a uv user keeps: ``uv.lock`` and the groups untouched, the versions ``uv.lock`` pins (the
resolver prefers them), the uv-lock pre-commit hook (sprintlock's check hook is added beside it
once), the uv-based workflows (kept, with notes). What works afterwards: ``check``, ``doctor``
with no finding, and the lint session installs the group that has pre-commit.

The fake index (test_e2e_adoption's) has the versions the Pallets locks pin AND a newer major
release of each: without ``uv.lock`` as preferences, every version would move.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import use_index
from packaging.version import Version
from test_e2e_adoption import ADOPT, adoption_dists, pallets_repository
from wheelhouse import build_index

from sprintlock import check, load_project
from sprintlock._cli.main import main
from sprintlock._doctor import check_repository
from sprintlock._lock.lockfile import parse_lock


@pytest.fixture(scope="module")
def uv_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("uv-index"), adoption_dists())


def uv_versions() -> dict[str, str]:
    """What a ``uv lock`` made before the newer releases came out would pin: the newest pinned one."""
    versions: dict[str, list[str]] = {}
    for dist in adoption_dists():
        versions.setdefault(dist.name, []).append(dist.version)
    return {name: sorted(found, key=Version)[-2] if len(found) > 1 else found[0] for name, found in versions.items()}


def write_uv_lock(root: Path, versions: dict[str, str]) -> str:
    packages = "".join(
        f'\n[[package]]\nname = "{name}"\nversion = "{version}"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
        for name, version in sorted(versions.items())
    )
    editable = '\n[[package]]\nname = "flask"\nversion = "3.2.0.dev0"\nsource = { editable = "." }\n'
    text = 'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n' + packages + editable
    (root / "uv.lock").write_text(text)
    return text


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["-C", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_init_on_flask_2026_keeps_what_uv_users_have(
    tmp_path: Path, uv_index: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_index(monkeypatch, uv_index)
    root = pallets_repository(tmp_path, "flask-2026")
    versions = uv_versions()
    uv_lock = write_uv_lock(root, versions)
    pyproject = (root / "pyproject.toml").read_text()
    before = {path: (root / path).read_bytes() for path in (".github/workflows/tests.yaml", "uv.lock")}

    code, out = run(root, capsys, "init")
    assert code == 0, out

    # uv's files and the groups are untouched; no generic .in beside the groups (build has none).
    assert (root / "uv.lock").read_text() == uv_lock
    assert (root / "pyproject.toml").read_text().startswith(pyproject)
    assert sorted(path.name for path in (root / "requirements").glob("*.in")) == ["build.in"]
    assert "uv.lock: this project is managed by uv" in out
    # Every version uv.lock pins is kept, in every lock (the index has a newer major of each).
    compared = 0
    for path in sorted((root / "requirements").glob("*.txt")):
        lock = parse_lock(path.read_text(), path.stem)
        assert lock is not None
        moved = {p.name: (versions[p.name], p.version) for p in lock.pins if versions.get(p.name) != p.version}
        assert not moved, f"{path.name}: {moved}"
        compared += len(lock.pins)
    assert compared > 30
    assert check(load_project(root)).ok

    # The uv-lock hook stays; sprintlock's check hook is added beside it, and init says so.
    config = (root / ".pre-commit-config.yaml").read_text()
    assert config.count("id: uv-lock") == 1 and config.count("id: sprintlock-check") == 1
    assert "kept the uv-lock hook" in out
    # The uv-based workflows are the user's: kept as they are, with notes.
    assert ".github/workflows/tests.yaml: kept (yours)" in out
    assert all((root / path).read_bytes() == text for path, text in before.items())
    # Lint and the hook-pin upgrade install the group that has pre-commit (flask's dev group has not).
    noxfile = (root / "noxfile.py").read_text()
    lint = noxfile.split("def lint(", 1)[1].split("\n\n\n", 1)[0]
    assert 'sprintlock.nox.install(session, "pre-commit")' in lint

    # Doctor understands the layout: each group is a layer, its lock requirements/NAME.txt.
    assert check_repository(root).findings == ()

    # A second init changes nothing (the check hook is not added twice).
    code, out = run(root, capsys, "init")
    assert code == 0 and "nothing to do" in out, out
    assert (root / ".pre-commit-config.yaml").read_text() == config


def test_doctor_before_adoption_names_the_dangling_path_and_the_missing_locks(tmp_path: Path) -> None:
    root = pallets_repository(tmp_path, "flask-2026")
    findings = check_repository(root).findings
    dangling = [f for f in findings if f.code.startswith("dangling")]
    assert [(f.code, f.file, f.line) for f in dangling] == [("dangling-path", ".devcontainer/on-create-command.sh", 5)]
    assert "sprintlock init" in dangling[0].fix and "dependency group dev" in dangling[0].fix
    folder = next(f for f in findings if f.file == "requirements/")
    assert "dependency groups (dev, docs, docs-auto, gha-update, pre-commit, tests, typing)" in folder.message
    # No lock is reported one by one: the missing folder is the finding.
    assert not [f for f in findings if f.code.startswith("lock-")]
    assert (ADOPT / "flask-2026/pyproject.toml").read_text() == (root / "pyproject.toml").read_text()
