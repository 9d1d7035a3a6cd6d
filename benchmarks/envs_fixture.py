"""The fixture of benchmarks/envs.py: a fake index of ~40 tiny packages and a project locked against it.

The wheels are built with the test suite's ``tests/wheelhouse.py``. The project ``demo``
(src layout, an in-tree build backend with no requirements, so installing it needs
nothing off the index) has a ``tests`` layer whose lock pins 40 packages: 8 top-level
tools, 12 mid-level libraries, 18 leaves, the project's own runtime dependency, and
``colorama``, which applies only on Windows: 39 of them plus the project are installed
on Linux and macOS. The index also holds the real nox, tox, uv and virtualenv, repacked
from the environment running the benchmark, and a wheel of sprintlock built from this
checkout, so that the tools' own environment installs offline too.

Two noxfiles drive the same session body: ``noxfile.py`` is the one ``sprintlock init``
writes, reduced to its ``tests`` session (``sprintlock.nox.install``, ``reuse_venv =
"yes"``, backend ``uv|virtualenv``), without the PEP 723 header (nox and sprintlock are
imported from the tools' environment nox runs from); ``noxfile_plain.py`` is the plain nox
baseline, installing the same lock with ``session.install`` (which ``nox -R`` skips).
``tox.ini`` is the one ``sprintlock init --tox`` writes, with the same session body.
"""

from __future__ import annotations

import email.parser
import shutil
import sys
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

# ``mypy benchmarks/envs*.py`` alone cannot see tests/ (plain ``mypy`` checks both and types this import).
from wheelhouse import (  # type: ignore[import-not-found, unused-ignore]
    Dist,
    build_missing,
    in_tree_backend,
    repack_installed,
    write_simple_index,
)

PYTHON = "{}.{}".format(*sys.version_info[:2])
LEAVES = 18
MIDS = 12
TOOLS = 8
#: What every session (and the tox environment) runs once its environment is ready.
BODY = "import demo, tool_00"


def _fake_dists() -> list[Dist]:
    """Two releases of every package; the newer one is what the lock pins."""
    dists: list[Dist] = []
    for version in ("1.0", "2.0"):
        dists += [Dist(f"leaf-{i:02d}", version) for i in range(LEAVES)]
        dists += [
            Dist(f"mid-{i:02d}", version, (f"leaf-{i % LEAVES:02d}>=1.0", f"leaf-{(i + 5) % LEAVES:02d}"))
            for i in range(MIDS)
        ]
        dists += [Dist(f"tool-{i:02d}", version, _tool_requires(i)) for i in range(TOOLS)]
        dists.append(Dist("demo-core", version, ("leaf-00>=1.0",)))
    dists.append(Dist("colorama", "0.4.6"))
    return dists


def _tool_requires(i: int) -> tuple[str, ...]:
    requires = (f"mid-{i:02d}>=1.0", f"mid-{(i + TOOLS) % MIDS:02d}", f"leaf-{(i + 10) % LEAVES:02d}")
    return (*requires, 'colorama; sys_platform == "win32"') if i == 1 else requires


#: The real tools, repacked from the environment running the benchmark (with their dependencies).
REAL_TOOLS = ("nox", "tox", "uv", "virtualenv", "flit-core")


def wheel_requirements(wheel: Path) -> list[str]:
    """The names of a wheel's runtime dependencies (``Requires-Dist``) whose marker holds here."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = email.parser.BytesParser().parsebytes(archive.read(name))
    parsed = [Requirement(text) for text in message.get_all("Requires-Dist") or []]
    return [req.name for req in parsed if req.marker is None or req.marker.evaluate({"extra": ""})]


def build_offline_index(folder: Path, sprintlock_wheel: Path) -> Path:
    """The real tools, sprintlock's wheel and the fake packages in one index; its ``simple`` folder.

    As the test suite's ``make_tools_index``: a fake wheel never shadows a real one.
    sprintlock's dependencies are repacked from this environment too.
    """
    repack_installed(folder, [*REAL_TOOLS, *wheel_requirements(sprintlock_wheel)])
    build_missing(folder, _fake_dists())
    shutil.copy(sprintlock_wheel, folder / "files")
    return Path(write_simple_index(folder))


PYPROJECT = f"""\
[project]
name = "demo"
version = "1.0"
requires-python = ">={PYTHON}"
dependencies = ["demo-core>=1.0"]

[build-system]
requires = []
build-backend = "backend"
backend-path = ["_build"]

[tool.sprintlock]
python = ["{PYTHON}"]
"""
BACKEND = in_tree_backend("demo-core>=1.0")
NOXFILE = f"""\
\"\"\"The standard noxfile's tests session (as `sprintlock init` writes it), without the PEP 723 header.\"\"\"

import nox
import sprintlock.nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"  # safe: sprintlock re-syncs a drifted environment

PYTHONS = sprintlock.nox.pythons()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    \"\"\"Install the tests lock, then run the session body.\"\"\"
    sprintlock.nox.install(session, "tests")
    session.run("python", "-c", "{BODY}")
"""
NOXFILE_PLAIN = f"""\
\"\"\"Plain nox: the same lock installed with session.install (skipped by `nox -R`).\"\"\"

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"


@nox.session(python="{PYTHON}")
def tests(session: nox.Session) -> None:
    \"\"\"Install the tests lock hash-checked, then the project, then run the session body.\"\"\"
    session.install("--require-hashes", "--no-deps", "-r", "requirements/tests.txt")
    session.install("--no-deps", ".")
    session.run("python", "-c", "{BODY}")
"""


def tox_ini(sprintlock_version: str) -> str:
    """The tox.ini ``sprintlock init --tox`` writes for this project, with the same body."""
    return (
        f"[tox]\nrequires =\n    sprintlock=={sprintlock_version}\nenv_list =\n    tests\n\n"
        f'[testenv:tests]\nsprintlock_layer = tests\nskip_install = true\ndeps =\ncommands = python -c "{BODY}"\n'
    )


def write_project(root: Path, sprintlock_version: str) -> Path:
    """Write the demo project (without its lock) into ``root``; return ``root``."""
    files = {
        "pyproject.toml": PYPROJECT,
        "_build/backend.py": BACKEND,
        "src/demo/__init__.py": '"""The demo project."""\n\nimport demo_core  # noqa: F401\n',
        "requirements/tests.in": "".join(f"tool-{i:02d}\n" for i in range(TOOLS)),
        "noxfile.py": NOXFILE,
        "noxfile_plain.py": NOXFILE_PLAIN,
        "tox.ini": tox_ini(sprintlock_version),
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
