"""The one pyproject.toml reader: text and data, or one clear error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._core.errors import ConfigError
from sprintlock._project.config import load_project
from sprintlock._project.pyproject import read_pyproject
from sprintlock._scaffold.detect import read_pyproject as detect_read_pyproject


def test_text_and_data(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "démo"\n', encoding="utf-8")
    text, data = read_pyproject(tmp_path)
    assert text == '[project]\nname = "démo"\n'
    assert data == {"project": {"name": "démo"}}
    assert detect_read_pyproject(tmp_path) == (text, data)


def test_missing_is_an_error_only_when_required(tmp_path: Path) -> None:
    assert read_pyproject(tmp_path, required=False) == ("", {})
    with pytest.raises(ConfigError) as caught:
        read_pyproject(tmp_path)
    assert str(caught.value).startswith("pyproject.toml: no pyproject.toml\n  hint: run `sprintlock init`")


@pytest.mark.parametrize(
    ("content", "message", "hint"),
    [
        (b"[project\n", "pyproject.toml:1: invalid TOML: ", "fix the syntax error in pyproject.toml"),
        (
            b'name = "\xff"\n',
            "pyproject.toml: not UTF-8 text (invalid start byte at byte 8)",
            "save pyproject.toml as UTF-8",
        ),
    ],
)
def test_broken_files_are_one_config_error(tmp_path: Path, content: bytes, message: str, hint: str) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    for required in (True, False):
        with pytest.raises(ConfigError) as caught:
            read_pyproject(tmp_path, required=required)
        assert str(caught.value).startswith(message)
        assert caught.value.hint is not None and caught.value.hint.startswith(hint)
    # The same one message whoever reads it: init (detect) and every command (load_project).
    for reader in (detect_read_pyproject, load_project):
        with pytest.raises(ConfigError) as caught:
            reader(tmp_path)
        assert str(caught.value).startswith(message)


def test_an_unreadable_file_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\n")
    real_read_text = Path.read_text

    def denied(self: Path, *args: object, **kwargs: object) -> str:
        # The tests run as root on CI, where chmod 0 does not stop a read: inject the error.
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", denied)
    with pytest.raises(ConfigError) as caught:
        read_pyproject(tmp_path, required=False)
    assert str(caught.value).startswith("pyproject.toml: cannot read: Permission denied")
    assert caught.value.hint == "check that pyproject.toml is a readable file"
