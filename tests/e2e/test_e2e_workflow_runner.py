"""The generated workflows' ``run:`` steps, run as a fresh GitHub runner runs them.

A small local runner: each step's script in a file, run with ``bash -e`` (``bash
--noprofile --norc -eo pipefail`` where the job says ``shell: bash``), a clean ``PATH``
(bash, git, a ``python`` standing in for setup-python's, and a ``pipx`` that maps ``pipx
run nox==X`` to an environment holding nox alone: no uv anywhere on ``PATH``),
``CI=true``, ``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY`` files and ``RUNNER_TEMP``, the
offline index standing in for PyPI. ``uses:`` steps are what the workspace already is
(the checkout) or what ``PATH`` holds (setup-python).

Without uv, nox installs its script environment with pip, which prints to stdout ahead
of the JSON of ``nox --list --json``: exactly what a fresh runner does. The output file
is then read with GitHub's rules (``key=value`` lines or ``key<<DELIMITER`` blocks).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import initkit
import pytest
from conftest import DEAD_PROXY, ROOT
from initkit import BACKEND, write_demo
from sprintkit import commit_all, load_yaml

from sprintlock._cli.main import main
from sprintlock._core.tools import find_uv
from sprintlock._env.stamp import STAMP_NAME
from sprintlock._env.sync import venv_python
from sprintlock._standard.noxfile import nox_version
from sprintlock._standard.workflows.render import MULTI_OS_SESSIONS, RUNNERS

# The offline index fixtures (pytest finds fixtures among the module's names).
init_index = initkit.init_index
init_index_dir = initkit.init_index_dir

#: The runner stands in for an Ubuntu runner: bash, sh scripts and symbolic links on PATH.
UBUNTU = pytest.mark.posix(reason="the local runner emulates an Ubuntu runner (bash, sh shims, symbolic links)")

THIS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$")
_BLOCK = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)<<(.+)$")
_MATRIX = re.compile(r"\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}")

PIPX = """\
#!/bin/sh
# pipx run nox==VERSION ARGS: nox from an environment that holds nox alone (no uv).
test "$1" = run || {{ echo "pipx (test shim): only 'pipx run' is known" >&2; exit 2; }}
test "$2" = "nox=={version}" || {{ echo "pipx (test shim): expected nox=={version}, got $2" >&2; exit 2; }}
shift 2
exec "{nox}" "$@"
"""


def read_output_file(path: Path) -> dict[str, str]:
    """``$GITHUB_OUTPUT`` as GitHub reads it: every line ``key=value``, or a ``key<<DELIMITER`` block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    values: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        block = _BLOCK.match(line)
        if block:
            end = lines.index(block[2], index) if block[2] in lines[index:] else -1
            assert end >= 0, f"unterminated {block[2]!r} block in {path.name}: GitHub fails the step"
            values[block[1]] = "\n".join(lines[index:end])
            index = end + 1
            continue
        match = _LINE.match(line)
        assert match or not line.strip(), f"GitHub rejects this line of {path.name}: {line!r}"
        if match:
            values[match[1]] = match[2]
    return values


