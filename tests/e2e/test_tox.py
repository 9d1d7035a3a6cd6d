"""tox parity: `sprintlock init --tox`, the real tox provisioning the sprintlock plugin, offline.

tox runs from a fresh virtual environment holding only tox. `[tox] requires =
sprintlock==X` makes it provision `.tox/.tox` with tox and sprintlock (the wheel built
from this checkout, on the offline index) and re-run itself there, with the plugin
loaded from sprintlock's `tox` entry point: the path a contributor with only tox takes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from initkit import (  # noqa: F401 - init_index and init_index_dir are fixtures
    BIN,
    PYPROJECT,
    expected,
    fresh_venv,
    init_index,
    init_index_dir,
    installed,
    write_demo,
)

from sprintlock import load_project, sync
from sprintlock._cli.main import main
from sprintlock._core.tools import venv_python
from sprintlock._scaffold.detect import detect
from sprintlock._standard.toxini import adopt_tox_ini, render_tox_ini

#: Every test here locks or installs from initkit's offline index (real tools, sprintlock).
pytestmark = pytest.mark.usefixtures("init_index")


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = write_demo(tmp_path / "project")
    assert main(["-C", str(root), "init", "--tox"]) == 0, capsys.readouterr()
    return root


def tox(tox_bin: Path, root: Path, *args: str) -> str:
    result = subprocess.run(
        # CI mode on purpose: tox then lists each environment's distributions (with pip by
        # default, which a synced environment does not have).
        [str(tox_bin / "tox"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CI": "true"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_tox_and_nox_test_in_the_same_environment(project: Path, tmp_path: Path) -> None:
    want = expected(project, "tests")
    assert "pytest" in want and want["alpha"] == "2.0"
    tox_bin = fresh_venv(tmp_path / "only-tox", "tox")

    # --notest prepares the environment for later: synced, no command run.
    output = tox(tox_bin, project, "run", "-e", "tests", "--notest")
    assert "sprintlock: tests synced to the tests lock" in output
    assert "passed" not in output
    assert installed(project / ".tox" / "tests") == want

    # Warm: the stamp matches, nothing is installed; the tests run.
    output = tox(tox_bin, project, "-e", "tests")
    assert "sprintlock: tests matches the tests lock (stamp), nothing to install" in output
    assert "1 passed" in output

    # A package installed by hand is removed before the commands run.
    uv = str(BIN / "uv")
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(venv_python(project / ".tox" / "tests")), "beta"], check=True
    )
    assert "beta" in installed(project / ".tox" / "tests")
    output = tox(tox_bin, project, "-e", "tests")
    assert "-beta==" in output
    assert installed(project / ".tox" / "tests") == want

    # A file of a locked package deleted by hand is reinstalled before the commands run.
    (site,) = (project / ".tox" / "tests").glob("lib/python*/site-packages")
    (site / "pluggy" / "__init__.py").unlink()
    output = tox(tox_bin, project, "-e", "tests")
    assert "1 passed" in output
    assert f"+pluggy=={want['pluggy']}" in output
    assert (site / "pluggy" / "__init__.py").is_file()

    # nox, with the generated noxfile, builds the same set for this Python, with either backend.
    python = "{}.{}".format(*sys.version_info[:2])
    for backend in ("uv", "virtualenv"):
        result = subprocess.run(
            [
                str(BIN / "nox"),
                "-s",
                f"tests-{python}",
                "--no-color",
                "--force-venv-backend",
                backend,
                "--envdir",
                f".nox-{backend}",
            ],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 passed" in result.stdout + result.stderr
        assert f"Creating virtual environment ({backend})" in result.stdout + result.stderr
        assert installed(project / f".nox-{backend}" / f"tests-{python.replace('.', '-')}") == want, backend

    # And so does sprintlock.sync on a fresh environment.
    venv = tmp_path / "synced"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    sync(load_project(project), "tests", venv)
    assert installed(venv) == want


PALLETS_TOX = """\
[tox]
env_list =
    py3{13,12,11}
    typing
skip_missing_interpreters = true

[testenv]
package = wheel
constrain_package_deps = true
deps = -r requirements/tests.txt
commands = pytest -v --tb=short --basetemp={envtmpdir} {posargs}

[testenv:typing]
deps = -r requirements/typing.txt
commands = mypy

[testenv:update-requirements]
deps = pip-tools
skip_install = true
change_dir = requirements
commands = pip-compile tests.in -q {posargs:-U}
"""


def test_an_existing_tox_ini_is_adopted_line_by_line(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "src/demo").mkdir(parents=True)
    (root / "src/demo/__init__.py").write_text("")
    (root / "pyproject.toml").write_text(PYPROJECT + "\n[tool.mypy]\nfiles = ['src']\n")
    detected = detect(root)
    adopted = adopt_tox_ini(PALLETS_TOX, detected)
    # Every line the user wrote is still there, in the same order.
    lines = iter(adopted.splitlines())
    assert all(any(mine == theirs for theirs in lines) for mine in PALLETS_TOX.splitlines())
    assert "[tox]\nrequires =\n    sprintlock==0.1.0\nenv_list =\n" in adopted
    assert (
        "[testenv:typing]\nsprintlock_layer = typing\nskip_install = true\ndeps = -r requirements/typing.txt\n"
        in adopted
    )
    assert adopted.endswith(
        "[testenv:tests]\nsprintlock_layer = tests\nskip_install = true\ndeps =\ncommands = pytest {posargs}\n"
    )
    assert "[testenv:update-requirements]\ndeps = pip-tools\n" in adopted  # not a lock environment: untouched
    assert adopt_tox_ini(adopted, detected) == adopted  # adopting twice adds nothing


@pytest.mark.parametrize(
    ("requires", "after"),
    [
        ("requires = tox>=4\n", "requires = tox>=4\n    sprintlock==0.1.0\n"),
        ("requires =\n    tox>=4\n    sprintlock==0.0.1\n", "requires =\n    tox>=4\n    sprintlock==0.1.0\n"),
        ("requires = sprintlock>=0.0\n", "requires = sprintlock==0.1.0\n"),
    ],
)
def test_requires_gets_the_running_sprintlock(tmp_path: Path, requires: str, after: str) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    adopted = adopt_tox_ini(
        f"[tox]\n{requires}\n[testenv:tests]\nsprintlock_layer = tests\nskip_install = true\n", detect(root)
    )
    assert adopted.startswith(f"[tox]\n{after}\n[testenv:tests]\n")


def test_init_tox_adopts_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "tox.ini").write_text(PALLETS_TOX)
    assert main(["-C", str(root), "init", "--tox"]) == 0
    out = capsys.readouterr().out
    assert "tox.ini: update" in out
    assert (root / "tox.ini").read_text() == adopt_tox_ini(PALLETS_TOX, detect(root))
    assert main(["-C", str(root), "init", "--tox"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_force_replaces_a_tox_ini_with_the_standard_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "tox.ini").write_text(PALLETS_TOX)
    assert main(["-C", str(root), "init", "--tox", "--force", "tox.ini"]) == 0
    assert "tox.ini: replace" in capsys.readouterr().out
    assert (root / "tox.ini").read_text() == render_tox_ini(detect(root))


def test_new_tox_ini_lists_the_lock_environments(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs/conf.py").write_text("")
    (root / "pyproject.toml").write_text(PYPROJECT + "\n[tool.mypy]\n")
    text = render_tox_ini(detect(root))
    assert "env_list =\n    tests\n    typing\n    docs\n" in text
    for layer in ("tests", "typing", "docs"):
        assert f"[testenv:{layer}]\nsprintlock_layer = {layer}\nskip_install = true\n" in text
