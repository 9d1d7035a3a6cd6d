"""``devcontainer.json`` is JSON with comments (JSONC): read it with the standard json module."""

from __future__ import annotations

import json
from typing import TypeAlias

from sprintlock._core.errors import JsoncError as JsoncError

#: A JSON value as ``json.loads`` returns it.
JsonValue: TypeAlias = dict[str, "JsonValue"] | list["JsonValue"] | str | int | float | bool | None


def strip_comments(text: str) -> str:
    """``text`` without ``//`` and ``/* */`` comments outside strings; newlines are kept (lines stay put)."""
    out: list[str] = []
    index, length = 0, len(text)
    in_string = False
    while index < length:
        char = text[index]
        if in_string:
            out.append(char)
            if char == "\\" and index + 1 < length:
                out.append(text[index + 1])
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif text.startswith("//", index):
            end = text.find("\n", index)
            index = length if end == -1 else end
            continue
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            end = length if end == -1 else end + 2
            out.append("\n" * text.count("\n", index, end))
            index = end
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)


def drop_trailing_commas(text: str) -> str:
    """``text`` without commas that close a list or object (``[1, 2,]``), outside strings."""
    out: list[str] = []
    in_string = False
    index = 0
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                out.append(text[index : index + 2])
                index += 2
                continue
            in_string = char != '"'
        elif char == '"':
            in_string = True
        elif char == ",":
            rest = text[index + 1 :].lstrip()
            if rest[:1] in ("]", "}"):
                index += 1
                continue
        out.append(char)
        index += 1
    return "".join(out)


def parse_jsonc(text: str) -> JsonValue:
    """The value of a JSON-with-comments document (trailing commas allowed); raises :class:`JsoncError`."""
    try:
        value: JsonValue = json.loads(drop_trailing_commas(strip_comments(text)))
    except json.JSONDecodeError as exc:
        raise JsoncError(f"not valid JSON: {exc.msg}", exc.lineno) from None
    return value
