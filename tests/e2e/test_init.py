"""``sprintlock init`` on fixture projects, locking for real (uv) against the offline index."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import snapshot
from initkit import (  # noqa: F401 - init_index and init_index_dir are fixtures
    BIN,
    expected,
    fresh_venv,
    init_index,
    init_index_dir,
    installed,
    write_demo,
)

from sprintlock import __version__, check, load_project
from sprintlock._cli.main import main
from sprintlock._core.tools import find_interpreter, venv_python
from sprintlock._project.targets import KNOWN_PYTHONS
from sprintlock._scaffold.detect import detect
from sprintlock._scaffold.init import CONFLICT, CREATE, KEEP, SAME, UPDATE, init, plan
from sprintlock._standard.noxfile import nox_version

pytestmark = pytest.mark.usefixtures("init_index")

#: A pyproject.toml with only a [project] table (requires-python: see initkit's index).
EMPTY = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha>=1.0"]\n'
MYPY = EMPTY + "\n[tool.mypy]\nstrict = true\n"
NOX_DESCRIPTIONS = {
    "tests": "Run the tests with pytest",
    "typing": "Type-check with mypy.",
    "docs": "Build the HTML documentation with Sphinx",
    "lint": "Run the pre-commit hooks on every file.",
    "build": "Build the sdist and wheel into dist/ from the build lock",
    "check": "Offline: are the locks fresh",
    "lock": "Recompile the stale locks",
    "upgrade": "Upgrade every pin",
    "upgrade-pr": "Open or update the one upgrade pull request",
    "dev": "Make .venv the dev lock",
}


def make(tmp_path: Path, files: dict[str, str], pyproject: str = EMPTY) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(pyproject)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def run_init(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["-C", str(root), "init", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def layers(root: Path) -> set[str]:
    return {path.stem for path in (root / "requirements").glob("*.in")}


def test_init_on_an_empty_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": ""})
    code, out = run_init(root, capsys=capsys)
    assert code == 0, out
    assert layers(root) == {"tests", "build", "dev"}  # no type checker, no docs: no such layers
    for name in ("tests", "build", "dev"):
        assert (root / "requirements" / f"{name}.txt").is_file()
        assert f"requirements/{name}.txt: locked" in out
    assert "noxfile.py: create" in out
    dev = (root / "requirements/dev.in").read_text()
    assert "-r tests.txt\n" in dev and "pre-commit\n" in dev and "-r build.txt" not in dev
    # pyproject.toml: the user's text untouched, a [tool.sprintlock] table appended.
    pyproject = (root / "pyproject.toml").read_text()
    assert pyproject.startswith(EMPTY) and "\n[tool.sprintlock]\n" in pyproject
    project = load_project(root)
    assert project.config.targets.pythons[0] == "3.11"  # the defaults work: from requires-python
    assert check(project).ok
    noxfile = (root / "noxfile.py").read_text()
    assert noxfile.startswith(
        f'# /// script\n# dependencies = ["nox=={nox_version()}", "sprintlock=={__version__}"]\n# ///\n'
    )
    assert 'nox.options.sessions = ["check", "lint", "tests"]' in noxfile  # init writes a pre-commit config
    assert "def typing(" not in noxfile and "def docs(" not in noxfile


def test_init_twice_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": "", "docs/conf.py": ""}, MYPY)
    assert run_init(root, "--tox", capsys=capsys)[0] == 0
    before = snapshot(root)
    code, out = run_init(root, "--tox", capsys=capsys)
    assert code == 0
    assert "nothing to do" in out
    assert snapshot(root) == before


def test_user_files_are_listed_and_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The user's noxfile is kept (no exit 1 for having one), with what it lacks of the standard one."""
    user_noxfile = "import nox\n\n\n@nox.session\ndef mine(session: nox.Session) -> None:\n    pass\n"
    root = make(tmp_path, {"noxfile.py": user_noxfile, "requirements/tests.in": "testtool\n"})
    code, out = run_init(root, capsys=capsys)
    assert code == 0, out
    assert "noxfile.py: kept (yours)\n" in out
    assert "  the standard sessions yours lacks: tests, build, lint, check, lock, upgrade, upgrade-pr, dev\n" in out
    assert "to use it: sprintlock init --force noxfile.py" in out
    assert "requirements/tests.in: kept (yours" in out
    assert (root / "noxfile.py").read_text() == user_noxfile  # kept
    assert "\ntesttool==1.0 " in (root / "requirements/tests.txt").read_text()  # the rest is written and locked

    code, out = run_init(root, "--dry-run", "--force", "noxfile.py", capsys=capsys)
    assert "+@nox.session(python=PYTHONS)" in out  # the difference is shown
    code, out = run_init(root, "--force", "noxfile.py", capsys=capsys)
    assert code == 0, out
    assert "noxfile.py: replace" in out
    assert "@nox.session(python=PYTHONS)" in (root / "noxfile.py").read_text()
    assert (root / "requirements/tests.in").read_text() == "testtool\n"  # the user's input is kept...
    assert "\ntesttool==1.0 " in (root / "requirements/tests.txt").read_text()  # ...and locked
    code, out = run_init(root, capsys=capsys)
    assert (code, out.splitlines()[-1]) == (0, "nothing to do: the standard layout is in place and locked")


