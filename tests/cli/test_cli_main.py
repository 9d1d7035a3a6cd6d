"""The command line's shell: one module per command, one error handler, the exit codes, the crash log."""

from __future__ import annotations

import stat
import sys
import tempfile
from pathlib import Path

import pytest

from sprintlock._cli import main as cli
from sprintlock._cli.exit_codes import EXIT_BUG, EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_USER
from sprintlock._cli.main import build_parser, commands, log_folder, main

COMMANDS = ["lock", "check", "upgrade", "upgrade-pr", "dev", "sync", "init", "doctor"]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder, empty and this test's own, to prove nothing is written there."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    return root


def explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the checker exploded")


def test_the_commands_in_help_order() -> None:
    help_text = build_parser().format_help()
    assert [name for name in COMMANDS if f"\n    {name} " in help_text] == COMMANDS
    assert len(commands()) == len(COMMANDS)


def test_only_the_named_command_is_imported() -> None:
    """`sprintlock check` (a pre-commit hook) builds the parser of `check` alone."""
    import subprocess

    code = (
        "import sys; from sprintlock._cli.main import build_parser; build_parser(['-C', 'x', 'check']);"
        "print(sorted(m for m in sys.modules if m.startswith('sprintlock._cli.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['sprintlock._cli.commands.check']"
    assert build_parser(["check"]).parse_args(["check"]).command == "check"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([name, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: sprintlock {name} ")
    assert "-h, --help" in out


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == EXIT_USER
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_check_does_not_import_the_other_commands_work() -> None:
    """`sprintlock check` is a hot path: building the parser loads no resolver, init or doctor."""
    import subprocess

    code = (
        "import sys; from sprintlock._cli.main import build_parser; build_parser();"
        "print(sorted(m for m in sys.modules if m.startswith('sprintlock.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for heavy in (
        "sprintlock._lock.resolvers",
        "sprintlock._scaffold",
        "sprintlock._doctor",
        "sprintlock._lock.engine",
    ):
        assert f"'{heavy}" not in out, out


def test_a_user_error_exits_2_with_its_message_and_hint(
    tmp_path: Path, private_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(tmp_path), "check"]) == EXIT_USER
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no requirements folder" in err
    assert "\n  hint: " in err
    assert "internal error" not in err
    assert not log_folder().exists()
    assert list(private_tmp.iterdir()) == []


def test_problems_found_exit_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "requirements" / "tests.in").write_text("alpha\n")  # never locked
    assert main(["-C", str(project), "check"]) == EXIT_PROBLEMS
    assert "requirements/tests.txt" in capsys.readouterr().out


def test_a_bug_exits_3_with_a_private_log(
    project: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sprintlock._lock.check.check", explode)
    assert main(["-C", str(project), "check"]) == EXIT_BUG
    err = capsys.readouterr().err
    assert "sprintlock: internal error: the checker exploded" in err
    log = Path(err.split("log at ")[1].split()[0])
    assert log.parent == log_folder() and log.is_relative_to(Path.home())  # the test's throwaway home
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: the checker exploded" in text
    if sys.platform != "win32":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert list(private_tmp.iterdir()) == []  # nothing in the shared temporary folder

    # A second bug gets its own log; the first one is kept.
    assert main(["-C", str(project), "check"]) == EXIT_BUG
    second = Path(capsys.readouterr().err.split("log at ")[1].split()[0])
    assert second != log and log.exists() and sorted(log_folder().iterdir()) == sorted([log, second])


def test_the_log_folder_follows_xdg_state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert log_folder() == tmp_path / "state" / "sprintlock" / "logs"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")  # invalid per the XDG specification: ignored
    assert log_folder() == Path.home() / ".local" / "state" / "sprintlock" / "logs"
    monkeypatch.delenv("XDG_STATE_HOME")
    assert log_folder() == Path.home() / ".local" / "state" / "sprintlock" / "logs"


def test_a_bug_without_a_writable_log_folder_prints_the_traceback(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the state folder should be\n")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    monkeypatch.setattr("sprintlock._lock.check.check", explode)
    assert main(["-C", str(project), "check"]) == EXIT_BUG
    err = capsys.readouterr().err
    assert "RuntimeError: the checker exploded" in err
    assert "please report it with the traceback above (no log: " in err


def test_ctrl_c_in_a_command_exits_130(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("sprintlock._lock.check.check", interrupt)
    assert main(["-C", str(project), "check"]) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "interrupted: nothing was written\n"


def test_ctrl_c_while_starting_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(argv: object = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.chdir(tmp_path)  # no project here: no memo nor lock header answers before the commands load
    monkeypatch.setattr(cli, "commands", interrupt)
    assert main(["check"]) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "interrupted: nothing was written\n"
