"""``pyproject.toml``: the ``[tool.sprintlock]`` table that ``sprintlock init`` appends.

The table is appended as text (the file is never re-serialised: the user's file stays byte
for byte what it was, up to its end), and only when the file has none: an existing table
is the project's configuration, left as it is.
"""

from __future__ import annotations

import sys

from sprintlock._project.layout import PYPROJECT
from sprintlock._standard.context import Context
from sprintlock._standard.spec import Merge, StandardFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

PATH = PYPROJECT
SPRINTLOCK_TABLE = (
    "\n[tool.sprintlock]\n"
    "# Locks in requirements/ are compiled and checked by sprintlock; the defaults work:\n"
    '# requirements = "requirements", resolver = "uv", hashes = true,\n'
    "# python = the CPython versions requires-python allows, platforms = linux, macos, windows.\n"
)


def has_tool_table(text: str) -> bool:
    """Whether ``pyproject.toml`` text already has a ``[tool.sprintlock]`` table (or subtable)."""
    data = tomllib.loads(text)
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "sprintlock" in tool


def with_tool_table(text: str) -> str:
    """``text`` with the ``[tool.sprintlock]`` table appended, when it has none."""
    if has_tool_table(text):
        return text
    ending = "" if text.endswith("\n") or not text else "\n"
    return text + ending + SPRINTLOCK_TABLE


def _render(context: Context) -> str:
    return with_tool_table(context.pyproject)


#: What init says on a project that ``uv.lock`` manages (see docs/how-to/adopt-dependency-groups.md).
UV_NOTE = (
    "uv.lock: this project is managed by uv; sprintlock leaves uv.lock, `uv lock` and `uv sync` alone "
    "and keeps its own hash-pinned, cross-platform locks beside it, one per layer in {folder}/NAME.txt "
    "(each dependency group is a layer), for the nox sessions, CI and `sprintlock check`; they start from "
    "the versions uv.lock pins, and `nox -s upgrade` moves them (`uv lock --upgrade` moves uv.lock)"
)


def _adopt(text: str, context: Context) -> Merge:
    """The table appended (when missing), and a note on a project that uv manages."""
    notes = (UV_NOTE.format(folder=context.requirements),) if context.detected.uv_lock else ()
    return with_tool_table(text), notes


#: Every project has one (init starts from it): the standard text adds to the user's, an update.
FILE = StandardFile(path=PATH, render=_render, adopt=_adopt, differing="update")
