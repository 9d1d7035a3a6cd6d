"""Global options (-C, -q, -v) before or after the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._cli.exit_codes import EXIT_PROBLEMS
from sprintlock._cli.main import build_parser, main


@pytest.mark.parametrize(
    ("argv", "verbose", "quiet"),
    [
        (["-v", "lock"], True, False),
        (["lock", "-v"], True, False),
        (["lock", "--verbose"], True, False),
        (["-q", "sync", "tests", "--venv", "v"], False, True),
        (["sync", "tests", "--venv", "v", "--quiet"], False, True),
        (["check"], False, False),
    ],
)
def test_quiet_and_verbose_before_or_after_the_command(argv: list[str], verbose: bool, quiet: bool) -> None:
    args = build_parser().parse_args(argv)
    assert (args.verbose, args.quiet) == (verbose, quiet)


def test_project_before_or_after_the_command(tmp_path: Path) -> None:
    parser = build_parser()
    assert parser.parse_args(["-C", str(tmp_path), "check"]).project == tmp_path
    assert parser.parse_args(["check", "-C", str(tmp_path)]).project == tmp_path
    assert parser.parse_args(["check"]).project == Path.cwd()
    # Given after the command, the command's value wins.
    assert parser.parse_args(["-C", "elsewhere", "check", "-C", str(tmp_path)]).project == tmp_path


def test_options_after_the_command_take_effect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    (root / "requirements" / "tests.in").write_text("alpha\n")  # never locked
    assert main(["check", "-C", str(root), "-q"]) == EXIT_PROBLEMS
    assert "requirements/tests.txt" in capsys.readouterr().out


def test_the_command_help_lists_the_global_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["lock", "--help"])
    out = capsys.readouterr().out
    assert "global options" in out and "-q, --quiet" in out and "-v, --verbose" in out and "-C PROJECT" in out
