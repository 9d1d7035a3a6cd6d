"""The devcontainer: the commands in ``devcontainer.json`` and the bootstrap script."""

from __future__ import annotations

import shlex
from typing import Any

from sprintlock._inspect.jsonc import JsoncError, parse_jsonc
from sprintlock._inspect.references import check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, read_script

DEVCONTAINER = ".devcontainer/devcontainer.json"
BOOTSTRAP = ".devcontainer/bootstrap.sh"
#: The lifecycle commands, in the order the container runs them.
COMMAND_KEYS = (
    "initializeCommand",
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
    "postAttachCommand",
)


def _line_of(lines: list[str], needle: str, start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if needle in lines[index]:
            return index + 1
    return None


def _scripts(value: Any) -> list[str]:
    """A lifecycle command as shell text: a string, an exec-form list, or an object of either."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return [shlex.join(value)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _scripts(item)]
    return []


def check_devcontainer(repo: Repo) -> None:
    text = repo.read(DEVCONTAINER)
    if text is None:
        return
    try:
        data = parse_jsonc(text)
    except JsoncError as exc:
        repo.add("file-invalid", DEVCONTAINER, str(exc), "fix the syntax so that its commands can be checked", exc.line)
        return
    if not isinstance(data, dict):
        repo.add(
            "file-invalid", DEVCONTAINER, "not a JSON object", "see https://containers.dev/implementors/json_reference/"
        )
        return
    lines = text.splitlines()
    for key in COMMAND_KEYS:
        key_line = _line_of(lines, f'"{key}"')
        for script in _scripts(data.get(key)):
            for ref in read_script(script).refs:
                line = _line_of(lines, ref.value, (key_line or 1) - 1) or key_line
                check_ref(repo, ref, DEVCONTAINER, line, key)
                _follow(repo, ref, key)
    build = data.get("build")
    dockerfile = build.get("dockerfile") if isinstance(build, dict) else data.get("dockerFile")
    compose = data.get("dockerComposeFile")
    files = [dockerfile] + (compose if isinstance(compose, list) else [compose])
    for name in files:
        if isinstance(name, str):
            ref = Ref("path", name, 0, "relative to .devcontainer/", base=".devcontainer")
            check_ref(repo, ref, DEVCONTAINER, _line_of(lines, name), "the container build")


def _follow(repo: Repo, ref: Ref, key: str) -> None:
    """A script the container runs (other than the bootstrap script): what it names must exist too."""
    relative = ref.value.removeprefix("./")
    if ref.kind != "path" or relative == BOOTSTRAP or not relative.endswith(".sh"):
        return
    text = repo.read(relative)
    if text is not None:
        for found in read_script(text).refs:
            check_ref(repo, found, relative, found.line + 1, f"{relative} (run by {key})")


def check_bootstrap(repo: Repo) -> None:
    text = repo.read(BOOTSTRAP)
    if text is None:
        return
    # The script runs from the repository root (the standard one does `cd` there first).
    for ref in read_script(text).refs:
        check_ref(repo, ref, BOOTSTRAP, ref.line + 1, BOOTSTRAP)
