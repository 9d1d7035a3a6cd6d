"""Where a virtual environment keeps its programs. Light (:mod:`sys` and paths only): the
warm stamp check (:mod:`sprintlock._env.warm`) needs these and nothing else of the tools."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["venv_python", "venv_scripts"]


def venv_scripts(venv: Path) -> Path:
    """The folder of a virtual environment's programs: ``bin``, or ``Scripts`` on Windows."""
    return venv / ("Scripts" if sys.platform == "win32" else "bin")


def venv_python(venv: Path) -> Path:
    """The interpreter of the virtual environment at ``venv``."""
    return venv_scripts(venv) / ("python.exe" if sys.platform == "win32" else "python")
