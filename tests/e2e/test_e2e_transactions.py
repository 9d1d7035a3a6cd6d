"""Writing commands are transactions with one writer per project: faults, signals and races
leave all the old files or all the new ones, and never a staging folder or a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import refuse_nth_replace, snapshot
from initkit import init_index, init_index_dir, versions

from sprintlock import check, load_project, lock
from sprintlock._cli.exit_codes import EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USER
from sprintlock._cli.main import main
from sprintlock._core import filelock
from sprintlock._core import transaction as tx
from sprintlock._core.errors import InputError, SprintlockError
from sprintlock._lock.resolvers import Compiled, CompileJob, GroupsJob
from sprintlock._lock.resolvers.uv import UvResolver

LAYERS = {"requirements/tests.in": "testtool\n", "requirements/lint.in": "iniconfig\n"}


@pytest.fixture
def held_back(make_project: Callable[..., Path]) -> Path:
    """Two layers locked with iniconfig<2, then relaxed: an upgrade moves both locks."""
    root = make_project({"requirements/tests.in": "testtool\niniconfig<2\n", "requirements/lint.in": "iniconfig<2\n"})
    lock(load_project(root))
    (root / "requirements/tests.in").write_text("testtool\niniconfig\n")
    (root / "requirements/lint.in").write_text("iniconfig\n")
    lock(load_project(root))
    assert versions(root, "lint")["iniconfig"] == "1.0"
    return root


# --- signals: a real process, stopped while its resolver runs ---

#: Runs ``sprintlock ARGS`` whose resolver first runs a child that never ends (a slow
#: resolution); "inside" is printed once that child runs and can be stopped.
SLOW_RESOLVER = """
import contextlib, sys
from sprintlock._core import process
from sprintlock._lock.resolvers.uv import UvResolver
from sprintlock._cli.main import main

real_tracked, real_compile, real_groups = process.tracked, UvResolver.compile, UvResolver.compile_groups

@contextlib.contextmanager
def tracked(proc):
    with real_tracked(proc):
        print("inside", flush=True)
        yield

def compile(self, job):
    process.run([sys.executable, "-c", "import signal; signal.pause()"])
    return real_compile(self, job)

def compile_groups(self, job):
    process.run([sys.executable, "-c", "import signal; signal.pause()"])
    return real_groups(self, job)

process.tracked, UvResolver.compile, UvResolver.compile_groups = tracked, compile, compile_groups
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.posix(reason="SIGTERM to a child and signal.pause (Windows has neither)")
@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [(signal.SIGTERM, EXIT_TERMINATED, "terminated"), (signal.SIGINT, EXIT_INTERRUPTED, "interrupted")],
)
def test_a_signal_while_resolving_writes_nothing_and_leaves_no_staging_folder(
    make_project: Callable[..., Path], tmp_path: Path, signum: int, code: int, word: str
) -> None:
    root = make_project(LAYERS)
    lock(load_project(root))
    before = snapshot(root)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp)}
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_RESOLVER, "-C", str(root), "-q", "lock", "--all"],  # -q: no progress
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    # A resolver runs (two running at once may print on one line): the staging folder exists now.
    assert child.stdout.readline().startswith("inside")
    assert [path.name for path in private_tmp.iterdir() if path.name.startswith("sprintlock-")]
    child.send_signal(signum)
    out, err = child.communicate(timeout=120)
    assert child.returncode == code, out + err
    assert err.strip() == f"{word}: nothing was written"
    assert "Traceback" not in out + err
    assert list(private_tmp.iterdir()) == []  # the staging folder is gone
    assert snapshot(root) == before


