"""Colour on a terminal only, honouring NO_COLOR and FORCE_COLOR; plain text otherwise."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintlock import load_project, lock
from sprintlock._cli.exit_codes import EXIT_OK, EXIT_USER
from sprintlock._cli.main import main
from sprintlock._cli.style import enabled

ESC = "\x1b["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_colour_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.fixture
def fresh(make_project: Callable[..., Path]) -> Path:
    """A project with one fresh lock (locked by uv against the fake index)."""
    root = make_project({"requirements/tests.in": "testtool\n"})
    lock(load_project(root))
    return root


def test_a_terminal_gets_colour_a_pipe_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    assert enabled(Terminal())
    assert not enabled(io.StringIO())
    monkeypatch.setenv("TERM", "dumb")
    assert not enabled(Terminal())


def test_no_color_wins_over_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert enabled(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not enabled(Terminal())
    monkeypatch.setenv("NO_COLOR", "")  # empty: not set (no-color.org)
    assert enabled(io.StringIO())


def test_plain_output_when_not_a_terminal(tmp_path: Path, fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(fresh), "check"]) == EXIT_OK
    assert capsys.readouterr().out == "1 lock is fresh\n"
    assert main(["-C", str(tmp_path), "check"]) == EXIT_USER
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ESC not in err


def test_forced_colour(
    tmp_path: Path, fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(["-C", str(fresh), "check"]) == EXIT_OK
    assert capsys.readouterr().out == "1 lock is \x1b[32mfresh\x1b[0m\n"
    assert main(["-C", str(tmp_path), "check"]) == EXIT_USER
    err = capsys.readouterr().err
    assert err.startswith("\x1b[1;31merror:\x1b[0m ")
    assert "\n\x1b[2m  hint: " in err


def test_no_color_on_a_forced_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["-C", str(tmp_path), "check"]) == EXIT_USER
    assert ESC not in capsys.readouterr().err
