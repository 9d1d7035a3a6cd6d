"""The architecture, checked: imports point down the layers, errors live in ``_core``, hot paths stay light.

The import rule (docs/architecture.md): a module imports only from its own package or a
lower one, in the order of ``LAYERS``. The walk reads ``src/sprintlock`` with ``ast`` and
never imports it, so it sees every import: absolute and relative, inside functions, and
under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
import builtins
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

from sprintlock import load_project, lock

SRC = ROOT / "src"
PACKAGE = SRC / "sprintlock"
#: The layers, lowest first. ``top`` is ``sprintlock/__init__.py``, ``nox.py`` and ``__main__.py``.
LAYERS = (
    "_version",
    "_core",
    "_project",
    "_lock",
    "_env",
    "_inspect",
    "_standard",
    "_scaffold",
    "_doctor",
    "_ci",
    "_cli",
    "top",
)
TOP_MODULES = ("__init__", "__main__", "nox")
RULE = "a module imports only from its own package or a lower one: " + " < ".join(LAYERS)


@dataclass(frozen=True)
class Import:
    line: int
    target: str  # the dotted module imported, e.g. ``sprintlock._lock.engine``


def module_name(path: Path) -> str:
    """``src/sprintlock/_lock/resolvers/uv.py`` -> ``sprintlock._lock.resolvers.uv``; a package is its ``__init__``."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    """The layer of a dotted ``sprintlock`` module name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "top"


