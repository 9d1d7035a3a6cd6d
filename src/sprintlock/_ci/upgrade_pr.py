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
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sprintlock._core.errors import SprintlockError
from sprintlock._core.process import Result, Runner, run, run_checked
from sprintlock._project.config import load_project
from sprintlock._standard.workflows.render import BRANCH

TITLE = "Upgrade the pinned dependencies, hooks and actions"
REPORT = "upgrade-report.md"
#: Written by ``nox -s upgrade`` next to the changes: the body, never part of the commit.
REPORT_FILES = ("upgrade-report.md", "upgrade-report.json")
_MARKER = re.compile(r"^(<{7} |>{7} |={7}$)")
#: Used only when git has no identity configured (as on a CI runner).
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


class UpgradePRError(SprintlockError):
    """The working tree is not in a state to propose (staged changes, conflict markers, no report)."""


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


def _git(root: Path, runner: Runner, *args: str) -> Result:
    return run_checked(["git", *args], cwd=root, runner=runner)


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


def prepare(root: Path, *, report: str = REPORT, branch: str = BRANCH, runner: Runner = run) -> Proposal | None:
    """Commit the upgrade's changes on ``branch``; None when nothing changed."""
    root = root.resolve()
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
    body = report_path.read_text(encoding="utf-8")
    base = _git(root, runner, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    if base == "HEAD":
        raise UpgradePRError("not on a branch (detached HEAD)", hint="check out the branch to propose the upgrade to")
    _git(root, runner, "checkout", "--quiet", "-B", branch)
    _git(root, runner, "add", "--all", "--", *files)
    identity: list[str] = []
    if runner(["git", "config", "user.email"], cwd=root).returncode != 0:
        identity = ["-c", f"user.name={BOT[0]}", "-c", f"user.email={BOT[1]}"]
    _git(root, runner, *identity, "commit", "--quiet", "--no-verify", "--message", f"{TITLE}\n\n{body}")
    commit = _git(root, runner, "rev-parse", "HEAD").stdout.strip()
    return Proposal(branch, base, TITLE, body, tuple(files), commit)


def gh_publisher(runner: Runner = run) -> Publisher:
    """Push with git (credentials from ``gh``, i.e. ``GH_TOKEN``) and open or edit the PR with ``gh``."""

    def publish(root: Path, proposal: Proposal) -> str:
        run_checked(["gh", "auth", "setup-git"], cwd=root, runner=runner)
        run_checked(["git", "push", "--force", "origin", f"HEAD:refs/heads/{proposal.branch}"], cwd=root, runner=runner)
        listing = ["gh", "pr", "list", "--head", proposal.branch, "--state", "open"]
        existing = run_checked(
            [*listing, "--json", "number", "--jq", ".[].number"], cwd=root, runner=runner
        ).stdout.split()
        with tempfile.TemporaryDirectory(prefix="sprintlock-pr-") as folder:
            body = Path(folder) / "body.md"
            body.write_text(proposal.body, encoding="utf-8")
            if existing:
                edit = ["gh", "pr", "edit", existing[0], "--title", proposal.title, "--body-file", str(body)]
                run_checked(edit, cwd=root, runner=runner)
                return f"updated pull request #{existing[0]} ({proposal.branch})"
            create = ["gh", "pr", "create", "--head", proposal.branch, "--base", proposal.base]
            out = run_checked(
                [*create, "--title", proposal.title, "--body-file", str(body)], cwd=root, runner=runner
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
    """Prepare and publish the upgrade pull request; returns the proposal and what was done."""
    proposal = prepare(root, report=report, branch=branch, runner=runner)
    if proposal is None:
        return None, "no changes: no pull request"
    return proposal, (publisher or gh_publisher(runner))(root.resolve(), proposal)
