"""``tox.ini``: written by ``sprintlock init --tox`` (or the user's adopted by adding lines), checked by doctor.

The sprintlock tox plugin (:mod:`sprintlock._env.tox_plugin`) reads ``sprintlock_layer`` from an
environment and makes it exactly that lock plus the project, as ``nox`` sessions are.
An existing file is edited line by line, never re-serialised: only missing lines are
inserted (and a stale ``sprintlock`` pin in ``requires`` is updated); comments, order
and every other value stay as the user wrote them.

Doctor checks that the locks (``sprintlock_layer``) and requirement files (``-r``) its
environments name, and what their commands name, exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sprintlock._inspect.references import check_layer, check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, read_script
from sprintlock._inspect.toxenvs import lock_layer, requirement_file, split_condition
from sprintlock._standard.context import Context, Detected
from sprintlock._standard.spec import Merge, StandardFile
from sprintlock._version import __version__

PATH = "tox.ini"

_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(?:[#;].*)?$")
_KEY = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]")
#: tox-uv, in ``requires`` when the project's tox runs with it.
TOX_UV = "tox-uv"
#: A requirement line naming tox-uv (``tox-uv``, ``tox_uv>=1``), at the start of any line.
TOX_UV_LINE = re.compile(r"^\s*tox[-_.]uv\b", re.IGNORECASE | re.MULTILINE)
_SPRINTLOCK_REQ = re.compile(r"^(\s*)sprintlock(\s*\[[^\]]*\])?\s*([<>=!~][^#;]*)?\s*$", re.IGNORECASE)

COMMENT = (
    "# Every environment with `sprintlock_layer = NAME` is made exactly requirements/NAME.txt\n"
    "# plus the project (no dependencies), hash-checked, by the sprintlock tox plugin that\n"
    "# `requires` provisions: `tox -e tests` tests in the same environment as `nox -s tests`.\n"
)
PIP_COMPILE_NOTE = (
    "an environment runs pip-compile: it would overwrite the sprintlock locks; "
    "upgrade with `nox -s upgrade` (sprintlock upgrade) instead, and remove it"
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
    requires = "".join(f"    {item}\n" for item in (requirement(), TOX_UV) if item != TOX_UV or detected.tox_uv)
    return COMMENT + f"[tox]\nrequires =\n{requires}env_list =\n{env_list}\n" + blocks


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


def _pin_requirement(lines: list[str], found: tuple[int, int], wanted: str) -> None:
    """Pin ``wanted`` in the ``requires`` value at ``found``: update a ``sprintlock`` line, or add one."""
    first, end = found
    key, _, inline = lines[first].partition("=")
    values = [(first, inline)] + [(i, lines[i]) for i in range(first + 1, end)]
    for index, value in values:
        match = _SPRINTLOCK_REQ.match(value.rstrip("\n"))
        if match:
            if value.strip() != wanted:
                prefix = f"{key}= " if index == first else match.group(1)
                lines[index] = f"{prefix}{wanted}\n"
            return
    lines.insert(end, f"    {wanted}\n")


def _tox_section(lines: list[str]) -> _Section | None:
    return {s.name: s for s in _sections(lines)}.get("tox")


def _require_sprintlock(lines: list[str], *, tox_uv: bool) -> None:
    """``[tox] requires`` provisions this sprintlock (the plugin), and tox-uv for a project whose
    tox runs with it (else the provisioned tox would lack it); the section and key are added when missing."""
    wanted = requirement()
    tox = _tox_section(lines)
    if tox is None:
        lines[0:0] = ["[tox]\n", "\n"]
        tox = _Section("tox", 0, 2)
    found = _key_lines(lines, tox, "requires")
    if found is None:
        lines.insert(tox.header + 1, f"requires =\n    {wanted}\n")
    else:
        _pin_requirement(lines, found, wanted)
    if tox_uv:
        _require_tox_uv(lines)


def _require_tox_uv(lines: list[str]) -> None:
    tox = _tox_section(lines)
    found = _key_lines(lines, tox, "requires") if tox is not None else None
    if found is None:
        return
    first, end = found
    values = [lines[first].partition("=")[2], *lines[first + 1 : end]]
    if not any(TOX_UV_LINE.match(value) for value in values):
        lines.insert(end, f"    {TOX_UV}\n")


def _add_environment(lines: list[str], env: Env) -> None:
    """``[testenv:NAME]`` installs its lock: the section is added, or the keys it lacks."""
    section = {s.name: s for s in _sections(lines)}.get(f"testenv:{env.name}")
    if section is None:
        if lines and lines[-1].strip():
            lines.append("\n")
        lines.append(_env_block(env))
        return
    added = []
    if _key_lines(lines, section, "sprintlock_layer") is None:
        added.append(f"sprintlock_layer = {env.name}\n")
    if all(_key_lines(lines, section, key) is None for key in ("skip_install", "package")):
        added.append("skip_install = true\n")
    lines[section.header + 1 : section.header + 1] = added


def adopt_tox_ini(text: str, detected: Detected) -> str:
    """``text`` with what the sprintlock environments need added; unchanged if nothing is missing."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    _require_sprintlock(lines, tox_uv=detected.tox_uv)
    for env in environments(detected):
        _add_environment(lines, env)
    return "".join(lines)