def sprintlock_imports(tree: ast.AST, module: str, *, is_package: bool) -> Iterator[Import]:
    """Every import of a ``sprintlock`` module anywhere in ``tree``, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sprintlock":
                    yield Import(node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - (node.level - 1)])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            if base.split(".")[0] != "sprintlock":
                continue
            if base != "sprintlock":
                yield Import(node.lineno, base)
                continue
            for alias in node.names:  # ``from sprintlock import _core`` or ``from sprintlock import lock``
                yield Import(node.lineno, f"sprintlock.{alias.name}" if alias.name in LAYERS else "sprintlock")


@dataclass(frozen=True)
class Upward:
    module: str  # the importing module's path in src/sprintlock
    imported: str
    message: str  # names the file, the line and the rule


def upward_imports(path: Path, tree: ast.AST) -> list[Upward]:
    """Every import of a higher layer in the module at ``path``."""
    module = module_name(path)
    own = layer(module)
    found = []
    for imported in sprintlock_imports(tree, module, is_package=path.name == "__init__.py"):
        target = layer(imported.target)
        if LAYERS.index(target) > LAYERS.index(own):
            where = f"{path.relative_to(ROOT).as_posix()}:{imported.line}"
            message = f"{where}: {own} imports {imported.target} (layer {target}); {RULE}"
            found.append(Upward(path.relative_to(PACKAGE).as_posix(), imported.target, message))
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_every_package_has_a_place_in_the_order() -> None:
    entries = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()
    }
    unplaced = sorted(entries - set(LAYERS) - set(TOP_MODULES))
    assert unplaced == [], f"add these to LAYERS here and to docs/architecture.md: {unplaced}"


def test_no_module_imports_from_a_higher_layer() -> None:
    assert len(modules()) > 40  # the walk really sees the package
    upward = [found for path in modules() for found in upward_imports(path, parse(path))]
    violations = [found.message for found in upward]
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize(
    ("relative", "source", "imported"),
    [
        ("_lock/engine.py", "from sprintlock._cli.main import main\n", "sprintlock._cli.main"),
        ("_lock/engine.py", "import sprintlock.nox\n", "sprintlock.nox"),
        ("_lock/engine.py", "from sprintlock import load_project\n", "sprintlock"),
        ("_lock/engine.py", "from sprintlock import _doctor\n", "sprintlock._doctor"),
        ("_lock/engine.py", "from .._env import sync\n", "sprintlock._env"),
        ("_lock/resolvers/uv.py", "from ..._scaffold.init import plan\n", "sprintlock._scaffold.init"),
        ("_lock/__init__.py", "from .._standard import pins\n", "sprintlock._standard"),
        (
            "_core/files.py",
            "def f() -> None:\n    from sprintlock._version import v\n    from sprintlock._lock import x\n",
            "sprintlock._lock",
        ),
        (
            "_core/files.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .._project.config import Project\n",
            "sprintlock._project.config",
        ),
        ("_version.py", "from sprintlock._core import errors\n", "sprintlock._core"),
    ],
)
def test_the_walk_finds_every_kind_of_upward_import(relative: str, source: str, imported: str) -> None:
    [found] = upward_imports(PACKAGE / relative, ast.parse(source))
    assert found.imported == imported
    message = found.message
    assert message.startswith(f"src/sprintlock/{relative}:")
    assert f"imports {imported} (layer " in message
    assert RULE in message


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("_lock/resolvers/__init__.py", "from . import merge\nfrom .uv import UvResolver\n"),
        ("_lock/resolvers/uv.py", "from .. import lockfile\nfrom ..._core.process import run\n"),
        ("_cli/main.py", "from sprintlock._doctor import doctor\nfrom sprintlock import _version\n"),
        ("nox.py", "from sprintlock._cli.main import main\nimport nox\n"),
        ("__init__.py", "from . import _cli\nfrom .nox import install\n"),
        (
            "_core/files.py",
            "import os\nfrom pathlib import Path\nfrom sprintlock._core.errors import SprintlockError\n",
        ),
    ],
)
def test_same_package_and_downward_imports_are_fine(relative: str, source: str) -> None:
    assert upward_imports(PACKAGE / relative, ast.parse(source)) == []


def exception_classes() -> set[tuple[str, str]]:
    """``(module path, class name)`` of every exception class defined in the package, by name, no import."""
    names = {
        name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
    }
    classes = [
        (path.relative_to(PACKAGE).as_posix(), node)
        for path in modules()
        for node in ast.walk(parse(path))
        if isinstance(node, ast.ClassDef)
    ]
    found: set[tuple[str, str]] = set()
    grew = True
    while grew:  # until no class is added: subclasses of subclasses, in any module order
        grew = False
        for relative, node in classes:
            bases = {base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "") for base in node.bases}
            if (relative, node.name) not in found and bases & names:
                found.add((relative, node.name))
                names.add(node.name)
                grew = True
    return found


def test_exception_classes_live_in_core_errors() -> None:
    found = exception_classes()
    assert ("_core/errors.py", "SprintlockError") in found  # the walk recognises a subclass of Exception
    assert ("_core/errors.py", "ConfigError") in found  # and a subclass of that
    elsewhere = {entry for entry in found if entry[0] != "_core/errors.py"}
    assert sorted(elsewhere) == [], "define exception classes in src/sprintlock/_core/errors.py"


# Hot paths: what a noxfile and `sprintlock check` load.

#: The libraries that read and edit the user's files (init, doctor): imported where they edit.
ROUND_TRIP_LIBRARIES = ("yaml", "ruamel", "tomlkit", "json5")
#: Never loaded by ``import sprintlock.nox`` (a module or any of its submodules).
NOT_FOR_NOX = (
    "sprintlock._lock.resolvers",
    "sprintlock._lock.engine",
    "sprintlock._inspect",
    "sprintlock._standard",
    "sprintlock._scaffold",
    "sprintlock._doctor",
    "sprintlock._ci",
    "sprintlock._cli",
    *ROUND_TRIP_LIBRARIES,
)
#: Never loaded by ``sprintlock check`` (the pre-commit hook): it reads files and runs nothing.
NOT_FOR_CHECK = (
    "sprintlock._lock.resolvers",
    "sprintlock._lock.engine",
    "sprintlock._inspect",
    "sprintlock._standard",
    "sprintlock._scaffold",
    "sprintlock._doctor",
    "sprintlock._ci",
    *ROUND_TRIP_LIBRARIES,
)


def loaded(modules: list[str], forbidden: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == f or m.startswith(f"{f}.") for f in forbidden)]


def imported_by(code: str, *args: str) -> list[str]:
    """The modules ``python -X importtime -c code`` imports (``-X importtime`` writes one line each)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *args], capture_output=True, text=True, check=True
    )
    lines = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    return [parts[2].strip() for parts in lines[1:]]  # the first line is the header


#: What a reused environment's stamp check needs none of: the sync machinery (installers,
#: the lock format, packaging's parsers) and the file lock load only when something must change.
NOT_FOR_THE_STAMP_CHECK = (
    "sprintlock._env.sync",
    "sprintlock._env.installers",
    "sprintlock._lock.lockfile",
    "sprintlock._lock.pylock",
    "filelock",
)


#: What a noxfile loads before its first session runs: only the warm memo and the stamp
#: check's own functions (a session whose memo does not answer loads the project then).
NOT_FOR_A_NOXFILE = (
    "sprintlock._project",
    "sprintlock._lock",
    "sprintlock._env.request",
    "sprintlock._env.stamp",
    "sprintlock._env.contents",
    "dataclasses",
    "typing",
)


