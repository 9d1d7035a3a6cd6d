"""``upgrade --json`` and ``doctor --json``: versioned documents, valid against docs/schemas."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # check-jsonschema's dependency; no stubs locked
import pytest
from conftest import ROOT

from sprintlock import load_project, lock
from sprintlock._cli.exit_codes import EXIT_OK, EXIT_PROBLEMS
from sprintlock._cli.main import main

SCHEMAS = ROOT / "docs" / "schemas"


def valid(command: str, text: str) -> Any:
    """``text`` as one JSON document, valid against the command's published schema."""
    parsed = json.loads(text)
    schema = json.loads((SCHEMAS / f"{command}.v1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(parsed, schema, cls=jsonschema.Draft202012Validator)
    assert parsed["schema"] == f"sprintlock.{command}/1"
    assert next(iter(parsed)) == "schema"  # first, as in every document
    return parsed


@pytest.fixture
def held_back(make_project: Callable[..., Path]) -> Path:
    """Locked with iniconfig<2, then relaxed: an upgrade moves it to 2.0."""
    root = make_project({"requirements/tests.in": "testtool\niniconfig<2\n"})
    lock(load_project(root))
    (root / "requirements/tests.in").write_text("testtool\niniconfig\n")
    lock(load_project(root))
    return root


def test_upgrade_json_on_stdout_with_the_summary_on_stderr(held_back: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["-C", str(held_back), "-q", "upgrade", "--json"]) == EXIT_OK
    captured = capsys.readouterr()
    document = valid("upgrade", captured.out)
    assert document["changed_locks"] == ["requirements/tests.txt"]
    assert document["files"] == ["requirements/tests.txt"]
    (change,) = [c for c in document["changes"] if c["package"] == "iniconfig"]
    assert (change["old"], change["new"], change["kind"], change["direct"]) == ("1.0", "2.0", "major", True)
    assert "1 package changes (1 major) in requirements/tests.txt" in captured.err


def test_upgrade_json_file_is_the_same_document(
    held_back: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    assert main(["-C", str(held_back), "-q", "upgrade", "iniconfig", "--json", str(report)]) == EXIT_OK
    assert "1 package changes" in capsys.readouterr().out  # the summary stays on stdout
    document = valid("upgrade", report.read_text())
    assert [c["package"] for c in document["changes"]] == ["iniconfig"]
    # Nothing left to upgrade: still a valid document, with no change.
    assert main(["-C", str(held_back), "-q", "upgrade", "--json", "-"]) == EXIT_OK
    again = valid("upgrade", capsys.readouterr().out)
    assert again["changes"] == [] and again["changed_locks"] == [] and again["files"] == []


def test_doctor_json_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes").mkdir()
    assert main(["doctor", "--json", str(tmp_path / "notes")]) == EXIT_PROBLEMS
    document = valid("doctor", capsys.readouterr().out)
    assert document["ok"] is False
    (repository,) = document["repositories"]
    assert repository["path"] == str(tmp_path / "notes")
    assert [finding["code"] for finding in repository["findings"]] == ["not-a-project"]


def test_doctor_schema_describes_every_code() -> None:
    from sprintlock._inspect.findings import CODES

    schema = json.loads((SCHEMAS / "doctor.v1.json").read_text())
    finding = schema["properties"]["repositories"]["items"]["properties"]["findings"]["items"]
    pattern = finding["properties"]["code"]["pattern"]
    for code in CODES:
        jsonschema.validate(code, {"type": "string", "pattern": pattern})
