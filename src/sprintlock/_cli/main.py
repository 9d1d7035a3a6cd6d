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
from typing import TYPE_CHECKING

from sprintlock._core.errors import SprintlockError
from sprintlock._project.config import load_project
from sprintlock._version import __version__

if TYPE_CHECKING:
    from sprintlock._lock.engine import LockOutcome

# Each command imports what it runs, so that `sprintlock check` or `sprintlock sync`
# starts without loading the resolvers, init's templates or doctor.

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
    from sprintlock._lock.engine import lock

    project = load_project(args.project)
    outcome = lock(project, args.layers, everything=args.all)
    _print_outcome(outcome)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from sprintlock._lock.check import check

    project = load_project(args.project)
    report = check(project)
    for problem in report.problems:
        print(f"{problem.where}: [{problem.code}] {problem.message}")
        if problem.hint:
            print(f"  hint: {problem.hint}")
    if report.ok:
        print(f"{len(report.checked)} locks are fresh")
        return EXIT_OK
    return EXIT_PROBLEMS


def cmd_upgrade(args: argparse.Namespace) -> int:
    from sprintlock._lock.upgrade import upgrade

    project = load_project(args.project)
    report = upgrade(project, args.packages)
    if args.pins:
        import dataclasses

        from sprintlock._ci.refresh_pins import refresh_pins

        pins, notes = refresh_pins(project.root)
        report = dataclasses.replace(report, pins=pins, notes=notes)
    if args.report:
        _write_text(Path(args.report), report.markdown())
    if args.json:
        _write_text(Path(args.json), report.json())
    print(report.summary())
    for note in report.notes:
        print(f"note: {note}")
    return EXIT_OK


def cmd_upgrade_pr(args: argparse.Namespace) -> int:
    from sprintlock._ci.upgrade_pr import upgrade_pr

    _, done = upgrade_pr(args.project, report=args.report, branch=args.branch)
    print(done)
    return EXIT_OK


def cmd_dev(args: argparse.Namespace) -> int:
    from sprintlock._env.dev import make_dev_venv

    result = make_dev_venv(load_project(args.project), python=args.python)
    if result.sync.skipped:
        print(f"{result.venv.name}: up to date with the dev lock (stamp matches)")
    else:
        created = "created, " if result.created else ""
        changes = f"{len(result.sync.installed)} installed, {len(result.sync.removed)} removed"
        print(f"{result.venv.name}: {created}synced to the dev lock plus the project, editable ({changes})")
    print("git hooks: installed" if result.hooks else f"git hooks: {result.note}")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from sprintlock._env.sync import sync

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

    from sprintlock._scaffold.init import CONFLICT, KEEP, init

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
        for note in change.notes:
            print(f"  {note}")
    for path in outcome.locks:
        if path in outcome.relocked:
            print(f"{path}: {'would be ' if args.dry_run else ''}relocked in the sprintlock format (generated file)")
        else:
            print(f"{path}: {'would be ' if args.dry_run else ''}locked")
    if outcome.conflicts:
        print(f"nothing written: {len(outcome.conflicts)} file(s) you wrote would be replaced", file=sys.stderr)
        return EXIT_PROBLEMS
    if outcome.nothing_to_do:
        print("nothing to do: the standard layout is in place and locked")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from sprintlock._doctor import doctor

    paths = args.paths or ([Path()] if args.project == Path.cwd() else [args.project])
    report = doctor(paths)
    print(report.json() if args.json else report.text(), end="")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _write_text(path: Path, text: str) -> None:
    from sprintlock._core.files import write_all

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
    p.add_argument("--pins", action="store_true", help="also refresh pre-commit hook and workflow action pins")
    p.set_defaults(func=cmd_upgrade)

    p = commands.add_parser("upgrade-pr", help="commit the upgrade on one branch and open or update its pull request")
    p.add_argument("--report", default="upgrade-report.md", metavar="FILE", help="the pull request body")
    p.add_argument("--branch", default="sprintlock/upgrade", help="the one branch of the upgrade pull request")
    p.set_defaults(func=cmd_upgrade_pr)

    p = commands.add_parser("dev", help="make .venv the dev lock plus the project (editable); install git hooks")
    p.add_argument("--python", metavar="PYTHON", help="the interpreter to create .venv with (default: this one)")
    p.set_defaults(func=cmd_dev)

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

    p = commands.add_parser("doctor", help="offline: how far do repositories drift from the standard layout?")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="repositories to check (default: the project)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON, for dashboards")
    p.set_defaults(func=cmd_doctor)
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
