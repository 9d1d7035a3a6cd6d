"""Credentials in URLs are masked wherever sprintlock shows text."""

from __future__ import annotations

import pytest

from sprintlock._core.errors import InputError
from sprintlock._core.redact import redact


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://user:hunter2@host/simple", "https://user:****@host/simple"),
        ("see https://user:p@ss@host:8080/x y", "see https://user:****@host:8080/x y"),
        ("git+https://ghp_token@github.com/a/b", "git+https://****@github.com/a/b"),
        ("'https://tok@host/x.whl'", "'https://****@host/x.whl'"),
        ("ssh://git@github.com/a/b", "ssh://git@github.com/a/b"),
        ("https://host/path@v1", "https://host/path@v1"),
        ("write to me@example.org", "write to me@example.org"),
        ("https://user:****@host/", "https://user:****@host/"),
    ],
)
def test_redact(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_user_errors_never_hold_the_secret() -> None:
    error = InputError("bad line 'https://u:hunter2@h/x'", where="a.in:1", hint="see https://u:hunter2@h/")
    assert "hunter2" not in str(error) and "hunter2" not in error.message
