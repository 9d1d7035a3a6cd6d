"""``sprintlock check`` answered by the locks' own headers: never a verdict the full check would not give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from sprintlock import check, load_project, lock
from sprintlock._cli.main import main
from sprintlock._core.errors import SprintlockError
from sprintlock._core.known import KNOWN_PYTHONS, pythons_allowed
from sprintlock._lock import memo
from sprintlock._lock.header import split_body
from sprintlock._lock.headercheck import _agreeing, _pins, _surely_frozen, fresh_locks
from sprintlock._lock.infile import parse_infile

LAYERS = {
    "requirements/tests.in": "alpha\n",
    "requirements/docs.in": "-r tests.in\n-c constraints.txt\nbeta\n",
    "requirements/constraints.txt": "alpha>=1.0\n",
    "requirements/dev.in": "-r tests.txt\nbeta\n",
}
PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.9"\ndependencies = ["alpha>=1.0"]\n'

Mutation = Callable[[Path], None]


def edit(relative: str, old: str, new: str) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / relative
        text = path.read_text()
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1))

    return mutate


def write(relative: str, text: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / relative).write_text(text)

    return mutate


def settings(lines: str) -> Mutation:
    return write("pyproject.toml", PYPROJECT + "\n[tool.sprintlock]\n" + lines)


def crlf(relative: str) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / relative
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    return mutate


def unlink(relative: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / relative).unlink()

    return mutate


def link_outside(root: Path) -> None:
    nested = root / "requirements/constraints.txt"
    outside = root.parent / "elsewhere.txt"
    outside.write_text(nested.read_text())
    nested.unlink()
    nested.symlink_to(outside)


def folder_for_lock(root: Path) -> None:
    (root / "requirements/dev.txt").unlink()
    (root / "requirements/dev.txt").mkdir()


#: Changes that leave every lock fresh: the headers answer, as the full check does.
STILL_FRESH: dict[str, Mutation] = {
    "nothing": lambda root: None,
    "a lock with Windows newlines": crlf("requirements/docs.txt"),
    "an input with Windows newlines": crlf("requirements/tests.in"),
    "the platforms in another order": settings('platforms = ["windows", "linux", "macos"]\n'),
    "the default settings spelled out": settings(
        'requirements = "requirements"\nresolver = "uv"\nhashes = true\nformats = ["requirements"]\n'
    ),
    "another upgrade schedule": settings('upgrade-schedule = "weekly"\n'),
    "the same Pythons named": settings('python = ["3.13", "3.9", "3.10", "3.11", "3.12", "3.14", "3.15"]\n'),
}

#: Changes the headers leave to the full check (stale, broken or beyond them).
DOUBTED: dict[str, Mutation] = {
    "an input": write("requirements/tests.in", "alpha\nbeta\n"),
    "a nested input": write("requirements/constraints.txt", "alpha>=1.1\n"),
    "a lock's body": edit("requirements/docs.txt", "beta==", "beta =="),
    "a lock's targets": edit("requirements/tests.txt", "# targets: python 3.9", "# targets: python 3.8 3.9"),
    "a lock's fingerprint": edit("requirements/tests.txt", "# fingerprint: sha256:", "# fingerprint: sha256:0"),
    "an included lock": edit("requirements/tests.txt", "# via", "# via  "),
    "a missing lock": unlink("requirements/docs.txt"),
    "a folder for a lock": folder_for_lock,
    "a new layer": write("requirements/lint.in", "beta\n"),
    "a hidden layer": write("requirements/.lint.in", "beta\n"),
    "a nested input behind a link outside": link_outside,
    "a missing nested input": unlink("requirements/constraints.txt"),
    "a project dependency": write("pyproject.toml", PYPROJECT.replace('"alpha>=1.0"', '"alpha>=1.0", "beta"')),
    "an invalid dependency": write("pyproject.toml", PYPROJECT.replace('"alpha>=1.0"', '"alpha>="')),
    "dynamic dependencies": write("pyproject.toml", PYPROJECT + 'dynamic = ["dependencies"]\n'),
    "no pyproject.toml": unlink("pyproject.toml"),
    "invalid TOML": write("pyproject.toml", PYPROJECT + "[tool\n"),
    "requires-python": write("pyproject.toml", PYPROJECT.replace(">=3.9", ">=3.11")),
    "an invalid requires-python": write("pyproject.toml", PYPROJECT.replace(">=3.9", "~=3")),
    "other Pythons": settings('python = ["3.12"]\n'),
    "an unknown Python": settings('python = ["3.9", "2.7"]\n'),
    "other platforms": settings('platforms = ["linux"]\n'),
    "an unknown platform": settings('platforms = ["linux", "beos"]\n'),
    "another resolver": settings('resolver = "pip-tools"\n'),
    "an unknown resolver": settings('resolver = "pip"\n'),
    "no hashes": settings("hashes = false\n"),
    "hashes as a string": settings('hashes = "yes"\n'),
    "project layers": settings('project-layers = ["tests"]\n'),
    "an unknown key": settings("colour = true\n"),
    "an invalid upgrade schedule": settings('upgrade-schedule = "hourly"\n'),
    "pylock files": settings('formats = ["requirements", "pylock"]\n'),
    "a cooldown": settings('upgrade-cooldown = "7 days"\n'),
    "another requirements folder": settings('requirements = "reqs"\n'),
    "a folder outside": settings('requirements = "../requirements"\n'),
    "dependency groups": write("pyproject.toml", PYPROJECT + '\n[dependency-groups]\nlint = ["beta"]\n'),
    "a minimum-versions layer": write("requirements/tests-min.in", "alpha==1.0\n"),
}


@pytest.fixture
def locked(make_project: Callable[..., Path]) -> Path:
    root = make_project(LAYERS, pyproject=PYPROJECT)
    lock(load_project(root))
    return root


def full_check(root: Path) -> int | None:
    """How many locks the full check finds fresh; None when it finds a problem or refuses the input."""
    try:
        report = check(load_project(root))
    except SprintlockError:
        return None
    return len(report.checked) if report.ok else None


@pytest.mark.parametrize("mutate", STILL_FRESH.values(), ids=STILL_FRESH.keys())
def test_fresh_locks_answer_as_the_full_check_does(locked: Path, mutate: Mutation) -> None:
    mutate(locked)
    assert full_check(locked) == 3
    assert fresh_locks(str(locked.resolve())) == 3


@pytest.mark.parametrize("mutate", DOUBTED.values(), ids=DOUBTED.keys())
def test_every_other_change_is_left_to_the_full_check(locked: Path, mutate: Mutation) -> None:
    mutate(locked)
    assert fresh_locks(str(locked.resolve())) is None


@pytest.mark.parametrize("mutate", DOUBTED.values(), ids=DOUBTED.keys())
def test_each_doubt_is_a_change_the_full_check_rejects(locked: Path, mutate: Mutation) -> None:
    """The doubts are real: every change above makes a lock stale or the input invalid, so
    the full check, which runs instead, says so (a changed lock, or exit 2)."""
    mutate(locked)
    assert full_check(locked) is None


def test_the_command_line_answers_from_the_headers_then_from_the_memo(
    locked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise AssertionError("the full check ran")

    monkeypatch.setattr("sprintlock._lock.check.check", explode)
    assert not Path(memo.memo_file(str(locked.resolve()))).exists()
    assert main(["-C", str(locked), "check"]) == 0
    assert capsys.readouterr().out == "3 locks are fresh\n"  # word for word what the full check prints
    assert memo.recall(str(locked.resolve())) == 3  # the verdict is remembered
    monkeypatch.setattr("sprintlock._lock.headercheck.fresh_locks", explode)
    assert main(["-C", str(locked), "check", "-q"]) == 0


def test_a_doubt_runs_the_full_check_with_its_message(locked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (locked / "requirements/tests.in").write_text("alpha\nbeta\n")
    assert main(["-C", str(locked), "check"]) == 1
    assert "requirements/tests.txt: [stale]" in capsys.readouterr().out


LOCK = """# sprintlock-format: 1
alpha==1.0 \\
    --hash=sha256:aa
    # via -r tests.in
