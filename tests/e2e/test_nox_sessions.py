"""End to end: the real nox, in script mode, runs sessions that use ``sprintlock.nox``.

nox runs from an environment holding only nox (like ``pipx run nox``): the noxfile's
PEP 723 header makes it build its script environment with nox and sprintlock, both
resolved from the offline index (which carries a wheel of this checkout).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.markers import Marker
from test_sync import PYPROJECT as SYNC_PYPROJECT
from test_sync import THIS_PYTHON

import sprintlock.nox
from sprintlock import Project, load_project, lock
from sprintlock._core.tools import find_uv
from sprintlock._env.stamp import STAMP_NAME
from sprintlock._env.sync import venv_python
from sprintlock._lock.lockfile import parse_lock

#: test_sync's fixture project, locked for this Python only.
PYPROJECT = SYNC_PYPROJECT + '\n[tool.sprintlock]\npython = ["{python}"]\n'
NOXFILE = f"""\
# /// script
# dependencies = ["nox", "sprintlock"]
# ///
\"\"\"The fixture project's sessions.\"\"\"

import nox

import sprintlock.nox

nox.options.reuse_venv = "yes"

SHOW = (
    "import importlib.metadata as m; "
    "print('INSTALLED', *sorted(f\\"{{d.metadata['Name']}}=={{d.version}}\\" for d in m.distributions()))"
)


@nox.session(python="{THIS_PYTHON}")
def tests(session: nox.Session) -> None:
    \"\"\"Install the tests lock, then show what the environment holds.\"\"\"
    sprintlock.nox.install(session, "tests")
    session.run("python", "-c", SHOW)
"""


@pytest.fixture(scope="module")
def nox_only(tmp_path_factory: pytest.TempPathFactory, tools_index: Path, session_dir: Path) -> Path:
    """An environment with nox (and uv) only, installed offline: ``pipx install nox[uv]``."""
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
    subprocess.run(
        [find_uv(), "pip", "install", "--quiet", "--python", str(venv_python(venv)), "nox", "uv"],
        check=True,
        env=env,
    )
    return venv_python(venv).parent / "nox"


def make_project(root: Path, python: str = THIS_PYTHON) -> Project:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(python=python))
    (root / "noxfile.py").write_text(NOXFILE)
    (root / "src/demo").mkdir(parents=True)
    (root / "src/demo/__init__.py").write_text('"""Demo."""\n')
    (root / "requirements").mkdir()
    (root / "requirements/tests.in").write_text("testtool\nbeta\n")
    project = load_project(root)
    lock(project)
    return project


def run_nox(nox: Path, project: Project, backend: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(nox), "-f", "noxfile.py", "-s", "tests", "--default-venv-backend", backend, *args]
    return subprocess.run(cmd, cwd=project.root, capture_output=True, text=True, check=False)


def shown(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The installed set the session printed."""
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("INSTALLED "))
    return {item.lower().replace("_", "-") for item in line.split()[1:]}


def expected(project: Project) -> set[str]:
    parsed = parse_lock((project.requirements_dir / "tests.txt").read_text(), "tests")
    assert parsed is not None
    pins = {f"{p.name}=={p.version}" for p in parsed.pins if p.marker is None or Marker(p.marker).evaluate()}
    return pins | {"demo==1.0"}


def install_commands(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The install commands sprintlock ran (it logs each one in the session's log)."""
    return [line for line in result.stderr.splitlines() if "nox > uv pip " in line or "nox > python -m pip" in line]


@pytest.mark.parametrize("backend", ["uv", "virtualenv"])
def test_sessions_install_the_lock_exactly_and_reuse_it(
    nox_only: Path, tmp_path: Path, offline_tools_index: Path, backend: str
) -> None:
    project = make_project(tmp_path / "project")

    # First run: nox builds its script environment from the header, then the session's.
    first = run_nox(nox_only, project, backend)
    assert shown(first) == expected(project)
    assert "sprintlock: synced to the tests lock" in first.stderr
    assert any("--require-hashes" in line for line in install_commands(first))
    (venv,) = (project.root / ".nox").glob("tests*")
    stamp = (venv / STAMP_NAME).stat().st_mtime_ns

    # Warm run: the stamp matches, so no install command runs at all.
    warm = run_nox(nox_only, project, backend)
    assert shown(warm) == expected(project)
    assert "environment matches the tests lock (stamp)" in warm.stderr
    assert install_commands(warm) == []
    assert (venv / STAMP_NAME).stat().st_mtime_ns == stamp

    # The lock changes and the run is `nox -R` (which turns session.install off): synced anyway.
    (project.requirements_dir / "tests.in").write_text("beta<2\n")
    lock(project)
    reused = run_nox(nox_only, project, backend, "-R")
    assert shown(reused) == expected(project) == {"alpha==2.0", "beta==1.0", "demo==1.0"}
    assert "-testtool==1.0" in reused.stderr
    assert "+beta==1.0" in reused.stderr

    # Something installed by hand is removed on the next run.
    subprocess.run(
        [find_uv(), "pip", "install", "--python", str(venv_python(venv)), "typing-extensions==4.12.0"],
        check=True,
        capture_output=True,
    )
    cleaned = run_nox(nox_only, project, backend)
    assert shown(cleaned) == expected(project)
    assert "-typing-extensions==4.12.0" in cleaned.stderr

    # A file edited by hand and a .pth file dropped in: `nox -R` repairs both before the session runs.
    (site,) = venv.glob("lib/python*/site-packages")
    module = site / "alpha" / "__init__.py"
    original = module.read_bytes()
    module.write_bytes(original + b"PLANTED = True\n")
    (site / "planted.pth").write_text("import sys\n")
    repaired = run_nox(nox_only, project, backend, "-R")
    assert shown(repaired) == expected(project)
    assert "+alpha==2.0" in repaired.stderr
    assert "planted.pth" in repaired.stderr
    assert module.read_bytes() == original
    assert not (site / "planted.pth").exists()


def test_lock_for_another_python_fails_the_session_clearly(
    nox_only: Path, tmp_path: Path, offline_tools_index: Path
) -> None:
    other = "3.13" if THIS_PYTHON != "3.13" else "3.12"
    project = make_project(tmp_path / "project", python=other)
    result = run_nox(nox_only, project, "uv")
    assert result.returncode != 0
    platform = {"linux": "linux", "darwin": "macos", "win32": "windows"}[sys.platform]
    assert f"does not cover Python {THIS_PYTHON} on {platform}: it covers python {other};" in result.stderr
    assert f'add "{THIS_PYTHON}" to `python` in [tool.sprintlock]' in result.stderr
    assert "INSTALLED" not in result.stdout
    (venv,) = (project.root / ".nox").glob("tests*")
    assert not (venv / STAMP_NAME).exists()


def test_pythons_are_the_lock_targets(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.12"\n')
    assert sprintlock.nox.pythons(tmp_path)[:2] == ["3.12", "3.13"]
    (tmp_path / "pyproject.toml").write_text('[tool.sprintlock]\npython = ["3.11", "3.10"]\n')
    assert sprintlock.nox.pythons(tmp_path) == ["3.10", "3.11"]
