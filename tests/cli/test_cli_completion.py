"""Shell completion through argcomplete (installed here as nox's dependency; optional for sprintlock)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("argcomplete")


def complete(line: str, cwd: Path, tmp_path: Path) -> list[str]:
    """What a shell gets for the command line ``line`` (the cursor at its end)."""
    out = tmp_path / "completions"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
    }
    result = subprocess.run(
        [sys.executable, "-m", "sprintlock"], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return sorted(word.strip() for word in out.read_text().split("\x0b"))


def test_commands_options_and_layers(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    for name in ("tests", "typing", "docs"):
        (root / "requirements" / f"{name}.in").write_text("alpha\n")
    assert complete("sprintlock up", root, tmp_path) == ["upgrade", "upgrade-pr"]
    assert complete("sprintlock lock --a", root, tmp_path) == ["--all"]
    assert complete("sprintlock lock t", root, tmp_path) == ["tests", "typing"]
    assert complete(f"sprintlock -C {root} sync d", tmp_path, tmp_path) == ["docs"]


def test_the_entry_point_carries_the_marker() -> None:
    """Global completion (activate-global-python-argcomplete) looks for it near the top of the script's module."""
    import sprintlock._cli.main as entry

    assert "PYTHON_ARGCOMPLETE_OK" in Path(entry.__file__).read_text()[:1024]
