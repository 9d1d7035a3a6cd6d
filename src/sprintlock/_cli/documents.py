"""The ``--json`` documents of ``check``, ``lock``, ``sync``, ``upgrade`` and ``doctor``: one versioned shape each.

Each document is one JSON object on standard output with ``"schema": "sprintlock.COMMAND/N"``
first; the shapes are described by ``docs/schemas/COMMAND.vN.json``. ``N`` changes only when
a key is removed or changes meaning (new keys may appear in any version). Credentials in URLs
are masked in every string, as in the text output.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sprintlock._core.redact import redact

if TYPE_CHECKING:
    from sprintlock._env.sync import SyncResult
    from sprintlock._inspect.findings import DoctorReport
    from sprintlock._lock.check import CheckReport
    from sprintlock._lock.engine import LockOutcome
    from sprintlock._lock.report import ChangeReport
    from sprintlock._project.targets import Targets

#: The version of every document's shape (``"schema": "sprintlock.check/1"``).
SCHEMA_VERSION = 1

#: What ``lock`` did to each layer (also its text output).
UP_TO_DATE, WRITTEN, UNCHANGED = "up to date", "written", "unchanged"


def dump(command: str, body: Mapping[str, object]) -> str:
    """The document of ``command``: its schema name, then ``body``, as indented JSON and a newline."""
    document = {"schema": f"sprintlock.{command}/{SCHEMA_VERSION}", **body}
    return json.dumps(_masked(document), indent=2) + "\n"


def _masked(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(item) for item in value]
    return value


def check_body(report: CheckReport) -> dict[str, object]:
    problems = [
        {"code": p.code, "path": p.path, "line": p.line, "message": p.message, "hint": p.hint or None}
        for p in report.problems
    ]
    return {"ok": report.ok, "checked": list(report.checked), "problems": problems}


def lock_state(outcome: LockOutcome, index: int) -> str:
    """``up to date`` (not compiled), ``written`` (compiled into new pins) or ``unchanged``."""
    result = outcome.layers[index]
    if not result.compiled:
        return UP_TO_DATE
    return WRITTEN if result.path in outcome.written else UNCHANGED


def _targets(targets: Targets | None) -> dict[str, list[str]] | None:
    return None if targets is None else {"python": list(targets.pythons), "platforms": list(targets.platforms)}


def lock_body(outcome: LockOutcome) -> dict[str, object]:
    root = outcome.project.root
    layers = []
    for index, result in enumerate(outcome.layers):
        header = result.new.header if result.new is not None else None
        missing = header.targets.missing_from(header.covers) if header is not None else None
        layers.append(
            {
                "name": result.name,
                "path": result.path.relative_to(root).as_posix(),
                "state": lock_state(outcome, index),
                "covers": _targets(header.covers if header is not None else None),
                "missing": None if missing is None or missing.empty else _targets(missing),
            }
        )
    return {"layers": layers}


def sync_body(result: SyncResult, *, layer: str, venv: str) -> dict[str, object]:
    return {
        "layer": layer,
        "venv": venv,
        "skipped": result.skipped,
        "verified": result.verified,
        "installed": list(result.installed),
        "removed": list(result.removed),
        "repaired": list(result.repaired),
        "strays": list(result.strays),
    }


def upgrade_body(report: ChangeReport) -> dict[str, object]:
    """The change report (``upgrade --json``): the same keys as ``upgrade-report.json``, sorted."""
    return dict(sorted(report.to_dict().items()))


def doctor_body(report: DoctorReport) -> dict[str, object]:
    """``ok`` for every repository, then each repository's findings (``line`` only when known)."""
    return {"ok": report.ok, "repositories": [repo.as_dict() for repo in report.repositories]}
