"""``_core/markers``: the one place that builds marker environments for targets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sprintlock._core.known import PLATFORMS
from sprintlock._core.markers import PLATFORM_MARKERS, SYS_PLATFORM, environment, environments, evaluate
from sprintlock._project.targets import KNOWN_PYTHONS, Targets, python_marker, sort_versions


def test_an_environment_names_the_python_and_the_platform() -> None:
    env = environment("3.12", "windows", 99)
    assert env["python_version"] == "3.12"
    assert env["python_full_version"] == "3.12.99"
    assert (env["sys_platform"], env["platform_system"], env["os_name"]) == ("win32", "Windows", "nt")
    assert env["implementation_name"] == "cpython"


def test_an_unknown_platform_is_its_own_sys_platform() -> None:
    assert environment("3.12", "freebsd14")["sys_platform"] == "freebsd14"


def test_environments_sample_each_python_twice_on_each_platform() -> None:
    envs = environments(("3.10", "3.11"), PLATFORMS)
    assert len(envs) == 2 * 2 * 3
    assert {(e["python_full_version"], e["sys_platform"]) for e in envs} >= {("3.10.0", "darwin"), ("3.11.99", "win32")}
    assert Targets(("3.10", "3.11"), PLATFORMS).environments() == envs


def test_sys_platform_table() -> None:
    assert SYS_PLATFORM == {"linux": "linux", "macos": "darwin", "windows": "win32"}


@pytest.mark.parametrize(
    ("marker", "python", "platform", "expected"),
    [
        (None, "3.9", "linux", True),
        ('python_full_version < "3.11"', "3.10", "linux", True),
        ('python_full_version < "3.11"', "3.11", "linux", False),
        ('sys_platform == "win32"', "3.12", "windows", True),
        ('sys_platform == "win32"', "3.12", "macos", False),
        ('extra == "docs"', "3.12", "linux", False),  # no extra is ever active in a lock
        ('platform_system == "Darwin" and python_version >= "3.12"', "3.13", "macos", True),
    ],
)
def test_evaluate(marker: str | None, python: str, platform: str, expected: bool) -> None:
    assert evaluate(marker, environment(python, platform)) is expected


subsets = st.lists(st.sampled_from(KNOWN_PYTHONS), min_size=1, unique=True).flatmap(
    lambda all_versions: st.tuples(
        st.just(all_versions), st.lists(st.sampled_from(all_versions), min_size=1, unique=True)
    )
)


@settings(max_examples=60, deadline=None)
@given(subsets)
def test_python_marker_selects_exactly_the_chosen_versions_in_every_environment(
    case: tuple[list[str], list[str]],
) -> None:
    all_versions, chosen = case
    marker = python_marker(chosen, all_versions)
    for env in environments(sort_versions(all_versions), PLATFORMS):
        assert evaluate(marker, env) is (env["python_version"] in chosen), (marker, env)


def test_every_known_platform_has_its_marker_values_in_the_order_locks_list_them() -> None:
    assert tuple(PLATFORM_MARKERS) == PLATFORMS
