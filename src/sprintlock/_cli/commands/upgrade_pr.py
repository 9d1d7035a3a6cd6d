"""``sprintlock upgrade-pr``: commit the upgrade on one branch and open or update its pull request."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser(
        "upgrade-pr",
        help="commit the upgrade's files on one branch and open or update its pull request (the checkout is untouched)",
    )
    p.add_argument("--report", default="upgrade-report.md", metavar="FILE", help="the pull request body")
    p.add_argument(
        "--json", default="upgrade-report.json", metavar="FILE", help="the upgrade's JSON report: the files to commit"
    )
    p.add_argument("--branch", default="sprintlock/upgrade", help="the one branch of the upgrade pull request")
    p.add_argument("--no-verify", action="store_true", help="skip the commit hooks (pre-commit, commit-msg)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._ci.upgrade_pr import Settings, upgrade_pr

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    settings = Settings(
        json_report=args.json,
        verify=not args.no_verify,
        # On GitHub Actions the job log is all that is left of a failing command: show all of it.
        full_output=os.environ.get("GITHUB_ACTIONS") == "true",
        summary=Path(summary) if summary else None,
    )
    _, done = upgrade_pr(args.project, report=args.report, branch=args.branch, settings=settings)
    print(done)
    return EXIT_OK
