"""Each layer read from the staged ``uv.lock``: its closure with markers, hashes and parents,
or no answer where the graph cannot say what ``uv export`` would write.

The comparison with uv's own export on real locks is in ``tests/e2e/test_e2e_python_split.py``.
"""

from __future__ import annotations

import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sprintlock._lock.lockfile import make_pin
from sprintlock._lock.resolvers.uvgraph import LockGraph, _hashes, loads, read_graph

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

HASH = "sha256:" + "a" * 64
HASH2 = "sha256:" + "b" * 64
UPLOADED = "2025-01-01T00:00:00Z"


def package(name: str, version: str, *tables: str, source: str = '{ registry = "https://pypi.org/simple" }') -> str:
    return "\n".join(
        [
            "[[package]]",
            f'name = "{name}"',
            f'version = "{version}"',
            f"source = {source}",
            f'sdist = {{ url = "https://f/{name}.tar.gz", hash = "{HASH2}", size = 10 }}',
            "wheels = [",
            f'    {{ url = "https://f/{name}.whl", hash = "{HASH}", size = 1, upload-time = "{UPLOADED}" }},',
            "]",
            *tables,
            "",
        ]
    )


def staged(groups: str, *packages: str) -> str:
    root = "\n".join(
        [
            "[[package]]",
            'name = "sprintlock-layers"',
            'version = "0"',
            'source = { virtual = "." }',
            "",
            "[package.dev-dependencies]",
            groups,
            "",
        ]
    )
    return "\n".join(["version = 1", "revision = 3", 'requires-python = ">=3.10"', "", *packages, root])


def graph_of(text: str) -> LockGraph:
    """The graph of a staged lock whose lowest target is Python 3.10 (it must be readable)."""
    graph = read_graph(text, "sprintlock-layers", "3.10")
    assert graph is not None
    return graph


SIMPLE = staged(
    'tests = [{ name = "pytest" }, { name = "coverage", extra = ["toml"] }]\nlint = [{ name = "ruff" }]',
    package(
        "pytest",
        "8.0",
        "dependencies = [",
        '    { name = "colorama", marker = "sys_platform == \'win32\'" },',
        '    { name = "tomli", marker = "python_full_version < \'3.11\'" },',
        '    { name = "pluggy" },',
        "]",
    ),
    package("pluggy", "1.5", 'dependencies = [{ name = "pytest" }]'),  # a cycle
    package("colorama", "0.4.6"),
    package("tomli", "2.0"),
    package("ruff", "0.5"),
    package(
        "coverage",
        "7.0",
        "",
        "[package.optional-dependencies]",
        "toml = [",
        '    { name = "tomli", marker = "python_full_version <= \'3.11\'" },',
        "]",
    ),
)


def test_a_layer_is_its_closure_with_markers_hashes_and_parents() -> None:
    graph = graph_of(SIMPLE)
    hashes = (HASH, HASH2)
    assert graph.pins("tests", hashes=True) == (
        make_pin("colorama", "0.4.6", "sys_platform == 'win32'", hashes, ["pytest"]),
        make_pin("coverage", "7.0", None, hashes),
        make_pin("pluggy", "1.5", None, hashes, ["pytest"]),
        make_pin("pytest", "8.0", None, hashes, ["pluggy"]),
        # pytest needs it before 3.11, coverage[toml] up to 3.11.0: the wider, one of the lock's markers.
        make_pin("tomli", "2.0", "python_full_version <= '3.11'", hashes, ["coverage", "pytest"]),
    )
    assert graph.pins("lint", hashes=False) == (make_pin("ruff", "0.5"),)
    assert graph.pins("docs", hashes=True) is None  # no such group


def test_an_extra_not_asked_for_brings_nothing() -> None:
    text = SIMPLE.replace('{ name = "coverage", extra = ["toml"] }', '{ name = "coverage" }')
    text = text.replace('{ name = "tomli", marker = "python_full_version < \'3.11\'" },', "")
    graph = graph_of(text)
    pins = graph.pins("tests", hashes=False)
    assert pins is not None
    assert "tomli" not in {pin.name for pin in pins}


def test_where_no_marker_of_the_lock_means_the_union_there_is_no_answer() -> None:
    text = SIMPLE.replace("python_full_version <= '3.11'", "os_name == 'nt'")
    graph = graph_of(text)
    assert graph.pins("tests", hashes=True) is None  # tomli: before 3.11, or on nt
    assert graph.pins("lint", hashes=True) is not None


