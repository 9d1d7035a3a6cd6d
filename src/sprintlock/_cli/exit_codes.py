"""The exit codes of the command line, in one place (the error handler in main.py maps exceptions to them)."""

from __future__ import annotations

#: Done; or, for ``check`` and ``doctor``, nothing to report.
EXIT_OK = 0
#: ``check`` or ``doctor`` found problems; ``init`` refused to replace files you wrote.
EXIT_PROBLEMS = 1
#: A user error (:class:`sprintlock.SprintlockError`): bad input, a missing tool, a failing git.
EXIT_USER = 2
#: A bug in sprintlock: the traceback is in a log file.
EXIT_BUG = 3
#: Interrupted (Ctrl-C, SIGINT): 128 + 2, as a shell reports it.
EXIT_INTERRUPTED = 130
#: Terminated (SIGTERM): 128 + 15. Nothing half-written either way (see docs/architecture.md).
EXIT_TERMINATED = 143
