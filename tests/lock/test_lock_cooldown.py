"""``upgrade-cooldown``: releases younger than the cooldown stay out of the locks, with both resolvers.

The fake index here is a PEP 691 JSON simple index with PEP 700 ``upload-time`` for every
file, served over HTTP on loopback (pip applies ``--uploaded-prior-to`` only to files from
an index, never to local ``file:`` links): ``alpha 2.0`` was uploaded a day ago, every other
release a month ago.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from wheelhouse import Dist, build_wheel

from sprintlock import ConfigError, check, load_project, lock
from sprintlock._cli.main import main
from sprintlock._core.errors import ResolutionError, ToolMissingError
from sprintlock._core.process import Result
from sprintlock._core.tools import current_version
from sprintlock._lock.header import COOLDOWN_LABEL
from sprintlock._lock.lockfile import parse_lock
from sprintlock._lock.report import ChangeReport, HeldBack
from sprintlock._lock.resolvers import CompileJob, cooldown_cutoff, rfc3339
from sprintlock._lock.resolvers.piptools import PipToolsResolver
from sprintlock._lock.resolvers.uv import UvResolver
from sprintlock._lock.upgrade import upgrade
from sprintlock._project.config import cooldown_text, parse_cooldown
from sprintlock._project.targets import Targets

CURRENT = current_version()
NOW = datetime.now(timezone.utc)
#: Release -> age: alpha 2.0 is a day old, the rest a month old.
RELEASES = {
    Dist("alpha", "1.0"): timedelta(days=30),
    Dist("alpha", "2.0"): timedelta(days=1),
    Dist("beta", "1.0", ("alpha>=1",)): timedelta(days=30),
}
JSON_TYPE = "application/vnd.pypi.simple.v1+json"


def _pages(folder: Path, *, html: bool = False) -> dict[str, tuple[str, bytes]]:
    """Every URL path of the index: its content type and body (PEP 691 JSON, or PEP 503 HTML
    with ``data-upload-time``, which uv reads and pip does not)."""
    files = folder / "files"
    files.mkdir(parents=True)
    projects: dict[str, list[dict[str, object]]] = {}
    pages: dict[str, tuple[str, bytes]] = {}
    for dist, age in RELEASES.items():
        for wheel in build_wheel(files, dist):
            data = wheel.read_bytes()
            pages[f"/files/{wheel.name}"] = ("application/octet-stream", data)
            uploaded = (NOW - age).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            entry: dict[str, object] = {
                "filename": wheel.name,
                "url": f"/files/{wheel.name}",
                "hashes": {"sha256": hashlib.sha256(data).hexdigest()},
                "upload-time": uploaded,
            }
            projects.setdefault(canonicalize_name(dist.name), []).append(entry)
    meta = {"api-version": "1.1"}
    for name, entries in projects.items():
        if html:
            links = "".join(_link(entry) for entry in entries)
            pages[f"/simple/{name}/"] = (
                "text/html",
                f"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n".encode(),
            )
        else:
            body = {"meta": meta, "name": name, "files": entries, "versions": []}
            pages[f"/simple/{name}/"] = (JSON_TYPE, json.dumps(body).encode())
    listing = {"meta": meta, "projects": [{"name": name} for name in projects]}
    pages["/simple/"] = (JSON_TYPE, json.dumps(listing).encode())
    return pages


def _link(entry: dict[str, object]) -> str:
    """One file as a PEP 503 anchor, its hash in the fragment and its upload time as ``data-upload-time``."""
    hashes = entry["hashes"]
    assert isinstance(hashes, dict)
    url = f"{entry['url']}#sha256={hashes['sha256']}"
    return f'<a href="{url}" data-upload-time="{entry["upload-time"]}">{entry["filename"]}</a>\n'


@pytest.fixture
def dated_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The JSON index served on 127.0.0.1 and configured for uv, pip and pip-compile; its URL."""
    yield from serve(_pages(tmp_path / "index"), monkeypatch)


