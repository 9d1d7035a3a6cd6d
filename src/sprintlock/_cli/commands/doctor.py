"""``sprintlock doctor``: offline, how far do repositories drift from the standard layout?"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("doctor", help="offline: how far do repositories drift from the standard layout?")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="repositories to check (default: the project)")
    p.add_argument(
        "--json", action="store_true", help="print the findings as JSON, for dashboards (schema sprintlock.doctor/1)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._doctor import doctor

    paths = args.paths or ([Path()] if args.project == Path.cwd() else [args.project])
    report = doctor(paths)
    if args.json:
        from sprintlock._cli.documents import doctor_body, dump

        print(dump("doctor", doctor_body(report)), end="")
    else:
        print(report.text(), end="")
    return EXIT_OK if report.ok else EXIT_PROBLEMS
