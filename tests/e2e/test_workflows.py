"""The GitHub workflows ``sprintlock init`` writes: valid, hardened, and driven by the noxfile.

Validated offline with check-jsonschema's built-in GitHub workflow schema and zizmor
(``--offline``: no findings). The test matrix is read from ``nox --list --json`` at run
time; here the real nox lists the generated noxfile and the workflow is checked to use
exactly that listing, not a copy.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sprintkit import BIN, assert_valid_pyproject, assert_valid_workflow, commit_all, git, load_yaml, write_planned

from sprintlock._ci.refresh_pins import refresh_pins
from sprintlock._cli.main import main
from sprintlock._lock.report import ChangeReport, PinChange
from sprintlock._project.targets import Targets
from sprintlock._standard.noxfile import nox_version
from sprintlock._standard.pins import (
    ATTEST_BUILD_PROVENANCE,
    CHECKOUT,
    DOWNLOAD_ARTIFACT,
    PYPI_PUBLISH,
    SETUP_PYTHON,
    UPLOAD_ARTIFACT,
)
from sprintlock._standard.workflows.actions import git_ls_remote, newest_tag, refresh_action_pins

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha>=1.0"]\n'
SHA = re.compile(r"^[0-9a-f]{40}$")
PUBLISH_PINS = (UPLOAD_ARTIFACT, DOWNLOAD_ARTIFACT, ATTEST_BUILD_PROVENANCE, PYPI_PUBLISH)


def make(tmp_path: Path, pyproject: str = PYPROJECT) -> Path:
    root = tmp_path / "project"
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(pyproject)
    write_planned(root)
    return root


def load(path: Path) -> dict[Any, Any]:
    data = load_yaml(path.read_text())
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    return [step for job in jobs.values() for step in job["steps"]]


#: The jobs that may write, and what: everything else reads at most.
WRITES = {
    ("upgrade.yml", "upgrade"): {"contents", "pull-requests"},
    ("publish.yml", "attest"): {"id-token", "attestations"},
    ("publish.yml", "release"): {"contents"},
    ("publish.yml", "pypi"): {"id-token"},
}


def assert_audited(path: Path) -> None:
    """zizmor with every persona (the auditor's is the strictest), offline: no findings."""
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--persona", "auditor", "--no-progress", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["tests.yml", "upgrade.yml", "publish.yml"])
def test_workflows_are_valid_and_hardened(tmp_path: Path, name: str) -> None:
    root = make(tmp_path)
    path = root / ".github" / "workflows" / name
    assert_valid_workflow(path)
    assert_audited(path)
    assert_valid_pyproject(root / "pyproject.toml")
    workflow = load(path)
    assert workflow["permissions"] == {}
    assert "group" in workflow["concurrency"]
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    for job_name, job in jobs.items():
        assert isinstance(job["timeout-minutes"], int), job_name
        permissions = job.get("permissions", {})
        writes = {key for key, value in permissions.items() if value == "write"}
        assert writes == WRITES.get((name, job_name), set()), job_name
        if any(str(step.get("uses", "")).startswith(CHECKOUT.repo) for step in job["steps"]):
            assert permissions.get("contents") in ("read", "write"), job_name  # a private repository
    for step in steps(workflow):
        if "uses" in step:
            action, _, sha = str(step["uses"]).partition("@")
            assert SHA.match(sha), step
            assert re.search(rf"{re.escape(sha)} # v\d+\.\d+\.\d+\n", path.read_text()), step
            if action == CHECKOUT.repo:
                assert step["with"]["persist-credentials"] is False
        elif name != "publish.yml":
            # Every command is a nox run: the logic is in sessions, tested locally.
            assert str(step["run"]).startswith(f"pipx run nox=={nox_version()}"), step


def test_the_publish_workflow(tmp_path: Path) -> None:
    """Build on a tag with the nox session, attest, draft; upload what the maintainer published."""
    root = make(tmp_path)
    workflow = load(root / ".github/workflows/publish.yml")
    on = workflow[True]
    assert on == {"push": {"tags": ["v[0-9]*", "[0-9]*"]}, "release": {"types": ["published"]}}
    jobs = workflow["jobs"]
    assert list(jobs) == ["build", "attest", "release", "fetch", "pypi"]
    assert (
        jobs["build"]["if"] == "github.event_name == 'push'" and jobs["fetch"]["if"] == "github.event_name == 'release'"
    )
    assert [jobs[name].get("needs") for name in jobs] == [None, "build", "attest", None, "fetch"]
    build = [step["run"] for step in jobs["build"]["steps"] if "run" in step]
    assert build == [f'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" pipx run nox=={nox_version()} -s build']
    assert (
        "gh release create" in jobs["release"]["steps"][-1]["run"] and "--draft" in jobs["release"]["steps"][-1]["run"]
    )
    fetch = "\n".join(step["run"] for step in jobs["fetch"]["steps"] if "run" in step)
    assert 'gh attestation verify "$file" --repo "$GH_REPO" --source-ref "refs/tags/$TAG"' in fetch
    assert jobs["pypi"]["environment"] == {"name": "pypi", "url": "https://pypi.org/project/demo/"}
    assert [step["uses"].split("@")[0] for step in jobs["pypi"]["steps"]] == [DOWNLOAD_ARTIFACT.repo, PYPI_PUBLISH.repo]
    assert "password" not in (root / ".github/workflows/publish.yml").read_text()  # trusted publishing only
    noxfile = (root / "noxfile.py").read_text()
    assert 'sprintlock.nox.install(session, "build", project=False)' in noxfile
    assert 'session.run("python", "-m", "build", *session.posargs)' in noxfile


def test_the_test_matrix_comes_from_the_noxfile(tmp_path: Path) -> None:
    root = make(tmp_path)
    text = (root / ".github/workflows/tests.yml").read_text()
    workflow = load(root / ".github/workflows/tests.yml")
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    assert jobs["nox"]["strategy"]["matrix"] == {"include": "${{ fromJSON(needs.sessions.outputs.sessions) }}"}
    assert jobs["nox"]["needs"] == "sessions"
    assert jobs["nox"]["steps"][-1]["env"] == {"NOXSESSION": "${{ matrix.session }}"}
    assert "tests-3." not in text and "typing" not in text  # no hand-kept list of sessions
    # What the first job's command prints for this noxfile: the matrix entries.
    listing = subprocess.run(
        [str(BIN / "nox"), "--list", "--json"], cwd=root, capture_output=True, text=True, check=True
    )
    sessions = json.loads(listing.stdout)
    assert {entry["session"] for entry in sessions} == {
        "check", "lint", "tests-3.11", "tests-3.12", "tests-3.13", "tests-3.14", "tests-3.15"
    }  # fmt: skip
    assert all({"session", "python"} <= set(entry) for entry in sessions)


@pytest.mark.parametrize(
    ("schedule", "cron"), [(None, "23 4 1 * *"), ("weekly", "23 4 * * 1"), ("0 6 * * 3", "0 6 * * 3")]
)
def test_upgrade_schedule(tmp_path: Path, schedule: str | None, cron: str) -> None:
    table = f'\n[tool.sprintlock]\nupgrade-schedule = "{schedule}"\n' if schedule else ""
    root = make(tmp_path, PYPROJECT + table)
    workflow = load(root / ".github/workflows/upgrade.yml")
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert isinstance(on, dict)
    assert on["schedule"] == [{"cron": cron}] and "workflow_dispatch" in on
    text = (root / ".github/workflows/upgrade.yml").read_text()
    for session in ("-s upgrade\n", "-s check\n", "-s tests\n", "-s upgrade-pr\n"):
        assert f"pipx run nox=={nox_version()} {session}" in text
    assert "secrets.SPRINTLOCK_UPGRADE_TOKEN || github.token" in text
    assert "GITHUB_TOKEN" in text and "GitHub App" in text and "personal access token" in text


@pytest.mark.parametrize("schedule", ["daily", "0 6 * *", "* * * * * *"])
def test_a_bad_upgrade_schedule_is_a_user_error(
    tmp_path: Path, schedule: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT + f'\n[tool.sprintlock]\nupgrade-schedule = "{schedule}"\n')
    assert main(["-C", str(root), "check"]) == 2
    err = capsys.readouterr().err
    assert f"pyproject.toml:8: invalid upgrade-schedule '{schedule}'" in err and "weekly" in err


# --- refreshing the action pins ---


def action_repo(base: Path, name: str, tags: list[str]) -> dict[str, str]:
    """A git repository ``base/name`` with one commit per tag; returns tag -> commit."""
    repo = base / name
    repo.mkdir(parents=True)
    commits = {}
    for tag in tags:
        (repo / "action.yml").write_text(f"name: {tag}\n")
        commits[tag] = commit_all(repo, tag)
        git(repo, "tag", "--annotate", "--message", tag, tag)  # annotated: ls-remote peels it
    return commits


def test_action_pins_move_to_the_newest_release(tmp_path: Path) -> None:
    root = make(tmp_path)
    github = tmp_path / "github"
    checkout = action_repo(github, CHECKOUT.repo, ["v5.0.0", "v5.1.0", "v6.0.0", "v7.0.0b1"])
    setup = action_repo(github, SETUP_PYTHON.repo, ["v6.0.0"])
    for pinned in PUBLISH_PINS:  # publish.yml's actions, at their current tag: nothing moves
        action_repo(github, pinned.repo, [pinned.tag])
    before = {p.name: p.read_text() for p in (root / ".github/workflows").iterdir()}
    (root / ".pre-commit-config.yaml").unlink()  # hook pins: see test_precommit_config.py
    pins, notes = refresh_pins(root, ls_remote=git_ls_remote(github.as_posix()))
    assert notes == ()
    assert pins == (
        PinChange("action", "actions/checkout", "v5.0.0", "v6.0.0", ".github/workflows/publish.yml"),
        PinChange("action", "actions/checkout", "v5.0.0", "v6.0.0", ".github/workflows/tests.yml"),
        PinChange("action", "actions/checkout", "v5.0.0", "v6.0.0", ".github/workflows/upgrade.yml"),
    )
    for name, text in before.items():
        after = (root / ".github/workflows" / name).read_text()
        assert after == text.replace(f"{CHECKOUT.sha} # v5.0.0", f"{checkout['v6.0.0']} # v6.0.0")
        assert_valid_workflow(root / ".github/workflows" / name)
    assert setup["v6.0.0"] != SETUP_PYTHON.sha  # a different commit at the same tag is not a move
    again, _ = refresh_pins(root, ls_remote=git_ls_remote(github.as_posix()))
    assert again == ()
    report = ChangeReport("uv", Targets(("3.12",), ("linux",)), (), (), pins=pins)
    assert "| actions/checkout | action | v5.0.0 | v6.0.0 | `.github/workflows/tests.yml` |" in report.markdown()
    assert report.summary() == (
        "3 pin changes in .github/workflows/publish.yml, .github/workflows/tests.yml, .github/workflows/upgrade.yml"
    )


def test_action_pins_offline_is_a_note(tmp_path: Path) -> None:
    root = make(tmp_path)
    before = (root / ".github/workflows/tests.yml").read_text()
    actions = refresh_action_pins(root)  # https://github.com through the test's dead proxy
    assert actions.files == {} and actions.moves == ()
    assert actions.notes == tuple(
        f"action pins not refreshed (offline?): could not list the tags of {repo}"
        for repo in (
            "actions/checkout",
            "actions/setup-python",
            "actions/upload-artifact",
            "actions/download-artifact",
            "actions/attest-build-provenance",
            "pypa/gh-action-pypi-publish",
        )
    )
    assert (root / ".github/workflows/tests.yml").read_text() == before


def test_newest_tag() -> None:
    out = "a" * 40 + "\trefs/tags/v1.0.0\n" + "b" * 40 + "\trefs/tags/v1.2.0\n" + "c" * 40 + "\trefs/tags/v1.2.0^{}\n"
    out += "d" * 40 + "\trefs/tags/v2.0.0-rc1\n" + "e" * 40 + "\trefs/tags/latest\n"
    assert newest_tag(out) == ("v1.2.0", "c" * 40)
    assert newest_tag("") is None
