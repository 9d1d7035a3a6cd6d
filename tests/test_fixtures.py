"""The hermetic harness itself: it must really scrub, block and provide."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sprintlock._core.tools import find_uv


def test_machine_configuration_is_scrubbed() -> None:
    assert "PIP_FIND_LINKS" not in os.environ
    assert Path(os.environ["PIP_CONFIG_FILE"]).read_text() == ""
    assert not Path(os.environ["HOME"], ".config", "pip").exists()
    assert not [name for name in os.environ if name.startswith("UV_INDEX")]


def test_in_process_network_is_refused() -> None:
    with socket.socket() as sock, pytest.raises(AssertionError, match="without the `network` marker"):
        sock.connect(("192.0.2.1", 443))


def test_subprocess_network_is_refused(tmp_path: Path) -> None:
    """uv with the real index and no fake one fails fast instead of downloading."""
    (tmp_path / "r.in").write_text("six\n")
    result = subprocess.run(
        [find_uv(), "pip", "compile", "r.in", "--no-progress"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0


def test_tools_index_installs_sprintlock_offline(offline_tools_index: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [find_uv(), "pip", "install", "--quiet", "--python", str(venv / "bin/python"), "sprintlock"],
        check=True,
    )
    out = subprocess.run([str(venv / "bin/sprintlock"), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("sprintlock ")


def test_every_public_name_is_exported() -> None:
    import sprintlock

    for name in sprintlock.__all__:
        assert getattr(sprintlock, name) is not None, name
    with pytest.raises(AttributeError):
        _ = sprintlock.no_such_name


def test_git_sees_no_outside_configuration() -> None:
    assert os.environ["GIT_CONFIG_GLOBAL"] == os.devnull
    assert os.environ["GIT_CONFIG_NOSYSTEM"] == "1"
    assert not [name for name in os.environ if name.startswith("GIT_") and not name.startswith("GIT_CONFIG_")]


def test_temporary_files_go_under_basetemp(private_tempdir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Staging folders and logs of sprintlock and of the tools it runs stay out of the real temporary folder."""
    assert private_tempdir.is_relative_to(tmp_path_factory.getbasetemp())
    assert Path(tempfile.mkdtemp(prefix="sprintlock-")).parent == private_tempdir
    child = subprocess.run(
        [sys.executable, "-c", "import tempfile; print(tempfile.gettempdir())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(child.stdout.strip()) == private_tempdir
