"""TOML written by hand where a document is generated whole (a pylock file, uv's staged project)."""

from __future__ import annotations

import json


def toml_string(text: str) -> str:
    """A TOML string: basic (JSON's escapes are TOML's; DEL must be escaped too), or literal
    (``'...'``) when it holds double quotes and can be, so markers read as they are written."""
    if '"' in text and "'" not in text and text.isprintable():
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")
