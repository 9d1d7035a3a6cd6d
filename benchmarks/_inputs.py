"""The benchmark's inputs: a fake package index and a 10-layer project that locks against it.

The index is built with the test suite's ``tests/wheelhouse.py`` (tiny wheels, a PEP 503
``simple/`` folder with sha256 fragments). Its packages borrow the shape of a real Python
project's tooling (pytest, sphinx, mypy, twine, pre-commit, nox and their dependencies,
with several versions each and the usual ``python_version``/``sys_platform`` markers), so
that each layer resolves 15 to 70 packages as real ones do.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

# ``mypy benchmarks`` alone cannot see tests/ (plain ``mypy`` checks both and types this import).
from wheelhouse import (  # type: ignore[import-not-found, unused-ignore]
    Dist,
    build_index,
    repack_installed,
    write_simple_index,
)

PY_LT_311 = '; python_version < "3.11"'
PY_LT_312 = '; python_version < "3.12"'
WINDOWS = '; sys_platform == "win32"'

#: ``(name, versions, requirements)``: every listed version of a package has these requirements.
PACKAGES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # The project's own runtime dependencies.
    ("werkzeug", ("3.0.6", "3.1.3"), ("markupsafe>=2.1.1",)),
    ("jinja2", ("3.1.4", "3.1.5"), ("markupsafe>=2.0",)),
    ("markupsafe", ("2.1.5", "3.0.2"), ()),
    ("itsdangerous", ("2.1.2", "2.2.0"), ()),
    ("blinker", ("1.8.2", "1.9.0"), ()),
    # Tests.
    (
        "pytest",
        ("7.4.4", "8.2.0", "8.3.5"),
        (
            "iniconfig",
            "pluggy>=1.5,<2",
            "exceptiongroup>=1.0.0rc8" + PY_LT_311,
            "tomli>=1" + PY_LT_311,
            "colorama" + WINDOWS,
        ),
    ),
    ("pluggy", ("1.4.0", "1.5.0"), ()),
    ("iniconfig", ("2.0.0", "2.1.0"), ()),
    ("exceptiongroup", ("1.2.0", "1.2.2"), ()),
    ("tomli", ("2.0.1", "2.2.1"), ()),
    ("colorama", ("0.4.5", "0.4.6"), ()),
    ("coverage", ("7.5.0", "7.6.10"), ("tomli" + PY_LT_311,)),
    ("pytest-cov", ("5.0.0", "6.0.0"), ("pytest>=4.6", "coverage>=7.5")),
    ("pytest-xdist", ("3.5.0", "3.6.1"), ("execnet>=2.1", "pytest>=7")),
    ("execnet", ("2.0.2", "2.1.1"), ()),
    ("pytest-timeout", ("2.2.0", "2.3.1"), ("pytest>=7",)),
    ("hypothesis", ("6.100.0", "6.122.0"), ("attrs>=22.2", "sortedcontainers>=2.1", "exceptiongroup" + PY_LT_311)),
    ("attrs", ("23.2.0", "24.3.0"), ()),
    ("sortedcontainers", ("2.4.0",), ()),
    ("freezegun", ("1.4.0", "1.5.1"), ("python-dateutil>=2.7",)),
    ("python-dateutil", ("2.8.2", "2.9.0"), ("six>=1.5",)),
    ("six", ("1.16.0", "1.17.0"), ()),
    # Typing.
    ("mypy", ("1.10.0", "1.13.0", "1.14.1"), ("typing-extensions>=4.6", "mypy-extensions>=1", "tomli" + PY_LT_311)),
    ("mypy-extensions", ("1.0.0",), ()),
    ("typing-extensions", ("4.10.0", "4.12.2"), ()),
    ("pyright", ("1.1.389", "1.1.391"), ("nodeenv>=1.6", "typing-extensions>=4.1")),
    ("nodeenv", ("1.8.0", "1.9.1"), ()),
    ("types-requests", ("2.31.0", "2.32.0"), ("urllib3>=2",)),
    ("urllib3", ("2.2.3", "2.3.0"), ()),
    ("types-pyyaml", ("6.0.12",), ()),
    # Docs.
    (
        "sphinx",
        ("7.3.7", "7.4.7", "8.1.3"),
        (
            "docutils>=0.20,<0.22",
            "jinja2>=3.1",
            "pygments>=2.17",
            "babel>=2.13",
            "alabaster>=0.7.14",
            "imagesize>=1.3",
            "snowballstemmer>=2.2",
            "requests>=2.30",
            "sphinxcontrib-applehelp",
            "sphinxcontrib-devhelp",
            "sphinxcontrib-htmlhelp>=2",
            "sphinxcontrib-jsmath",
            "sphinxcontrib-qthelp",
            "sphinxcontrib-serializinghtml>=1.1.9",
            "tomli>=2" + PY_LT_311,
            "colorama>=0.4.6" + WINDOWS,
        ),
    ),
    ("docutils", ("0.20.1", "0.21.2"), ()),
    ("pygments", ("2.17.2", "2.18.0", "2.19.1"), ()),
    ("babel", ("2.15.0", "2.16.0"), ()),
    ("alabaster", ("0.7.16", "1.0.0"), ()),
    ("imagesize", ("1.4.1",), ()),
    ("snowballstemmer", ("2.2.0",), ()),
    ("requests", ("2.31.0", "2.32.3"), ("charset-normalizer>=2,<4", "idna>=2.5,<4", "urllib3>=1.21.1,<3", "certifi")),
    ("charset-normalizer", ("3.3.2", "3.4.1"), ()),
    ("idna", ("3.7", "3.10"), ()),
    ("certifi", ("2024.8.30", "2024.12.14"), ()),
    ("sphinxcontrib-applehelp", ("1.0.8", "2.0.0"), ()),
    ("sphinxcontrib-devhelp", ("1.0.6", "2.0.0"), ()),
    ("sphinxcontrib-htmlhelp", ("2.0.5", "2.1.0"), ()),
    ("sphinxcontrib-jsmath", ("1.0.1",), ()),
    ("sphinxcontrib-qthelp", ("1.0.7", "2.0.0"), ()),
    ("sphinxcontrib-serializinghtml", ("1.1.10", "2.0.0"), ()),
    ("pallets-sphinx-themes", ("2.2.0", "2.3.0"), ("sphinx>=3", "sphinx-notfound-page")),
    ("sphinx-notfound-page", ("1.0.2", "1.0.4"), ("sphinx>=5",)),
    ("sphinx-tabs", ("3.4.5", "3.4.7"), ("sphinx>=1.8", "pygments", "docutils")),
    ("myst-parser", ("3.0.1", "4.0.0"), ("docutils>=0.19,<0.22", "jinja2", "markdown-it-py~=3.0", "pyyaml")),
    ("markdown-it-py", ("3.0.0",), ("mdurl~=0.1",)),
    ("mdurl", ("0.1.2",), ()),
    ("pyyaml", ("6.0.1", "6.0.2"), ()),
    # Build and release.
    ("flit", ("3.9.0", "3.10.1"), ("flit-core>=3.9", "docutils", "requests", "tomli-w")),
    ("flit-core", ("3.9.0", "3.10.1"), ()),
    ("tomli-w", ("1.0.0", "1.1.0"), ()),
    (
        "twine",
        ("5.1.1", "6.0.1"),
        (
            "readme-renderer>=35",
            "requests>=2.20",
            "requests-toolbelt>=0.8",
            "urllib3>=1.26",
            "keyring>=15.1",
            "rfc3986>=1.4",
            "rich>=12",
            "pkginfo>=1.8.1",
        ),
    ),
    ("readme-renderer", ("43.0", "44.0"), ("nh3>=0.2.14", "docutils>=0.20", "pygments>=2.5.1")),
    ("nh3", ("0.2.18", "0.2.20"), ()),
    ("requests-toolbelt", ("1.0.0",), ("requests>=2,<3",)),
    (
        "keyring",
        ("24.3.1", "25.5.0"),
        ("jaraco-classes", "jaraco-functools", "jaraco-context", "importlib-metadata>=4.11.4" + PY_LT_312),
    ),
    ("jaraco-classes", ("3.4.0",), ("more-itertools",)),
    ("jaraco-functools", ("4.0.2", "4.1.0"), ("more-itertools",)),
    ("jaraco-context", ("5.3.0", "6.0.1"), ()),
    ("more-itertools", ("10.4.0", "10.5.0"), ()),
    ("importlib-metadata", ("8.4.0", "8.5.0"), ("zipp>=3.20",)),
    ("zipp", ("3.20.2", "3.21.0"), ()),
    ("rfc3986", ("2.0.0",), ()),
    ("rich", ("13.8.1", "13.9.4"), ("markdown-it-py>=2.2", "pygments>=2.13", "typing-extensions>=4" + PY_LT_311)),
    ("pkginfo", ("1.11.2", "1.12.0"), ()),
    # Lint.
    ("pre-commit", ("3.8.0", "4.0.1"), ("cfgv>=2", "identify>=1", "nodeenv>=0.11.1", "pyyaml>=5.1", "virtualenv>=20")),
    ("cfgv", ("3.4.0",), ()),
    ("identify", ("2.6.1", "2.6.3"), ()),
    ("virtualenv", ("20.27.1", "20.28.0"), ("distlib>=0.3.7,<1", "filelock>=3.12.2,<4", "platformdirs>=3.9.1,<5")),
    ("distlib", ("0.3.8", "0.3.9"), ()),
    ("filelock", ("3.16.0", "3.16.1"), ()),
    ("platformdirs", ("4.3.2", "4.3.6"), ()),
    ("ruff", ("0.8.4", "0.9.1"), ()),
    # Task runners and benchmarks.
    ("nox", ("2024.4.15", "2024.10.9"), ("argcomplete>=1.9.4,<4", "colorlog>=2.6.1,<7", "virtualenv>=20.14.1")),
    ("argcomplete", ("3.5.1", "3.5.2"), ()),
    ("colorlog", ("6.8.2", "6.9.0"), ("colorama" + WINDOWS,)),
    ("pyperf", ("2.7.0", "2.8.1"), ("psutil>=5.9",)),
    ("psutil", ("6.0.0", "6.1.1"), ()),
    ("tox", ("4.23.2", "4.24.1"), ("cachetools>=5.5", "chardet>=5.2", "filelock>=3.16", "pluggy>=1.5")),
    ("cachetools", ("5.5.0",), ()),
    ("chardet", ("5.2.0",), ()),
)

#: ``requirements/NAME.in`` of the benchmark project; ``dev`` includes other layers' locks.
LAYERS: Mapping[str, str] = {
    "tests": "pytest\npytest-cov\npytest-xdist\npytest-timeout\nhypothesis\nfreezegun\n",
    "tests-min": (
        "# The oldest versions the project supports.\n"
        "werkzeug==3.0.6\njinja2==3.1.4\nmarkupsafe==2.1.5\nitsdangerous==2.1.2\nblinker==1.8.2\n"
        "pytest==8.2.0\npluggy==1.5.0\niniconfig==2.0.0\n"
    ),
    "typing": "mypy\npyright\npytest\ntypes-requests\ntypes-pyyaml\n",
    "docs": "sphinx\npallets-sphinx-themes\nsphinx-notfound-page\nsphinx-tabs\nmyst-parser\n",
    "build": "flit\ntwine\n",
    "lint": "pre-commit\nruff\n",
    "bench": "-r tests.txt\npyperf\nnox\n",
    "ci": "nox\ntox\ncoverage\n",
    "release": "-r build.txt\nrich\nkeyring\n",
    "dev": "-r docs.txt\n-r tests.txt\n-r typing.txt\n-r lint.txt\nnox\ntox\n",
}

#: The project's runtime dependencies, as in ``[project] dependencies``.
DEPENDENCIES = ("werkzeug>=3.0", "jinja2>=3.1.2", "itsdangerous>=2.1", "blinker>=1.8")


def dists() -> Iterator[Dist]:
    for name, versions, requires in PACKAGES:
        for version in versions:
            yield Dist(name, version, requires)


#: Real tools added to the index: sprintlock's pip-tools resolver installs pip-tools for each
#: other target Python from it. None of their names is one of ``PACKAGES``.
TOOLS = ("pip-tools",)


def build_fake_index(folder: Path) -> Path:
    """Build the wheels, add the real tools and write the PEP 503 index; return ``simple``."""
    build_index(folder, dists())
    repack_installed(folder, TOOLS)
    return write_simple_index(folder)  # type: ignore[no-any-return, unused-ignore]


#: flask's requirement sets at its last pip-compile commit (``--real-index``: resolved on PyPI).
FLASK_LAYERS: Mapping[str, str] = {
    "build": "build\n",
    "docs": "pallets-sphinx-themes\nsphinx\nsphinxcontrib-log-cabinet\nsphinx-tabs\n",
    "tests": 'pytest\nasgiref\ngreenlet ; python_version < "3.11"\npython-dotenv\n',
    "tests-min": (
        "werkzeug==3.1.0\njinja2==3.1.2\nmarkupsafe==2.1.1\nitsdangerous==2.2.0\nclick==8.1.3\nblinker==1.9.0\n"
    ),
    "typing": ("mypy\npyright\npytest\ntypes-contextvars\ntypes-dataclasses\nasgiref\ncryptography\npython-dotenv\n"),
    "dev": "-r docs.txt\n-r tests.txt\n-r typing.txt\npre-commit\ntox\n",
}
FLASK_DEPENDENCIES = (
    "Werkzeug>=3.1",
    "Jinja2>=3.1.2",
    "itsdangerous>=2.2",
    "click>=8.1.3",
    "blinker>=1.9",
    "importlib-metadata>=3.6; python_version < '3.10'",
)


def pyproject(sprintlock: Mapping[str, str], dependencies: Sequence[str] = DEPENDENCIES) -> str:
    """``pyproject.toml`` text; ``sprintlock`` holds raw TOML values for ``[tool.sprintlock]``."""
    deps = "".join(f'    "{dep}",\n' for dep in dependencies)
    table = "".join(f"{key} = {value}\n" for key, value in sprintlock.items())
    return (
        '[project]\nname = "benchdemo"\nversion = "1.0"\nrequires-python = ">=3.10"\n'
        f"dependencies = [\n{deps}]\n\n[tool.sprintlock]\n{table}"
    )


def write_project(
    root: Path,
    sprintlock: Mapping[str, str],
    layers: Mapping[str, str] = LAYERS,
    dependencies: Sequence[str] = DEPENDENCIES,
) -> Path:
    """Write the project's inputs (no locks yet) into ``root``; return ``root``."""
    folder = root / "requirements"
    folder.mkdir(parents=True)
    (root / "pyproject.toml").write_text(pyproject(sprintlock, dependencies), encoding="utf-8")
    for name, text in layers.items():
        (folder / f"{name}.in").write_text(text, encoding="utf-8")
    return root


