"""The command line: a thin shell that parses arguments, calls the library and maps errors."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from ._check import check
from ._config import load_project
from ._errors import SprintlockError
from ._lock import LockOutcome, lock

EXIT_OK, EXIT_PROBLEMS, EXIT_USER, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _print_outcome(outcome: LockOutcome) -> None:
    root = outcome.project.root
    for result in outcome.layers:
        path = result.path.relative_to(root).as_posix()
        if not result.compiled:
            state = "up to date"
        elif result.path in outcome.written:
            state = "written"
        else:
            state = "unchanged"
        print(f"{path}: {state}")
        if result.compiled and result.new is not None:
            missing = result.new.header.targets.missing_from(result.new.header.covers)
            if not missing.empty:
                print(f"  note: not resolved for {missing.describe()}: `sprintlock check` says how to cover them")


def cmd_lock(args: argparse.Namespace) -> int:
    project = load_project(args.project)
    outcome = lock(project, args.layers, everything=args.all)
    _print_outcome(outcome)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    project = load_project(args.project)
    report = check(project)
    for problem in report.problems:
        print(f"{problem.path}: [{problem.code}] {problem.message}")
        if problem.hint:
            print(f"  hint: {problem.hint}")
    if report.ok:
        print(f"{len(report.checked)} locks are fresh")
        return EXIT_OK
    return EXIT_PROBLEMS


def cmd_upgrade(args: argparse.Namespace) -> int:
    from ._upgrade import upgrade

    project = load_project(args.project)
    report = upgrade(project, args.packages)
    if args.report:
        _write_text(Path(args.report), report.markdown())
    if args.json:
        _write_text(Path(args.json), report.json())
    print(report.summary())
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from ._sync import sync

    project = load_project(args.project)
    result = sync(project, args.layer, Path(args.venv), install_project=not args.no_project, editable=args.editable)
    if result.skipped:
        print(f"{args.venv}: up to date with the {args.layer} lock (stamp matches)")
    else:
        print(
            f"{args.venv}: synced to the {args.layer} lock "
            f"({len(result.installed)} installed, {len(result.removed)} removed)"
        )
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    import difflib

    from ._init import CONFLICT, KEEP, init

    outcome = init(args.project, tox=args.tox, force=args.force, dry_run=args.dry_run)
    would = "would " if args.dry_run else ""
    for change in outcome.changes:
        if change.writes:
            print(f"{change.relative}: {would}{change.action}")
        elif change.action == KEEP:
            print(f"{change.relative}: kept (yours; its lock is compiled from it)")
        elif change.action == CONFLICT:
            print(f"{change.relative}: exists with other content (rerun with --force {change.relative} to replace it)")
        if (args.dry_run or change.action == CONFLICT) and change.old is not None and change.old != change.text:
            diff = difflib.unified_diff(
                change.old.splitlines(keepends=True),
                change.text.splitlines(keepends=True),
                f"{change.relative} (yours)",
                f"{change.relative} (sprintlock init)",
            )
            print("".join(diff), end="")
    for path in outcome.locks:
        print(f"{path}: {'would be ' if args.dry_run else ''}locked")
    if outcome.conflicts:
        print(f"nothing written: {len(outcome.conflicts)} file(s) you wrote would be replaced", file=sys.stderr)
        return EXIT_PROBLEMS
    if outcome.nothing_to_do:
        print("nothing to do: the standard layout is in place and locked")
    return EXIT_OK


def _write_text(path: Path, text: str) -> None:
    from ._atomic import write_all

    write_all({path.resolve(): text})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sprintlock",
        description="Identical, hash-pinned tool environments for every contributor.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-C", "--project", type=Path, default=Path.cwd(), help="the project folder (default: the current one)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log the commands sprintlock runs")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("lock", help="compile stale (or named, or all) requirements/*.in to locks")
    p.add_argument("layers", nargs="*", metavar="NAME", help="only these layers (and those including them)")
    p.add_argument("--all", action="store_true", help="recompile every layer")
    p.set_defaults(func=cmd_lock)

    p = commands.add_parser("check", help="offline: are all locks fresh, consistent, hashed, covering?")
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("upgrade", help="move pins to newer versions and write a change report")
    p.add_argument("packages", nargs="*", metavar="PKG", help="only these packages (default: all)")
    p.add_argument("--report", metavar="FILE", help="write the change report as Markdown")
    p.add_argument("--json", metavar="FILE", help="write the change report as JSON")
    p.set_defaults(func=cmd_upgrade)

    p = commands.add_parser("sync", help="make an environment hold exactly a lock plus the project")
    p.add_argument("layer", metavar="LAYER", help="the lock to install: requirements/LAYER.txt")
    p.add_argument("--venv", required=True, metavar="DIR", help="the virtual environment to sync")
    p.add_argument("--no-project", action="store_true", help="do not install the project itself")
    p.add_argument("--editable", action="store_true", help="install the project in editable mode")
    p.set_defaults(func=cmd_sync)

    p = commands.add_parser("init", help="write the standard layout (noxfile, requirements, config) and lock it")
    p.add_argument("--tox", action="store_true", help="also write (or adopt) tox.ini using the same locks")
    p.add_argument(
        "--force", action="extend", nargs="+", default=[], metavar="FILE", help="replace FILE even if you wrote it"
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.set_defaults(func=cmd_init)
    return parser


def _bug(exc: BaseException) -> int:
    log = Path(tempfile.gettempdir()) / f"sprintlock-{os.getpid()}.log"
    log.write_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), encoding="utf-8")
    print(f"sprintlock: internal error: {exc}", file=sys.stderr)
    print(f"  this is a bug: please report it with the log at {log}", file=sys.stderr)
    return EXIT_BUG


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(message)s")
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except SprintlockError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit 3
        return _bug(exc)
