"""Colour on a terminal only: ``NO_COLOR`` turns it off, ``FORCE_COLOR`` on (https://no-color.org).

Only the command line colours text, and only the words that carry the verdict: ``error:``
in red, hints dimmed, ``fresh`` and ``up to date`` in green. Piped or redirected output
(CI logs, ``--json``) stays plain.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is not imported: `sprintlock check` answered from its memo paints too
if TYPE_CHECKING:
    from typing import TextIO

RED, GREEN, DIM, BOLD_RED = "31", "32", "2", "1;31"


def enabled(stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream``: a non-empty ``NO_COLOR`` wins, then ``FORCE_COLOR``."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def paint(text: str, code: str, stream: TextIO) -> str:
    """``text`` in the SGR ``code`` when ``stream`` gets colour, else ``text`` itself."""
    return f"\x1b[{code}m{text}\x1b[0m" if text and enabled(stream) else text


def error_text(message: str, stream: TextIO) -> str:
    """``error: MESSAGE`` with ``error:`` in red and the ``hint:`` lines dimmed."""
    lines = [paint(line, DIM, stream) if line.lstrip().startswith("hint:") else line for line in message.split("\n")]
    return f"{paint('error:', BOLD_RED, stream)} " + "\n".join(lines)
