"""``formats = ["requirements", "pylock"]``: a PEP 751 ``pylock.NAME.toml`` beside every lock."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.pylock import Pylock

from sprintlock._cli.main import main
from sprintlock._core.errors import ConfigError, ResolutionError
from sprintlock._lock.check import check
from sprintlock._lock.engine import lock
from sprintlock._lock.lockfile import parse_lock
from sprintlock._lock.names import lock_spec, pylock_name, split_spec
from sprintlock._lock.pylock import parse_pylock
from sprintlock._lock.upgrade import upgrade
from sprintlock._project.config import load_project

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

PYPROJECT = """\
[project]
name = "demo"
version = "1.0"
requires-python = ">=3.10"
dependencies = ["alpha>=1.0"]

[tool.sprintlock]
python = ["3.10", "3.11", "3.12"]
formats = ["requirements", "pylock"]
"""
LAYERS = {
    "requirements/tests.in": "testtool\nfastlib\n",
    "requirements/dev.in": "-r tests.txt\nbeta\n",
}


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    root = make_project(LAYERS, pyproject=PYPROJECT)
    lock(load_project(root))
    return root


def test_every_layer_gets_a_valid_pylock_file_matching_its_lock(project: Path) -> None:
    for layer in ("tests", "dev"):
        text = (project / f"requirements/pylock.{layer}.toml").read_text()
        document = tomllib.loads(text)
        Pylock.from_dict(document).validate()
        assert document["lock-version"] == "1.0"
        assert document["created-by"] == "sprintlock"
        assert document["requires-python"] == ">=3.10"
        assert document["environments"] == [
            "sys_platform == 'linux'",
            "sys_platform == 'darwin'",
            "sys_platform == 'win32'",
        ]
        txt = parse_lock((project / f"requirements/{layer}.txt").read_text(), layer)
        assert txt is not None
        packages = document["packages"]
        # Pin for pin: the same names, versions, markers and hashes as the .txt lock.
        assert [(p["name"], p["version"], p.get("marker")) for p in packages] == [
            (pin.name, pin.version, pin.marker) for pin in txt.pins
        ]
        for package, pin in zip(packages, txt.pins, strict=True):
            hashes = {f"sha256:{wheel['hashes']['sha256']}" for wheel in package["wheels"]}
            assert hashes == set(pin.hashes)
            assert all(wheel["url"].endswith("/" + wheel["name"]) for wheel in package["wheels"])
    dev = tomllib.loads((project / "requirements/pylock.dev.toml").read_text())["packages"]
    markers = {p["name"]: p.get("marker") for p in dev}
    assert markers["exceptiongroup"] == 'python_full_version < "3.11"'
    assert markers["colorama"] == 'sys_platform == "win32"'
    fastlib = next(p for p in dev if p["name"] == "fastlib")
    assert [wheel["name"] for wheel in fastlib["wheels"]] == [
        "fastlib-1.0-py3-none-any.whl",
        "fastlib-1.0-py3-none-win_amd64.whl",
    ]


def test_fresh_pylock_files_pass_check_and_a_second_lock_writes_nothing(project: Path) -> None:
    assert check(load_project(project)).ok
    before = (project / "requirements/pylock.tests.toml").read_bytes()
    outcome = lock(load_project(project))
    assert outcome.written == ()
    assert (project / "requirements/pylock.tests.toml").read_bytes() == before


def test_check_reports_a_missing_edited_or_stale_pylock_and_lock_repairs_it(project: Path) -> None:
    tests = project / "requirements/pylock.tests.toml"
    dev = project / "requirements/pylock.dev.toml"
    tests.unlink()
    dev.write_text(dev.read_text().replace('version = "1.0"', 'version = "1.1"', 1))
    problems = {(p.code, p.path) for p in check(load_project(project)).problems}
    assert problems == {("missing", "requirements/pylock.tests.toml"), ("edited", "requirements/pylock.dev.toml")}
    outcome = lock(load_project(project))
    assert set(outcome.written) == {tests, dev}
    assert check(load_project(project)).ok
    # A pylock file made from another version of its lock is stale.
    old = dev.read_text()
    (project / "requirements/dev.in").write_text("-r tests.txt\nbeta\ntypecheck\n")
    lock(load_project(project))
    assert "typecheck" in dev.read_text()
    dev.write_text(old)
    problems = {(p.code, p.path) for p in check(load_project(project)).problems}
    assert problems == {("stale", "requirements/pylock.dev.toml")}


def test_a_file_that_is_not_a_pylock_file_is_reported(project: Path) -> None:
    tests = project / "requirements/pylock.tests.toml"
    tests.write_text('lock-version = "1.0"\ncreated-by = "someone"\n')
    (problem,) = check(load_project(project)).problems
    assert (problem.code, problem.path) == ("edited", "requirements/pylock.tests.toml")
    assert "packages" in problem.message
    tests.write_text('lock-version = "1.0"\ncreated-by = "someone"\npackages = []\n')
    (problem,) = check(load_project(project)).problems
    assert problem.code == "foreign"


def test_without_the_format_no_pylock_file_is_written_or_checked(make_project: Callable[..., Path]) -> None:
    root = make_project(LAYERS, pyproject=PYPROJECT.replace('formats = ["requirements", "pylock"]\n', ""))
    lock(load_project(root))
    assert not list((root / "requirements").glob("pylock.*"))
    assert check(load_project(root)).ok


def test_pylock_names_follow_pep_751() -> None:
    assert pylock_name("tests") == "pylock.tests.toml"
    assert pylock_name("py3.12") == "pylock.py3-12.toml"


def test_a_lock_run_that_fails_writes_no_pylock_file(make_project: Callable[..., Path]) -> None:
    root = make_project({"requirements/tests.in": "testtool\nno-such-package\n"}, pyproject=PYPROJECT)
    with pytest.raises(Exception, match="no-such-package"):
        lock(load_project(root))
    assert not list((root / "requirements").glob("*.t*"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"pylock"', "`formats` must be a list of strings"),
        ('["requirements", "poetry"]', "unknown formats ['poetry']"),
        ('["pylock"]', '`formats` must include "requirements"'),
    ],
)
def test_bad_formats_are_config_errors_at_their_line(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "demo"\n\n[tool.sprintlock]\nformats = {value}\n')
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert message in caught.value.message
    assert caught.value.where == "pyproject.toml:5"
    assert caught.value.exit_code == 2
    assert "pylock" in (caught.value.hint or "")


def test_parse_pylock_names_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="not valid TOML"):
        parse_pylock("[[packages]\n")
    with pytest.raises(ValueError, match="lock-version"):
        parse_pylock('created-by = "x"\npackages = []\n')


def test_an_upgrade_rewrites_the_pylock_file_and_reports_it_for_the_pull_request(
    make_project: Callable[..., Path],
) -> None:
    root = make_project({"requirements/tests.in": "iniconfig<2\n"}, pyproject=PYPROJECT)
    lock(load_project(root))
    (root / "requirements/tests.in").write_text("iniconfig\n")
    lock(load_project(root))  # keeps the pinned 1.0
    assert "iniconfig-1.0-py3-none-any.whl" in (root / "requirements/pylock.tests.toml").read_text()
    report = upgrade(load_project(root))
    assert "requirements/pylock.tests.toml" in report.files
    assert "requirements/tests.txt" in report.files
    assert "iniconfig-2.0-py3-none-any.whl" in (root / "requirements/pylock.tests.toml").read_text()
    assert check(load_project(root)).ok


def test_lock_spec_names_what_sync_installs() -> None:
    assert lock_spec("tests") == "tests"
    assert lock_spec("tests", "pylock") == "pylock.tests.toml"
    assert split_spec("pylock.tests.toml") == ("tests", "pylock")
    assert split_spec("tests") == ("tests", "requirements")
    with pytest.raises(ConfigError, match="unknown lock format 'poetry'") as caught:
        lock_spec("tests", "poetry")  # type: ignore[arg-type]
    assert "pylock" in (caught.value.hint or "")


def test_new_targets_rewrite_the_pylock_file(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('python = ["3.10", "3.11", "3.12"]', 'python = ["3.11", "3.12"]')
    )
    lock(load_project(project))
    relocked = parse_lock((project / "requirements/tests.txt").read_text(), "tests")
    assert relocked is not None
    assert relocked.header.covers.pythons == ("3.11", "3.12")
    document = tomllib.loads((project / "requirements/pylock.tests.toml").read_text())
    assert document["requires-python"] == ">=3.11"
    assert document["tool"]["sprintlock"]["covers"] == relocked.header.covers.describe()
    assert check(load_project(project)).ok


def test_an_index_that_cannot_list_the_files_is_a_clear_error_and_nothing_is_written(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "requirements/pylock.tests.toml").unlink()
    before = {path.name: path.read_bytes() for path in (project / "requirements").iterdir()}
    missing = (tmp_path / "no-index").as_uri()
    monkeypatch.setenv("UV_DEFAULT_INDEX", missing)
    monkeypatch.setenv("UV_OFFLINE", "1")
    with pytest.raises(ResolutionError) as caught:
        lock(load_project(project))
    assert "uv could not list the files of the pinned releases" in caught.value.message
    assert caught.value.where == "requirements/tests.txt"
    assert {path.name: path.read_bytes() for path in (project / "requirements").iterdir()} == before


def test_check_s_memo_holds_the_pylock_files_too(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A passing ``sprintlock check`` is remembered; an edited pylock file is not answered from the memo."""
    assert main(["-C", str(project), "check"]) == 0
    assert main(["-C", str(project), "check"]) == 0  # from the memo
    dev = project / "requirements/pylock.dev.toml"
    dev.write_text(dev.read_text().replace('version = "1.0"', 'version = "1.1"', 1))
    capsys.readouterr()
    assert main(["-C", str(project), "check"]) == 1
    assert "requirements/pylock.dev.toml" in capsys.readouterr().out
    dev.unlink()
    assert main(["-C", str(project), "check"]) == 1
