"""``sprintlock upgrade-pr``: turn what ``nox -s upgrade`` wrote into ONE pull request, safely anywhere.

Run after ``nox -s upgrade`` (and the checks) in the upgrade workflow, as ``nox -s upgrade-pr``,
or by hand. It never touches the user's checkout: not the branch, not the index, not the
working tree.

1. read the upgrade's reports: the JSON one says which files the upgrade wrote (``files``:
   the changed locks and the refreshed pin files), the Markdown one is the pull request's
   body; without them nothing is proposed (exit 2);
2. keep the files that differ from ``HEAD``; none: no pull request;
3. refuse files with merge conflict markers, a detached ``HEAD`` and running from the
   upgrade branch itself;
4. check that the publisher can run (with the default one: ``gh`` is installed and has a
   token: ``GH_TOKEN``/``GITHUB_TOKEN``, or ``gh auth status``);
5. commit exactly those files in a temporary worktree at ``HEAD`` (the commit hooks run
   there, unless ``verify`` is off: ``--no-verify``), and point the one fixed branch
   (``sprintlock/upgrade``) at that commit, so the pull request is updated in place,
   never stacked; the temporary worktree is removed;
6. hand the proposal (branch, base, title, body = the change report) to a publisher.

Only step 6 talks to GitHub; it is injectable (:class:`Publisher`), and the default one is
a thin wrapper over ``git push`` and the ``gh`` command line (present on GitHub's runners).
A failing git or gh command is an :class:`UpgradePRError` (exit 2) showing its output: the
end of it, or all of it on CI (``Settings.full_output``), where the job log is all that is
left. On CI the report also goes to the job's summary (``Settings.summary``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from sprintlock._core.errors import CommandFailed, ProgramNotFound
from sprintlock._core.errors import UpgradePRError as UpgradePRError  # re-exported: its home before errors.py
from sprintlock._core.process import Result, Runner, run, run_checked, tail
from sprintlock._standard.workflows.render import BRANCH

TITLE = "Upgrade the pinned dependencies, hooks and actions"
REPORT = "upgrade-report.md"
JSON_REPORT = "upgrade-report.json"
#: Written by ``nox -s upgrade`` next to the changes: never part of the commit.
REPORT_FILES = (REPORT, JSON_REPORT)
_MARKER = re.compile(r"^(<{7} |>{7} |={7}$)")
#: Used only when git has no identity configured (as on a CI runner).
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
#: The variables gh reads a token from.
TOKEN_VARIABLES = ("GH_TOKEN", "GITHUB_TOKEN")
_UPGRADE_FIRST = "run `nox -s upgrade` first: it writes upgrade-report.md and upgrade-report.json"
#: What to do when gh fails (it talks to GitHub with a token).
_GH_AUTH = (
    "gh needs a token that may push branches and open pull requests: GH_TOKEN on GitHub Actions "
    "(see the upgrade workflow), or `gh auth login` on your machine"
)
_NO_GH = (
    "install the GitHub CLI (https://cli.github.com) and log in (`gh auth login`), "
    "or run `sprintlock upgrade-pr` on GitHub Actions, where gh is installed"
)


@dataclass(frozen=True)
class Settings:
    """How ``upgrade-pr`` runs, beyond where the report is and which branch it uses."""

    #: The JSON report: which files the upgrade wrote.
    json_report: str = JSON_REPORT
    #: Run the commit hooks (``--no-verify`` turns this off).
    verify: bool = True
    #: Show the whole output of a failing command, not its end (on CI: the log is all there is).
    full_output: bool = False
    #: A file the report is appended to (``$GITHUB_STEP_SUMMARY``).
    summary: Path | None = None


@dataclass(frozen=True)
class Proposal:
    branch: str
    base: str
    title: str
    body: str
    #: Files committed on the branch (relative, sorted).
    files: tuple[str, ...]
    commit: str


class Publisher(Protocol):
    """Pushes the branch and opens (or updates) the pull request; returns what it did."""

    def __call__(self, root: Path, proposal: Proposal) -> str: ...


def _show(cmd: list[str]) -> str:
    """The command as a user would type it, long arguments (the commit message) elided."""
    return " ".join(arg if len(arg) <= 60 and "\n" not in arg else "..." for arg in cmd)


@dataclass(frozen=True)
class _Tools:
    """Runs git and gh; a failure is an :class:`UpgradePRError` showing the command's output."""

    runner: Runner
    full_output: bool = False

    def failure(self, cmd: list[str], returncode: int, output: str, hint: str | None = None) -> UpgradePRError:
        lines = output.strip().splitlines() if self.full_output else []
        shown = "\n".join(f"  {line}" for line in lines) if lines else tail(output)
        return UpgradePRError(
            f"`{_show(cmd)}` failed with exit code {returncode}:\n{shown or '  (no output)'}", hint=hint
        )

    def checked(self, cmd: list[str], cwd: Path, hint: str | None = None) -> Result:
        """Run a command; a failure is an :class:`UpgradePRError` (a missing program stays itself)."""
        try:
            return run_checked(cmd, cwd=cwd, runner=self.runner)
        except ProgramNotFound:
            raise
        except CommandFailed as exc:
            raise self.failure(cmd, exc.returncode, exc.output, hint) from None

    def git(self, cwd: Path, *args: str) -> Result:
        return self.checked(["git", *args], cwd)


