"""Dangling references: what is reported for a missing path, session or layer, and what is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._inspect.noxfile import read_noxfile
from sprintlock._inspect.references import check_noxfile, check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import Ref


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements/tests.in").write_text("pytest\n")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools/go.sh").write_text("")
    noxfile = read_noxfile(
        "import nox\n@nox.session(python=['3.12'])\ndef tests(session):\n    session.notify('docs')\n"
        "    session.install('-r', 'requirements/lint.txt')\n",
        layers={"tests"},
        targets=(),
    )
    return Repo(tmp_path, None, "requirements", frozenset({"tests"}), noxfile)


def found(repo: Repo) -> list[tuple[str, str, int | None, str]]:
    return [(f.code, f.file, f.line, f.message) for f in repo.findings]


def test_missing_path(repo: Repo) -> None:
    check_ref(repo, Ref("path", "tools/gone.sh", 0, "bash"), "ci.yml", 7, "job 'x'")
    assert found(repo) == [("dangling-path", "ci.yml", 7, "job 'x' names tools/gone.sh (bash), which does not exist")]
    assert repo.findings[0].fix == "restore tools/gone.sh, or change the reference to a file that exists"


@pytest.mark.parametrize(
    "ref",
    [
        Ref("path", "tools/go.sh", 0, "bash"),
        Ref("path", "./tools/../tools/go.sh", 0, "bash"),
        Ref("path", "go.sh", 0, "bash", base="tools"),
        Ref("path", "../elsewhere.sh", 0, "bash", base="tools/.."),
        Ref("path", "$X/go.sh", 0, "bash"),
        Ref("path", ".venv/bin/activate", 0, "source"),
        Ref("path", "requirements/tests.txt", 0, "pip install -r"),  # the .in exists: lock-missing's job
        Ref("session", "tests-3.12", 0, "nox -s"),
        Ref("session", "${{matrix.session}}", 0, "nox -s"),
        Ref("layer", "tests", 0, "sprintlock sync"),
    ],
)
def test_what_exists_or_cannot_be_known_is_not_reported(repo: Repo, ref: Ref) -> None:
    check_ref(repo, ref, "ci.yml", 1, "job 'x'")
    assert repo.findings == []


def test_a_path_is_read_from_its_base(repo: Repo) -> None:
    check_ref(repo, Ref("path", "go.sh", 0, "relative to .devcontainer/", base=".devcontainer"), "dc.json", 2, "build")
    assert found(repo) == [
        (
            "dangling-path",
            "dc.json",
            2,
            "build names .devcontainer/go.sh (relative to .devcontainer/), which does not exist",
        )
    ]


def test_a_missing_lock_suggests_a_layer(repo: Repo) -> None:
    check_ref(repo, Ref("path", "requirements/docs.txt", 0, "pip install -r"), "tox.ini", 4, "[testenv]")
    assert repo.findings[0].fix == (
        "point it at an existing lock (requirements/tests.txt), "
        "or create requirements/docs.in and run `sprintlock lock docs`"
    )


def test_missing_session_and_layer(repo: Repo) -> None:
    check_ref(repo, Ref("session", "lint", 0, "nox -s"), "ci.yml", 3, "job 'x'")
    check_ref(repo, Ref("layer", "docs", 0, "sprintlock sync"), "ci.yml", 4, "job 'x'")
    assert found(repo) == [
        ("dangling-session", "ci.yml", 3, "job 'x' runs the nox session 'lint', which noxfile.py does not define"),
        (
            "dangling-layer",
            "ci.yml",
            4,
            "job 'x' uses the lock requirements/docs.txt, but there is no requirements/docs.in",
        ),
    ]


def test_a_file_reported_missing_is_not_reported_again(repo: Repo) -> None:
    repo.missing.add(".devcontainer/bootstrap.sh")
    check_ref(repo, Ref("path", ".devcontainer/bootstrap.sh", 0, "bash"), "ci.yml", 1, "job 'x'")
    assert repo.findings == []


def test_a_missing_folder_does_not_hide_a_path_inside_it(repo: Repo) -> None:
    # Issue 9: the folder is reported missing, and so is each reference into it, in its own file.
    repo.missing.add(".devcontainer")
    check_ref(repo, Ref("path", ".devcontainer/bootstrap.sh", 0, "bash"), "ci.yml", 1, "job 'x'")
    assert found(repo) == [
        ("dangling-path", "ci.yml", 1, "job 'x' names .devcontainer/bootstrap.sh (bash), which does not exist")
    ]


def test_what_the_noxfile_names(repo: Repo) -> None:
    check_noxfile(repo)
    assert [(f.code, f.line, f.message) for f in repo.findings] == [
        ("dangling-session", 4, "noxfile.py runs the nox session 'docs', which noxfile.py does not define"),
        ("dangling-path", 5, "noxfile.py names requirements/lint.txt (-r), which does not exist"),
    ]
