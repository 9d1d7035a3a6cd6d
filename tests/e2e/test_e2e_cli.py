"""The command line's conventions on real projects: --json documents, progress on standard error."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # check-jsonschema's dependency; no stubs locked
import pytest
from conftest import ROOT

from sprintlock._cli.exit_codes import EXIT_OK, EXIT_PROBLEMS
from sprintlock._cli.main import main
from sprintlock._core.tools import find_uv

SCHEMAS = ROOT / "docs" / "schemas"
LAYERS = {"requirements/tests.in": "testtool\n", "requirements/docs.in": "docbuilder\n"}


def document(command: str, capsys: pytest.CaptureFixture[str]) -> Any:
    """Standard output as one JSON document, valid against the command's published schema."""
    out = capsys.readouterr().out
    parsed = json.loads(out)  # nothing else on standard output
    schema = json.loads((SCHEMAS / f"{command}.v1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(parsed, schema, cls=jsonschema.Draft202012Validator)
    assert parsed["schema"] == f"sprintlock.{command}/1"
    return parsed


def test_lock_json(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(LAYERS)
    assert main(["-C", str(root), "lock", "--json"]) == EXIT_OK
    first = document("lock", capsys)
    assert [(layer["name"], layer["path"], layer["state"]) for layer in first["layers"]] == [
        ("docs", "requirements/docs.txt", "written"),
        ("tests", "requirements/tests.txt", "written"),
    ]
    this = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert this in first["layers"][0]["covers"]["python"]
    assert first["layers"][0]["missing"] is None

    assert main(["lock", "--json", "-C", str(root)]) == EXIT_OK
    assert {layer["state"] for layer in document("lock", capsys)["layers"]} == {"up to date"}

    assert main(["-C", str(root), "lock", "--all", "--json"]) == EXIT_OK
    assert {layer["state"] for layer in document("lock", capsys)["layers"]} == {"unchanged"}


def test_check_json(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(LAYERS)
    assert main(["-C", str(root), "-q", "lock"]) == EXIT_OK
    capsys.readouterr()
    assert main(["-C", str(root), "check", "--json"]) == EXIT_OK
    fresh = document("check", capsys)
    assert fresh["ok"] is True and fresh["problems"] == [] and fresh["checked"] == ["docs", "tests"]

    (root / "requirements" / "tests.in").write_text("testtool\nbeta\n")
    lock = root / "requirements" / "docs.txt"
    lock.write_text(lock.read_text().replace("docbuilder==", "docbuilder==9", 1))
    assert main(["-C", str(root), "check", "--json"]) == EXIT_PROBLEMS
    stale = document("check", capsys)
    assert stale["ok"] is False
    by_code = {problem["code"]: problem for problem in stale["problems"]}
    assert by_code["stale"]["path"] == "requirements/tests.txt"
    assert by_code["stale"]["hint"] == "run `sprintlock lock tests`"
    assert by_code["edited"]["path"] == "requirements/docs.txt"


def test_sync_json(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(LAYERS)
    assert main(["-C", str(root), "-q", "lock"]) == EXIT_OK
    venv = tmp_path / "venv"
    subprocess.run([find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    capsys.readouterr()
    command = ["-C", str(root), "sync", "tests", "--venv", str(venv), "--no-project", "--json"]
    assert main(command) == EXIT_OK
    first = document("sync", capsys)
    assert first["skipped"] is False and first["layer"] == "tests" and first["venv"] == str(venv)
    assert any(item.startswith("testtool==") for item in first["installed"])
    assert first["removed"] == first["repaired"] == first["strays"] == []

    assert main(command) == EXIT_OK
    again = document("sync", capsys)
    assert again["skipped"] is True and again["installed"] == []


def test_lock_shows_each_layer_on_stderr_unless_quiet(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(LAYERS)
    assert main(["-C", str(root), "lock"]) == EXIT_OK
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    for layer in ("docs", "tests"):
        assert f"locking {layer} ..." in lines  # not a terminal: plain lines, no redrawing
        assert any(re.fullmatch(rf"locked {layer} \(\d+\.\ds\)", line) for line in lines), lines
    assert "\r" not in captured.err
    assert "locking" not in captured.out  # results only on stdout
    assert "requirements/tests.txt: written" in captured.out

    assert main(["-C", str(root), "lock", "--all", "-q"]) == EXIT_OK
    quiet = capsys.readouterr()
    assert quiet.err == ""
    assert "requirements/tests.txt: unchanged" in quiet.out


def test_sync_shows_its_steps_on_stderr(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(LAYERS)
    assert main(["-C", str(root), "-q", "lock"]) == EXIT_OK
    venv = tmp_path / "venv"
    subprocess.run([find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    capsys.readouterr()
    assert main(["-C", str(root), "sync", "tests", "--venv", str(venv), "--no-project"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "installing the lock with uv ..." in err
    assert re.search(r"installing the lock with uv: done \(\d+\.\ds\)", err), err


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_live_line_on_a_pseudo_terminal(make_project: Callable[..., Path]) -> None:
    import pty

    root = make_project(LAYERS)
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "sprintlock", "-C", str(root), "lock"],
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            env={**os.environ, "TERM": "xterm"},
            check=False,
        )
        os.close(follower)
        follower = -1
        shown = _read_all(leader)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert result.returncode == 0, shown
    assert "\r\x1b[Klocking" in shown  # redrawn in place
    assert re.search(r"locked tests \(\d+\.\ds\)", shown), shown
    assert "locking tests ..." not in shown  # no plain start lines on a terminal
    assert "requirements/tests.txt: written" in result.stdout


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()
