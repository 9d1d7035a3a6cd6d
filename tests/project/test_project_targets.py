"""Python and platform targets: requires-python, descriptions, coverage, markers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sprintlock._project.targets import (
    DEFAULT_PYTHONS,
    KNOWN_PYTHONS,
    PLATFORMS,
    Targets,
    python_marker,
    pythons_allowed,
    sort_versions,
)


@pytest.mark.parametrize(
    ("requires_python", "expected"),
    [
        (None, DEFAULT_PYTHONS),
        ("", DEFAULT_PYTHONS),
        (">=3.12", ("3.12", "3.13", "3.14", "3.15")),
        (">=3.9.2,<3.11", ("3.9", "3.10")),
        ("==3.11.*", ("3.11",)),
        ("<3", ()),
    ],
)
def test_pythons_allowed(requires_python: str | None, expected: tuple[str, ...]) -> None:
    assert pythons_allowed(requires_python) == expected


def test_a_malformed_requires_python_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        pythons_allowed(">=three")


def test_versions_sort_numerically() -> None:
    assert sort_versions(["3.10", "3.9", "3.10", "3.13"]) == ("3.9", "3.10", "3.13")


def test_missing_from() -> None:
    wanted = Targets(("3.11", "3.12"), PLATFORMS)
    missing = wanted.missing_from(Targets(("3.12",), ("linux",)))
    assert missing == Targets(("3.11",), ("macos", "windows"))
    assert wanted.missing_from(wanted).empty


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["3.10", "3.11", "3.12"], None),
        (["3.10"], 'python_version < "3.11"'),
        (["3.11", "3.12"], 'python_version >= "3.11"'),
        (["3.11"], 'python_version == "3.11"'),
        (["3.10", "3.12"], 'python_version == "3.10" or python_version == "3.12"'),
    ],
)
def test_python_marker(chosen: list[str], expected: str | None) -> None:
    assert python_marker(chosen, ["3.10", "3.11", "3.12"]) == expected


@pytest.mark.parametrize("text", ["", "python 3.12", "platforms linux; python 3.12", "pythons 3.12; platforms linux"])
def test_parse_rejects_what_describe_never_writes(text: str) -> None:
    with pytest.raises(ValueError):
        Targets.parse(text)


targets = st.builds(
    Targets,
    st.lists(st.sampled_from(KNOWN_PYTHONS), unique=True).map(sort_versions),
    st.lists(st.sampled_from(PLATFORMS), unique=True).map(tuple),
)


@settings(max_examples=50, deadline=None)
@given(targets)
def test_describe_then_parse_round_trips(value: Targets) -> None:
    assert Targets.parse(value.describe()) == value
