"""The upgrade change report: per package old -> new, as Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from sprintlock._lock.engine import LayerResult
from sprintlock._lock.lockfile import Header, Lock, make_pin
from sprintlock._lock.report import ChangeReport, PinChange, build_report
from sprintlock._project.targets import Targets

TARGETS = Targets(("3.12",), ("linux",))
HEADER = Header("x", "requirements", "uv", True, TARGETS, TARGETS, ())


def result(name: str, old: dict[str, str] | None, new: dict[str, str] | None, via: str = "beta") -> LayerResult:
    def lock(versions: dict[str, str] | None) -> Lock | None:
        if versions is None:
            return None
        return Lock(HEADER, tuple(make_pin(package, version, via=[via]) for package, version in versions.items()))

    return LayerResult(name, Path(f"requirements/{name}.txt"), lock(old), lock(new), True)


def test_one_row_per_package_move_listing_every_lock() -> None:
    report = build_report(
        [
            result(
                "tests", {"alpha": "1.0", "gone": "1"}, {"alpha": "2.0", "new": "0.1"}, via="-r requirements/tests.in"
            ),
            result("dev", {"alpha": "1.0"}, {"alpha": "2.0"}),
            result("docs", {"beta": "1.0"}, {"beta": "1.0"}),
        ],
        "uv",
        TARGETS,
        "requirements",
    )
    assert [(c.package, c.old, c.new, c.kind, c.direct, c.locks) for c in report.changes] == [
        ("alpha", "1.0", "2.0", "major", True, ("tests.txt", "dev.txt")),
        ("gone", "1", None, "removed", True, ("tests.txt",)),
        ("new", None, "0.1", "added", True, ("tests.txt",)),
    ]
    assert report.changed_locks == ("requirements/tests.txt", "requirements/dev.txt")
    assert report.summary() == (
        "3 package changes (1 added, 1 major, 1 removed) in requirements/tests.txt, requirements/dev.txt"
    )


def test_a_new_lock_is_all_additions() -> None:
    report = build_report([result("tests", None, {"alpha": "1.0"})], "uv", TARGETS, "requirements")
    assert [(c.package, c.kind, c.direct) for c in report.changes] == [("alpha", "added", False)]


def test_empty_report() -> None:
    report = build_report([result("tests", {"alpha": "1"}, {"alpha": "1"})], "uv", TARGETS, "requirements")
    assert report.empty
    assert report.markdown() == "no changes: every lock is already at the newest allowed versions\n"
    assert report.summary().startswith("no changes")


def test_markdown_and_json() -> None:
    report = ChangeReport(
        "uv",
        TARGETS,
        build_report([result("tests", {"alpha": "1.0"}, {"alpha": "1.0.1"})], "uv", TARGETS, "r").changes,
        ("r/tests.txt",),
        pins=(PinChange("action", "actions/checkout", "v4", "v5", ".github/workflows/tests.yml"),),
        notes=("offline: hooks not refreshed",),
    )
    markdown = report.markdown()
    assert "| alpha | 1.0 | 1.0.1 | patch | no | tests.txt |" in markdown
    assert "- `r/tests.txt`" in markdown
    assert "| actions/checkout | action | v4 | v5 | `.github/workflows/tests.yml` |" in markdown
    assert markdown.endswith("- offline: hooks not refreshed\n")
    data = json.loads(report.json())
    assert data["targets"] == {"python": ["3.12"], "platforms": ["linux"]}
    assert data["changes"][0]["kind"] == "patch"
    assert data["pins"][0]["new"] == "v5"
    assert "1 pin changes in .github/workflows/tests.yml" in report.summary()