def _require_repository(root: Path, tools: _Tools) -> None:
    cmd = ["git", "rev-parse", "--is-inside-work-tree"]
    result = tools.runner(cmd, cwd=root)
    if result.returncode == 0 and result.stdout.strip() == "true":
        return
    if result.returncode == 0 or "not a git repository" in result.stderr:
        raise UpgradePRError(
            f"not a git repository: {root}",
            hint="run it in a clone of the project's repository (or point -C at one), after `nox -s upgrade`",
        )
    raise tools.failure(cmd, result.returncode, result.stdout + result.stderr)  # e.g. a repository git refuses


def _require_gh(root: Path, tools: _Tools) -> None:
    """gh is installed, and has a token (from the environment, or a login)."""
    try:
        tools.runner(["gh", "--version"], cwd=root)
    except ProgramNotFound:
        raise UpgradePRError("gh (the GitHub CLI) is not installed, or not on PATH", hint=_NO_GH) from None
    if any(os.environ.get(name) for name in TOKEN_VARIABLES):
        return
    status = tools.runner(["gh", "auth", "status"], cwd=root)
    if status.returncode != 0:
        raise UpgradePRError(
            "gh has no token: GH_TOKEN and GITHUB_TOKEN are not set and `gh auth status` says it is not logged in",
            hint=_GH_AUTH,
        )


def _report_file(root: Path, relative: str) -> str:
    path = root / relative
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UpgradePRError(f"no upgrade report at {relative}", hint=_UPGRADE_FIRST) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UpgradePRError(f"cannot read the upgrade report {relative}: {exc}", hint=_UPGRADE_FIRST) from None


def _safe(path: object) -> bool:
    """A relative path inside the repository, as the report writes it."""
    if not isinstance(path, str) or not path or "\\" in path:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and ":" not in pure.parts[0]


def _written(data: object) -> list[object]:
    """The files of a report: ``files``, or (a report of an older sprintlock) the locks and pin files."""
    if not isinstance(data, dict):
        return [None]
    if "files" in data:
        files = data["files"]
        return list(files) if isinstance(files, list) else [None]
    locks, pins = data.get("changed_locks", []), data.get("pins", [])
    if not isinstance(locks, list) or not isinstance(pins, list):
        return [None]
    return [*locks, *(pin.get("file") if isinstance(pin, dict) else None for pin in pins)]


