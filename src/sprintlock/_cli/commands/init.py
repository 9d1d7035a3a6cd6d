"""``sprintlock init``: write the standard layout (noxfile, requirements, config) and lock it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers
    from sprintlock._scaffold.init import Change, InitOutcome


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("init", help="write the standard layout (noxfile, requirements, config) and lock it")
    p.add_argument("--tox", action="store_true", help="also write (or adopt) tox.ini using the same locks")
    p.add_argument(
        "--force", action="extend", nargs="+", default=[], metavar="FILE", help="replace FILE even if you wrote it"
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._scaffold.init import init

    outcome = init(args.project, tox=args.tox, force=args.force, dry_run=args.dry_run)
    for change in outcome.changes:
        _print_change(change, dry_run=args.dry_run)
    _print_locks(outcome, dry_run=args.dry_run)
    if outcome.report is not None:
        print("\n" + outcome.report.markdown(), end="")
    if outcome.conflicts:
        print(f"nothing written: {len(outcome.conflicts)} file(s) you wrote would be replaced", file=sys.stderr)
        return EXIT_PROBLEMS
    if outcome.nothing_to_do:
        print("nothing to do: the standard layout is in place and locked")
    return EXIT_OK


def _print_change(change: Change, *, dry_run: bool) -> None:
    """What init does (or would do) to one file, with a diff for a dry run or a conflict."""
    from sprintlock._scaffold.init import CONFLICT, KEEP

    if change.writes:
        print(f"{change.relative}: {'would ' if dry_run else ''}{change.action}")
    elif change.action == KEEP:
        why = "; its lock is compiled from it" if change.relative.endswith(".in") else ""
        print(f"{change.relative}: kept (yours{why})")
    elif change.action == CONFLICT:
        print(f"{change.relative}: exists with other content (rerun with --force {change.relative} to replace it)")
    if (dry_run or change.action == CONFLICT) and change.old is not None and change.old != change.text:
        _print_diff(change.relative, change.old, change.text)
    for note in change.notes:
        print(f"  {note}")


def _print_diff(relative: str, old: str, new: str) -> None:
    import difflib

    diff = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        f"{relative} (yours)",
        f"{relative} (sprintlock init)",
    )
    print("".join(diff), end="")


def _print_locks(outcome: InitOutcome, *, dry_run: bool) -> None:
    would = "would be " if dry_run else ""
    for path in outcome.locks:
        if path in outcome.relocked:
            print(f"{path}: {would}relocked in the sprintlock format (generated file)")
        else:
            print(f"{path}: {would}locked")
