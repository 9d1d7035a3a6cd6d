"""The ``.pre-commit-config.yaml`` that ``sprintlock init`` writes, merges and refreshes.

Validated with the real ``pre-commit validate-config`` (warnings fail the test). The
refresh of its pins (``nox -s upgrade``) runs the real ``pre-commit autoupdate --freeze``
against hook repositories made with git in ``tmp_path``; against GitHub, offline, it
leaves a note in the report instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sprintkit import BIN, PALLETS_PRE_COMMIT, assert_valid_precommit_config, commit_all, git, load_yaml, write_planned

from sprintlock._ci.refresh_pins import refresh_pins
from sprintlock._lock.report import ChangeReport, PinChange
from sprintlock._project.targets import Targets
from sprintlock._scaffold.init import CONFLICT, UPDATE, plan
from sprintlock._standard.pins import PRE_COMMIT_HOOKS, RUFF_PRE_COMMIT, SPRINTLOCK_HOOK
from sprintlock._standard.precommit import adopt_precommit_config, read_pins, refresh_hook_pins, render_precommit_config
from sprintlock._version import __version__

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
PRE_COMMIT = str(BIN / "pre-commit")
HOOKS_MANIFEST = "- id: demo-hook\n  name: demo hook\n  entry: 'true'\n  language: system\n"
HOOKS_OF_THIS_CHECKOUT = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"


def test_the_generated_config_is_valid_and_pinned(tmp_path: Path) -> None:
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(render_precommit_config())
    assert_valid_precommit_config(path)
    config = load_yaml(path.read_text())
    repos = {repo["repo"]: repo for repo in config["repos"]}
    assert list(repos) == [RUFF_PRE_COMMIT.url, PRE_COMMIT_HOOKS.url, "local"]
    assert [h["id"] for h in repos[RUFF_PRE_COMMIT.url]["hooks"]] == ["ruff-check", "ruff-format"]
    assert [h["id"] for h in repos[PRE_COMMIT_HOOKS.url]["hooks"]] == [
        "trailing-whitespace", "end-of-file-fixer", "check-merge-conflict", "check-toml", "check-yaml"
    ]  # fmt: skip
    for pinned in (RUFF_PRE_COMMIT, PRE_COMMIT_HOOKS):
        assert re.fullmatch(r"[0-9a-f]{40}", repos[pinned.url]["rev"])
        assert f"rev: {pinned.sha}  # frozen: {pinned.tag}\n" in path.read_text()
    # sprintlock's hook: a local hook pinned to this release on the index, doing exactly
    # what the hook sprintlock's own manifest exports does.
    (hook,) = repos["local"]["hooks"]
    assert hook["additional_dependencies"] == [f"sprintlock=={__version__}"]
    (exported,) = load_yaml(HOOKS_OF_THIS_CHECKOUT.read_text())
    assert exported["id"] == hook["id"] == SPRINTLOCK_HOOK
    for key in ("entry", "language", "pass_filenames", "files"):
        assert hook[key] == exported[key], key


@pytest.mark.parametrize("indent", ["", "  "])
def test_an_existing_config_gets_the_sprintlock_hook(tmp_path: Path, indent: str) -> None:
    text = (
        PALLETS_PRE_COMMIT
        if indent
        else re.sub(r"^  ", "", PALLETS_PRE_COMMIT, flags=re.MULTILINE).replace("ci:\nautoupdate", "ci:\n  autoupdate")
    )
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / ".pre-commit-config.yaml").write_text(text)
    _, changes = plan(root)
    change = {c.relative: c for c in changes}[".pre-commit-config.yaml"]
    assert change.action == UPDATE
    assert change.notes == ("appended the sprintlock-check hook",)
    assert change.text.startswith(text)  # nothing of the user's changed
    write_planned(root)
    assert_valid_precommit_config(root / ".pre-commit-config.yaml")
    config = load_yaml((root / ".pre-commit-config.yaml").read_text())
    assert [h["id"] for h in config["repos"][-1]["hooks"]] == [SPRINTLOCK_HOOK] and len(config["repos"]) == 3
    assert adopt_precommit_config(change.text) == (change.text, ())  # once is enough


@pytest.mark.parametrize("text", ["repos: {a: 1}\n", "- a\n", "repos: [\n"])
def test_a_config_that_is_not_one_is_a_conflict(tmp_path: Path, text: str) -> None:
    # ("repos: []" was a conflict too when the hook was appended by regex; ruamel.yaml adopts it now.)
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / ".pre-commit-config.yaml").write_text(text)
    _, changes = plan(root)
    assert {c.relative: c.action for c in changes}[".pre-commit-config.yaml"] == CONFLICT


def hook_repo(path: Path, tags: list[str]) -> dict[str, str]:
    path.mkdir(parents=True)
    (path / ".pre-commit-hooks.yaml").write_text(HOOKS_MANIFEST)
    commits = {}
    for tag in tags:
        (path / "VERSION").write_text(tag)
        commits[tag] = commit_all(path, tag)
        git(path, "tag", tag)
    return commits


def test_hook_pins_are_refreshed_and_reported(tmp_path: Path) -> None:
    commits = hook_repo(tmp_path / "hooks", ["v1.0.0", "v1.1.0"])
    root = tmp_path / "project"
    root.mkdir()
    repo = (tmp_path / "hooks").as_posix()
    config = (
        f"repos:\n  - repo: {repo}\n    rev: {commits['v1.0.0']}  # frozen: v1.0.0\n    hooks:\n      - id: demo-hook\n"
    )
    (root / ".pre-commit-config.yaml").write_text(config)
    git(root, "init", "--quiet")
    pins, notes = refresh_pins(root, pre_commit=PRE_COMMIT)
    assert notes == ()
    assert pins == (PinChange("pre-commit hook", repo, "v1.0.0", "v1.1.0", ".pre-commit-config.yaml"),)
    after = (root / ".pre-commit-config.yaml").read_text()
    assert f"rev: {commits['v1.1.0']}  # frozen: v1.1.0" in after
    assert read_pins(after)[repo].rev == commits["v1.1.0"]
    assert_valid_precommit_config(root / ".pre-commit-config.yaml")
    report = ChangeReport("uv", Targets(("3.12",), ("linux",)), (), (), pins=pins)
    assert f"| {repo} | pre-commit hook | v1.0.0 | v1.1.0 | `.pre-commit-config.yaml` |" in report.markdown()
    assert report.to_dict()["pins"] == [
        {"kind": "pre-commit hook", "name": repo, "old": "v1.0.0", "new": "v1.1.0", "file": ".pre-commit-config.yaml"}
    ]
    # Nothing newer: nothing moves.
    assert refresh_hook_pins(root, pre_commit=PRE_COMMIT).moves == ()


def test_hook_pins_offline_is_a_note(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / ".pre-commit-config.yaml").write_text(render_precommit_config())
    git(root, "init", "--quiet")
    refreshed = refresh_hook_pins(root, pre_commit=PRE_COMMIT)  # GitHub through the test's dead proxy
    assert refreshed.moves == ()
    assert len(refreshed.notes) == 1
    assert refreshed.notes[0].startswith(
        "hook pins not all refreshed (offline?): pre-commit autoupdate --freeze: fatal:"
    )
    assert "github.com" in refreshed.notes[0]
    assert (root / ".pre-commit-config.yaml").read_text() == render_precommit_config()
    report = ChangeReport("uv", Targets(("3.12",), ("linux",)), (), (), notes=refreshed.notes)
    assert report.empty  # a note alone is no change: no pull request
