"""``sprintlock lock``: compile stale (or named, or all) requirements/*.in to locks."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TYPE_CHECKING

from sprintlock._cli.commands import completes_layers
from sprintlock._cli.exit_codes import EXIT_OK
from sprintlock._project.config import load_project

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers
    from sprintlock._lock.engine import LockOutcome
    from sprintlock._project.config import Project


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("lock", help="compile stale (or named, or all) requirements/*.in to locks")
    completes_layers(
        p.add_argument("layers", nargs="*", metavar="NAME", help="only these layers (and those including them)")
    )
    p.add_argument("--all", action="store_true", help="recompile every layer")
    p.add_argument("--json", action="store_true", help="print the result as JSON (schema sprintlock.lock/1)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._lock.engine import lock

    project = load_project(args.project)
    outcome = lock(project, args.layers, everything=args.all)
    if outcome.written:  # else the files are as the last check saw them (and its memo, if any, holds)
        _remember_check(outcome.project)
    if args.json:
        from sprintlock._cli.documents import dump, lock_body

        print(dump("lock", lock_body(outcome)), end="")
    else:
        _print_outcome(outcome)
    return EXIT_OK


def _remember_check(project: Project) -> None:
    """Check the new locks once, silently: when they pass, the next ``sprintlock check`` (the
    pre-commit hook of the commit that adds them) answers from its memo (docs/architecture.md).
    Their headers answer when they can (a few milliseconds); else the full check runs."""
    from sprintlock._lock.headercheck import fresh_locks

    if fresh_locks(str(project.root)) is not None:
        return
    from sprintlock._core.errors import SprintlockError
    from sprintlock._lock.check import check

    with contextlib.suppress(SprintlockError):
        check(project, memo=True)


def _print_outcome(outcome: LockOutcome) -> None:
    from sprintlock._cli.documents import UP_TO_DATE, lock_state
    from sprintlock._cli.style import GREEN, paint

    root = outcome.project.root
    for index, result in enumerate(outcome.layers):
        path = result.path.relative_to(root).as_posix()
        state = lock_state(outcome, index)
        print(f"{path}: {paint(state, GREEN, sys.stdout) if state == UP_TO_DATE else state}")
        if result.compiled and result.new is not None:
            missing = result.new.header.targets.missing_from(result.new.header.covers)
            if not missing.empty:
                print(f"  note: not resolved for {missing.describe()}: `sprintlock check` says how to cover them")
    _print_beside(outcome)


def _print_beside(outcome: LockOutcome) -> None:
    """The files written beside the locks (pylock files, with ``formats``)."""
    locks = {result.path for result in outcome.layers}
    for path in outcome.written:
        if path not in locks:
            print(f"{path.relative_to(outcome.project.root).as_posix()}: written")