def report_files(root: Path, relative: str = JSON_REPORT) -> tuple[str, ...]:
    """The files the upgrade wrote, from its JSON report (sorted, without the reports)."""
    text = _report_file(root, relative)
    try:
        files = _written(json.loads(text))
    except ValueError:
        files = [None]
    if not all(_safe(path) for path in files):
        raise UpgradePRError(
            f"{relative} is not an upgrade report: `files` must list relative paths inside the repository",
            hint=_UPGRADE_FIRST,
        )
    return tuple(sorted({str(path) for path in files} - set(REPORT_FILES)))


def _changed(root: Path, files: tuple[str, ...], tools: _Tools) -> tuple[str, ...]:
    """Those of ``files`` that differ from ``HEAD`` (modified, new or deleted)."""
    if not files:
        return ()
    out = tools.git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *files).stdout
    changed: set[str] = set()
    entries = iter(out.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        changed.add(entry[3:])
        if "R" in entry[:2] or "C" in entry[:2]:
            changed.add(next(entries, ""))  # the rename's source path
    return tuple(path for path in files if path in changed)


def _conflicts(root: Path, files: tuple[str, ...]) -> list[str]:
    found = []
    for relative in files:
        path = root / relative
        if not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        found += [f"{relative}:{number}" for number, line in enumerate(lines, 1) if _MARKER.match(line)]
    return found


@dataclass(frozen=True)
class _Plan:
    """What the upgrade changed, read without touching the repository."""

    files: tuple[str, ...]
    body: str
    base: str


def _base(root: Path, branch: str, tools: _Tools) -> str:
    base = tools.git(root, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    if base == "HEAD":
        raise UpgradePRError("not on a branch (detached HEAD)", hint="check out the branch to propose the upgrade to")
    if base == branch:
        raise UpgradePRError(
            f"the checkout is on the upgrade branch {branch}",
            hint="check out the branch to propose the upgrade to (e.g. main), then run the upgrade again",
        )
    return base


def _plan(root: Path, report: str, branch: str, settings: Settings, tools: _Tools) -> _Plan | None:
    """Steps 1 to 3: the files to commit and the pull request's body; None when nothing changed."""
    _require_repository(root, tools)
    files = report_files(root, settings.json_report)
    body = _report_file(root, report)
    if settings.summary is not None:
        with settings.summary.open("a", encoding="utf-8") as summary:
            summary.write(body if body.strip() else "No upgrade: every pin is already the newest allowed.\n")
    files = _changed(root, files, tools)
    if not files:
        return None
    conflicts = _conflicts(root, files)
    if conflicts:
        raise UpgradePRError(
            f"merge conflict markers in {', '.join(conflicts)}",
            hint="resolve them; no pull request is opened with conflict markers",
        )
    return _Plan(files, body, _base(root, branch, tools))


@contextmanager
def _worktree(root: Path, tools: _Tools) -> Iterator[Path]:
    """A temporary worktree at ``HEAD`` (detached), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="sprintlock-upgrade-"))
    tree = folder / "tree"
    tools.git(root, "worktree", "add", "--quiet", "--detach", str(tree), "HEAD")
    try:
        yield tree
    finally:
        tools.runner(["git", "worktree", "remove", "--force", str(tree)], cwd=root)
        shutil.rmtree(folder, ignore_errors=True)
        tools.runner(["git", "worktree", "prune"], cwd=root)


def _copy(root: Path, tree: Path, files: tuple[str, ...]) -> None:
    """The upgrade's version of each file into the worktree (a file it deleted is deleted)."""
    for relative in files:
        source, target = root / relative, tree / relative
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.is_file():
            target.unlink()


def _commit(root: Path, plan: _Plan, branch: str, settings: Settings, tools: _Tools) -> Proposal:
    """Step 5: commit the files in a temporary worktree, then point ``branch`` at the commit."""
    identity: list[str] = []
    if tools.runner(["git", "config", "user.email"], cwd=root).returncode != 0:
        identity = ["-c", f"user.name={BOT[0]}", "-c", f"user.email={BOT[1]}"]
    verify = [] if settings.verify else ["--no-verify"]
    with _worktree(root, tools) as tree:
        _copy(root, tree, plan.files)
        tools.git(tree, "add", "--all", "--", *plan.files)
        tools.git(tree, *identity, "commit", "--quiet", *verify, "--message", f"{TITLE}\n\n{plan.body}")
        commit = tools.git(tree, "rev-parse", "HEAD").stdout.strip()
    tools.git(root, "update-ref", "-m", "sprintlock upgrade-pr", f"refs/heads/{branch}", commit)
    return Proposal(branch, plan.base, TITLE, plan.body, plan.files, commit)


def prepare(
    root: Path,
    *,
    report: str = REPORT,
    branch: str = BRANCH,
    runner: Runner = run,
    settings: Settings | None = None,
) -> Proposal | None:
    """Commit the upgrade's files on ``branch`` (the checkout is untouched); None when nothing changed."""
    root = root.resolve()
    settings = settings or Settings()
    tools = _Tools(runner, settings.full_output)
    plan = _plan(root, report, branch, settings, tools)
    return None if plan is None else _commit(root, plan, branch, settings, tools)


def gh_publisher(runner: Runner = run, *, full_output: bool = False) -> Publisher:
    """Push with git (credentials from ``gh``, i.e. ``GH_TOKEN``) and open or edit the PR with ``gh``."""
    tools = _Tools(runner, full_output)

    def publish(root: Path, proposal: Proposal) -> str:
        tools.checked(["gh", "auth", "setup-git"], root, _GH_AUTH)
        push = ["git", "push", "--force", "origin", f"refs/heads/{proposal.branch}:refs/heads/{proposal.branch}"]
        tools.checked(push, root, _GH_AUTH)
        listing = ["gh", "pr", "list", "--head", proposal.branch, "--state", "open"]
        existing = tools.checked([*listing, "--json", "number", "--jq", ".[].number"], root, _GH_AUTH).stdout.split()
        with tempfile.TemporaryDirectory(prefix="sprintlock-pr-") as folder:
            body = Path(folder) / "body.md"
            body.write_text(proposal.body, encoding="utf-8")
            if existing:
                edit = ["gh", "pr", "edit", existing[0], "--title", proposal.title, "--body-file", str(body)]
                tools.checked(edit, root, _GH_AUTH)
                return f"updated pull request #{existing[0]} ({proposal.branch})"
            create = ["gh", "pr", "create", "--head", proposal.branch, "--base", proposal.base]
            out = tools.checked([*create, "--title", proposal.title, "--body-file", str(body)], root, _GH_AUTH).stdout
            return f"opened pull request {out.strip()}"

    return publish


def upgrade_pr(
    root: Path,
    *,
    report: str = REPORT,
    branch: str = BRANCH,
    publisher: Publisher | None = None,
    runner: Runner = run,
    settings: Settings | None = None,
) -> tuple[Proposal | None, str]:
    """Prepare and publish the upgrade pull request; returns the proposal and what was done.

    Nothing is committed unless there are changes and the publisher can run (with the
    default one: gh is installed and has a token).
    """
    root = root.resolve()
    settings = settings or Settings()
    tools = _Tools(runner, settings.full_output)
    plan = _plan(root, report, branch, settings, tools)
    proposal: Proposal | None = None
    if plan is None:
        done = "no changes: no pull request"
    else:
        if publisher is None:
            _require_gh(root, tools)
            publisher = gh_publisher(runner, full_output=settings.full_output)
        proposal = _commit(root, plan, branch, settings, tools)
        done = publisher(root, proposal)
    if settings.summary is not None:
        with settings.summary.open("a", encoding="utf-8") as summary:
            summary.write(f"\n{done}\n")
    return proposal, done
