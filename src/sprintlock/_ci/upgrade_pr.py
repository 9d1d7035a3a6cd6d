"""``sprintlock upgrade-pr``: turn what ``nox -s upgrade`` changed into ONE pull request.

Run after ``nox -s upgrade`` (and the checks) in the upgrade workflow, as ``nox -s upgrade-pr``:

1. refuse a dirty git index (staged changes that the upgrade did not make);
2. collect every changed file, and the new files in the requirements folder and the
   workflows (new locks), never the report or what the sessions leave around (.nox/,
   caches); none: no pull request;
3. refuse files with merge conflict markers;
4. commit them on one fixed branch (``sprintlock/upgrade``), reset from the current commit
   so the pull request is updated in place, never stacked;
5. hand the proposal (branch, base, title, body = the change report) to a publisher.

Only step 5 talks to GitHub; it is injectable (:class:`Publisher`), and the default one
is a thin wrapper over ``git push`` and the ``gh`` command line (present on GitHub's runners).
Steps 1 to 3 only read; with the default publisher, ``gh`` must be installed before step 4.
A failing git or gh command is an :class:`UpgradePRError` (exit 2) showing its output.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sprintlock._core.errors import CommandFailed, ProgramNotFound
from sprintlock._core.errors import UpgradePRError as UpgradePRError  # re-exported: its home before errors.py
from sprintlock._core.process import Result, Runner, run, run_checked, tail
from sprintlock._project.config import load_project
from sprintlock._standard.workflows.render import BRANCH

TITLE = "Upgrade the pinned dependencies, hooks and actions"
REPORT = "upgrade-report.md"
#: Written by ``nox -s upgrade`` next to the changes: the body, never part of the commit.
REPORT_FILES = ("upgrade-report.md", "upgrade-report.json")
_MARKER = re.compile(r"^(<{7} |>{7} |={7}$)")
#: Used only when git has no identity configured (as on a CI runner).
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
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


def _failure(cmd: list[str], returncode: int, output: str, hint: str | None = None) -> UpgradePRError:
    """A git or gh command failed: the command, its exit code and the end of its output."""
    shown = tail(output) or "  (no output)"
    return UpgradePRError(f"`{_show(cmd)}` failed with exit code {returncode}:\n{shown}", hint=hint)


def _checked(cmd: list[str], root: Path, runner: Runner, hint: str | None = None) -> Result:
    """Run a git or gh command; a failure is an :class:`UpgradePRError` (a missing program stays itself)."""
    try:
        return run_checked(cmd, cwd=root, runner=runner)
    except ProgramNotFound:
        raise
    except CommandFailed as exc:
        raise _failure(cmd, exc.returncode, exc.output, hint) from None


def _git(root: Path, runner: Runner, *args: str) -> Result:
    return _checked(["git", *args], root, runner)


def _require_repository(root: Path, runner: Runner) -> None:
    cmd = ["git", "rev-parse", "--is-inside-work-tree"]
    result = runner(cmd, cwd=root)
    if result.returncode == 0 and result.stdout.strip() == "true":
        return
    if result.returncode == 0 or "not a git repository" in result.stderr:
        raise UpgradePRError(
            f"not a git repository: {root}",
            hint="run it in a clone of the project's repository (or point -C at one), after `nox -s upgrade`",
        )
    raise _failure(cmd, result.returncode, result.stdout + result.stderr)  # e.g. a repository git refuses to use


def _require_gh(root: Path, runner: Runner) -> None:
    try:
        runner(["gh", "--version"], cwd=root)
    except ProgramNotFound:
        raise UpgradePRError("gh (the GitHub CLI) is not installed, or not on PATH", hint=_NO_GH) from None


def _changed_files(root: Path, runner: Runner) -> list[str]:
    """Changed tracked files, and new files where the upgrade writes (new locks; not .nox/ and the like)."""
    new_file_folders = (f"{load_project(root).config.requirements}/", ".github/workflows/")
    out = _git(root, runner, "status", "--porcelain=v1", "-z", "--untracked-files=all").stdout
    entries = out.split("\0")
    files = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            index += 1  # the rename's source path follows
        if status == "??" and not path.startswith(new_file_folders):
            continue
        files.append(path)
    return sorted(path for path in files if path not in REPORT_FILES)


def _conflicts(root: Path, files: list[str]) -> list[str]:
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


def _plan(root: Path, report: str, runner: Runner) -> _Plan | None:
    """Steps 1 to 3: the files to commit and the pull request's body; None when nothing changed."""
    _require_repository(root, runner)
    staged = _git(root, runner, "diff", "--cached", "--name-only").stdout.split()
    if staged:
        raise UpgradePRError(
            f"the git index already has staged changes: {', '.join(staged)}",
            hint="commit or unstage them first: the pull request holds only what the upgrade changed",
        )
    files = _changed_files(root, runner)
    if not files:
        return None
    conflicts = _conflicts(root, files)
    if conflicts:
        raise UpgradePRError(
            f"merge conflict markers in {', '.join(conflicts)}",
            hint="resolve them; no pull request is opened with conflict markers",
        )
    report_path = root / report
    if not report_path.is_file():
        raise UpgradePRError(f"no change report at {report}", hint="run `nox -s upgrade` first: it writes the report")
    base = _git(root, runner, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    if base == "HEAD":
        raise UpgradePRError("not on a branch (detached HEAD)", hint="check out the branch to propose the upgrade to")
    return _Plan(tuple(files), report_path.read_text(encoding="utf-8"), base)


def _commit(root: Path, plan: _Plan, branch: str, runner: Runner) -> Proposal:
    """Step 4: commit the files on ``branch``, reset from the current commit."""
    _git(root, runner, "checkout", "--quiet", "-B", branch)
    _git(root, runner, "add", "--all", "--", *plan.files)
    identity: list[str] = []
    if runner(["git", "config", "user.email"], cwd=root).returncode != 0:
        identity = ["-c", f"user.name={BOT[0]}", "-c", f"user.email={BOT[1]}"]
    _git(root, runner, *identity, "commit", "--quiet", "--no-verify", "--message", f"{TITLE}\n\n{plan.body}")
    commit = _git(root, runner, "rev-parse", "HEAD").stdout.strip()
    return Proposal(branch, plan.base, TITLE, plan.body, plan.files, commit)


def prepare(root: Path, *, report: str = REPORT, branch: str = BRANCH, runner: Runner = run) -> Proposal | None:
    """Commit the upgrade's changes on ``branch``; None when nothing changed."""
    root = root.resolve()
    plan = _plan(root, report, runner)
    return None if plan is None else _commit(root, plan, branch, runner)


def gh_publisher(runner: Runner = run) -> Publisher:
    """Push with git (credentials from ``gh``, i.e. ``GH_TOKEN``) and open or edit the PR with ``gh``."""

    def publish(root: Path, proposal: Proposal) -> str:
        _checked(["gh", "auth", "setup-git"], root, runner, _GH_AUTH)
        _checked(["git", "push", "--force", "origin", f"HEAD:refs/heads/{proposal.branch}"], root, runner, _GH_AUTH)
        listing = ["gh", "pr", "list", "--head", proposal.branch, "--state", "open"]
        existing = _checked([*listing, "--json", "number", "--jq", ".[].number"], root, runner, _GH_AUTH).stdout.split()
        with tempfile.TemporaryDirectory(prefix="sprintlock-pr-") as folder:
            body = Path(folder) / "body.md"
            body.write_text(proposal.body, encoding="utf-8")
            if existing:
                edit = ["gh", "pr", "edit", existing[0], "--title", proposal.title, "--body-file", str(body)]
                _checked(edit, root, runner, _GH_AUTH)
                return f"updated pull request #{existing[0]} ({proposal.branch})"
            create = ["gh", "pr", "create", "--head", proposal.branch, "--base", proposal.base]
            out = _checked(
                [*create, "--title", proposal.title, "--body-file", str(body)], root, runner, _GH_AUTH
            ).stdout
            return f"opened pull request {out.strip()}"

    return publish


def upgrade_pr(
    root: Path,
    *,
    report: str = REPORT,
    branch: str = BRANCH,
    publisher: Publisher | None = None,
    runner: Runner = run,
) -> tuple[Proposal | None, str]:
    """Prepare and publish the upgrade pull request; returns the proposal and what was done.

    Nothing is committed unless there are changes and the publisher can run (with the
    default one: gh is installed).
    """
    root = root.resolve()
    plan = _plan(root, report, runner)
    if plan is None:
        return None, "no changes: no pull request"
    if publisher is None:
        _require_gh(root, runner)
        publisher = gh_publisher(runner)
    proposal = _commit(root, plan, branch, runner)
    return proposal, publisher(root, proposal)
