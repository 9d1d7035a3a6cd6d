"""The words of a lock's header, shared by its writer (:mod:`sprintlock._lock.lockfile`) and
the check that reads headers alone (:mod:`sprintlock._lock.headercheck`).

Light on purpose: only :mod:`hashlib` and :mod:`re` are imported, so that ``sprintlock check`` can read
headers without loading :mod:`packaging` or :mod:`dataclasses`.
"""

from __future__ import annotations

import hashlib
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

#: The version of the lock format, written in every header (``# sprintlock-format: 1``).
FORMAT_VERSION = "1"
#: The header keys every sprintlock lock has.
REQUIRED_KEYS = ("sprintlock-format", "resolver", "hashes", "targets", "covers", "fingerprint", "body")
#: The input label of ``[project] dependencies`` (in the locks of the layers that include the project).
PROJECT_LABEL = "pyproject.toml [project] dependencies"
#: The cooldown is an input: its value (never the moving cutoff it gives), so ``check`` sees it change.
COOLDOWN_LABEL = "pyproject.toml [tool.sprintlock] upgrade-cooldown"
_KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz-")


def digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def options_text(resolver: str, hashes: bool) -> str:
    return f"resolver={resolver} hashes={'true' if hashes else 'false'}"


def fingerprint(lock_format: str, options: str, targets: str, inputs: Iterable[tuple[str, str]]) -> str:
    """The fingerprint of a header's fields: what ``check`` compares to see it was not edited."""
    parts = [f"format {lock_format}", f"options {options}", f"targets {targets}"]
    parts += [f"input {label} {value}" for label, value in inputs]
    return "sha256:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


#: A pylock file's own digest line (``body = "sha256:..."``), written after its other content.
PYLOCK_BODY_LINE = re.compile(r'^body = "(sha256:[0-9a-f]{64})"$', re.MULTILINE)


def pylock_name(layer: str) -> str:
    """``pylock.LAYER.toml``: PEP 751 names may not hold a dot, so ``py3.12`` is ``py3-12``."""
    return f"pylock.{layer.replace('.', '-')}.toml"


def pylock_digest(text: str) -> str:
    """The digest of a pylock file's text without its own ``body = ...`` line."""
    return "sha256:" + hashlib.sha256(PYLOCK_BODY_LINE.sub("", text).encode()).hexdigest()


def split_body(text: str) -> tuple[str, str]:
    """``(header, body)``: the header is every line up to the first non-comment line."""
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines) and lines[index].startswith("#"):
        index += 1
    return "".join(lines[:index]), "".join(lines[index:])


def header_fields(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The ``# key: value`` lines of a lock's header: the fields, and the ``input`` lines in order."""
    meta: dict[str, str] = {}
    inputs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, colon, value = line[2:].partition(": ")
        if not (line.startswith("# ") and colon and key and all(c in _KEY_CHARACTERS for c in key)):
            continue
        if key == "input":
            label, _, value_digest = value.rpartition(" ")
            inputs.append((label, value_digest))
        else:
            meta[key] = value
    return meta, inputs
