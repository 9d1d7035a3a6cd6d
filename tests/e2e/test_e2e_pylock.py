"""PEP 751 pylock files installed by the real pip 26, the real uv and ``sprintlock sync``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from initkit import expected as init_expected
from initkit import fresh_venv, init_index, init_index_dir, write_demo
from initkit import installed as init_installed
from packaging.markers import Marker
from packaging.version import Version
from test_nox_sessions import expected as nox_expected
from test_nox_sessions import install_commands, run_nox, shown
from test_nox_sessions import make_project as make_nox_project

from sprintlock import Project, SyncError, load_project, lock, sync
from sprintlock._cli.main import main
from sprintlock._core.process import Result, run
from sprintlock._core.tools import find_uv
from sprintlock._env.sync import venv_python
from sprintlock._lock.check import check
from sprintlock._lock.lockfile import parse_lock
from sprintlock._lock.names import lock_spec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

#: initkit's offline index (with tox and sprintlock), for the tox test.
INIT_FIXTURES = (init_index, init_index_dir)
THIS_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
PYPROJECT = f"""\
[project]
name = "demo"
version = "1.0"
requires-python = ">=3.10"

[tool.sprintlock]
python = ["{THIS_PYTHON}"]
formats = ["requirements", "pylock"]
"""


class Recorder:
    """A runner that runs the real command and remembers it."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        self.calls.append(list(cmd))
        return run(cmd, cwd=cwd, env=env)


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Project:
    root = make_project({"requirements/tests.in": "testtool\nbeta\nfastlib\n"}, pyproject=PYPROJECT)
    project = load_project(root)
    lock(project)
    return project


def make_venv(path: Path) -> Path:
    subprocess.run(
        [find_uv(), "venv", "--quiet", "--python", sys.executable, str(path)], check=True, capture_output=True
    )
    return path


def installed(venv: Path) -> set[str]:
    code = (
        "import importlib.metadata as m, json\n"
        "print(json.dumps(sorted(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions())))"
    )
    out = subprocess.run([str(venv_python(venv)), "-c", code], check=True, capture_output=True, text=True)
    return {item.lower().replace("_", "-") for item in json.loads(out.stdout)}


def expected(project: Project) -> set[str]:
    parsed = parse_lock((project.requirements_dir / "tests.txt").read_text(), "tests")
    assert parsed is not None
    return {f"{p.name}=={p.version}" for p in parsed.pins if p.marker is None or Marker(p.marker).evaluate()}


def test_real_pip_26_installs_the_pylock_file(project: Project, tmp_path: Path) -> None:
    pip = subprocess.run([sys.executable, "-m", "pip", "--version"], check=True, capture_output=True, text=True)
    assert Version(pip.stdout.split()[1]) >= Version("26")
    venv = make_venv(tmp_path / "venv")
    pylock = project.requirements_dir / "pylock.tests.toml"
    cmd = [sys.executable, "-m", "pip", "--python", str(venv_python(venv)), "install", "--no-index", "-r", str(pylock)]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    assert installed(venv) == expected(project)
    assert "fastlib==1.0" in expected(project)


@pytest.mark.parametrize("command", ["sync", "install"])
def test_real_uv_installs_the_pylock_file(project: Project, tmp_path: Path, command: str) -> None:
    venv = make_venv(tmp_path / "venv")
    pylock = project.requirements_dir / "pylock.tests.toml"
    args = [str(pylock)] if command == "sync" else ["--require-hashes", "--no-deps", "-r", str(pylock)]
    cmd = [find_uv(), "pip", command, "--python", str(venv_python(venv)), "--offline", *args]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    assert installed(venv) == expected(project)


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_sync_installs_from_the_pylock_file_and_agrees_with_the_requirements_lock(
    project: Project, tmp_path: Path, installer: str
) -> None:
    venv = make_venv(tmp_path / "venv")
    recorder = Recorder()
    result = sync(
        project, lock_spec("tests", "pylock"), venv, install_project=False, installer=installer, runner=recorder
    )
    assert not result.skipped
    assert installed(venv) == expected(project)
    installs = [call for call in recorder.calls if "install" in call]
    assert installs and all(any(arg.endswith("pylock.sync.toml") for arg in call) for call in installs)
    # The same pins and hashes as the .txt lock: switching formats installs nothing.
    recorder.calls.clear()
    again = sync(project, "tests", venv, install_project=False, installer=installer, runner=recorder)
    assert (again.installed, again.removed, again.repaired) == ((), (), ())
    assert not [call for call in recorder.calls if "install" in call]
    back = sync(project, "pylock.tests.toml", venv, install_project=False, installer=installer)
    assert (back.installed, back.removed, back.repaired) == ((), (), ())
    assert sync(project, "pylock.tests.toml", venv, install_project=False, installer=installer).skipped


def test_sync_refuses_a_pylock_file_whose_hashes_do_not_match(project: Project, tmp_path: Path) -> None:
    pylock = project.requirements_dir / "pylock.tests.toml"
    text = pylock.read_text()
    start = text.index('sha256 = "', text.index("testtool")) + len('sha256 = "')
    pylock.write_text(text[:start] + "0" * 64 + text[start + 64 :])
    (problem,) = check(project).problems
    assert (problem.code, problem.path) == ("edited", "requirements/pylock.tests.toml")
    venv = make_venv(tmp_path / "venv")
    with pytest.raises(SyncError) as caught:
        sync(project, "pylock.tests.toml", venv, install_project=False)
    assert caught.value.where == "requirements/pylock.tests.toml"
    assert "testtool" in caught.value.message


