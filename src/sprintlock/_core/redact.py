"""Credentials in URLs never reach a message, a log or a report: ``https://user:****@host``."""

from __future__ import annotations

import re

#: ``scheme://user:password@``: the password goes (up to the last ``@`` before the path).
_USER_PASSWORD = re.compile(r"(?P<head>[A-Za-z0-9+.-]*://[^\s/@:]*):(?P<secret>[^\s/]*)@")
#: ``scheme://token@``: a user name alone may be a token (``https://ghp_...@github.com``);
#: ``git@`` (the ssh convention) is no secret.
_TOKEN = re.compile(r"(?P<head>[A-Za-z0-9+.-]*://)(?!git@)(?P<secret>[^\s/:@]+)@")
MASK = "****"


def redact(text: str) -> str:
    """``text`` with the secret part of every URL's credentials replaced by ``****``.

    ``https://user:password@host/...`` becomes ``https://user:****@host/...`` and a
    token alone (``https://TOKEN@host/...``) becomes ``https://****@host/...``; the rest
    of the text is unchanged (an ``ssh://git@host`` user name is no secret).
    Any scheme counts, even a misspelt one: the text is shown to people, not parsed.
    """
    if "@" not in text:
        return text
    text = _USER_PASSWORD.sub(lambda m: f"{m['head']}:{MASK}@", text)
    return _TOKEN.sub(lambda m: f"{m['head']}{MASK}@", text)
