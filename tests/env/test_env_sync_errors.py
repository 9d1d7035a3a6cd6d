"""``sprintlock sync`` when the installer itself is missing: a user error naming it, not a lock problem."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintlock import SyncError, ToolMissingError, load_project, lock, sync
from sprintlock._cli.main import main
from sprintlock._env import installers


def test_a_missing_installer_says_so(
    make_project: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"})
    lock(load_project(root))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    gone = tmp_path / "removed" / "uv"
    monkeypatch.setattr(installers, "find_uv", lambda: str(gone))

    with pytest.raises(ToolMissingError, match=f"^{re.escape(str(gone))} does not exist") as info:
        sync(load_project(root), "tests", venv, install_project=False)
    assert not isinstance(info.value, SyncError)  # the lock is not at fault: no "regenerate the lock" hint
    assert main(["-C", str(root), "-q", "sync", "tests", "--venv", str(venv), "--no-project"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {gone} does not exist (or cannot be run)\n  hint: check the path")
