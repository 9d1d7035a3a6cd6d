"""``tox.ini`` for ``sprintlock init --tox``: write a new one, or adopt the user's by adding lines.

The sprintlock tox plugin (:mod:`sprintlock._tox`) reads ``sprintlock_layer`` from an
environment and makes it exactly that lock plus the project, as ``nox`` sessions are.
An existing file is edited line by line, never re-serialised: only missing lines are
inserted (and a stale ``sprintlock`` pin in ``requires`` is updated); comments, order
and every other value stay as the user wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sprintlock._scaffold.detect import Detected
from sprintlock._version import __version__

_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(?:[#;].*)?$")
_KEY = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]")
_SPRINTLOCK_REQ = re.compile(r"^(\s*)sprintlock(\s*\[[^\]]*\])?\s*([<>=!~][^#;]*)?\s*$", re.IGNORECASE)

COMMENT = (
    "# Every environment with `sprintlock_layer = NAME` is made exactly requirements/NAME.txt\n"
    "# plus the project (no dependencies), hash-checked, by the sprintlock tox plugin that\n"
    "# `requires` provisions: `tox -e tests` tests in the same environment as `nox -s tests`.\n"
)


@dataclass(frozen=True)
class Env:
    """One tox environment that installs a lock."""

    name: str
    commands: str


def environments(detected: Detected) -> list[Env]:
    envs = [Env("tests", "pytest {posargs}")]
    if detected.checkers:
        paths = " ".join(detected.check_paths)
        commands = []
        for checker in detected.checkers:
            if checker == "mypy" and not detected.checker_targets_configured and paths:
                commands.append(f"mypy {{posargs:{paths}}}")
            else:
                commands.append(f"{checker} {{posargs}}")
        envs.append(Env("typing", "\n    ".join(commands)))
    if detected.docs == "sphinx":
        source = detected.docs_dir or "docs"
        envs.append(Env("docs", f"sphinx-build -W -b html {source} {source}/_build/html {{posargs}}"))
    elif detected.docs == "mkdocs":
        envs.append(Env("docs", "mkdocs build --strict {posargs}"))
    return envs


def requirement() -> str:
    """``sprintlock==X`` for ``[tox] requires``: the running version, as the noxfile header pins."""

    return f"sprintlock=={__version__}"


def _env_block(env: Env) -> str:
    return (
        f"[testenv:{env.name}]\nsprintlock_layer = {env.name}\nskip_install = true\ndeps =\ncommands = {env.commands}\n"
    )


def render_tox_ini(detected: Detected) -> str:
    """A new ``tox.ini``."""
    envs = environments(detected)
    env_list = "".join(f"    {env.name}\n" for env in envs)
    blocks = "\n".join(_env_block(env) for env in envs)
    return COMMENT + f"[tox]\nrequires =\n    {requirement()}\nenv_list =\n{env_list}\n" + blocks


@dataclass
class _Section:
    name: str
    header: int  # index of the header line
    end: int  # index one past the last line of the section


def _sections(lines: list[str]) -> list[_Section]:
    sections: list[_Section] = []
    for index, line in enumerate(lines):
        match = _SECTION.match(line)
        if match:
            if sections:
                sections[-1].end = index
            sections.append(_Section(match.group(1).strip(), index, len(lines)))
    return sections


def _key_lines(lines: list[str], section: _Section, key: str) -> tuple[int, int] | None:
    """``(first, end)`` line indexes of ``key``'s value (with continuation lines) in ``section``."""
    index = section.header + 1
    while index < section.end:
        match = _KEY.match(lines[index])
        if match and match.group(1).replace("-", "_") == key:
            end = index + 1
            while end < section.end and lines[end][:1] in (" ", "\t") and lines[end].strip():
                end += 1
            return index, end
        index += 1
    return None


def adopt_tox_ini(text: str, detected: Detected) -> str:
    """``text`` with what the sprintlock environments need added; unchanged if nothing is missing."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    wanted = requirement()

    sections = {s.name: s for s in _sections(lines)}
    tox = sections.get("tox")
    if tox is None:
        lines[0:0] = [f"[tox]\nrequires =\n    {wanted}\n", "\n"]
    else:
        found = _key_lines(lines, tox, "requires")
        if found is None:
            lines.insert(tox.header + 1, f"requires =\n    {wanted}\n")
        else:
            first, end = found
            key, _, inline = lines[first].partition("=")
            values = [(first, inline)] + [(i, lines[i]) for i in range(first + 1, end)]
            for index, value in values:
                match = _SPRINTLOCK_REQ.match(value.rstrip("\n"))
                if match:
                    if value.strip() != wanted:
                        prefix = f"{key}= " if index == first else match.group(1)
                        lines[index] = f"{prefix}{wanted}\n"
                    break
            else:
                lines.insert(end, f"    {wanted}\n")

    for env in environments(detected):
        sections = {s.name: s for s in _sections(lines)}
        section = sections.get(f"testenv:{env.name}")
        if section is None:
            if lines and lines[-1].strip():
                lines.append("\n")
            lines.append(_env_block(env))
            continue
        added = []
        if _key_lines(lines, section, "sprintlock_layer") is None:
            added.append(f"sprintlock_layer = {env.name}\n")
        installs = [_key_lines(lines, s, key) for s in (section,) for key in ("skip_install", "package")]
        if all(found is None for found in installs):
            added.append("skip_install = true\n")
        lines[section.header + 1 : section.header + 1] = added
    return "".join(lines)
