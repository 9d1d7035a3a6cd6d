"""The two installers behind one interface: uv, else pip run from outside the environment.

Both act on an environment through its interpreter (``uv pip --python``,
``pip --python``) and never need anything inside it, so an environment holds only
what its lock says, whichever tool created it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sprintlock._core.errors import ToolMissingError
from sprintlock._lock.resolvers.uv import find_uv

INSTALLERS = ("uv", "pip")


@dataclass(frozen=True)
class Installer:
    """Command lines for one tool acting on the environment of ``python``."""

    name: str
    prefix: tuple[str, ...]
    python: str

    def _cmd(self, command: str, *args: str) -> list[str]:
        if self.name == "uv":
            return [*self.prefix, command, "--python", self.python, *args]
        return [*self.prefix, "--python", self.python, command, *args]

    def install_locked(self, requirements: Path) -> list[str]:
        """Install exactly these pins: hashes required, no dependency resolution."""
        return self._cmd("install", "--require-hashes", "--no-deps", "-r", str(requirements), *self._quiet())

    def install_project(self, root: Path, *, editable: bool) -> list[str]:
        """(Re)install the project alone, without its dependencies (they come from the lock)."""
        target = ["-e", str(root)] if editable else [str(root)]
        again = "--reinstall" if self.name == "uv" else "--force-reinstall"
        return self._cmd("install", "--no-deps", again, *target, *self._quiet())

    def uninstall(self, names: Sequence[str]) -> list[str]:
        yes = [] if self.name == "uv" else ["--yes"]
        return self._cmd("uninstall", *yes, *names, *self._quiet())

    def check(self) -> list[str]:
        return self._cmd("check", *self._quiet())

    def _quiet(self) -> list[str]:
        if self.name == "uv":
            return ["--no-progress", "--color", "never"]
        return ["--disable-pip-version-check", "--no-color", "--no-input"]


def get_installer(python: Path, name: str | None = None) -> Installer:
    """``name`` (``"uv"`` or ``"pip"``), or uv when it can be found, else pip."""
    if name not in (None, *INSTALLERS):
        raise ValueError(f"unknown installer {name!r}")
    if name in (None, "uv"):
        try:
            return Installer("uv", (find_uv(), "pip"), str(python))
        except ToolMissingError:
            if name == "uv":
                raise
    if importlib.util.find_spec("pip") is None:
        raise ToolMissingError(
            "neither uv nor pip is available to install the environment",
            hint="install uv (`pip install uv`) next to sprintlock",
        )
    return Installer("pip", (sys.executable, "-m", "pip"), str(python))
