"""The interpreter's answer (markers, site folders) is asked once per base interpreter, then remembered."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from sprintlock import Project, load_project, lock, sync
from sprintlock._core.process import Result, run
from sprintlock._core.tools import find_uv
from sprintlock._env.probes import cached_probe, probe_key, remember_probe
from sprintlock._env.stamp import read_stamp
from sprintlock._env.sync import _PROBE, venv_python


class Recorder:
    """A runner that runs the real command and remembers it."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        self.calls.append(list(cmd))
        return run(cmd, cwd=cwd, env=env)

    @property
    def probes(self) -> int:
        return sum(1 for cmd in self.calls if cmd[1:3] == ["-c", _PROBE])


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder of this test's own: other tests' environments answer nothing here."""
    monkeypatch.setenv("SPRINTLOCK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def project(tmp_path: Path, offline_tools_index: Path) -> Project:
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\ndependencies = []\n')
    (root / "requirements" / "tests.in").write_text("testtool\n")
    project = load_project(root)
    lock(project)
    return project


def uv_venv(path: Path) -> Path:
    subprocess.run([find_uv(), "venv", "--quiet", "--python", sys.executable, str(path)], check=True)
    return path


def site_packages(venv: Path) -> list[str]:
    code = "import json, sysconfig; p = sysconfig.get_paths(); print(json.dumps(sorted({p['purelib'], p['platlib']})))"
    done = subprocess.run([str(venv_python(venv)), "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


def test_the_second_environment_of_one_python_is_not_asked(project: Project, tmp_path: Path) -> None:
    first, second = Recorder(), Recorder()
    sync(project, "tests", uv_venv(tmp_path / "one"), install_project=False, runner=first)
    venv = uv_venv(tmp_path / "two")
    result = sync(project, "tests", venv, install_project=False, runner=second)
    assert (first.probes, second.probes) == (1, 0)
    assert "testtool==1.0" in result.installed
    stamp = read_stamp(venv)
    assert stamp is not None
    assert list(stamp.site_dirs) == site_packages(venv)  # the remembered folders, placed in this environment


def test_another_interpreter_file_is_another_key(tmp_path: Path) -> None:
    venv = uv_venv(tmp_path / "venv")
    python = venv_python(venv)
    key = probe_key(python, venv, _PROBE)
    assert key is not None and key == probe_key(python, venv, _PROBE)
    assert probe_key(python, venv, _PROBE + "\n") != key  # another probe
    python.unlink()
    python.write_text("#!/bin/sh\nexit 1\n")  # another file where the interpreter was
    assert probe_key(python, venv, _PROBE) not in (key, None)
    (venv / "pyvenv.cfg").unlink()
    assert probe_key(python, venv, _PROBE) is None


def test_only_answers_inside_the_environment_are_kept_and_damaged_ones_are_ignored(tmp_path: Path) -> None:
    venv = uv_venv(tmp_path / "venv")
    key = probe_key(venv_python(venv), venv, _PROBE)
    assert key is not None
    markers = {"python_version": "3.11"}
    remember_probe(key, venv, markers, ("/usr/lib/python3/dist-packages", f"{venv}/lib/site-packages"))
    assert cached_probe(key, venv) is None  # a system folder: never remembered
    remember_probe(key, venv, markers, (f"{venv}/lib/site-packages",))
    other = tmp_path / "other"
    assert cached_probe(key, other) == (markers, (f"{other}/lib/site-packages",))
    [path] = (Path(cached_path) for cached_path in _cache_files())
    path.write_text("{not json")
    assert cached_probe(key, venv) is None


def _cache_files() -> list[str]:
    from sprintlock._core.cachedir import user_cache_dir

    return [str(path) for path in (user_cache_dir() / "interpreters").glob("*.json")]
