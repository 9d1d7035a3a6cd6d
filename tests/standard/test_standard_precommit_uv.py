"""The pre-commit config of a uv project: the uv-lock hook stays, sprintlock's check hook is added once."""

from __future__ import annotations

from pathlib import Path

import pytest
from initkit import detected

from sprintlock._project.config import Config
from sprintlock._standard.context import Context
from sprintlock._standard.precommit import FILE, UV_LOCK_NOTE, adopt_precommit_config

ADOPT = Path(__file__).resolve().parents[1] / "data" / "adopt"
CONTEXT = Context(Path("/project"), detected(), Config(), "")
UV_HOOK = (
    "repos:\n"
    "  - repo: https://github.com/astral-sh/uv-pre-commit\n"
    "    rev: 0397b68f6f88c024f1d2b355a9818779f6336d16  # frozen: 0.11.3\n"
    "    hooks:\n"
    "      - id: uv-lock\n"
)


def test_flask_2026_keeps_uv_lock_and_gets_the_check_hook_once() -> None:
    text = (ADOPT / "flask-2026/.pre-commit-config.yaml").read_text()
    merged = FILE.adopt(text, CONTEXT)
    assert merged is not None
    new, notes = merged
    assert new.startswith(text)  # the user's config, byte for byte, then the hook
    assert new.count("id: uv-lock") == 1 and new.count("id: sprintlock-check") == 1
    assert notes == ("appended the sprintlock-check hook", UV_LOCK_NOTE)
    assert FILE.adopt(new, CONTEXT) == (new, ())  # a second init: nothing to add, nothing to say


def test_without_uv_lock_hook_no_uv_note() -> None:
    merged = FILE.adopt("repos:\n  - repo: local\n    hooks:\n      - id: mine\n", CONTEXT)
    assert merged is not None and merged[1] == ("appended the sprintlock-check hook",)


@pytest.mark.parametrize(
    "hook",
    [
        "      - id: 'sprintlock-check'\n",
        "      - id: sprintlock-check  # ours\n",
        "      - id: locks\n        name: locks\n        entry: sprintlock check --quiet\n        language: system\n",
    ],
)
def test_a_check_hook_the_user_already_has_is_not_added_again(hook: str) -> None:
    text = UV_HOOK + "  - repo: local\n    hooks:\n" + hook
    assert adopt_precommit_config(text) == (text, ())
    assert FILE.adopt(text, CONTEXT) == (text, ())
