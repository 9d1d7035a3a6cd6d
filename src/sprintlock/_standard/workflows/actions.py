"""Refreshing the SHA-pinned actions of ``.github/workflows`` to their newest release (``nox -s upgrade``).

Tags are listed with ``git ls-remote --tags`` (no API, no token); a workflow line
``uses: owner/repo@<sha> # vX.Y.Z`` moves to the newest release's commit and tag.
Without network nothing moves and a note says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from sprintlock._core.errors import CommandFailed
from sprintlock._core.process import Runner, run
from sprintlock._standard.workflows.render import FOLDER

_USES = re.compile(
    r"(?P<prefix>\buses:[ \t]*)(?P<repo>[\w.-]+/[\w.-]+)(?P<path>/[^@\s]*)?@(?P<sha>[0-9a-f]{40})"
    r"(?P<space>[ \t]*)#[ \t]*(?P<tag>v?\d[\w.+-]*)"
)

#: ``git ls-remote --tags URL`` for one ``owner/repo``: its output, or None when unreachable.
LsRemote = Callable[[str], "str | None"]


def git_ls_remote(base: str = "https://github.com", runner: Runner = run) -> LsRemote:
    """List tags with ``git ls-remote`` (no API, no token); ``base`` may be a local folder in tests."""

    def ls_remote(repo: str) -> str | None:
        try:
            result = runner(["git", "ls-remote", "--tags", f"{base}/{repo}"])
        except CommandFailed:
            return None  # no git
        return result.stdout if result.returncode == 0 else None

    return ls_remote


def newest_tag(output: str) -> tuple[str, str] | None:
    """The newest release tag and its commit (peeled) in ``git ls-remote --tags`` output."""
    commits: dict[str, str] = {}
    for line in output.splitlines():
        sha, _, ref = line.partition("\t")
        if not ref.startswith("refs/tags/"):
            continue
        tag = ref.removeprefix("refs/tags/")
        if tag.endswith("^{}"):
            commits[tag[:-3]] = sha  # an annotated tag's commit wins over the tag object
        else:
            commits.setdefault(tag, sha)
    releases = []
    for tag, sha in commits.items():
        try:
            version = Version(tag)
        except InvalidVersion:
            continue
        if not version.is_prerelease:
            releases.append((version, tag, sha))
    if not releases:
        return None
    _, tag, sha = max(releases)
    return tag, sha


@dataclass(frozen=True)
class ActionPins:
    #: New text of each workflow that changed, by path.
    files: dict[Path, str]
    #: (workflow file, action, old tag, new tag).
    moves: tuple[tuple[Path, str, str, str], ...]
    notes: tuple[str, ...]


def refresh_action_pins(root: Path, ls_remote: LsRemote | None = None) -> ActionPins:
    """Move every SHA-pinned action in ``.github/workflows`` to its newest release tag."""
    ls_remote = ls_remote or git_ls_remote()
    folder = root / FOLDER
    workflows = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]) if folder.is_dir() else []
    newest: dict[str, tuple[str, str] | None] = {}
    unreachable: list[str] = []
    files: dict[Path, str] = {}
    moves: dict[tuple[Path, str, str, str], None] = {}
    current: list[Path] = []

    def replace(match: re.Match[str]) -> str:
        repo, old_tag = match["repo"], match["tag"]
        if repo not in newest:
            output = ls_remote(repo)
            if output is None:
                unreachable.append(repo)
            newest[repo] = newest_tag(output) if output is not None else None
        found = newest[repo]
        if found is None:
            return match.group(0)
        tag, sha = found
        try:
            newer = Version(tag) > Version(old_tag)
        except InvalidVersion:
            newer = False
        if not newer:
            return match.group(0)
        moves[(current[-1], repo, old_tag, tag)] = None
        return f"{match['prefix']}{repo}{match['path'] or ''}@{sha}{match['space']}# {tag}"

    for path in workflows:
        current.append(path)
        text = path.read_text(encoding="utf-8")
        new = _USES.sub(replace, text)
        if new != text:
            files[path] = new
    notes = tuple(f"action pins not refreshed (offline?): could not list the tags of {repo}" for repo in unreachable)
    return ActionPins(files, tuple(moves), notes)
