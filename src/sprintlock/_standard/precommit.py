"""``.pre-commit-config.yaml``: written by ``sprintlock init``, checked by doctor, its pins refreshed on upgrade.

The standard hooks (ruff check and format; whitespace, end of file, merge conflicts,
TOML and YAML syntax) are pinned by commit SHA with a ``# frozen: vX.Y.Z`` comment, as
``pre-commit autoupdate --freeze`` writes them, plus sprintlock's own ``sprintlock-check``.

An existing config is kept and gets the sprintlock hook: inserted as text after the last
item of a block ``repos:`` list wherever it stands (nothing else touched), or, for any other
shape (a flow list, no ``repos:``), through ruamel.yaml's round trip (comments, key order and
quotes kept). Either edit is checked: the result must read as the user's config plus the
hook, else the file is a conflict, shown as a diff.

Doctor checks that every hook repository is pinned by SHA with a ``# frozen:`` comment,
and that the files the hooks run on (``files:``) and run (local ``entry:``) exist.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sprintlock._core.process import Runner, run
from sprintlock._inspect.references import check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref, is_checkable_path, read_script
from sprintlock._inspect.yamltree import Node, YamlError, parse_yaml
from sprintlock._project.layout import PRE_COMMIT_CONFIG
from sprintlock._standard.context import Context
from sprintlock._standard.pins import PRE_COMMIT_HOOKS, RUFF_PRE_COMMIT, SHA, SPRINTLOCK_HOOK, Pinned
from sprintlock._standard.spec import Merge, StandardFile
from sprintlock._version import __version__

PATH = PRE_COMMIT_CONFIG
STANDARD_HOOKS = ("trailing-whitespace", "end-of-file-fixer", "check-merge-conflict", "check-toml", "check-yaml")
_REPO_LINE = re.compile(r"^(\s*)-\s+repo:\s*(\S+)\s*$")
_REV_LINE = re.compile(r"^\s*rev:\s*['\"]?([^'\"\s#]+)['\"]?\s*(?:#\s*frozen:\s*(\S+))?")


def _block(pinned: Pinned | None, url: str, rev: str, hooks: Iterable[str], indent: str = "  ") -> str:
    comment = f"  # frozen: {pinned.tag}" if pinned else ""
    lines = [f"{indent}- repo: {url}", f"{indent}  rev: {rev}{comment}", f"{indent}  hooks:"]
    lines += [f"{indent}    - id: {hook}" for hook in hooks]
    return "\n".join(lines) + "\n"


def sprintlock_block(indent: str = "  ") -> str:
    """The sprintlock check hook, as a local hook pinned to this sprintlock release.

    A local ``language: python`` hook installs ``sprintlock==X.Y.Z`` from the package
    index: pinned without a git repository to clone (the fields mirror sprintlock's
    ``.pre-commit-hooks.yaml``, which a test keeps in step).
    """

    lines = [
        "- repo: local",
        "  hooks:",
        f"    - id: {SPRINTLOCK_HOOK}",
        "      name: sprintlock check (locks are fresh)",
        "      entry: sprintlock check",
        "      language: python",
        f'      additional_dependencies: ["sprintlock=={__version__}"]',
        "      pass_filenames: false",
        "      files: ^(requirements/|pyproject\\.toml$)",
    ]
    return "".join(f"{indent}{line}\n" for line in lines)


def render_precommit_config() -> str:
    """A new ``.pre-commit-config.yaml``."""
    return (
        "# Git hooks, installed by `nox -s dev` (and the devcontainer); `nox -s lint` runs them on\n"
        "# every file. Revisions are commit SHAs; `nox -s upgrade` refreshes them\n"
        "# (pre-commit autoupdate --freeze). Written by `sprintlock init`.\n"
        "repos:\n"
        + _block(RUFF_PRE_COMMIT, RUFF_PRE_COMMIT.url, RUFF_PRE_COMMIT.sha, ["ruff-check", "ruff-format"])
        + _block(PRE_COMMIT_HOOKS, PRE_COMMIT_HOOKS.url, PRE_COMMIT_HOOKS.sha, STANDARD_HOOKS)
        + sprintlock_block()
    )


_CHECK_ENTRY = re.compile(r"^\s*entry:\s*['\"]?sprintlock\s+check\b", re.MULTILINE)


def _has_hook(text: str, hook: str) -> bool:
    """Whether the config lists the hook ``hook`` (``- id: NAME``, quoted or not, a comment after it)."""
    return bool(re.search(rf"^\s*-\s+id:\s*['\"]?{re.escape(hook)}['\"]?\s*(?:#.*)?$", text, re.MULTILINE))


def adopt_precommit_config(text: str) -> Merge | None:
    """``text`` with the sprintlock hook added to ``repos:``, and what changed; None when it cannot be merged.

    Any valid config is adopted: ``repos:`` anywhere, in block or flow style. A block list gets
    the hook as text inserted after its last item, nothing else touched; any other shape is
    rewritten by ruamel.yaml's round trip (comments, key order and quotes kept). Either way the
    result is accepted only when it reads as the user's config plus the hook, nothing more.
    """
    try:
        root = parse_yaml(text)
    except YamlError:
        return None
    repos = root.get("repos") if root.kind == "map" else None
    if root.kind != "map" or (repos is not None and repos.kind != "seq"):
        return None
    if (repos is not None and _has_sprintlock_hook(repos)) or _CHECK_ENTRY.search(text):
        return text, ()  # sprintlock's hook, or a hook of the user's that runs `sprintlock check`: never twice
    inserted = _insert_after_list(text, repos) if repos is not None else None
    if inserted is not None and _adds_only_the_hook(text, inserted):
        return inserted, (f"appended the {SPRINTLOCK_HOOK} hook",)
    rewritten = _rewrite_with_hook(text)
    if rewritten is None or not _adds_only_the_hook(text, rewritten):
        return None
    return rewritten, (f"appended the {SPRINTLOCK_HOOK} hook (repos: rewritten as a block list by ruamel.yaml)",)


def _has_sprintlock_hook(repos: Node) -> bool:
    for entry in repos.sequence():
        hooks = entry.get("hooks") if entry.kind == "map" else None
        for hook in hooks.sequence() if hooks is not None else ():
            hook_id = hook.get("id") if hook.kind == "map" else None
            if hook_id is not None and hook_id.value == SPRINTLOCK_HOOK:
                return True
    return False


def _insert_after_list(text: str, repos: Node) -> str | None:
    """The hook's block inserted as text after the last item of a block ``repos:`` list (None: not one)."""
    if repos.flow or not repos.items:
        return None
    lines = text.splitlines(keepends=True)
    first = repos.items[0]
    dash = lines[first.line - 1].rfind("-", 0, first.column)
    if dash < 0 or lines[first.line - 1][:dash].strip():
        return None  # the item does not start on its dash's line, or the dash is not the line's first word
    end_line, end_column = repos.end
    # After the line the list's text ends on (a block scalar's end is already the next line's start).
    cut = end_line if end_column == 0 and end_line > 0 else end_line + 1
    offset = sum(len(line) for line in lines[:cut])
    before, after = text[:offset], text[offset:]
    newline = "\r\n" if "\r\n" in text else "\n"
    if before and not before.endswith("\n"):
        before += newline
    return before + sprintlock_block(" " * dash).replace("\n", newline) + after


