"""Refresh the pins outside the locks: pre-commit hook revisions and workflow actions.

Part of ``sprintlock upgrade --pins`` (what ``nox -s upgrade`` runs): the moves go into
the same change report as the lock changes. GitHub is needed; without it nothing
moves and the report says so in a note, it is not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sprintlock._core.process import Runner, run
from sprintlock._core.transaction import write_all
from sprintlock._lock.report import PinChange
from sprintlock._standard.precommit import PATH, refresh_hook_pins
from sprintlock._standard.workflows.actions import LsRemote, refresh_action_pins


@dataclass(frozen=True)
class PinRefresh:
    """The moves, the notes, and the new text of each file that changes (not yet written)."""

    pins: tuple[PinChange, ...]
    notes: tuple[str, ...]
    files: dict[Path, str]


def prepare_pins(
    root: Path,
    *,
    pre_commit: str | None = None,
    ls_remote: LsRemote | None = None,
    runner: Runner = run,
) -> PinRefresh:
    """Refresh hook and action pins of ``root`` in memory: the caller writes ``files`` (``upgrade --pins``
    writes them with the locks and the reports, in one transaction)."""
    hooks = refresh_hook_pins(root, pre_commit=pre_commit, runner=runner)
    actions = refresh_action_pins(root, ls_remote)
    files = dict(actions.files)
    if hooks.text is not None:
        files[root / PATH] = hooks.text
    pins = [PinChange("pre-commit hook", repo, old, new, PATH) for repo, old, new in hooks.moves]
    pins += [
        PinChange("action", repo, old, new, path.relative_to(root).as_posix()) for path, repo, old, new in actions.moves
    ]
    return PinRefresh(tuple(pins), (*hooks.notes, *actions.notes), files)


def refresh_pins(
    root: Path,
    *,
    pre_commit: str | None = None,
    ls_remote: LsRemote | None = None,
    runner: Runner = run,
) -> tuple[tuple[PinChange, ...], tuple[str, ...]]:
    """Refresh hook and action pins in ``root`` (written all or nothing); return the moves and the notes."""
    refresh = prepare_pins(root, pre_commit=pre_commit, ls_remote=ls_remote, runner=runner)
    if refresh.files:
        write_all(refresh.files, root=root)
    return refresh.pins, refresh.notes
