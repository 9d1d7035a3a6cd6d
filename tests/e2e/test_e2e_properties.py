"""The contract on arbitrary and mutated inputs (Hypothesis): success, or exit 2 with a location
and nothing changed on disk; never exit 3, never a traceback, never a secret.

The parsers (``parse_infile``, ``load_project``, ``parse_lock``) and the commands, in process
(``check``, and ``lock`` with a resolver that only records that it was reached: no resolver
runs inside the property loops).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sprintlock._cli.main import main
from sprintlock._core.errors import ConfigError, InputError, LockFormatError, ResolutionError
from sprintlock._lock import engine
from sprintlock._lock.engine import lock
from sprintlock._lock.infile import parse_infile
from sprintlock._lock.lockfile import make_pin, parse_lock
from sprintlock._lock.resolvers import Compiled, CompileJob
from sprintlock._project import config
from sprintlock._project.config import load_project

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PYPROJECT = (
    '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.10"\n'
    'dependencies = ["alpha>=1.0"]\n\n[tool.sprintlock]\npython = ["3.11", "3.12"]\nplatforms = ["linux"]\n'
)
VALID_IN = "# tools\nalpha>=1.0\nbeta ; python_version < '3.12'\n-r docs.in\n-c docs.txt\n"
#: Lines a hostile user might add: options, URLs with credentials, broken continuations, cycles.
ODD_LINES = [
    "-e .",
    "-i https://user:hunter2@example.com/simple",
    "pkg @ https://user:hunter2@example.com/pkg.whl",
    "https://hunter2@example.com/pkg.whl",
    "-r ../../../etc/passwd",
    "-r tests.in",
    "-r missing.in",
    "-r",
    "--requirement=docs.in extra",
    '-r "unterminated',
    "\\",
    "alpha[",
    "alpha==1.0 --hash=sha256:00",
    "beta ; python_version <",
    "# sprintlock-format: 2",
    "\x00",
    "\r",
    "   ",
]
#: The password of the inserted URLs, still in a URL (a mutation may break the URL around it).
SECRET_IN_URL = re.compile(r"://[^\s/]*hunter2[^\s/]*@")
#: Where the location of a message must point: a file of the project (relative: the requirements
#: folder may be configured), maybe with a line.
LOCATION = re.compile(r"^error: (pyproject\.toml|[^:\s/][^:\s]*)(:\d+)?: ")


def mutated(valid: str, extra_lines: list[str]) -> st.SearchStrategy[bytes]:
    """``valid`` (as bytes) with byte flips, a truncation, inserted lines, or arbitrary bytes."""
    data = valid.encode()

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        text = bytearray(data)
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
            position = draw(st.integers(0, len(text)))
            if kind == "flip" and text:
                index = min(position, len(text) - 1)
                text[index] ^= 1 << draw(st.integers(0, 7))
            elif kind == "truncate":
                del text[position:]
            elif kind == "delete":
                del text[position : position + draw(st.integers(1, 20))]
            else:
                line = draw(st.sampled_from(extra_lines) | st.text(max_size=30))
                text[position:position] = (line + "\n").encode("utf-8", "surrogatepass")
        return bytes(text)

    return build() | st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))


@contextmanager
def project(files: dict[str, bytes]) -> Iterator[Path]:
    """A throwaway project (its own folder per example: function fixtures do not reset between examples)."""
    folder = Path(tempfile.mkdtemp(prefix="property-"))
    try:
        root = folder / "project"
        root.mkdir()
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root
    finally:
        shutil.rmtree(folder)


class Refusing:
    """A resolver that only says it was reached (a user error too, from the resolver)."""

    name = "uv"

    def compile(self, job: CompileJob) -> Compiled:
        raise ResolutionError("resolver reached", where=job.where)


class Pinning:
    """A resolver that pins every direct requirement at 1.0 (to make valid locks without a tool)."""

    name = "uv"

    def compile(self, job: CompileJob) -> Compiled:
        names = {
            re.split(r"[\s;<>=!~\[]", line.strip(), maxsplit=1)[0]
            for path in job.inputs
            for line in path.read_text().splitlines()
            if line.strip() and not line.startswith(("#", "-"))
        }
        pins = tuple(make_pin(name, "1.0", hashes=[f"sha256:{'0' * 64}"], via=["-r tests.in"]) for name in names)
        return Compiled(pins, job.targets)


def assert_contract(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> int:
    """Run one command: success, problems found (``check``), or exit 2 at a location; nothing written."""
    before = snapshot(root)
    staging = set(Path(tempfile.gettempdir()).glob("sprintlock-*"))
    code = main(["-C", str(root), "-q", *args])  # -q: no progress before the error
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert not SECRET_IN_URL.search(out + err), out + err
    assert code in (0, 1, 2), err
    if code == 2:
        assert LOCATION.match(err), err
        assert "\n  hint: " in err or "resolver reached" in err, err
    if code != 0 or args[0] == "check":
        assert snapshot(root) == before
    assert set(Path(tempfile.gettempdir()).glob("sprintlock-*")) == staging, "a staging folder was left behind"
    return code


@pytest.fixture
def no_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "get_resolver", lambda name, runner=None: Refusing())


# --- .in files ---------------------------------------------------------------------------


@PROPERTY
@given(mutated(VALID_IN, ODD_LINES))
def test_parse_infile_accepts_or_names_the_line(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    with project({"requirements/tests.in": data}) as root:
        try:
            infile = parse_infile(root / "requirements/tests.in", root=root, text=text)
        except InputError as exc:
            assert exc.where is not None and re.fullmatch(r"requirements/tests\.in:\d+", exc.where), exc.where
            assert not SECRET_IN_URL.search(str(exc)), str(exc)
        else:
            assert all(req.line >= 1 for req in infile.requirements)


@PROPERTY
@given(tests=mutated(VALID_IN, ODD_LINES), docs=mutated("gamma\n", ODD_LINES))
def test_commands_on_mutated_in_files(
    tests: bytes, docs: bytes, capsys: pytest.CaptureFixture[str], no_resolver: None
) -> None:
    files = {"pyproject.toml": PYPROJECT.encode(), "requirements/tests.in": tests, "requirements/docs.in": docs}
    with project(files) as root:
        assert_contract(root, capsys, "check")
        assert_contract(root, capsys, "lock")


# --- pyproject.toml ------------------------------------------------------------------------

KEYS = {
    "project": ["name", "version", "requires-python", "dependencies", "dynamic"],
    "tool.sprintlock": [*config.KEYS, "colour"],  # every key, and one that is not
}
SCALARS = st.one_of(
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.booleans(),
    st.sampled_from(
        [
            *("x", "", "3.12", "3.99", ">=3.10", "<3", "uv", "pip-tools", "linux", "amiga", "..", "../x", "/abs"),
            *("weekly", "7 days", "P2W", "0 days"),
        ]
    ),
    st.text(st.characters(codec="utf-8"), max_size=8),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in value) + '"'
    assert isinstance(value, list)
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


@st.composite
def pyprojects(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    """A ``pyproject.toml`` with some keys of ``[project]`` and ``[tool.sprintlock]`` set to
    anything; and the line of each key, by ``section.key``."""
    lines: list[str] = []
    where: dict[str, int] = {}
    for section, keys in KEYS.items():
        chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=4))
        if not chosen and draw(st.booleans()):
            continue
        lines.append(f"[{section}]")
        for key in chosen:
            lines.append(f"{key} = {toml_value(draw(VALUES))}")
            where[f"{section}.{key}"] = len(lines)
        lines.append("")
    return "\n".join(lines), where


@PROPERTY
@given(pyprojects())
def test_load_project_types_every_value_at_its_line(case: tuple[str, dict[str, int]]) -> None:
    text, lines = case
    with project({"pyproject.toml": text.encode()}) as root:
        try:
            load_project(root)
        except ConfigError as exc:
            assert exc.where is not None
            file, _, line = exc.where.partition(":")
            assert file == "pyproject.toml"
            assert line and int(line) in lines.values(), (exc.where, exc.message, text)


@PROPERTY
@given(mutated(PYPROJECT, ["tool = 5", 'project = "x"', "requires-python = 3.10", "[tool.sprintlock]", "python = [1]"]))
def test_load_project_on_mutated_files(data: bytes) -> None:
    with project({"pyproject.toml": data}) as root:
        try:
            load_project(root)
        except ConfigError as exc:
            assert exc.where is not None and exc.where.startswith("pyproject.toml"), exc.where


@PROPERTY
@given(case=pyprojects())
def test_commands_on_arbitrary_configuration(
    case: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str], no_resolver: None
) -> None:
    files = {"pyproject.toml": case[0].encode(), "requirements/tests.in": b"alpha\n"}
    with project(files) as root:
        assert_contract(root, capsys, "check")
        assert_contract(root, capsys, "lock")


# --- lock files ----------------------------------------------------------------------------

LOCK_LINES = [
    "alpha==1.0",
    "alpha==2.0 ; python_version < '3.12'",
    "--index-url https://user:hunter2@example.com/simple",
    "https://user:hunter2@example.com/pkg.whl",
    "    --hash=sha256:zz",
    "    # via -r requirements/tests.in",
    "# sprintlock-format: 2",
    "# body: sha256:0",
    "garbage",
    "beta==1 ; python_version <",
    "\\",
]


@pytest.fixture(scope="module")
def valid_lock(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """A lock made by the real engine (with a resolver that needs no index), and its ``.in``."""
    root = tmp_path_factory.mktemp("valid-lock")
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "requirements").mkdir()
    (root / "requirements/tests.in").write_text("alpha>=1.0\nbeta\n")
    lock(load_project(root), resolver=Pinning())
    return (root / "requirements/tests.txt").read_bytes(), (root / "requirements/tests.in").read_bytes()


@PROPERTY
@given(data=st.data())
def test_parse_lock_reads_or_names_the_line(data: st.DataObject, valid_lock: tuple[bytes, bytes]) -> None:
    raw = data.draw(mutated(valid_lock[0].decode(), LOCK_LINES))
    text = raw.decode("utf-8", "replace")
    try:
        parse_lock(text, "tests")
    except LockFormatError as exc:
        assert exc.line is not None and 1 <= exc.line <= len(text.splitlines()), (exc.line, text)


@PROPERTY
@given(data=st.data())
def test_check_and_lock_on_mutated_locks(
    data: st.DataObject, valid_lock: tuple[bytes, bytes], capsys: pytest.CaptureFixture[str], no_resolver: None
) -> None:
    lock_bytes, in_bytes = valid_lock
    raw = data.draw(mutated(lock_bytes.decode(), LOCK_LINES))
    files = {"pyproject.toml": PYPROJECT.encode(), "requirements/tests.in": in_bytes, "requirements/tests.txt": raw}
    with project(files) as root:
        assert_contract(root, capsys, "check")
        assert_contract(root, capsys, "lock")


def test_the_valid_lock_is_fresh(valid_lock: tuple[bytes, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    """The starting point of the lock mutations is a lock ``check`` accepts."""
    files = {
        "pyproject.toml": PYPROJECT.encode(),
        "requirements/tests.in": valid_lock[1],
        "requirements/tests.txt": valid_lock[0],
    }
    with project(files) as root:
        assert assert_contract(root, capsys, "check") == 0