def as_pip_compile_multi(source: Path, target: Path) -> Path:
    """A copy of ``source`` in pip-compile-multi's dialect: layers reference ``-r NAME.in``.

    pip-compile-multi follows only ``-r other.in`` references (it writes ``-r other.txt``
    itself); otherwise the inputs are the same.
    """
    shutil.copytree(source, target)
    for path in (target / "requirements").glob("*.in"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(_in_reference(line) for line in lines), encoding="utf-8")
    return target


def _in_reference(line: str) -> str:
    if line.startswith("-r ") and line.rstrip().endswith(".txt"):
        return line.rstrip()[: -len(".txt")] + ".in\n"
    return line


def compile_order(layers: Mapping[str, str] = LAYERS) -> list[str]:
    """Layer names with every ``-r NAME.txt`` before the layer that includes it."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        for line in layers[name].splitlines():
            if line.startswith("-r "):
                visit(line.split()[1].removesuffix(".txt"))
        order.append(name)

    for name in sorted(layers):
        visit(name)
    return order


def as_dependency_groups(source: Path, target: Path) -> Path:
    """A copy of ``source`` for ``uv lock``: the same requirement sets as ``[dependency-groups]``.

    Each layer is a group of its requirement lines; ``-r NAME.txt`` is
    ``{include-group = "NAME"}``. The ``.in`` files stay (uv does not read them).
    """
    shutil.copytree(source, target)
    groups = []
    for path in sorted((target / "requirements").glob("*.in")):
        name, text = path.stem, path.read_text(encoding="utf-8")
        items = []
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("-r "):
                included = line.split()[1].removesuffix(".txt")
                items.append(f'{{include-group = "{included}"}}')
            elif line and not line.startswith("#"):
                items.append(json.dumps(line))  # a TOML basic string
        groups.append(f"{name} = [{', '.join(items)}]\n")
    pyproject = target / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text + "\n[dependency-groups]\n" + "".join(groups), encoding="utf-8")
    return target
