# PYTHON_ARGCOMPLETE_OK (shell completion: argcomplete, when installed, finds this marker)
"""The command line: a thin shell that parses arguments, runs one command and maps errors to exit codes.

Each command is a module of :mod:`sprintlock._cli.commands`; this module builds the parser
from them and holds the one error handler: a :class:`SprintlockError` is a user error (its
message and hint, exit 2), Ctrl-C exits 130, SIGTERM 143, anything else is a bug (exit 3, with the
traceback in a private log file).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sprintlock._cli.exit_codes import EXIT_BUG, EXIT_INTERRUPTED, EXIT_TERMINATED
from sprintlock._core.errors import SprintlockError, Terminated
from sprintlock._core.redact import redact
from sprintlock._core.signals import committed, forget_committed, raise_on_sigterm
from sprintlock._version import __version__

if TYPE_CHECKING:
    from sprintlock._cli.commands import Command


#: The commands, in the order ``--help`` lists them: ``sprintlock/_cli/commands/<module>.py``.
COMMANDS = {
    "lock": "lock",
    "check": "check",
    "upgrade": "upgrade",
    "upgrade-pr": "upgrade_pr",
    "dev": "dev",
    "sync": "sync",
    "init": "init",
    "doctor": "doctor",
}


def commands(argv: Sequence[str] | None = None) -> tuple[Command, ...]:
    """The command modules to build parsers for: the ones ``argv`` names, else all of them.

    Importing only the command that runs keeps ``sprintlock check`` (a pre-commit hook)
    from loading every other command; a word that merely looks like a command (a folder
    named ``lock`` after ``-C``) only costs its import.
    """
    import importlib

    named = [name for name in COMMANDS if argv is not None and name in argv]
    return tuple(importlib.import_module(f"sprintlock._cli.commands.{COMMANDS[name]}") for name in named or COMMANDS)


class Parser(argparse.ArgumentParser):
    """An argument parser that suggests the closest command for a mistyped one (on every Python)."""

    #: The commands, on the main parser only.
    command_names: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        import re

        from sprintlock._core.suggest import did_you_mean

        typo = re.search(r"invalid choice: '([^']*)'", message)
        if typo and self.command_names and "maybe you meant" not in message:
            message += did_you_mean(typo.group(1), self.command_names)
        super().error(message)


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser; with ``argv``, only the commands it names are complete (the others are names)."""
    parser = Parser(
        prog="sprintlock",
        description="Identical, hash-pinned tool environments for every contributor.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_global_options(parser, defaults=True)
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=argparse.ArgumentParser
    )
    built = commands(argv)
    for command in built:
        command.add_parser(subparsers)
    for name in COMMANDS:
        if name not in subparsers.choices:
            subparsers.add_parser(name)  # never parsed: argv does not name it
    for subparser in subparsers.choices.values():
        add_global_options(subparser, defaults=False)
    parser.command_names = tuple(subparsers.choices)
    return parser


def add_global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """``-C``, ``-q`` and ``-v``, accepted before and after the command.

    The command's copies leave the namespace alone when not given (``SUPPRESS``), so that
    ``sprintlock -v lock`` keeps the ``-v`` the main parser saw.
    """
    keep = argparse.SUPPRESS

    def default(value: object) -> object:
        return value if defaults else keep

    group = parser.add_argument_group("global options") if not defaults else parser
    group.add_argument(
        "-C",
        "--project",
        type=Path,
        default=default(Path.cwd()),
        help="the project folder (default: the current one)",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="no progress, only results and errors"
    )
    group.add_argument(
        "-v", "--verbose", action="store_true", default=default(False), help="also log the commands sprintlock runs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The console entry point: the exit code of one command.

    SIGTERM raises :class:`Terminated` from here on, as Ctrl-C raises KeyboardInterrupt,
    so that staging folders and temporaries are removed on both; neither shows a traceback.
    """
    try:
        raise_on_sigterm()
        forget_committed()
        arguments = list(sys.argv[1:] if argv is None else argv)
        parser = build_parser(arguments)
        if "_ARGCOMPLETE" in os.environ:  # a shell asks for completions: answer and exit
            _complete(parser)
        args = parser.parse_args(arguments)
        logging.basicConfig(level=logging.WARNING, format="%(message)s")  # other libraries' warnings
        from sprintlock._cli.progress import cli_logging

        with cli_logging(verbose=args.verbose, quiet=args.quiet):
            return _run(args.func, args)
    except KeyboardInterrupt:  # also while the commands are imported and the arguments parsed
        return _stopped("interrupted", EXIT_INTERRUPTED)
    except Terminated:
        return _stopped("terminated", EXIT_TERMINATED)


def _complete(parser: argparse.ArgumentParser) -> None:
    """Shell completion with argcomplete, an optional dependency (``register-python-argcomplete sprintlock``)."""
    try:
        import argcomplete
    except ImportError:
        return
    argcomplete.autocomplete(parser)


def _stopped(how: str, code: int) -> int:
    """Say truthfully what a stopped command wrote: each commit is whole, so nothing, or whole sets of files."""
    written = committed()
    if not written:
        print(f"{how}: nothing was written", file=sys.stderr)
    else:
        names = ", ".join(_shown(path) for path in written)
        print(f"{how} after writing {names} (each set of files completely)", file=sys.stderr)
    return code


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return func(args)
    except SprintlockError as exc:
        from sprintlock._cli.style import error_text

        print(error_text(str(exc), sys.stderr), file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit 3
        return _bug(exc)


def _bug(exc: BaseException) -> int:
    import traceback

    text = redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    print(f"sprintlock: internal error: {redact(str(exc))}", file=sys.stderr)
    try:
        log = _write_log(f"sprintlock {__version__}, Python {sys.version.split()[0]} on {sys.platform}\n\n{text}")
    except OSError as error:
        print(text, end="", file=sys.stderr)
        print(f"  this is a bug: please report it with the traceback above (no log: {error})", file=sys.stderr)
    else:
        print(f"  this is a bug: please report it with the log at {log}", file=sys.stderr)
    return EXIT_BUG


def log_folder() -> Path:
    """The user's private folder for crash logs: never the shared temporary folder.

    ``$XDG_STATE_HOME/sprintlock/logs`` (default ``~/.local/state/sprintlock/logs``);
    on Windows ``%LOCALAPPDATA%\\sprintlock\\logs``.
    """
    if sys.platform == "win32":  # pragma: no cover - Windows only
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else Path.home() / "AppData" / "Local") / "sprintlock" / "logs"
    base = os.environ.get("XDG_STATE_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "sprintlock" / "logs"


def _write_log(text: str) -> Path:
    """Write ``text`` to a new log file only the user can read (created exclusively: no symlink is followed)."""
    import tempfile
    import time

    folder = log_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=time.strftime("crash-%Y%m%d-%H%M%S-"), suffix=".log", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(name)
