"""Finding the programs sprintlock runs: uv, a CPython for a target ``X.Y``, a virtual environment's."""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from pathlib import Path

from sprintlock._core.errors import ToolMissingError
from sprintlock._core.process import run
from sprintlock._core.venvpaths import venv_python as venv_python  # re-exported: their home before
from sprintlock._core.venvpaths import venv_scripts as venv_scripts

_PROBE = "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"


def current_version() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


@functools.cache
def find_interpreter(version: str) -> str | None:
    """An interpreter path for ``version``, or None. Shims that fail to run are skipped."""
    if version == current_version():
        return sys.executable
    candidates = [shutil.which(f"python{version}")]
    if sys.platform == "win32":  # pragma: no cover - Windows only
        candidates.append(shutil.which("py"))
    for candidate in candidates:
        if candidate is None:
            continue
        cmd = (
            [candidate, f"-{version}", "-c", _PROBE]
            if candidate.endswith(("py", "py.exe"))
            else [candidate, "-c", _PROBE]
        )
        result = run(cmd)
        if result.returncode == 0 and result.stdout.strip() == version:
            return candidate
    return None


_FIND_LOCK = threading.Lock()


def find_uv() -> str:
    """The uv binary: the one installed with sprintlock, else the first on PATH.

    Found once per process, under a lock: layers compile in threads, and the first
    ``sysconfig`` lookup inside ``uv.find_uv_bin`` is not thread-safe.
    """
    with _FIND_LOCK:
        return _find_uv()


@functools.cache
def _find_uv() -> str:
    try:
        from uv import find_uv_bin

        found = find_uv_bin()
        if Path(found).is_file():
            return found
    except (ImportError, FileNotFoundError):
        pass
    path = shutil.which("uv")
    if path is None:
        raise ToolMissingError(
            "uv is not installed",
            hint='install it (`pip install uv`) or set resolver = "pip-tools" in [tool.sprintlock]',
        )
    return path
