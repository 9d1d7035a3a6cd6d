"""Fixtures for the `sprintlock init` and tox tests: a complete offline index and fresh tool venvs.

The conftest's tools index has the fake sample wheels, the real tools and sprintlock.
`sprintlock init` writes the real tool names (pytest, mypy, sphinx, build, pre-commit)
into requirements/*.in, so this index adds: the real pytest and build repacked from
the test environment (the tests and tox environments run pytest for real), and tiny
stand-ins for the tools that only need to resolve here (mypy, pyright, sphinx, mkdocs;
tomli for Python 3.10 targets).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import make_tools_index, use_index
from packaging.markers import Marker
from packaging.utils import canonicalize_name
from wheelhouse import Dist, in_tree_backend

from sprintlock._core.tools import find_uv, venv_python, venv_scripts
from sprintlock._lock.lockfile import parse_lock
from sprintlock._standard.context import Detected

BIN = Path(sys.executable).parent
STAND_INS = (
    Dist("mypy", "1.0", ("typing-extensions>=4",)),
    Dist("pyright", "1.0"),
    Dist("sphinx", "1.0", ("alpha<2",)),
    Dist("mkdocs", "1.0"),
    Dist("tomli", "2.0.1"),
    Dist("importlib-metadata", "8.0.0"),
)
REAL = ["pytest", "build", "typing-extensions"]


def make_init_index(folder: Path, sprintlock_wheel: Path) -> Path:
    return make_tools_index(folder, sprintlock_wheel, extra=STAND_INS, real=REAL)


@pytest.fixture(scope="session")
def init_index_dir(tmp_path_factory: pytest.TempPathFactory, sprintlock_wheel: Path) -> Path:
    return make_init_index(tmp_path_factory.mktemp("init-index"), sprintlock_wheel)


@pytest.fixture
def init_index(init_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The offline index, used by uv, pip and pip-compile for this test."""
    use_index(monkeypatch, init_index_dir)
    return init_index_dir


def fresh_venv(path: Path, *packages: str) -> Path:
    """A new virtual environment holding ``packages`` from the current index; returns its bin folder."""
    uv = find_uv()
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(path)], check=True)
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(venv_python(path)), *packages],
        check=True,
        env=dict(os.environ),
    )
    return venv_scripts(path)


# The demo project: src layout, a test that needs the locked alpha, and an in-tree build
# backend with no requirements, so installing the project needs nothing off the index.
PYPROJECT = (
    '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha>=1.0"]\n'
    '\n[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["_build"]\n'
)
BACKEND = in_tree_backend("alpha>=1.0")
FILES = {
    "_build/backend.py": BACKEND,
    "src/demo/__init__.py": "import alpha\n\nALPHA = alpha.__version__\n",
    "tests/test_demo.py": "import demo\n\n\ndef test_locked_alpha() -> None:\n    assert demo.ALPHA == '2.0'\n",
}
INSTALLED = (
    "import importlib.metadata as m, json;"
    " print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
)


def write_demo(root: Path) -> Path:
    for relative, text in {"pyproject.toml": PYPROJECT, **FILES}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def installed(venv: Path) -> dict[str, str]:
    out = subprocess.run([str(venv_python(venv)), "-c", INSTALLED], capture_output=True, text=True, check=True)
    return {canonicalize_name(name): version for name, version in json.loads(out.stdout).items()}


def expected(root: Path, layer: str) -> dict[str, str]:
    """The lock's pins whose markers hold for this interpreter, plus the project."""
    lock = parse_lock((root / "requirements" / f"{layer}.txt").read_text(), layer)
    assert lock is not None
    pins = {pin.name: pin.version for pin in lock.pins if pin.marker is None or Marker(pin.marker).evaluate()}
    return {**pins, "demo": "1.0"}


#: The facts of a plain project for rendering tests: package ``demo`` in ``src/``, with tests.
DEMO = Detected(
    name="demo",
    layout="src",
    package_path="src/demo",
    requires_python=None,
    checkers=(),
    checker_targets_configured=False,
    docs=None,
    docs_dir=None,
    has_tests_dir=True,
    pre_commit_config=False,
)


def detected(**changes: Any) -> Detected:
    """:data:`DEMO` with ``changes``."""
    return dataclasses.replace(DEMO, **changes)


def versions(root: Path, layer: str) -> dict[str, str]:
    """The versions ``requirements/LAYER.txt`` pins, by package (the lock must be sprintlock's)."""
    parsed = parse_lock((root / f"requirements/{layer}.txt").read_text(), layer)
    assert parsed is not None
    return {pin.name: pin.version for pin in parsed.pins}
