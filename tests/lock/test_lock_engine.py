"""The lock engine's run object: options, and locks held in memory (parsed once per run)."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

import sprintlock._lock.staleness
from sprintlock._lock import engine
from sprintlock._lock.engine import Upgrade, lock
from sprintlock._lock.lockfile import Lock, parse_lock
from sprintlock._project.config import load_project

LAYERS = {
    "requirements/tests.in": "testtool\n",
    "requirements/docs.in": "docbuilder\n",
    "requirements/dev.in": "-r tests.txt\n-r docs.txt\n",
}


def test_upgrade_options() -> None:
    assert not Upgrade()
    assert Upgrade(everything=True)
    assert Upgrade(packages=("alpha",))
    assert not Upgrade(packages=())


def test_the_engine_does_not_import_the_check_command() -> None:
    tree = ast.parse(Path(engine.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "sprintlock._lock.check" not in imported


def test_each_lock_is_parsed_once_per_run(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(LAYERS)
    lock(load_project(root))
    (root / "requirements/tests.in").write_text("testtool\nbeta\n")
    parsed: Counter[str] = Counter()

    def counting(text: str, layer: str) -> Lock | None:
        parsed[layer] += 1
        return parse_lock(text, layer)

    monkeypatch.setattr(sprintlock._lock.staleness, "parse_lock", counting)
    outcome = lock(load_project(root), everything=True)
    assert {result.name for result in outcome.layers if result.compiled} == {"tests", "docs", "dev"}
    assert parsed == {"tests": 1, "docs": 1, "dev": 1}
    # What the run kept in memory is what the written files read back as.
    for result in outcome.layers:
        assert result.new == parse_lock(result.path.read_text(), result.name)
