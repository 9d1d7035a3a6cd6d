"""Read shell commands (devcontainer commands, scripts, workflow ``run:`` steps, tox commands).

Nothing is run: commands are split into words and scanned for what they name, namely
requirement files (``pip install -r FILE``), scripts (``bash FILE``, ``python FILE.py``,
``./FILE``), nox sessions (``nox -s NAME``) and lock layers (``sprintlock sync NAME``).
Words holding a variable or an expression (``$X``, ``${{ matrix.python }}``) are kept
as written; the checks skip what they cannot know statically.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sprintlock._core.text import logical_lines

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_SEPARATORS = {";", "&&", "||", "|", "&", "(", ")", "{", "}", ";;", "|&"}
_KEYWORDS = {"if", "then", "do", "else", "elif", "while", "until", "!", "time", "exec", "sudo", "command", "env"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PIP = re.compile(r"^pip(\d+(\.\d+)?)?$")
_PYTHON = re.compile(r"^python(\d+(\.\d+)?)?$")
_NOX = re.compile(r"^nox($|==|\[|@)")
_SHELLS = {"bash", "sh", "zsh", "source", "."}
_REQUIREMENT_FLAGS = ("-r", "--requirement", "-c", "--constraint")
SESSION_FLAGS = ("-s", "--session", "--sessions", "-e")
_PYTHON_FLAGS = ("-p", "--python", "--pythons")


#: What a reference names: a file, a nox session or a lock layer (``requirements/NAME.in``).
RefKind = Literal["path", "session", "layer"]


@dataclass(frozen=True)
class Ref:
    """Something a command names; ``line`` is 0-based within the script."""

    kind: RefKind
    value: str
    line: int
    #: How the command names it, for messages: "pip install -r", "nox -s", "bash", ...
    via: str
    #: The folder a relative path is read from, relative to the repository (a step's
    #: ``working-directory``, ``.devcontainer`` for the container's build files); "" for the root.
    base: str = ""


@dataclass(frozen=True)
class NoxCall:
    """A ``nox`` invocation: the sessions and Pythons it selects, as written."""

    sessions: tuple[str, ...]
    pythons: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Script:
    refs: tuple[Ref, ...]
    nox_calls: tuple[NoxCall, ...]
    #: Every simple command, as its words (keywords and ``VAR=value`` prefixes dropped).
    commands: tuple[tuple[str, ...], ...] = ()


def _words(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: fall back to plain words
        return line.split()


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """``(first line, text)`` with backslash continuations joined and expressions made one word."""
    text = _EXPRESSION.sub(lambda m: "${{" + re.sub(r"\s+", "", m.group(1)) + "}}", text)
    return list(logical_lines(text.splitlines()))


def _commands(words: list[str]) -> list[list[str]]:
    commands: list[list[str]] = [[]]
    for word in words:
        if word in _SEPARATORS or (set(word) <= set(";&|()") and word):
            commands.append([])
        else:
            commands[-1].append(word)
    cleaned = []
    for command in commands:
        while command and (command[0] in _KEYWORDS or _ASSIGNMENT.match(command[0])):
            command = command[1:]
        if command:
            cleaned.append(command)
    return cleaned


def _base(word: str) -> str:
    return word.rsplit("/", 1)[-1]


#: Words before a program that install it rather than run it (``pip install tox``, ``uv add pytest``).
_INSTALLING = {"install", "add", "inject"}


def program_args(words: tuple[str, ...], match: Callable[[str], bool]) -> tuple[str, ...] | None:
    """The arguments of the program ``match`` accepts (by base name) when ``words`` run it.

    ``uv run pytest -x`` and ``python -m tox`` run it; ``pip install tox`` installs it: None.
    """
    for index, word in enumerate(words):
        if word in _INSTALLING:
            return None
        if match(_base(word)):
            return words[index + 1 :]
    return None


def flag_values(args: list[str], flags: tuple[str, ...], *, many: bool) -> list[str]:
    """Values of ``flags`` in ``args``: ``-s a b``, ``-s=a``, ``--session a`` (``many``: until the next option)."""
    values: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--":
            break
        name, eq, inline = word.partition("=")
        if word in flags:
            index += 1
            while index < len(args) and not args[index].startswith("-"):
                values.append(args[index])
                index += 1
                if not many:
                    break
            continue
        if eq and name in flags:
            values.append(inline)
        elif not many and len(word) > 2 and word[:2] in flags and not word.startswith("--"):
            values.append(word[2:])  # -rrequirements/dev.txt
        index += 1
    return values


@dataclass(frozen=True)
class _Command:
    """One simple command: its words, their base names (``/usr/bin/pip`` -> ``pip``) and its line."""

    words: list[str]
    bases: list[str]
    line: int

    def find(self, match: Callable[[str], bool]) -> int | None:
        """The index of the first word whose base name ``match`` accepts."""
        return next((index for index, base in enumerate(self.bases) if match(base)), None)

    def ref(self, kind: RefKind, value: str, via: str) -> Ref:
        return Ref(kind, value, self.line, via)


def _is_pip(base: str) -> bool:
    return bool(_PIP.match(base)) or base == "pip-sync"


def is_nox(base: str) -> bool:
    """Whether a program's base name is nox (``nox``, ``nox==2025.5.1``, ``nox[uv]``)."""
    return bool(_NOX.match(base))


