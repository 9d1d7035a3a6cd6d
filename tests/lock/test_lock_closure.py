"""A layer's lock as the closure of its requirements in the all-layers resolution, and agreement per target."""

from __future__ import annotations

from pathlib import Path

from sprintlock._lock.closure import Roots, closure, reading
from sprintlock._lock.consistency import agree, conflicts, describe
from sprintlock._lock.infile import parse_infile
from sprintlock._lock.layers import Layer
from sprintlock._lock.lockfile import Header, Lock, Pin, make_pin
from sprintlock._project.targets import Targets

OLD = 'python_full_version < "3.10"'
NEW = 'python_full_version >= "3.10"'
UNION = (
    make_pin("richtext", "13.0", via=["-r all.in"]),
    make_pin("mdparse", "2.2.0", OLD, via=["richtext", "mdplugin"]),
    make_pin("mdparse", "3.0.0", NEW, via=["richtext", "mdplugin"]),
    make_pin("mdplugin", "0.4", via=["-r all.in"]),
    make_pin("mdurl", "0.1", NEW, via=["mdparse"]),
    make_pin("testtool", "1.0", via=["-r all.in"]),
    make_pin("colorama", "0.4.6", 'sys_platform == "win32"', ["sha256:aa"], via=["testtool"]),
    make_pin("iniconfig", "2.0", via=["testtool"]),
)


def by_key(pins: tuple[Pin, ...]) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(pin.name, pin.version): pin.via for pin in pins}


def test_the_closure_follows_parents_and_keeps_markers_and_hashes() -> None:
    roots = Roots()
    roots.add(["testtool"], "-r tests.in")
    pins = closure(UNION, roots)
    assert by_key(pins) == {
        ("testtool", "1.0"): ("-r tests.in",),
        ("colorama", "0.4.6"): ("testtool",),
        ("iniconfig", "2.0"): ("testtool",),
    }
    colorama = next(pin for pin in pins if pin.name == "colorama")
    assert (colorama.marker, colorama.hashes) == ('sys_platform == "win32"', ("sha256:aa",))


def test_every_release_split_by_python_is_kept_and_via_names_only_parents_in_the_layer() -> None:
    roots = Roots()
    roots.add(["RichText"], "-r base.in")
    pins = closure(UNION, roots)
    assert by_key(pins) == {
        ("richtext", "13.0"): ("-r base.in",),
        ("mdparse", "2.2.0"): ("richtext",),  # mdplugin needs it too, but not in this layer
        ("mdparse", "3.0.0"): ("richtext",),
        ("mdurl", "0.1"): ("mdparse",),
    }
    assert {pin.marker for pin in pins if pin.name == "mdparse"} == {OLD, NEW}


def test_a_package_asked_for_twice_names_both_inputs() -> None:
    roots = Roots()
    roots.add(["mdplugin", "mdparse"], "-r docs.in")
    roots.add(["mdparse"], "-r tests.txt")
    pins = closure(UNION, roots)
    assert by_key(pins)[("mdparse", "3.0.0")] == ("-r docs.in", "-r tests.txt", "mdplugin")


def test_reading_tells_required_files_from_constraints_and_included_locks(tmp_path: Path) -> None:
    folder = tmp_path / "requirements"
    folder.mkdir()
    files = {
        "dev.in": "-r shared.in\n-c pins.txt\n-r tests.txt\n-c docs.txt\nalpha\n",
        "shared.in": "beta\n",
        "pins.txt": "-r more-pins.txt\ngamma<2\n",
        "more-pins.txt": "delta<3\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    parsed = {name: parse_infile(folder / name) for name in files}
    layer = Layer("dev", parsed["dev.in"], ("tests", "docs"), tuple(parsed.values()))
    locks = {(folder / "tests.txt").resolve(): "tests", (folder / "docs.txt").resolve(): "docs"}
    read = reading(layer, locks)
    assert [infile.path.name for infile in read.required] == ["dev.in", "shared.in"]
    assert sorted(infile.path.name for infile in read.constraining) == ["more-pins.txt", "pins.txt"]
    assert read.included == ("tests",)  # -c docs.txt only constrains


HEADER = Header("x", "requirements", "uv", True, Targets((), ()), Targets((), ()), ())
TARGETS = Targets(("3.9", "3.10", "3.11"), ("linux", "windows"))


def test_agreement_is_judged_per_target_with_markers() -> None:
    split = Lock(HEADER, (make_pin("mdparse", "2.2.0", OLD), make_pin("mdparse", "3.0.0", NEW)))
    new_only = Lock(HEADER, (make_pin("mdparse", "3.0.0", NEW),))
    assert agree(TARGETS, split, new_only)
    old_everywhere = Lock(HEADER, (make_pin("mdparse", "2.2.0"),))
    assert not agree(TARGETS, split, old_everywhere)
    # Same versions, but one of them on the wrong Pythons: a version set comparison would miss it.
    swapped = Lock(HEADER, (make_pin("mdparse", "2.2.0", NEW), make_pin("mdparse", "3.0.0", OLD)))
    found = list(conflicts(TARGETS, {"docs": split, "tests": swapped}))
    assert [(f.package, f.environment["python_version"]) for f in found] == [("mdparse", "3.9")]
    assert describe(found[0], folder="requirements") == (
        "mdparse: 2.2.0 in requirements/docs.txt; 3.0.0 in requirements/tests.txt (python 3.9 on linux)"
    )
