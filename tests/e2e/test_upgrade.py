"""``sprintlock upgrade``: newer versions on purpose, with a change report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import snapshot
from initkit import versions

from sprintlock import load_project, lock
from sprintlock._cli.main import main
from sprintlock._lock.report import change_kind
from sprintlock._lock.upgrade import upgrade


@pytest.fixture
def held_back(make_project: Callable[..., Path]) -> Path:
    """Locked with upper bounds, which are then relaxed: the locks keep the old pins."""
    root = make_project(
        {
            "requirements/tests.in": "testtool\niniconfig<2\ntyping-extensions<4.1\n",
            "requirements/tests-min.in": "alpha==1.0\n",
        }
    )
    lock(load_project(root))
    (root / "requirements/tests.in").write_text("testtool\niniconfig\ntyping-extensions\n")
    lock(load_project(root))
    assert versions(root, "tests")["iniconfig"] == "1.0"
    return root


def test_upgrade_all_writes_markdown_and_json_reports(held_back: Path, tmp_path: Path) -> None:
    before_min = (held_back / "requirements/tests-min.txt").read_bytes()
    report_md, report_json = tmp_path / "report.md", tmp_path / "report.json"
    code = main(["-C", str(held_back), "upgrade", "--report", str(report_md), "--json", str(report_json)])
    assert code == 0
    assert versions(held_back, "tests")["iniconfig"] == "2.0"
    assert versions(held_back, "tests")["typing-extensions"] == "4.12.0"
    # The exact-pin (minimum versions) layer is never moved.
    assert (held_back / "requirements/tests-min.txt").read_bytes() == before_min
    data = json.loads(report_json.read_text())
    assert data["resolver"] == "uv"
    assert data["changed_locks"] == ["requirements/tests.txt"]
    changes = {c["package"]: c for c in data["changes"]}
    assert changes["iniconfig"] == {
        "package": "iniconfig",
        "old": "1.0",
        "new": "2.0",
        "kind": "major",
        "direct": True,
        "locks": ["tests.txt"],
    }
    assert changes["typing-extensions"]["kind"] == "minor"
    markdown = report_md.read_text()
    assert "| iniconfig | 1.0 | 2.0 | major | yes | tests.txt |" in markdown
    assert "- `requirements/tests.txt`" in markdown


def test_upgrade_named_packages_keeps_every_other_pin(held_back: Path) -> None:
    report = upgrade(load_project(held_back), ["IniConfig"])
    assert versions(held_back, "tests")["iniconfig"] == "2.0"
    assert versions(held_back, "tests")["typing-extensions"] == "4.0.0"
    assert [(c.package, c.old, c.new) for c in report.changes] == [("iniconfig", "1.0", "2.0")]


def test_no_change_is_an_empty_report_and_exit_0(
    make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"requirements/tests.in": "testtool\n"})
    lock(load_project(root))
    before = snapshot(root)
    report_md, report_json = tmp_path / "r.md", tmp_path / "r.json"
    assert main(["-C", str(root), "upgrade", "--report", str(report_md), "--json", str(report_json)]) == 0
    assert report_md.read_text() == "no changes: every lock is already at the newest allowed versions\n"
    assert json.loads(report_json.read_text())["changes"] == []
    assert "no changes" in capsys.readouterr().out
    assert snapshot(root) == before


def test_failed_upgrade_changes_nothing(held_back: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("UV_DEFAULT_INDEX", (tmp_path / "no-index").as_uri())
    before = snapshot(held_back)
    assert main(["-C", str(held_back), "upgrade", "--report", str(tmp_path / "r.md")]) == 2
    assert snapshot(held_back) == before
    assert not (tmp_path / "r.md").exists()


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("1.0", "2.0", "major"),
        ("1.2", "1.3", "minor"),
        ("1.2.3", "1.2.4", "patch"),
        ("1.2.3", "1.2.3.post1", "other"),
        (None, "1.0", "added"),
        ("1.0", None, "removed"),
        ("1.0, 2.0", "2.0", "other"),
    ],
)
def test_change_kind(old: str | None, new: str | None, kind: str) -> None:
    assert change_kind(old, new) == kind
