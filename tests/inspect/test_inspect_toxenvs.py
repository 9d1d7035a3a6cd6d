"""Reading tox.ini's environments: env_list and sections, braces, factor conditions, inherited deps."""

from __future__ import annotations

from sprintlock._inspect.toxenvs import Dep, environments, expand, matches, requirement_file, split_condition

TOX = """\
[tox]
envlist =
    py3{13,12}, pypy310
    py313-min
    py39-dev
    docs

[testenv]
deps =
    !min-!dev: -r {toxinidir}/requirements/tests.txt
    min: -r requirements/tests-min.txt
    dev,nightly: -r requirements/tests-dev.txt
    py3{9,10}: greenlet
; a comment
[testenv:typing]
deps = -r requirements/typing.txt
"""


def test_expand() -> None:
    assert expand("py3{13,12}-x{a,b}") == ["py313-xa", "py313-xb", "py312-xa", "py312-xb"]
    assert expand("plain") == ["plain"]


def test_matches() -> None:
    assert matches("min", frozenset({"py313", "min"}))
    assert not matches("!min", frozenset({"py313", "min"}))
    assert matches("!min-!dev", frozenset({"py313"}))
    assert not matches("!min-!dev", frozenset({"py39", "dev"}))
    assert matches("dev,nightly", frozenset({"nightly"}))
    assert matches("py3{9,10}", frozenset({"py310"}))
    assert not matches("py39-dev", frozenset({"py39"}))


def test_values() -> None:
    assert split_condition("min: -r x.txt") == ("min", "-r x.txt")
    assert split_condition("-r x.txt") == (None, "-r x.txt")
    assert split_condition("https://host/a.tar.gz") == (None, "https://host/a.tar.gz")
    assert requirement_file("-r {toxinidir}/requirements/a.txt") == "requirements/a.txt"
    assert requirement_file("--requirement=./a.txt") == "a.txt"
    assert requirement_file("-rreq.txt") == "req.txt"
    assert requirement_file("-c a.txt") is None
    assert requirement_file("pytest") is None


def test_environments_and_their_deps() -> None:
    envs = {env.name: env for env in environments(TOX)}
    assert list(envs) == ["py313", "py312", "pypy310", "py313-min", "py39-dev", "docs", "typing"]
    assert [dep.value for dep in envs["py313"].deps] == ["-r {toxinidir}/requirements/tests.txt"]
    assert envs["py313-min"].deps == (Dep("min", "-r requirements/tests-min.txt", 11),)
    assert [dep.value for dep in envs["py39-dev"].deps] == ["-r requirements/tests-dev.txt", "greenlet"]
    assert envs["typing"].section == "testenv:typing"
    assert envs["typing"].deps == (Dep(None, "-r requirements/typing.txt", 16),)
    assert envs["py313"].python == "3.13" and envs["pypy310"].python == "3.10" and envs["docs"].python is None
