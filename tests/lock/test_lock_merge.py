"""Merging per-interpreter pip-compile results into one marker-annotated pin list."""

from __future__ import annotations

from sprintlock._lock.lockfile import make_pin
from sprintlock._lock.resolvers.merge import applies, merge


def test_a_pin_without_marker_applies_everywhere() -> None:
    assert applies(make_pin("alpha", "1.0"), "3.9", "windows")


def test_a_pins_own_marker_is_evaluated_for_the_target() -> None:
    colorama = make_pin("colorama", "0.4.6", 'sys_platform == "win32"')
    assert applies(colorama, "3.12", "windows")
    assert not applies(colorama, "3.12", "linux")
    old_only = make_pin("exceptiongroup", "1.2.0", 'python_full_version < "3.11"')
    assert applies(old_only, "3.10", "linux")
    assert not applies(old_only, "3.11", "linux")


def test_merge_marks_what_only_some_pythons_need() -> None:
    results = {
        "3.10": [
            make_pin("alpha", "1.0", via=["-r tests.in"]),
            make_pin("exceptiongroup", "1.2.0", 'python_full_version < "3.11"', via=["pytest"]),
        ],
        "3.11": [make_pin("alpha", "1.0", hashes=["sha256:" + "a" * 64])],
        "3.12": [make_pin("alpha", "2.0"), make_pin("exceptiongroup", "1.2.0", 'python_full_version < "3.11"')],
    }
    merged = {(pin.name, pin.version): pin for pin in merge(results, "linux")}
    assert set(merged) == {("alpha", "1.0"), ("alpha", "2.0"), ("exceptiongroup", "1.2.0")}
    assert merged["alpha", "1.0"].marker == 'python_version < "3.12"'
    assert merged["alpha", "1.0"].hashes == ("sha256:" + "a" * 64,)
    assert merged["alpha", "1.0"].via == ("-r tests.in",)
    assert merged["alpha", "2.0"].marker == 'python_version >= "3.12"'
    # Reported by 3.12 too, but its own marker excludes 3.12: only 3.10 needs it.
    assert merged["exceptiongroup", "1.2.0"].marker == 'python_version < "3.11"'


def test_merge_of_one_python_needs_no_marker_and_is_sorted() -> None:
    merged = merge({"3.12": [make_pin("zeta", "1"), make_pin("Alpha", "2")]}, "macos")
    assert [(p.name, p.marker) for p in merged] == [("alpha", None), ("zeta", None)]


def test_merge_skips_pins_whose_platform_marker_fails_here() -> None:
    results = {"3.12": [make_pin("colorama", "0.4.6", 'sys_platform == "win32"'), make_pin("alpha", "1")]}
    assert [p.name for p in merge(results, "linux")] == ["alpha"]
    assert [p.name for p in merge(results, "windows")] == ["alpha", "colorama"]
