"""A new project gets the whole standard: a typing layer and session when it ships type
information, a docs layer (with the theme and extensions its configuration names) and session
when it has Sphinx or MkDocs docs; and the real nox runs those sessions, offline.

The offline index has stand-ins with console scripts for mypy and sphinx-build (and a furo
theme), so ``nox -s typing`` and ``nox -s docs`` run for real: the stand-ins print the
arguments they were given (and sphinx-build writes its output folder).
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import make_tools_index, use_index
from initkit import BIN, REAL, STAND_INS, write_demo
from wheelhouse import Dist

from sprintlock import check, load_project
from sprintlock._cli.main import main
from sprintlock._scaffold.detect import detect
from sprintlock._scaffold.docs import mkdocs_packages, sphinx_packages
from sprintlock._scaffold.init import KEEP, plan
from sprintlock._standard.noxfile import render_noxfile

HEAD = '[project]\nname = "demo"\nversion = "1.0"\nrequires-python = ">=3.11"\ndependencies = ["alpha>=1.0"]\n'
CONF = """\
import os
import sys

sys.path.insert(0, os.path.abspath("_ext"))
project = "demo"
extensions = ["sphinx.ext.autodoc", "myst_parser", "sphinxcontrib.log_cabinet", "local_extension"]
extensions += ["sphinx_tabs.tabs"]
html_theme = "furo"
"""
MKDOCS = """\
site_name: demo
theme:
  name: material
  features:
    - navigation.tabs
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - mkdocstrings:
      handlers:
        python: {}
  - our-own-plugin
"""


def make(tmp_path: Path, files: dict[str, str], pyproject: str = HEAD) -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def planned(root: Path) -> dict[str, str]:
    return {change.relative: change.text for change in plan(root)[1]}


def tools(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1].isalpha()]


@pytest.mark.parametrize("package", ["src/demo", "demo"])
def test_py_typed_alone_gets_mypy_a_typing_layer_and_session(tmp_path: Path, package: str) -> None:
    root = make(tmp_path, {f"{package}/__init__.py": "", f"{package}/py.typed": "", "tests/test_demo.py": ""})
    assert detect(root).checkers == ("mypy",)
    texts = planned(root)
    assert tools(texts["requirements/typing.in"]) == ["mypy"]
    assert "-r typing.txt\n" in texts["requirements/dev.in"]
    # Nothing configures what to check: the session names the package and the tests.
    assert f'paths = session.posargs or ["{package}", "tests"]\n    session.run("mypy", *paths)' in texts["noxfile.py"]
    assert '"typing"' in texts["noxfile.py"].split("nox.options.sessions = ", 1)[1].split("\n", 1)[0]


def test_a_configured_checker_wins_over_py_typed(tmp_path: Path) -> None:
    root = make(tmp_path, {"src/demo/py.typed": "", "src/demo/__init__.py": ""}, HEAD + "\n[tool.pyright]\n")
    assert detect(root).checkers == ("pyright",)
    assert tools(planned(root)["requirements/typing.in"]) == ["pyright"]


def test_no_type_information_no_typing_layer(tmp_path: Path) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": "", "py.typed": ""})  # not in the package
    texts = planned(root)
    assert detect(root).checkers == ()
    assert "requirements/typing.in" not in texts
    assert "def typing(" not in texts["noxfile.py"]


def test_sphinx_docs_get_the_theme_and_extensions_conf_py_names(tmp_path: Path) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": "", "docs/conf.py": CONF})
    assert sphinx_packages(root / "docs/conf.py") == (
        "furo",
        "myst-parser",
        "sphinxcontrib-log-cabinet",
        "sphinx-tabs",
    )  # built-in (sphinx.ext.*) and local extensions need nothing
    texts = planned(root)
    assert tools(texts["requirements/docs.in"]) == [
        "sphinx",
        "furo",
        "myst-parser",
        "sphinxcontrib-log-cabinet",
        "sphinx-tabs",
    ]
    assert '"sphinx-build",\n        "-W",\n        "docs",\n        "docs/_build/html",\n' in texts["noxfile.py"]


def test_mkdocs_gets_the_theme_and_plugins_mkdocs_yml_names(tmp_path: Path) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": "", "mkdocs.yml": MKDOCS})
    assert mkdocs_packages(root / "mkdocs.yml") == ("mkdocs-material", "mkdocstrings")
    assert tools(planned(root)["requirements/docs.in"]) == ["mkdocs", "mkdocs-material", "mkdocstrings"]
    assert mkdocs_packages(root / "missing.yml") == ()
    (root / "mkdocs.yml").write_text("site_name: demo\ntheme: 'material'\n")
    assert mkdocs_packages(root / "mkdocs.yml") == ("mkdocs-material",)


@pytest.mark.parametrize("conf", ["this is not python (", "html_theme = THEME\nextensions = make()\n", ""])
def test_an_unreadable_conf_py_needs_only_sphinx(tmp_path: Path, conf: str) -> None:
    root = make(tmp_path, {"src/demo/__init__.py": "", "docs/conf.py": conf})
    assert sphinx_packages(root / "docs/conf.py") == ()
    assert tools(planned(root)["requirements/docs.in"]) == ["sphinx"]


@pytest.mark.parametrize(
    ("files", "output"),
    [
        ({"docs/conf.py": ""}, "docs/_build/"),
        ({"doc/source/conf.py": ""}, "doc/source/_build/"),
        ({"mkdocs.yml": ""}, "site/"),
    ],
)
def test_gitignore_covers_the_docs_build(tmp_path: Path, files: dict[str, str], output: str) -> None:
    root = make(tmp_path, files)
    assert f"\n{output}\n" in planned(root)[".gitignore"]
    (root / ".gitignore").write_text("*.pyc\n.nox/\n")  # the user's: gets only what it lacks
    change = next(change for change in plan(root)[1] if change.relative == ".gitignore")
    assert change.text.startswith("*.pyc\n.nox/\n") and change.text.endswith(f"\n{output}\n")
    assert change.text.count(".nox/") == 1


def test_existing_layers_are_never_replaced(tmp_path: Path) -> None:
    typing_in = "# ours\nmypy==1.0  # pinned by hand\n"
    docs_in = "sphinx<9\n"
    root = make(
        tmp_path,
        {
            "src/demo/py.typed": "",
            "src/demo/__init__.py": "",
            "docs/conf.py": CONF,
            "requirements/typing.in": typing_in,
            "requirements/docs.in": docs_in,
        },
    )
    changes = {change.relative: change for change in plan(root)[1]}
    for relative, text in (("requirements/typing.in", typing_in), ("requirements/docs.in", docs_in)):
        assert (changes[relative].action, changes[relative].text) == (KEEP, text)


GROUPS = HEAD + '\n[dependency-groups]\ndev = ["ruff"]\npre-commit = ["pre-commit"]\ntests = ["pytest"]\n'


def test_lint_installs_the_group_that_has_pre_commit(tmp_path: Path) -> None:
    """flask's layout: the dev group has no pre-commit, a group of that name has."""
    root = make(tmp_path, {"src/demo/__init__.py": ""}, GROUPS)
    detected = detect(root)
    assert detected.hooks_layer == "pre-commit"
    text = render_noxfile(detected)
    lint = text.split("def lint(", 1)[1].split("\n\n\n", 1)[0]
    assert 'sprintlock.nox.install(session, "pre-commit")' in lint
    upgrade = text.split("def upgrade(", 1)[1].split("\n\n\n", 1)[0]
    assert 'sprintlock.nox.install(session, "pre-commit", project=False)' in upgrade


