"""Refresh the pins outside the locks: pre-commit hook revisions and workflow actions.

Part of ``sprintlock upgrade --pins`` (what ``nox -s upgrade`` runs): the moves go into
the same change report as the lock changes. GitHub is needed; without it nothing
moves and the report says so in a note, it is not an error.
"""

from __future__ import annotations

from pathlib import Path

from sprintlock._core.files import write_all
from sprintlock._core.process import Runner, run
from sprintlock._lock.report import PinChange
from sprintlock._standard.precommit import PATH, refresh_hook_pins
from sprintlock._standard.workflows.actions import LsRemote, refresh_action_pins


def refresh_pins(
    root: Path,
    *,
    pre_commit: str | None = None,
    ls_remote: LsRemote | None = None,
    runner: Runner = run,
) -> tuple[tuple[PinChange, ...], tuple[str, ...]]:
    """Refresh hook and action pins in ``root``; return the moves and the notes."""
    hooks = refresh_hook_pins(root, pre_commit=pre_commit, runner=runner)
    actions = refresh_action_pins(root, ls_remote)
    if actions.files:
        write_all(actions.files)
    pins = [PinChange("pre-commit hook", repo, old, new, PATH) for repo, old, new in hooks.moves]
    pins += [
        PinChange("action", repo, old, new, path.relative_to(root).as_posix()) for path, repo, old, new in actions.moves
    ]
    return tuple(pins), (*hooks.notes, *actions.notes)