def _hook_entry() -> object:
    import yaml  # type: ignore[import-untyped, unused-ignore]  # no stubs in the locked environment

    return yaml.safe_load(sprintlock_block(""))[0]


def _adds_only_the_hook(old: str, new: str) -> bool:
    """Whether ``new`` reads as ``old`` with the sprintlock repository appended to ``repos:``, nothing else."""
    import yaml  # type: ignore[import-untyped, unused-ignore]

    try:
        before, after = yaml.safe_load(old), yaml.safe_load(new)
    except yaml.YAMLError:
        return False
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    expected = {**before, "repos": [*(before.get("repos") or []), _hook_entry()]}
    return bool(after == expected)


def _rewrite_with_hook(text: str) -> str | None:
    """The config rewritten by ruamel.yaml's round trip with the hook appended (``repos:`` as a block list)."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        data, indent, dash = load_yaml_guess_indent(text)
    except YAMLError:
        return None
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # long lines stay on one line
    indent, dash = indent or 2, dash or 0
    yaml.indent(mapping=indent, sequence=indent + dash, offset=dash)
    repos = data.get("repos") if isinstance(data, CommentedMap) else None
    if not isinstance(data, CommentedMap) or not isinstance(repos, (CommentedSeq, type(None))):
        return None
    if repos is None:
        repos = data["repos"] = CommentedSeq()
    repos.fa.set_block_style()
    repos.append(yaml.load(sprintlock_block(""))[0])
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@dataclass(frozen=True)
class RepoPin:
    repo: str
    rev: str
    #: The tag of a frozen revision (``# frozen: v1.2.3``), else the revision itself.
    tag: str


def read_pins(text: str) -> dict[str, RepoPin]:
    """Each repository's revision in a pre-commit config (``local``/``meta`` have none)."""
    pins: dict[str, RepoPin] = {}
    repo: str | None = None
    for line in text.splitlines():
        match = _REPO_LINE.match(line)
        if match:
            repo = match.group(2).strip("'\"")
            continue
        rev = _REV_LINE.match(line)
        if rev and repo is not None:
            pins[repo] = RepoPin(repo, rev.group(1), rev.group(2) or rev.group(1))
            repo = None
    return pins


