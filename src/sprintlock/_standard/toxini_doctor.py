"""``tox.ini``: the locks (``sprintlock_layer``) and requirement files (``-r``) its environments name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sprintlock._inspect.references import check_layer, check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, read_script

TOX_INI = "tox.ini"
_SECTION = re.compile(r"^\s*\[([^\]]+)\]")
_KEY = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")
_TOXINIDIR = re.compile(r"\{toxinidir\}/?")
_COMMANDS = ("commands", "commands_pre", "commands_post")


def _values(text: str) -> Iterator[tuple[str, str, str, int]]:
    """``(section, key, value line, line number)`` for every value line (continuations included)."""
    section = ""
    key = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        match = _SECTION.match(line)
        if match:
            section, key = match.group(1).strip(), ""
            continue
        if line[:1] in (" ", "\t"):
            if key:
                yield section, key, stripped, number
            continue
        match = _KEY.match(line)
        if match:
            key = match.group(1).replace("-", "_")
            if match.group(2).strip():
                yield section, key, match.group(2).strip(), number


def check_tox_ini(repo: Repo) -> None:
    text = repo.read(TOX_INI)
    if text is None:
        return
    for section, key, value, line in _values(text):
        if not section.startswith("testenv"):
            continue
        context = f"[{section}] {key}"
        value = _TOXINIDIR.sub("", value)
        if key == "sprintlock_layer":
            check_layer(repo, value, TOX_INI, line, context)
        elif key == "deps":
            flag, _, rest = value.partition(" ")
            if flag in ("-r", "--requirement", "-c", "--constraint"):
                check_ref(repo, Ref("path", rest.strip(), 0, flag), TOX_INI, line, context)
            elif value.startswith(("-r", "-c")) and not value.startswith("--"):
                check_ref(repo, Ref("path", value[2:].strip(), 0, value[:2]), TOX_INI, line, context)
        elif key in _COMMANDS:
            for ref in read_script(value).refs:
                check_ref(repo, ref, TOX_INI, line, context)
