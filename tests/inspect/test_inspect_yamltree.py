"""The YAML tree: values as written, 1-based lines, comments after scalars, errors with their line."""

from __future__ import annotations

import pytest

from sprintlock._inspect.yamltree import Node, YamlError, parse_yaml

WORKFLOW = """\
name: tests  # the name
on: [push]
jobs:
  tests:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.10", 3.10, '3.12']
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
      - name: "a # not a comment"
        run: |
          nox -s tests
          echo done
      - run: >
          folded
      - run: plain
"""


def test_lines_and_structure() -> None:
    root = parse_yaml(WORKFLOW)
    assert (root.kind, root.line) == ("map", 1)
    assert [key for key, _ in root.mapping()] == ["name", "on", "jobs"]
    job = root.child("jobs", "tests")
    assert job is not None and job.line == 5
    python = job.child("strategy", "matrix", "python")
    assert python is not None and python.kind == "seq"
    assert [(item.value, item.line) for item in python.sequence()] == [("3.10", 8), ("3.10", 8), ("3.12", 8)]
    steps = job.get("steps")
    assert steps is not None
    assert [step.line for step in steps.sequence()] == [10, 11, 15, 17]


def test_values_stay_as_written() -> None:
    root = parse_yaml("a: 3.10\nb: true\nc: null\nd: 010\n")
    assert [(key, node.scalar()) for key, node in root.mapping()] == [
        ("a", "3.10"),
        ("b", "true"),
        ("c", "null"),
        ("d", "010"),
    ]


def test_comment_after_a_scalar() -> None:
    root = parse_yaml(WORKFLOW)
    name = root.get("name")
    assert name is not None and (name.value, name.comment) == ("tests", "the name")
    steps = root.child("jobs", "tests", "steps")
    assert steps is not None
    uses, named, *_ = steps.sequence()
    checkout = uses.get("uses")
    assert checkout is not None and checkout.comment == "v4.2.2"
    label = named.get("name")
    assert label is not None and (label.value, label.comment) == ("a # not a comment", "")


def test_block_scalars() -> None:
    steps = parse_yaml(WORKFLOW).child("jobs", "tests", "steps")
    assert steps is not None
    runs = [step.get("run") for step in steps.sequence()[1:]]
    assert [(run.style, run.line, run.text_line) for run in runs if run is not None] == [
        ("|", 12, 13),
        (">", 15, 16),
        ("", 17, 17),
    ]
    first = runs[0]
    assert first is not None and first.value == "nox -s tests\necho done\n"


def test_accessors_on_the_wrong_kind() -> None:
    scalar = Node("scalar", 1, value="x")
    assert list(scalar.mapping()) == []
    assert scalar.sequence() == ()
    assert scalar.child("a") is None
    assert Node("seq", 1).scalar() is None
    root = parse_yaml("a: [1]\n")
    assert root.child("a", "b") is None
    assert root.get("missing") is None


def test_empty_document_is_an_empty_mapping() -> None:
    assert parse_yaml("") == Node("map", 1)
    assert parse_yaml("# only a comment\n") == Node("map", 1)


def test_tags_are_not_constructed() -> None:
    root = parse_yaml("a: !!python/object/apply:os.system ['echo hi']\n")
    node = root.get("a")
    assert node is not None and node.kind == "seq"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: [1, 2\nb: 3\n", 2),
        ("a: 1\n  b: 2\n", 2),
        ("a: b: c\n", 1),
        ("ok: 1\nlist:\n  - a\n  b: c\n", 4),
    ],
)
def test_invalid_yaml_has_its_line(text: str, line: int) -> None:
    with pytest.raises(YamlError, match=r"^not valid YAML: ") as raised:
        parse_yaml(text)
    assert raised.value.line == line


def test_deep_nesting_is_cut_off() -> None:
    root = parse_yaml("a: " + "[" * 150 + "]" * 150 + "\n")
    node = root.get("a")
    depth = 0
    while node is not None and node.kind == "seq" and node.items:
        node, depth = node.items[0], depth + 1
    assert node is not None and node.kind == "scalar" and depth == 100