def test_the_output_file_rules(tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.write_text('a=1\nsessions=[{"session":"x"}]\nbody<<EOF\nline=1\nline 2\nEOF\n')
    assert read_output_file(good) == {"a": "1", "sessions": '[{"session":"x"}]', "body": "line=1\nline 2"}
    for text in ("Collecting nox\nsessions=[]\n", "body<<EOF\nunterminated\n"):
        (tmp_path / "bad").write_text(text)
        with pytest.raises(AssertionError, match="GitHub"):
            read_output_file(tmp_path / "bad")


#: The proxy variables, both spellings: tools read one or the other.
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(scope="module")
def nox_alone(tmp_path_factory: pytest.TempPathFactory, init_index_dir: Path, session_dir: Path) -> Path:
    """An environment with nox only (no uv), installed offline: what ``pipx run nox`` makes."""
    venv = tmp_path_factory.mktemp("nox-alone") / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "VIRTUAL_ENV"))}
    env.update(
        UV_DEFAULT_INDEX=init_index_dir.as_uri(),
        UV_NO_CONFIG="1",
        UV_PYTHON_DOWNLOADS="never",
        UV_CACHE_DIR=str(session_dir / "uv-cache"),
        # Module-scoped: runs before the hermetic fixture, so it closes the network itself.
        **dict.fromkeys(PROXIES, DEAD_PROXY),
        HOME=str(tmp_path_factory.mktemp("nox-alone-home")),
    )
    subprocess.run([find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, env=env)
    python = venv_python(venv)
    subprocess.run([find_uv(), "pip", "install", "--quiet", "--python", str(python), "nox"], check=True, env=env)
    assert not (python.parent / "uv").exists()
    return python.parent / "nox"


@dataclass
class Runner:
    """A fresh GitHub runner, in miniature, for one workspace."""

    workspace: Path
    folder: Path

    @property
    def output(self) -> Path:
        return self.folder / "github_output"

    @property
    def summary(self) -> Path:
        return self.folder / "step_summary"

    def environment(self, step_env: dict[str, str]) -> dict[str, str]:
        kept = {k: v for k, v in os.environ.items() if k.startswith(("PIP_", "UV_", "VIRTUALENV_"))}
        # The hermetic fixture's settings: its home, temporary folder, dead proxy and git configuration.
        passed = ("HOME", "TMPDIR", *PROXIES, "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")
        kept.update({k: os.environ[k] for k in passed if k in os.environ})
        return {
            **kept,
            "PATH": str(self.folder / "bin"),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_OUTPUT": str(self.output),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_WORKSPACE": str(self.workspace),
            "RUNNER_TEMP": str(self.folder / "temp"),
            **step_env,
        }

    def run_job(self, job: dict[str, Any], matrix: dict[str, str] | None = None) -> dict[str, str]:
        """Run the job's ``run:`` steps in order (``bash -e``); return its outputs file, validated."""
        self.output.write_text("")
        shell = job.get("defaults", {}).get("run", {}).get("shell", "")
        options = ["--noprofile", "--norc", "-eo", "pipefail"] if shell.startswith("bash") else ["-e"]
        for number, step in enumerate(job["steps"]):
            if "run" not in step:
                continue
            assert "${{" not in step["run"], f"an expression in a run: script: {step['run']!r}"
            env = {key: _MATRIX.sub(lambda m: (matrix or {})[m[1]], str(v)) for key, v in step.get("env", {}).items()}
            script = self.folder / f"step-{number}.sh"
            script.write_text(step["run"])
            result = subprocess.run(
                ["bash", *options, str(script)],
                cwd=self.workspace,
                env=self.environment(env),
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, f"step {number}: {step['run']}\n{result.stdout}\n{result.stderr}"
        return read_output_file(self.output)


def make_runner(workspace: Path, folder: Path, nox: Path) -> Runner:
    """The runner's ``PATH``: bash, git, python (setup-python's stand-in) and the pipx shim; no uv."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True)
    (folder / "temp").mkdir()
    for program in ("bash", "sh", "git", "env"):
        found = shutil.which(program)
        assert found is not None
        (bin_dir / program).symlink_to(found)
    (bin_dir / "python").symlink_to(getattr(sys, "_base_executable", sys.executable))
    pipx = bin_dir / "pipx"
    pipx.write_text(PIPX.format(version=nox_version(), nox=nox))
    pipx.chmod(0o755)
    assert shutil.which("uv", path=str(bin_dir)) is None
    return Runner(workspace, folder)


def workflow(root: Path, name: str) -> dict[str, Any]:
    data = load_yaml((root / ".github" / "workflows" / name).read_text())
    assert isinstance(data, dict)
    return data


def expected_matrix(sessions: list[str]) -> list[tuple[str, str]]:
    """Every default session on Linux; the test sessions on every runner."""
    return sorted(
        (session, runner)
        for session in sessions
        for runner in (RUNNERS if session.rpartition("-")[0] in MULTI_OS_SESSIONS else RUNNERS[:1])
    )


@pytest.fixture
def project(tmp_path: Path, init_index: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``sprintlock init`` (with its locks) on the demo project, committed."""
    root = write_demo(tmp_path / "project")
    (root / "_build/backend.py").write_text(BACKEND + SDIST)
    assert main(["-C", str(root), "init"]) == 0, capsys.readouterr()
    (root / ".gitignore").write_text(".nox/\ndist/\n")
    commit_all(root, "init")
    return root


#: ``build_sdist`` for the demo backend, so that ``python -m build`` makes both archives.
SDIST = """
def build_sdist(sdist_directory, config_settings=None):
    import io, os, tarfile
    name = "demo-1.0.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as archive:
        for path in ("pyproject.toml", "_build/backend.py", "src/demo/__init__.py"):
            archive.add(path, "demo-1.0/" + path)
        info = b"Metadata-Version: 2.1\\nName: demo\\nVersion: 1.0\\n"
        entry = tarfile.TarInfo("demo-1.0/PKG-INFO")
        entry.size = len(info)
        archive.addfile(entry, io.BytesIO(info))
    return name
"""


@UBUNTU
def test_the_tests_workflow_runs_as_on_a_fresh_runner(project: Path, tmp_path: Path, nox_alone: Path) -> None:
    runner = make_runner(project, tmp_path / "runner", nox_alone)
    tests = workflow(project, "tests.yml")
    outputs = runner.run_job(tests["jobs"]["sessions"])
    listing = (runner.folder / "temp" / "nox-sessions.txt").read_text()
    assert not listing.startswith("["), listing[:200]  # pip's output came first: the old step's failure
    matrix = json.loads(outputs["sessions"])
    pythons = [f"3.{minor}" for minor in range(11, 16)]
    defaults = ["check", "lint", *(f"tests-{python}" for python in pythons)]
    assert sorted((entry["session"], entry["os"]) for entry in matrix) == expected_matrix(defaults)
    tests_entries = [entry for entry in matrix if entry["session"].startswith("tests-")]
    assert all(entry["python"] == entry["session"].removeprefix("tests-") for entry in tests_entries)
    assert all("python" not in entry for entry in matrix if entry not in tests_entries)
    assert set(outputs) == {"sessions"}

    # The matrix jobs that run here: a session without a Python, and the tests on this Python.
    nox_job = tests["jobs"]["nox"]
    here = [e for e in matrix if e["os"] == RUNNERS[0] and e["session"] in ("check", f"tests-{THIS_PYTHON}")]
    assert sorted(entry["session"] for entry in here) == ["check", f"tests-{THIS_PYTHON}"]
    for entry in here:
        assert runner.run_job(nox_job, {k: str(v) for k, v in entry.items()}) == {}


@UBUNTU
def test_the_old_listing_step_is_what_github_rejects(project: Path, tmp_path: Path, nox_alone: Path) -> None:
    """The step before issue 10: ``echo "sessions=$(nox --list --json)"`` gets pip's output too."""
    runner = make_runner(project, tmp_path / "runner", nox_alone)
    old = {"steps": [{"run": f'echo "sessions=$(pipx run nox=={nox_version()} --list --json)" >> "$GITHUB_OUTPUT"'}]}
    with pytest.raises(AssertionError, match="GitHub rejects this line"):
        runner.run_job(old)


@UBUNTU
def test_the_publish_build_step_makes_the_sdist_and_wheel_from_the_build_lock(
    project: Path, tmp_path: Path, nox_alone: Path
) -> None:
    runner = make_runner(project, tmp_path / "runner", nox_alone)
    publish = workflow(project, "publish.yml")
    assert runner.run_job(publish["jobs"]["build"]) == {}
    dist = project / "dist"
    assert sorted(path.name for path in dist.iterdir()) == ["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"]
    with zipfile.ZipFile(dist / "demo-1.0-py3-none-any.whl") as wheel:
        assert "demo/__init__.py" in wheel.namelist()
    with tarfile.open(dist / "demo-1.0.tar.gz") as sdist:
        assert "demo-1.0/PKG-INFO" in sdist.getnames()
    # The environment was synced to the build lock by sprintlock (its stamp says which lock).
    stamp = json.loads((project / ".nox" / "build" / STAMP_NAME).read_text())
    assert "build" in json.dumps(stamp)


@pytest.mark.usefixtures("init_index")
@UBUNTU
def test_sprintlock_s_own_listing_step(tmp_path: Path, nox_alone: Path) -> None:
    """sprintlock's tests.yml: its default sessions, the test suite on 3.10 to 3.14 on every runner."""
    workspace = tmp_path / "sprintlock"
    workspace.mkdir()
    for name in ("noxfile.py", "pyproject.toml", ".github"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, workspace / name)
    for name in ("src", "requirements"):
        shutil.copytree(ROOT / name, workspace / name, ignore=shutil.ignore_patterns("__pycache__"))
    runner = make_runner(workspace, tmp_path / "runner", nox_alone)
    outputs = runner.run_job(workflow(workspace, "tests.yml")["jobs"]["sessions"])
    matrix = json.loads(outputs["sessions"])
    tests = [f"tests-3.{minor}" for minor in range(10, 15)]
    assert sorted((entry["session"], entry["os"]) for entry in matrix) == expected_matrix(
        ["check", "docs", "doctor", "lint", *tests, "typing"]
    )
