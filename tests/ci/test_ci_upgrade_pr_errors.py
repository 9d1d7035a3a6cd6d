"""``sprintlock upgrade-pr`` when git or gh is missing or fails: user errors (exit 2) that show the tool's output.

Real git in ``tmp_path``; ``gh`` is a small fake on ``PATH`` that records its arguments.
On CI (``GITHUB_ACTIONS=true``) the whole output of a failing command is shown, and the
report goes to the job summary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sprintkit import commit_all, fake_program, git, path_with_git

from sprintlock._ci.upgrade_pr import TITLE, TOKEN_VARIABLES, UpgradePRError, upgrade_pr
from sprintlock._cli.main import main
from sprintlock._standard.workflows.render import BRANCH

FAKE_GH = """\
import os
import sys
from pathlib import Path

args = sys.argv[1:]
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(" ".join(args) + "\\n")
command = " ".join((args + ["", ""])[:2])
if command == "--version ":
    print("gh version 2.0.0 (fake)")
elif command == "auth status" and os.environ.get("FAKE_GH_LOGGED_OUT"):
    sys.exit("You are not logged into any GitHub hosts. To log in, run: gh auth login")
elif command == "auth setup-git" and os.environ.get("FAKE_GH_SETUP_FAILS"):
    for i in range(30):
        print(f"setup line {i}", file=sys.stderr)
    sys.exit(4)
elif command == "pr list":
    existing = Path(os.environ["FAKE_GH_EXISTING"])
    if existing.is_file():
        print(existing.read_text().splitlines()[0])
elif command == "pr create":
    print("https://github.com/octo/demo/pull/1")
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose upgrade changed one lock and wrote its report."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above tmp_path counts
    root = tmp_path / "project"
    (root / "requirements").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    (root / "requirements/tests.txt").write_text("alpha==1.0\n")
    commit_all(root, "start")
    (root / "requirements/tests.txt").write_text("alpha==2.0\n")
    write_reports(root, ["requirements/tests.txt"])
    return root


def write_reports(root: Path, files: list[str]) -> None:
    (root / "upgrade-report.md").write_text("## Dependency upgrades\n" if files else "")
    (root / "upgrade-report.json").write_text(json.dumps({"files": files}))


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``PATH`` is this folder alone: git, and whatever a test adds."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", path_with_git(folder))
    return folder


