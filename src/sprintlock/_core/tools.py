"""Find a CPython interpreter for a target ``X.Y`` version, and the programs of a virtual environment."""

from __future__ import annotations

import functools
import shutil
import sys
from pathlib import Path

from sprintlock._core.process import run

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


def venv_scripts(venv: Path) -> Path:
    """The folder of a virtual environment's programs: ``bin``, or ``Scripts`` on Windows."""
    return venv / ("Scripts" if sys.platform == "win32" else "bin")


def venv_python(venv: Path) -> Path:
    """The interpreter of the virtual environment at ``venv``."""
    return venv_scripts(venv) / ("python.exe" if sys.platform == "win32" else "python")
