"""Doctor's codes and how findings are shown: text for people, JSON for dashboards, in a stable order."""

from __future__ import annotations

import json
from typing import cast, get_args

import pytest

from sprintlock._inspect.findings import (
    CODES,
    CodeName,
    DoctorReport,
    Family,
    Finding,
    RepoReport,
    sort_findings,
)

STALE = Finding("lock-stale", "requirements/tests.txt", "stale", "run `sprintlock lock`", 3)
MISSING = Finding("missing-file", "noxfile.py", "missing: the sessions", "run `sprintlock init`")


def test_every_code_has_a_family_and_a_meaning() -> None:
    assert list(CODES) == list(get_args(CodeName))
    families = get_args(Family)
    for name, code in CODES.items():
        assert code.name == name
        assert code.family in families
        assert code.meaning and not code.meaning.endswith(".")
    assert {code.family for code in CODES.values()} == set(families)


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown doctor code 'lock-stal'"):
        Finding(cast("CodeName", "lock-stal"), "", "", "")


def test_where() -> None:
    assert STALE.where == "requirements/tests.txt:3"
    assert MISSING.where == "noxfile.py"


def test_json_keys_in_order() -> None:
    assert list(STALE.as_dict()) == ["code", "file", "line", "message", "fix"]
    assert MISSING.as_dict() == {
        "code": "missing-file",
        "file": "noxfile.py",
        "message": "missing: the sessions",
        "fix": "run `sprintlock init`",
    }


def test_repository_text() -> None:
    assert RepoReport("repo", ()).text() == "repo: ok\n"
    report = RepoReport(".", (STALE,))
    assert report.text() == (".: 1 finding\nrequirements/tests.txt:3: lock-stale stale\n  fix: run `sprintlock lock`\n")
    nested = RepoReport("repos/a/", (MISSING, Finding("not-a-project", "", "no such folder", "check the path")))
    assert nested.text().splitlines() == [
        "repos/a/: 2 findings",
        "repos/a/noxfile.py: missing-file missing: the sessions",
        "  fix: run `sprintlock init`",
        "repos/a/: not-a-project no such folder",
        "  fix: check the path",
    ]


def test_doctor_summary() -> None:
    clean = RepoReport("a", ())
    assert DoctorReport((clean,)).text() == "a: ok\n1 repository checked: all follow the standard\n"
    drifting = DoctorReport((clean, RepoReport("b", (STALE, MISSING))))
    assert not drifting.ok
    assert drifting.findings == (STALE, MISSING)
    assert drifting.text().splitlines()[-1] == "2 repositories checked: 1 drifting, 2 findings"
    one = DoctorReport((RepoReport("b", (STALE,)),))
    assert one.text().splitlines()[-1] == "1 repository checked: 1 drifting, 1 finding"


def test_json() -> None:
    report = DoctorReport((RepoReport("a", ()), RepoReport("b", (STALE,))))
    assert json.loads(report.json()) == [
        {"path": "a", "ok": True, "findings": []},
        {
            "path": "b",
            "ok": False,
            "findings": [
                {
                    "code": "lock-stale",
                    "file": "requirements/tests.txt",
                    "line": 3,
                    "message": "stale",
                    "fix": "run `sprintlock lock`",
                }
            ],
        },
    ]
    assert report.json().endswith("]\n")


def test_sort_order() -> None:
    def finding(code: CodeName, file: str, line: int | None, message: str = "m") -> Finding:
        return Finding(code, file, message, "fix", line)

    given = [
        finding("dangling-path", "b", 2),
        finding("action-unpinned", "b", 2),
        finding("missing-file", "b", None),
        finding("dangling-path", "a", 9),
        finding("dangling-path", "b", 2, "a message"),
        finding("lock-stale", "b", 10),
    ]
    assert [(f.file, f.line, f.code, f.message) for f in sort_findings(given)] == [
        ("a", 9, "dangling-path", "m"),
        ("b", None, "missing-file", "m"),
        ("b", 2, "action-unpinned", "m"),
        ("b", 2, "dangling-path", "a message"),
        ("b", 2, "dangling-path", "m"),
        ("b", 10, "lock-stale", "m"),
    ]
