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
from dataclasses import dataclass

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_SEPARATORS = {";", "&&", "||", "|", "&", "(", ")", "{", "}", ";;", "|&"}
_KEYWORDS = {"if", "then", "do", "else", "elif", "while", "until", "!", "time", "exec", "sudo", "command", "env"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PIP = re.compile(r"^pip(\d+(\.\d+)?)?$")
_PYTHON = re.compile(r"^python(\d+(\.\d+)?)?$")
_SHELLS = {"bash", "sh", "zsh", "source", "."}
_REQUIREMENT_FLAGS = ("-r", "--requirement", "-c", "--constraint")
_SESSION_FLAGS = ("-s", "--session", "--sessions", "-e")
_PYTHON_FLAGS = ("-p", "--python", "--pythons")


@dataclass(frozen=True)
class Ref:
    """Something a command names: ``kind`` is "path", "session" or "layer"; ``line`` is 0-based."""

    kind: str
    value: str
    line: int
    #: How the command names it, for messages: "pip install -r", "nox -s", "bash", ...
    via: str


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
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines()):
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending.append(line.rstrip()[:-1])
            continue
        pending.append(line)
        out.append((start, " ".join(pending)))
        pending = []
    if pending:
        out.append((start, " ".join(pending)))
    return out


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


def _flag_values(args: list[str], flags: tuple[str, ...], *, many: bool) -> list[str]:
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


def _command_refs(words: list[str], line: int) -> tuple[list[Ref], list[NoxCall]]:
    refs: list[Ref] = []
    calls: list[NoxCall] = []
    program = _base(words[0])
    bases = [_base(word) for word in words]
    if "/" in words[0] and is_static(words[0]) and not words[0].startswith("/"):
        refs.append(Ref("path", words[0].removeprefix("./"), line, "runs"))
    if program in _SHELLS:
        args = [w for w in words[1:] if not w.startswith("-")]
        if "-c" not in words[1:] and args:
            refs.append(Ref("path", args[0], line, program))
    if _PYTHON.match(program) and len(words) > 1 and words[1].endswith(".py"):
        refs.append(Ref("path", words[1], line, program))
    pip_index = next((i for i, base in enumerate(bases) if _PIP.match(base) or base == "pip-sync"), None)
    if pip_index is not None:
        args = words[pip_index + 1 :]
        via = f"{bases[pip_index]} {args[0]}" if args and not args[0].startswith("-") else bases[pip_index]
        for value in _flag_values(args, _REQUIREMENT_FLAGS, many=False):
            refs.append(Ref("path", value, line, f"{via} -r"))
        if bases[pip_index] == "pip-sync" or (args[:1] == ["sync"] and bases[pip_index - 1 : pip_index] == ["uv"]):
            refs += [Ref("path", w, line, via) for w in args if w.endswith(".txt") and not w.startswith("-")]
    nox_index = next((i for i, base in enumerate(bases) if re.match(r"^nox($|==|\[|@)", base)), None)
    # `pip install nox`, `pipx install nox`: installing nox is not running it.
    if nox_index is not None and pip_index is None and "install" not in words[:nox_index]:
        args = words[nox_index + 1 :]
        sessions = _flag_values(args, _SESSION_FLAGS, many=True)
        pythons = _flag_values(args, _PYTHON_FLAGS, many=True)
        calls.append(NoxCall(tuple(sessions), tuple(pythons), line))
        refs += [Ref("session", name, line, "nox -s") for name in sessions]
    sprintlock_index = next((i for i, base in enumerate(bases) if base == "sprintlock"), None)
    if sprintlock_index is not None:
        args = words[sprintlock_index + 1 :]
        while args[:1] == ["-C"] or args[:1] == ["--project"]:
            args = args[2:]
        if args[:1] == ["sync"]:
            positional = [w for i, w in enumerate(args[1:]) if not w.startswith("-") and args[i] != "--venv"]
            if positional:
                refs.append(Ref("layer", positional[0], line, "sprintlock sync"))
        elif args[:1] == ["dev"]:
            refs.append(Ref("layer", "dev", line, "sprintlock dev"))
    return refs, calls


def read_script(text: str) -> Script:
    """Everything the shell ``text`` names, with the (0-based) line of each."""
    refs: list[Ref] = []
    calls: list[NoxCall] = []
    for line, logical in _logical_lines(text):
        if logical.lstrip().startswith("#"):
            continue
        for command in _commands(_words(logical)):
            found, nox_calls = _command_refs(command, line)
            refs += found
            calls += nox_calls
    return Script(tuple(refs), tuple(calls))


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
