"""The two installers' command lines, and which one is chosen."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from sprintlock import ToolMissingError
from sprintlock._core.tools import find_uv
from sprintlock._env import installers
from sprintlock._env.installers import Installer, PipInstaller, UvInstaller, get_installer

PY = "/envs/demo/bin/python"
REQ = Path("/stage/requirements.txt")
SRC = Path("/src/demo")
UV_QUIET = "--no-progress --color never"
PIP_QUIET = "--disable-pip-version-check --no-color --no-input"


def line(cmd: list[str]) -> str:
    return " ".join(cmd)


def test_uv_command_lines() -> None:
    uv: Installer = UvInstaller("/bin/uv", PY)
    assert uv.name == "uv"
    assert line(uv.install_locked(REQ)) == (
        f"/bin/uv pip install --python {PY} --require-hashes --no-deps --link-mode copy -r {REQ} {UV_QUIET}"
    )
    assert line(uv.install_locked(REQ, reinstall=True)) == (
        f"/bin/uv pip install --python {PY} --require-hashes --no-deps --link-mode copy --reinstall -r {REQ} {UV_QUIET}"
    )
    assert line(uv.install_locked(REQ, reinstall=True, fresh=True)) == (
        f"/bin/uv pip install --python {PY} --require-hashes --no-deps --link-mode copy --reinstall --no-cache "
        f"-r {REQ} {UV_QUIET}"
    )
    assert line(uv.install_project(SRC, editable=False)) == (
        f"/bin/uv pip install --python {PY} --no-deps --reinstall --link-mode copy {SRC} {UV_QUIET}"
    )
    assert line(uv.install_project(SRC, editable=True)) == (
        f"/bin/uv pip install --python {PY} --no-deps --reinstall --link-mode copy -e {SRC} {UV_QUIET}"
    )
    assert line(uv.uninstall(["alpha", "beta"])) == f"/bin/uv pip uninstall --python {PY} alpha beta {UV_QUIET}"
    assert line(uv.check()) == f"/bin/uv pip check --python {PY} {UV_QUIET}"


def test_pip_command_lines() -> None:
    """pip runs from sprintlock's environment and acts on the other one through --python."""
    pip: Installer = PipInstaller(PY)
    assert pip.name == "pip"
    outside = f"{sys.executable} -m pip --python {PY}"
    assert line(pip.install_locked(REQ)) == f"{outside} install --require-hashes --no-deps -r {REQ} {PIP_QUIET}"
    assert line(pip.install_locked(REQ, reinstall=True, fresh=True)) == (
        f"{outside} install --require-hashes --no-deps --force-reinstall --no-cache-dir -r {REQ} {PIP_QUIET}"
    )
    assert line(pip.install_project(SRC, editable=False)) == (
        f"{outside} install --no-deps --force-reinstall {SRC} {PIP_QUIET}"
    )
    assert line(pip.install_project(SRC, editable=True)) == (
        f"{outside} install --no-deps --force-reinstall -e {SRC} {PIP_QUIET}"
    )
    assert line(pip.uninstall(["alpha"])) == f"{outside} uninstall --yes alpha {PIP_QUIET}"
    assert line(pip.check()) == f"{outside} check {PIP_QUIET}"


def test_uv_is_the_default_and_either_can_be_forced() -> None:
    python = Path(PY)
    assert get_installer(python) == UvInstaller(find_uv(), PY)
    assert get_installer(python, "uv") == UvInstaller(find_uv(), PY)
    assert get_installer(python, "pip") == PipInstaller(PY)
    with pytest.raises(ValueError, match="unknown installer 'conda'"):
        get_installer(python, "conda")


def _no_uv() -> str:
    raise ToolMissingError("uv is not installed")


def test_pip_when_uv_is_missing_and_an_error_when_both_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(installers, "find_uv", _no_uv)
    assert get_installer(Path(PY)) == PipInstaller(PY)
    with pytest.raises(ToolMissingError, match="uv is not installed"):
        get_installer(Path(PY), "uv")  # forced: no fallback
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *args: None if name == "pip" else real_find_spec(name, *args)
    )
    with pytest.raises(ToolMissingError, match="neither uv nor pip"):
        get_installer(Path(PY))
