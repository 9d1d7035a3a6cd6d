"""Every problem with the user's files, configuration or tools: exit 2, one message naming the
file (and line) and what to do; never exit 3, never a traceback, nothing written."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import snapshot

from sprintlock import load_project, lock
from sprintlock._cli.main import main
from sprintlock._core.errors import InputError
from sprintlock._core.files import read_text
from sprintlock._core.tools import current_version

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.9"\ndependencies = ["alpha>=1.0"]\n'
CURRENT = current_version()
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """``sprintlock -C ROOT ARGS...`` in-process: exit code, stdout, stderr."""

    def run(root: Path, *args: str) -> tuple[int, str, str]:
        code = main(["-C", str(root), *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert code != 3, err
        return code, out, err

    return run


def user_error(cli: Cli, root: Path, *args: str, where: str, says: str) -> str:
    """Run a command that must stop with exit 2, naming ``where`` and saying ``says``; nothing written."""
    before = snapshot(root) if root.is_dir() else None
    code, out, err = cli(root, *args)
    assert code == 2, out + err
    assert err.startswith(f"error: {where}"), err
    assert says in err
    assert "hint: " in err
    if before is not None:
        assert snapshot(root) == before
    return err


@pytest.mark.parametrize("command", ["check", "lock"])
def test_an_in_file_that_is_not_utf8(make_project: Callable[..., Path], cli: Cli, command: str) -> None:
    root = make_project({})
    (root / "requirements").mkdir()
    (root / "requirements/tests.in").write_bytes(b"alpha\n# caf\xe9\n")
    user_error(cli, root, command, where="requirements/tests.in:2:", says="not UTF-8")


@pytest.mark.parametrize("command", ["check", "lock"])
def test_a_lock_that_is_not_utf8(make_project: Callable[..., Path], cli: Cli, command: str) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"})
    (root / "requirements/tests.txt").write_bytes(b"# header\nalpha==1.0 \\\n    --hash=sha256:\xff\n")
    user_error(cli, root, command, where="requirements/tests.txt:3:", says="not UTF-8")


@pytest.mark.parametrize("command", ["check", "lock", "upgrade"])
def test_a_lock_that_is_a_folder(make_project: Callable[..., Path], cli: Cli, command: str) -> None:
    root = make_project({"requirements/tests.in": "alpha\n", "requirements/tests.txt/x": ""})
    user_error(cli, root, command, where="requirements/tests.txt:", says="a folder")


def test_a_pyproject_that_is_not_utf8(make_project: Callable[..., Path], cli: Cli) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"}, pyproject="")
    (root / "pyproject.toml").write_bytes(b'[project]\nname = "d\xe9mo"\n')
    user_error(cli, root, "check", where="pyproject.toml:", says="not UTF-8")


def test_an_unreadable_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every file is readable: the permission error is injected."""
    path = tmp_path / "tests.txt"
    path.write_text("# lock\n")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as info:
        read_text(path, root=tmp_path, hint="delete it")
    assert (info.value.where, info.value.message) == ("tests.txt", "cannot read: Permission denied")


@pytest.mark.posix(reason="symbolic links (Windows needs developer mode)")
def test_an_in_file_linked_from_outside_the_project(make_project: Callable[..., Path], cli: Cli) -> None:
    root = make_project({"requirements/docs.in": "alpha\n"})
    outside = root.parent / "elsewhere.in"
    outside.write_text("alpha\n")
    (root / "requirements/tests.in").symlink_to(outside)
    user_error(cli, root, "check", where="requirements/tests.in:", says="outside the project")


@pytest.mark.posix(reason="symbolic links (Windows needs developer mode)")
def test_a_requirements_folder_linked_from_outside(make_project: Callable[..., Path], cli: Cli) -> None:
    root = make_project({})
    outside = root.parent / "shared-requirements"
    outside.mkdir()
    (outside / "tests.in").write_text("alpha\n")
    (root / "requirements").symlink_to(outside)
    user_error(cli, root, "lock", where="requirements:", says="outside the project")


def test_a_requirements_setting_leading_out_of_the_project(make_project: Callable[..., Path], cli: Cli) -> None:
    root = make_project({}, pyproject=PYPROJECT + '[tool.sprintlock]\nrequirements = "../reqs"\n')
    user_error(cli, root, "check", where="pyproject.toml:7:", says="inside the project")


