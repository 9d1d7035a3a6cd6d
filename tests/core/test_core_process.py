"""The one subprocess helper: captured output, typed failures, a user error for a missing program."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from sprintlock import CommandFailed, SprintlockError, ToolMissingError
from sprintlock._core.errors import ProgramNotFound
from sprintlock._core.process import Result, run, run_checked, tail

PRINT_BOTH = "import sys; print('to stdout'); print('to stderr', file=sys.stderr); sys.exit(4)"


def test_run_captures_both_streams_and_the_exit_code(tmp_path: Path) -> None:
    result = run([sys.executable, "-c", PRINT_BOTH], cwd=tmp_path)
    assert result == Result(4, "to stdout\n", "to stderr\n")


def test_run_passes_the_folder_and_extra_environment(tmp_path: Path) -> None:
    code = "import os; print(os.getcwd()); print(os.environ['SPRINTLOCK_TEST_VALUE'])"
    result = run([sys.executable, "-c", code], cwd=tmp_path, env={"SPRINTLOCK_TEST_VALUE": "seen"})
    assert result.stdout.split() == [str(tmp_path.resolve()), "seen"]


def test_a_missing_program_is_a_user_error_naming_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no git here
    with pytest.raises(ProgramNotFound) as info:
        run(["git", "status"])
    error = info.value
    assert isinstance(error, ToolMissingError) and isinstance(error, SprintlockError)
    assert error.exit_code == 2
    assert error.message == "git is not installed (or not on PATH)"
    assert error.hint is not None and "install git" in error.hint
    assert str(error) == f"git is not installed (or not on PATH)\n  hint: {error.hint}"
    # Still a CommandFailed (127, as a shell says), for callers that treat both alike.
    assert isinstance(error, CommandFailed)
    assert (error.cmd, error.returncode) == (["git", "status"], 127)


def test_an_unknown_program_gets_a_generic_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ProgramNotFound, match=r"^frobnicate is not installed \(or not on PATH\)") as info:
        run(["frobnicate"])
    assert info.value.hint == "install frobnicate, or put it on PATH"


def test_a_missing_path_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "venv" / "bin" / "python"
    with pytest.raises(ProgramNotFound, match="does not exist") as info:
        run([str(missing), "-c", "pass"])
    assert info.value.message.startswith(str(missing))
    assert info.value.hint is not None and "check the path" in info.value.hint


def test_a_missing_folder_is_not_a_missing_program(tmp_path: Path) -> None:
    with pytest.raises(CommandFailed) as info:
        run([sys.executable, "-c", "pass"], cwd=tmp_path / "nowhere")
    assert not isinstance(info.value, SprintlockError)  # sprintlock's bug, not the user's


def test_run_checked_returns_the_result_of_a_success() -> None:
    assert run_checked([sys.executable, "-c", "print('fine')"]).stdout == "fine\n"


def test_run_checked_raises_with_the_command_code_and_output() -> None:
    cmd = [sys.executable, "-c", PRINT_BOTH]
    with pytest.raises(CommandFailed) as info:
        run_checked(cmd)
    assert not isinstance(info.value, SprintlockError)
    assert (info.value.cmd, info.value.returncode) == (cmd, 4)
    assert info.value.output == "to stdout\nto stderr\n"
    assert str(info.value).startswith("command failed with exit code 4: ")


def test_run_checked_uses_the_injected_runner() -> None:
    calls: list[list[str]] = []

    def runner(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        calls.append(list(cmd))
        return Result(1, "", "refused")

    with pytest.raises(CommandFailed, match="exit code 1") as info:
        run_checked(["anything", "at", "all"], runner=runner)
    assert calls == [["anything", "at", "all"]]
    assert info.value.output == "refused"


def test_tail_keeps_the_last_non_blank_lines_indented() -> None:
    output = "\n".join(f"line {n}" for n in range(30)) + "\n\n   \n"
    shown = tail(output, lines=3)
    assert shown == "  line 27\n  line 28\n  line 29"
    assert tail("") == ""


def test_callers_that_catch_command_failed_still_catch_a_missing_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``git ls-remote`` for pin refreshing treats "no git" as "tags unknown", as before."""
    from sprintlock._standard.workflows.actions import git_ls_remote

    monkeypatch.setenv("PATH", str(tmp_path))
    assert git_ls_remote(str(tmp_path))("actions/checkout") is None
