"""``sprintlock upgrade``: move pins to newer versions and write a change report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK
from sprintlock._project.config import load_project

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("upgrade", help="move pins to newer versions and write a change report")
    p.add_argument("packages", nargs="*", metavar="PKG", help="only these packages (default: all)")
    p.add_argument("--report", metavar="FILE", help="write the change report as Markdown")
    p.add_argument("--json", metavar="FILE", help="write the change report as JSON")
    p.add_argument("--pins", action="store_true", help="also refresh pre-commit hook and workflow action pins")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
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


def _write_text(path: Path, text: str) -> None:
    from sprintlock._core.files import write_all

    write_all({path.resolve(): text})
