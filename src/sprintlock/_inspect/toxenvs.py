"""tox.ini's environments and what each installs, factor conditions applied (read leniently, never run).

tox names environments in ``[tox] env_list`` (``py3{13,12}``, ``py313-min``: braces
expanded, each ``-``-separated part a factor) and in ``[testenv:NAME]`` sections. An
environment's ``deps`` are its section's, else ``[testenv]``'s; a line ``min: VALUE`` (or
``!min-!dev:``, ``py39,py310:``, ``py3{9,10}:``) applies only to environments whose factors
match. tox installs an environment's deps in one pip run, which is why two of its
requirement files can clash.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass

#: A deps value behind a factor condition: ``min: -r requirements/tests-min.txt``.
_CONDITION = re.compile(r"^([A-Za-z0-9_.!,{}-]+):\s+(\S.*)$")
#: ``-r FILE`` (``--requirement FILE``), ``{toxinidir}/`` dropped: the file, relative to the root.
_REQUIREMENT = re.compile(r"^(?:-r|--requirement)(?:\s+|=|(?=[^\s-]))(?:\{toxinidir\}/?)?(\S+)$")
_HEADER = re.compile(r"^\s*\[([^\]]+)\]")
_VALUE = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")
_BRACES = re.compile(r"\{([^{}]*)\}")
_BASE = "testenv"


def requirement_file(value: str) -> str | None:
    """The file a deps value ``-r FILE`` installs (relative to the project root), else None."""
    match = _REQUIREMENT.match(value.strip())
    return match.group(1).removeprefix("./") if match else None


def lock_layer(path: str | None, layers: Container[str], requirements: str) -> str | None:
    """The layer whose lock ``path`` (a ``-r`` file relative to the root) is: ``REQUIREMENTS/LAYER.txt``."""
    folder, _, name = (path or "").rpartition("/")
    stem = name.removesuffix(".txt")
    return stem if folder == requirements and name.endswith(".txt") and stem in layers else None


def split_condition(value: str) -> tuple[str | None, str]:
    """``(factor condition, value)`` of one deps line: ``(None, value)`` when it has none."""
    match = _CONDITION.match(value.strip())
    return (match.group(1), match.group(2).strip()) if match else (None, value.strip())


def expand(text: str) -> list[str]:
    """``py3{13,12}-x`` as ``["py313-x", "py312-x"]`` (every brace group, in order)."""
    match = _BRACES.search(text)
    if match is None:
        return [text]
    head, tail = text[: match.start()], text[match.end() :]
    return [word for part in match.group(1).split(",") for word in expand(head + part.strip() + tail)]


def _top_level(text: str) -> list[str]:
    """``text`` split at commas and whitespace outside braces."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth == 0 and (char == "," or char.isspace()):
            parts.append(current)
            current = ""
        else:
            current += char
    return [part for part in [*parts, current] if part]


def matches(condition: str, factors: frozenset[str]) -> bool:
    """Whether a factor condition holds for an environment with ``factors``.

    Alternatives are separated by commas (or come from braces); within one, every
    ``-``-separated factor must be present (``!factor``: absent).
    """
    for alternative in (word for part in _top_level(condition) for word in expand(part)):
        wanted = [factor for factor in alternative.split("-") if factor]
        if wanted and all(
            (factor[1:] not in factors) if factor.startswith("!") else (factor in factors) for factor in wanted
        ):
            return True
    return False


@dataclass(frozen=True)
class Dep:
    """One ``deps`` line of a section: its condition, its value and where it is."""

    condition: str | None
    value: str
    line: int


@dataclass(frozen=True)
class ToxEnv:
    """One environment and the deps lines that apply to it."""

    name: str
    #: The section its deps come from (``testenv:NAME`` or ``testenv``).
    section: str
    deps: tuple[Dep, ...]
    #: The commands it runs, in order (from its own section, else ``[testenv]``), factor conditions applied.
    commands: tuple[str, ...] = ()

    @property
    def factors(self) -> frozenset[str]:
        return frozenset(self.name.split("-"))

    @property
    def python(self) -> str | None:
        """The Python a ``py313``/``pypy310`` factor names (``3.13``), if any."""
        for factor in self.name.split("-"):
            found = re.fullmatch(r"(?:py|pypy)(3)(\d+)", factor)
            if found:
                return f"{found.group(1)}.{found.group(2)}"
        return None


@dataclass
class _Ini:
    """The values of tox.ini, by section and key: each value line with its number (the first is the
    key's own line, empty when the value starts on the next one)."""

    values: dict[str, dict[str, list[tuple[str, int]]]]

    @classmethod
    def read(cls, text: str) -> _Ini:
        values: dict[str, dict[str, list[tuple[str, int]]]] = {}
        section, key = "", ""
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith(("#", ";")):
                continue
            header = _HEADER.match(line)
            if header:
                section, key = header.group(1).strip(), ""
                values.setdefault(section, {})
            elif line[:1] in (" ", "\t"):
                if key:
                    values[section][key].append((stripped, number))
            elif value := _VALUE.match(line):
                key = value.group(1).replace("-", "_")
                values.setdefault(section, {})[key] = [(value.group(2).strip(), number)]
        return cls(values)

    def lines(self, section: str, key: str) -> list[tuple[str, int]] | None:
        return self.values.get(section, {}).get(key)


def environments(text: str) -> Iterator[ToxEnv]:
    """Every environment ``env_list`` names or a ``[testenv:NAME]`` defines, with the deps that apply."""
    ini = _Ini.read(text)
    names: dict[str, None] = {}
    for key in ("env_list", "envlist"):
        for value, _ in ini.lines("tox", key) or ():
            names.update(dict.fromkeys(name for part in _top_level(value) for name in expand(part)))
    for section in ini.values:
        if section.startswith(f"{_BASE}:"):
            names.update(dict.fromkeys(expand(section.removeprefix(f"{_BASE}:").strip())))
    for name in names:
        yield _environment(ini, name)


def _environment(ini: _Ini, name: str) -> ToxEnv:
    own = f"{_BASE}:{name}"
    section = own if ini.lines(own, "deps") is not None else _BASE
    factors = frozenset(name.split("-"))
    deps = [Dep(condition, rest, line) for condition, rest, line in _applying(ini, section, "deps", factors)]
    commands_section = own if ini.lines(own, "commands") is not None else _BASE
    commands = tuple(rest for _, rest, _ in _applying(ini, commands_section, "commands", factors))
    return ToxEnv(name, section, tuple(deps), commands)


def _applying(ini: _Ini, section: str, key: str, factors: frozenset[str]) -> Iterator[tuple[str | None, str, int]]:
    """The lines of ``key`` in ``section`` whose factor condition holds: ``(condition, value, line)``."""
    for value, line in ini.lines(section, key) or ():
        if not value:
            continue
        condition, rest = split_condition(value)
        if condition is None or matches(condition, factors):
            yield condition, rest, line
