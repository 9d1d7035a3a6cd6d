"""``sprintlock check``: offline, are all locks fresh, consistent, hashed and covering? (The hot path.)"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK, EXIT_PROBLEMS
from sprintlock._project.config import load_project

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("check", help="offline: are all locks fresh, consistent, hashed, covering?")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._core.redact import redact
    from sprintlock._lock.check import check

    report = check(load_project(args.project))
    for problem in report.problems:
        print(redact(f"{problem.where}: [{problem.code}] {problem.message}"))
        if problem.hint:
            print(redact(f"  hint: {problem.hint}"))
    if report.ok:
        print(f"{len(report.checked)} locks are fresh")
        return EXIT_OK
    return EXIT_PROBLEMS
