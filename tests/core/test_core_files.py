"""All-or-nothing writes: every temporary first, then the renames; modes kept; nothing left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sprintlock._core.errors import WriteError
from sprintlock._core.files import read_text
from sprintlock._core.transaction import write_all


def temporaries(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.tmp"))


def test_write_all_writes_every_file_and_creates_folders(tmp_path: Path) -> None:
    files = {
        tmp_path / "a.txt": "first\n",
        tmp_path / "deep" / "er" / "b.txt": "second\nline\n",
    }
    write_all(files)
    assert {path: path.read_text() for path in files} == files
    assert temporaries(tmp_path) == []


def test_write_all_writes_unix_newlines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    write_all({path: "one\ntwo\n"})
    assert path.read_bytes() == b"one\ntwo\n"


def test_write_all_keeps_the_mode_of_a_replaced_file(tmp_path: Path) -> None:
    script = tmp_path / "bootstrap.sh"
    script.write_text("old\n")
    script.chmod(0o750)
    write_all({script: "new\n"})
    assert script.read_text() == "new\n"
    assert stat.S_IMODE(script.stat().st_mode) == 0o750


def test_a_new_file_gets_the_usual_mode_not_the_temporary_one(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = tmp_path / "new.txt"
        write_all({path: "x\n"})
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failing_temporary_writes_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("old\n")
    (tmp_path / "blocker").write_text("a file where a folder should be\n")
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(WriteError, match="blocker is a file, not a folder; nothing was written"):
        write_all({first: "new\n", tmp_path / "blocker" / "b.txt": "never\n"})
    assert first.read_text() == "old\n"  # the first temporary was written, but never renamed
    assert sorted(tmp_path.rglob("*")) == before
    assert temporaries(tmp_path) == []


def test_a_failing_rename_leaves_no_temporaries_and_undoes_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls = []

    def replace_once(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_once)
    files = {tmp_path / "a.txt": "a\n", tmp_path / "b.txt": "b\n", tmp_path / "c.txt": "c\n"}
    with pytest.raises(WriteError, match=r"cannot replace b\.txt: disk full; nothing was written"):
        write_all(files, root=tmp_path)
    assert len(calls) == 2
    assert temporaries(tmp_path) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == []  # a.txt, new, was removed again


def test_read_text_is_none_for_a_missing_file(tmp_path: Path) -> None:
    assert read_text(tmp_path / "missing") is None
    (tmp_path / "there").write_text("hello\n")
    assert read_text(tmp_path / "there") == "hello\n"
