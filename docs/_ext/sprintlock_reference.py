"""The reference pages generated from the code, as Markdown: no Sphinx here.

``sprintlock_docs`` (the Sphinx extension) renders these into the pages; the tests
(tests/cli/test_cli_docs_reference.py) check them against the code: every command's
``--help``, every ``[tool.sprintlock]`` key.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
from collections.abc import Iterator

from sprintlock._cli.main import COMMANDS, build_parser
from sprintlock._project.config import KEYS

#: The width ``--help`` is rendered at (argparse reads ``COLUMNS``).
WIDTH = 88

#: ``[tool.sprintlock]``: each key's default and meaning. A key of ``config.KEYS`` missing
#: here fails the docs build and the tests.
CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "requirements": ('`"requirements"`', "folder of the `.in` inputs and the `.txt` locks"),
    "resolver": (
        '`"uv"`',
        '`"uv"` (`uv pip compile --universal`) or `"pip-tools"` (the real pip-compile, once per interpreter, merged)',
    ),
    "python": (
        "the CPython minor versions `requires-python` allows",
        "the Python targets every lock must be valid for (and the sessions' Pythons: `sprintlock.nox.pythons()`)",
    ),
    "platforms": ('`["linux", "macos", "windows"]`', "the platform targets every lock must be valid for"),
    "hashes": ("`true`", "sha256 hashes for every file of every pinned release"),
    "project-layers": (
        "every layer but `build`",
        "the layers whose lock also pins the project's `[project] dependencies`",
    ),
    "formats": (
        '`["requirements"]`',
        "the files every layer is written as: `requirements/NAME.txt` always, and with "
        '`["requirements", "pylock"]` also `requirements/pylock.NAME.toml` (PEP 751, see '
        "[pylock files](files.md#pylock-files-pep-751))",
    ),
    "upgrade-cooldown": (
        "none",
        '`lock` and `upgrade` ignore releases uploaded less than this long ago: `"N day(s)"`, `"N week(s)"` '
        'or ISO 8601 `"P7D"`/`"P2W"` (whole days, at least one); an input of every lock; also Dependabot\'s '
        "action cooldown (see the [cooldown how-to](../how-to/cooldown.md))",
    ),
    "upgrade-schedule": (
        '`"monthly"`',
        'when `.github/workflows/upgrade.yml` runs: `"weekly"`, `"monthly"` or a five-field cron line '
        "(written by `sprintlock init`)",
    ),
}


@contextlib.contextmanager
def _columns(width: int) -> Iterator[None]:
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """``sprintlock`` and each of its commands (in ``--help`` order): their parsers."""
    parser = build_parser()
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"sprintlock": parser, **{f"sprintlock {name}": action.choices[name] for name in COMMANDS}}


def help_text(parser: argparse.ArgumentParser) -> str:
    """``--help`` as the command prints it, at :data:`WIDTH` columns, without colour."""
    with _columns(WIDTH):
        if hasattr(parser, "color"):  # Python 3.14: no escape codes in the docs
            parser.color = False
        out = io.StringIO()
        parser.print_help(out)
    return out.getvalue()


def cli_markdown() -> str:
    """One section per command: its ``--help``."""
    parts = []
    for name, parser in command_parsers().items():
        parts += [f"### `{name}`", "", "```text", help_text(parser).rstrip("\n"), "```", ""]
    return "\n".join(parts)


def missing_config_keys() -> list[str]:
    return [key for key in KEYS if key not in CONFIG_KEYS]


def config_markdown() -> str:
    """The table of ``[tool.sprintlock]`` keys, in the order the code knows them."""
    rows = ["| key | default | meaning |", "| --- | --- | --- |"]
    for key in KEYS:
        default, meaning = CONFIG_KEYS.get(key, ("?", "**not documented yet**"))
        rows.append(f"| `{key}` | {default} | {meaning} |")
    return "\n".join(rows) + "\n"
