"""The change report per marker: a package whose versions differ per target says what moved where."""

from __future__ import annotations

import json
from pathlib import Path

from sprintlock._lock.engine import LayerResult
from sprintlock._lock.lockfile import Header, Lock, make_pin
from sprintlock._lock.report import ChangeReport, build_report
from sprintlock._project.targets import Targets

TARGETS = Targets(("3.9", "3.10"), ("linux",))
HEADER = Header("tests", "requirements", "uv", True, TARGETS, TARGETS, ())
NEW_PYTHONS = 'python_full_version >= "3.10"'
OLD_PYTHONS = 'python_full_version < "3.10"'


def result(old: list[tuple[str, str, str | None]], new: list[tuple[str, str, str | None]]) -> LayerResult:
    def lock(pins: list[tuple[str, str, str | None]]) -> Lock:
        return Lock(HEADER, tuple(make_pin(n, v, m, via=["-r requirements/tests.in"]) for n, v, m in pins))

    return LayerResult("tests", Path("requirements/tests.txt"), lock(old), lock(new), True)


def test_versions_split_by_marker_are_reported_per_marker_with_the_highest_kind() -> None:
    report = build_report(
        [result([("pytest", "8.4.2", None)], [("pytest", "9.2.0", NEW_PYTHONS), ("pytest", "8.4.2", OLD_PYTHONS)])],
        "uv",
        TARGETS,
        "requirements",
    )
    (change,) = report.changes
    assert change.kind == "major"  # not "other": the major bump on 3.10+ is visible
    assert change.describe() == '8.4.2 (python < "3.10"); 8.4.2 -> 9.2.0 (python >= "3.10")'
    assert '| pytest | 8.4.2 | 8.4.2 (python < "3.10"); 8.4.2 -> 9.2.0 (python >= "3.10") | major |' in (
        report.markdown()
    )
    data = json.loads(report.json())["changes"][0]
    assert data["markers"] == [
        {"marker": OLD_PYTHONS, "old": "8.4.2", "new": "8.4.2"},
        {"marker": NEW_PYTHONS, "old": "8.4.2", "new": "9.2.0"},
    ]


def test_a_package_added_for_some_targets_shows_its_marker() -> None:
    report = build_report([result([], [("greenlet", "3.1.1", OLD_PYTHONS)])], "uv", TARGETS, "requirements")
    (change,) = report.changes
    assert (change.kind, change.describe()) == ("added", '3.1.1 (python < "3.10")')


def test_a_package_without_markers_keeps_its_plain_row() -> None:
    report = build_report([result([("alpha", "1.0", None)], [("alpha", "1.1", None)])], "uv", TARGETS, "r")
    (change,) = report.changes
    assert (change.kind, change.markers, change.describe()) == ("minor", (), "1.0 -> 1.1")
    assert "markers" not in json.loads(report.json())["changes"][0]


def test_a_report_is_never_an_empty_file() -> None:
    nothing = ChangeReport("uv", TARGETS, (), ())
    assert nothing.markdown() == "no changes: every lock is already at the newest allowed versions\n"
    notes = ChangeReport("uv", TARGETS, (), (), notes=("offline: hooks not refreshed",))
    assert notes.empty  # no pull request for a note alone
    assert notes.markdown() == "Notes:\n\n- offline: hooks not refreshed\n"
