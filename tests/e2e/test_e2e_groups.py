"""A dependency-groups project on the command line: lock, check, errors, and ``init`` adopting the groups."""

from __future__ import annotations

from pathlib import Path

import pytest
from initkit import init_index, init_index_dir  # noqa: F401 - fixtures

from sprintlock._cli.main import main
from sprintlock._lock.lockfile import parse_lock

pytestmark = pytest.mark.usefixtures("init_index")

HEAD = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha>=1.0"]\n'
GROUPS = (
    HEAD + "\n[dependency-groups]\n"
    'tests = ["pytest", "iniconfig"]\n'  # line 8
    'docs = ["sphinx"]\n'  # line 9
    'typing = ["mypy", {include-group = "tests"}]\n'  # line 10
    'dev = [{include-group = "typing"}, {include-group = "docs"}, "pre-commit"]\n'  # line 11
)


def make(tmp_path: Path, pyproject: str, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(pyproject)
    for relative, text in (files or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def cli(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lock_then_check_fresh_then_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, GROUPS)
    code, out, err = cli(root, "lock", capsys=capsys)
    assert code == 0, out + err
    # Compile order: an included group's lock is written before the locks that include it.
    order = [line.split(":")[0] for line in out.splitlines() if line.startswith("requirements/")]
    assert order.index("requirements/tests.txt") < order.index("requirements/typing.txt")
    assert order.index("requirements/typing.txt") < order.index("requirements/dev.txt")
    assert order.index("requirements/docs.txt") < order.index("requirements/dev.txt")
    dev = parse_lock((root / "requirements/dev.txt").read_text(), "dev")
    assert dev is not None
    assert {"pytest", "mypy", "sphinx", "pre-commit", "iniconfig"} <= {pin.name for pin in dev.pins}
    assert cli(root, "check", capsys=capsys)[:2] == (0, "4 locks are fresh\n")

    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('docs = ["sphinx"]', 'docs = ["sphinx", "beta"]'))
    code, out, _ = cli(root, "check", capsys=capsys)
    assert code == 1
    assert "requirements/docs.txt: [stale] stale: pyproject.toml [dependency-groups] docs changed" in out
    assert "requirements/dev.txt: [stale] stale: includes requirements/docs.txt, which is stale" in out
    assert "requirements/tests.txt" not in out
    assert cli(root, "lock", capsys=capsys)[0] == 0
    assert cli(root, "check", capsys=capsys)[:2] == (0, "4 locks are fresh\n")


def test_a_cycle_is_exit_2_naming_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, GROUPS.replace('tests = ["pytest", "iniconfig"]', 'tests = [{include-group = "dev"}]'))
    for command in ("lock", "check"):
        code, _, err = cli(root, command, capsys=capsys)
        assert code == 2
        assert "pyproject.toml:8" in err
        assert "circular include-group" in err
    assert not (root / "requirements").exists()


def test_a_group_and_an_in_file_of_one_name_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, GROUPS, {"requirements/docs.in": "sphinx\n"})
    code, _, err = cli(root, "lock", capsys=capsys)
    assert code == 2
    assert "pyproject.toml:9" in err
    assert "layer 'docs' is defined twice: by requirements/docs.in and by the dependency group 'docs'" in err
    assert sorted(p.name for p in (root / "requirements").iterdir()) == ["docs.in"]


def test_init_uses_the_groups_and_notes_uv_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = GROUPS.replace(HEAD, HEAD + "\n[tool.mypy]\nstrict = true\n") + 'gha-update = ["beta"]\n'
    root = make(tmp_path, pyproject, {"uv.lock": "version = 1\n", "docs/conf.py": ""})
    code, out, err = cli(root, "init", capsys=capsys)
    assert code == 0, out + err
    # Every standard layer is a group: the only generic input is build.in.
    assert sorted(p.name for p in (root / "requirements").glob("*.in")) == ["build.in"]
    locks = sorted(p.name for p in (root / "requirements").glob("*.txt"))
    assert locks == ["build.txt", "dev.txt", "docs.txt", "gha-update.txt", "tests.txt", "typing.txt"]
    assert "uv.lock: this project is managed by uv" in out
    assert (root / "uv.lock").read_text() == "version = 1\n"
    noxfile = (root / "noxfile.py").read_text()
    assert '"gha-update"' in noxfile  # a group no standard session installs gets its own session
    assert cli(root, "check", capsys=capsys)[:2] == (0, "6 locks are fresh\n")


def test_init_writes_generic_inputs_only_for_what_no_group_covers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make(tmp_path, HEAD + '\n[dependency-groups]\ntests = ["pytest"]\n')
    code, out, err = cli(root, "init", capsys=capsys)
    assert code == 0, out + err
    assert sorted(p.name for p in (root / "requirements").glob("*.in")) == ["build.in", "dev.in"]
    assert "-r tests.txt" in (root / "requirements/dev.in").read_text()  # the dev layer includes the group's lock
    assert "managed by uv" not in out
    assert cli(root, "check", capsys=capsys)[0] == 0