def test_sync_names_a_missing_or_foreign_pylock_file(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv")
    pylock = project.requirements_dir / "pylock.tests.toml"
    pylock.unlink()
    with pytest.raises(SyncError, match="no lock for layer 'tests'") as caught:
        sync(project, "pylock.tests.toml", venv, install_project=False)
    assert caught.value.where == "requirements/pylock.tests.toml"
    pylock.write_text('lock-version = "1.0"\ncreated-by = "someone"\npackages = []\n')
    with pytest.raises(SyncError, match="not written by sprintlock"):
        sync(project, "pylock.tests.toml", venv, install_project=False)


def test_the_pip_tools_resolver_writes_a_pylock_file_too(make_project: Callable[..., Path]) -> None:
    config = PYPROJECT + 'resolver = "pip-tools"\nplatforms = ["linux"]\n'
    root = make_project({"requirements/tests.in": "testtool\nbeta\nfastlib\n"}, pyproject=config)
    project = load_project(root)
    lock(project)
    document = tomllib.loads((root / "requirements/pylock.tests.toml").read_text())
    assert document["environments"] == ["sys_platform == 'linux'"]
    txt = parse_lock((root / "requirements/tests.txt").read_text(), "tests")
    assert txt is not None
    assert [(p["name"], p["version"]) for p in document["packages"]] == [(pin.name, pin.version) for pin in txt.pins]
    assert check(project).ok


@pytest.fixture(scope="module")
def nox_bin(tmp_path_factory: pytest.TempPathFactory, tools_index: Path, session_dir: Path) -> Path:
    """An environment with nox (and uv) only, installed offline (as test_nox_sessions' ``nox_only``)."""
    venv = tmp_path_factory.mktemp("nox-only") / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "VIRTUAL_ENV"))}
    env.update(
        UV_DEFAULT_INDEX=tools_index.as_uri(),
        UV_NO_CONFIG="1",
        UV_PYTHON_DOWNLOADS="never",
        UV_CACHE_DIR=str(session_dir / "uv-cache"),
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
    )
    subprocess.run([find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, env=env)
    python = str(venv_python(venv))
    subprocess.run([find_uv(), "pip", "install", "--quiet", "--python", python, "nox", "uv"], check=True, env=env)
    return venv_python(venv).parent / "nox"


def test_a_nox_session_installs_from_the_pylock_file(nox_bin: Path, tmp_path: Path, offline_tools_index: Path) -> None:
    project = make_nox_project(tmp_path / "project")
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'formats = ["requirements", "pylock"]\n')
    noxfile = project.root / "noxfile.py"
    noxfile.write_text(
        noxfile.read_text().replace('install(session, "tests")', 'install(session, "tests", format="pylock")')
    )
    project = load_project(project.root)
    lock(project)
    assert (project.requirements_dir / "pylock.tests.toml").is_file()
    first = run_nox(nox_bin, project, "uv")
    assert shown(first) == nox_expected(project)
    assert "sprintlock: synced to the tests lock" in first.stderr
    assert any("pylock.sync.toml" in line for line in install_commands(first))
    warm = run_nox(nox_bin, project, "uv")
    assert "environment matches the tests lock (stamp)" in warm.stderr


def test_the_command_line_syncs_from_the_pylock_file(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = make_venv(tmp_path / "venv")
    args = ["-C", str(project.root), "sync", "tests", "--venv", str(venv), "--no-project", "--format", "pylock"]
    assert main(args) == 0
    assert "synced to the tests lock" in capsys.readouterr().out
    assert installed(venv) == expected(project)
    (project.requirements_dir / "pylock.tests.toml").unlink()
    assert main(args) == 2
    assert "requirements/pylock.tests.toml" in capsys.readouterr().err


@pytest.mark.usefixtures("init_index")
def test_tox_installs_from_the_pylock_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_demo(tmp_path / "project")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.sprintlock]\nformats = ["requirements", "pylock"]\n')
    assert main(["-C", str(root), "init", "--tox"]) == 0, capsys.readouterr()
    assert (root / "requirements/pylock.tests.toml").is_file()
    tox_ini = root / "tox.ini"
    text = tox_ini.read_text()
    assert "sprintlock_layer = tests\n" in text
    tox_ini.write_text(
        text.replace("sprintlock_layer = tests\n", "sprintlock_layer = tests\nsprintlock_format = pylock\n")
    )
    tox_bin = fresh_venv(tmp_path / "only-tox", "tox")

    def tox() -> subprocess.CompletedProcess[str]:
        cmd = [str(tox_bin / "tox"), "-e", "tests"]
        return subprocess.run(
            cmd, cwd=root, capture_output=True, text=True, check=False, env={**os.environ, "CI": "true"}
        )

    result = tox()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sprintlock: tests synced to the tests lock" in result.stdout + result.stderr
    assert init_installed(root / ".tox" / "tests") == init_expected(root, "tests")
    # It is the pylock file that tox installs from: without it, the environment fails clearly.
    (root / "requirements/pylock.tests.toml").unlink()
    failed = tox()
    assert failed.returncode != 0
    assert "requirements/pylock.tests.toml" in failed.stdout + failed.stderr


def test_the_command_line_says_which_pylock_files_it_wrote(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.requirements_dir / "pylock.tests.toml").unlink()
    assert main(["-C", str(project.root), "-q", "lock"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "requirements/tests.txt: up to date",
        "requirements/pylock.tests.toml: written",
    ]
    assert main(["-C", str(project.root), "check"]) == 0
