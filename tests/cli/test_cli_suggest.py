"""Did you mean ...? for unknown commands and layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._cli.exit_codes import EXIT_USER
from sprintlock._cli.main import main
from sprintlock._core.suggest import closest, did_you_mean, edit_distance


@pytest.mark.parametrize(
    ("a", "b", "distance"), [("tset", "test", 1), ("tset", "tests", 2), ("kitten", "sitting", 3), ("", "dev", 3)]
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("tset", "tests"),
        ("lokc", "lock"),
        ("upgarde", "upgrade"),
        ("Docs", "docs"),
        ("doctr", "doctor"),
        ("frobnicate", None),
        ("xyz", None),
    ],
)
def test_closest(word: str, expected: str | None) -> None:
    names = ["lock", "check", "upgrade", "upgrade-pr", "dev", "docs", "doctor", "tests"]
    assert closest(word, names) == expected


def test_did_you_mean() -> None:
    assert did_you_mean("tset", ["tests", "docs"]) == "; did you mean tests?"
    assert did_you_mean("zzzz", ["tests", "docs"]) == ""


def test_an_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lokc"])
    assert info.value.code == EXIT_USER
    err = capsys.readouterr().err
    assert "invalid choice: 'lokc'" in err
    assert err.rstrip().endswith("did you mean lock?")
    assert err.count("lock?") == 1


def test_an_unknown_command_with_nothing_close(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["frobnicate"])
    assert "did you mean" not in capsys.readouterr().err


def test_an_unknown_layer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "requirements").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    for name in ("tests", "docs"):
        (tmp_path / "requirements" / f"{name}.in").write_text("alpha\n")
    assert main(["-C", str(tmp_path), "lock", "tset"]) == EXIT_USER
    err = capsys.readouterr().err
    assert "no layer named 'tset'; did you mean tests?" in err
    assert "hint: the layers are: " in err
    assert not (tmp_path / "requirements" / "tests.txt").exists()