"""


@pytest.mark.parametrize(
    ("others", "answered"),
    [
        ("alpha==1.0 \\\n    --hash=sha256:aa\n", True),  # the same version
        ("beta==2.0 \\\n    --hash=sha256:bb\n", True),  # another package
        ("alpha==1.1 \\\n    --hash=sha256:ab\n", False),  # another version: the full check judges by target
        ("alpha==1.0\n", False),  # no hash
        ("alpha===1.0 \\\n    --hash=sha256:aa\n", False),  # arbitrary equality
        ("alpha \\\n", False),  # not a pin, and a dangling continuation
    ],
)
def test_locks_agree_only_when_they_cannot_disagree(others: str, answered: bool) -> None:
    try:
        _agreeing([_pins(LOCK, hashes=True), _pins("# sprintlock-format: 1\n" + others, hashes=True)])
    except ValueError:
        assert not answered
    else:
        assert answered


def test_split_versions_agree_when_each_lock_pins_them_alike() -> None:
    split = (
        'alpha==1.0 ; python_version < "3.10" \\\n    --hash=sha256:aa\n'
        'alpha==2.0 ; python_version >= "3.10" \\\n    --hash=sha256:bb\n'
    )
    _agreeing([_pins(split, hashes=True)] * 2)  # the same pins under the same markers
    with pytest.raises(ValueError):
        _agreeing([_pins(split, hashes=True), _pins(split.replace('< "3.10"', '< "3.11"'), hashes=True)])


def _pins_line_by_line(text: str, *, hashes: bool) -> dict[str, frozenset[tuple[str, str]]] | None:
    """The reading ``_pins`` had before it searched for the pins' lines: every line looked at."""
    pins: dict[str, set[tuple[str, str]]] = {}
    for line in split_body(text)[1].split("\n"):
        if not line or line[0] in " \t#":
            continue
        requirement = line.removesuffix("\\").strip()
        name, equals, rest = requirement.partition("==")
        version, _, marker = (part.strip() for part in rest.partition(";"))
        if not (equals and name.strip() and version and " " not in version and not version.startswith("=")):
            return None
        if hashes and not line.endswith("\\"):
            return None
        pins.setdefault(name.strip(), set()).add((version, marker))
    return {name: frozenset(found) for name, found in pins.items()}


