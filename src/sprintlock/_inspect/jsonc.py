"""``devcontainer.json`` is JSON with comments (JSONC): read and edited with json-five.

json-five parses JSON5 (a superset of JSONC: comments, trailing commas) into a model that
keeps every token's position. Reading gives plain values (:func:`parse_jsonc`); editing
(:func:`edit_jsonc`) changes the text only where a member is set, added or removed, so the
user's comments, order, indentation and trailing commas stay as they were. Each edit is
checked by reading the result back: it must hold exactly the values asked for.

json-five is imported inside the functions: doctor and init load it, ``sprintlock check``
and the noxfile API never do.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from sprintlock._core.errors import JsoncError as JsoncError

if TYPE_CHECKING:
    from json5.model import JSONObject, Node

#: A JSON value as ``json.loads`` returns it.
JsonValue: TypeAlias = dict[str, "JsonValue"] | list["JsonValue"] | str | int | float | bool | None


def _problem(message: str) -> str:
    """json-five's main complaint, without its list of follow-on errors and position."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    main = [line for line in lines if not line.startswith(("There were multiple", "The primary", "Additionally"))]
    return re.sub(r"( in or near token \S+)? at(:.*)?$", "", (main or lines or ["syntax error"])[0])


_SURROGATES = re.compile("[\ud800-\udfff]")


