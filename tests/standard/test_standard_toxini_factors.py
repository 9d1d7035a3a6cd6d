"""Adopting tox.ini: a lock line is kept out of the environments whose other files it cannot install with."""

from __future__ import annotations

from pathlib import Path

import initkit
import pytest

from sprintlock._project.config import Config
from sprintlock._standard.context import Context
from sprintlock._standard.toxini import FILE

MIN = {"requirements/tests.in": "pytest\n", "requirements/tests-min.in": "alpha==1.0\n"}
DEV = {"requirements/tests.in": "pytest\n", "requirements/tests-dev.txt": "https://host/alpha/main.tar.gz\n"}


def adopt(tmp_path: Path, tox: str, files: dict[str, str], *, hashes: bool = True) -> tuple[str, tuple[str, ...]]:
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    minimums = (("tests-min", "tests"),) if "requirements/tests-min.in" in files else ()
    detected = initkit.detected(min_layers=minimums)
    merged = FILE.adopt(tox, Context(tmp_path, detected, Config(hashes=hashes), ""))
    assert merged is not None
    return merged


def deps(text: str, section: str) -> str:
    """The deps value of ``[section]`` as adopted (up to the next key)."""
    block = text.split(f"[{section}]\n", 1)[1]
    return block.split("deps =", 1)[1].split("\ncommands", 1)[0]


def test_an_inline_base_line_moves_below_deps(tmp_path: Path) -> None:
    tox = "[testenv]\ndeps = -r requirements/tests.txt\n    min: -r requirements/tests-min.txt\ncommands = pytest\n"
    text, notes = adopt(tmp_path, tox, MIN)
    assert deps(text, "testenv") == "\n    !min: -r requirements/tests.txt\n    min: -r requirements/tests-min.txt"
    assert notes == (
        "[testenv] deps: -r requirements/tests.txt now applies only without the min factor(s): "
        "requirements/tests-min.txt is a complete lock (the tests tools at the minimum versions)",
    )
    assert FILE.adopt(
        text, Context(tmp_path, initkit.detected(min_layers=(("tests-min", "tests"),)), Config(), "")
    ) == (
        text,
        (),
    )  # adopting twice changes nothing


def test_a_dedicated_environment_loses_the_base_line(tmp_path: Path) -> None:
    tox = (
        "[testenv:min]\ndeps =\n    -r requirements/tests.txt\n    -r requirements/tests-min.txt\ncommands = pytest\n"
        "\n[testenv:dev]\ndeps =\n    -r {toxinidir}/requirements/tests.txt\n    -r requirements/tests-dev.txt\n"
        "commands = pytest\n"
    )
    text, notes = adopt(tmp_path, tox, {**MIN, **DEV})
    assert deps(text, "testenv:min") == "\n    -r requirements/tests-min.txt"
    assert deps(text, "testenv:dev") == "\n    -r requirements/tests.in\n    -r requirements/tests-dev.txt"
    assert notes[0].startswith(
        "[testenv:dev] deps: -r {toxinidir}/requirements/tests.txt replaced by -r requirements/tests.in"
    )
    assert notes[1].startswith("[testenv:min] deps: -r requirements/tests.txt removed: ")


@pytest.mark.parametrize(
    ("tox", "files", "hashes"),
    [
        # A condition init cannot negate safely: left as it is (doctor reports what fails).
        ("[testenv]\ndeps =\n    -r requirements/tests.txt\n    py39-dev: -r requirements/tests-dev.txt\n", DEV, True),
        # No hashes in the locks: pip installs hashed-free files together.
        ("[testenv]\ndeps =\n    -r requirements/tests.txt\n    dev: -r requirements/tests-dev.txt\n", DEV, False),
        # A hashed file beside the lock, or an exact-pin layer that is no minimum of tests.
        (
            "[testenv]\ndeps =\n    -r requirements/tests.txt\n    x: -r requirements/other.txt\n",
            {"requirements/other.txt": "a==1 --hash=sha256:00\n"},
            True,
        ),
        # Not a testenv section.
        ("[other]\ndeps =\n    -r requirements/tests.txt\n    dev: -r requirements/tests-dev.txt\n", DEV, True),
    ],
)
def test_what_is_left_alone(tmp_path: Path, tox: str, files: dict[str, str], hashes: bool) -> None:
    text, notes = adopt(tmp_path, tox, {**files, "requirements/tests.in": "pytest\n"}, hashes=hashes)
    assert [note for note in notes if "deps" in note] == []
    assert tox in text.replace("[tox]\nrequires =\n    sprintlock==0.1.0\n\n", "")
