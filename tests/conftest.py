"""Hermetic by default: no machine pip/uv configuration, no network, no writes to home."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from packaging.requirements import Requirement
from wheelhouse import SAMPLE, Dist, build_index, build_missing, repack_installed, write_simple_index

#: Whether this run is CI. Read once: tests run tools with ``CI`` set or unset on purpose.
ON_CI = bool(os.environ.get("CI"))
# On CI the property tests run the same examples every time (a failure there is reproducible,
# never a draw of luck); locally they explore new ones.
settings.register_profile("ci", derandomize=True, database=None)
if ON_CI:
    settings.load_profile("ci")
#: The machine's configuration of the tools under test (and CI markers), never seen by a test.
SCRUBBED_PREFIXES = ("PIP_", "UV_", "SPRINTLOCK_", "VIRTUAL_ENV", "NOX_", "TOX_", "PRE_COMMIT", "GIT_")
#: A proxy on a closed loopback port: any HTTP(S) request a subprocess makes fails at once.
DEAD_PROXY = "http://127.0.0.1:9"
_REAL_HOME = Path.home()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Network tests run only when asked for with ``-m network``; POSIX-only tests not on Windows."""
    if sys.platform == "win32":
        for item in items:
            if (marker := item.get_closest_marker("posix")) is not None:
                item.add_marker(pytest.mark.skip(reason="POSIX only: " + marker.kwargs["reason"]))
    if "network" in (config.getoption("-m") or ""):
        return
    kept = [item for item in items if "network" not in item.keywords]
    deselected = [item for item in items if "network" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("session")


@pytest.fixture(scope="session", autouse=True)
def private_tempdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Temporary files of the tests and of the tools they run go under pytest's basetemp.

    Staging folders, sync folders and crash logs (``sprintlock-*``) never land in the real
    temporary folder; at the end of the session, finding a new one there fails the run.
    """
    real = Path(tempfile.gettempdir())
    before = set(real.glob("sprintlock-*"))
    private = tmp_path_factory.mktemp("tmp")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("TMPDIR", "TEMP", "TMP"):
            patch.setenv(name, str(private))
        patch.setattr(tempfile, "tempdir", str(private))
        yield private
    ours = (str(ROOT), str(tmp_path_factory.getbasetemp()))
    left = sorted(path.name for path in set(real.glob("sprintlock-*")) - before if _left_by(path, ours))
    if left:
        pytest.fail(f"the tests left {left} in {real} (the real temporary folder)", pytrace=False)


def _left_by(path: Path, ours: tuple[str, ...]) -> bool:
    """Whether this session left ``path``: any folder, or a crash log naming this checkout or session.

    Other checkouts' test runs on the same machine may leave their crash logs meanwhile;
    a log of this session names its files (the tests, sprintlock installed in ``.nox``
    or in a temporary environment) in its traceback.
    """
    if not path.is_file():
        return True
    text = path.read_text(encoding="utf-8", errors="replace")
    return any(root in text for root in ours)


@pytest.fixture(autouse=True)
def hermetic(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    session_dir: Path,
) -> Iterator[None]:
    """Scrub the machine's pip/uv configuration and give each test a throwaway home."""
    for name in list(os.environ):
        if name.startswith(SCRUBBED_PREFIXES) or name in ("CI", "GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR"):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("home")
    empty = home / "pip.conf"
    empty.write_text("")
    pyenv_root = os.environ.get("PYENV_ROOT") or str(_REAL_HOME / ".pyenv")
    if Path(pyenv_root).is_dir():
        monkeypatch.setenv("PYENV_ROOT", pyenv_root)  # pyenv shims still find their Pythons
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    # Crash logs (exit 3) go to the throwaway home too, never the real one or the temporary folder.
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("LOCALAPPDATA", str(home / "AppData" / "Local"))
    monkeypatch.setenv("PIP_CONFIG_FILE", str(empty))
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    monkeypatch.setenv("UV_NO_CONFIG", "1")
    # git sees only the tests' temporary repositories: no system or user configuration.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("UV_PYTHON_DOWNLOADS", "never")
    # Shared across tests (content-addressed, safe): keeps the suite fast.
    monkeypatch.setenv("UV_CACHE_DIR", str(session_dir / "uv-cache"))
    monkeypatch.setenv("SPRINTLOCK_CACHE_DIR", str(session_dir / "sprintlock-cache"))
    # virtualenv's seed wheel cache, shared like uv's (the throwaway home starts empty).
    monkeypatch.setenv("VIRTUALENV_OVERRIDE_APP_DATA", str(session_dir / "virtualenv-app-data"))
    if request.node.get_closest_marker("network") is None:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.setenv(name, DEAD_PROXY)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        # A refused request is final here: no retries with back-off (uv would wait ~10 s).
        monkeypatch.setenv("UV_HTTP_RETRIES", "0")
        monkeypatch.setenv("PIP_RETRIES", "0")
        monkeypatch.setattr(socket.socket, "connect", _refuse_connect(socket.socket.connect))
    yield


def _refuse_connect(real: Callable[..., Any]) -> Callable[..., Any]:
    def connect(self: socket.socket, address: Any) -> Any:
        if self.family == socket.AF_UNIX or (isinstance(address, tuple) and address[0] in ("127.0.0.1", "::1")):
            return real(self, address)
        raise AssertionError(f"test reached the network ({address!r}) without the `network` marker")

    return connect


@pytest.fixture(scope="session")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fake package index (a PEP 503 ``simple`` folder) of tiny wheels."""
    return build_index(tmp_path_factory.mktemp("index"), SAMPLE)


ROOT = Path(__file__).resolve().parent.parent
#: The real tools, repacked from this environment, that end-to-end tests install offline.
TOOLS = ["pip-tools", "uv", "packaging", "flit-core", "nox", "tox", "pre-commit", "virtualenv", "pip"]


def runtime_dependencies() -> list[str]:
    """The distributions sprintlock itself needs here (installing it offline installs them too)."""
    requires = [Requirement(line) for line in metadata.requires("sprintlock") or ()]
    return [req.name for req in requires if req.marker is None or req.marker.evaluate({"extra": ""})]


@pytest.fixture(scope="session")
def sprintlock_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of sprintlock built from this checkout (sprintlock is not on an index yet)."""
    out = tmp_path_factory.mktemp("sprintlock-wheel")
    subprocess.run(
        [sys.executable, "-c", f"from flit_core.buildapi import build_wheel; build_wheel({str(out)!r})"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return next(out.glob("sprintlock-*.whl"))


@pytest.fixture(scope="session")
def tools_index(tmp_path_factory: pytest.TempPathFactory, sprintlock_wheel: Path) -> Path:
    """The fake index plus the real tools and sprintlock itself: a complete offline index."""
    return make_tools_index(tmp_path_factory.mktemp("tools-index"), sprintlock_wheel)


def make_tools_index(
    folder: Path, sprintlock_wheel: Path, extra: Iterable[Dist] = (), real: Iterable[str] = ()
) -> Path:
    """Real tools (repacked from this environment), sprintlock, then fake wheels that shadow none of them."""
    repack_installed(folder, [*TOOLS, *real, *runtime_dependencies()])
    build_missing(folder, (*SAMPLE, *extra))
    shutil.copy(sprintlock_wheel, folder / "files")
    return write_simple_index(folder)


@pytest.fixture
def offline_tools_index(tools_index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_index(monkeypatch, tools_index)
    return tools_index


def use_index(monkeypatch: pytest.MonkeyPatch, simple: Path) -> None:
    """Point uv, pip and pip-compile at ``simple`` and nothing else."""
    url = simple.as_uri()
    monkeypatch.setenv("UV_DEFAULT_INDEX", url)
    monkeypatch.setenv("PIP_INDEX_URL", url)


@pytest.fixture
def offline_index(index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_index(monkeypatch, index)
    return index


Files = dict[str, str]


@pytest.fixture
def make_project(tmp_path: Path, offline_index: Path) -> Callable[..., Path]:
    """Write a project (``{relative path: text}``) into ``tmp_path``; return its root."""

    def make(files: Files, *, pyproject: str | None = None) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        (root / "pyproject.toml").write_text(
            pyproject
            if pyproject is not None
            else '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.9"\ndependencies = ["alpha>=1.0"]\n'
        )
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return root

    return make


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes, to prove that nothing changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refuse_nth_replace(monkeypatch: pytest.MonkeyPatch, failing: int, error: OSError) -> None:
    """``os.replace`` refuses its ``failing``-th call with ``error`` (a read-only or immutable file,
    where running as root means chmod would stop nothing); every other call goes through."""
    real = os.replace
    calls: list[object] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(dst)
        if len(calls) == failing:
            error.filename = str(dst)
            raise error
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
