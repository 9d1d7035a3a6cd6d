"""YAML (workflows, pre-commit config) as a small typed tree that keeps line numbers.

PyYAML composes the document (safe loader, nothing is constructed or executed); the
tree below keeps what doctor needs: values as written (``3.10`` stays ``"3.10"``),
1-based lines, and the comment that follows a scalar on its line (``# v4.2.2``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol, cast

from sprintlock._core.errors import YamlError as YamlError

NodeKind = Literal["map", "seq", "scalar"]
#: A block scalar's indicator (``|`` literal, ``>`` folded), or "" for any other scalar.
ScalarStyle = Literal["|", ">", ""]


@dataclass(frozen=True)
class Node:
    """A mapping, a sequence or a scalar, with the line it starts on (1-based)."""

    kind: NodeKind
    line: int
    value: str = ""
    items: tuple[Node, ...] = ()
    pairs: tuple[tuple[Node, Node], ...] = ()
    #: For a scalar: the comment after it on its last line (``# v4.2.2``), else "".
    comment: str = ""
    #: For a scalar: "|" or ">" for block scalars (their text starts on the next line).
    style: ScalarStyle = field(default="")
    #: The 0-based column the node starts at (for a sequence item: after its ``- ``).
    column: int = 0
    #: Where its text ends: (0-based line, 0-based column) just after its last character; for a
    #: block collection, the end of its last item (comments and blank lines after it are not its own).
    end: tuple[int, int] = (0, 0)
    #: For a mapping or sequence: written in flow style (``[a, b]``, ``{a: b}``).
    flow: bool = False

    def get(self, key: str) -> Node | None:
        for name, value in self.pairs:
            if name.value == key:
                return value
        return None

    def child(self, *keys: str) -> Node | None:
        node: Node | None = self
        for key in keys:
            node = node.get(key) if node is not None and node.kind == "map" else None
        return node

    def mapping(self) -> Iterator[tuple[str, Node]]:
        if self.kind == "map":
            for name, value in self.pairs:
                yield name.value, value

    def sequence(self) -> tuple[Node, ...]:
        return self.items if self.kind == "seq" else ()

    def scalar(self) -> str | None:
        return self.value if self.kind == "scalar" else None

    @property
    def text_line(self) -> int:
        """The line the text of a scalar starts on (after a ``|`` or ``>`` indicator)."""
        return self.line + 1 if self.style else self.line


class _Mark(Protocol):
    line: int
    column: int


class _Composed(Protocol):
    """What PyYAML composes (``yaml.nodes.Node``), as far as it is read here.

    ``value`` is a list of ``(key, value)`` node pairs for a mapping, a list of nodes for a
    sequence and the text for a scalar; ``id`` says which.
    """

    id: str
    value: object
    style: str | None
    flow_style: bool | None
    start_mark: _Mark
    end_mark: _Mark


def _comment(lines: list[str], node: _Composed) -> str:
    end = node.end_mark
    if end.line >= len(lines):
        return ""
    rest = lines[end.line][end.column :].strip()
    return rest[1:].strip() if rest.startswith("#") else ""


def _end(node: _Composed, children: tuple[Node, ...]) -> tuple[int, int]:
    """Where a node's own text ends (a block collection's composed end is the next token's start)."""
    if node.id == "scalar" or node.flow_style or not children:
        return node.end_mark.line, node.end_mark.column
    return children[-1].end


def _convert(node: _Composed, lines: list[str], depth: int = 0) -> Node:
    line, column = node.start_mark.line + 1, node.start_mark.column
    if depth > 100:
        return Node("scalar", line, column=column, end=(node.end_mark.line, node.end_mark.column))
    flow = bool(getattr(node, "flow_style", False))
    if node.id == "mapping":
        pairs = cast("list[tuple[_Composed, _Composed]]", node.value)
        converted = tuple((_convert(k, lines, depth + 1), _convert(v, lines, depth + 1)) for k, v in pairs)
        end = _end(node, tuple(value for _, value in converted))
        return Node("map", line, pairs=converted, column=column, end=end, flow=flow)
    if node.id == "sequence":
        items = tuple(_convert(item, lines, depth + 1) for item in cast("list[_Composed]", node.value))
        return Node("seq", line, items=items, column=column, end=_end(node, items), flow=flow)
    style: ScalarStyle = "|" if node.style == "|" else ">" if node.style == ">" else ""
    end = _end(node, ())
    return Node(
        "scalar", line, value=str(node.value), comment=_comment(lines, node), style=style, column=column, end=end
    )


def parse_yaml(text: str) -> Node:
    """The document's root (an empty mapping for an empty file); raises :class:`YamlError`."""
    # Imported here: `import sprintlock` (and sprintlock.nox in a noxfile) does not need PyYAML.
    import yaml  # type: ignore[import-untyped, unused-ignore]  # no stubs in the locked environment

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(f"not valid YAML: {problem}", mark.line + 1 if mark is not None else None) from None
    if root is None:
        return Node("map", 1)
    return _convert(root, text.splitlines())
