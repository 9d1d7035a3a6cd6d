"""Adoption keeps what the project's tox environments ran: the session installing a layer
runs the commands of the tox environment that installed that layer's lock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from initkit import detected

from sprintlock._scaffold.detect import detect
from sprintlock._standard.noxfile import render_noxfile
from sprintlock._standard.toxcommands import layer_commands, session_runs

WORDS = ["{posargs}", "{posargs:-x y}", "{envtmpdir}", "{toxinidir}", "{envpython}", "{other}", "pytest", " "]
CASES = Path(__file__).parents[1] / "data" / "adopt"

TOX_INI = """\
[tox]
envlist = py3{13,12}, py313-min, typing, docs, style

[testenv]
deps =
    -r requirements/tests.txt
    min: -r requirements/tests-min.txt
commands = pytest -v --basetemp={envtmpdir} {posargs}

[testenv:typing]
deps = -r requirements/typing.txt
commands =
    mypy --platform linux
    mypy --platform win32

[testenv:docs]
deps = -r requirements/docs.txt
commands = sphinx-build -W -b dirhtml {toxinidir}/docs docs/_build

[testenv:style]
deps = pre-commit
commands = pre-commit run --all-files
"""


def test_each_layer_gets_the_commands_of_the_environment_that_installed_its_lock() -> None:
    found = layer_commands(TOX_INI, {"tests", "tests-min", "typing", "docs"}, "requirements")
    assert found == {
        "tests": ("py313", ("pytest -v --basetemp={envtmpdir} {posargs}",)),
        "tests-min": ("py313-min", ("pytest -v --basetemp={envtmpdir} {posargs}",)),  # the min lock wins
        "typing": ("typing", ("mypy --platform linux", "mypy --platform win32")),
        "docs": ("docs", ("sphinx-build -W -b dirhtml {toxinidir}/docs docs/_build",)),
    }  # style installs no lock


@pytest.mark.parametrize(
    ("command", "runs"),
    [
        ("pytest {posargs}", [['"pytest"', "*session.posargs"]]),
        ("pip-compile -q {posargs:-U --all}", [['"pip-compile"', '"-q"', '*(session.posargs or ["-U", "--all"])']]),
        ("pytest --basetemp={envtmpdir}", [['"pytest"', 'f"--basetemp={tmp}"']]),
        ("sphinx-build {toxinidir}/docs out", [['"sphinx-build"', '"./docs"', '"out"']]),
        ("{envpython} -m pytest", [['"python"', '"-m"', '"pytest"']]),
        ('python -c "print(1)"', [['"python"', '"-c"', '"print(1)"']]),
        ("- coverage erase", None),  # tox ignores its exit code
        ("pytest --cov={envsitepackagesdir}/x", None),  # a substitution with no session equivalent
        ("python -c 'print({1: 2})' {envtmpdir}", None),  # braces an f-string would need escaped
        ("pytest 'unclosed", None),
        ('pytest "{posargs}"', None),  # inside a quoted argument
        ("pytest -k{posargs}", None),  # glued to other text
        ('pytest {posargs:"unclosed}', None),
    ],
)
def test_commands_translate_exactly_or_not_at_all(command: str, runs: list[list[str]] | None) -> None:
    assert session_runs([command]) == runs


def test_the_sessions_run_the_tox_commands() -> None:
    project = detected(
        checkers=("mypy",),
        docs="sphinx",
        extra_layers=("tests-min",),
        tox_commands=tuple(
            (layer, env, commands)
            for layer, (env, commands) in layer_commands(
                TOX_INI, {"tests", "tests-min", "typing", "docs"}, "requirements"
            ).items()
        ),
    )
    text = render_noxfile(project)
    pytest = 'session.run("pytest", "-v", f"--basetemp={tmp}", *session.posargs)'
    assert f"    tmp = session.create_tmp()\n    {pytest}" in text
    assert 'session.run("mypy", "--platform", "linux")\n    session.run("mypy", "--platform", "win32")' in text
    assert 'session.run("sphinx-build", "-W", "-b", "dirhtml", "./docs", "docs/_build")' in text
    doc = '"""Run the tests as tox\'s py313-min environment did."""'
    assert f"def tests_min(session: nox.Session) -> None:\n    {doc}" in text


def test_click_keeps_its_per_platform_type_checks(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "tox.ini"):
        (tmp_path / name).write_text((CASES / "click" / name).read_text())
    (tmp_path / "requirements").mkdir()
    for path in (CASES / "click" / "requirements").glob("*.in"):
        (tmp_path / "requirements" / path.name).write_text(path.read_text())
    text = render_noxfile(detect(tmp_path))
    for platform in ("linux", "darwin", "win32"):
        assert f'session.run("mypy", "--platform", "{platform}")' in text
    assert '"--verifytypes",\n        "click",' in text


@given(st.lists(st.text(alphabet=list("ab -={}:'\"\\$!\t")) | st.sampled_from(WORDS), max_size=12))
def test_any_command_translates_to_valid_python_or_not_at_all(parts: list[str]) -> None:
    """Whatever tox.ini holds, the translation never raises, and what it writes is Python that parses."""
    runs = session_runs(["".join(parts)])
    for run in runs or ():
        ast.parse(f"session.run({', '.join(run)})")
