"""One module per command: ``add_parser(subparsers)`` declares it, ``run(args)`` runs it.

``run`` returns the exit code and imports what it runs inside its body, so that
``sprintlock check`` or ``sprintlock sync`` starts without loading the resolvers, init's
templates or doctor. A new command is a new module here, listed in ``main.COMMANDS``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Protocol

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