def _render(context: Context) -> str:
    return render_tox_ini(context.detected)


def _adopt(text: str, context: Context) -> Merge:
    """The user's ``tox.ini`` gets the missing lines, and factor conditions where its environments
    would install conflicting locks or mix hashed and unhashed lines; each change is a note, as is
    an environment that runs pip-compile."""
    lines = adopt_tox_ini(text, context.detected).splitlines(keepends=True)
    notes = separate_locks(lines, _Locks.of(context))
    if "pip-compile" in text:
        notes.append(PIP_COMPILE_NOTE)
    return "".join(lines), tuple(notes)


# --- adoption: factor environments whose locks would no longer install together ---

#: A condition ``init`` can negate: one plain factor (``min``, ``dev``).
_FACTOR = re.compile(r"^[A-Za-z0-9_.]+$")


def hashed_text(text: str) -> bool:
    """Whether a requirements file's lines carry hashes (pip then checks every line's hash)."""
    return "--hash" in text


@dataclass(frozen=True)
class _Locks:
    """What the locks will be once ``init`` has locked: every layer's lock is sprintlock's."""

    root: Path
    requirements: str
    layers: frozenset[str]
    #: ``BASE -> BASE-min`` for each minimum-versions layer (its lock is complete).
    minimums: dict[str, str]
    hashes: bool

    @classmethod
    def of(cls, context: Context) -> _Locks:
        folder = context.root / context.requirements
        names = {path.stem for path in folder.glob("*.in")} if folder.is_dir() else set()
        minimums = {base: name for name, base in context.detected.min_layers}
        layers = frozenset(names | set(context.detected.groups))
        return cls(context.root, context.requirements, layers, minimums, context.config.hashes)

    def layer_of(self, path: str) -> str | None:
        return lock_layer(path, self.layers, self.requirements)

    def unhashed_file(self, path: str) -> bool:
        """A requirements file (no lock) that installs something and has no hashes (archive URLs, names)."""
        try:
            text = (self.root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False  # doctor reports a missing or unreadable file
        lines = [line.strip() for line in text.splitlines()]
        return any(line and not line.startswith(("#", "-")) for line in lines) and not hashed_text(text)


@dataclass(frozen=True)
class _DepLine:
    index: int
    condition: str | None
    value: str
    #: Whether the value is on the ``deps =`` line itself.
    inline: bool


def _dep_lines(lines: list[str], found: tuple[int, int]) -> list[_DepLine]:
    first, end = found
    inline = lines[first].split("=", 1)[1] if "=" in lines[first] else ""
    values = [(first, inline, True)] + [(i, lines[i], False) for i in range(first + 1, end)]
    deps = []
    for index, raw, on_key in values:
        if raw.strip() and not raw.strip().startswith(("#", ";")):
            condition, value = split_condition(raw)
            deps.append(_DepLine(index, condition, value, on_key))
    return deps


@dataclass
class _Separation:
    """How one unconditional lock line is kept out of the environments that install something else."""

    base: str
    line: _DepLine
    #: The factors it must not apply to.
    factors: list[str] = field(default_factory=list)
    #: What those factors get instead: ``(before line index, value line)``.
    added: list[tuple[int, str]] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    #: Whether an unconditional line excludes it (a ``[testenv:NAME]`` of its own): it never applies.
    always: bool = False
    #: What replaces it then (``-r requirements/tests.in``), if anything.
    instead: str | None = None

    def exclude(self, condition: str | None, why: str) -> None:
        if condition is None:
            self.always = True
        else:
            self.factors.append(condition)
        self.why.append(why)


def _excluding(locks: _Locks, separation: _Separation, dep: _DepLine) -> None:
    """Record ``dep`` (``-r FILE``, unconditional or behind one factor) if the base lock must not be
    installed beside it: a complete minimum-versions lock of the base, or a file without hashes."""
    path = requirement_file(dep.value)
    if path is None or (dep.condition is not None and not _FACTOR.match(dep.condition)):
        return
    base, folder = separation.base, locks.requirements
    if locks.layer_of(path) is not None and locks.minimums.get(base) == locks.layer_of(path):
        separation.exclude(dep.condition, f"{path} is a complete lock (the {base} tools at the minimum versions)")
    elif locks.layer_of(path) is None and locks.unhashed_file(path) and locks.hashes:
        why = f"{path} has no hashes, and pip refuses to mix it with the hashed {folder}/{base}.txt"
        separation.exclude(dep.condition, why)
        if (locks.root / folder / f"{base}.in").is_file():
            tools = f"-r {folder}/{base}.in"
            if dep.condition is None:
                separation.instead = tools
            else:
                separation.added.append((dep.index, f"    {dep.condition}: {tools}\n"))


def _separations(lines: list[str], section: _Section, locks: _Locks) -> list[_Separation]:
    found = _key_lines(lines, section, "deps")
    if found is None:
        return []
    deps = _dep_lines(lines, found)
    separations = []
    for dep in deps:
        path = requirement_file(dep.value) if dep.condition is None else None
        base = locks.layer_of(path) if path is not None else None
        if base is None:
            continue
        separation = _Separation(base, dep)
        for other in deps:
            _excluding(locks, separation, other)
        if separation.factors or separation.always:
            separations.append(separation)
    return separations


def _conditioned(separation: _Separation, lines: list[str]) -> str:
    """The base line behind ``!factor`` conditions (moved below ``deps =`` if it was on it), or
    what replaces it where it never applies."""
    line = separation.line
    if separation.always:
        value = f"    {separation.instead}\n" if separation.instead else ""
    else:
        value = f"    {'-'.join(f'!{factor}' for factor in dict.fromkeys(separation.factors))}: {line.value}\n"
    if line.inline:
        return f"{lines[line.index].split('=', 1)[0].rstrip()} =\n{value}"
    return value


def _apply(lines: list[str], separations: list[_Separation]) -> None:
    """Rewrite each base line, and add the factors' own lines before theirs, in one pass."""
    replaced = {separation.line.index: _conditioned(separation, lines) for separation in separations}
    inserted: dict[int, list[str]] = {}
    for separation in separations:
        for index, added in () if separation.always else separation.added:
            inserted.setdefault(index, []).append(added)
    new: list[str] = []
    for index, line in enumerate(lines):
        new += dict.fromkeys(inserted.get(index, ()))
        new.append(replaced.get(index, line))
    lines[:] = new


def separate_locks(lines: list[str], locks: _Locks) -> list[str]:
    """Keep a lock out of the factor environments that install another complete lock or unhashed
    files (``!min-!dev: -r requirements/tests.txt``): tox installs an environment's deps in one pip
    run, which refuses two versions of one package and hashed lines beside unhashed ones."""
    notes = []
    for section in reversed(_sections(lines)):  # from the end: line indexes above stay valid
        if not section.name.startswith("testenv"):
            continue
        separations = _separations(lines, section, locks)
        _apply(lines, separations)
        notes += [f"[{section.name}] deps: {_note(separation)}" for separation in separations]
    return notes


def _note(separation: _Separation) -> str:
    """What ``init`` did to one lock line, and why."""
    value, why = separation.line.value, "; ".join(separation.why)
    if separation.always:
        done = f"replaced by {separation.instead}" if separation.instead else "removed"
        return f"{value} {done}: {why}"
    factors = ", ".join(dict.fromkeys(separation.factors))
    tools = " (those environments get its tools from the .in instead)" if separation.added else ""
    return f"{value} now applies only without the {factors} factor(s): {why}{tools}"


def _wanted(context: Context) -> bool:
    return context.tox or (context.root / PATH).is_file()


# --- doctor: the locks, files and commands its environments name ---

#: A section header, whatever follows it (doctor reads leniently).
_HEADER = re.compile(r"^\s*\[([^\]]+)\]")
_VALUE = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")
_TOXINIDIR = re.compile(r"\{toxinidir\}/?")
_COMMANDS = ("commands", "commands_pre", "commands_post")
#: A factor condition before a value: ``min: -r requirements/tests-min.txt``, ``py39,!dev: pytest``.
_FACTORS = re.compile(r"^[A-Za-z0-9_.!,{}-]+:\s+(?=\S)")


def _values(text: str) -> Iterator[tuple[str, str, str, int]]:
    """``(section, key, value line, line number)`` for every value line (continuations included)."""
    section = ""
    key = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        match = _HEADER.match(line)
        if match:
            section, key = match.group(1).strip(), ""
            continue
        if line[:1] in (" ", "\t"):
            if key:
                yield section, key, stripped, number
            continue
        match = _VALUE.match(line)
        if match:
            key = match.group(1).replace("-", "_")
            if match.group(2).strip():
                yield section, key, match.group(2).strip(), number


def _check_deps(repo: Repo, value: str, line: int, context: str) -> None:
    """A ``deps`` line that names a requirements or constraints file: the file must exist."""
    flag, _, rest = value.partition(" ")
    if flag in ("-r", "--requirement", "-c", "--constraint"):
        check_ref(repo, Ref("path", rest.strip(), 0, flag), PATH, line, context)
    elif value.startswith(("-r", "-c")) and not value.startswith("--"):
        check_ref(repo, Ref("path", value[2:].strip(), 0, value[:2]), PATH, line, context)


def check_tox_ini(repo: Repo) -> None:
    text = repo.read(PATH)
    if text is None:
        return
    for section, key, value, line in _values(text):
        if not section.startswith("testenv"):
            continue
        context = f"[{section}] {key}"
        value = _TOXINIDIR.sub("", _FACTORS.sub("", value, count=1))
        if key == "sprintlock_layer":
            check_layer(repo, value, PATH, line, context)
        elif key == "deps":
            _check_deps(repo, value, line, context)
        elif key in _COMMANDS:
            for ref in read_script(value).refs:
                check_ref(repo, ref, PATH, line, context)


FILE = StandardFile(
    path=PATH,
    render=_render,
    adopt=_adopt,
    check=check_tox_ini,
    wanted=_wanted,
)
