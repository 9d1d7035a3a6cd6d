"""``requirements/*.in`` parsing: requirements, references, line numbers and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sprintlock._core.errors import InputError
from sprintlock._core.text import logical_lines
from sprintlock._lock.infile import InFile, parse_infile

HERE = Path("/project/requirements/tests.in")


def parse(text: str) -> InFile:
    return parse_infile(HERE, root=Path("/project"), text=text)


def test_requirements_references_and_line_numbers() -> None:
    infile = parse("# tools\npytest>=8  # the runner\n\n-r base.in\n--constraint=../constraints.txt\ncoverage[toml]\n")
    assert [(r.name, r.line) for r in infile.requirements] == [("pytest", 2), ("coverage", 6)]
    assert [(r.kind, r.text, r.line) for r in infile.references] == [
        ("-r", "base.in", 4),
        ("-c", "../constraints.txt", 5),
    ]
    assert infile.references[1].path == HERE.parent / "../constraints.txt"
    assert not infile.exact_pins


def test_continuations_join_and_keep_the_first_line_number() -> None:
    infile = parse("alpha \\\n  >=1.0 \\\n  ; python_version < '3.12'\nbeta\n")
    assert [(str(r.requirement), r.line) for r in infile.requirements] == [
        ('alpha>=1.0; python_version < "3.12"', 1),
        ("beta", 4),
    ]


def test_exact_pins_make_a_frozen_layer() -> None:
    assert parse("alpha==1.0\nbeta===2\n").exact_pins
    assert not parse("alpha==1.*\n").exact_pins
    assert not parse("").exact_pins


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("alpha\nnot a requirement!\n", 2, "not a valid requirement"),
        ("demo @ https://example.org/demo.whl\n", 1, "direct references are not supported"),
        ("-e .\n", 1, "unsupported option '-e'"),
        ("--index-url https://example.org\n", 1, "unsupported option '--index-url'"),
        ("-r\n", 1, "-r takes exactly one file name"),
        ("-r a.in b.in\n", 1, "-r takes exactly one file name"),
        ("-r 'unclosed\n", 1, "cannot parse"),
    ],
)
def test_errors_name_the_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse(text)
    assert caught.value.where == f"requirements/tests.in:{line}"


def test_an_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        parse_infile(tmp_path / "missing.in", root=tmp_path)


def test_logical_lines_follow_pip() -> None:
    lines = ["a \\", "  b", "# comment \\", "c \\", "# ends it", "", "d \\"]
    assert list(logical_lines(lines)) == [(0, "a b"), (2, "# comment \\"), (3, "c # ends it"), (5, ""), (6, "d")]


names = st.from_regex(r"[A-Za-z][A-Za-z0-9._-]{0,10}[A-Za-z0-9]|[A-Za-z]", fullmatch=True)
specs = st.sampled_from(["", ">=1.0", "==2.3.1", "<3,>=1", "~=1.4", "!=1.5"])
markers = st.sampled_from(["", ' ; python_version < "3.12"', " ; sys_platform == 'win32'"])
requirement_lines = st.builds(lambda n, s, m: n + s + m, names, specs, markers)


@settings(max_examples=50, deadline=None)
@given(st.lists(requirement_lines, max_size=8), st.booleans())
def test_requirements_round_trip(lines: list[str], continued: bool) -> None:
    """Each requirement written out parses back to the same requirement on its own line."""
    joiner = " \\\n    " if continued else " "
    text = "".join(f"{line.replace(' ; ', joiner + '; ', 1)}  # note\n" for line in lines)
    infile = parse(text)
    assert [str(r.requirement) for r in infile.requirements] == [
        str(parse(line).requirements[0].requirement) for line in lines
    ]
    assert [r.line for r in infile.requirements] == sorted(r.line for r in infile.requirements)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_any_text_parses_or_is_an_input_error(text: str) -> None:
    try:
        infile = parse(text)
    except InputError as exc:
        assert exc.where is not None and exc.where.startswith("requirements/tests.in")
    else:
        assert all(r.line >= 1 for r in infile.requirements)
