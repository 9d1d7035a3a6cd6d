# PYTHON_ARGCOMPLETE_OK (shell completion: argcomplete, when installed, finds this marker)
"""The command line: a thin shell that parses arguments, runs one command and maps errors to exit codes.

Each command is a module of :mod:`sprintlock._cli.commands`; this module builds the parser
from them and holds the one error handler: a :class:`SprintlockError` is a user error (its
message and hint, exit 2), Ctrl-C exits 130, SIGTERM 143, anything else is a bug (exit 3, with the
traceback in a private log file).

Importing it loads nothing heavy (no argparse, logging or pathlib): a plain ``sprintlock
check`` whose files have not changed since it last passed is answered from its memo
(:mod:`sprintlock._lock.memo`) before anything else is imported. That is the pre-commit hook.
"""

from __future__ import annotations

import os
import sys

from sprintlock._cli.exit_codes import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED
from sprintlock._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from sprintlock._cli.commands import Command
    from sprintlock._cli.parser import Parser


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


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser; with ``argv``, only the commands it names are complete (the others are names)."""
    import argparse

    from sprintlock._cli.parser import Parser

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
    import argparse
    from pathlib import Path

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
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        answered = _remembered_check(arguments)
    except KeyboardInterrupt:
        return _stopped("interrupted", EXIT_INTERRUPTED)
    return _main(arguments) if answered is None else answered


def _main(arguments: list[str]) -> int:
    import logging

    from sprintlock._core.errors import Terminated
    from sprintlock._core.signals import forget_committed, raise_on_sigterm

    try:
        raise_on_sigterm()
        forget_committed()
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


#: What a plain ``sprintlock check`` may carry besides ``-C DIR``: options that change no result.
_QUIET_OPTIONS = frozenset({"-q", "--quiet", "-v", "--verbose"})


def _remembered_check(arguments: Sequence[str]) -> int | None:
    """Answer a plain ``sprintlock check`` from the memo of the last one that passed, if nothing
    changed, else from the locks' headers when they vouch for every file (:mod:`sprintlock._lock.headercheck`).

    None when the command line is anything else, or neither holds: then the full command
    runs (and parses the arguments, with their errors).
    """
    folder = _check_folder(arguments)
    if folder is None or "_ARGCOMPLETE" in os.environ:
        return None
    from sprintlock._lock.memo import recall

    root = os.path.realpath(folder)
    count = recall(root)
    if count is None:  # the files changed since the last check: the locks' headers may still vouch for them
        from sprintlock._lock.headercheck import fresh_locks

        count = fresh_locks(root)
    if count is None:
        return None
    from sprintlock._cli.style import GREEN, paint

    print(f"{count} {'lock is' if count == 1 else 'locks are'} {paint('fresh', GREEN, sys.stdout)}")
    return EXIT_OK


def _check_folder(arguments: Sequence[str]) -> str | None:
    """The project folder of ``sprintlock [-C DIR] check [-q] [-v]``; None for any other command line."""
    words = list(arguments)
    folder = "."
    for option in ("-C", "--project"):
        while option in words:
            at = words.index(option)
            if at + 1 == len(words):
                return None
            folder = words[at + 1]
            del words[at : at + 2]
    rest = [word for word in words if word not in _QUIET_OPTIONS]
    return folder if rest == ["check"] else None


def _complete(parser: argparse.ArgumentParser) -> None:
    """Shell completion with argcomplete, an optional dependency (``register-python-argcomplete sprintlock``)."""
    try:
        import argcomplete
    except ImportError:
        return
    argcomplete.autocomplete(parser)


def _stopped(how: str, code: int) -> int:
    """Say truthfully what a stopped command wrote: each commit is whole, so nothing, or whole sets of files."""
    from sprintlock._core.signals import committed

    written = committed()
    if not written:
        print(f"{how}: nothing was written", file=sys.stderr)
    else:
        names = ", ".join(_shown(path) for path in written)
        print(f"{how} after writing {names} (each set of files completely)", file=sys.stderr)
    return code


def _shown(path: Path) -> str:
    from pathlib import Path

    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from sprintlock._core.errors import SprintlockError

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

    from sprintlock._core.redact import redact

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
    from pathlib import Path

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
    from pathlib import Path

    folder = log_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=time.strftime("crash-%Y%m%d-%H%M%S-"), suffix=".log", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(name)
