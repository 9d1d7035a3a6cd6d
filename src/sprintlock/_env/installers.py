"""The two installers behind one interface: uv, else pip run from outside the environment.

Both act on an environment through its interpreter (``uv pip --python``,
``pip --python``) and never need anything inside it, so an environment holds only
what its lock says, whichever tool created it.

uv installs with ``--link-mode copy``: by default it hard-links files from its cache,
so that an edit made in one environment would change the cache and every other
environment sharing the file, and a reinstall would bring the edited bytes back. A
repair that still finds other bytes after installing (a cache spoiled by another tool)
runs ``fresh``: without the cache, from the hash-checked wheel itself.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sprintlock._core.errors import ToolMissingError
from sprintlock._core.tools import find_uv


class Installer(Protocol):
    """Command lines for one tool acting on the environment of one interpreter."""

    name: str

    def install_locked(self, requirements: Path, *, reinstall: bool = False, fresh: bool = False) -> list[str]:
        """Install exactly these pins: hashes required, no dependency resolution.

        ``reinstall``: also when the same version is installed (a repair); ``fresh``:
        from the wheels themselves, bypassing the installer's cache.
        """
        ...

    def install_project(self, root: Path, *, editable: bool) -> list[str]:
        """(Re)install the project alone, without its dependencies (they come from the lock)."""
        ...

    def uninstall(self, names: Sequence[str]) -> list[str]: ...

    def check(self) -> list[str]:
        """Whether every installed distribution has its dependencies."""
        ...


@dataclass(frozen=True)
class UvInstaller:
    """``uv pip COMMAND --python PYTHON``."""

    uv: str
    python: str
    name = "uv"

    def _cmd(self, command: str, *args: str) -> list[str]:
        return [self.uv, "pip", command, "--python", self.python, *args, "--no-progress", "--color", "never"]

    def install_locked(self, requirements: Path, *, reinstall: bool = False, fresh: bool = False) -> list[str]:
        options = [*(["--reinstall"] if reinstall else []), *(["--no-cache"] if fresh else [])]
        return self._cmd(
            "install", "--require-hashes", "--no-deps", "--link-mode", "copy", *options, "-r", str(requirements)
        )

    def install_project(self, root: Path, *, editable: bool) -> list[str]:
        return self._cmd(
            "install", "--no-deps", "--reinstall", "--link-mode", "copy", *_project(root, editable=editable)
        )

    def uninstall(self, names: Sequence[str]) -> list[str]:
        return self._cmd("uninstall", *names)

    def check(self) -> list[str]:
        return self._cmd("check")


@dataclass(frozen=True)
class PipInstaller:
    """``python -m pip --python PYTHON COMMAND``, with the pip that runs sprintlock."""

    python: str
    name = "pip"

    def _cmd(self, command: str, *args: str) -> list[str]:
        quiet = ("--disable-pip-version-check", "--no-color", "--no-input")
        return [sys.executable, "-m", "pip", "--python", self.python, command, *args, *quiet]

    def install_locked(self, requirements: Path, *, reinstall: bool = False, fresh: bool = False) -> list[str]:
        options = [*(["--force-reinstall"] if reinstall else []), *(["--no-cache-dir"] if fresh else [])]
        return self._cmd("install", "--require-hashes", "--no-deps", *options, "-r", str(requirements))

    def install_project(self, root: Path, *, editable: bool) -> list[str]:
        return self._cmd("install", "--no-deps", "--force-reinstall", *_project(root, editable=editable))

    def uninstall(self, names: Sequence[str]) -> list[str]:
        return self._cmd("uninstall", "--yes", *names)

    def check(self) -> list[str]:
        return self._cmd("check")


def _project(root: Path, *, editable: bool) -> list[str]:
    return ["-e", str(root)] if editable else [str(root)]


def _uv(python: Path) -> Installer:
    return UvInstaller(find_uv(), str(python))


def _pip(python: Path) -> Installer:
    if importlib.util.find_spec("pip") is None:
        raise ToolMissingError(
            "neither uv nor pip is available to install the environment",
            hint="install uv (`pip install uv`) next to sprintlock",
        )
    return PipInstaller(str(python))


#: Each installer by name, in the order of preference.
INSTALLERS: dict[str, Callable[[Path], Installer]] = {"uv": _uv, "pip": _pip}


def get_installer(python: Path, name: str | None = None) -> Installer:
    """``name`` (``"uv"`` or ``"pip"``), or uv when it can be found, else pip."""
    if name is not None:
        if name not in INSTALLERS:
            raise ValueError(f"unknown installer {name!r}")
        return INSTALLERS[name](python)
    try:
        return _uv(python)
    except ToolMissingError:
        return _pip(python)