@pytest.mark.parametrize(
    "groups",
    [
        'dev = ["ruff", {include-group = "hooks"}]\nhooks = ["pre-commit"]\n',  # dev includes it
        'tests = ["pytest"]\npre-commit = ["pre-commit"]\n',  # no dev group: init writes dev.in with pre-commit
        'dev = ["ruff"]\n',  # nobody has it: the standard layer
    ],
)
def test_lint_installs_dev_otherwise(tmp_path: Path, groups: str) -> None:
    root = make(tmp_path, {}, HEAD + "\n[dependency-groups]\n" + groups)
    assert detect(root).hooks_layer == "dev"


# --- the sessions, run by the real nox ------------------------------------------------------


def _record(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def tool_wheel(folder: Path, name: str, script: str, main: str) -> None:
    """A wheel of ``name`` 1.0 whose console script ``script`` runs ``main`` (the body of main())."""
    module = name.replace("-", "_")
    info = f"{module}-1.0.dist-info"
    files = {
        f"{module}/__init__.py": f"import sys\n\n\ndef main():\n{main}".encode(),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: sprintlock-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": f"[console_scripts]\n{script} = {module}:main\n".encode(),
    }
    record = "".join(f"{path},{_record(data)},{len(data)}\n" for path, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / f"{module}-1.0-py3-none-any.whl", "w") as archive:
        for path, data in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), data)


FAKE_MYPY = "    print('FAKE-MYPY', *sys.argv[1:])\n"
FAKE_SPHINX = (
    "    import pathlib\n"
    "    out = pathlib.Path(sys.argv[-1])\n"
    "    out.mkdir(parents=True, exist_ok=True)\n"
    "    (out / 'index.html').write_text('built')\n"
    "    print('FAKE-SPHINX', *sys.argv[1:])\n"
)


@pytest.fixture(scope="module")
def tools_with_scripts(tmp_path_factory: pytest.TempPathFactory, sprintlock_wheel: Path) -> Path:
    """initkit's index, but mypy and sphinx have their console scripts, and furo is there."""
    folder = tmp_path_factory.mktemp("new-project-index")
    tool_wheel(folder / "files", "mypy", "mypy", FAKE_MYPY)
    tool_wheel(folder / "files", "sphinx", "sphinx-build", FAKE_SPHINX)
    return make_tools_index(folder, sprintlock_wheel, extra=(*STAND_INS, Dist("furo", "1.0")), real=REAL)


def nox(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real nox of this environment (the header's nox and sprintlock are installed here)."""
    return subprocess.run(
        [str(BIN / "nox"), "--no-color", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
    )


def test_init_then_the_typing_and_docs_sessions_run(
    tmp_path: Path, tools_with_scripts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_index(monkeypatch, tools_with_scripts)
    root = write_demo(tmp_path / "project")
    (root / "src/demo/py.typed").write_text("")
    (root / "docs").mkdir()
    (root / "docs/conf.py").write_text('project = "demo"\nhtml_theme = "furo"\n')
    assert main(["-C", str(root), "init"]) == 0, capsys.readouterr()
    assert tools((root / "requirements/docs.in").read_text()) == ["sphinx", "furo"]
    assert check(load_project(root)).ok

    typing = nox(root, "-s", "typing")
    assert typing.returncode == 0, typing.stdout + typing.stderr
    assert "FAKE-MYPY src/demo tests" in typing.stdout + typing.stderr

    docs = nox(root, "-s", "docs")
    assert docs.returncode == 0, docs.stdout + docs.stderr
    assert "FAKE-SPHINX -W docs docs/_build/html" in docs.stdout + docs.stderr
    assert (root / "docs/_build/html/index.html").read_text() == "built"
    # What the sessions leave is ignored (the .gitignore init wrote): the docs build too.
    ignored = (root / ".gitignore").read_text().splitlines()
    assert {".nox/", ".venv/", "docs/_build/"} <= set(ignored)
