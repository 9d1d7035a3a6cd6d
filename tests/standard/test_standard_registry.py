"""The registry of standard files: init plans exactly it, doctor checks exactly it, and its renders pass doctor."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sprintlock._doctor import CHECKS, _load, check_repository
from sprintlock._doctor.layout import STANDARD_FILES
from sprintlock._project.config import load_project
from sprintlock._scaffold.detect import detect
from sprintlock._scaffold.init import CREATE, SAME, plan
from sprintlock._standard.registry import REGISTRY, Context, StandardFile, checks, missing_file_purposes

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\nrequires-python = ">=3.11"\n'
#: A project that uses everything: every registry entry is written for it (with --tox).
EVERYTHING = {
    "src/demo/__init__.py": "",
    "tests/test_demo.py": "",
    "docs/conf.py": "",
    "mypy.ini": "[mypy]\nstrict = True\n",
    "pyrightconfig.json": "{}\n",
}


def project(root: Path, files: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text(PYPROJECT)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def context(root: Path, *, tox: bool = False) -> Context:
    detected = dataclasses.replace(detect(root), pre_commit_config=True)
    return Context(root, detected, load_project(root).config, (root / "pyproject.toml").read_text(), tox)


def write_standard(root: Path, *, tox: bool = True) -> None:
    _, changes = plan(root, tox=tox)
    assert {change.relative for change in changes if change.action != CREATE} == {"pyproject.toml"}  # appended
    for change in changes:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        change.path.write_text(change.text)


def test_every_entry_has_a_unique_path(tmp_path: Path) -> None:
    paths = [entry.path for entry in REGISTRY]
    assert len(paths) == len(set(paths))
    placed = [entry.relative(context(project(tmp_path, EVERYTHING))) for entry in REGISTRY]
    assert len(placed) == len(set(placed))


def test_init_plans_exactly_the_registry(tmp_path: Path) -> None:
    root = project(tmp_path, EVERYTHING)
    _, changes = plan(root, tox=True)
    assert [change.relative for change in changes] == [entry.path for entry in REGISTRY]


@pytest.mark.parametrize("tox", [False, True])
def test_init_plans_the_entries_the_project_wants(tmp_path: Path, tox: bool) -> None:
    root = project(tmp_path, {"src/demo/__init__.py": "", ".github/workflows/tests.yaml": "name: tests\n"})
    wanted = [entry.relative(context(root, tox=tox)) for entry in REGISTRY if entry.wanted(context(root, tox=tox))]
    _, changes = plan(root, tox=tox, force=[".github/workflows/tests.yaml"])
    assert [change.relative for change in changes] == wanted
    assert ".github/workflows/tests.yaml" in wanted  # placed where the project keeps its workflows
    assert ("tox.ini" in wanted) is tox
    assert not {"requirements/typing.in", "requirements/docs.in"} & set(wanted)  # no checker, no docs


def test_doctor_reports_exactly_the_registry_missing(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    missing = {f.file for f in check_repository(root).findings if f.code == "missing-file"}
    assert missing == {*missing_file_purposes(), "requirements/"}
    assert missing_file_purposes() == STANDARD_FILES
    assert set(STANDARD_FILES) == {entry.path for entry in REGISTRY if entry.purpose is not None}


def test_doctor_runs_every_check_of_the_registry() -> None:
    registered = {entry.check for entry in REGISTRY if entry.check is not None}
    assert set(checks()) == registered
    assert len(checks()) == len(registered)
    assert registered <= set(CHECKS)


def entry_ids(entry: StandardFile) -> str:
    return entry.path


@pytest.mark.parametrize("entry", [e for e in REGISTRY if e.check is not None], ids=entry_ids)
def test_each_rendered_file_passes_its_own_check(tmp_path: Path, entry: StandardFile) -> None:
    root = project(tmp_path, EVERYTHING)
    write_standard(root)
    repo = _load(root)
    assert entry.check is not None
    entry.check(repo)
    assert [f for f in repo.findings if f.file == entry.path] == []


def test_the_checks_see_a_broken_standard_file(tmp_path: Path) -> None:
    """The previous test could fail: the same checks report the rendered files once they are broken."""
    root = project(tmp_path, EVERYTHING)
    write_standard(root)
    for relative, old, new in (
        (".github/workflows/tests.yml", "NOXSESSION: ${{ matrix.session }}", "NOXSESSION: nonexistent"),
        ("tox.ini", "sprintlock_layer = docs", "sprintlock_layer = nodocs"),
        (".pre-commit-config.yaml", "files: ^(requirements/", "files: ^(reqs/"),
    ):
        path = root / relative
        path.write_text(path.read_text().replace(old, new))
    (root / "requirements" / "typing.in").unlink()  # the noxfile's typing session installs it
    found = {(f.file, f.code) for f in check_repository(root).findings}
    assert {
        ("noxfile.py", "dangling-layer"),
        ("tox.ini", "dangling-layer"),
        (".pre-commit-config.yaml", "dangling-path"),
    } <= found


@pytest.mark.parametrize("entry", REGISTRY, ids=entry_ids)
def test_adopting_the_standard_text_changes_nothing(tmp_path: Path, entry: StandardFile) -> None:
    ctx = context(project(tmp_path, EVERYTHING), tox=True)
    text = entry.render(ctx)
    merged = entry.adopt(text, ctx)
    assert merged is None or merged[0] == text


def test_a_second_plan_has_nothing_to_do(tmp_path: Path) -> None:
    root = project(tmp_path, EVERYTHING)
    write_standard(root)
    _, changes = plan(root)
    assert {change.action for change in changes} == {SAME}
