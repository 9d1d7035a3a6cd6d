"""The commands a project's tox environments run, as nox session lines: adoption keeps them.

A project adopted from tox keeps what its environments ran (click's mypy and pyright on
each platform, pytest with ``--basetemp``, ``sphinx-build -b dirhtml``): the session that
installs a layer runs the commands of the tox environment that installed that layer's
lock. Only what translates exactly is taken: ``{posargs}`` (with or without a default),
``{envtmpdir}``, ``{toxinidir}`` and ``{envpython}``; a command with any other
substitution, an ignored exit code (``- cmd``) or shell syntax that tox would not run
either leaves the standard command in place.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

from sprintlock._inspect.toxenvs import ToxEnv, environments, lock_layer, requirement_file

#: ``{posargs}`` or ``{posargs:DEFAULT ...}`` as a whole argument.
_POSARGS = re.compile(r"^\{posargs(?::(.*))?\}$")
_POSARGS_IN = re.compile(r"\{posargs(?::[^{}]*)?\}")
_SUBSTITUTION = re.compile(r"\{[^{}]*\}")
#: Substitutions that become plain text in the session.
_TEXT = {"{toxinidir}": ".", "{tox_root}": ".", "{envpython}": "python", "{env_python}": "python"}
_TMP = ("{envtmpdir}", "{env_tmp_dir}")


def layer_commands(text: str, layers: Iterable[str], requirements: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """For each layer a tox environment of ``text`` installs (``-r REQUIREMENTS/LAYER.txt``),
    the name and commands of the first such environment.

    An environment that installs several locks counts for its minimum-versions layer
    (``tests.txt`` with ``tests-min.txt``: ``tests-min``), else for none.
    """
    known = set(layers)
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for env in environments(text):
        layer = _layer_of(env, known, requirements)
        if layer is not None and env.commands:
            found.setdefault(layer, (env.name, env.commands))
    return found


def _layer_of(env: ToxEnv, layers: set[str], requirements: str) -> str | None:
    found = (lock_layer(requirement_file(dep.value), layers, requirements) for dep in env.deps)
    installed = [layer for layer in found if layer is not None]
    minimum = [name for name in installed if name.endswith("-min")]
    if len(minimum) == 1:
        return minimum[0]
    return installed[0] if len(installed) == 1 else None


def session_runs(commands: Iterable[str]) -> list[list[str]] | None:
    """Each command as the arguments of ``session.run`` (Python expressions), or None when one
    does not translate exactly. ``{envtmpdir}`` becomes the variable ``tmp``."""
    runs = [_translate(command) for command in commands]
    return [run for run in runs if run is not None] if runs and None not in runs else None


def _translate(command: str) -> list[str] | None:
    if command.startswith("-"):
        return None  # tox ignores its exit code: the session would not
    # {posargs:DEFAULTS} is one argument to tox, spaces and all: kept whole through shlex.
    posargs = _POSARGS_IN.findall(command)
    marked = _POSARGS_IN.sub("\x01", command)
    try:
        words = shlex.split(marked)
    except ValueError:
        return None
    if not words or "\x01" in marked.replace(" \x01", ""):
        return None  # {posargs} quoted or glued to other text: tox would pass it otherwise
    fill = iter(posargs)
    args = [_argument(next(fill) if word == "\x01" else word) for word in words]
    return None if None in args else [arg for arg in args if arg is not None]


def uses_tmp(runs: Iterable[list[str]]) -> bool:
    """Whether the runs need ``tmp = session.create_tmp()`` first."""
    return any("{tmp}" in arg for run in runs for arg in run)


def _argument(word: str) -> str | None:
    posargs = _POSARGS.match(word)
    if posargs is not None:
        if posargs.group(1) is None:
            return "*session.posargs"
        try:
            defaults = ", ".join(_quote(item) for item in shlex.split(posargs.group(1)))
        except ValueError:
            return None
        return f"*(session.posargs or [{defaults}])"
    for name, value in _TEXT.items():
        word = word.replace(name, value)
    tmp = any(name in word for name in _TMP)
    for name in _TMP:
        word = word.replace(name, "\0")
    if _SUBSTITUTION.search(word) or (tmp and any(char in word for char in "{}\\")):
        return None  # another substitution (or braces an f-string would need escaped)
    if tmp:
        return 'f"' + word.replace('"', '\\"').replace("\0", "{tmp}") + '"'
    return _quote(word)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
