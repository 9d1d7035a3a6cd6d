"""One module per command: ``add_parser(subparsers)`` declares it, ``run(args)`` runs it.

``run`` returns the exit code and imports what it runs inside its body, so that
``sprintlock check`` or ``sprintlock sync`` starts without loading the resolvers, init's
templates or doctor. A new command is a new module here, listed in ``main.COMMANDS``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from typing import TypeAlias

    #: What ``ArgumentParser.add_subparsers`` returns.
    Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class Command(Protocol):
    """What main.py needs of a command module."""

    def add_parser(self, subparsers: Subparsers) -> None:
        """Add the command's parser, with ``func=run`` as its default."""
        ...

    def run(self, args: argparse.Namespace) -> int:
        """Run the command; return its exit code."""
        ...


def complete_layers(prefix: str, parsed_args: argparse.Namespace, **_: object) -> list[str]:
    """The project's layer names, for shell completion (argcomplete calls it; errors complete nothing)."""
    from pathlib import Path

    from sprintlock._core.errors import SprintlockError
    from sprintlock._project.config import load_project

    try:
        folder = load_project(getattr(parsed_args, "project", Path.cwd())).requirements_dir
    except (SprintlockError, OSError):
        return []
    return sorted(path.stem for path in folder.glob("*.in") if path.stem.startswith(prefix))


def completes_layers(action: argparse.Action) -> None:
    """Let argcomplete (when installed) offer layer names for ``action``."""
    completable: Any = action  # argcomplete reads an attribute argparse does not declare
    completable.completer = complete_layers