@dataclass(frozen=True)
class Refreshed:
    """Pin moves (repository, old tag, new tag), notes on what could not be refreshed, and the
    config's new text (None when nothing moved): the caller writes it, with its other files."""

    moves: tuple[tuple[str, str, str], ...]
    notes: tuple[str, ...]
    text: str | None = None


def refresh_hook_pins(root: Path, *, pre_commit: str | None = None, runner: Runner = run) -> Refreshed:
    """Run ``pre-commit autoupdate --freeze`` on a copy of the config and say which hook revisions moved.

    The project's config is not touched: its new text is in the result. Without network
    (or without pre-commit) nothing moves and a note says why.
    """
    config = root / PATH
    if not config.is_file():
        return Refreshed((), ())
    tool = pre_commit or shutil.which("pre-commit")
    if tool is None:
        return Refreshed((), ("hook pins not refreshed: pre-commit is not installed (it is in the dev lock)",))
    text = config.read_text(encoding="utf-8")
    before = read_pins(text)
    folder = Path(tempfile.mkdtemp(prefix="sprintlock-pins-"))
    try:
        copy = folder / PATH
        copy.write_text(text, encoding="utf-8")
        # pre-commit runs from the repository (it looks for git there) and rewrites the file --config names.
        result = runner([tool, "autoupdate", "--freeze", "--config", str(copy)], cwd=root)
        new = copy.read_text(encoding="utf-8")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    after = read_pins(new)
    moves = tuple(
        (repo, pin.tag, after[repo].tag) for repo, pin in before.items() if repo in after and after[repo].rev != pin.rev
    )
    notes: tuple[str, ...] = ()
    if result.returncode != 0:
        output = [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip()]
        fatal = [line for line in output if line.startswith("fatal:")]
        detail = (fatal or output or [f"exit code {result.returncode}"])[0]
        notes = (f"hook pins not all refreshed (offline?): pre-commit autoupdate --freeze: {detail}",)
    return Refreshed(moves, notes, new if new != text else None)


# --- doctor: hook revisions pinned by SHA, and the files hooks name ---

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
            PATH,
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
        check_ref(repo, ref, PATH, entry.line, context)


def _check_rev(repo: Repo, url: str, rev: Node | None, line: int) -> None:
    if rev is None or rev.kind != "scalar":
        repo.add(
            "hook-unpinned",
            PATH,
            f"{url} has no rev: pre-commit cannot install it reproducibly",
            "run `pre-commit autoupdate --freeze` to pin every hook repository to a commit",
            line,
        )
    elif not SHA.match(rev.value):
        repo.add(
            "hook-unpinned",
            PATH,
            f"{url} is pinned to {rev.value!r}, a tag or branch that can be moved to other code",
            "run `pre-commit autoupdate --freeze` (it writes the commit SHA with a `# frozen: vX.Y.Z` comment)",
            rev.line,
        )
    elif not _FROZEN.match(rev.comment):
        repo.add(
            "hook-no-frozen-comment",
            PATH,
            f"{url} is pinned to a commit with no `# frozen: vX.Y.Z` comment: nobody can tell which release it is",
            "run `pre-commit autoupdate --freeze`, or add the release: `rev: <sha>  # frozen: vX.Y.Z`",
            rev.line,
        )


def check_precommit(repo: Repo) -> None:
    text = repo.read(PATH)
    if text is None:
        return
    try:
        root = parse_yaml(text)
    except YamlError as exc:
        repo.add("file-invalid", PATH, str(exc), "fix the YAML (`pre-commit validate-config` shows how)", exc.line)
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


def _render(context: Context) -> str:
    return render_precommit_config()


#: uv's hook (astral-sh/uv-pre-commit) that keeps ``uv.lock`` in step with pyproject.toml.
UV_LOCK_HOOK = "uv-lock"
UV_LOCK_NOTE = (
    "kept the uv-lock hook: uv.lock and sprintlock's locks are both checked when pyproject.toml changes "
    "(after editing a dependency group, run `uv lock` and `sprintlock lock`)"
)


def _adopt(text: str, context: Context) -> Merge | None:
    """The user's config with the sprintlock hook (once), and a note when uv's lock hook stays beside it
    (when the hook is added: a second ``init`` has nothing to say)."""
    merged = adopt_precommit_config(text)
    if merged is None or not merged[1] or not _has_hook(text, UV_LOCK_HOOK):
        return merged
    merged_text, notes = merged
    return merged_text, (*notes, UV_LOCK_NOTE)


FILE = StandardFile(
    path=PATH,
    purpose="the pinned hooks, with the sprintlock check hook",
    render=_render,
    adopt=_adopt,
    check=check_precommit,
)
