"""The upgrade pull request (``nox -s upgrade-pr``): everything but the GitHub call, with real git.

The publisher (``git push`` + ``gh``) is the one step that needs GitHub; here a recording
publisher stands in for it, and the rest runs for real in repositories in ``tmp_path``,
next to a contributor's unrelated work, which stays as it was.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from initkit import init_index, init_index_dir, write_demo  # noqa: F401 - init_index and init_index_dir are fixtures
from sprintkit import BIN, commit_all, git

from sprintlock._ci.upgrade_pr import TITLE, Proposal, Settings, UpgradePRError, prepare, report_files, upgrade_pr
from sprintlock._cli.main import main
from sprintlock._standard.workflows.render import BRANCH

REPORT = "## Dependency upgrades\n\n| package | old | new |\n| alpha | 1.0 | 2.0 |\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "requirements/tests.txt").write_text("alpha==1.0\n")
    (root / "notes.txt").write_text("first\n")
    (root / ".gitignore").write_text(".nox/\n")
    commit_all(root, "start")
    return root


class Recorder:
    """Stands in for GitHub: records what would be pushed and proposed."""

    def __init__(self) -> None:
        self.proposals: list[Proposal] = []

    def __call__(self, root: Path, proposal: Proposal) -> str:
        self.proposals.append(proposal)
        return f"opened pull request for {proposal.branch}"


def write_reports(root: Path, files: list[str], body: str = REPORT) -> None:
    (root / "upgrade-report.md").write_text(body)
    (root / "upgrade-report.json").write_text(json.dumps({"changed_locks": [], "pins": [], "files": files}))


def upgrade(root: Path, version: str, new_file: bool = True) -> None:
    """What ``nox -s upgrade`` leaves behind: changed locks, maybe a new one, the reports."""
    (root / "requirements/tests.txt").write_text(f"alpha=={version}\n")
    files = ["requirements/tests.txt"]
    if new_file:
        (root / "requirements/docs.txt").write_text("docbuilder==1.0\n")
        files.append("requirements/docs.txt")
    write_reports(root, files, REPORT.replace("2.0", version))
    (root / ".nox").mkdir(exist_ok=True)
    (root / ".nox" / "ignored").write_text("")  # ignored by .gitignore
    (root / ".pytest_cache").mkdir(exist_ok=True)
    (root / ".pytest_cache" / "README.md").write_text("")  # not ignored, but not the upgrade's


def unrelated_work(root: Path) -> None:
    """A contributor's work in progress: staged, unstaged and untracked changes."""
    (root / "notes.txt").write_text("staged\n")
    git(root, "add", "notes.txt")
    (root / "notes.txt").write_text("staged, then edited again\n")
    (root / "draft.py").write_text("print('mine')\n")
    (root / "requirements/local.in").write_text("mine\n")  # new, where locks live: still not the upgrade's


def checkout_state(root: Path) -> tuple[str, ...]:
    """Everything a contributor would lose: branch, HEAD, index, working tree status and diffs."""
    return (
        git(root, "rev-parse", "--abbrev-ref", "HEAD"),
        git(root, "rev-parse", "HEAD"),
        git(root, "status", "--porcelain=v1", "--untracked-files=all"),
        git(root, "diff", "--cached"),
        git(root, "diff"),
        git(root, "worktree", "list", "--porcelain"),
    )


def test_no_change_opens_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_reports(repo, [], "")  # the report files alone are no change
    publisher = Recorder()
    assert upgrade_pr(repo, publisher=publisher) == (None, "no changes: no pull request")
    assert publisher.proposals == []
    assert git(repo, "branch", "--list", BRANCH) == ""
    assert main(["-C", str(repo), "upgrade-pr"]) == 0  # the real publisher is never reached
    assert capsys.readouterr().out == "no changes: no pull request\n"


def test_files_listed_but_already_committed_are_no_change(repo: Path) -> None:
    write_reports(repo, ["requirements/tests.txt"])  # the file is as HEAD has it
    assert upgrade_pr(repo, publisher=Recorder()) == (None, "no changes: no pull request")


