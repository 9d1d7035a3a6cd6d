"""The standard noxfile: valid Python with the sessions the project needs, for each kind of project.

The full init test (tests/test_init.py) runs ruff and mypy on one generated noxfile; here
every variant is parsed, its sessions and defaults read back with ``ast``, and ruff-checked.
"""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import initkit
import pytest

from sprintlock import __version__
from sprintlock._standard.context import Detected
from sprintlock._standard.noxfile import FILE, PATH, default_sessions, nox_version, render_noxfile

#: ruff is in the tests lock (requirements/tests.in).
RUFF = Path(sys.executable).parent / "ruff"
BARE = initkit.detected(requires_python=">=3.10", pre_commit_config=True)
ALWAYS = {"tests", "lint", "check", "lock", "upgrade", "upgrade_pr", "dev"}
VARIANTS = {
    "bare": BARE,
    "no pre-commit": dataclasses.replace(BARE, pre_commit_config=False),
    "mypy": dataclasses.replace(BARE, checkers=("mypy",)),
    "mypy configured": dataclasses.replace(BARE, checkers=("mypy",), checker_targets_configured=True),
    "both checkers, flat, no tests": dataclasses.replace(
        BARE, layout="flat", package_path="demo", has_tests_dir=False, checkers=("mypy", "pyright")
    ),
    "sphinx in doc/source": dataclasses.replace(BARE, docs="sphinx", docs_dir="doc/source"),
    "mkdocs": dataclasses.replace(BARE, docs="mkdocs"),
    # The sphinx-build call no longer fits on one line, nor its arguments on one: one per line.
    "long docs folder": dataclasses.replace(
        BARE, checkers=("mypy",), docs="sphinx", docs_dir="documentation/source/of/the/project"
    ),
}


def sessions(tree: ast.Module) -> set[str]:
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def default_list(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "nox.options.sessions":
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return value
    raise AssertionError("no nox.options.sessions")


@pytest.mark.parametrize("detected", VARIANTS.values(), ids=list(VARIANTS))
def test_valid_python_with_the_sessions_the_project_needs(detected: Detected) -> None:
    text = render_noxfile(detected)
    tree = ast.parse(text, PATH)
    compile(tree, PATH, "exec")
    expected = set(ALWAYS)
    if detected.checkers:
        expected.add("typing")
    if detected.docs:
        expected.add("docs")
    assert sessions(tree) == expected
    assert default_list(tree) == default_sessions(detected)
    assert text.startswith(
        f'# /// script\n# dependencies = ["nox=={nox_version()}", "sprintlock=={__version__}"]\n# ///\n'
    )


def test_default_sessions() -> None:
    assert default_sessions(VARIANTS["no pre-commit"]) == ["check", "tests"]
    assert default_sessions(VARIANTS["bare"]) == ["check", "lint", "tests"]
    assert default_sessions(VARIANTS["both checkers, flat, no tests"]) == ["check", "lint", "tests", "typing"]
    assert default_sessions(VARIANTS["mkdocs"]) == ["check", "lint", "tests", "docs"]


def test_typing_session_names_what_to_check_only_when_the_configuration_does_not() -> None:
    mypy = 'paths = session.posargs or ["src/demo", "tests"]\n    session.run("mypy", *paths)'
    assert mypy in render_noxfile(VARIANTS["mypy"])
    assert '"mypy", *session.posargs' in render_noxfile(VARIANTS["mypy configured"])
    both = render_noxfile(VARIANTS["both checkers, flat, no tests"])
    assert 'paths = session.posargs or ["demo"]' in both and '"pyright", *session.posargs' in both


def test_docs_session_builds_from_the_source_folder() -> None:
    text = render_noxfile(VARIANTS["sphinx in doc/source"])
    assert '"sphinx-build",\n        "-W",\n        "doc/source",\n        "doc/source/_build/html",\n' in text
    assert '"mkdocs", "build", "--strict"' in render_noxfile(VARIANTS["mkdocs"])


@pytest.mark.parametrize("detected", VARIANTS.values(), ids=list(VARIANTS))
def test_ruff_clean_and_formatted(detected: Detected, tmp_path: Path) -> None:
    (tmp_path / PATH).write_text(render_noxfile(detected))
    for args in (["check", "--isolated", "--select", "E,F,W,I,UP,B,SIM,RUF"], ["format", "--isolated", "--check"]):
        result = subprocess.run([str(RUFF), *args, PATH], cwd=tmp_path, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_registry_entry() -> None:
    assert FILE.path == PATH == "noxfile.py"
    assert FILE.purpose
    assert FILE.check is not None


def test_the_build_session_only_with_a_build_layer(tmp_path: Path) -> None:
    text = render_noxfile(dataclasses.replace(VARIANTS["bare"], extra_layers=("build",)))
    assert sessions(ast.parse(text)) == {*ALWAYS, "build"}
    assert text.count("def build(") == 1
    assert 'sprintlock.nox.install(session, "build", project=False)' in text
    assert "def build(" not in render_noxfile(dataclasses.replace(VARIANTS["bare"], extra_layers=()))
    (tmp_path / PATH).write_text(text)
    for args in (["check", "--isolated", "--select", "E,F,W,I,UP,B,SIM,RUF"], ["format", "--isolated", "--check"]):
        result = subprocess.run([str(RUFF), *args, PATH], cwd=tmp_path, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