def test_forcing_an_input_replaces_it(tmp_path: Path) -> None:
    root = make(tmp_path, {"requirements/tests.in": "testtool\n"})
    _, changes = plan(root)
    assert {c.relative: c.action for c in changes}["requirements/tests.in"] == KEEP
    _, changes = plan(root, force=["./requirements/tests.in"])
    assert {c.relative: c.action for c in changes}["requirements/tests.in"] == "replace"


@pytest.mark.parametrize(
    ("files", "pyproject", "expected"),
    [
        ({"docs/conf.py": ""}, MYPY, {"typing": ["mypy"], "docs": ["sphinx"]}),
        (
            {"mkdocs.yml": "site_name: demo\n"},
            EMPTY + "\n[tool.pyright]\n",
            {"typing": ["pyright"], "docs": ["mkdocs"]},
        ),
        ({"mypy.ini": "[mypy]\nfiles = src\n", "doc/conf.py": ""}, EMPTY, {"typing": ["mypy"], "docs": ["sphinx"]}),
        ({}, EMPTY, {}),
        ({"docs/index.md": "# no builder configured\n"}, EMPTY + "\n[tool.ruff]\n", {}),
    ],
)
def test_detected_tools_get_layers_and_sessions(
    tmp_path: Path, files: dict[str, str], pyproject: str, expected: dict[str, list[str]]
) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": "", **files}, pyproject)
    _, changes = plan(root)
    texts = {c.relative: c.text for c in changes}
    assert layers_in(texts) == {"tests", "build", "dev", *expected}
    for layer, tools in expected.items():
        assert [line for line in texts[f"requirements/{layer}.in"].splitlines() if line[:1].isalpha()] == tools
        assert f"-r {layer}.txt\n" in texts["requirements/dev.in"]
        assert f"\ndef {layer}(session: nox.Session)" in texts["noxfile.py"]
        assert f'"{layer}"' in texts["noxfile.py"].split("nox.options.sessions = ", 1)[1].split("\n", 1)[0]
    for layer in {"typing", "docs"} - set(expected):
        assert f"\ndef {layer}(" not in texts["noxfile.py"]


def layers_in(texts: dict[str, str]) -> set[str]:
    return {Path(name).stem for name in texts if name.endswith(".in")}


