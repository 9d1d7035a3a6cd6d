"""The shell reader: what commands name (files, nox sessions, lock layers), read and never run."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sprintlock._inspect.shell import NoxCall, is_checkable_path, is_static, read_script

Found = list[tuple[str, str, int, str]]


def refs(text: str) -> Found:
    return [(ref.kind, ref.value, ref.line, ref.via) for ref in read_script(text).refs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pip install -r requirements/dev.txt", [("path", "requirements/dev.txt", 0, "pip install -r")]),
        ("pip3 install --requirement requirements/a.txt", [("path", "requirements/a.txt", 0, "pip3 install -r")]),
        (
            "pip install --requirement=a.txt -rb.txt -c c.txt --constraint=d.txt",
            [("path", name, 0, "pip install -r") for name in ("a.txt", "b.txt", "c.txt", "d.txt")],
        ),
        ("python3 -m pip install -U pip -r a.txt", [("path", "a.txt", 0, "pip install -r")]),
        ("/opt/venv/bin/pip install -r a.txt", [("path", "a.txt", 0, "pip install -r")]),
        ("pip install nox requests", []),
        ("uv pip sync requirements/a.txt", [("path", "requirements/a.txt", 0, "pip sync")]),
        ("pip-sync a.txt b.txt", [("path", "a.txt", 0, "pip-sync a.txt"), ("path", "b.txt", 0, "pip-sync a.txt")]),
    ],
)
def test_pip_requirement_files(text: str, expected: Found) -> None:
    assert refs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bash tools/go.sh arg", [("path", "tools/go.sh", 0, "bash")]),
        ("sh -e tools/go.sh", [("path", "tools/go.sh", 0, "sh")]),
        ("source .venv/bin/activate", [("path", ".venv/bin/activate", 0, "source")]),
        (". ./env.sh", [("path", "./env.sh", 0, ".")]),
        ('bash -c "bash inner.sh"', []),
        ("python tools/check.py --fast", [("path", "tools/check.py", 0, "python")]),
        ("python3.12 x.py", [("path", "x.py", 0, "python3.12")]),
        ("python -m build", []),
        ("./run.sh --all", [("path", "run.sh", 0, "runs")]),
        ("tools/release", [("path", "tools/release", 0, "runs")]),
        ("/usr/local/bin/tool", []),
        ("$HOME/bin/tool", []),
    ],
)
def test_scripts_that_commands_run(text: str, expected: Found) -> None:
    assert refs(text) == expected


def test_nox_sessions_and_pythons() -> None:
    script = read_script("nox -s lint tests-3.12 -p 3.12 3.13 -- -x\nnox --session=docs\nnox -e a,b\n")
    assert [(ref.kind, ref.value, ref.line, ref.via) for ref in script.refs] == [
        ("session", "lint", 0, "nox -s"),
        ("session", "tests-3.12", 0, "nox -s"),
        ("session", "docs", 1, "nox -s"),
        ("session", "a,b", 2, "nox -s"),
    ]
    assert script.nox_calls == (
        NoxCall(("lint", "tests-3.12"), ("3.12", "3.13"), 0),
        NoxCall(("docs",), (), 1),
        NoxCall(("a,b",), (), 2),
    )


@pytest.mark.parametrize("text", ["pip install nox", "pipx install nox", "uv tool install nox==2025.5.1"])
def test_installing_nox_is_not_running_it(text: str) -> None:
    assert read_script(text).nox_calls == ()


def test_a_plain_nox_run_selects_nothing() -> None:
    assert read_script("nox").nox_calls == (NoxCall((), (), 0),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sprintlock sync tests", [("layer", "tests", 0, "sprintlock sync")]),
        ("sprintlock -C sub --project x sync --venv .venv docs", [("layer", "docs", 0, "sprintlock sync")]),
        ("sprintlock sync", []),
        ("sprintlock dev --python python3", [("layer", "dev", 0, "sprintlock dev")]),
        ('"$tools/bin/sprintlock" dev', [("layer", "dev", 0, "sprintlock dev")]),
        ("sprintlock lock --all", []),
    ],
)
def test_sprintlock_layers(text: str, expected: Found) -> None:
    assert refs(text) == expected


def test_variables_and_expressions_are_kept_as_written() -> None:
    script = read_script('pip install -r $REQ\nnox -s "${{ matrix.session }}" -p ${{  matrix.python }}\n')
    assert refs("pip install -r $REQ") == [("path", "$REQ", 0, "pip install -r")]
    assert script.nox_calls == (NoxCall(("${{matrix.session}}",), ("${{matrix.python}}",), 1),)


def test_separators_split_commands() -> None:
    text = "cd x && pip install -r a.txt; nox -s lint | tee log || bash b.sh & sprintlock dev"
    assert refs(text) == [
        ("path", "a.txt", 0, "pip install -r"),
        ("session", "lint", 0, "nox -s"),
        ("path", "b.sh", 0, "bash"),
        ("layer", "dev", 0, "sprintlock dev"),
    ]


def test_keywords_and_assignments_before_a_command() -> None:
    text = "if true; then bash a.sh; fi\nA=1 B=2 ./run.sh\nsudo -E pip install -r r.txt\n"
    assert refs(text) == [
        ("path", "a.sh", 0, "bash"),
        ("path", "run.sh", 1, "runs"),
        ("path", "r.txt", 2, "pip install -r"),
    ]


def test_lines_comments_and_continuations() -> None:
    text = "# bash commented.sh\nset -e\npip install \\\n  -r a.txt \\\n  -r b.txt\n\nbash c.sh  # bash d.sh\n"
    assert refs(text) == [
        ("path", "a.txt", 2, "pip install -r"),
        ("path", "b.txt", 2, "pip install -r"),
        ("path", "c.sh", 6, "bash"),
    ]


def test_unbalanced_quotes_fall_back_to_plain_words() -> None:
    assert refs('bash x.sh "unterminated') == [("path", "x.sh", 0, "bash")]


@pytest.mark.parametrize(
    ("value", "static"),
    [("a.txt", True), ("$X", False), ("${{matrix.x}}", False), ("*.txt", False), ("~/x", False), ("-r", False)],
)
def test_is_static(value: str, static: bool) -> None:
    assert is_static(value) is static


@pytest.mark.parametrize(
    ("value", "checkable"),
    [
        ("requirements/a.txt", True),
        ("./tools/go.sh", True),
        ("/etc/passwd", False),
        ("https://x/y", False),
        (".venv/bin/activate", False),
        ("./.nox/x", False),
        ("../other/x", False),
        (".", False),
    ],
)
def test_is_checkable_path(value: str, checkable: bool) -> None:
    assert is_checkable_path(value) is checkable


#: Words that the reader treats specially, to be put together in any order.
WORDS = [
    "pip",
    "install",
    "-r",
    "-c",
    "--requirement=",
    "nox",
    "-s",
    "-p",
    "--",
    "sprintlock",
    "sync",
    "dev",
    "-C",
    "bash",
    "python",
    "./x",
    "uv",
    "pip-sync",
    "&&",
    ";",
    "|",
    "(",
    ")",
    "'",
    '"',
    "\\",
    "#",
    "${{",
    "}}",
    "$X",
    "a.txt",
    "x.py",
    "if",
    "sudo",
    "A=1",
    "=",
]
SHELLISH = st.lists(st.sampled_from([*WORDS, "\n", "\\\n", " "]), max_size=30).map(" ".join)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the autouse env fixture is harmless here
@given(st.text() | SHELLISH)
def test_read_script_never_raises(text: str) -> None:
    script = read_script(text)
    lines = max(len(text.splitlines()), 1)
    assert all(0 <= ref.line < lines for ref in script.refs)
    assert all(call.line < lines for call in script.nox_calls)
