"""Minimum-versions layers: ``BASE-min`` (exact pins) is locked with ``BASE.in``'s tools, complete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sprintlock._lock.check import check
from sprintlock._lock.engine import lock
from sprintlock._lock.layers import discover, minimum_base
from sprintlock._lock.lockfile import parse_lock
from sprintlock._lock.staleness import LockFile, staleness
from sprintlock._project.config import load_project

MIN_LAYERS = {
    "requirements/tests.in": "testtool\nbeta\n",
    "requirements/tests-min.in": "alpha==1.0\n",
}


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def pins(root: Path, layer: str) -> dict[str, str]:
    parsed = parse_lock((root / f"requirements/{layer}.txt").read_text(), layer)
    assert parsed is not None
    return {pin.name: pin.version for pin in parsed.pins}


def test_a_min_layer_reads_its_base_input(tmp_path: Path) -> None:
    root = project(tmp_path, {**MIN_LAYERS, "requirements/docs-min.in": "alpha>=1\n"})
    layers = discover(load_project(root))
    minimum = layers["tests-min"]
    assert minimum.base == "tests"
    assert minimum.frozen
    assert minimum.inputs == (root / "requirements/tests-min.in", root / "requirements/tests.in")
    assert [s.path.name for s in minimum.sources] == ["tests-min.in", "tests.in"]
    assert layers["tests"].base is None and layers["tests"].inputs == (root / "requirements/tests.in",)
    # Not exact pins, or no base layer: an ordinary layer.
    assert layers["docs-min"].base is None and not layers["docs-min"].frozen


def test_which_names_are_min_layers(tmp_path: Path) -> None:
    root = project(tmp_path, {"requirements/min.in": "alpha==1.0\n", "requirements/lone-min.in": "alpha==1.0\n"})
    layers = discover(load_project(root))
    assert all(layer.base is None for layer in layers.values())
    assert [layer.frozen for layer in layers.values()] == [True, True]
    infile = layers["min"].infile
    assert minimum_base("tests-min", infile, {"tests"}) == "tests"
    assert minimum_base("tests-min", infile, {"docs"}) is None
    assert minimum_base("tests", infile, {"tests"}) is None


def test_a_min_layer_that_reads_its_base_already_adds_nothing(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"requirements/tests.in": "testtool\n", "requirements/tests-min.in": "-r tests.in\nalpha==1.0\n"}
    )
    minimum = discover(load_project(root))["tests-min"]
    assert minimum.base == "tests"
    assert minimum.inputs == (root / "requirements/tests-min.in",)


def test_a_base_that_includes_the_min_lock_is_no_cycle(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"requirements/tests.in": "-r tests-min.txt\ntesttool\n", "requirements/tests-min.in": "alpha==1.0\n"}
    )
    layers = discover(load_project(root))
    assert layers["tests-min"].base is None
    assert list(layers) == ["tests-min", "tests"]


def test_the_min_lock_is_complete_and_keeps_the_minimums(make_project: Callable[..., Path]) -> None:
    root = make_project(MIN_LAYERS)
    lock(load_project(root))
    tests, minimum = pins(root, "tests"), pins(root, "tests-min")
    assert tests["alpha"] == "2.0" and tests["beta"] == "2.0"
    # The tools of tests.in, with the minimum alpha (so the beta that allows it), and the project's deps.
    assert minimum == {"alpha": "1.0", "beta": "1.0", "testtool": "1.0", "iniconfig": "2.0", **_markered(minimum)}
    # Different versions from the tests lock, by design: check accepts them (a frozen layer).
    assert check(load_project(root)).ok


def _markered(found: dict[str, str]) -> dict[str, str]:
    return {name: version for name, version in found.items() if name in ("colorama", "exceptiongroup")}


def test_a_changed_base_input_makes_the_min_lock_stale(make_project: Callable[..., Path]) -> None:
    root = make_project(MIN_LAYERS)
    lock(load_project(root))
    (root / "requirements/tests.in").write_text("testtool\nbeta\niniconfig<2\n")
    project_ = load_project(root)
    layers = discover(project_)
    files = {name: LockFile.load(layer.lock_path, name, root=root) for name, layer in layers.items()}
    assert staleness(project_, layers["tests-min"], files)
    lock(project_)
    assert pins(root, "tests-min")["iniconfig"] == "1.0"
    assert check(load_project(root)).ok


def test_upgrades_never_move_a_min_lock(make_project: Callable[..., Path]) -> None:
    root = make_project({**MIN_LAYERS, "requirements/tests.in": "testtool\niniconfig<2\n"})
    lock(load_project(root))
    (root / "requirements/tests.in").write_text("testtool\niniconfig\n")
    lock(load_project(root))  # relaxed: both locks keep iniconfig 1.0 (preferences)
    assert pins(root, "tests")["iniconfig"] == pins(root, "tests-min")["iniconfig"] == "1.0"
    before = (root / "requirements/tests-min.txt").read_bytes()
    lock(load_project(root), upgrade=True)
    assert pins(root, "tests")["iniconfig"] == "2.0"
    assert (root / "requirements/tests-min.txt").read_bytes() == before
    assert check(load_project(root)).ok
    # Relocked from scratch, its tools take the versions the tests lock pins now.
    (root / "requirements/tests-min.txt").unlink()
    lock(load_project(root))
    assert pins(root, "tests-min")["iniconfig"] == "2.0"
    assert pins(root, "tests-min")["alpha"] == "1.0"


def test_pip_tools_locks_a_complete_min_layer_too(make_project: Callable[..., Path]) -> None:
    pyproject = (
        '[project]\nname = "demo"\nversion = "1.0"\ndependencies = ["alpha>=1.0"]\n'
        '[tool.sprintlock]\nresolver = "pip-tools"\npython = ["3.11"]\nplatforms = ["linux"]\n'
    )
    root = make_project(MIN_LAYERS, pyproject=pyproject)
    lock(load_project(root))
    assert pins(root, "tests-min") == {"alpha": "1.0", "beta": "1.0", "testtool": "1.0", "iniconfig": "2.0"}
    assert check(load_project(root)).ok