_SPACE = st.sampled_from(["", " ", "\t", "\x0c", "\xa0", "\u2028"])
#: A pin's line (name, ``==``, version, marker, continuation) with its parts varied, or another line of a lock.
LOCK_LINES = st.tuples(
    st.sampled_from(["alpha", "beta", "", "#x", " alpha", "\talpha", "alpha[x]"]),
    _SPACE,
    st.sampled_from(["==", "===", "=", ""]),
    _SPACE,
    st.sampled_from(["1.0", "2.0", "", "=1.0", "1 .0", "1.*"]),
    st.sampled_from(["", ";", " ; python_version < '3.10'", ";x;y"]),
    _SPACE,
    st.sampled_from(["", "\\", "\\ ", "\\\t"]),
).map("".join) | st.sampled_from(["    --hash=sha256:aa", "    # via x", "", "# comment"])


@hypothesis_settings(max_examples=300)
@given(st.lists(LOCK_LINES, max_size=8), st.booleans())
def test_pins_are_read_as_every_line_was_looked_at(lines: list[str], hashes: bool) -> None:
    text = "# sprintlock-format: 1\n" + "\n".join(lines)
    try:
        found: dict[str, frozenset[tuple[str, str]]] | None = _pins(text, hashes=hashes)
    except ValueError:
        found = None
    assert found == _pins_line_by_line(text, hashes=hashes)