def test_a_noxfile_loads_only_the_warm_stamp_check() -> None:
    names = imported_by("import sprintlock.nox")
    assert "sprintlock._env.warm" in names  # the measure works
    assert loaded(names, (*NOT_FOR_NOX, *NOT_FOR_THE_STAMP_CHECK, *NOT_FOR_A_NOXFILE)) == []


def test_the_full_stamp_check_loads_no_sync_machinery() -> None:
    names = imported_by("import sprintlock._env.request")
    assert "sprintlock._env.stamp" in names  # the measure works
    assert loaded(names, (*NOT_FOR_NOX, *NOT_FOR_THE_STAMP_CHECK)) == []


#: What ``sprintlock check`` answered from its memo loads of sprintlock: the memo and the colour.
CHECK_FROM_MEMO = {
    "sprintlock",
    "sprintlock._version",
    "sprintlock._cli",
    "sprintlock._cli.exit_codes",
    "sprintlock._cli.main",
    "sprintlock._cli.style",
    "sprintlock._core",
    "sprintlock._core.cachedir",
    "sprintlock._core.realpaths",
    "sprintlock._lock",
    "sprintlock._lock.memo",
}
#: ... and of the standard library and the dependencies: none of these (each costs milliseconds).
NOT_FROM_MEMO = (
    "argparse",
    "dataclasses",
    "dependency_groups",
    "json",
    "logging",
    "packaging",
    "pathlib",
    "re",
    "shutil",
    "subprocess",
    "tempfile",
    "tomllib",
    "typing",
)


def modules_after_check(root: Path, *, headers: bool = True) -> list[str]:
    """The modules loaded by ``sprintlock -C root check`` in a new interpreter (which must pass);
    without ``headers``, the locks' headers do not answer (:mod:`sprintlock._lock.headercheck`)."""
    code = (
        "import sys\n"
        + ("" if headers else "import sprintlock._lock.headercheck as h\nh.fresh_locks = lambda root: None\n")
        + "from sprintlock._cli.main import main\n"
        "code = main(['-C', sys.argv[1], 'check'])\n"
        "names = sorted(sys.modules)\n"
        "import json\n"
        "print(json.dumps(names))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr  # the locks are fresh: check ran to the end
    assert done.stdout.splitlines()[0] == "1 lock is fresh"
    names: list[str] = json.loads(done.stdout.splitlines()[-1])
    return names


def test_check_loads_neither_init_nor_doctor(make_project: Callable[..., Path]) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"})
    lock(load_project(root))
    names = modules_after_check(root, headers=False)
    assert "sprintlock._lock.check" in names
    assert loaded(names, NOT_FOR_CHECK) == []


#: What a check answered by the locks' headers loads none of: the full check, the parsers.
NOT_FROM_HEADERS = (
    "argparse",
    "dataclasses",
    "logging",
    "packaging",
    "tempfile",
    "sprintlock._lock.check",
    "sprintlock._lock.lockfile",
    "sprintlock._project.config",
)


def test_check_answered_from_the_headers_loads_no_parser(make_project: Callable[..., Path]) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"})
    lock(load_project(root))
    names = modules_after_check(root)  # no memo yet: the headers answer (and write it)
    assert "sprintlock._lock.headercheck" in names
    assert loaded(names, NOT_FROM_HEADERS) == []


def test_check_answered_from_its_memo_loads_only_the_memo(make_project: Callable[..., Path]) -> None:
    root = make_project({"requirements/tests.in": "alpha\n"})
    lock(load_project(root))
    modules_after_check(root)  # the full check: it writes the memo
    baseline = set(imported_by("pass"))  # what this interpreter loads anyway (site, .pth files)
    names = set(modules_after_check(root)) - baseline
    assert {name for name in names if name.startswith("sprintlock")} == CHECK_FROM_MEMO
    assert loaded(sorted(names), NOT_FROM_MEMO) == []


# The test layout (docs/contributing.md): pytest imports test modules by basename ("prepend"
# import mode, no __init__.py), so basenames are unique across tests/.


def test_test_modules_have_unique_basenames_and_no_packages() -> None:
    tests = ROOT / "tests"
    files = [p for p in tests.rglob("*.py") if "data" not in p.relative_to(tests).parts]
    by_name: dict[str, list[str]] = {}
    for path in files:
        by_name.setdefault(path.name, []).append(path.relative_to(ROOT).as_posix())
    assert {name: paths for name, paths in by_name.items() if len(paths) > 1} == {}
    assert [p for p in files if p.name == "__init__.py" or (p.name == "conftest.py" and p.parent != tests)] == []
