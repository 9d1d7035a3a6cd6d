"""The canonical writer and its parser (property-based, as packaging tests its parsers)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sprintlock._lock.header import digest
from sprintlock._lock.lockfile import (
    Header,
    Pin,
    make_pin,
    parse_header,
    parse_lock,
    parse_pins,
    render,
    render_body,
    render_lock,
)
from sprintlock._project.targets import Targets

names = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,4})?", fullmatch=True)
versions = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True)
markers = st.sampled_from(
    [
        None,
        'python_version < "3.11"',
        'sys_platform == "win32"',
        'python_version >= "3.12" and os_name == "nt"',
    ]
)
hashes = st.lists(st.from_regex(r"sha256:[0-9a-f]{64}", fullmatch=True), max_size=3)
vias = st.lists(st.sampled_from(["-r tests.in", "pyproject.toml", "beta", "-r tests.txt"]), max_size=3)
pins = st.builds(make_pin, names, versions, markers, hashes, vias)
pin_lists = st.lists(pins, max_size=12, unique_by=lambda p: p.key)

HEADER = Header(
    layer="tests",
    requirements_dir="requirements",
    resolver="uv",
    hashes=True,
    targets=Targets(("3.10", "3.11"), ("linux",)),
    covers=Targets(("3.10", "3.11"), ("linux",)),
    inputs=(("requirements/tests.in", "sha256:00"),),
)


def key(pin: Pin) -> tuple[str, str]:
    return pin.key


@given(pin_lists)
def test_render_then_parse_round_trips(pin_list: list[Pin]) -> None:
    text = render(HEADER, pin_list)
    parsed = parse_lock(text, "tests")
    assert parsed is not None
    assert sorted(parsed.pins, key=key) == sorted(pin_list, key=key)
    assert parsed.header.fingerprint == HEADER.compute_fingerprint()


@given(pin_lists, st.randoms())
def test_output_does_not_depend_on_input_order(pin_list: list[Pin], random: object) -> None:
    shuffled = list(pin_list)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert render(HEADER, shuffled) == render(HEADER, pin_list)


def test_reads_pip_compile_and_uv_output_styles() -> None:
    pip_compile = (
        "alpha==2.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
        "    # via\n    #   -r tests.in\n    #   beta\n"
        "--index-url https://example.org/simple\n"
        "colorama==0.4.6 ; sys_platform == 'win32'    # via testtool\n"
    )
    assert parse_pins(pip_compile) == [
        make_pin("alpha", "2.0", None, ["sha256:aa", "sha256:bb"], ["-r tests.in", "beta"]),
        make_pin("colorama", "0.4.6", 'sys_platform == "win32"', [], ["testtool"]),
    ]


def test_render_without_hashes_still_records_via() -> None:
    body = render_body([make_pin("Alpha_Pkg", "1.0", None, ["sha256:aa"], ["beta"])], hashes=False)
    assert body == "alpha-pkg==1.0\n    # via beta\n"


pythons = st.lists(st.sampled_from(["3.9", "3.10", "3.11", "3.12", "3.13"]), unique=True, max_size=4).map(tuple)
platforms = st.lists(st.sampled_from(["linux", "macos", "windows"]), unique=True, max_size=3).map(tuple)
targets = st.builds(Targets, pythons, platforms)
labels = st.from_regex(r"(requirements/[a-z]{1,8}\.(in|txt)|pyproject\.toml \[project\] dependencies)", fullmatch=True)
digests = st.from_regex(r"sha256:[0-9a-f]{64}|missing", fullmatch=True)
headers = st.builds(
    Header,
    layer=st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
    requirements_dir=st.sampled_from(["requirements", "reqs", "ci/requirements"]),
    resolver=st.sampled_from(["uv", "pip-tools"]),
    hashes=st.booleans(),
    targets=targets,
    covers=targets,
    inputs=st.lists(st.tuples(labels, digests), max_size=4).map(tuple),
)


@settings(max_examples=30, deadline=None)
@given(headers, pin_lists)
def test_a_rendered_header_parses_back_identical(header: Header, pin_list: list[Pin]) -> None:
    text = render(header, pin_list)
    body = digest(render_body(pin_list, hashes=header.hashes))
    assert parse_header(text, header.layer) == replace(header, fingerprint=header.compute_fingerprint(), body=body)


@settings(max_examples=30, deadline=None)
@given(headers, pin_lists)
def test_render_lock_gives_the_lock_its_text_parses_to(header: Header, pin_list: list[Pin]) -> None:
    text, lock = render_lock(header, pin_list)
    assert text == render(header, pin_list)
    assert parse_lock(text, header.layer) == lock
