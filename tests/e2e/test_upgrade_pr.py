"""The upgrade pull request (``nox -s upgrade-pr``): everything but the GitHub call, with real git.

The publisher (``git push`` + ``gh``) is the one step that needs GitHub; here a recording
publisher stands in for it, and the rest runs for real in repositories in ``tmp_path``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from initkit import init_index, init_index_dir, write_demo  # noqa: F401 - init_index and init_index_dir are fixtures
from sprintkit import BIN, commit_all, git

from sprintlock._ci.upgrade_pr import TITLE, Proposal, UpgradePRError, prepare, upgrade_pr
from sprintlock._cli.main import main
from sprintlock._standard.workflows.render import BRANCH

REPORT = "## Dependency upgrades\n\n| package | old | new |\n| alpha | 1.0 | 2.0 |\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "requirements/tests.txt").write_text("alpha==1.0\n")
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


def upgrade(root: Path, version: str, new_file: bool = True) -> None:
    """What ``nox -s upgrade`` leaves behind: changed locks, maybe a new one, the reports."""
    (root / "requirements/tests.txt").write_text(f"alpha=={version}\n")
    if new_file:
        (root / "requirements/docs.txt").write_text("docbuilder==1.0\n")
    (root / "upgrade-report.md").write_text(REPORT.replace("2.0", version))
    (root / "upgrade-report.json").write_text("{}\n")
    (root / ".nox").mkdir(exist_ok=True)
    (root / ".nox" / "ignored").write_text("")  # ignored by .gitignore
    (root / ".pytest_cache").mkdir(exist_ok=True)
    (root / ".pytest_cache" / "README.md").write_text("")  # not ignored, but not the upgrade's


def test_no_change_opens_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "upgrade-report.md").write_text("")  # the report files alone are no change
    publisher = Recorder()
    assert upgrade_pr(repo, publisher=publisher) == (None, "no changes: no pull request")
    assert publisher.proposals == []
    assert git(repo, "branch", "--list", BRANCH) == ""
    assert main(["-C", str(repo), "upgrade-pr"]) == 0  # the real publisher is never reached
    assert capsys.readouterr().out == "no changes: no pull request\n"


def test_changes_become_one_commit_on_the_fixed_branch(repo: Path) -> None:
    upgrade(repo, "2.0")
    publisher = Recorder()
    proposal, done = upgrade_pr(repo, publisher=publisher)
    assert done == f"opened pull request for {BRANCH}"
    assert proposal is not None and publisher.proposals == [proposal]
    assert proposal.branch == BRANCH and proposal.base == "main" and proposal.title == TITLE
    assert proposal.body == REPORT  # the body is the change report
    assert proposal.files == ("requirements/docs.txt", "requirements/tests.txt")  # the new file is included
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == BRANCH
    assert git(repo, "rev-parse", "HEAD") == proposal.commit
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == list(proposal.files)
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    assert "alpha | 1.0 | 2.0" in git(repo, "log", "-1", "--format=%B")

    # The next run (from main again, as the workflow checks it out) resets the same branch.
    git(repo, "checkout", "--quiet", "--force", "main")
    git(repo, "clean", "--quiet", "-fdx")
    upgrade(repo, "2.1", new_file=False)
    second, _ = upgrade_pr(repo, publisher=publisher)
    assert second is not None and second.branch == BRANCH and second.files == ("requirements/tests.txt",)
    assert git(repo, "rev-list", "--count", f"main..{BRANCH}") == "1"  # replaced, not stacked
    assert git(repo, "branch", "--list", "--format=%(refname:short)") == f"main\n{BRANCH}"


def test_a_dirty_index_is_refused(repo: Path) -> None:
    upgrade(repo, "2.0")
    (repo / "notes.txt").write_text("mine\n")
    git(repo, "add", "notes.txt")
    before = git(repo, "status", "--porcelain")
    with pytest.raises(UpgradePRError, match=r"the git index already has staged changes: notes\.txt"):
        prepare(repo)
    assert git(repo, "status", "--porcelain") == before
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_conflict_markers_are_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(repo, "2.0")
    (repo / "requirements/tests.txt").write_text("<<<<<<< ours\nalpha==2.0\n=======\nalpha==1.1\n>>>>>>> theirs\n")
    with pytest.raises(UpgradePRError, match=r"requirements/tests\.txt:1, requirements/tests\.txt:3"):
        prepare(repo)
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    assert "merge conflict markers in requirements/tests.txt:1" in capsys.readouterr().err
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_a_missing_report_is_refused(repo: Path) -> None:
    (repo / "requirements/tests.txt").write_text("alpha==2.0\n")
    with pytest.raises(UpgradePRError, match=r"no change report at upgrade-report\.md"):
        prepare(repo)


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

    publisher = Recorder()
    proposal, _ = upgrade_pr(root, publisher=publisher)
    assert proposal is not None and proposal.body == report
    assert proposal.files == (".pre-commit-config.yaml",)
