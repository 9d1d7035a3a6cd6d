"""A flask-like project adopted: the minimum-versions lock is complete, and its tox factors still install.

The project (offline, real tox, nox, pip and uv) is laid out like flask at its last
pip-compile commit: ``tests.in`` (the test tools), ``tests-min.in`` (the exact runtime
minimums), ``tests-dev.txt`` (unhashed development versions, no ``.in``) and a tox.ini whose
``[testenv]`` installs ``-r requirements/tests.txt`` plus ``min:`` and ``dev:`` factor lines.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from initkit import (
    BACKEND,
    BIN,
    PYPROJECT,
    expected,
    fresh_venv,
    init_index,
    init_index_dir,
    installed,
)

from sprintlock import check, load_project
from sprintlock._cli.main import main
from sprintlock._inspect.noxfile import read_noxfile

#: Every test here locks or installs from initkit's offline index (fixtures imported for pytest).
pytestmark = pytest.mark.usefixtures("init_index")
FIXTURES = (init_index, init_index_dir)

PY = "py{}{}".format(*sys.version_info[:2])
PYTHON = "{}.{}".format(*sys.version_info[:2])

TOX_INI = f"""\
[tox]
envlist =
    {PY}
    {PY}-min
    {PY}-dev
skip_missing_interpreters = true

[testenv]
package = wheel
wheel_build_env = .pkg
constrain_package_deps = true
use_frozen_constraints = true
deps =
    -r requirements/tests.txt
    min: -r requirements/tests-min.txt
    dev: -r requirements/tests-dev.txt
commands = pytest -v --tb=short --basetemp={{envtmpdir}} {{posargs}}
"""

FILES = {
    "_build/backend.py": BACKEND,
    "src/demo/__init__.py": "import alpha\n\nALPHA = alpha.__version__\n",
    "tests/test_demo.py": "import demo\n\n\ndef test_alpha() -> None:\n    assert demo.ALPHA\n",
    "requirements/tests.in": "pytest\n",
    "requirements/tests-min.in": "alpha==1.0\n",
    # Development versions: unhashed, no .in (flask's are archive URLs of the main branches).
    "requirements/tests-dev.txt": "alpha\n",
    "tox.ini": TOX_INI,
}


@pytest.fixture
def adopted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    root = tmp_path / "project"
    for relative, text in {"pyproject.toml": PYPROJECT, **FILES}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    inputs = {name: (root / name).read_bytes() for name in FILES if name.startswith("requirements/")}
    assert main(["-C", str(root), "init"]) == 0
    out = capsys.readouterr().out
    assert {name: (root / name).read_bytes() for name in inputs} == inputs  # theirs, byte for byte
    return root, out


def tox(tox_bin: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tox_bin / "tox"), *args], cwd=root, capture_output=True, text=True, check=False, env=dict(os.environ)
    )


def test_the_min_lock_is_the_test_tools_at_the_minimum_versions(adopted: tuple[Path, str]) -> None:
    root, _ = adopted
    tests, minimum = expected(root, "tests"), expected(root, "tests-min")
    assert tests["alpha"] == "2.0" and minimum["alpha"] == "1.0"
    assert "pytest" in minimum and minimum["pytest"] == tests["pytest"]
    assert set(minimum) == set(tests)
    assert check(load_project(root)).ok
    # Its own session, on every target Python.
    noxfile = read_noxfile((root / "noxfile.py").read_text(), layers={"tests", "tests-min"}, targets=(PYTHON,))
    found = noxfile.find(f"tests-min-{PYTHON}")
    assert found is not None and found[0].layers == ("tests-min",)


def test_the_min_session_runs_the_tests_with_the_minimums(adopted: tuple[Path, str]) -> None:
    root, _ = adopted
    result = subprocess.run(
        [str(BIN / "nox"), "-s", f"tests-min-{PYTHON}", "--no-color"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 passed" in output
    assert "pytest -v --tb=short --basetemp=" in output  # what tox ran, kept by the session
    assert installed(root / ".nox" / f"tests-min-{PYTHON.replace('.', '-')}") == expected(root, "tests-min")


def test_init_keeps_the_tox_factors_installable(adopted: tuple[Path, str], tmp_path: Path) -> None:
    root, out = adopted
    text = (root / "tox.ini").read_text()
    assert (
        "deps =\n"
        "    !min-!dev: -r requirements/tests.txt\n"
        "    min: -r requirements/tests-min.txt\n"
        "    dev: -r requirements/tests.in\n"
        "    dev: -r requirements/tests-dev.txt\n"
    ) in text
    assert "-r requirements/tests.txt now applies only without the min, dev factor(s)" in out
    tox_bin = fresh_venv(tmp_path / "only-tox", "tox")

    for env, alpha in ((PY, "2.0"), (f"{PY}-min", "1.0"), (f"{PY}-dev", "2.0")):
        result = tox(tox_bin, root, "-e", env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 passed" in result.stdout
        versions = installed(root / ".tox" / env)
        assert versions["alpha"] == alpha, env
        assert "pytest" in versions
    # The minimum-versions environment is the min lock plus the project, as the nox session's.
    assert {
        k: v for k, v in installed(root / ".tox" / f"{PY}-min").items() if k not in ("pip", "setuptools", "wheel")
    } == expected(root, "tests-min")