@pytest.mark.posix(reason="os.kill with SIGINT on its own process")
def test_ctrl_c_after_a_commit_says_what_was_written(
    held_back: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGINT between two replacements waits for the commit: then the message names the files."""
    monkeypatch.setattr(tx, "between_replacements", lambda done, path: os.kill(os.getpid(), signal.SIGINT))
    assert main(["-C", str(held_back), "-q", "upgrade"]) == EXIT_INTERRUPTED  # -q: no progress
    err = capsys.readouterr().err
    assert err.startswith("interrupted after writing ")
    assert "requirements/lint.txt" in err and "requirements/tests.txt" in err
    assert versions(held_back, "lint")["iniconfig"] == "2.0"
    assert versions(held_back, "tests")["iniconfig"] == "2.0"
    assert check(load_project(held_back)).ok


# --- upgrade: prepared and validated first, then one transaction ---


def test_upgrade_with_a_directory_as_report_changes_nothing(
    held_back: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(held_back)
    folder = tmp_path / "reports"
    folder.mkdir()
    assert main(["-C", str(held_back), "upgrade", "--report", str(folder)]) == EXIT_USER
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder.as_posix()} is a directory, not a file; nothing was written")
    assert "Traceback" not in err
    assert snapshot(held_back) == before


def test_upgrade_with_a_report_under_a_file_changes_nothing(
    held_back: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(held_back)
    (tmp_path / "blocker").write_text("a file\n")
    assert main(["-C", str(held_back), "upgrade", "--json", str(tmp_path / "blocker" / "r.json")]) == EXIT_USER
    assert "blocker is a file, not a folder" in capsys.readouterr().err
    assert snapshot(held_back) == before


@pytest.mark.parametrize("failing", [1, 2, 3, 4])
def test_upgrade_writes_locks_and_reports_all_or_nothing(
    held_back: Path, tmp_path: Path, failing: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two locks and two reports, one transaction: the Nth replacement is refused (a read-only file)."""
    before = snapshot(held_back)
    refuse_nth_replace(monkeypatch, failing, PermissionError(13, "Permission denied"))
    reports = ["--report", str(tmp_path / "r.md"), "--json", str(tmp_path / "r.json")]
    assert main(["-C", str(held_back), "upgrade", *reports]) == EXIT_USER
    err = capsys.readouterr().err
    assert "Permission denied; nothing was written (every file is as it was)" in err
    assert snapshot(held_back) == before
    assert not (tmp_path / "r.md").exists() and not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("count", [1, 2])
def test_an_exception_between_replacements_of_a_lock_run_leaves_the_old_locks(
    held_back: Path, count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(held_back)

    def hook(done: int, path: Path) -> None:
        if done == count:
            raise RuntimeError("injected")

    monkeypatch.setattr(tx, "between_replacements", hook)
    with pytest.raises(RuntimeError, match="injected"):
        lock(load_project(held_back), upgrade=True)
    assert snapshot(held_back) == before


def test_a_directory_in_the_place_of_a_lock_is_exit_2(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(LAYERS)
    (root / "requirements/lint.txt").mkdir()
    assert main(["-C", str(root), "lock"]) == EXIT_USER
    err = capsys.readouterr().err
    assert "requirements/lint.txt: a folder, where a text file is expected" in err
    assert "Traceback" not in err
    assert not (root / "requirements/tests.txt").exists()
    assert [path.name for path in (root / "requirements").iterdir()] == sorted(["lint.in", "tests.in", "lint.txt"])


# --- one writer per project ---


class Gated:
    """The real uv resolver that, once inside, waits for the test to let it go on."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.go = threading.Event()
        self.real = UvResolver()

    def compile(self, job: CompileJob) -> Compiled:
        self.inside.set()
        assert self.go.wait(timeout=120)
        return self.real.compile(job)


def test_two_lock_runs_at_once_the_newer_inputs_win(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"requirements/tests.in": "testtool\n"})  # not locked yet: both runs write
    older, waiting = Gated(), threading.Event()
    results: dict[str, object] = {}
    real_warning = filelock.logger.warning

    def warning(message: str, *args: object) -> None:
        if message.startswith("waiting for"):
            waiting.set()
        real_warning(message, *args)

    monkeypatch.setattr(filelock.logger, "warning", warning)

    def run(name: str, **options: object) -> None:
        try:
            lock(load_project(root), everything=True, **options)  # type: ignore[arg-type]
            results[name] = "ok"
        except SprintlockError as exc:
            results[name] = exc

    first = threading.Thread(target=run, args=("older",), kwargs={"resolver": older})
    first.start()
    assert older.inside.wait(timeout=120)  # the older run resolves the old inputs, holding the writer lock
    (root / "requirements/tests.in").write_text("testtool\nbeta\n")  # newer inputs
    second = threading.Thread(target=run, args=("newer",))
    second.start()
    assert waiting.wait(timeout=120)  # the newer run waits for the older one
    older.go.set()
    first.join(timeout=120)
    second.join(timeout=120)
    assert isinstance(results["older"], InputError)
    assert "inputs changed while locking (requirements/tests.in); nothing was written" in str(results["older"])
    assert results["newer"] == "ok"
    assert "beta" in versions(root, "tests")
    assert check(load_project(root)).ok


def test_inputs_changed_while_locking_is_exit_2_and_writes_nothing(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(LAYERS)
    before = snapshot(root)
    real, real_groups = UvResolver.compile, UvResolver.compile_groups

    def edit() -> None:
        (root / "pyproject.toml").write_text(
            '[project]\nname = "demo"\nversion = "1.0"\ndependencies = ["alpha>=1.0", "beta"]\n'
        )

    def compile(self: UvResolver, job: CompileJob) -> Compiled:
        edit()
        return real(self, job)

    def compile_groups(self: UvResolver, job: GroupsJob) -> dict[str, Compiled]:  # the layers resolved together
        edit()
        return real_groups(self, job)

    monkeypatch.setattr(UvResolver, "compile", compile)
    monkeypatch.setattr(UvResolver, "compile_groups", compile_groups)
    assert main(["-C", str(root), "lock"]) == EXIT_USER
    err = capsys.readouterr().err
    assert "inputs changed while locking (pyproject.toml); nothing was written" in err
    after = snapshot(root)
    assert {name: after[name] for name in before if name != "pyproject.toml"} == {
        name: text for name, text in before.items() if name != "pyproject.toml"
    }
    assert set(after) == set(before)  # no lock written


def test_the_writer_lock_lives_in_git_or_the_user_cache(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    path = filelock.writer_lock_path(plain)
    assert path.parent == filelock.user_cache_dir() / "writers"
    assert not list(plain.iterdir())
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert filelock.writer_lock_path(repo) == repo / ".git" / filelock.WRITER_NAME


def test_a_held_writer_lock_times_out_with_a_clear_error(tmp_path: Path) -> None:
    held, attempt = threading.Event(), threading.Event()

    def hold() -> None:
        with filelock.project_writer(tmp_path):
            held.set()
            attempt.wait(timeout=120)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=120)
    try:
        expected = r"another sprintlock writing to .* has held .* for more than 0 s"
        with pytest.raises(SprintlockError, match=expected), filelock.project_writer(tmp_path, timeout=0):
            pass
    finally:
        attempt.set()
        holder.join()
    with filelock.project_writer(tmp_path, timeout=0):  # free again
        pass


# --- init: generated files and locks in one transaction ---

#: initkit's fixtures (the index init's standard layers resolve against), used by name below.
INIT_FIXTURES = (init_index, init_index_dir)


@pytest.mark.usefixtures("init_index")
@pytest.mark.parametrize("failing", [1, 5, 9])
def test_init_writes_all_or_nothing(
    tmp_path: Path, failing: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    (root / "src/demo").mkdir(parents=True)
    (root / "src/demo/__init__.py").write_text("")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha>=1.0"]\n'
    )
    before = snapshot(root)
    refuse_nth_replace(monkeypatch, failing, PermissionError(13, "Permission denied"))
    assert main(["-C", str(root), "init"]) == EXIT_USER
    assert "nothing was written (every file is as it was)" in capsys.readouterr().err
    assert snapshot(root) == before
    assert sorted(path.name for path in root.iterdir()) == ["pyproject.toml", "src"]  # no folder left either


# --- a writer killed where no handler runs ---

#: ``sprintlock ARGS`` that dies (``os._exit``: no handler, no rollback, as with SIGKILL)
#: right after the first lock is replaced.
KILLED_MID_COMMIT = """
import os, sys
from sprintlock._core import transaction as tx
from sprintlock._cli.main import main

tx.between_replacements = lambda done, path: os._exit(9)
sys.exit(main(sys.argv[1:]))
"""


def test_a_writer_killed_mid_commit_is_undone_by_the_next_one(
    held_back: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(held_back)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_COMMIT, "-C", str(held_back), "-q", "upgrade"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr
    left = snapshot(held_back)
    assert left != before and any(name.endswith(".bak") for name in left)  # half committed, backups left

    # The next writer finds the journal and puts the old locks back before it works.
    assert main(["-C", str(held_back), "lock"]) == 0
    assert "an interrupted write (process " in capsys.readouterr().err
    assert snapshot(held_back) == before  # every old lock, no backup or temporary left
    assert main(["-C", str(held_back), "check"]) == 0
