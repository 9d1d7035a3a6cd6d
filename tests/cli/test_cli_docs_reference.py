"""The generated reference (docs/_ext/sprintlock_reference.py) says what the code does.

``nox -s docs`` renders these pages with Sphinx; here the same generator is checked
against the code without Sphinx: every command's ``--help`` as the command prints it,
every ``[tool.sprintlock]`` key described, the Python API page naming the public API.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from types import ModuleType

import pytest
from conftest import ROOT

import sprintlock.nox
from sprintlock._cli.main import COMMANDS, main
from sprintlock._project.config import KEYS

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    """docs/_ext/sprintlock_reference.py, the generator the Sphinx extension renders."""
    spec = importlib.util.spec_from_file_location("sprintlock_reference", DOCS / "_ext" / "sprintlock_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_every_command_help(
    reference: ModuleType, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = reference.cli_markdown()
    sections = dict(re.findall(r"^### `([^`]+)`\n\n```text\n(.*?)\n```", rendered, flags=re.MULTILINE | re.DOTALL))
    assert list(sections) == ["sprintlock", *(f"sprintlock {name}" for name in COMMANDS)]
    monkeypatch.setenv("COLUMNS", str(reference.WIDTH))
    for title, text in sections.items():
        with pytest.raises(SystemExit) as exited:
            main([*title.split()[1:], "--help"])
        assert exited.value.code == 0
        assert capsys.readouterr().out.rstrip("\n") == text
    assert "--json [FILE]" in sections["sprintlock upgrade"]


def test_every_config_key_is_described_and_no_other(reference: ModuleType) -> None:
    assert reference.missing_config_keys() == []
    assert set(reference.CONFIG_KEYS) == set(KEYS)
    table = reference.config_markdown()
    assert re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.MULTILINE) == list(KEYS)


def test_reference_pages_use_the_generators() -> None:
    assert "```{sprintlock-cli}" in (DOCS / "reference/cli.md").read_text()
    assert "```{sprintlock-config}" in (DOCS / "reference/config.md").read_text()
    api = (DOCS / "reference/python-api.md").read_text()
    (members,) = re.findall(r"^\s*:members: (.+)$", api, flags=re.MULTILINE)
    assert [name.strip() for name in members.split(",")] == sprintlock.nox.__all__


def test_docs_session_builds_with_warnings_as_errors() -> None:
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    (docs,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "docs"]
    source = ast.unparse(docs)
    assert "sprintlock.nox.install(session, 'docs')" in source
    assert "'--fail-on-warning'" in source
    inputs = (ROOT / "requirements/docs.in").read_text().split()
    assert {"sphinx", "myst-parser"} <= set(inputs)
