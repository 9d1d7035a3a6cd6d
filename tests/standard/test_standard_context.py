"""What the standard files are rendered from: Detected's derived facts and the Context's shortcuts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import initkit
import pytest

from sprintlock._project.config import Config
from sprintlock._project.targets import Targets
from sprintlock._scaffold import detect
from sprintlock._standard.context import Context, Detected

BARE = initkit.detected(name="Demo.Pkg-Name", package_path="src/demo_pkg_name", requires_python=">=3.10")


def test_import_name_is_the_normalised_distribution_name() -> None:
    assert BARE.import_name == "demo_pkg_name"


@pytest.mark.parametrize(
    ("package_path", "tests", "paths"),
    [
        ("src/demo_pkg_name", True, ("src/demo_pkg_name", "tests")),
        ("demo.py", False, ("demo.py",)),
        (None, True, ("tests",)),
        (None, False, ()),
    ],
)
def test_check_paths(package_path: str | None, tests: bool, paths: tuple[str, ...]) -> None:
    detected = dataclasses.replace(BARE, package_path=package_path, has_tests_dir=tests)
    assert detected.check_paths == paths


def test_context_reads_the_configuration(tmp_path: Path) -> None:
    config = Config(requirements="reqs", targets=Targets(("3.11", "3.12"), ("linux",)))
    context = Context(tmp_path, BARE, config, "[project]\n")
    assert context.pythons == ("3.11", "3.12")
    assert context.requirements == "reqs"
    assert context.tox is False


def test_detect_still_exports_detected() -> None:
    # Detected lives beside the renderers; the scaffolding that fills it re-exports it.
    assert detect.Detected is Detected
