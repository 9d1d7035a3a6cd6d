"""The layers resolved together by uv: one ``uv lock`` of a staged project, one ``uv export`` per layer.

Offline, against the fake index: each layer gets its own markers, a package split by Python
stays split, pinned versions are kept, a second ``lock --all`` writes nothing, and layers
that conflict are still one error naming them.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from conftest import snapshot, use_index
from wheelhouse import SAMPLE, Dist, build_index

from sprintlock import check, load_project, lock
from sprintlock._core.errors import ResolutionError
from sprintlock._core.process import Result, run
from sprintlock._lock.lockfile import Pin, make_pin, parse_lock
from sprintlock._lock.resolvers import Group, GroupsJob
from sprintlock._lock.resolvers.uv import UvResolver
from sprintlock._lock.resolvers.uvgroups import explain, group_names, own_uv_settings, preference_lock, staged_project
from sprintlock._project.targets import Targets

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

WIN32 = 'sys_platform == "win32"'
OLD = 'python_full_version < "3.10"'
NEW = 'python_full_version >= "3.10"'
SPLIT = (
    Dist("mdparse", "2.2.0"),
    Dist("mdparse", "3.0.0", requires_python=">=3.10"),
    Dist("richtext", "13.0", ('mdparse>=3; python_version >= "3.10"', 'mdparse<3; python_version < "3.10"')),
    Dist("shell", "1.0", ("colorama",)),
    Dist("oldtool", "1.0", ('colorama; python_version < "3.11"',)),
)


@pytest.fixture(scope="session")
def groups_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("groups-index"), (*SAMPLE, *SPLIT))


@pytest.fixture
def project(
    make_project: Callable[..., Path], groups_index: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    def make(files: dict[str, str]) -> Path:
        use_index(monkeypatch, groups_index)
        return make_project(files)

    return make


def pins(root: Path, layer: str) -> dict[str, Pin]:
    parsed = parse_lock((root / f"requirements/{layer}.txt").read_text(), layer)
    assert parsed is not None
    return {f"{p.name} ; {p.marker}" if p.marker else p.name: p for p in parsed.pins}


def test_each_layer_gets_its_own_markers(project: Callable[..., Path]) -> None:
    # tests needs colorama on Windows only (through testtool); tox needs it everywhere (through shell).
    root = project({"requirements/tests.in": "testtool\n", "requirements/tox.in": "shell\n"})
    lock(load_project(root), everything=True)
    tests, tox = pins(root, "tests"), pins(root, "tox")
    assert f"colorama ; {WIN32}" in tests
    assert "colorama" not in tests  # not everywhere, as the union of both layers would have it
    assert tox["colorama"].version == tests[f"colorama ; {WIN32}"].version == "0.4.6"
    # The # via labels are those a resolution of the layer alone gives.
    assert tests[f"colorama ; {WIN32}"].via == ("testtool",)
    assert tests["testtool"].via == ("-r tests.in",)
    assert tests["alpha"].via == ("pyproject.toml",)
    assert tox["colorama"].via == ("shell",)
    assert check(load_project(root)).ok


def test_a_package_split_by_python_stays_split(project: Callable[..., Path]) -> None:
    root = project({"requirements/docs.in": "richtext\n", "requirements/tests.in": "testtool\n"})
    lock(load_project(root), everything=True)
    docs = pins(root, "docs")
    assert docs[f"mdparse ; {OLD}"].version == "2.2.0"
    assert docs[f"mdparse ; {NEW}"].version == "3.0.0"
    assert docs[f"mdparse ; {OLD}"].via == ("richtext",)
    assert not any(key.startswith("mdparse") for key in pins(root, "tests"))
    assert check(load_project(root)).ok


def test_an_older_pinned_version_stays_after_relock(project: Callable[..., Path]) -> None:
    root = project({"requirements/tests.in": "testtool\niniconfig<2\n", "requirements/lint.in": "iniconfig<2\n"})
    lock(load_project(root), everything=True)
    (root / "requirements/tests.in").write_text("testtool\n")
    (root / "requirements/lint.in").write_text("iniconfig\n")
    lock(load_project(root), everything=True)
    assert pins(root, "tests")["iniconfig"].version == pins(root, "lint")["iniconfig"].version == "1.0"
    lock(load_project(root), upgrade_packages=["iniconfig"])
    assert pins(root, "tests")["iniconfig"].version == pins(root, "lint")["iniconfig"].version == "2.0"


def test_lock_all_twice_writes_nothing_the_second_time(project: Callable[..., Path]) -> None:
    root = project(
        {
            "requirements/tests.in": "testtool\n",
            "requirements/docs.in": "richtext\n",
            "requirements/dev.in": "-r tests.txt\n-r docs.txt\nshell\n",
        }
    )
    lock(load_project(root), everything=True)
    before = snapshot(root)
    outcome = lock(load_project(root), everything=True)
    assert outcome.written == ()
    assert snapshot(root) == before
    dev = pins(root, "dev")
    assert dev["colorama"].via == ("-r tests.txt", "shell", "testtool")  # everywhere in dev, which installs shell
    assert set(pins(root, "tests")) - {f"colorama ; {WIN32}"} <= set(dev)
    assert dev["testtool"].via == ("-r tests.txt",)


def test_layers_that_conflict_are_one_error_naming_them(project: Callable[..., Path]) -> None:
    root = project({"requirements/tests.in": "beta>=2\n", "requirements/docs.in": "docbuilder\n"})
    before = snapshot(root)
    with pytest.raises(ResolutionError) as raised:
        lock(load_project(root), everything=True)
    message = raised.value.message
    assert "the layers docs, tests cannot agree on one version per package" in message
    assert "alpha: " in message
    assert "requirements/docs.txt" in message and "requirements/tests.txt" in message
    # uv's explanation names the layers.
    assert "layer tests" in message and "layer docs" in message  # (uv wraps its lines to the terminal)
    assert "sprintlock-layers" not in message and "Using CPython" not in message
    assert snapshot(root) == before


def recorder(seen: list[tuple[list[str], Path | None]], groups: list[dict[str, object]] | None = None) -> UvResolver:
    """uv, each command it runs recorded (with the folder it runs in), and the staged groups each ``uv lock`` saw."""

    def recording(cmd: Sequence[str], *, cwd: Path | None = None, env: object = None) -> Result:
        seen.append((list(cmd), cwd))
        if cmd[1] == "lock" and groups is not None:
            groups.append(tomllib.loads((Path(str(cwd)) / "pyproject.toml").read_text())["dependency-groups"])
        return run(cmd, cwd=cwd)

    return UvResolver(recording)


def test_uv_runs_one_lock_in_the_stage_and_reads_each_layer_from_it(project: Callable[..., Path]) -> None:
    root = project({"requirements/tests.in": "testtool\n", "requirements/tox.in": "shell\n"})
    seen: list[tuple[list[str], Path | None]] = []
    staged_groups: list[dict[str, object]] = []
    lock(load_project(root), everything=True, resolver=recorder(seen, staged_groups))
    assert [cmd[1] for cmd, _ in seen] == ["lock"]  # no export: the staged uv.lock answers for both layers
    cwd = seen[0][1]
    assert cwd is not None and cwd != root
    assert set(staged_groups[0]) == {"tests", "tox"}
    assert all(pin.hashes for pin in pins(root, "tox").values())
    assert f"colorama ; {WIN32}" in pins(root, "tests")
    # Without hashes, the locks have none.
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n[tool.sprintlock]\nhashes = false\n")
    lock(load_project(root), everything=True)
    assert not any(pin.hashes for pin in pins(root, "tox").values())
    assert "--hash" not in (root / "requirements/tox.txt").read_text()


def test_a_layer_the_graph_cannot_answer_for_is_exported(project: Callable[..., Path]) -> None:
    # In ``mixed``, colorama is needed on Windows (testtool) and before Python 3.11 (oldtool):
    # no marker of the lock means that, so uv writes it; ``tox`` is read from the graph.
    root = project(
        {"requirements/mixed.in": "testtool\noldtool\n", "requirements/tox.in": "shell\n"},
    )
    seen: list[tuple[list[str], Path | None]] = []
    lock(load_project(root), everything=True, resolver=recorder(seen))
    assert [cmd[1] for cmd, _ in seen] == ["lock", "export"]
    export = seen[1][0]
    assert export[export.index("--only-group") + 1] == "mixed"
    assert "--no-hashes" not in export
    mixed = pins(root, "mixed")
    assert [key for key in mixed if key.startswith("colorama")] == [
        'colorama ; python_full_version < "3.11" or sys_platform == "win32"'
    ]
    assert mixed['colorama ; python_full_version < "3.11" or sys_platform == "win32"'].via == ("oldtool", "testtool")
    assert "colorama" in pins(root, "tox")
    assert check(load_project(root)).ok


TARGETS = Targets(("3.9", "3.12"), ("linux",))


def test_uv_explanations_name_layers() -> None:
    names = {"docs": "docs", "docs_build": "docs-build"}
    output = "Using CPython 3.12.0\nBecause sprintlock-layers:docs-build and sprintlock-layers:docs conflict"
    assert explain(output, names) == "Because layer docs_build and layer docs conflict"


def test_group_names_are_valid_and_distinct() -> None:
    assert group_names(["tests", "Docs_Build", "docs.build", "layer-3", "-odd-"]) == {
        "tests": "tests",
        "Docs_Build": "docs-build",
        "docs.build": "layer-2",
        "layer-3": "layer-3",
        "-odd-": "layer-4",
    }


def test_the_staged_project_holds_one_group_per_layer(tmp_path: Path) -> None:
    job = GroupsJob(
        groups=(
            Group("tests", ("testtool", 'greenlet ; python_version < "3.11"')),
            Group("dev_tools", ("shell",), includes=("tests",)),
        ),
        folder=tmp_path,
        constraints=("helper<1.1",),
        preferred=(),
        targets=TARGETS,
        hashes=True,
    )
    staged = tomllib.loads(staged_project(job, group_names(["tests", "dev_tools"])))
    assert staged["project"]["requires-python"] == ">=3.9"
    assert staged["dependency-groups"] == {
        "tests": ["testtool", 'greenlet ; python_version < "3.11"'],
        "dev-tools": [{"include-group": "tests"}, "shell"],
    }
    assert staged["tool"]["uv"] == {"package": False, "constraint-dependencies": ["helper<1.1"]}


def test_the_preference_lock_has_one_package_per_name_and_version() -> None:
    preferred = (
        make_pin("mdparse", "2.2.0", OLD),
        make_pin("mdparse", "3.0.0", NEW),
        make_pin("mdparse", "3.0.0"),
        make_pin("alpha", "1.0"),
        make_pin("beta", "not-a-version"),
    )
    lock_data = tomllib.loads(preference_lock(preferred, ">=3.9"))
    assert (lock_data["version"], lock_data["requires-python"]) == (1, ">=3.9")
    assert [(p["name"], p["version"]) for p in lock_data["package"]] == [
        ("mdparse", "2.2.0"),
        ("mdparse", "3.0.0"),
        ("alpha", "1.0"),
    ]
    assert all(set(p) == {"name", "version", "source"} for p in lock_data["package"])


def test_a_layer_that_includes_a_lock_gets_the_project_dependencies_it_holds(project: Callable[..., Path]) -> None:
    root = project({"requirements/tests.in": "testtool\n", "requirements/dev.in": "-r tests.txt\nshell\n"})
    with (root / "pyproject.toml").open("a") as handle:
        handle.write('\n[tool.sprintlock]\nproject-layers = ["tests"]\n')
    lock(load_project(root), everything=True)
    assert pins(root, "tests")["alpha"].via == ("pyproject.toml",)
    assert pins(root, "dev")["alpha"].via == ("-r tests.txt",)  # dev installs the project's dependencies through tests
    assert check(load_project(root)).ok


def test_the_project_s_own_uv_settings_are_found(tmp_path: Path) -> None:
    assert own_uv_settings(tmp_path) == ()
    (tmp_path / "pyproject.toml").write_text('[tool.uv]\npackage = false\ndev-dependencies = ["alpha"]\n')
    assert own_uv_settings(tmp_path) == ()  # they describe a uv project: uv pip compile ignores them
    (tmp_path / "pyproject.toml").write_text('[tool.uv]\nindex-url = "https://example.org/simple"\n[tool.uv.pip]\n')
    assert own_uv_settings(tmp_path) == ("[tool.uv] index-url", "[tool.uv] pip")
    (tmp_path / "uv.toml").write_text("")
    assert own_uv_settings(tmp_path)[0] == "uv.toml"


@pytest.mark.parametrize(
    ("settings", "commands"),
    [
        ("[tool.uv]\ndev-dependencies = []\n", ["lock"]),
        # uv pip compile, run at the project root, reads the project's index; uv lock in the stage would not.
        ('[tool.uv]\nextra-index-url = ["https://example.org/simple"]\n', ["pip"]),
    ],
)
def test_a_project_that_configures_uv_resolves_as_one_union(
    project: Callable[..., Path], settings: str, commands: list[str]
) -> None:
    root = project({"requirements/tests.in": "testtool\n", "requirements/tox.in": "shell\n"})
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n" + settings)
    seen: list[str] = []

    def recording(cmd: Sequence[str], *, cwd: Path | None = None, env: object = None) -> Result:
        seen.append(cmd[1])
        return run(cmd, cwd=cwd)

    lock(load_project(root), everything=True, resolver=UvResolver(recording))
    assert seen == commands


def test_uv_resolves_one_layer_set_at_a_time(project: Callable[..., Path]) -> None:
    # The frozen ``min`` resolves on its own, beside the others resolved together: never at
    # the same time as they are (concurrent uv resolutions contend for uv's cache).
    root = project(
        {"requirements/tests.in": "testtool\n", "requirements/tox.in": "shell\n", "requirements/min.in": "alpha==1.0\n"}
    )
    guard = threading.Lock()
    running: list[int] = [0]
    most: list[int] = []
    second = threading.Event()

    def recording(cmd: Sequence[str], *, cwd: Path | None = None, env: object = None) -> Result:
        if cmd[1] not in ("lock", "pip"):
            return run(cmd, cwd=cwd)
        with guard:
            running[0] += 1
            most.append(running[0])
            first = len(most) == 1
        if not first:
            second.set()
        else:  # give the other resolution the time to start, if it may
            second.wait(timeout=0.5)
        try:
            return run(cmd, cwd=cwd)
        finally:
            with guard:
                running[0] -= 1

    lock(load_project(root), everything=True, resolver=UvResolver(recording))
    assert most == [1, 1]
    assert check(load_project(root)).ok
