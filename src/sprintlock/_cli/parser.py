"""The argument parser's class (argparse is imported only when a command line is parsed)."""

from __future__ import annotations

import argparse
from typing import NoReturn


class Parser(argparse.ArgumentParser):
    """An argument parser that suggests the closest command for a mistyped one (on every Python)."""

    #: The commands, on the main parser only.
    command_names: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        import re

        from sprintlock._core.suggest import did_you_mean

        typo = re.search(r"invalid choice: '([^']*)'", message)
        if typo and self.command_names and "maybe you meant" not in message:
            message += did_you_mean(typo.group(1), self.command_names)
        super().error(message)
