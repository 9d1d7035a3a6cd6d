"""The warm memo of ``sprintlock.nox``: a reused environment answered without loading the
project, never when the full stamp check would not answer so. Real uv, the fake index.

Each change to a synced environment, its lock, its project or the call is made after
the memo was written; the memo's answer must then be "no" (or the full check's "yes").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_sync import make_venv, write_project

from sprintlock import Project, sync
from sprintlock._core.tools import find_uv, venv_python
from sprintlock._env import warm
from sprintlock._env.request import SyncRequest, stamp_state
from sprintlock._env.stamp import STAMP_NAME
from sprintlock._env.stampcheck import file_digest
from sprintlock._project.config import load_project

SITE = f"lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages"

pytestmark = pytest.mark.posix(reason="the site-packages layout of POSIX venvs")


@pytest.fixture
def project(tmp_path: Path, offline_tools_index: Path) -> Project:
    return write_project(tmp_path / "project")


@pytest.fixture
def venv(project: Project, tmp_path: Path) -> Path:
    venv = make_venv(tmp_path / "venv", "uv")
    sync(project, "tests", venv)
    return venv


def a_call(
    project: Project | Path,
    venv: Path,
    *,
    layer: str = "tests",
    installed: bool = True,
    editable: bool = False,
    lock_format: str = "requirements",
) -> warm.Call:
    root = project.root if isinstance(project, Project) else project
    return warm.Call(root, layer, venv.absolute(), project=installed, editable=editable, lock_format=lock_format)


def remember(project: Project, venv: Path) -> warm.Call:
    call = a_call(project, venv)
    pyproject = file_digest(project.root / "pyproject.toml")
    warm.remember(call, pyproject=pyproject, lock=project.requirements_dir / "tests.txt")
    return call


def full_check(project: Project, venv: Path) -> bool:
    """What the full path answers: the project loaded again, the stamp checked."""
    return stamp_state(SyncRequest(load_project(project.root), "tests", venv.absolute())).current


def test_no_memo_no_answer_then_the_memo_answers(project: Project, venv: Path) -> None:
    call = a_call(project, venv)
    assert not warm.current(call)
    remember(project, venv)
    assert warm.current(call)
    assert full_check(project, venv)


def _append(path: Path, text: str = "\n# edited\n") -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


CHANGES: dict[str, Callable[[Path, Path], object]] = {
    "lock edited": lambda root, venv: _append(root / "requirements/tests.txt"),
    "pyproject.toml edited": lambda root, venv: _append(root / "pyproject.toml"),
    "a project file edited (installed as a copy)": lambda root, venv: _append(root / "src/demo/__init__.py"),
    "a package file edited": lambda root, venv: _append(venv / SITE / "alpha/__init__.py", "X = 1\n"),
    "a package file added": lambda root, venv: (venv / SITE / "alpha/extra.py").write_text(""),
    "a distribution removed": lambda root, venv: subprocess.run(
        [find_uv(), "pip", "uninstall", "--python", str(venv_python(venv)), "alpha"],
        check=True,
        capture_output=True,
    ),
    "the stamp rewritten": lambda root, venv: (venv / STAMP_NAME).write_text(
        json.dumps(json.loads((venv / STAMP_NAME).read_text()), indent=1)
    ),
    "the stamp damaged": lambda root, venv: _append(venv / STAMP_NAME, "{"),
    "the interpreter gone": lambda root, venv: venv_python(venv).unlink(),
    "pyvenv.cfg edited": lambda root, venv: _append(venv / "pyvenv.cfg", "x = y\n"),
    "the memo damaged": lambda root, venv: Path(warm._memo_file(a_call(root, venv))).write_text("{"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_after_any_change_the_memo_does_not_answer(project: Project, venv: Path, change: str) -> None:
    call = remember(project, venv)
    CHANGES[change](project.root, venv)
    assert not warm.current(call)
    if change != "the interpreter gone":  # the full path says what is wrong: not a stamp question
        assert not full_check(project, venv) or change in ("the stamp rewritten", "the memo damaged")


def a_call_with(**changes: str | bool) -> Callable[[Project, Path], warm.Call]:
    def call(project: Project, venv: Path) -> warm.Call:
        layer = changes.get("layer", "tests")
        lock_format = changes.get("lock_format", "requirements")
        installed, editable = changes.get("installed", True), changes.get("editable", False)
        assert isinstance(layer, str) and isinstance(lock_format, str)
        return a_call(
            project, venv, layer=layer, installed=bool(installed), editable=bool(editable), lock_format=lock_format
        )

    return call


@pytest.mark.parametrize(
    "changes",
    [
        a_call_with(layer="docs"),
        a_call_with(installed=False),
        a_call_with(editable=True),
        a_call_with(lock_format="pylock"),
    ],
)
def test_another_call_is_not_answered(
    project: Project, venv: Path, changes: Callable[[Project, Path], warm.Call]
) -> None:
    remember(project, venv)
    assert not warm.current(changes(project, venv))


def test_another_sprintlock_is_not_answered(project: Project, venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remember(project, venv)
    monkeypatch.setattr(warm, "_sprintlock", lambda: "0.0.0 edited")
    assert not warm.current(a_call(project, venv))


def test_pythons_are_remembered_by_the_text_of_pyproject(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import sprintlock.nox

    assert warm.pythons(project.root) is None
    found = sprintlock.nox.pythons(project.root)
    assert warm.pythons(project.root) == found
    with monkeypatch.context() as patch:  # answered without loading the project
        patch.setattr("sprintlock._project.config.load_project", lambda root: pytest.fail("loaded"))
        assert sprintlock.nox.pythons(project.root) == found
    _append(project.root / "pyproject.toml")
    assert warm.pythons(project.root) is None


def test_the_warm_path_loads_no_configuration(project: Project, venv: Path, tmp_path: Path) -> None:
    """``import sprintlock.nox`` and a warm ``install`` load neither the configuration nor the stamp's dataclasses."""
    remember(project, venv)
    code = f"""
import sys, types
import sprintlock.nox
log = []
session = types.SimpleNamespace(
    venv_backend="uv",
    virtualenv=types.SimpleNamespace(location={str(venv)!r}),
    log=log.append,
    error=lambda message: sys.exit(message),
)
sprintlock.nox.install(session, "tests", root={str(project.root)!r})
heavy = sorted(m for m in sys.modules if m.startswith(("sprintlock._project", "sprintlock._lock"))
    or m in ("sprintlock._env.stamp", "sprintlock._env.request", "sprintlock._env.contents", "dataclasses"))
print(log, heavy)
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "['sprintlock: environment matches the tests lock (stamp), nothing to install'] []"


def test_a_changed_configuration_is_not_answered(project: Project, tmp_path: Path) -> None:
    # Without the project installed, pyproject.toml is not in the stamp's key: the memo
    # still does not answer once its text changed (the lock's path came from it).
    venv = make_venv(tmp_path / "bare", "uv")
    sync(project, "tests", venv, install_project=False)
    call = a_call(project, venv, installed=False)
    warm.remember(
        call, pyproject=file_digest(project.root / "pyproject.toml"), lock=project.requirements_dir / "tests.txt"
    )
    assert warm.current(call)
    _append(project.root / "pyproject.toml", '\n[tool.sprintlock]\nrequirements = "elsewhere"\n')
    assert not warm.current(call)