def _joined(text: str) -> str:
    """``text`` with each escaped surrogate pair (``\\ud83d\\ude00``) one character, as ``json.loads`` reads it."""
    if not _SURROGATES.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _plain(value: object) -> JsonValue:
    """json-five's value with the strings ``json.loads`` would give (it leaves surrogate pairs split)."""
    if isinstance(value, str):
        return _joined(value)
    if isinstance(value, dict):
        return {_joined(str(key)): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value  # type: ignore[return-value]  # numbers, booleans, null


def parse_jsonc(text: str) -> JsonValue:
    """The value of a JSON-with-comments document (trailing commas allowed); raises :class:`JsoncError`."""
    import json5

    try:
        return _plain(json5.loads(text))
    except json5.JSON5DecodeError as exc:
        raise JsoncError(f"not valid JSON: {_problem(exc.msg)}", max(exc.lineno, 1)) from None
    except RecursionError:
        raise JsoncError("not valid JSON: nested too deeply", None) from None


#: A member's place: the keys from the root object down to it.
Path: TypeAlias = tuple[str, ...]
#: :func:`edit_jsonc`'s marker for a member to remove.
DELETE = object()


@dataclass(frozen=True)
class _Text:
    """The document being edited, with the offsets of its lines (json-five gives lines and columns)."""

    text: str

    def offset(self, line: int, column: int) -> int:
        starts = [0] + [match.end() for match in re.finditer("\n", self.text)]
        return starts[line - 1] + column

    def start(self, node: Node) -> int:
        # Every node json-five parses has its tokens (only nodes built by hand have none).
        return self.offset(node.lineno or 1, node.col_offset or 0)

    def end(self, node: Node) -> int:
        return self.offset(node.end_lineno or 1, node.end_col_offset or 0)

    def indent_of(self, offset: int) -> str:
        """The whitespace that starts the line ``offset`` is on."""
        line = self.text[self.text.rfind("\n", 0, offset) + 1 :]
        return line[: len(line) - len(line.lstrip(" \t"))]

    def first_on_line(self, offset: int) -> bool:
        return not self.text[self.text.rfind("\n", 0, offset) + 1 : offset].strip()

    def unit(self) -> str:
        """One level of indentation as the file writes it (a tab, or some spaces; else two spaces)."""
        found = re.search(r"^([ \t]+)\S", self.text, re.MULTILINE)
        return found.group(1) if found else "  "


def _key_name(key: object) -> str:
    return str(getattr(key, "characters", getattr(key, "name", "")))


def _member(obj: JSONObject, key: str) -> int | None:
    """The index of ``key`` in ``obj`` (the last one: a repeated key's last value is the one read)."""
    found = [index for index, name in enumerate(obj.keys) if _key_name(name) == key]
    return found[-1] if found else None


def _object_at(root: Node, path: Path) -> JSONObject:
    from json5.model import JSONObject

    node = root
    for key in path:
        index = _member(node, key) if isinstance(node, JSONObject) else None
        if index is None or not isinstance(node, JSONObject):
            raise JsoncError(f"no object at {'.'.join(path)}", None)
        node = node.values[index]
    if not isinstance(node, JSONObject):
        raise JsoncError(f"not an object: {'.'.join(path) or 'the document'}", None)
    return node


def _render(value: object, indent: str, unit: str) -> str:
    """``value`` as JSON to stand at ``indent`` (objects and lists over several lines, as the file indents)."""
    if isinstance(value, (dict, list)) and value:
        return json.dumps(value, indent=unit, ensure_ascii=False).replace("\n", "\n" + indent)
    return json.dumps(value, ensure_ascii=False)


def _delete(doc: _Text, obj: JSONObject, index: int) -> str:
    """The text without member ``index`` of ``obj``: its line(s) when it stands alone there."""
    text = doc.text
    start, end = doc.start(obj.keys[index]), doc.end(obj.values[index])
    after = re.match(r"[ \t]*,?", text[end:])
    end += after.end() if after else 0
    comma = None  # the comma before the last member goes with it, where the file has no trailing comma
    if index == len(obj.keys) - 1 and index > 0 and obj.trailing_comma is None:
        previous = doc.end(obj.values[index - 1])
        found = re.match(r"\s*,", text[previous:start])
        comma = previous + found.end() - 1 if found else None
    if doc.first_on_line(start) and re.match(r"[ \t]*(\r?\n|$)", text[end:]):
        start = text.rfind("\n", 0, start) + 1
        end = text.find("\n", end) + 1 or len(text)
    elif comma is not None:
        start, comma = comma, None  # on one line: {"a": 1, "b": 2} -> {"a": 1}
    text = text[:start] + text[end:]
    return text if comma is None else text[:comma] + text[comma + 1 :]


def _insert(doc: _Text, obj: JSONObject, key: str, value: object) -> str:
    """The text with ``"key": value`` added as the last member of ``obj``."""
    text, unit = doc.text, doc.unit()
    close = doc.end(obj) - 1  # the "}"
    last = doc.end(obj.values[-1]) if obj.values else None
    if obj.keys and doc.first_on_line(doc.start(obj.keys[-1])):
        indent = doc.indent_of(doc.start(obj.keys[-1]))
    else:
        indent = doc.indent_of(doc.start(obj)) + unit
    member = f"{json.dumps(key, ensure_ascii=False)}: {_render(value, indent, unit)}"
    inserts: list[tuple[int, str]] = []
    if doc.first_on_line(close) and (last is None or "\n" in text[last:close]):
        # On a line of its own before the "}" (after any comments above it), trailing comma as the file has it.
        if last is not None and obj.trailing_comma is None:
            inserts.append((last, ","))
        comma = "," if obj.trailing_comma is not None else ""
        inserts.append((text.rfind("\n", 0, close) + 1, f"{indent}{member}{comma}\n"))
    elif last is None:
        inserts.append((close, f"\n{indent}{member}\n{doc.indent_of(doc.start(obj))}"))
    else:
        # On the line of the last member, on one line: {"a": 1, "key": value}
        inserts.append((last, f", {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"))
    for offset, piece in sorted(inserts, reverse=True):
        text = text[:offset] + piece + text[offset:]
    return text


def _edit_one(text: str, path: Path, value: object) -> str:
    from json5.loader import ModelLoader, loads

    try:
        model = loads(text, loader=ModelLoader())
    except ValueError as exc:
        raise JsoncError(f"not valid JSON: {_problem(str(exc))}", None) from None
    doc = _Text(text)
    obj = _object_at(model.value, path[:-1])
    index = _member(obj, path[-1])
    if value is DELETE:
        return _delete(doc, obj, index) if index is not None else text
    if index is None:
        return _insert(doc, obj, path[-1], value)
    old = obj.values[index]
    indent = doc.indent_of(doc.start(obj.keys[index]))
    return text[: doc.start(old)] + _render(value, indent, doc.unit()) + text[doc.end(old) :]


def _expected(data: JsonValue, edits: Sequence[tuple[Path, object]]) -> JsonValue:
    expected = copy.deepcopy(data)
    for path, value in edits:
        parent: Any = expected  # an object at each step: _edit_one has checked it
        for key in path[:-1]:
            parent = parent[key]
        if value is DELETE:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
    result: JsonValue = expected
    return result


def edit_jsonc(text: str, edits: Sequence[tuple[Path, object]]) -> str:
    """``text`` with each member at a path set to a value (added last when missing) or removed (:data:`DELETE`).

    Only the members edited change; everything else stays byte for byte. The parent of each path
    must be an object. Raises :class:`JsoncError` when the text is not JSONC, a parent is missing,
    or the result would not read back as exactly the edited values.
    """
    before = parse_jsonc(text)
    new = text
    for path, value in edits:
        new = _edit_one(new, path, value)
    if parse_jsonc(new) != _expected(before, edits):
        raise JsoncError("the edit could not be made without changing other values", None)
    return new
