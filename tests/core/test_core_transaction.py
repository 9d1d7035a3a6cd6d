"""The transaction: all old files or all new ones, whatever fails or interrupts the commit, and nothing left behind."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import refuse_nth_replace

from sprintlock._core import transaction as tx
from sprintlock._core.errors import Terminated, WriteError
from sprintlock._core.signals import committed, deferred, raise_on_sigterm
from sprintlock._core.transaction import Transaction, check_writable, write_all

OLD = {"a.txt": "old a\n", "b.txt": "old b\n", "sub/c.txt": "old c\n"}
NEW = {"a.txt": "new a\n", "b.txt": "new b\n", "sub/c.txt": "new c\n", "d.txt": "new d\n"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    for name, text in OLD.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def contents(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): path.read_text() for path in sorted(root.rglob("*")) if path.is_file()}


def new_files(root: Path) -> dict[Path, str]:
    return {root / name: text for name, text in NEW.items()}


@pytest.fixture
def sigterm_raises() -> Iterator[None]:
    """SIGTERM raises Terminated here, as in the command line (restored afterwards)."""
    previous = signal.getsignal(signal.SIGTERM)
    raise_on_sigterm()
    yield
    signal.signal(signal.SIGTERM, previous)


def fail_after(count: int, action: Callable[[], None]) -> Callable[[int, Path], None]:
    def hook(done: int, path: Path) -> None:
        if done == count:
            action()

    return hook


def boom() -> None:
    raise RuntimeError("boom")


def test_a_commit_writes_every_file_and_leaves_nothing_else(tree: Path) -> None:
    write_all(new_files(tree), root=tree)
    assert contents(tree) == NEW  # no temporary, no backup


@pytest.mark.parametrize("count", range(1, len(NEW) + 1))
def test_an_exception_between_replacements_leaves_all_the_old_files(
    tree: Path, count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tx, "between_replacements", fail_after(count, boom))
    with pytest.raises(RuntimeError, match="boom"):
        write_all(new_files(tree), root=tree)
    assert contents(tree) == OLD


@pytest.mark.posix(reason="os.kill delivers SIGINT/SIGTERM to its own process (on Windows it terminates it)")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("count", range(1, len(NEW) + 1))
def test_a_signal_between_replacements_is_delivered_after_the_commit(
    tree: Path, count: int, signum: int, monkeypatch: pytest.MonkeyPatch, sigterm_raises: None
) -> None:
    assert threading.current_thread() is threading.main_thread()  # where signal handlers run
    monkeypatch.setattr(tx, "between_replacements", fail_after(count, lambda: os.kill(os.getpid(), signum)))
    expected = KeyboardInterrupt if signum == signal.SIGINT else Terminated
    with pytest.raises(expected):
        write_all(new_files(tree), root=tree)
    assert contents(tree) == NEW  # all new: the signal waited for the commit
    assert set(new_files(tree)) <= set(committed())  # and the command line can say so


@pytest.mark.posix(reason="os.kill delivers SIGINT/SIGTERM to its own process (on Windows it terminates it)")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_and_a_failure_leave_all_the_old_files(
    tree: Path, signum: int, monkeypatch: pytest.MonkeyPatch, sigterm_raises: None
) -> None:
    def signal_then_fail() -> None:
        os.kill(os.getpid(), signum)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tx, "between_replacements", fail_after(2, signal_then_fail))
    with pytest.raises((KeyboardInterrupt, Terminated)) as info:
        write_all(new_files(tree), root=tree)
    assert isinstance(info.value.__context__, WriteError)  # the failure, then the held-back signal
    assert contents(tree) == OLD


@pytest.mark.parametrize("failing", [1, 2, 3, 4])
def test_a_replacement_that_fails_rolls_back(
    tree: Path, failing: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As root, chmod stops nothing: the Nth rename is refused as a read-only or immutable file would be."""
    refuse_nth_replace(monkeypatch, failing, PermissionError(1, "Operation not permitted"))
    with pytest.raises(WriteError) as info:
        write_all(new_files(tree), root=tree)
    name = list(NEW)[failing - 1]
    assert str(info.value).startswith(f"cannot replace {name}: Operation not permitted; nothing was written")
    assert contents(tree) == OLD


def test_a_directory_in_the_place_of_a_file_writes_nothing(tree: Path) -> None:
    (tree / "d.txt").mkdir()
    with pytest.raises(WriteError, match=r"^d.txt is a directory, not a file; nothing was written"):
        write_all(new_files(tree), root=tree)
    assert contents(tree) == OLD
    assert (tree / "d.txt").is_dir()


def test_an_unwritable_folder_writes_nothing(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tree / "sub" and real(path, mode))
    with pytest.raises(WriteError, match=r"^cannot write sub/c.txt: sub is not writable; nothing was written"):
        write_all(new_files(tree), root=tree)
    assert contents(tree) == OLD


def test_a_temporary_that_cannot_be_written_writes_nothing(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen
    calls = []

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        calls.append(fd)
        if len(calls) == 3:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(WriteError, match=r"^cannot write sub/c.txt: No space left on device; nothing was written"):
        write_all(new_files(tree), root=tree)
    assert contents(tree) == OLD


def test_folders_made_for_new_files_go_when_nothing_is_written(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tx, "between_replacements", fail_after(1, boom))
    with pytest.raises(RuntimeError):
        write_all({tree / "a.txt": "x\n", tree / "new" / "deep" / "e.txt": "e\n"}, root=tree)
    assert not (tree / "new").exists()
    assert contents(tree) == OLD


def test_a_failed_rollback_says_where_the_old_text_is(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace
    calls = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(dst)
        if len(calls) >= 2:  # the second replacement, and the rollback of the first
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(WriteError) as info:
        write_all(new_files(tree), root=tree)
    message = str(info.value)
    assert message.startswith("cannot replace b.txt: Permission denied; the files written before it")
    assert "a.txt (Permission denied; its old text is in .a.txt." in message
    backups = [path for path in tree.iterdir() if path.name.endswith(".bak")]
    assert [path.read_text() for path in backups] == ["old a\n"]  # kept, as the message says


def test_backups_are_copies_where_hard_links_fail(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(tx, "between_replacements", fail_after(3, boom))
    with pytest.raises(RuntimeError):
        write_all(new_files(tree), root=tree)
    assert contents(tree) == OLD
    monkeypatch.setattr(tx, "between_replacements", lambda done, path: None)
    write_all(new_files(tree), root=tree)
    assert contents(tree) == NEW


def test_check_writable_accepts_a_new_file_in_a_new_folder(tmp_path: Path) -> None:
    check_writable(tmp_path / "new" / "folder" / "report.md")
    (tmp_path / "report.md").mkdir()
    with pytest.raises(WriteError, match=r"report\.md is a directory"):
        check_writable(tmp_path / "report.md", root=tmp_path)


def test_the_transaction_discards_its_temporaries_when_not_committed(tree: Path) -> None:
    with Transaction(new_files(tree), root=tree) as transaction:
        transaction.prepare()
        assert len([p for p in tree.rglob("*.tmp")]) == len(NEW)
    assert contents(tree) == OLD


def test_deferred_signals_outside_the_main_thread_are_a_no_op() -> None:
    done = []

    def work() -> None:
        with deferred():
            done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]


@pytest.mark.posix(reason="os.kill delivers SIGINT/SIGTERM to its own process (on Windows it terminates it)")
def test_an_ignored_signal_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with deferred():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
