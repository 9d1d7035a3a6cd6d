"""The platform branches that run on every runner: where a virtual environment keeps its
programs, and the writer lock that gives up after its timeout (``fcntl`` on Linux and macOS,
``msvcrt`` on Windows, through ``filelock``).

The Windows branches of the path helpers are checked here on any system; sprintlock's own
tests workflow runs this file on Windows and macOS runners as well.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sprintlock._core.errors import SprintlockError
from sprintlock._core.filelock import exclusive
from sprintlock._core.tools import venv_python, venv_scripts

HOLDER = """\
import sys
from filelock import FileLock

lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()  # until the test closes the pipe
lock.release()
"""


@pytest.mark.parametrize(
    ("platform", "scripts", "python"),
    [
        ("linux", "bin", "bin/python"),
        ("darwin", "bin", "bin/python"),
        ("win32", "Scripts", "Scripts/python.exe"),
    ],
)
def test_the_programs_of_a_virtual_environment(
    monkeypatch: pytest.MonkeyPatch, platform: str, scripts: str, python: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    venv = Path("project") / ".venv"
    assert venv_scripts(venv) == venv / scripts
    assert venv_python(venv) == venv / python


def test_the_programs_of_this_system_s_environments_exist(tmp_path: Path) -> None:
    """The helper agrees with the environments this system really makes."""
    import venv as stdlib_venv

    stdlib_venv.create(tmp_path / "env", with_pip=False)
    assert venv_python(tmp_path / "env").is_file()
    assert venv_scripts(tmp_path / "env").is_dir()


def test_a_lock_held_by_another_process_times_out_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "writer.lock"
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(SprintlockError) as info, exclusive(path, timeout=0.2, holder="the other sync"):
            pytest.fail("the lock was taken while another process held it")
        assert info.value.message == f"the other sync has held {path} for more than 0.2 s"
        assert info.value.hint == "wait for it to finish (or stop it), then run again"
        holder.stdin.close()  # the holder releases the lock and exits
    with exclusive(path, timeout=5):  # released when the holder let go
        pass
