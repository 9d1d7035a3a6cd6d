"""The noxfile read with ``ast``: its sessions, their Pythons, the layers they install, what it names."""

from __future__ import annotations

import pytest

from sprintlock._inspect.noxfile import Mention, Noxfile, Session, read_noxfile

TARGETS = ("3.10", "3.11", "3.12")

NOXFILE = """\
import nox
import sprintlock.nox
from nox import session

PYTHONS = ["3.11", "3.12"]
ALIAS = PYTHONS
DEFAULT: str = "3.12"
nox.options.sessions = ["lint", "tests"]


@nox.session
def lint(session):
    sprintlock.nox.install(session, "lint")


@nox.session(python=PYTHONS)
def tests(session):
    sprintlock.nox.install(session, "tests")
    session.notify("coverage")


@nox.session(python=ALIAS, name="typing")
def mypy(session):
    install_lock(session, "typing")
    install_lock(session, "unknown")


@nox.session(python=sprintlock.nox.pythons())
def matrix(session):
    session.install("-r", "requirements/docs.txt", "-c", "constraints.txt")


@nox.session(python=[f"3.{n}" for n in range(10, 13)])
def computed(session):
    pass


@session(py=DEFAULT)
def one(session):
    pass


@nox.session(python=3.12)
def number(session):
    pass


@nox.session(python=False)
@nox.parametrize("django", ["4", "5"])
def django(session, django):
    install(session, "tests")
    install(session, "nope")
"""


@pytest.fixture
def noxfile() -> Noxfile:
    return read_noxfile(NOXFILE, layers={"lint", "tests", "typing", "docs"}, targets=TARGETS)


def session(noxfile: Noxfile, name: str) -> Session:
    found = noxfile.find(name)
    assert found is not None
    return found[0]


def test_sessions_and_their_pythons(noxfile: Noxfile) -> None:
    assert [(s.name, s.line, s.pythons, s.source) for s in noxfile.sessions] == [
        ("lint", 11, (), "literal"),
        ("tests", 16, ("3.11", "3.12"), "literal"),
        ("typing", 22, ("3.11", "3.12"), "literal"),
        ("matrix", 28, TARGETS, "targets"),
        ("computed", 33, (), "dynamic"),
        ("one", 38, ("3.12",), "literal"),
        ("number", 43, ("3.12",), "literal"),
        ("django", 48, (), "literal"),
    ]
    assert [s.name for s in noxfile.sessions if s.parametrized] == ["django"]


def test_layers_installed(noxfile: Noxfile) -> None:
    assert {s.name: s.layers for s in noxfile.sessions} == {
        "lint": ("lint",),
        "tests": ("tests",),
        "typing": ("typing",),  # a project helper: a layer only when the lock exists
        "matrix": ("docs",),  # -r requirements/docs.txt
        "computed": (),
        "one": (),
        "number": (),
        "django": ("tests",),  # a bare install(): only existing layers
    }


def test_mentions(noxfile: Noxfile) -> None:
    assert noxfile.mentions == (
        Mention("session", "lint", 8),
        Mention("session", "tests", 8),
        Mention("layer", "lint", 13),
        Mention("layer", "tests", 18),
        Mention("session", "coverage", 19),
        Mention("path", "requirements/docs.txt", 30),
        Mention("path", "constraints.txt", 30),
        Mention("layer", "tests", 51),
    )


def test_find(noxfile: Noxfile) -> None:
    tests = session(noxfile, "tests")
    assert noxfile.find("tests") == (tests, None)
    assert noxfile.find("tests-3.12") == (tests, "3.12")
    assert noxfile.find("tests-3.9") is None  # a literal list: 3.9 is not one of them
    assert noxfile.find("computed-3.9") == (session(noxfile, "computed"), "3.9")  # dynamic: anything goes
    assert noxfile.find("matrix-3.10") == (session(noxfile, "matrix"), "3.10")
    assert noxfile.find("django(django='4')") == (session(noxfile, "django"), None)
    assert noxfile.find("mypy") is None  # named by name=
    assert noxfile.find("nothing") is None


def test_names_and_described(noxfile: Noxfile) -> None:
    assert session(noxfile, "tests").names() == {"tests", "tests-3.11", "tests-3.12"}
    assert noxfile.described() == "computed, django, lint, matrix, number, one, tests, typing"
    assert read_noxfile("import nox\n", layers=set(), targets=()).described() == "none"


def test_other_requirements_folder() -> None:
    text = (
        "import nox\n@nox.session\ndef docs(session):\n"
        '    session.install("-r", "locks/docs.txt")\n    session.install("-r", "requirements/docs.txt")\n'
    )
    found = read_noxfile(text, layers={"docs"}, targets=(), requirements="locks")
    assert found.sessions[0].layers == ("docs",)
    assert [m.value for m in found.mentions] == ["locks/docs.txt", "requirements/docs.txt"]


def test_functions_without_the_session_decorator_are_not_sessions() -> None:
    text = "import functools\n@functools.cache\ndef helper():\n    pass\n\ndef plain():\n    pass\n"
    assert read_noxfile(text, layers=set(), targets=()).sessions == ()


def test_syntax_error() -> None:
    with pytest.raises(SyntaxError):
        read_noxfile("def broken(:\n", layers=set(), targets=())


PARAMETRIZED = """\
import nox
import sprintlock.nox

LOCKS = ["tests", "tests-min"]


@nox.session
@nox.parametrize("layer", LOCKS)
def tests(session, layer):
    sprintlock.nox.install(session, layer)


@nox.session
@nox.parametrize("layer", ["typing", "other"])
def check(session, layer):
    sprintlock.nox.install(session, layer)


@nox.session
@nox.parametrize("django", ["docs"])
def fixed(session, django):
    sprintlock.nox.install(session, "lint")
"""


def test_a_parametrized_session_installs_the_layers_among_its_values() -> None:
    """``install(session, layer)`` with ``layer`` from ``@nox.parametrize``: doctor's ``lock-unused`` sees them."""
    noxfile = read_noxfile(PARAMETRIZED, layers={"tests", "tests-min", "typing", "docs", "lint"}, targets=TARGETS)
    assert {s.name: s.layers for s in noxfile.sessions} == {
        "tests": ("tests", "tests-min"),  # the values, through a module-level name
        "check": ("typing",),  # only the values that are layers
        "fixed": ("lint",),  # a string install: the parametrized values are something else
    }