def test_changes_become_one_commit_on_the_fixed_branch_and_the_checkout_is_untouched(repo: Path) -> None:
    upgrade(repo, "2.0")
    unrelated_work(repo)
    before = checkout_state(repo)
    start = git(repo, "rev-parse", "HEAD")
    publisher = Recorder()
    proposal, done = upgrade_pr(repo, publisher=publisher)
    assert done == f"opened pull request for {BRANCH}"
    assert proposal is not None and publisher.proposals == [proposal]
    assert proposal.branch == BRANCH and proposal.base == "main" and proposal.title == TITLE
    assert proposal.body == REPORT  # the body is the change report
    assert proposal.files == ("requirements/docs.txt", "requirements/tests.txt")  # the new file is included
    assert checkout_state(repo) == before  # branch, HEAD, index and working tree as they were
    assert git(repo, "rev-parse", BRANCH) == proposal.commit
    assert git(repo, "rev-parse", f"{BRANCH}^") == start
    assert git(repo, "show", "--name-only", "--format=", BRANCH).split() == list(proposal.files)
    assert git(repo, "show", f"{BRANCH}:requirements/tests.txt") == "alpha==2.0"
    assert git(repo, "show", f"{BRANCH}:notes.txt") == "first"  # the contributor's work is not in it
    assert "alpha | 1.0 | 2.0" in git(repo, "log", "-1", "--format=%B", BRANCH)

    # The next upgrade resets the same branch from the current commit.
    upgrade(repo, "2.1", new_file=False)
    second, _ = upgrade_pr(repo, publisher=publisher)
    assert second is not None and second.branch == BRANCH and second.files == ("requirements/tests.txt",)
    assert git(repo, "rev-list", "--count", f"main..{BRANCH}") == "1"  # replaced, not stacked
    assert git(repo, "branch", "--list", "--format=%(refname:short)") == f"main\n{BRANCH}"


def test_a_file_the_upgrade_deleted_is_deleted_on_the_branch(repo: Path) -> None:
    (repo / "requirements/tests.txt").unlink()
    write_reports(repo, ["requirements/tests.txt"])
    proposal = prepare(repo)
    assert proposal is not None and proposal.files == ("requirements/tests.txt",)
    assert git(repo, "ls-tree", "--name-only", "-r", BRANCH).split() == [".gitignore", "notes.txt"]


HOOK = """\
#!/bin/sh
pwd >> "$HOOK_LOG"
test -z "$HOOK_FAILS" || { echo "hook: refused" >&2; exit 1; }
"""


