"""Markers as sets of sampled environments: the sample never calls two markers equal, or a
marker true (or false) everywhere, unless it is so on every real environment."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.markers import Marker

from sprintlock._lock.resolvers.markerspace import LIMIT, Space

LOWEST = "3.10"
VERSIONS = [f"3.{minor}" for minor in range(8, 16)] + [
    f"3.{minor}.{patch}" for minor in (10, 11, 12) for patch in (0, 1, 2)
]
PLATFORMS = ("win32", "linux", "darwin")
IMPLEMENTATIONS = ("CPython", "PyPy")
#: Real environments from the lowest Python up: every patch that matters, on each platform.
GRID = [
    {
        "python_full_version": f"3.{minor}.{patch}",
        "python_version": f"3.{minor}",
        "sys_platform": platform,
        "platform_python_implementation": implementation,
        "extra": "",
    }
    for minor in range(10, 17)
    for patch in range(4)
    for platform in (*PLATFORMS, "cygwin")
    for implementation in (*IMPLEMENTATIONS, "GraalVM")
]

atoms = st.one_of(
    st.builds(
        "{} {} '{}'".format,
        st.sampled_from(("python_full_version", "python_version")),
        st.sampled_from(("<", "<=", ">", ">=", "==", "!=")),
        st.sampled_from(VERSIONS),
    ),
    st.builds("python_full_version {} '{}.*'".format, st.sampled_from(("==", "!=")), st.sampled_from(VERSIONS)),
    st.builds("sys_platform {} '{}'".format, st.sampled_from(("==", "!=")), st.sampled_from(PLATFORMS)),
    st.builds(
        "platform_python_implementation {} '{}'".format, st.sampled_from(("==", "!=")), st.sampled_from(IMPLEMENTATIONS)
    ),
)
markers = st.recursive(
    atoms,
    lambda inner: st.builds("({}) {} ({})".format, inner, st.sampled_from(("and", "or")), inner),
    max_leaves=4,
)


def truth(text: str) -> list[bool]:
    marker = Marker(text)
    return [marker.evaluate(environment) for environment in GRID]


@settings(max_examples=300, deadline=None)
@given(markers, markers)
def test_markers_the_sample_calls_equal_are_equal_everywhere(first: str, second: str) -> None:
    space = Space([first, second], LOWEST)
    assert space.readable(first) and space.readable(second)
    if space.of(first) == space.of(second):
        assert truth(first) == truth(second)
    if space.of(first) == space.everywhere:
        assert all(truth(first))
    if space.of(first) == 0:
        assert not any(truth(first))


@settings(max_examples=200, deadline=None)
@given(markers, markers)
def test_and_is_intersection_and_or_is_union(first: str, second: str) -> None:
    both, either = f"({first}) and ({second})", f"({first}) or ({second})"
    space = Space([first, second, both, either], LOWEST)
    assert space.of(both) == space.of(first) & space.of(second)
    assert space.of(either) == space.of(first) | space.of(second)


def test_versions_below_the_lowest_python_are_not_sampled() -> None:
    space = Space(["python_full_version < '3.10'", "python_full_version >= '3.10'"], LOWEST)
    assert space.of("python_full_version < '3.10'") == 0
    assert space.of("python_full_version >= '3.10'") == space.everywhere


def test_python_version_and_python_full_version_are_one_axis() -> None:
    texts = ["python_version <= '3.11'", "python_full_version < '3.12'", "python_full_version <= '3.11'"]
    space = Space(texts, LOWEST)
    assert space.of(texts[0]) == space.of(texts[1])
    assert space.of(texts[0]) != space.of(texts[2])  # 3.11.1 is not <= 3.11


def test_a_prefix_changes_where_it_ends() -> None:
    texts = ["python_full_version == '3.11.*'", "python_full_version >= '3.11' and python_full_version < '3.12'"]
    space = Space(texts, LOWEST)
    assert space.of(texts[0]) == space.of(texts[1])


@pytest.mark.parametrize(
    "text",
    [
        "'linux' in sys_platform",
        "sys_platform in 'linux darwin'",
        "platform_release >= '5'",
        "python_full_version ~= '3.11'",
        "python_full_version < '3.11.*'",
        "python_full_version < 'next'",
        "extra == 'toml'",
        "implementation_name == 'cpython' or unknown",
    ],
)
def test_forms_the_sample_cannot_read_are_not_readable(text: str) -> None:
    assert not Space([text], LOWEST).readable(text)


def test_a_marker_it_was_not_built_from_is_not_readable() -> None:
    assert not Space(["sys_platform == 'win32'"], LOWEST).readable("sys_platform == 'linux'")


def test_a_sample_too_large_is_not_built() -> None:
    # Each variable compared with 12 values: 13 each, 13 ** 4 environments for each Python.
    variables = ("os_name", "sys_platform", "platform_machine", "implementation_name")
    texts = [f"{variable} == 'v{i}'" for variable, i in itertools.product(variables, range(12))]
    space = Space(texts, LOWEST)
    assert space.size > LIMIT
    assert not space.usable and not space.readable(texts[0])


@pytest.mark.parametrize(
    ("texts", "built", "written"),
    [
        # Pythons from the lowest: no lower bound, as uv writes it (requires-python holds it).
        (["python_full_version < '3.12'"], "python_full_version < '3.12'", "python_full_version < '3.12'"),
        (["python_full_version <= '3.10'"], "python_full_version <= '3.10'", "python_full_version <= '3.10'"),
        (
            ["python_full_version >= '3.11'", "python_full_version < '3.13'"],
            "python_full_version >= '3.11' and python_full_version < '3.13'",
            "python_full_version >= '3.11' and python_full_version < '3.13'",
        ),
        (
            ["python_full_version >= '3.11'", "python_full_version < '3.12'"],
            "python_full_version >= '3.11' and python_full_version < '3.12'",
            "python_full_version == '3.11.*'",
        ),
        (["python_full_version > '3.11'"], "python_full_version > '3.11'", "python_full_version > '3.11'"),
        (["python_full_version == '3.11.2'"], "python_full_version == '3.11.2'", "python_full_version == '3.11.2'"),
        # Then each other variable, in the order of their names: one value, or all but some.
        (
            ["sys_platform == 'win32'", "implementation_name != 'pypy'", "python_full_version >= '3.11'"],
            "sys_platform == 'win32' and python_full_version >= '3.11' and implementation_name != 'pypy'",
            "python_full_version >= '3.11' and implementation_name != 'pypy' and sys_platform == 'win32'",
        ),
        (
            ["sys_platform != 'win32'", "sys_platform != 'emscripten'"],
            "sys_platform != 'win32' and sys_platform != 'emscripten'",
            "sys_platform != 'emscripten' and sys_platform != 'win32'",
        ),
    ],
)
def test_a_set_is_written_as_uv_writes_it(texts: list[str], built: str, written: str) -> None:
    space = Space([*texts, built], LOWEST)
    assert space.describe(space.of(built)) == written


@pytest.mark.parametrize(
    "text",
    [
        "python_full_version < '3.11' or sys_platform == 'win32'",  # an or of two variables
        "python_full_version < '3.11' or python_full_version >= '3.13'",  # two ranges
        "sys_platform == 'win32' or sys_platform == 'cygwin'",  # two values, not all but some
        "(python_full_version < '3.11' and sys_platform == 'win32') or sys_platform == 'linux'",
    ],
)
def test_a_set_that_takes_an_or_is_not_written(text: str) -> None:
    space = Space([text], LOWEST)
    assert space.describe(space.of(text)) is None


@settings(max_examples=200, deadline=None)
@given(markers)
def test_a_written_set_means_the_set(text: str) -> None:
    space = Space([text], LOWEST)
    written = space.describe(space.of(text))
    if written is not None:
        assert truth(written) == truth(text)