def test_a_very_deep_chain_of_references(make_project: Callable[..., Path], cli: Cli) -> None:
    depth = 3000  # far beyond Python's recursion limit
    files = {f"requirements/chain/n{i}.in": f"-r n{i + 1}.in\n" for i in range(depth)}
    files[f"requirements/chain/n{depth}.in"] = "alpha\n"
    root = make_project({**files, "requirements/tests.in": "-r chain/n0.in\n"})
    code, out, _ = cli(root, "check")
    assert (code, out.splitlines()[0]) == (1, "requirements/tests.txt: [missing] lock file is missing")


def test_a_deep_cycle_names_it(make_project: Callable[..., Path], cli: Cli) -> None:
    files = {f"requirements/chain/n{i}.in": f"-r n{i + 1}.in\n" for i in range(1500)}
    files["requirements/chain/n1500.in"] = "-r n0.in\n"
    root = make_project({**files, "requirements/tests.in": "-r chain/n0.in\n"})
    user_error(cli, root, "check", where="requirements/chain/n1500.in:1:", says="circular reference")


def test_a_fifo_named_like_an_input_does_not_block(make_project: Callable[..., Path], cli: Cli) -> None:
    root = make_project({"requirements/docs.in": "alpha\n"})
    os.mkfifo(root / "requirements/tests.in")
    user_error(cli, root, "check", where="requirements/tests.in:", says="not a regular file")


def test_a_fifo_named_like_a_lock_does_not_block(make_project: Callable[..., Path], cli: Cli) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"})
    os.mkfifo(root / "requirements/tests.txt")
    user_error(cli, root, "check", where="requirements/tests.txt:", says="not a regular file")


def test_project_folder_missing(tmp_path: Path, cli: Cli) -> None:
    err = user_error(cli, tmp_path / "nowhere", "check", where=str(tmp_path / "nowhere"), says="does not exist")
    assert "requirements" not in err


def test_project_folder_is_a_file(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "file").write_text("")
    user_error(cli, tmp_path / "file", "lock", where=str(tmp_path / "file"), says="is a file, not a folder")


@pytest.mark.parametrize("name", ["_project", "_all-layers", "_out-tests", "_constraints"])
def test_layers_named_like_sprintlock_files_lock_normally(make_project: Callable[..., Path], name: str) -> None:
    """sprintlock's own staging files live apart from the project's: no layer name collides."""
    root = make_project({f"requirements/{name}.in": "beta\n", "requirements/tests.in": "testtool\n"})
    lock(load_project(root))
    text = (root / f"requirements/{name}.txt").read_text()
    assert "\nbeta==" in text and "testtool" not in text
    assert "# via -r requirements/" not in text
    assert main(["-C", str(root), "check"]) == 0


@pytest.mark.parametrize(
    ("pyproject", "where", "says"),
    [
        (PYPROJECT + '[tool.sprintlock]\npython = ["3.99"]\n', "pyproject.toml:7:", "unknown Python versions ['3.99']"),
        (PYPROJECT + '[tool.sprintlock]\nplatforms = ["amiga"]\n', "pyproject.toml:7:", "unknown platforms"),
        ('tool.sprintlock.python = ["3.7"]\n', "pyproject.toml:1:", "unknown Python versions ['3.7']"),
        ('[project]\nname = "x"\ndependencies = "alpha"\n', "pyproject.toml:3:", "must be a list of strings"),
        ("tool = 5\n", "pyproject.toml:1:", "[tool] must be a table"),
        ('project = "x"\n', "pyproject.toml:1:", "[project] must be a table"),
        ("[project]\nrequires-python = 3.10\n", "pyproject.toml:2:", "must be a string"),
        ("[project]\ndependencies = [1]\n", "pyproject.toml:2:", "must be a list of strings"),
        ("[project]\nname = 5\n", "pyproject.toml:2:", "`name` must be a string"),
        ("[tool]\nsprintlock = { hashes = 1 }\n", "pyproject.toml:2:", "`hashes` must be true or false"),
        ("[[tool.sprintlock]]\nhashes = true\n", "pyproject.toml:1:", "[tool.sprintlock] must be a table"),
    ],
)
def test_bad_configuration_at_its_line(
    make_project: Callable[..., Path], cli: Cli, pyproject: str, where: str, says: str
) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"}, pyproject=pyproject)
    user_error(cli, root, "check", where=where, says=says)
    user_error(cli, root, "lock", where=where, says=says)


