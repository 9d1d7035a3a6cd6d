"""The one reader of ``pyproject.toml``: its text and its data, or one clear error."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from sprintlock._core.errors import ConfigError, location
from sprintlock._project.layout import PYPROJECT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

#: A TOML table as parsed: values are checked where they are used.
Table = dict[str, object]

NAME = PYPROJECT


def read_pyproject(root: Path, *, required: bool = True) -> tuple[str, Table]:
    """``root/pyproject.toml``'s text and data.

    A missing file is a :class:`ConfigError` when ``required``, else empty text and data.
    A file that cannot be read, is not UTF-8 or is not valid TOML is always an error.
    """
    path = root / NAME
    where = location(path, root=root)
    if path.exists() and not path.is_file():
        raise ConfigError(
            "not a regular file",
            where=where,
            hint=f"replace it with the project's {NAME} (a TOML file)",
        )
    if not path.is_file():
        if not required:
            return "", {}
        raise ConfigError(
            f"no {NAME}",
            where=where,
            hint="run `sprintlock init` at the root of a project with a pyproject.toml and a [project] table",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            where=where,
            hint=f"save {NAME} as UTF-8, the encoding TOML requires",
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read: {exc.strerror}",
            where=where,
            hint=f"check that {NAME} is a readable file",
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        at = location(path, int(found.group(1)), root=root) if found else where
        raise ConfigError(f"invalid TOML: {exc}", where=at, hint=f"fix the syntax error in {NAME}") from exc
