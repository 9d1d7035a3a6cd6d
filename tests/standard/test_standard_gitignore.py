"""The standard ``.gitignore``: created with the entries, or the user's file given the ones it lacks."""

from __future__ import annotations

from pathlib import Path

import initkit

from sprintlock._project.config import Config
from sprintlock._standard.context import Context
from sprintlock._standard.gitignore import ENTRIES, FILE, PATH, missing

DETECTED = initkit.detected()
CONTEXT = Context(Path("/project"), DETECTED, Config(), "")


def test_a_new_file_ignores_what_the_sessions_leave() -> None:
    text = FILE.render(CONTEXT)
    assert FILE.path == PATH == ".gitignore"
    assert missing(text) == ()
    assert all(f"{entry}\n" in text for entry in ENTRIES)


def test_the_users_file_gets_only_what_it_lacks() -> None:
    theirs = "# mine\n/.nox\n*.pyc\nupgrade-report.md"
    merged = FILE.adopt(theirs, CONTEXT)
    assert merged is not None
    text, notes = merged
    assert text.startswith(theirs + "\n")  # nothing of theirs moved or removed
    assert missing(text) == ()
    assert text.count(".nox") == 1  # `/.nox` already ignores the folder
    assert notes == ("added .venv/, upgrade-report.json",)


def test_a_file_with_every_entry_is_left_alone() -> None:
    theirs = ".venv\n.nox/\nupgrade-report.md\nupgrade-report.json\n"
    assert FILE.adopt(theirs, CONTEXT) == (theirs, ())


def test_comments_do_not_count_as_entries() -> None:
    assert missing("# .nox/\n") == ENTRIES