@pytest.fixture
def gh_log(bin_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake gh on PATH (no token in the environment); returns the file where it records each call."""
    for name in TOKEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    fake_program(bin_dir, "gh", FAKE_GH)
    log = tmp_path / "gh.log"
    monkeypatch.setenv("FAKE_GH_LOG", str(log))
    monkeypatch.setenv("FAKE_GH_EXISTING", str(tmp_path / "existing-pr"))
    return log


def with_origin(repo: Path) -> Path:
    remote = repo.parent / "remote.git"
    git(repo.parent, "init", "--quiet", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    return remote


def test_outside_a_git_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(UpgradePRError, match="not a git repository"):
        upgrade_pr(folder)
    assert main(["-C", str(folder), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: not a git repository: {folder.resolve()}\n  hint: run it in a clone")
    assert "internal error" not in err


def test_without_git(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: git is not installed (or not on PATH)\n  hint: install git")
    assert "internal error" not in err


@pytest.mark.usefixtures("bin_dir")
def test_without_gh_nothing_is_committed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = git(repo, "rev-parse", "HEAD")
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: gh (the GitHub CLI) is not installed, or not on PATH\n")
    assert "install the GitHub CLI" in err and "GitHub Actions" in err
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "branch", "--list", BRANCH) == ""


@pytest.mark.usefixtures("bin_dir")
def test_without_gh_and_without_changes_there_is_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "clean"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    commit_all(root, "start")
    write_reports(root, [])
    assert main(["-C", str(root), "upgrade-pr"]) == 0
    assert capsys.readouterr().out == "no changes: no pull request\n"


@pytest.mark.usefixtures("bin_dir")
def test_without_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "clean"
    root.mkdir()
    commit_all(root, "start")
    assert main(["-C", str(root), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no upgrade report at upgrade-report.json\n  hint: run `nox -s upgrade` first")


def test_without_a_token(
    repo: Path, gh_log: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKE_GH_LOGGED_OUT", "1")
    head = git(repo, "rev-parse", "HEAD")
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: gh has no token: GH_TOKEN and GITHUB_TOKEN are not set")
    assert "hint: gh needs a token" in err and "gh auth login" in err
    assert gh_log.read_text().splitlines() == ["--version", "auth status"]
    assert git(repo, "branch", "--list", BRANCH) == "" and git(repo, "rev-parse", "HEAD") == head


def test_a_token_in_the_environment_is_enough(
    repo: Path, gh_log: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKE_GH_LOGGED_OUT", "1")  # `gh auth status` would fail: it is not asked
    monkeypatch.setenv("GH_TOKEN", "token-from-the-workflow")
    monkeypatch.setenv("FAKE_GH_SETUP_FAILS", "1")
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert gh_log.read_text().splitlines() == ["--version", "auth setup-git"]
    assert err.startswith("error: `gh auth setup-git` failed with exit code 4:\n")
    assert "  setup line 29\n" in err and "setup line 9\n" not in err  # the end of the output
    assert "hint: gh needs a token" in err and "GH_TOKEN" in err


def test_on_ci_all_of_a_failing_command_s_output_is_shown_and_the_report_summarised(
    repo: Path, gh_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GH_TOKEN", "token-from-the-workflow")
    monkeypatch.setenv("FAKE_GH_SETUP_FAILS", "1")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert all(f"  setup line {i}\n" in err for i in range(30))  # every line, in the job log
    assert summary.read_text() == "## Dependency upgrades\n"


def test_a_failing_push_shows_git_output(repo: Path, gh_log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(repo), "upgrade-pr"]) == 2  # no remote called origin
    err = capsys.readouterr().err
    push = f"git push --force origin refs/heads/{BRANCH}:refs/heads/{BRANCH}"
    assert err.startswith(f"error: `{push}` failed with exit code 128:\n")
    assert "'origin' does not appear to be a git repository" in err
    assert "internal error" not in err


def test_a_failing_commit_shows_the_command_without_the_message(
    repo: Path, gh_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "config", "user.email", "someone@example.org")
    git(repo, "config", "user.name", "")  # an identity git refuses to commit with
    assert main(["-C", str(repo), "upgrade-pr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: `git commit --quiet --message ...` failed with exit code 128:\n")
    assert "empty ident name" in err
    assert TITLE not in err  # the long argument (the commit message) is elided


def test_the_gh_publisher_opens_then_updates_one_pull_request(
    repo: Path, gh_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = with_origin(repo)
    assert main(["-C", str(repo), "upgrade-pr"]) == 0
    assert capsys.readouterr().out == "opened pull request https://github.com/octo/demo/pull/1\n"
    assert git(remote, "rev-parse", BRANCH) == git(repo, "rev-parse", BRANCH)
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    calls = gh_log.read_text().splitlines()
    assert calls[:4] == [
        "--version",
        "auth status",
        "auth setup-git",
        f"pr list --head {BRANCH} --state open --json number --jq .[].number",
    ]
    assert calls[4].startswith(f"pr create --head {BRANCH} --base main --title {TITLE} --body-file ")

    # The pull request exists now: the next upgrade edits it.
    (tmp_path / "existing-pr").write_text("7\n")
    (repo / "requirements/tests.txt").write_text("alpha==2.1\n")
    assert main(["-C", str(repo), "upgrade-pr"]) == 0
    assert capsys.readouterr().out == f"updated pull request #7 ({BRANCH})\n"
    assert gh_log.read_text().splitlines()[-1].startswith(f"pr edit 7 --title {TITLE} --body-file ")
    assert git(remote, "rev-parse", BRANCH) == git(repo, "rev-parse", BRANCH)
    assert git(repo, "show", f"{BRANCH}:requirements/tests.txt") == "alpha==2.1"
