"""``pyproject.toml``: the ``[tool.sprintlock]`` table that ``sprintlock init`` adds.

The table is added with tomlkit, which keeps the user's text as it was (comments, order,
quoting, blank lines): it goes after the project's other ``[tool.*]`` tables (at the end
when there are none), and only when the file has none: an existing table is the project's
configuration, left as it is.
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
    """``text`` with the ``[tool.sprintlock]`` table added, when it has none (and ``tool`` is a table)."""
    if has_tool_table(text):
        return text
    import tomlkit
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.items import Table

    document = tomlkit.parse(text if text.endswith("\n") or not text else text + "\n")
    table = tomlkit.table()
    for line in SPRINTLOCK_TABLE.strip().splitlines()[1:]:
        table.add(tomlkit.comment(line.removeprefix("# ")))
    table.add(tomlkit.nl())  # a blank line before whatever table follows
    tool = document.get("tool")
    if tool is None:
        document.append("tool", tomlkit.table(is_super_table=True))
        tool = document["tool"]
    elif not isinstance(tool, (Table, OutOfOrderTableProxy)):
        return text  # `tool = {...}` inline: no table can be added to it (the defaults apply)
    tool["sprintlock"] = table
    new = document.as_string()
    new = new[:-1] if new.endswith("\n\n") else new
    return new if _adds_only_the_table(text, new) else text


def _adds_only_the_table(old: str, new: str) -> bool:
    """Whether ``new`` reads (with tomllib, as every reader does) as ``old`` plus an empty ``[tool.sprintlock]``."""
    before, after = tomllib.loads(old), tomllib.loads(new)
    tool = before.get("tool", {})
    return isinstance(tool, dict) and after == {**before, "tool": {**tool, "sprintlock": {}}}


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
