"""``sprintlock.sync``: real uv, pip and virtualenv against the fake index."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from packaging.markers import Marker

from sprintlock import Project, SprintlockError, SyncError, load_project, lock, sync
from sprintlock._core.process import Result, run
from sprintlock._core.tools import find_uv
from sprintlock._env.sync import venv_python
from sprintlock._lock.lockfile import parse_lock

PYPROJECT = """\
[build-system]
requires = ["flit_core>=3.9"]
build-backend = "flit_core.buildapi"

[project]
name = "demo"
version = "1.0"
description = "A fixture project."
requires-python = ">=3.9"
dependencies = ["alpha>=1.0"]
"""
THIS_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"


class Recorder:
    """A runner that runs the real command and remembers it."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        self.calls.append(list(cmd))
        return run(cmd, cwd=cwd, env=env)


def write_project(root: Path, tests_in: str = "testtool\nbeta\n", config: str = "") -> Project:
    """A flit project ``demo`` with a ``tests`` layer, locked against the current index."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT + (f"\n[tool.sprintlock]\n{config}" if config else ""))
    package = root / "src" / "demo"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""Demo."""\n\nGREETING = "hello"\n')
    (root / "requirements").mkdir(exist_ok=True)
    (root / "requirements" / "tests.in").write_text(tests_in)
    project = load_project(root)
    lock(project)
    return project


@pytest.fixture
def project(tmp_path: Path, offline_tools_index: Path) -> Project:
    return write_project(tmp_path / "project")


def make_venv(path: Path, backend: str) -> Path:
    if backend == "uv":
        cmd = [find_uv(), "venv", "--quiet", "--python", sys.executable, str(path)]
    else:
        cmd = [sys.executable, "-m", "virtualenv", "--quiet", "--python", sys.executable, str(path)]
    subprocess.run(cmd, check=True, capture_output=True)
    return path


def installed(venv: Path) -> set[str]:
    """What the environment really holds, asked from its own interpreter."""
    code = (
        "import importlib.metadata as m, json\n"
        "print(json.dumps(sorted(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions())))"
    )
    out = subprocess.run([str(venv_python(venv)), "-c", code], check=True, capture_output=True, text=True)
    return {item.lower().replace("_", "-") for item in json.loads(out.stdout)}


def expected(project: Project, layer: str = "tests") -> set[str]:
    """The lock's pins that apply to this interpreter, plus the project."""
    parsed = parse_lock((project.requirements_dir / f"{layer}.txt").read_text(), layer)
    assert parsed is not None
    pins = {f"{p.name}=={p.version}" for p in parsed.pins if p.marker is None or Marker(p.marker).evaluate()}
    return pins | {"demo==1.0"}


def uv_pip(venv: Path, *args: str) -> None:
    subprocess.run([find_uv(), "pip", *args, "--python", str(venv_python(venv))], check=True, capture_output=True)


@pytest.mark.parametrize(
    ("backend", "installer"), [("uv", None), ("virtualenv", None), ("virtualenv", "pip"), ("uv", "pip")]
)
def test_env_is_exactly_the_lock_then_reused_without_a_subprocess(
    project: Project, tmp_path: Path, backend: str, installer: str | None
) -> None:
    venv = make_venv(tmp_path / "venv", backend)
    seeds = installed(venv)
    result = sync(project, "tests", venv, installer=installer)
    assert not result.skipped
    assert installed(venv) == expected(project)
    assert {"alpha==2.0", "beta==2.0", "testtool==1.0", "iniconfig==2.0", "demo==1.0"} <= set(result.installed)
    # virtualenv's seeds (pip, ...) are not in the lock: gone, so both backends agree.
    assert set(result.removed) == seeds
    if THIS_PYTHON >= "3.11":
        assert not any(item.startswith("exceptiongroup") for item in installed(venv))
    assert not any(item.startswith("colorama") for item in installed(venv))

    recorder = Recorder()
    again = sync(project, "tests", venv, runner=recorder, installer=installer)
    assert again.skipped
    assert (again.installed, again.removed) == ((), ())
    assert recorder.calls == []


