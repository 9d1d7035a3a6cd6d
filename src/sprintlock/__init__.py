"""sprintlock: identical, hash-pinned tool environments for every contributor.

The public API is imported on first use (PEP 562), so that ``import sprintlock.nox`` in
a noxfile, or ``sprintlock check``, loads only the modules it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._check import CheckReport, Problem, check
    from ._config import Config, Project, load_project
    from ._doctor import DoctorReport, Finding, RepoReport, doctor
    from ._errors import (
        CommandFailed,
        ConfigError,
        InputError,
        ResolutionError,
        SprintlockError,
        ToolMissingError,
    )
    from ._init import InitOutcome, init
    from ._lock import LayerResult, LockOutcome, lock
    from ._sync import SyncError, SyncResult, sync
    from ._targets import Targets

__version__ = "0.1.0"

#: Where each public name lives.
_EXPORTS = {
    **dict.fromkeys(("CheckReport", "Problem", "check"), "_check"),
    **dict.fromkeys(("Config", "Project", "load_project"), "_config"),
    **dict.fromkeys(("DoctorReport", "Finding", "RepoReport", "doctor"), "_doctor"),
    **dict.fromkeys(
        ("CommandFailed", "ConfigError", "InputError", "ResolutionError", "SprintlockError", "ToolMissingError"),
        "_errors",
    ),
    **dict.fromkeys(("InitOutcome", "init"), "_init"),
    **dict.fromkeys(("LayerResult", "LockOutcome", "lock"), "_lock"),
    **dict.fromkeys(("SyncError", "SyncResult", "sync"), "_sync"),
    "Targets": "_targets",
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
