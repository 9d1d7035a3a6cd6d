"""The one reader of ``pyproject.toml``: its text and its data, or one clear error."""

from __future__ import annotations

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
        at = location(path, _error_line(text, exc), root=root)
        raise ConfigError(f"invalid TOML: {exc}", where=at, hint=f"fix the syntax error in {NAME}") from exc


def _error_line(text: str, exc: ValueError) -> int | None:
    """The line of a syntax error: tomllib's ``lineno`` (Python 3.14, tomli 2.2), else tomlkit's."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    from tomlkit import parse
    from tomlkit.exceptions import ParseError, TOMLKitError

    try:
        parse(text)
    except ParseError as error:
        return error.line
    except TOMLKitError:
        return None
    return None  # tomlkit reads what tomllib refused: no line to show


#: Put before a key while the document is rendered, to find the line the key is on (a NUL:
#: valid TOML never holds one, not even in a string or a comment).
_MARK = "\x00"


def key_line(text: str, path: tuple[str, ...]) -> int | None:
    """The line of the deepest key of ``path`` that ``text`` has (for error messages), else None.

    tomlkit parses the document with its formatting; the line is where the key (or its table
    header) is written, however it is spelled: ``[tool.sprintlock]`` then ``python = ...``,
    ``tool.sprintlock.python = ...`` at the top, ``sprintlock = {python = ...}`` in ``[tool]``,
    tables out of order. Only error messages need it: tomlkit is imported here, never on the
    paths that read the configuration.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text)
    except TOMLKitError:
        return None
    found: list[object] = []
    node: object = document
    for key in path:
        try:
            node = _child(node, key)
        except (KeyError, TypeError, IndexError, TOMLKitError):
            break
        found.append(node)
    for item in reversed(found):
        line = _marked_line(document, item)
        if line is not None:
            return line
    return None


def _child(node: object, key: str) -> object:
    """``node[key]`` as tomlkit's item (indexing gives plain ``bool`` values, which have no formatting)."""
    from tomlkit.container import Container
    from tomlkit.items import AbstractTable

    if isinstance(node, (Container, AbstractTable)):
        return node.item(key)
    return node[key]  # type: ignore[index]  # tables split across the file (a proxy): tables and values


def _marked_line(document: object, item: object, depth: int = 0) -> int | None:
    """The line ``item`` starts on in the rendered ``document`` (found by a mark put before it)."""
    from tomlkit.container import Container, OutOfOrderTableProxy
    from tomlkit.items import AoT, Item
    from tomlkit.items import Table as TomlTable

    if isinstance(item, OutOfOrderTableProxy):  # a table written in parts: its first part's first key
        return next(filter(None, (_marked_line(document, _child(item, key), depth + 1) for key in item)), None)
    if not isinstance(item, Item) or not isinstance(document, Container) or depth > 20:
        return None
    indent = item.trivia.indent
    item.trivia.indent = _MARK + indent
    try:
        rendered = document.as_string()
    finally:
        item.trivia.indent = indent
    if _MARK in rendered:
        return rendered.count("\n", 0, rendered.index(_MARK)) + 1
    # A table with no header of its own: its first key or subtable; an array of tables: its first table.
    children = item.value.values() if isinstance(item, TomlTable) else item.body if isinstance(item, AoT) else ()
    return next(filter(None, (_marked_line(document, child, depth + 1) for child in children)), None)