@pytest.fixture
def html_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The same index in HTML, upload times as ``data-upload-time``."""
    yield from serve(_pages(tmp_path / "index", html=True), monkeypatch)


def serve(pages: dict[str, tuple[str, bytes]], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            path = self.path.split("?")[0]
            found = pages.get(path) or pages.get(path + "/")
            if found is None:
                self.send_error(404)
                return
            kind, data = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
    monkeypatch.setenv("UV_DEFAULT_INDEX", url)
    monkeypatch.setenv("PIP_INDEX_URL", url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1")
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def project(tmp_path: Path, resolver: str, cooldown: str | None, tests_in: str = "beta\n") -> Path:
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True, exist_ok=True)
    key = f'upgrade-cooldown = "{cooldown}"\n' if cooldown else ""
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.9"\n\n'
        f'[tool.sprintlock]\nresolver = "{resolver}"\npython = ["{CURRENT}"]\nplatforms = ["linux"]\n{key}'
    )
    (root / "requirements/tests.in").write_text(tests_in)
    return root


def pinned(root: Path) -> dict[str, str]:
    lock_ = parse_lock((root / "requirements/tests.txt").read_text(), "tests")
    assert lock_ is not None
    return {pin.name: pin.version for pin in lock_.pins}


# --- the configuration key ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [("7 days", 7), ("1 day", 1), ("2 weeks", 14), ("1 WEEK", 7), ("P7D", 7), ("P2W", 14), ("P1W3D", 10)],
)
def test_cooldown_spellings(text: str, days: int) -> None:
    assert parse_cooldown(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["", "7", "seven days", "0 days", "P0D", "P", "PT12H", "-1 days", "7 hours"])
def test_cooldown_refused(text: str) -> None:
    assert parse_cooldown(text) is None


@pytest.mark.parametrize("value", ['"soon"', "7", '"0 days"'])
def test_a_bad_cooldown_names_pyproject_and_its_line(tmp_path: Path, value: str) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text(f'[project]\nname = "demo"\n\n[tool.sprintlock]\nupgrade-cooldown = {value}\n')
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert caught.value.where == "pyproject.toml:5"
    assert "upgrade-cooldown" in caught.value.message
    assert caught.value.hint is not None and '"7 days"' in caught.value.hint


def test_a_bad_cooldown_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    root.mkdir()
    text = '[project]\nname = "demo"\n\n[tool.sprintlock]\nupgrade-cooldown = "3 hours"\n'
    (root / "pyproject.toml").write_text(text)
    assert main(["-C", str(root), "lock"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml:5" in err and "invalid upgrade-cooldown '3 hours'" in err


# --- the resolvers' command lines -----------------------------------------------------------


def test_the_cutoff_is_now_minus_the_cooldown_in_utc() -> None:
    now = datetime(2026, 12, 2, 6, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    cutoff = cooldown_cutoff(timedelta(days=7), now)
    assert cutoff is not None and rfc3339(cutoff) == "2026-11-25T04:30:15Z"
    assert cooldown_cutoff(None, now) is None


class Recorder:
    """A runner that records the command and fails as a resolver would."""

    def __init__(self, output: str = "boom") -> None:
        self.commands: list[list[str]] = []
        self.output = output

    def __call__(self, cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        self.commands.append(list(cmd))
        return Result(1, "", self.output)


def job(tmp_path: Path, cutoff: datetime | None) -> CompileJob:
    (tmp_path / "out.txt").write_text("")
    return CompileJob(
        inputs=(tmp_path / "tests.in",),
        output=tmp_path / "out.txt",
        constraints=(),
        targets=Targets((CURRENT,), ("linux",)),
        hashes=True,
        where="requirements/tests.in",
        exclude_newer=cutoff,
    )


CUTOFF = datetime(2026, 11, 25, 4, 30, 15, tzinfo=timezone.utc)


def test_uv_gets_exclude_newer(tmp_path: Path) -> None:
    runner = Recorder()
    with pytest.raises(ResolutionError):  # the recorder fails every run: only the command matters
        UvResolver(runner).compile(job(tmp_path, CUTOFF))
    cmd = runner.commands[0]
    assert cmd[cmd.index("--exclude-newer") + 1] == "2026-11-25T04:30:15Z"
    runner = Recorder()
    with pytest.raises(ResolutionError):
        UvResolver(runner).compile(job(tmp_path, None))
    assert "--exclude-newer" not in runner.commands[0]


def test_pip_compile_gets_uploaded_prior_to(tmp_path: Path) -> None:
    runner = Recorder()
    with pytest.raises(ResolutionError):
        PipToolsResolver(runner).compile(job(tmp_path, CUTOFF))
    cmd = runner.commands[-1]
    assert cmd[cmd.index("--pip-args") + 1] == "--uploaded-prior-to=2026-11-25T04:30:15Z"


def test_pip_compile_with_an_old_pip_is_refused_not_ignored(tmp_path: Path) -> None:
    old_pip = "Usage: pip-compile [OPTIONS]\n\nError: no such option: --uploaded-prior-to\n"
    with pytest.raises(ToolMissingError) as caught:
        PipToolsResolver(Recorder(old_pip)).compile(job(tmp_path, CUTOFF))
    assert "pip 26.0 or newer" in caught.value.message
    assert caught.value.where == "requirements/tests.in"


# --- real resolvers against the dated index -------------------------------------------------


@pytest.mark.parametrize("resolver", ["uv", "pip-tools"])
def test_the_cooldown_holds_young_releases_back(tmp_path: Path, dated_index: str, resolver: str) -> None:
    root = project(tmp_path, resolver, "7 days")
    lock(load_project(root))
    assert pinned(root) == {"alpha": "1.0", "beta": "1.0"}
    assert (tmp_path / "project/requirements/tests.txt").read_text().count(COOLDOWN_LABEL) == 1
    root = project(tmp_path, resolver, None)
    (root / "requirements/tests.txt").unlink()  # a fresh lock: no pin to prefer
    lock(load_project(root))
    assert pinned(root) == {"alpha": "2.0", "beta": "1.0"}  # without it, the young release is used


def test_check_notices_a_changed_cooldown_but_not_a_respelled_one(tmp_path: Path, dated_index: str) -> None:
    root = project(tmp_path, "uv", "7 days")
    lock(load_project(root))
    assert check(load_project(root)).ok
    project(tmp_path, "uv", "1 week")  # the same duration: the fingerprint records "7 days" either way
    assert check(load_project(root)).ok
    project(tmp_path, "uv", "P14D")
    report = check(load_project(root))
    assert not report.ok
    assert f"{COOLDOWN_LABEL} changed" in "\n".join(problem.message for problem in report.problems)
    project(tmp_path, "uv", None)
    assert any("no longer an input" in problem.message for problem in check(load_project(root)).problems)


@pytest.mark.parametrize("resolver", ["uv", "pip-tools"])
def test_the_upgrade_report_names_what_the_cooldown_held_back(tmp_path: Path, dated_index: str, resolver: str) -> None:
    root = project(tmp_path, resolver, "7 days")
    report = upgrade(load_project(root))
    assert pinned(root)["alpha"] == "1.0"
    assert report.cooldown == "7 days"
    assert report.held_back == (HeldBack("alpha", "1.0", "2.0"),)
    assert report.summary().endswith("; held back by the cooldown (7 days): alpha 2.0")
    markdown = report.markdown()
    assert "## Held back by the cooldown" in markdown
    assert "| alpha | 1.0 | 2.0 |" in markdown
    assert json.loads(report.json())["cooldown"] == {
        "duration": "7 days",
        "held_back": [{"package": "alpha", "allowed": "1.0", "newer": "2.0"}],
    }


def test_an_upgrade_of_named_packages_reports_only_them(tmp_path: Path, dated_index: str) -> None:
    root = project(tmp_path, "uv", "7 days")
    lock(load_project(root))
    assert upgrade(load_project(root), ["beta"]).held_back == ()
    assert upgrade(load_project(root), ["alpha"]).held_back == (HeldBack("alpha", "1.0", "2.0"),)


def test_no_cooldown_no_section() -> None:
    report = ChangeReport("uv", Targets((CURRENT,), ("linux",)), (), ())
    assert "cooldown" not in report.to_dict()
    assert "Held back" not in report.markdown()
    held = ChangeReport("uv", Targets((CURRENT,), ("linux",)), (), (), cooldown=cooldown_text(timedelta(days=7)))
    assert json.loads(held.json())["cooldown"] == {"duration": "7 days", "held_back": []}


def test_the_upgrade_command_says_what_was_held_back(
    tmp_path: Path, dated_index: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "uv", "1 week")
    assert main(["-C", str(root), "upgrade", "--report", str(tmp_path / "report.md")]) == 0
    out = capsys.readouterr().out
    assert "held back by the cooldown (7 days): alpha 2.0" in out
    assert "| alpha | 1.0 | 2.0 |" in (tmp_path / "report.md").read_text()


def test_uv_reads_upload_times_from_html_pages(tmp_path: Path, html_index: str) -> None:
    root = project(tmp_path, "uv", "7 days")
    lock(load_project(root))
    assert pinned(root) == {"alpha": "1.0", "beta": "1.0"}


def test_pip_compile_refuses_an_index_without_json_upload_times(tmp_path: Path, html_index: str) -> None:
    root = project(tmp_path, "pip-tools", "7 days")
    with pytest.raises(ResolutionError) as caught:
        lock(load_project(root))
    assert caught.value.where == "requirements/tests.in"
    assert not (root / "requirements/tests.txt").exists()  # never a lock made without the cooldown
