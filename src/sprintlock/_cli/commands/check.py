"""``sprintlock check``: offline, are all locks fresh, consistent, hashed and covering? (The hot path.)"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK, EXIT_PROBLEMS
from sprintlock._project.config import load_project

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("check", help="offline: are all locks fresh, consistent, hashed, covering?")
    p.add_argument("--json", action="store_true", help="print the result as JSON (schema sprintlock.check/1)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._cli.style import DIM, GREEN, paint
    from sprintlock._core.redact import redact
    from sprintlock._lock.check import check

    report = check(load_project(args.project), memo=True)
    if args.json:
        from sprintlock._cli.documents import check_body, dump

        print(dump("check", check_body(report)), end="")
        return EXIT_OK if report.ok else EXIT_PROBLEMS
    for problem in report.problems:
        print(redact(f"{problem.where}: [{problem.code}] {problem.message}"))
        if problem.hint:
            print(paint(redact(f"  hint: {problem.hint}"), DIM, sys.stdout))
    if report.ok:
        count = len(report.checked)
        print(f"{count} {'lock is' if count == 1 else 'locks are'} {paint('fresh', GREEN, sys.stdout)}")
        return EXIT_OK
    return EXIT_PROBLEMS
