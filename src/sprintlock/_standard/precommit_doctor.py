"""``.pre-commit-config.yaml``: hook revisions pinned by SHA, and the files hooks name."""

from __future__ import annotations

import re

from sprintlock._inspect.references import check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, is_checkable_path, read_script
from sprintlock._inspect.yamltree import Node, YamlError, parse_yaml
from sprintlock._standard.pins import SHA

CONFIG = ".pre-commit-config.yaml"
_FROZEN = re.compile(r"^frozen:\s*\S+")
#: Languages whose ``entry`` is a pattern or a message, not a command.
_NOT_COMMANDS = {"pygrep", "fail"}
_REGEX_SPECIALS = set(".^$*+?{}[]()|\\")


def literal_paths(pattern: str) -> list[tuple[str, bool]]:
    """The paths a ``files:`` regex names literally, each with whether it must match exactly.

    Only simple patterns are understood: ``^path$``, ``^dir/``, ``^(a|b\\.toml$)``. Anything
    with other regex syntax gives nothing (it cannot be checked without guessing).
    """
    if not pattern.startswith("^"):
        return []
    body = pattern[1:]
    alternatives = [body]
    if body.startswith("(") and (body.endswith(")") or body.endswith(")$")):
        end = body.endswith("$")
        alternatives = [
            alt + ("$" if end and not alt.endswith("$") else "") for alt in body[1 : body.rindex(")")].split("|")
        ]
    found = []
    for alternative in alternatives:
        exact = alternative.endswith("$")
        text = alternative.removesuffix("$")
        plain = re.sub(r"\\(.)", r"\1", text)
        if any(char in _REGEX_SPECIALS for char in re.sub(r"\\.", "", text)) or not plain:
            return []
        found.append((plain, exact))
    return found


def _prefix_exists(repo: Repo, prefix: str) -> bool:
    if repo.exists(prefix):
        return True
    folder, _, start = prefix.rpartition("/")
    directory = repo.root / folder if folder else repo.root
    return directory.is_dir() and any(child.name.startswith(start) for child in directory.iterdir())


def _check_files(repo: Repo, hook: Node, context: str) -> None:
    files = hook.get("files")
    if files is None or files.kind != "scalar":
        return
    for path, exact in literal_paths(files.value):
        if repo.reported_missing(path.rstrip("/")):
            continue
        if (repo.exists(path) if exact else _prefix_exists(repo, path)) or not is_checkable_path(path):
            continue
        repo.add(
            "dangling-path",
            CONFIG,
            f"{context} runs on files matching {files.value!r}, but {path} does not exist: the hook never runs",
            f"change `files:` to name paths that exist, or restore {path}",
            files.line,
        )


def _check_entry(repo: Repo, hook: Node, context: str) -> None:
    entry = hook.get("entry")
    language = hook.get("language")
    if entry is None or entry.kind != "scalar" or (language is not None and language.value in _NOT_COMMANDS):
        return
    words = entry.value.split()
    refs = list(read_script(entry.value).refs)
    if words and "/" in words[0] and not any(r.value == words[0].removeprefix("./") for r in refs):
        refs.append(Ref("path", words[0], 0, "entry"))
    if language is not None and language.value == "script" and words and "/" not in words[0]:
        refs.append(Ref("path", words[0], 0, "entry"))
    for ref in refs:
        check_ref(repo, ref, CONFIG, entry.line, context)


def _check_rev(repo: Repo, url: str, rev: Node | None, line: int) -> None:
    if rev is None or rev.kind != "scalar":
        repo.add(
            "hook-unpinned",
            CONFIG,
            f"{url} has no rev: pre-commit cannot install it reproducibly",
            "run `pre-commit autoupdate --freeze` to pin every hook repository to a commit",
            line,
        )
    elif not SHA.match(rev.value):
        repo.add(
            "hook-unpinned",
            CONFIG,
            f"{url} is pinned to {rev.value!r}, a tag or branch that can be moved to other code",
            "run `pre-commit autoupdate --freeze` (it writes the commit SHA with a `# frozen: vX.Y.Z` comment)",
            rev.line,
        )
    elif not _FROZEN.match(rev.comment):
        repo.add(
            "hook-no-frozen-comment",
            CONFIG,
            f"{url} is pinned to a commit with no `# frozen: vX.Y.Z` comment: nobody can tell which release it is",
            "run `pre-commit autoupdate --freeze`, or add the release: `rev: <sha>  # frozen: vX.Y.Z`",
            rev.line,
        )


def check_precommit(repo: Repo) -> None:
    text = repo.read(CONFIG)
    if text is None:
        return
    try:
        root = parse_yaml(text)
    except YamlError as exc:
        repo.add("file-invalid", CONFIG, str(exc), "fix the YAML (`pre-commit validate-config` shows how)", exc.line)
        return
    repos = root.get("repos") if root.kind == "map" else None
    for entry in repos.sequence() if repos is not None else ():
        url_node = entry.get("repo")
        url = url_node.value if url_node is not None else ""
        if url not in ("local", "meta"):
            _check_rev(repo, url, entry.get("rev"), entry.line)
        hooks = entry.get("hooks")
        for hook in hooks.sequence() if hooks is not None else ():
            hook_id = hook.get("id")
            context = f"hook {hook_id.value!r}" if hook_id is not None else "a hook"
            _check_files(repo, hook, context)
            if url == "local":
                _check_entry(repo, hook, context)
