"""sprintlock: identical, hash-pinned tool environments for every contributor."""

from __future__ import annotations

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
