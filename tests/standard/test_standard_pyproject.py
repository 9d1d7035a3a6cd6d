"""The ``[tool.sprintlock]`` table init adds to ``pyproject.toml`` (with tomlkit): the user's text kept as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sprintlock._project.config import load_project
from sprintlock._standard.pyproject import FILE, PATH, SPRINTLOCK_TABLE, has_tool_table, with_tool_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

PROJECT = '[project]\nname = "demo"  # the distribution\nversion = "1"\n'


@pytest.mark.parametrize(
    ("text", "has"),
    [
        (PROJECT, False),
        (PROJECT + "\n[tool.sprintlock]\n", True),
        (PROJECT + '\n[tool.sprintlock.extra]\nx = "y"\n', True),
        (PROJECT + "\n[tool]\nsprintlock = {}\n", True),
        (PROJECT + "\n[tool.sprintlockish]\n", False),
        ("", False),
    ],
)
def test_has_tool_table(text: str, has: bool) -> None:
    assert has_tool_table(text) is has


@pytest.mark.parametrize(
    ("text", "before_table"),
    [
        (PROJECT, PROJECT),
        (PROJECT.rstrip("\n"), PROJECT),
        (PROJECT + "\n\n", PROJECT + "\n"),  # the user's blank lines stand for the one before the table
    ],
)
def test_the_table_is_appended_to_the_users_text(text: str, before_table: str) -> None:
    new = with_tool_table(text)
    assert new.startswith(text.rstrip("\n"))
    assert new.endswith(SPRINTLOCK_TABLE)
    assert new == before_table + SPRINTLOCK_TABLE
    data = tomllib.loads(new)
    assert data["tool"] == {"sprintlock": {}}  # comments only: the defaults
    assert data["project"]["name"] == "demo"


def test_an_existing_table_is_left_alone() -> None:
    text = PROJECT + '\n[tool.sprintlock]\nresolver = "pip-tools"\n'
    assert with_tool_table(text) == text


def test_the_appended_table_is_a_valid_configuration(tmp_path: Path) -> None:
    (tmp_path / PATH).write_text(with_tool_table(PROJECT + 'requires-python = ">=3.12"\n'))
    config = load_project(tmp_path).config
    assert config.requirements == "requirements"
    assert config.resolver == "uv"


def test_registry_entry() -> None:
    # Every project has a pyproject.toml: the standard text only adds to it, and doctor does not list it.
    assert FILE.path == "pyproject.toml"
    assert FILE.differing == "update"
    assert FILE.purpose is None and FILE.check is None
