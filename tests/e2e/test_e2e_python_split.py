"""``lock --all`` on a many-layer project whose versions split by Python, offline with the fake index.

The layers are resolved together once; each lock is its layer's own part of that
resolution (uv's export of its dependency group), with its own markers. ``check``
accepts the result, a second run writes nothing, ``lock NAME`` and ``upgrade`` keep the
layers consistent, and layers that truly conflict are one error naming them and the
package.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import snapshot, use_index
from wheelhouse import SAMPLE, Dist, build_index

from sprintlock import check, load_project, lock
from sprintlock._cli.main import main
from sprintlock._core.process import Result, run
from sprintlock._lock import engine
from sprintlock._lock.lockfile import Pin, parse_lock, parse_pins
from sprintlock._lock.resolvers.uv import UvResolver
from sprintlock._lock.resolvers.uvgraph import read_graph
from sprintlock._lock.resolvers.uvgroups import STAGE_PROJECT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

NEW = 'python_version >= "3.10"'
OLD = 'python_version < "3.10"'
SPLIT = (
    # markdown-it-py style: the new release needs Python 3.10; rich picks by Python.
    Dist("mdparse", "2.2.0"),
    Dist("mdparse", "3.0.0", requires_python=">=3.10"),
    Dist("richtext", "13.0", (f"mdparse>=3; {NEW}", f"mdparse<3; {OLD}", "helper")),
    Dist("mdplugin", "0.4", ("mdparse",)),
    Dist("helper", "1.0"),
    Dist("helper", "1.1"),
    # cachetools style: 8 needs Python 3.11; tox picks by Python.
    Dist("cachebox", "7.0"),
    Dist("cachebox", "8.0", requires_python=">=3.11"),
    Dist("toolbox", "4.0", ('cachebox>=8; python_version >= "3.11"', 'cachebox<8; python_version < "3.11"')),
    # build + twine style: both need the packaging metadata reader, split by Python.
    Dist("pkgmeta", "1.5"),
    Dist("pkgmeta", "2.1", requires_python=">=3.10"),
    Dist("builder", "1.2", (f"pkgmeta>=2; {NEW}", f"pkgmeta<2; {OLD}")),
    Dist("uploader", "6.0", ("pkgmeta", "richtext")),
    Dist("winonly", "1.0"),
    Dist("platformtool", "2.0", ('winonly; sys_platform == "win32"', "helper")),
    # coverage[toml] style: an extra that needs a backport on old Pythons only.
    Dist("tomlish", "2.0"),
    Dist("covtool", "7.0", extras={"toml": ('tomlish; python_version <= "3.11"',)}),
    Dist("oldbackport", "1.0", ('tomlish; python_version < "3.11"', 'winonly; python_version < "3.11"')),
    # A package needed only through a release for new Pythons: its marker joins both.
    Dist("newlib", "1.0"),
    Dist("newlib", "2.0", ('tomlish; python_version < "3.12"', 'winonly; sys_platform == "win32"'), ">=3.10"),
    Dist("picker", "1.0", (f"newlib>=2; {NEW}", f"newlib<2; {OLD}")),
)
LAYERS = {
    "requirements/base.in": "richtext\n",
    "requirements/docs.in": "mdplugin\ndocbuilder\n",
    "requirements/tests.in": "-c constraints.txt\ntesttool\nmdplugin\ntoolbox\n",
    "requirements/constraints.txt": "helper<1.1\n",
    "requirements/lint.in": "toolbox\nplatformtool\n",
    "requirements/typing.in": "-r tests.in\ntypecheck\n",
    "requirements/build.in": "builder\nuploader\n",
    "requirements/release.in": "-r build.txt\nfastlib\n",
    "requirements/dev.in": "-r tests.txt\n-r docs.txt\n-r lint.txt\niniconfig\n",
    "requirements/min.in": "alpha==1.0\nhelper==1.0\n",
    "requirements/cov.in": "covtool[toml]\noldbackport\nplatformtool\n",
    "requirements/api.in": "picker\n",
}
PYPROJECT = (
    '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.9"\ndependencies = ["alpha>=1.0", "beta"]\n'
)


@pytest.fixture(scope="session")
def split_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("split-index"), (*SAMPLE, *SPLIT))


@pytest.fixture
def project(tmp_path: Path, split_index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_index(monkeypatch, split_index)
    root = tmp_path / "project"
    for relative, text in {"pyproject.toml": PYPROJECT, **LAYERS}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def pins(root: Path, layer: str) -> dict[str, str]:
    parsed = parse_lock((root / f"requirements/{layer}.txt").read_text(), layer)
    assert parsed is not None
    return {f"{p.name} ; {p.marker}" if p.marker else p.name: p.version for p in parsed.pins}


def test_lock_all_ends_with_locks_check_accepts(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(project), "lock", "--all"]) == 0, capsys.readouterr()
    assert check(load_project(project)).ok
    tests = pins(project, "tests")
    assert tests[f"mdparse ; {NEW.replace('python_version', 'python_full_version')}"] == "3.0.0"
    assert tests[f"mdparse ; {OLD.replace('python_version', 'python_full_version')}"] == "2.2.0"
    assert tests['cachebox ; python_full_version >= "3.11"'] == "8.0"
    assert tests['cachebox ; python_full_version < "3.11"'] == "7.0"
    # A layer's lock is its own part of the resolution: base needs neither testtool nor toolbox.
    assert {"richtext", "helper", 'mdparse ; python_full_version >= "3.10"'} <= set(pins(project, "base"))
    assert not {"testtool", "toolbox", "iniconfig"} & set(pins(project, "base"))
    # tests' -c constraints.txt limits helper for every layer (they are installed together) ...
    assert pins(project, "base")["helper"] == pins(project, "lint")["helper"] == "1.0"
    # ... but is no requirement of tests: tests does not need helper.
    assert "helper" not in tests
    # The layers that include locks hold them whole.
    dev = pins(project, "dev")
    for layer in ("tests", "docs", "lint"):
        assert set(pins(project, layer)) <= set(dev)
    assert set(pins(project, "build")) <= set(pins(project, "release"))
    assert (pins(project, "min")["alpha"], pins(project, "min")["helper"]) == ("1.0", "1.0")
    # A marker-conditional edge keeps its marker: winonly only on Windows.
    assert pins(project, "lint")['winonly ; sys_platform == "win32"'] == "1.0"


def test_a_second_lock_all_writes_nothing(project: Path) -> None:
    lock(load_project(project), everything=True)
    before = snapshot(project)
    outcome = lock(load_project(project), everything=True)
    assert outcome.written == ()
    assert snapshot(project) == before


def test_lock_one_layer_keeps_the_others_consistent(project: Path) -> None:
    lock(load_project(project), everything=True)
    (project / "requirements/lint.in").write_text("toolbox\nplatformtool\niniconfig<2\n")
    outcome = lock(load_project(project), ["lint"])
    compiled = {r.name for r in outcome.layers if r.compiled}
    # The layers pinning iniconfig (through testtool) move with lint; the others are left alone.
    assert compiled == {"lint", "tests", "typing", "dev"}
    for layer in ("lint", "tests", "typing", "dev"):
        assert pins(project, layer)["iniconfig"] == "1.0"
    assert check(load_project(project)).ok


def test_upgrade_and_upgrade_one_package(project: Path) -> None:
    (project / "requirements/docs.in").write_text("mdplugin\ndocbuilder\nhelper<1.1\n")
    lock(load_project(project), everything=True)
    (project / "requirements/docs.in").write_text("mdplugin\ndocbuilder\n")
    (project / "requirements/constraints.txt").write_text("")
    lock(load_project(project))
    assert pins(project, "base")["helper"] == "1.0"  # relaxed, not moved
    lock(load_project(project), upgrade_packages=["helper"])
    assert pins(project, "base")["helper"] == pins(project, "lint")["helper"] == "1.1"
    assert pins(project, "min")["helper"] == "1.0"  # frozen layers never move
    lock(load_project(project), upgrade=True)
    assert check(load_project(project)).ok


def test_the_locks_match_what_each_layer_resolved_alone_gives(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Where the layers need the same releases, the export writes the bytes the per-layer path writes.
    same = {name: text for name, text in LAYERS.items() if Path(name).stem in ("base", "build", "release", "min")}
    shutil.rmtree(project / "requirements")
    for relative, text in same.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text)
    lock(load_project(project), everything=True)
    together = snapshot(project)
    for path in (project / "requirements").glob("*.txt"):
        path.unlink()
    with monkeypatch.context() as patch:
        patch.setattr(engine, "servable", lambda state: {})
        lock(load_project(project), everything=True)
    assert snapshot(project) == together


def test_layers_that_truly_conflict_are_one_error_naming_them(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "requirements/base.in").write_text("richtext\nbeta>=2\n")
    before = snapshot(project)
    assert main(["-C", str(project), "-q", "lock", "--all"]) == 2
    err = capsys.readouterr().err
    assert "cannot agree" in err
    assert "alpha: " in err
    assert "requirements/base.txt" in err
    assert "requirements/docs.txt" in err
    assert "Traceback" not in err
    assert snapshot(project) == before


def test_each_layer_read_from_the_staged_lock_is_what_uv_exports(project: Path) -> None:
    # The layers are read from the staged uv.lock's graph; where it answers, the answer is
    # uv's own export of the layer's group, byte for byte once parsed (markers, hashes, via).
    answered: dict[str, bool] = {}

    def exporting(cmd: Sequence[str], *, cwd: Path | None = None, env: object = None) -> Result:
        result = run(cmd, cwd=cwd)
        if cmd[1] == "lock" and cwd is not None:
            graph = read_graph((cwd / "uv.lock").read_text(), STAGE_PROJECT, "3.9")
            assert graph is not None
            groups = tomllib.loads((cwd / "pyproject.toml").read_text())["dependency-groups"]
            for group in groups:
                export = [*cmd[:1], "export", "--frozen", "--no-emit-project", "--no-header", "--only-group", group]
                exported = parse_pins(run(export, cwd=cwd).stdout)
                names = {pin.name for pin in exported}
                read = graph.pins(group, hashes=True)
                answered[group] = read is not None
                if read is not None:
                    assert [without_root(pin, names) for pin in read] == [without_root(pin, names) for pin in exported]
        return result

    lock(load_project(project), everything=True, resolver=UvResolver(exporting))
    assert check(load_project(project)).ok
    # cov needs tomlish before 3.11 (oldbackport) and before 3.12 (covtool[toml]): that is one
    # of the lock's markers, so it is read; winonly before 3.11 or on Windows: none is, so exported.
    assert answered == {group: group != "cov" for group in answered}
    assert len(answered) == len(LAYERS) - 2  # min is frozen; constraints.txt is no layer
    api = pins(project, "api")  # markers the lock does not hold, written as uv writes them
    assert api['tomlish ; python_full_version >= "3.10" and python_full_version < "3.12"'] == "2.0"
    assert api['winonly ; python_full_version >= "3.10" and sys_platform == "win32"'] == "1.0"
    cov = pins(project, "cov")
    assert cov['tomlish ; python_full_version < "3.12"'] == "2.0"
    assert cov['winonly ; python_full_version < "3.11" or sys_platform == "win32"'] == "1.0"


def without_root(pin: Pin, names: set[str]) -> Pin:
    """``pin`` with its ``# via`` among ``names`` only (uv's export names the staged project too)."""
    return replace(pin, via=tuple(sorted(via for via in pin.via if via in names)))
