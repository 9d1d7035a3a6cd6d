"""The ``requirements/*.in`` inputs init writes: one per purpose the project has."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import initkit

from sprintlock._project.config import Config
from sprintlock._standard.context import Context
from sprintlock._standard.requirements import FILES, LAYERS, infiles

BARE = initkit.detected(layout="flat", package_path="demo", has_tests_dir=False)


def requirement_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_a_bare_project_gets_tests_build_and_dev() -> None:
    files = infiles(BARE)
    assert list(files) == ["tests", "build", "dev"]
    assert requirement_lines(files["tests"]) == ["pytest"]
    assert requirement_lines(files["build"]) == ["build"]
    # dev: every layer but build, plus pre-commit for the lint session.
    assert requirement_lines(files["dev"]) == ["-r tests.txt", "pre-commit"]


def test_typing_and_docs_layers_follow_what_the_project_uses() -> None:
    files = infiles(dataclasses.replace(BARE, checkers=("mypy", "pyright"), docs="sphinx"))
    assert list(files) == ["tests", "typing", "docs", "build", "dev"]
    assert requirement_lines(files["typing"]) == ["-r tests.txt", "mypy", "pyright"]
    assert requirement_lines(files["docs"]) == ["sphinx"]
    assert requirement_lines(files["dev"]) == ["-r tests.txt", "-r typing.txt", "-r docs.txt", "pre-commit"]
    assert requirement_lines(infiles(dataclasses.replace(BARE, docs="mkdocs"))["docs"]) == ["mkdocs"]


def test_one_registry_entry_per_layer_in_the_configured_folder(tmp_path: Path) -> None:
    assert [entry.path for entry in FILES] == [f"requirements/{layer}.in" for layer in LAYERS]
    detected = dataclasses.replace(BARE, docs="mkdocs")
    context = Context(tmp_path, detected, Config(requirements="reqs"), "", False)
    written = {entry.relative(context): entry.render(context) for entry in FILES if entry.wanted(context)}
    assert written == {f"reqs/{name}.in": text for name, text in infiles(detected).items()}
    # An existing input is the user's: kept, never a conflict.
    assert {entry.differing for entry in FILES} == {"keep"}
