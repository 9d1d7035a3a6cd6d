"""Opt-in (``pytest -m network``): lock the real-world requirement sets against the real PyPI.

For each case in ``tests/data/cases`` (Flask, Werkzeug, Click as they were) and each
resolver, ``sprintlock lock`` must succeed, ``sprintlock check`` must pass, and
a recompile must give byte-identical locks, and every lock must install with
``--require-hashes --no-deps`` (uv, and real pip) into a fresh environment that
then holds exactly the lock's pins.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from sprintlock import load_project
from sprintlock._cli.main import main
from sprintlock._core.tools import current_version, find_interpreter, find_uv, venv_python
from sprintlock._lock.lockfile import parse_lock
from sprintlock._lock.resolvers.piptools import current_platform
from sprintlock._project.targets import pythons_allowed

CASES = ROOT / "tests" / "data" / "cases"
CASE_NAMES = ("flask", "werkzeug", "click")
RESOLVERS = ("uv", "pip-tools")


def sprintlock_table(resolver: str, requires_python: str | None) -> str:
    """``[tool.sprintlock]`` for ``resolver``.

    uv covers every target in one resolution: the defaults stand. pip-compile
    covers only the interpreters found here and this platform, so the targets
    are exactly those (otherwise ``check`` rightly reports them uncovered).
    """
    lines = ["", "[tool.sprintlock]", f'resolver = "{resolver}"']
    if resolver == "pip-tools":
        pythons = [v for v in pythons_allowed(requires_python) if find_interpreter(v) is not None]
        assert current_version() in pythons, (current_version(), requires_python)
        lines.append("python = [" + ", ".join(f'"{v}"' for v in pythons) + "]")
        lines.append(f'platforms = ["{current_platform()}"]')
    return "\n".join(lines) + "\n"


def run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"{' '.join(cmd)}\n{result.stdout}\n{result.stderr}"
    return result


def expected_here(lock_text: str, layer: str) -> dict[str, str]:
    """The pins of a lock that apply to this interpreter and platform: name -> version."""
    lock = parse_lock(lock_text, layer)
    assert lock is not None, lock_text[:500]
    return {
        canonicalize_name(pin.name): pin.version
        for pin in lock.pins
        if pin.marker is None or Marker(pin.marker).evaluate()
    }


def installed(python: Path) -> dict[str, str]:
    lines = run([find_uv(), "pip", "freeze", "--python", str(python)]).stdout.splitlines()
    pairs = [line.split("==", 1) for line in lines if line.strip()]
    assert all(len(pair) == 2 for pair in pairs), lines
    return {canonicalize_name(name): version for name, version in pairs}


def fresh_venv(path: Path, *, seed: bool = False) -> Path:
    cmd = [find_uv(), "venv", "--quiet", "--python", sys.executable, str(path)]
    run([*cmd, "--seed"] if seed else cmd)
    return venv_python(path)


@pytest.mark.network
@pytest.mark.parametrize("resolver", RESOLVERS)
@pytest.mark.parametrize("case", CASE_NAMES)
def test_real_case_locks_checks_and_installs(
    case: str, resolver: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / case
    shutil.copytree(CASES / case, root, ignore=shutil.ignore_patterns("SOURCE.txt", "*.txt"))
    pyproject = root / "pyproject.toml"
    assert "[tool.sprintlock]" not in pyproject.read_text()
    requires_python = load_project(root).requires_python
    with pyproject.open("a") as file:
        file.write(sprintlock_table(resolver, requires_python))
    inputs = sorted(p.stem for p in (root / "requirements").glob("*.in"))
    assert inputs

    code = main(["-C", str(root), "lock"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    locks = {p.stem: p for p in (root / "requirements").glob("*.txt")}
    assert sorted(locks) == inputs

    code = main(["-C", str(root), "check"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert f"{len(inputs)} locks are fresh" in out

    # Recompiling everything with unchanged inputs keeps every pin: byte-identical locks.
    before = {name: lock.read_bytes() for name, lock in locks.items()}
    code = main(["-C", str(root), "lock", "--all"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert {name: lock.read_bytes() for name, lock in locks.items()} == before

    for name, lock in sorted(locks.items()):
        python = fresh_venv(tmp_path / f"venv-{name}")
        run(
            [
                find_uv(),
                "pip",
                "install",
                "--python",
                str(python),
                "--require-hashes",
                "--no-deps",
                "-r",
                str(lock),
            ]
        )
        # Exactly the lock (for this interpreter and platform), and nothing missing.
        assert installed(python) == expected_here(lock.read_text(), name), name
        run([find_uv(), "pip", "check", "--python", str(python)])

    # Real pip, as a newcomer without uv would install it.
    python = fresh_venv(tmp_path / "venv-pip", seed=True)
    run([str(python), "-m", "pip", "install", "--require-hashes", "--no-deps", "-r", str(locks["tests"])])
    expected = expected_here(locks["tests"].read_text(), "tests")
    assert {name: version for name, version in installed(python).items() if name in expected} == expected
    run([str(python), "-m", "pip", "check"])
