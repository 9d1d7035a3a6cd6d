"""``sprintlock upgrade``: move pins to newer versions and write a change report.

Everything is prepared first (the report paths checked, the locks compiled, the pins
refreshed in memory); then the locks, the pins and the reports are written in one
transaction, while this run is the project's one writer.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK
from sprintlock._project.config import load_project

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers
    from sprintlock._lock.report import ChangeReport

#: ``--json`` without a file name (or ``--json -``): the document goes to standard output.
STDOUT = "-"


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("upgrade", help="move pins to newer versions and write a change report")
    p.add_argument("packages", nargs="*", metavar="PKG", help="only these packages (default: all)")
    p.add_argument("--report", metavar="FILE", help="write the change report as Markdown")
    p.add_argument(
        "--json",
        nargs="?",
        const=STDOUT,
        metavar="FILE",
        help="write the change report as JSON (schema sprintlock.upgrade/1) to FILE, or to standard output "
        "without FILE (the summary then goes to standard error); name packages before --json",
    )
    p.add_argument("--pins", action="store_true", help="also refresh pre-commit hook and workflow action pins")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._core.filelock import project_writer
    from sprintlock._core.transaction import check_writable
    from sprintlock._lock.upgrade import prepare_upgrade

    project = load_project(args.project)
    to_stdout = args.json == STDOUT
    json_file = None if to_stdout else args.json
    reports = {Path(name).resolve(): kind for name, kind in ((args.report, "md"), (json_file, "json")) if name}
    for path in reports:
        check_writable(path)  # before any lock is compiled: a bad report path changes nothing
    with project_writer(project.root):
        prepared, report = prepare_upgrade(project, args.packages)
        files: dict[Path, str] = {}
        if args.pins:
            from sprintlock._ci.refresh_pins import prepare_pins

            refresh = prepare_pins(project.root)
            report = dataclasses.replace(report, pins=refresh.pins, notes=(*report.notes, *refresh.notes))
            files.update(refresh.files)
        files.update({path: _render(report, kind) for path, kind in reports.items()})
        prepared.commit(files)
    text = sys.stderr if to_stdout else sys.stdout
    print(report.summary(), file=text)
    for note in report.notes:
        print(f"note: {note}", file=text)
    if to_stdout:
        print(_render(report, "json"), end="")
    return EXIT_OK


def _render(report: ChangeReport, kind: str) -> str:
    from sprintlock._cli.documents import dump, upgrade_body

    return report.markdown() if kind == "md" else dump("upgrade", upgrade_body(report))
