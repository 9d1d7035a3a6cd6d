"""A synced environment changed by hand is found and repaired: real uv and pip, the fake index.

Each case tampers with an environment after a sync, then asserts that the next sync
sees it (an install command runs), repairs exactly what was touched, and leaves an
environment whose stamp matches again (the sync after that runs no subprocess).
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import subprocess
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from test_sync import Recorder, expected, installed, make_venv, uv_pip, write_project

from sprintlock import Project, SyncError, SyncResult, sync
from sprintlock._cli.main import main
from sprintlock._core.process import Result, run
from sprintlock._env.stamp import STAMP_NAME
from sprintlock._env.sync import venv_python
from sprintlock._lock.header import split_body

SITE = f"lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the site-packages layout of POSIX venvs")


@pytest.fixture
def project(tmp_path: Path, offline_tools_index: Path) -> Project:
    return write_project(tmp_path / "project")


@pytest.fixture
def venv(project: Project, tmp_path: Path) -> Path:
    venv = make_venv(tmp_path / "venv", "uv")
    sync(project, "tests", venv)
    assert_stamp_matches(project, venv)
    return venv


def assert_stamp_matches(project: Project, venv: Path, installer: str | None = None) -> None:
    recorder = Recorder()
    assert sync(project, "tests", venv, runner=recorder, installer=installer).skipped
    assert recorder.calls == []  # the stat-level check passed: no subprocess at all


def resync(project: Project, venv: Path, installer: str | None = None) -> tuple[SyncResult, list[list[str]]]:
    recorder = Recorder()
    result = sync(project, "tests", venv, runner=recorder, installer=installer)
    assert not result.skipped
    assert installed(venv) == expected(project)
    assert_stamp_matches(project, venv, installer)
    return result, recorder.calls


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_a_deleted_file_is_reinstalled(project: Project, tmp_path: Path, installer: str) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    sync(project, "tests", venv, installer=installer)
    module = venv / SITE / "alpha" / "__init__.py"
    original = module.read_bytes()
    module.unlink()
    result, calls = resync(project, venv, installer)
    assert result.repaired == ("alpha==2.0",)
    assert result.installed == ("alpha==2.0",)
    assert result.removed == ()
    assert module.read_bytes() == original
    # Reinstalled from the hash-checked wheel, and only alpha.
    repair = next(cmd for cmd in calls if "--require-hashes" in cmd)
    requirements = Path(repair[repair.index("-r") + 1])
    assert not requirements.exists()  # the temporary requirements file is gone
    assert ("--reinstall" if installer == "uv" else "--force-reinstall") in repair


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_an_edited_file_is_reinstalled(project: Project, tmp_path: Path, installer: str) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    sync(project, "tests", venv, installer=installer)
    module = venv / SITE / "beta" / "__init__.py"
    original = module.read_bytes()
    module.write_bytes(original + b"import os  # planted\n")
    result, _ = resync(project, venv, installer)
    assert result.repaired == ("beta==2.0",)
    assert module.read_bytes() == original


def test_an_edit_in_one_environment_reaches_neither_the_cache_nor_another(
    project: Project, venv: Path, tmp_path: Path
) -> None:
    """uv copies files into a synced environment: nothing is hard-linked to its cache."""
    module = venv / SITE / "alpha" / "__init__.py"
    assert module.stat().st_nlink == 1
    original = module.read_bytes()
    module.write_bytes(b"EDITED = True\n")
    other = make_venv(tmp_path / "other", "uv")
    sync(project, "tests", other)
    assert (other / SITE / "alpha" / "__init__.py").read_bytes() == original
    resync(project, venv)
    assert module.read_bytes() == original


def test_an_added_pth_file_and_package_are_removed(project: Project, venv: Path) -> None:
    site = venv / SITE
    (site / "evil.pth").write_text("import os; os.environ['PLANTED'] = '1'\n")
    (site / "planted").mkdir()
    (site / "planted" / "__init__.py").write_text("")
    (site / "alpha" / "extra.py").write_text("X = 1\n")  # inside a locked package's folder
    result, calls = resync(project, venv)
    assert result.strays == (
        f"{SITE}/alpha/extra.py",
        f"{SITE}/evil.pth",
        f"{SITE}/planted",
    )
    assert result.repaired == ()
    assert not [cmd for cmd in calls if "install" in cmd]  # no package needed reinstalling
    assert not (site / "evil.pth").exists()
    assert not (site / "planted").exists()
    assert not (site / "alpha" / "extra.py").exists()
    assert (site / "alpha" / "__init__.py").is_file()


def test_python_caches_are_no_difference(project: Project, venv: Path) -> None:
    """Importing writes __pycache__ folders into site-packages: the stamp still matches."""
    code = "import alpha, beta, testtool, iniconfig"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([str(venv_python(venv)), "-c", code], check=True, capture_output=True, env=env)
    assert list((venv / SITE).glob("*/__pycache__"))
    assert_stamp_matches(project, venv)


def _other_bytes(wheel: Path, out: Path) -> Path:
    """The same name and version as ``wheel``, with other module bytes (and a RECORD to match)."""
    target = out / wheel.name
    with zipfile.ZipFile(wheel) as source:
        files = {name: source.read(name) for name in source.namelist()}
    module = next(name for name in files if name.endswith("/__init__.py"))
    files[module] += b"PLANTED = True\n"
    record = next(name for name in files if name.endswith("/RECORD"))

    def row(name: str, data: bytes) -> str:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        return f"{name},sha256={digest},{len(data)}\n"

    files[record] = ("".join(row(n, d) for n, d in files.items() if n != record) + f"{record},,\n").encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return target


def test_the_same_version_from_other_bytes_is_reinstalled(
    project: Project, venv: Path, offline_tools_index: Path, tmp_path: Path
) -> None:
    wheel = next((offline_tools_index.parent / "files").glob("alpha-2.0-*.whl"))
    (tmp_path / "other").mkdir()
    other = _other_bytes(wheel, tmp_path / "other")
    uv_pip(venv, "install", "--reinstall", "--no-deps", str(other))
    module = venv / SITE / "alpha" / "__init__.py"
    assert b"PLANTED" in module.read_bytes()
    assert "alpha==2.0" in installed(venv)  # the same name and version: only the bytes differ
    result, _ = resync(project, venv)
    assert result.repaired == ("alpha==2.0",)
    assert b"PLANTED" not in module.read_bytes()


def test_a_downgrade_is_undone(project: Project, venv: Path) -> None:
    uv_pip(venv, "install", "--no-deps", "alpha==1.0")
    assert "alpha==1.0" in installed(venv)
    result, _ = resync(project, venv)
    assert result.installed == ("alpha==2.0",)
    assert result.removed == ("alpha==1.0",)
    assert result.repaired == ()


def test_an_extra_package_is_removed(project: Project, venv: Path) -> None:
    uv_pip(venv, "install", "typing-extensions==4.12.0")
    result, _ = resync(project, venv)
    assert result.removed == ("typing-extensions==4.12.0",)
    assert result.installed == ()
    assert not (venv / SITE / "typing_extensions.py").exists()


def test_verify_finds_an_edit_that_kept_size_and_time(
    project: Project, venv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = venv / SITE / "alpha" / "__init__.py"
    original = module.read_bytes()
    info = module.stat()
    module.write_bytes(original.replace(b"2.0", b"6.6"))  # same size
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert sync(project, "tests", venv).skipped  # the stat-level check cannot see it (by design)
    assert main(["-C", str(project.root), "sync", "tests", "--venv", str(venv), "--verify"]) == 0
    assert capsys.readouterr().out == f"{venv}: synced to the tests lock (1 installed, 0 removed, 1 repaired)\n"
    assert module.read_bytes() == original
    assert main(["-C", str(project.root), "sync", "tests", "--venv", str(venv), "--verify"]) == 0
    assert capsys.readouterr().out == f"{venv}: up to date with the tests lock (verified file by file)\n"


def test_a_touched_file_is_verified_then_trusted_again(project: Project, venv: Path) -> None:
    module = venv / SITE / "alpha" / "__init__.py"
    os.utime(module, ns=(0, 0))  # the bytes are unchanged
    recorder = Recorder()
    result = sync(project, "tests", venv, runner=recorder)
    assert (result.skipped, result.verified) == (True, True)
    assert not [cmd for cmd in recorder.calls if "install" in cmd]
    assert_stamp_matches(project, venv)


def test_a_lost_stamp_trusts_nothing(project: Project, venv: Path) -> None:
    (venv / STAMP_NAME).unlink()
    result, _ = resync(project, venv)
    assert set(result.repaired) == expected(project) - {"demo==1.0"}


@pytest.mark.posix(reason="a symbolic link to the interpreter")
def test_a_python_installation_is_refused_and_untouched(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A prefix with bin/python but no pyvenv.cfg (pyenv's, a self-built one) is not a venv."""
    prefix = tmp_path / "python"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "python").symlink_to(sys.executable)
    site = prefix / SITE
    site.mkdir(parents=True)
    (site / "keep-1.0.dist-info").mkdir()
    (site / "keep-1.0.dist-info" / "METADATA").write_text("Name: keep\nVersion: 1.0\n")
    before = sorted(str(p.relative_to(prefix)) for p in prefix.rglob("*"))
    assert main(["-C", str(project.root), "sync", "tests", "--venv", str(prefix)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {prefix} is not a virtual environment (no pyvenv.cfg)")
    assert "hint: create a virtual environment" in err
    assert sorted(str(p.relative_to(prefix)) for p in prefix.rglob("*")) == before  # not even a lock file


def _script(path: Path, text: str, mode: int) -> None:
    path.unlink()
    path.write_text(text)
    path.chmod(mode)


@pytest.mark.posix(reason="sh scripts and symbolic links stand in for a broken interpreter")
@pytest.mark.parametrize(
    ("breaking", "message"),
    [
        ("exits", "bin/python exited with code 1:\n  broken"),
        ("not executable", "Permission denied"),
        ("dangling", "bin/python points to"),
        ("prints garbage", "does not answer like a Python"),
    ],
)
def test_an_interpreter_that_does_not_run_is_a_user_error(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], breaking: str, message: str
) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    python = venv_python(venv)
    if breaking == "exits":
        _script(python, "#!/bin/sh\necho broken >&2\nexit 1\n", 0o755)
    elif breaking == "not executable":
        _script(python, "#!/bin/sh\nexit 0\n", stat.S_IRUSR | stat.S_IWUSR)
    elif breaking == "dangling":
        python.unlink()
        python.symlink_to(tmp_path / "removed-python")
    else:
        _script(python, "#!/bin/sh\necho hello\n", 0o755)
    code = main(["-C", str(project.root), "sync", "tests", "--venv", str(venv)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"error: the interpreter of {venv} does not ")
    assert message in err
    assert "Traceback" not in err
    assert "delete the environment and create it again" in err
    assert not (venv / STAMP_NAME).exists()


def test_a_damaged_lock_is_named_by_its_line_in_the_file(project: Project, tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "venv", "uv")
    path = project.requirements_dir / "tests.txt"
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("beta=="))
    lines[number] = "beta>=2.0 \\\n"
    path.write_text("".join(lines))
    assert split_body(text)[0].count("\n") > 5  # the header is long: a line within the body would be wrong
    with pytest.raises(SyncError) as info:
        sync(project, "tests", venv)
    assert str(info.value).startswith(f"requirements/tests.txt:{number + 1}: not a pinned requirement: 'beta>=2.0")
    assert not (venv / STAMP_NAME).exists()


def test_a_package_spoiled_by_the_installer_is_reinstalled_and_checked_again(project: Project, tmp_path: Path) -> None:
    # The first hash-checked install leaves an edited file behind (a spoiled installer
    # cache): the sync reinstalls that package bypassing the cache, and runs the
    # dependency check again, since the first one ran while the files were being hashed.
    venv = make_venv(tmp_path / "venv", "uv")
    calls: list[list[str]] = []

    def spoiling(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        calls.append(list(cmd))
        result = run(cmd, cwd=cwd, env=env)
        if sum("--require-hashes" in call for call in calls) == 1 and "--require-hashes" in cmd:
            with (venv / SITE / "alpha" / "__init__.py").open("a") as handle:
                handle.write("# spoiled\n")
        return result

    sync(project, "tests", venv, runner=spoiling)
    installs = [call for call in calls if "--require-hashes" in call]
    assert len(installs) == 2 and {"--reinstall", "--no-cache"} <= set(installs[1])
    assert sum(call[1:3] == ["pip", "check"] for call in calls) == 2
    assert installed(venv) == expected(project)
    assert_stamp_matches(project, venv)