@pytest.fixture
def locked(make_project: Callable[..., Path]) -> Path:
    root = make_project({"requirements/tests.in": "testtool\n"})
    lock(load_project(root))
    return root


def test_upgrade_of_a_package_no_lock_pins(locked: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_resolving(*args: object, **kwargs: object) -> None:
        raise AssertionError("resolved before refusing the name")

    monkeypatch.setattr("sprintlock._lock.upgrade.lock", no_resolving)
    err = user_error(cli, locked, "upgrade", "testtol", where="requirements:", says="no lock pins testtol")
    assert "did you mean testtool?" in err


def test_upgrade_of_a_pinned_package_still_works(locked: Path, cli: Cli) -> None:
    code, out, err = cli(locked, "upgrade", "testtool")
    assert code == 0, err
    assert "no changes" in out


@pytest.mark.parametrize(
    "line",
    [
        "pkg @ https://user:hunter2@example.com/pkg.whl",
        "https://user:hunter2@example.com/pkg.whl",
        "-i https://user:hunter2@example.com/simple",
        "pkg @ https://hunter2@example.com/pkg.whl",
    ],
)
def test_credentials_in_an_in_file_are_never_shown(make_project: Callable[..., Path], cli: Cli, line: str) -> None:
    root = make_project({"requirements/tests.in": f"alpha\n{line}\n"})
    err = user_error(cli, root, "check", where="requirements/tests.in:2:", says="")
    assert "hunter2" not in err
    assert "example.com" not in err or "****@example.com" in err  # shown redacted, if at all


def test_credentials_in_a_damaged_lock_are_never_shown(locked: Path, cli: Cli) -> None:
    path = locked / "requirements/tests.txt"
    path.write_text(path.read_text() + "https://user:hunter2@example.com/pkg.whl\n")
    code, out, err = cli(locked, "check")
    assert code == 1
    assert "hunter2" not in out + err and "user:****@example.com" in out


class _Index(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def index_with_credentials(offline_index: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fake index served over HTTP on loopback, configured for pip and uv with a user and password."""

    def handler(*args: object, **kwargs: object) -> _Index:
        return _Index(*args, directory=str(offline_index.parent), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://sprint:hunter2@127.0.0.1:{server.server_address[1]}/simple/"
    monkeypatch.delenv("UV_DEFAULT_INDEX", raising=False)
    monkeypatch.setenv("UV_INDEX_URL", url)
    monkeypatch.setenv("PIP_INDEX_URL", url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1")
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("resolver", ["uv", "pip-tools"])
def test_index_credentials_never_reach_a_lock(
    make_project: Callable[..., Path], index_with_credentials: str, resolver: str
) -> None:
    config = f'[tool.sprintlock]\nresolver = "{resolver}"\npython = ["{CURRENT}"]\nplatforms = ["linux"]\n'
    root = make_project({"requirements/tests.in": "testtool\n"}, pyproject=PYPROJECT + config)
    lock(load_project(root))
    text = (root / "requirements/tests.txt").read_text()
    assert "\ntesttool==1.0" in text
    assert "hunter2" not in text and "127.0.0.1" not in text and "sprint:" not in text
    assert not [line for line in text.splitlines() if line.startswith(("-i", "--index", "--extra-index", "--find"))]


def test_index_credentials_never_reach_an_error(
    make_project: Callable[..., Path], index_with_credentials: str, cli: Cli
) -> None:
    root = make_project({"requirements/tests.in": "no-such-package\n"})
    code, out, err = cli(root, "lock")
    assert code == 2 and "error: requirements/tests.in" in err
    assert "hunter2" not in out + err


def test_pip_compile_errors_show_no_traceback(make_project: Callable[..., Path], cli: Cli) -> None:
    config = f'[tool.sprintlock]\nresolver = "pip-tools"\npython = ["{CURRENT}"]\n'
    root = make_project({"requirements/tests.in": "no-such-package\n"}, pyproject=PYPROJECT + config)
    err = user_error(cli, root, "-q", "lock", where="requirements/tests.in:", says="pip-compile could not resolve")
    assert "File " not in err and "^^^" not in err
    assert "No matching distribution found for no-such-package" in err
