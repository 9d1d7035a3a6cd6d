"""The pip-tools resolver: the real pip-compile, once per target interpreter, merged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ON_CI, snapshot, use_index
from wheelhouse import SAMPLE, Dist, build_index, repack_installed, write_simple_index

from sprintlock import check, load_project, lock
from sprintlock._core.tools import current_version, find_interpreter
from sprintlock._lock.lockfile import parse_lock
from sprintlock._project.targets import KNOWN_PYTHONS

CURRENT = current_version()
PIPTOOLS = '\n[tool.sprintlock]\nresolver = "pip-tools"\npython = [{pythons}]\n{platforms}'


def other_python() -> str:
    """A second CPython to merge with; required on CI, where every target is installed."""
    for version in ("3.12", "3.11", "3.13", "3.10"):
        if version != CURRENT and find_interpreter(version):
            return version
    if ON_CI:
        pytest.fail("CI must provide a second CPython (python3.X on PATH) for the pip-tools merge tests")
    pytest.skip("no second CPython on PATH: install one (e.g. python3.12) to run the merge tests")


def missing_python() -> str:
    """A CPython version sprintlock knows that is not installed here (a target no interpreter covers)."""
    for version in reversed(KNOWN_PYTHONS):
        if not find_interpreter(version):
            return version
    pytest.skip("every known CPython is installed: no target is left uncovered")


def pyproject(*pythons: str, linux_only: bool = False) -> str:
    quoted = ", ".join(f'"{v}"' for v in pythons)
    platforms = 'platforms = ["linux"]\n' if linux_only else ""
    return '[project]\nname = "demo"\nversion = "1.0"\ndependencies = []\n' + PIPTOOLS.format(
        pythons=quoted, platforms=platforms
    )


def lock_pins(root: Path, layer: str) -> dict[str, str]:
    parsed = parse_lock((root / "requirements" / f"{layer}.txt").read_text(), layer)
    assert parsed is not None
    return {f"{p.name} ; {p.marker}" if p.marker else p.name: p.version for p in parsed.pins}


def test_single_interpreter_lock_reports_what_it_does_not_cover(make_project: Callable[..., Path]) -> None:
    missing = missing_python()
    root = make_project({"requirements/tests.in": "testtool\n"}, pyproject=pyproject(CURRENT, missing))
    lock(load_project(root))
    text = (root / "requirements/tests.txt").read_text()
    assert "# resolver: pip-tools" in text
    assert f"# covers: python {CURRENT}; platforms linux" in text
    assert "--hash=sha256:" in text
    report = check(load_project(root))
    assert [p.code for p in report.problems] == ["uncovered"]
    problem = report.problems[0]
    assert f"python {missing}" in problem.message and "macos windows" in problem.message
    assert 'resolver = "uv"' in problem.hint


def test_pip_compile_errors_are_user_errors(make_project: Callable[..., Path]) -> None:
    root = make_project({"requirements/tests.in": "no-such-package\n"}, pyproject=pyproject(CURRENT))
    before = snapshot(root)
    with pytest.raises(Exception, match="pip-compile could not resolve") as info:
        lock(load_project(root))
    assert getattr(info.value, "where", None) == "requirements/tests.in"
    assert snapshot(root) == before


@pytest.fixture(scope="session")
def merge_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Sample wheels whose needs differ between two interpreters, plus the real pip-tools."""
    low, high = sorted((CURRENT, other_python()), key=lambda v: tuple(map(int, v.split("."))))
    folder = tmp_path_factory.mktemp("merge-index")
    extra = (
        Dist("shim", "1.0"),
        Dist("app", "1.0", (f'shim; python_version < "{high}"', "modern")),
        Dist("modern", "1.0"),
        Dist("modern", "2.0", requires_python=f">={high}"),
    )
    build_index(folder, (*SAMPLE, *extra))
    repack_installed(folder, ["pip-tools"])
    return write_simple_index(folder), low, high


def test_lock_merges_one_resolution_per_interpreter(
    make_project: Callable[..., Path], merge_index: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    simple, low, high = merge_index
    use_index(monkeypatch, simple)
    root = make_project({"requirements/tests.in": "app\n"}, pyproject=pyproject(low, high, linux_only=True))
    lock(load_project(root))
    pins = lock_pins(root, "tests")
    # Needed only below `high`: kept, with the marker that says so.
    assert pins[f'shim ; python_version < "{high}"'] == "1.0"
    # Different versions on different interpreters: one line each, exclusive markers.
    assert pins[f'modern ; python_version < "{high}"'] == "1.0"
    assert pins[f'modern ; python_version >= "{high}"'] == "2.0"
    assert pins["app"] == "1.0"
    text = (root / "requirements/tests.txt").read_text()
    assert f"# covers: python {low} {high}; platforms linux" in text
    assert check(load_project(root)).problems == ()
    # Unchanged inputs, same bytes (the merge is deterministic).
    before = snapshot(root)
    lock(load_project(root), everything=True)
    assert snapshot(root) == before