def _runs(command: _Command) -> list[Ref]:
    """``./run.sh``, ``tools/go``: the command is itself a file of the checkout."""
    program = command.words[0]
    if "/" in program and is_static(program) and not program.startswith("/"):
        return [command.ref("path", program.removeprefix("./"), "runs")]
    return []


def _interpreted(command: _Command) -> list[Ref]:
    """The script a shell or Python runs: ``bash x.sh``, ``source x``, ``python x.py``."""
    program, words = command.bases[0], command.words
    if program in _SHELLS:
        args = [word for word in words[1:] if not word.startswith("-")]
        return [command.ref("path", args[0], program)] if "-c" not in words[1:] and args else []
    if _PYTHON.match(program) and len(words) > 1 and words[1].endswith(".py"):
        return [command.ref("path", words[1], program)]
    return []


def _pip(command: _Command, index: int) -> list[Ref]:
    """The files ``pip install -r``, ``pip-sync`` and ``uv pip sync`` read (pip is word ``index``)."""
    tool, args = command.bases[index], command.words[index + 1 :]
    via = f"{tool} {args[0]}" if args and not args[0].startswith("-") else tool
    refs = [command.ref("path", value, f"{via} -r") for value in flag_values(args, _REQUIREMENT_FLAGS, many=False)]
    if tool == "pip-sync" or (args[:1] == ["sync"] and command.bases[index - 1 : index] == ["uv"]):
        refs += [command.ref("path", word, via) for word in args if word.endswith(".txt") and not word.startswith("-")]
    return refs


def _nox(command: _Command) -> NoxCall | None:
    """The sessions and Pythons of a ``nox`` run (``pipx install nox`` installs it: not a run)."""
    index = command.find(is_nox)
    if index is None or "install" in command.words[:index]:
        return None
    args = command.words[index + 1 :]
    sessions = flag_values(args, SESSION_FLAGS, many=True)
    pythons = flag_values(args, _PYTHON_FLAGS, many=True)
    return NoxCall(tuple(sessions), tuple(pythons), command.line)


def _sprintlock(command: _Command) -> list[Ref]:
    """The layer of ``sprintlock sync NAME`` and ``sprintlock dev`` (after ``-C``/``--project DIR``)."""
    index = command.find(lambda base: base == "sprintlock")
    if index is None:
        return []
    args = command.words[index + 1 :]
    while args[:1] in (["-C"], ["--project"]):
        args = args[2:]
    if args[:1] == ["dev"]:
        return [command.ref("layer", "dev", "sprintlock dev")]
    if args[:1] != ["sync"]:
        return []
    positional = [word for i, word in enumerate(args[1:]) if not word.startswith("-") and args[i] != "--venv"]
    return [command.ref("layer", positional[0], "sprintlock sync")] if positional else []


def _command_refs(words: list[str], line: int) -> tuple[list[Ref], list[NoxCall]]:
    command = _Command(words, [_base(word) for word in words], line)
    refs = _runs(command) + _interpreted(command)
    pip = command.find(_is_pip)
    # `pip install nox`: installing nox is not running it.
    call = _nox(command) if pip is None else None
    if pip is not None:
        refs += _pip(command, pip)
    if call is not None:
        refs += [command.ref("session", name, "nox -s") for name in call.sessions]
    refs += _sprintlock(command)
    return refs, [call] if call is not None else []


def read_script(text: str) -> Script:
    """Everything the shell ``text`` names, with the (0-based) line of each."""
    refs: list[Ref] = []
    calls: list[NoxCall] = []
    commands: list[tuple[str, ...]] = []
    for line, logical in _logical_lines(text):
        if logical.lstrip().startswith("#"):
            continue
        for command in _commands(_words(logical)):
            found, nox_calls = _command_refs(command, line)
            refs += found
            calls += nox_calls
            commands.append(tuple(command))
    return Script(tuple(refs), tuple(calls), tuple(commands))


#: Folders that scripts create (virtual environments, tool caches): never expected in a checkout.
_CREATED = {".venv", "venv", "env", ".env", ".nox", ".tox", "build", "dist", "node_modules"}


def is_static(value: str) -> bool:
    """Whether ``value`` is a literal (no variable, expression, glob or home folder)."""
    return bool(value) and not any(char in value for char in "$*?[{~`<>") and not value.startswith("-")


def is_checkable_path(value: str) -> bool:
    """A literal path inside the checkout that a script would not create itself."""
    if not is_static(value) or value.startswith("/") or "://" in value:
        return False
    parts = [part for part in value.split("/") if part not in ("", ".")]
    return bool(parts) and parts[0] not in _CREATED and ".." not in parts