@given(
    st.from_regex(r"\A[ ]{0,2}>=[ ]{0,2}[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]{1,3})?[ ]{0,2}\Z")
    | st.sampled_from([">=3.10", ">= 3.9", ">=3.010", ">=03.10", ">=3.10,<4", "~=3.10", ">3.10"])
)
def test_requires_python_read_without_packaging_as_packaging_reads_it(requires_python: str) -> None:
    spec = SpecifierSet(requires_python)
    expected = tuple(
        minor
        for minor in KNOWN_PYTHONS
        if any(spec.contains(f"{minor}.{patch}", prereleases=True) for patch in (0, 99))
    )
    assert pythons_allowed(requires_python) == expected


def test_a_minimum_versions_layer_is_answered_and_need_not_agree(make_project: Callable[..., Path]) -> None:
    root = make_project(
        {"requirements/tests.in": "alpha\nbeta\n", "requirements/tests-min.in": "alpha==1.0\nbeta==1.0\n"},
        pyproject=PYPROJECT,
    )
    lock(load_project(root))
    assert "alpha==1.0" in (root / "requirements/tests-min.txt").read_text()
    assert "alpha==2.0" in (root / "requirements/tests.txt").read_text()
    assert full_check(root) == 2
    assert fresh_locks(str(root.resolve())) == 2
    (root / "requirements/tests.in").write_text("alpha\n")  # the base's input: both locks are stale
    assert fresh_locks(str(root.resolve())) is None


@pytest.mark.parametrize(
    ("text", "frozen"),
    [
        ("alpha==1.0\nbeta == 2.0.post1\n", True),
        ("# minimums\nalpha==1.0  # oldest supported\n-c constraints.txt\n", True),
        ("alpha==\\\n1.0\n", True),  # a continuation
        ("alpha\n", False),
        ("alpha==1.0\nbeta>=2\n", False),
        ("alpha==1.0 ; python_version < '3.12'\n", False),  # exact, but not surely: held to agree
        ("alpha[extra]==1.0\n", False),
        ("alpha==1.*\n", False),
        ("alpha===1.0\n", False),
        ("-r tests.in\n", False),
        ("", False),
    ],
)
def test_an_input_is_surely_frozen_only_when_every_requirement_is_a_plain_exact_pin(text: str, frozen: bool) -> None:
    assert _surely_frozen(text) is frozen


REQUIREMENT_LINES = st.sampled_from(
    [
        "alpha==1.0",
        "beta == 2.0",
        "gamma>=1",
        "delta==1.*",
        "eps===1.0",
        "zeta==1.0 ; python_version < '3.12'",
        "eta[x]==1.0",
        "# comment",
        "-c constraints.txt",
        "theta==3.0  # note",
        "",
    ]
)


