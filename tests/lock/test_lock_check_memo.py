"""The memo of a passing ``sprintlock check``: the same files answer without parsing; any change runs it in full."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintlock import load_project, lock
from sprintlock._cli.main import main
from sprintlock._core.cachedir import write_quietly
from sprintlock._lock import memo

LAYERS = {
    "requirements/tests.in": "alpha\n",
    "requirements/docs.in": "-r tests.in\n-c constraints.txt\nbeta\n",
    "requirements/constraints.txt": "alpha>=1.0\n",
}


@pytest.fixture
def locked(make_project: Callable[..., Path]) -> Path:
    root = make_project(LAYERS)
    lock(load_project(root))
    return root


def explode(*args: object, **kwargs: object) -> None:
    raise AssertionError("the full check ran")


def answered_from_memo(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> bool:
    """Whether ``sprintlock check`` passes without running the full check (which would explode),
    the locks' headers not asked (:mod:`sprintlock._lock.headercheck`): the memo alone answers."""
    capsys.readouterr()
    with monkeypatch.context() as patch:
        patch.setattr("sprintlock._lock.check.check", explode)
        patch.setattr("sprintlock._lock.headercheck.fresh_locks", lambda root: None)
        code = main(["-C", str(root), "check"])
    out = capsys.readouterr().out
    if code == 0:
        assert out == "2 locks are fresh\n"  # word for word what the full check prints
    return code == 0


def test_a_passing_check_is_remembered_and_answers_the_next_one(
    locked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not answered_from_memo(locked, monkeypatch, capsys)  # nothing remembered yet
    assert main(["-C", str(locked), "check"]) == 0
    assert capsys.readouterr().out == "2 locks are fresh\n"
    text = Path(memo.memo_file(str(locked.resolve()))).read_text()
    for name in ("pyproject.toml", "tests.in", "docs.in", "constraints.txt", "tests.txt", "docs.txt"):
        assert f"/{name}\n" in text  # every file the check read, nested inputs too
    assert answered_from_memo(locked, monkeypatch, capsys)
    monkeypatch.chdir(locked / "requirements")
    assert main(["check", "-q", "--project", ".."]) == 0  # the folder given another way, and -q


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("requirements/tests.in", "alpha\nbeta\n"),  # an input
        ("requirements/constraints.txt", "alpha>=1.1\n"),  # a nested input, outside any layer
        ("pyproject.toml", '[project]\nname = "demo"\nversion = "1.0"\ndependencies = ["beta"]\n'),
        ("requirements/lint.in", "beta\n"),  # a new layer
    ],
)
def test_any_change_runs_the_full_check(
    locked: Path, relative: str, text: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(locked), "check"]) == 0
    (locked / relative).write_text(text)
    assert not answered_from_memo(locked, monkeypatch, capsys)
    assert main(["-C", str(locked), "check"]) == 1  # and it finds what changed
    assert "[stale]" in capsys.readouterr().out or relative.endswith("lint.in")


def test_an_edited_lock_or_a_removed_layer_runs_the_full_check(
    locked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(locked), "check"]) == 0
    lock_file = locked / "requirements/docs.txt"
    original = lock_file.read_text()
    lock_file.write_text(original.replace("beta==", "beta ==", 1))
    assert not answered_from_memo(locked, monkeypatch, capsys)
    lock_file.write_text(original)
    assert answered_from_memo(locked, monkeypatch, capsys)  # the same text again: the same verdict
    (locked / "requirements/docs.in").unlink()
    assert not answered_from_memo(locked, monkeypatch, capsys)


def test_the_same_text_with_other_newlines_still_answers(
    locked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files are compared as check reads them (universal newlines), as a Windows checkout writes them."""
    assert main(["-C", str(locked), "check"]) == 0
    path = locked / "requirements/tests.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert answered_from_memo(locked, monkeypatch, capsys)


def test_a_file_moved_behind_a_link_runs_the_full_check(
    locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(locked), "check"]) == 0
    outside = tmp_path / "elsewhere.txt"
    nested = locked / "requirements/constraints.txt"
    outside.write_text(nested.read_text())
    nested.unlink()
    nested.symlink_to(outside)  # the same text, outside the project: the full check refuses it
    assert not answered_from_memo(locked, monkeypatch, capsys)
    assert main(["-C", str(locked), "check"]) == 2


def test_failures_other_command_lines_and_other_sprintlocks_are_never_answered(
    locked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (locked / "requirements/tests.in").write_text("alpha\nbeta\n")
    assert main(["-C", str(locked), "check"]) == 1  # a failing check writes no memo
    assert not Path(memo.memo_file(str(locked.resolve()))).exists()
    lock(load_project(locked))
    assert main(["-C", str(locked), "check"]) == 0
    with monkeypatch.context() as patch:
        patch.setattr("sprintlock._lock.check.check", explode)
        assert main(["-C", str(locked), "check", "--json"]) == 3  # --json always runs in full
        with pytest.raises(SystemExit) as error:
            main(["-C", str(locked), "check", "extra"])  # argparse's error, not the memo
        assert error.value.code == 2
    capsys.readouterr()
    assert main(["-C", str(locked), "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    monkeypatch.setattr(memo, "__version__", "0.0.0-other")
    assert not answered_from_memo(locked, monkeypatch, capsys)


def test_an_unwritable_cache_folder_costs_only_the_memo(
    locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be\n")
    monkeypatch.setenv("SPRINTLOCK_CACHE_DIR", str(blocker))
    assert main(["-C", str(locked), "check"]) == 0
    assert not answered_from_memo(locked, monkeypatch, capsys)
    assert blocker.read_text() == "a file where the cache folder should be\n"


def test_sprintlock_lock_leaves_the_memo_for_the_next_check(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The commit that adds new locks runs the pre-commit hook: it answers from the memo ``lock`` left."""
    root = make_project(LAYERS)
    assert main(["-C", str(root), "lock"]) == 0
    assert answered_from_memo(root, monkeypatch, capsys)
    (root / "requirements/tests.in").write_text("alpha\nbeta\n")  # edited, not relocked
    assert not answered_from_memo(root, monkeypatch, capsys)
    assert main(["-C", str(root), "check"]) == 1


def test_a_lock_that_writes_nothing_checks_nothing(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locks as they were: the last check's memo still answers, so ``lock`` does not check again."""
    root = make_project(LAYERS)
    assert main(["-C", str(root), "lock"]) == 0
    checks: list[object] = []
    monkeypatch.setattr("sprintlock._lock.check.check", lambda *args, **kwargs: checks.append(args))
    assert main(["-C", str(root), "lock", "--all"]) == 0  # recompiled, nothing changed
    assert checks == []


def test_lock_leaves_the_memo_through_the_full_check_when_the_headers_cannot_answer(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(LAYERS)
    with monkeypatch.context() as patch:
        patch.setattr("sprintlock._lock.headercheck.fresh_locks", lambda root: None)  # e.g. dependency groups
        assert main(["-C", str(root), "lock"]) == 0
    assert answered_from_memo(root, monkeypatch, capsys)


def test_a_memo_a_file_cannot_hold_is_no_memo(tmp_path: Path) -> None:
    """A project path with bytes that are not UTF-8 (a surrogate in the text): no memo, no error."""
    target = tmp_path / "check" / "x.memo"
    write_quietly(str(target), "folder /tmp/\udcff\n")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # and no temporary left behind