def test_changed_lock_installs_new_versions_and_removes_dropped_pins(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    sync(project, "tests", venv)
    (project.requirements_dir / "tests.in").write_text("beta<2\n")
    lock(project)
    result = sync(project, "tests", venv)
    assert not result.skipped
    assert installed(venv) == expected(project) == {"alpha==2.0", "beta==1.0", "demo==1.0"}
    assert "beta==1.0" in result.installed
    assert {"beta==2.0", "testtool==1.0", "iniconfig==2.0"} <= set(result.removed)


def test_hand_made_changes_are_undone(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv", "virtualenv")
    sync(project, "tests", venv)
    uv_pip(venv, "install", "typing-extensions==4.12.0", "iniconfig==1.0")
    assert {"typing-extensions==4.12.0", "iniconfig==1.0"} <= installed(venv)
    result = sync(project, "tests", venv)
    assert not result.skipped
    assert result.installed == ("iniconfig==2.0",)
    assert result.removed == ("iniconfig==1.0", "typing-extensions==4.12.0")
    assert installed(venv) == expected(project)
    assert sync(project, "tests", venv).skipped


def test_project_changes_reinstall_only_the_project(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    sync(project, "tests", venv)
    (project.root / "src/demo/__init__.py").write_text('"""Demo."""\n\nGREETING = "changed"\n')
    recorder = Recorder()
    result = sync(project, "tests", venv, runner=recorder)
    assert (result.installed, result.removed) == (("demo==1.0",), ())
    assert not [cmd for cmd in recorder.calls if "--require-hashes" in cmd]  # the lock is not reinstalled
    greeting = [str(venv_python(venv)), "-c", "import demo; print(demo.GREETING)"]
    assert subprocess.run(greeting, capture_output=True, text=True, check=True).stdout.strip() == "changed"


def test_editable_then_without_project(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    sync(project, "tests", venv, editable=True)
    assert installed(venv) == expected(project)
    (project.root / "src/demo/__init__.py").write_text('"""Demo."""\n\nGREETING = "live"\n')
    assert sync(project, "tests", venv, editable=True).skipped  # editable: source edits need nothing
    greeting = [str(venv_python(venv)), "-c", "import demo; print(demo.GREETING)"]
    assert subprocess.run(greeting, capture_output=True, text=True, check=True).stdout.strip() == "live"
    result = sync(project, "tests", venv, install_project=False)
    assert result.removed == ("demo==1.0",)
    assert installed(venv) == expected(project) - {"demo==1.0"}


@pytest.mark.parametrize(
    ("config", "message", "hint"),
    [
        ('python = ["3.99"]\n', "covers python 3.99; platforms linux macos windows", 'add "{py}" to `python`'),
        ('platforms = ["windows"]\n', "platforms windows", 'add "{plat}" to `platforms`'),
    ],
)
def test_lock_not_covering_the_interpreter_is_refused_before_installing(
    tmp_path: Path, offline_tools_index: Path, config: str, message: str, hint: str
) -> None:
    if config.startswith("python"):
        # A target Python that does not exist: uv still locks for it (--python-version).
        config = f'python = ["{"3.13" if THIS_PYTHON != "3.13" else "3.12"}"]\n'
        message = message.replace("3.99", config.split('"')[1])
    project = write_project(tmp_path / "project", config=config)
    venv = make_venv(tmp_path / "venv", "virtualenv")
    before = installed(venv)
    with pytest.raises(SyncError) as info:
        sync(project, "tests", venv)
    text = str(info.value)
    platform = {"linux": "linux", "darwin": "macos", "win32": "windows"}[sys.platform]
    assert f"does not cover Python {THIS_PYTHON} on {platform}" in text
    assert message in text
    assert hint.format(py=THIS_PYTHON, plat=platform) in text
    assert "sprintlock lock tests" in text or "relock" in text
    assert text.startswith("requirements/tests.txt: ")
    assert installed(venv) == before
    assert not (venv / "sprintlock-stamp.json").exists()


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_hashes_are_checked(project: Project, tmp_path: Path, installer: str) -> None:
    path = project.requirements_dir / "tests.txt"
    text = path.read_text()
    parsed = parse_lock(text, "tests")
    assert parsed is not None
    iniconfig = next(p for p in parsed.pins if p.name == "iniconfig")
    path.write_text(text.replace(iniconfig.hashes[0], "sha256:" + "0" * 64))
    venv = make_venv(tmp_path / "venv", "uv")
    with pytest.raises(SyncError, match=r"(?i)hash") as info:
        sync(project, "tests", venv, installer=installer)
    assert "iniconfig" in str(info.value)
    assert "iniconfig==2.0" not in installed(venv)
    assert not (venv / "sprintlock-stamp.json").exists()


def test_missing_dependency_fails_the_check(project: Project, tmp_path: Path) -> None:
    path = project.requirements_dir / "tests.txt"
    lines = path.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("alpha=="))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    path.write_text("".join(lines[:start] + lines[end:]))  # beta and the project need alpha
    venv = make_venv(tmp_path / "venv", "uv")
    with pytest.raises(SyncError, match="missing dependencies") as info:
        sync(project, "tests", venv)
    assert "alpha" in str(info.value)
    assert not (venv / "sprintlock-stamp.json").exists()


def test_missing_lock_and_missing_venv_are_user_errors(project: Project, tmp_path: Path) -> None:
    with pytest.raises(SprintlockError, match="not a virtual environment"):
        sync(project, "tests", tmp_path / "nowhere")
    venv = make_venv(tmp_path / "venv", "uv")
    with pytest.raises(SprintlockError, match="no lock for layer 'docs'") as info:
        sync(project, "docs", venv)
    assert "sprintlock lock docs" in str(info.value)


def test_refuses_to_sync_the_environment_it_runs_in(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    uv_pip(venv, "install", "sprintlock")
    cli = venv_python(venv).parent / "sprintlock"
    result = subprocess.run(
        [str(cli), "-C", str(project.root), "sync", "tests", "--venv", str(venv)], capture_output=True, text=True
    )
    assert result.returncode == 2, result.stderr
    assert "sprintlock runs inside" in result.stderr
    assert "run sprintlock from another environment" in result.stderr
    assert "sprintlock==0.1.0" in installed(venv)


def test_concurrent_syncs_one_installs_the_other_reuses(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv", "virtualenv")
    seeds = installed(venv)  # pip, and setuptools on older Pythons: not locked, so removed
    cli = str(Path(sys.executable).parent / "sprintlock")
    cmd = [cli, "-C", str(project.root), "sync", "tests", "--venv", str(venv)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [proc.communicate() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    lines = sorted(out.strip() for out, _ in outputs)
    # Whoever got the lock second waited, then found the first one's stamp.
    assert lines[0] == f"{venv}: synced to the tests lock (5 installed, {len(seeds)} removed)"
    assert lines[1].endswith("up to date with the tests lock (stamp matches)")
    assert installed(venv) == expected(project)


def test_cli_summary(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sprintlock._cli.main import main

    venv = make_venv(tmp_path / "venv", "uv")
    assert main(["-C", str(project.root), "sync", "tests", "--venv", str(venv), "--no-project"]) == 0
    assert capsys.readouterr().out == f"{venv}: synced to the tests lock (4 installed, 0 removed)\n"
    assert main(["-C", str(project.root), "sync", "tests", "--venv", str(venv), "--no-project"]) == 0
    assert capsys.readouterr().out == f"{venv}: up to date with the tests lock (stamp matches)\n"
    assert main(["-C", str(project.root), "sync", "nope", "--venv", str(venv)]) == 2
    assert "no lock for layer 'nope'" in capsys.readouterr().err