def test_a_path_where_markers_contradict_installs_nothing() -> None:
    text = SIMPLE.replace('{ name = "pluggy" }', '{ name = "pluggy", marker = "sys_platform == \'win32\'" }')
    text = text.replace(
        'dependencies = [{ name = "pytest" }]',
        'dependencies = [{ name = "ruff", marker = "sys_platform == \'linux\'" }]',
    )
    graph = graph_of(text)
    pins = graph.pins("tests", hashes=False)
    assert pins is not None
    assert "ruff" not in {pin.name for pin in pins}


def test_a_package_not_from_an_index_is_no_answer() -> None:
    text = SIMPLE.replace(
        package("ruff", "0.5"), package("ruff", "0.5", source='{ path = "../ruff-0.5-py3-none-any.whl" }')
    )
    graph = graph_of(text)
    assert graph.pins("lint", hashes=True) is None
    assert graph.pins("tests", hashes=True) is not None


def test_two_markers_that_mean_the_same_are_no_answer() -> None:
    # uv writes one form for one meaning; a lock with two cannot tell which it would export.
    text = SIMPLE.replace("python_full_version <= '3.11'", "python_version < '3.11'")
    graph = graph_of(text)
    assert graph.pins("tests", hashes=True) is None


def test_a_lock_it_cannot_read_gives_no_graph() -> None:
    assert read_graph("version = [", "sprintlock-layers", "3.10") is None
    ambiguous = SIMPLE + "\n" + package("tomli", "2.1")  # two tomli: an edge without a version names neither
    assert read_graph(ambiguous, "sprintlock-layers", "3.10") is None
    assert read_graph(SIMPLE + "\n" + package("tomli", "2.0"), "sprintlock-layers", "3.10") is None  # twice


def test_split_packages_are_told_apart_by_version() -> None:
    text = staged(
        'docs = [{ name = "rich" }]',
        package(
            "rich",
            "13.0",
            "dependencies = [",
            '    { name = "mdparse", version = "2.2", source = { registry = "https://pypi.org/simple" }, '
            "marker = \"python_full_version < '3.11'\" },",
            '    { name = "mdparse", version = "3.0", source = { registry = "https://pypi.org/simple" }, '
            "marker = \"python_full_version >= '3.11'\" },",
            "]",
        ),
        package("mdparse", "2.2"),
        package("mdparse", "3.0"),
    )
    graph = graph_of(text)
    pins = graph.pins("docs", hashes=False)
    assert pins is not None
    assert [(pin.name, pin.version, pin.marker) for pin in pins] == [
        ("mdparse", "2.2", 'python_full_version < "3.11"'),
        ("mdparse", "3.0", 'python_full_version >= "3.11"'),
        ("rich", "13.0", None),
    ]


# loads: the wheels arrays cut to their hashes read as the whole lock does.

wheel_lines = st.lists(
    st.one_of(
        st.builds(
            '    {{ url = "https://f/{}.whl", hash = "sha256:{}", size = {} }},'.format,
            st.text("abc-_.", min_size=1, max_size=8),
            st.text("0123456789abcdef", min_size=1, max_size=64),
            st.integers(0, 10**9),
        ),
        st.builds('    {{ path = "w/{}.whl", hash = "sha256:{}" }},'.format, st.text("xyz", min_size=1), st.just("ff")),
        st.just('    { url = "https://f/nohash.whl", size = 3 },'),  # no hash: the array is left to tomllib
        st.just(
            '    { url = "https://f/x.whl", hash = "sha256:aa" }, { url = "https://f/y.whl", hash = "sha256:bb" },'
        ),
        st.just('    { url = "https://f/}.whl", hash = "sha256:cc" },'),
    ),
    max_size=4,
)


def packages(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data["package"])


@settings(max_examples=200, deadline=None)
@given(st.lists(wheel_lines, min_size=1, max_size=4))
def test_loads_keeps_every_hash(arrays: list[list[str]]) -> None:
    text = "\n".join(
        "\n".join(["[[package]]", f'name = "p{index}"', 'version = "1"', "wheels = [", *wheels, "]", ""])
        for index, wheels in enumerate(arrays)
    )
    full, cut = packages(tomllib.loads(text)), packages(loads(text))
    assert [_hashes(package) for package in cut] == [_hashes(package) for package in full]


def test_loads_cuts_uv_s_arrays() -> None:
    cut = packages(loads(SIMPLE))
    assert all("wheels" not in package for package in cut)  # cut from the text, not read
    assert [_hashes(p) for p in cut] == [_hashes(p) for p in packages(tomllib.loads(SIMPLE))]