def test_commit_hooks_run_unless_told_not_to(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(HOOK)
    hook.chmod(0o755)
    log = tmp_path / "hook.log"
    monkeypatch.setenv("HOOK_LOG", str(log))
    upgrade(repo, "2.0")
    before = checkout_state(repo)

    monkeypatch.setenv("HOOK_FAILS", "1")
    with pytest.raises(UpgradePRError, match="hook: refused"):
        upgrade_pr(repo, publisher=Recorder())
    ran_in = Path(log.read_text().strip())
    assert ran_in != repo and not ran_in.exists()  # in the temporary worktree, removed since
    assert git(repo, "branch", "--list", BRANCH) == "" and checkout_state(repo) == before

    log.unlink()
    proposal = prepare(repo, settings=Settings(verify=False))  # --no-verify
    assert proposal is not None and not log.exists()
    assert checkout_state(repo) == before

    monkeypatch.delenv("HOOK_FAILS")
    proposal = prepare(repo)
    assert proposal is not None and log.is_file()


def test_run_from_the_upgrade_branch_is_refused(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "-b", BRANCH)
    upgrade(repo, "2.0")
    with pytest.raises(UpgradePRError, match=f"the checkout is on the upgrade branch {BRANCH}"):
        prepare(repo)


def test_conflict_markers_are_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(repo, "2.0")
    (repo / "requirements/tests.txt").write_text("<<<<<<< ours\nalpha==2.0\n=======\nalpha==1.1\n>>>>>>> theirs\n")
    with pytest.raises(UpgradePRError, match=r"requirements/tests\.txt:1, requirements/tests\.txt:3"):
        prepare(repo)
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    assert "merge conflict markers in requirements/tests.txt:1" in capsys.readouterr().err
    assert git(repo, "branch", "--list", BRANCH) == ""


@pytest.mark.parametrize("missing", ["upgrade-report.md", "upgrade-report.json"])
def test_a_missing_report_is_refused(repo: Path, missing: str, capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(repo, "2.0")
    (repo / missing).unlink()
    with pytest.raises(UpgradePRError, match=rf"no upgrade report at {missing}"):
        prepare(repo)
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: no upgrade report at {missing}\n  hint: run `nox -s upgrade` first")


@pytest.mark.parametrize(
    "data",
    [{"files": ["../outside.txt"]}, {"files": ["/etc/passwd"]}, {"files": "requirements/tests.txt"}, [], "text"],
)
def test_a_report_that_is_not_one_is_refused(repo: Path, data: object) -> None:
    upgrade(repo, "2.0")
    (repo / "upgrade-report.json").write_text(json.dumps(data))
    with pytest.raises(UpgradePRError, match=r"upgrade-report\.json is not an upgrade report"):
        prepare(repo)


def test_a_report_of_an_older_sprintlock_lists_its_locks_and_pin_files(repo: Path) -> None:
    old = {"changed_locks": ["requirements/tests.txt"], "pins": [{"file": ".pre-commit-config.yaml"}]}
    (repo / "upgrade-report.json").write_text(json.dumps(old))
    assert report_files(repo) == (".pre-commit-config.yaml", "requirements/tests.txt")


def test_the_report_goes_to_the_job_summary(repo: Path, tmp_path: Path) -> None:
    upgrade(repo, "2.0")
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    upgrade_pr(repo, publisher=Recorder(), settings=Settings(summary=summary))
    assert summary.read_text() == f"# earlier step\n{REPORT}\nopened pull request for {BRANCH}\n"


@pytest.mark.usefixtures("init_index")
def test_nox_upgrade_then_upgrade_pr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """End to end with the real nox: `nox -s upgrade` refreshes a hook pin (local hook repository),
    notes that the action pins could not be refreshed (offline), and the pull request carries it all."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / ".pre-commit-hooks.yaml").write_text(
        "- id: demo-hook\n  name: demo\n  entry: 'true'\n  language: system\n"
    )
    old = commit_all(hooks, "v1.0.0")
    git(hooks, "tag", "v1.0.0")
    (hooks / "VERSION").write_text("1.1.0\n")
    new = commit_all(hooks, "v1.1.0")
    git(hooks, "tag", "v1.1.0")

    root = write_demo(tmp_path / "project")
    assert main(["-C", str(root), "init"]) == 0, capsys.readouterr()
    (root / ".gitignore").write_text(".nox/\n.venv/\nupgrade-report.*\n")
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_posix()}\n    rev: {old}  # frozen: v1.0.0\n    hooks:\n      - id: demo-hook\n"
    )
    commit_all(root, "init")

    result = subprocess.run([str(BIN / "nox"), "--no-color", "-s", "upgrade"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"rev: {new}  # frozen: v1.1.0" in (root / ".pre-commit-config.yaml").read_text()
    report = (root / "upgrade-report.md").read_text()
    assert f"| {hooks.as_posix()} | pre-commit hook | v1.0.0 | v1.1.0 | `.pre-commit-config.yaml` |" in report
    assert "could not list the tags of actions/checkout" in report  # offline: a note, not a failure
    data = json.loads((root / "upgrade-report.json").read_text())
    assert [pin["new"] for pin in data["pins"]] == ["v1.1.0"]
    assert ".pre-commit-config.yaml" in data["files"]  # what the upgrade wrote: what upgrade-pr commits

    publisher = Recorder()
    proposal, _ = upgrade_pr(root, publisher=publisher)
    assert proposal is not None and proposal.body == report
    assert proposal.files == (".pre-commit-config.yaml",)
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD") == "main"