@pytest.mark.parametrize(("layout", "package"), [("src", "src/demo"), ("flat", "demo")])
def test_src_and_flat_layouts(tmp_path: Path, layout: str, package: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {f"{package}/__init__.py": "", "tests/test_demo.py": ""}, MYPY)
    detected = detect(root)
    assert (detected.layout, detected.package_path) == (layout, package)
    code, out = run_init(root, capsys=capsys)
    assert code == 0, out
    noxfile = (root / "noxfile.py").read_text()
    assert f'paths = session.posargs or ["{package}", "tests"]\n    session.run("mypy", *paths)' in noxfile
    assert check(load_project(root)).ok


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {})
    before = snapshot(root)
    code, out = run_init(root, "--dry-run", "--tox", capsys=capsys)
    assert code == 0
    assert "noxfile.py: would create" in out and "requirements/tests.txt: would be locked" in out
    assert "tox.ini: would create" in out
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("pyproject", "files", "args", "message"),
    [
        ("[project\n", {}, [], "pyproject.toml:1: invalid TOML"),
        ("[tool.x]\na = 1\n", {}, [], "pyproject.toml: no [project] name"),
        (EMPTY, {}, ["--force", "setup.py"], "--force setup.py: sprintlock init does not write this"),
        (EMPTY + "\n[tool.sprintlock]\nresolver = 'poetry'\n", {}, [], "unknown resolver 'poetry'"),
        (EMPTY, {"requirements/tests.in": "no-such-package\n"}, [], "requirements/tests.in"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path,
    pyproject: str,
    files: dict[str, str],
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make(tmp_path, files, pyproject)
    before = snapshot(root)
    code, out = run_init(root, *args, capsys=capsys)
    assert code == 2, out
    assert message in out
    assert "Traceback" not in out
    assert snapshot(root) == before


def test_existing_tool_table_is_left_alone(tmp_path: Path) -> None:
    pyproject = EMPTY + '\n[tool.sprintlock]\npython = ["3.11"]\n'
    root = make(tmp_path, {}, pyproject)
    outcome = init(root)
    assert {c.relative: c.action for c in outcome.changes}["pyproject.toml"] == SAME
    assert (root / "pyproject.toml").read_text() == pyproject
    assert "# targets: python 3.11;" in (root / "requirements/tests.txt").read_text()
    assert not outcome.conflicts
    again = init(root)
    assert again.nothing_to_do
    assert {c.action for c in again.changes} == {SAME}
    assert CREATE not in {c.action for c in again.changes} and UPDATE not in {c.action for c in again.changes}
    assert CONFLICT not in {c.action for c in again.changes}


def nox_list(nox: Path, root: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(nox), "--list", "--no-color"], cwd=root, capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def check_listing(listing: str, present: set[str], defaults: set[str]) -> None:
    sessions = {}
    for line in listing.splitlines():
        if line[:2] in ("* ", "- ") and " -> " in line:
            name, description = line[2:].split(" -> ", 1)
            sessions[name] = (line[0] == "*", description)

    def base_name(name: str) -> str:
        return name if name in NOX_DESCRIPTIONS else name.split("-", 1)[0]

    names = {base_name(name) for name in sessions}
    assert names == present
    for name, (default, description) in sessions.items():
        base = base_name(name)
        assert description.startswith(NOX_DESCRIPTIONS[base]), (name, description)
        assert default == (base in defaults), name
    assert {"tests-3.11", "tests-3.12", "tests-3.13"} <= set(sessions)


def test_generated_noxfile_lists_its_sessions_with_the_real_nox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """nox from this environment, where the header's nox and sprintlock are installed."""
    root = make(
        tmp_path, {"src/demo/__init__.py": "", "docs/conf.py": "", ".pre-commit-config.yaml": "repos: []\n"}, MYPY
    )
    assert run_init(root, capsys=capsys)[0] == 0
    listing = nox_list(BIN / "nox", root)
    everything = {"tests", "typing", "docs", "build", "lint", "check", "lock", "upgrade", "upgrade-pr", "dev"}
    check_listing(listing, everything, {"check", "lint", "tests", "typing", "docs"})


def test_script_mode_needs_only_nox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The newcomer's path: only nox installed; nox installs the header's pins from the index."""
    root = make(tmp_path, {"src/demo/__init__.py": ""})
    assert run_init(root, capsys=capsys)[0] == 0
    bin_dir = fresh_venv(tmp_path / "only-nox", "nox", "uv")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    listing = nox_list(bin_dir / "nox", root, env)
    check_listing(
        listing, {"tests", "build", "lint", "check", "lock", "upgrade", "upgrade-pr", "dev"}, {"check", "lint", "tests"}
    )
    script_env = root / ".nox" / "_nox_script_mode"
    probe = "import importlib.metadata as m; print(m.version('sprintlock'), m.version('nox'))"
    versions = subprocess.run([str(venv_python(script_env)), "-c", probe], capture_output=True, text=True, check=True)
    assert versions.stdout.split() == [__version__, nox_version()]


def test_generated_files_are_lint_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": "", "docs/conf.py": "", "tests/test_demo.py": ""}, MYPY)
    assert run_init(root, capsys=capsys)[0] == 0
    ruff = str(BIN / "ruff")
    rules = "E,F,W,I,UP,B,SIM,RUF,PTH,S"
    for cmd in (
        [ruff, "check", "--isolated", "--select", rules, "noxfile.py"],
        [ruff, "format", "--isolated", "--check", "noxfile.py"],
    ):
        result = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    mypy = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", "noxfile.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": ""},
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def nox(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real nox of this environment (the header's nox and sprintlock are installed here)."""
    return subprocess.run(
        [str(BIN / "nox"), "--no-color", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_the_sprintlock_sessions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check, lock and upgrade run the sprintlock that runs the noxfile: no environment to build."""
    root = write_demo(tmp_path / "project")
    assert run_init(root, capsys=capsys)[0] == 0
    assert nox(root, "-s", "check").returncode == 0
    (root / "requirements/tests.in").write_text("pytest\nbeta\n")
    stale = nox(root, "-s", "check")
    assert stale.returncode != 0 and "requirements/tests.txt" in stale.stdout + stale.stderr
    assert nox(root, "-s", "lock").returncode == 0
    assert nox(root, "-s", "check").returncode == 0
    assert "\nbeta==2.0 " in (root / "requirements/tests.txt").read_text()
    result = nox(root, "-s", "upgrade", "--", "alpha")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "upgrade-report.md").is_file() and (root / "upgrade-report.json").is_file()
    assert not (root / ".nox" / "check").exists()  # python=False: no environment


def test_a_missing_python_is_skipped_locally_and_an_error_on_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = next((v for v in reversed(KNOWN_PYTHONS) if not find_interpreter(v)), None)
    if missing is None:
        pytest.skip("every known CPython is installed: no session lacks its interpreter")
    root = write_demo(tmp_path / "project")
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text() + f'\n[tool.sprintlock]\npython = ["3.11", "{missing}"]\n'
    )
    assert run_init(root, capsys=capsys)[0] == 0
    local = nox(root, "-s", f"tests-{missing}")
    assert local.returncode == 0, local.stdout + local.stderr
    assert "Missing interpreters will error by default on CI systems" in local.stderr
    on_ci = nox(root, "-s", f"tests-{missing}", env={"CI": "true"})
    assert on_ci.returncode != 0
    assert f"Python interpreter {missing} not found" in on_ci.stderr


def test_the_dev_session_makes_dot_venv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_demo(tmp_path / "project")
    assert run_init(root, capsys=capsys)[0] == 0
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    result = nox(root, "-s", "dev")
    assert result.returncode == 0, result.stdout + result.stderr
    assert installed(root / ".venv") == expected(root, "dev")
    assert (root / ".git" / "hooks" / "pre-commit").is_file()
    # Warm: the stamp matches, nothing is installed.
    again = nox(root, "-s", "dev")
    assert again.returncode == 0 and "up to date with the dev lock" in again.stdout + again.stderr


@pytest.mark.parametrize("extra", [(), ("--tox",)])
def test_an_initialised_project_conforms_to_the_standard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    """init and doctor hold each other to one standard: init's output has no drift at all."""
    root = make(tmp_path, {"src/demo/__init__.py": "", "docs/conf.py": ""}, MYPY)
    assert run_init(root, *extra, capsys=capsys)[0] == 0
    code = main(["-C", str(root), "doctor"])
    out = capsys.readouterr().out
    assert code == 0, out
