"""sprintlock: identical, hash-pinned tool environments for every contributor.

The public API is imported on first use (PEP 562), so that ``import sprintlock.nox`` in
a noxfile, or ``sprintlock check``, loads only the modules it needs.
"""

from __future__ import annotations

import importlib

from sprintlock._version import __version__

TYPE_CHECKING = False  # not typing's: importing typing would cost every command line its start-up time
if TYPE_CHECKING:
    from typing import Any

    from sprintlock._core.errors import (
        CommandFailed,
        ConfigError,
        InputError,
        ResolutionError,
        SprintlockError,
        SyncError,
        ToolMissingError,
    )
    from sprintlock._doctor import DoctorReport, Finding, RepoReport, doctor
    from sprintlock._env.sync import SyncResult, sync
    from sprintlock._lock.check import CheckReport, Problem, check
    from sprintlock._lock.engine import LayerResult, LockOutcome, lock
    from sprintlock._project.config import Config, Project, load_project
    from sprintlock._project.targets import Targets
    from sprintlock._scaffold.init import InitOutcome, init

#: Where each public name lives.
_EXPORTS = {
    **dict.fromkeys(("CheckReport", "Problem", "check"), "_lock.check"),
    **dict.fromkeys(("Config", "Project", "load_project"), "_project.config"),
    **dict.fromkeys(("DoctorReport", "Finding", "RepoReport", "doctor"), "_doctor"),
    **dict.fromkeys(
        (
            "CommandFailed",
            "ConfigError",
            "InputError",
            "ResolutionError",
            "SprintlockError",
            "SyncError",
            "ToolMissingError",
        ),
        "_core.errors",
    ),
    **dict.fromkeys(("InitOutcome", "init"), "_scaffold.init"),
    **dict.fromkeys(("LayerResult", "LockOutcome", "lock"), "_lock.engine"),
    **dict.fromkeys(("SyncResult", "sync"), "_env.sync"),
    "Targets": "_project.targets",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CheckReport",
    "CommandFailed",
    "Config",
    "ConfigError",
    "DoctorReport",
    "Finding",
    "InitOutcome",
    "InputError",
    "LayerResult",
    "LockOutcome",
    "Problem",
    "Project",
    "RepoReport",
    "ResolutionError",
    "SprintlockError",
    "SyncError",
    "SyncResult",
    "Targets",
    "ToolMissingError",
    "__version__",
    "check",
    "doctor",
    "init",
    "load_project",
    "lock",
    "sync",
]