@given(st.lists(REQUIREMENT_LINES, max_size=6))
def test_surely_frozen_implies_frozen_as_the_full_check_reads_it(lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    if _surely_frozen(text):
        assert parse_infile(Path("x.in"), text=text).exact_pins


GROUPS = PYPROJECT + '\n[dependency-groups]\ntests = ["alpha>=1.0"]\nDocs_Set = [{include-group = "tests"}, "beta"]\n'

#: Changes to a project of dependency groups, and whether its locks stay fresh.
GROUP_CHANGES: dict[str, tuple[str, bool]] = {
    "nothing": (GROUPS, True),
    "another group's item": (GROUPS.replace('"beta"', '"beta>=2"'), False),
    "an item spelled another way (normalised alike)": (GROUPS.replace('"alpha>=1.0"', '"alpha >= 1.0"'), False),
    "an option as an item": (GROUPS.replace('"beta"', '"-r tests.txt"'), False),
    "an include that is not a table of one key": (
        GROUPS.replace('{include-group = "tests"}', '{include-group = "tests", x = 1}'),
        False,
    ),
    "a group defined twice": (GROUPS + "docs-set = []\n", False),
}


@pytest.mark.parametrize(("pyproject", "fresh"), GROUP_CHANGES.values(), ids=GROUP_CHANGES.keys())
def test_dependency_groups_are_answered_by_their_headers(
    make_project: Callable[..., Path], pyproject: str, fresh: bool
) -> None:
    root = make_project({"requirements/lint.in": "beta\n"}, pyproject=GROUPS)
    lock(load_project(root))
    assert {p.name for p in (root / "requirements").glob("*.txt")} == {"lint.txt", "tests.txt", "docs-set.txt"}
    (root / "pyproject.toml").write_text(pyproject)
    answer = fresh_locks(str(root.resolve()))
    assert answer == (3 if fresh else None)
    assert answer is None or answer == full_check(root)


def test_a_group_and_an_input_file_of_one_name_are_left_to_the_full_check(make_project: Callable[..., Path]) -> None:
    root = make_project({"requirements/lint.in": "beta\n"}, pyproject=GROUPS)
    lock(load_project(root))
    (root / "requirements/Tests.in").write_text("alpha>=1.0\n")
    assert fresh_locks(str(root.resolve())) is None
    assert full_check(root) is None  # the full check refuses the name defined twice


@pytest.mark.parametrize(
    ("cooldown", "fresh"),
    [('"7 days"', True), ('"1 week"', True), ('"P7D"', True), ('"8 days"', False), ('"7 fortnights"', False)],
)
def test_a_cooldown_is_answered_by_its_canonical_text(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, cooldown: str, fresh: bool
) -> None:
    root = make_project(LAYERS, pyproject=PYPROJECT + '\n[tool.sprintlock]\nupgrade-cooldown = "7 days"\n')
    with monkeypatch.context() as patch:  # the fake index has no upload times: resolve without the cutoff
        patch.setattr("sprintlock._lock.engine.cooldown_cutoff", lambda cooldown: None)
        lock(load_project(root))
    assert "upgrade-cooldown" in (root / "requirements/tests.txt").read_text()  # the header records it
    (root / "pyproject.toml").write_text(PYPROJECT + f"\n[tool.sprintlock]\nupgrade-cooldown = {cooldown}\n")
    answer = fresh_locks(str(root.resolve()))
    assert answer == (3 if fresh else None)
    assert answer is None or answer == full_check(root)


PYLOCK_PROJECT = PYPROJECT + '\n[tool.sprintlock]\nformats = ["requirements", "pylock"]\n'


def edit_pylock(root: Path) -> None:
    path = root / "requirements/pylock.tests.toml"
    path.write_text(path.read_text().replace('name = "alpha"', 'name = "alpha"\n# edited', 1))


def copy_pylock(root: Path) -> None:
    (root / "requirements/pylock.docs.toml").write_text((root / "requirements/pylock.tests.toml").read_text())


#: Changes to a project with pylock files, and whether its files stay fresh.
PYLOCK_CHANGES: dict[str, tuple[Mutation, bool]] = {
    "nothing": (lambda root: None, True),
    "a pylock file edited": (edit_pylock, False),
    "a pylock file missing": (unlink("requirements/pylock.docs.toml"), False),
    "a pylock file from another lock": (copy_pylock, False),
    "pylock files no longer wanted": (write("pyproject.toml", PYPROJECT), True),
}


@pytest.mark.parametrize(("mutate", "fresh"), PYLOCK_CHANGES.values(), ids=PYLOCK_CHANGES.keys())
def test_pylock_files_are_answered_by_their_digests(
    make_project: Callable[..., Path], mutate: Mutation, fresh: bool
) -> None:
    root = make_project(LAYERS, pyproject=PYLOCK_PROJECT)
    lock(load_project(root))
    assert (root / "requirements/pylock.tests.toml").is_file()
    mutate(root)
    answer = fresh_locks(str(root.resolve()))
    assert answer == (3 if fresh else None)
    assert answer is None or answer == full_check(root)
