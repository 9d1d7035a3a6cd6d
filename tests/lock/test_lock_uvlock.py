"""``uv.lock`` as the resolver's preferences: read with tomllib, preferred after the layers' own pins."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sprintlock import check, load_project, lock
from sprintlock._lock.lockfile import make_pin, parse_lock
from sprintlock._lock.uvlock import parse_uv_lock, uv_lock_pins

PYPROJECT = """\
[project]
name = "demo"
version = "1.0"
requires-python = ">=3.11"
dependencies = []

[dependency-groups]
tests = ["beta", "iniconfig"]
dev = [{include-group = "tests"}, "typing-extensions"]
"""

#: What ``uv lock`` writes for that project (trimmed: no hashes or wheels, which are not read).
UV_LOCK = """\
version = 1
revision = 3
requires-python = ">=3.11"

[[package]]
name = "alpha"
version = "1.1"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://example.invalid/alpha-1.1.tar.gz", hash = "sha256:00" }

[[package]]
name = "beta"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "alpha" }]

[[package]]
name = "demo"
version = "1.0"
source = { editable = "." }

[[package]]
name = "iniconfig"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "Typing_Extensions"
version = "4.0.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_registry_releases_are_read_and_the_project_is_not() -> None:
    pins = parse_uv_lock(UV_LOCK)
    assert [(pin.name, pin.version, pin.marker) for pin in pins] == [
        ("alpha", "1.1", None),
        ("beta", "1.0", None),
        ("iniconfig", "1.0", None),
        ("typing-extensions", "4.0.0", None),  # normalised, as sprintlock's pins are
    ]


def test_a_forked_package_keeps_each_version_with_its_markers() -> None:
    text = (
        'version = 1\n\n[[package]]\nname = "numpy"\nversion = "2.0.2"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        "resolution-markers = [\"python_full_version < '3.10'\"]\n\n"
        '[[package]]\nname = "numpy"\nversion = "2.3.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        "resolution-markers = [\"python_full_version >= '3.12'\", \"python_full_version == '3.11.*'\"]\n\n"
        '[[package]]\nname = "tool"\nversion = "1.0"\nsource = { git = "https://example.invalid/tool?rev=1" }\n\n'
        '[[package]]\nname = "local"\nversion = "0.1"\nsource = { directory = "lib" }\n'
    )
    assert parse_uv_lock(text) == (
        make_pin("numpy", "2.0.2", "python_full_version < '3.10'"),
        make_pin("numpy", "2.3.0", "python_full_version >= '3.12' or python_full_version == '3.11.*'"),
    )


@pytest.mark.parametrize("text", ["", "not toml [", 'package = "x"\n', "[[package]]\nname = 1\n"])
def test_an_invalid_uv_lock_gives_no_preferences(text: str) -> None:
    assert parse_uv_lock(text) == ()


def test_a_project_without_uv_lock_has_none(tmp_path: Path) -> None:
    assert uv_lock_pins(tmp_path) == ()
    (tmp_path / "uv.lock").mkdir()  # not a file: uv's problem, no preferences
    assert uv_lock_pins(tmp_path) == ()


def versions(root: Path, layer: str) -> dict[str, str]:
    parsed = parse_lock((root / "requirements" / f"{layer}.txt").read_text(), layer)
    assert parsed is not None
    return {pin.name: pin.version for pin in parsed.pins}


def test_locking_the_groups_keeps_the_versions_uv_lock_pins(make_project: Callable[..., Path]) -> None:
    """The index has newer releases of each (alpha 2.0, beta 2.0, iniconfig 2.0, typing-extensions 4.12)."""
    root = make_project({"uv.lock": UV_LOCK}, pyproject=PYPROJECT)
    lock(load_project(root))
    assert versions(root, "tests") == {"alpha": "1.1", "beta": "1.0", "iniconfig": "1.0"}
    assert versions(root, "dev") == {"alpha": "1.1", "beta": "1.0", "iniconfig": "1.0", "typing-extensions": "4.0.0"}
    assert check(load_project(root)).ok
    # uv.lock is a preference, never an input: changing it makes no lock stale.
    (root / "uv.lock").write_text(
        UV_LOCK.replace('version = "1.0"\nsource = { registry', 'version = "2.0"\nsource = { registry')
    )
    assert check(load_project(root)).ok


def test_without_uv_lock_the_newest_releases_are_locked(make_project: Callable[..., Path]) -> None:
    root = make_project({}, pyproject=PYPROJECT)
    lock(load_project(root))
    assert versions(root, "dev") == {"alpha": "2.0", "beta": "2.0", "iniconfig": "2.0", "typing-extensions": "4.12.0"}


def test_the_layers_requirements_win_over_uv_lock(make_project: Callable[..., Path]) -> None:
    root = make_project(
        {"uv.lock": UV_LOCK}, pyproject=PYPROJECT.replace('"beta", "iniconfig"', '"beta>=2", "iniconfig"')
    )
    lock(load_project(root))
    assert versions(root, "tests") == {"alpha": "2.0", "beta": "2.0", "iniconfig": "1.0"}


def test_a_layers_own_lock_wins_over_uv_lock(make_project: Callable[..., Path]) -> None:
    """uv.lock only fills in packages a layer does not pin yet: relocking keeps sprintlock's pins."""
    root = make_project({}, pyproject=PYPROJECT)
    lock(load_project(root))
    (root / "uv.lock").write_text(UV_LOCK)
    lock(load_project(root), everything=True)
    assert versions(root, "tests") == {"alpha": "2.0", "beta": "2.0", "iniconfig": "2.0"}


def test_pip_compile_prefers_uv_lock_too(make_project: Callable[..., Path]) -> None:
    """The preferences are the seeded output file, which pip-compile reads as uv does."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    table = f'resolver = "pip-tools"\npython = ["{python}"]\nplatforms = ["linux"]\n'
    pyproject = PYPROJECT + "\n[tool.sprintlock]\n" + table
    root = make_project({"uv.lock": UV_LOCK}, pyproject=pyproject)
    lock(load_project(root))
    assert versions(root, "dev") == {"alpha": "1.1", "beta": "1.0", "iniconfig": "1.0", "typing-extensions": "4.0.0"}
