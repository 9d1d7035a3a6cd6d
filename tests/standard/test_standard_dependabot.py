"""``.github/dependabot.yml``: init writes Dependabot for the actions only, valid by Dependabot's schema.

The schema is check-jsonschema's vendored copy (``vendor.dependabot``), offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from sprintkit import load_yaml, tool, write_planned

from sprintlock._doctor import check_repository
from sprintlock._scaffold.init import plan

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\nrequires-python = ">=3.11"\n'
PIP_ENTRY = (
    'version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: "/"\n    schedule:\n      interval: daily\n'
)


def project(root: Path, pyproject: str = PYPROJECT, files: dict[str, str] | None = None) -> Path:
    (root / "pyproject.toml").write_text(pyproject)
    for relative, text in (files or {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_init_writes_dependabot_for_the_actions_only(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert write_planned(root)[".github/dependabot.yml"] == "create"
    path = root / ".github/dependabot.yml"
    data = load_yaml(path.read_text())
    assert data["version"] == 2
    assert [entry["package-ecosystem"] for entry in data["updates"]] == ["github-actions"]
    (entry,) = data["updates"]
    assert entry["directory"] == "/"
    assert entry["schedule"] == {"interval": "weekly"}
    assert entry["cooldown"] == {"default-days": 7}
    result = tool("check-jsonschema", "--builtin-schema", "vendor.dependabot", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [f for f in check_repository(root).findings if f.code == "bot-edits-locks"]


def test_the_action_cooldown_follows_upgrade_cooldown(tmp_path: Path) -> None:
    root = project(tmp_path, PYPROJECT + '\n[tool.sprintlock]\nupgrade-cooldown = "2 weeks"\n')
    write_planned(root)
    data = load_yaml((root / ".github/dependabot.yml").read_text())
    assert data["updates"][0]["cooldown"] == {"default-days": 14}


def test_a_users_dependabot_file_is_kept_with_what_clashes(tmp_path: Path) -> None:
    root = project(tmp_path, files={".github/dependabot.yml": PIP_ENTRY})
    _, changes = plan(root)
    (change,) = [c for c in changes if c.relative == ".github/dependabot.yml"]
    assert change.action == "kept"
    assert not change.writes
    assert change.notes[0].startswith(".github/dependabot.yml:3: Dependabot's pip updater runs on /")
    assert "github-actions" in change.notes[0]
    assert "sprintlock init --force .github/dependabot.yml" in change.notes[-1]


def test_a_clean_users_file_is_kept_silently(tmp_path: Path) -> None:
    mine = (
        "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /web\n    schedule:\n      interval: daily\n"
    )
    root = project(tmp_path, files={".github/dependabot.yml": mine})
    _, changes = plan(root)
    (change,) = [c for c in changes if c.relative == ".github/dependabot.yml"]
    assert (change.action, change.notes) == ("kept", ())


def test_an_existing_dependabot_yaml_is_the_projects_file(tmp_path: Path) -> None:
    root = project(tmp_path, files={".github/dependabot.yaml": PIP_ENTRY})
    _, changes = plan(root)
    relatives = [c.relative for c in changes]
    assert ".github/dependabot.yaml" in relatives and ".github/dependabot.yml" not in relatives


@pytest.mark.parametrize("force", [True, False])
def test_force_replaces_a_users_file(tmp_path: Path, force: bool) -> None:
    root = project(tmp_path, files={".github/dependabot.yml": PIP_ENTRY})
    actions = write_planned(root, force=[".github/dependabot.yml"] if force else [])
    assert actions[".github/dependabot.yml"] == ("replace" if force else "kept")
    flagged = [f for f in check_repository(root).findings if f.code == "bot-edits-locks"]
    assert bool(flagged) is not force


def test_sprintlocks_own_dependabot_file_is_the_standard_one() -> None:
    _, changes = plan(ROOT)
    (change,) = [c for c in changes if c.relative == ".github/dependabot.yml"]
    assert change.old == change.text
