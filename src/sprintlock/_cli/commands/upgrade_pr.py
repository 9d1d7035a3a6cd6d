"""``sprintlock upgrade-pr``: commit the upgrade on one branch and open or update its pull request."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("upgrade-pr", help="commit the upgrade on one branch and open or update its pull request")
    p.add_argument("--report", default="upgrade-report.md", metavar="FILE", help="the pull request body")
    p.add_argument("--branch", default="sprintlock/upgrade", help="the one branch of the upgrade pull request")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._ci.upgrade_pr import upgrade_pr

    _, done = upgrade_pr(args.project, report=args.report, branch=args.branch)
    print(done)
    return EXIT_OK
