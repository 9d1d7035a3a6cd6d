"""``sprintlock dev``: make .venv the dev lock plus the project (editable); install git hooks."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sprintlock._cli.exit_codes import EXIT_OK
from sprintlock._project.config import load_project

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("dev", help="make .venv the dev lock plus the project (editable); install git hooks")
    p.add_argument("--python", metavar="PYTHON", help="the interpreter to create .venv with (default: this one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._env.dev import make_dev_venv

    result = make_dev_venv(load_project(args.project), python=args.python)
    if result.sync.skipped:
        print(f"{result.venv.name}: up to date with the dev lock (stamp matches)")
    else:
        created = "created, " if result.created else ""
        counts = result.sync.counts()
        print(f"{result.venv.name}: {created}synced to the dev lock plus the project, editable ({counts})")
    print("git hooks: installed" if result.hooks else f"git hooks: {result.note}")
    return EXIT_OK
