"""``sprintlock sync``: make an environment hold exactly a lock plus the project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sprintlock._cli.commands import completes_layers
from sprintlock._cli.exit_codes import EXIT_OK
from sprintlock._project.config import load_project

if TYPE_CHECKING:
    from sprintlock._cli.commands import Subparsers


def add_parser(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("sync", help="make an environment hold exactly a lock plus the project")
    completes_layers(p.add_argument("layer", metavar="LAYER", help="the lock to install: requirements/LAYER.txt"))
    p.add_argument("--venv", required=True, metavar="DIR", help="the virtual environment to sync")
    p.add_argument("--no-project", action="store_true", help="do not install the project itself")
    p.add_argument("--editable", action="store_true", help="install the project in editable mode")
    p.add_argument(
        "--verify",
        action="store_true",
        help="re-hash every installed file against what was installed, even when the stamp's quick check passes",
    )
    p.add_argument(
        "--format",
        choices=("requirements", "pylock"),
        default="requirements",
        help="install requirements/LAYER.txt (default) or the same pins from requirements/pylock.LAYER.toml",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON (schema sprintlock.sync/1)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sprintlock._env.sync import sync
    from sprintlock._lock.names import lock_spec

    project = load_project(args.project)
    result = sync(
        project,
        lock_spec(args.layer, args.format),
        Path(args.venv),
        install_project=not args.no_project,
        editable=args.editable,
        verify=args.verify,
    )
    if args.json:
        from sprintlock._cli.documents import dump, sync_body

        print(dump("sync", sync_body(result, layer=args.layer, venv=args.venv)), end="")
    elif result.skipped:
        from sprintlock._cli.style import GREEN, paint

        how = "verified file by file" if result.verified else "stamp matches"
        print(f"{args.venv}: {paint('up to date', GREEN, sys.stdout)} with the {args.layer} lock ({how})")
    else:
        print(f"{args.venv}: synced to the {args.layer} lock ({result.counts()})")
    return EXIT_OK
