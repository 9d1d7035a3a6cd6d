"""``detect``: what a project uses, read from small fixture projects (read only, no tools run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._core.errors import ConfigError
from sprintlock._scaffold.detect import Detected, detect

PROJECT = '[project]\nname = "Demo.Pkg"\nversion = "1"\nrequires-python = ">=3.10"\n'


def project(tmp_path: Path, files: dict[str, str], pyproject: str = PROJECT) -> Path:
    (tmp_path / "pyproject.toml").write_text(pyproject)
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_bare_project_uses_nothing(tmp_path: Path) -> None:
    found = detect(project(tmp_path, {}))
    assert found == Detected(
        name="Demo.Pkg",
        layout="unknown",
        package_path=None,
        requires_python=">=3.10",
        checkers=(),
        checker_targets_configured=False,
        docs=None,
        docs_dir=None,
        has_tests_dir=False,
        pre_commit_config=False,
        extra_layers=("build",),  # init writes it; its session builds the sdist and wheel
    )
    assert found.import_name == "demo_pkg"
    assert found.check_paths == ()


@pytest.mark.parametrize(
    ("files", "layout", "package_path"),
    [
        ({"src/demo_pkg/__init__.py": ""}, "src", "src/demo_pkg"),
        ({"src/demo_pkg.py": ""}, "src", "src/demo_pkg.py"),
        ({"demo_pkg/__init__.py": ""}, "flat", "demo_pkg"),
        ({"demo_pkg.py": ""}, "flat", "demo_pkg.py"),
        # src/ wins over a folder of the same name at the root.
        ({"src/demo_pkg/__init__.py": "", "demo_pkg/__init__.py": ""}, "src", "src/demo_pkg"),
        # a folder without __init__.py is not the package.
        ({"demo_pkg/module.py": ""}, "unknown", None),
    ],
)
def test_layout(tmp_path: Path, files: dict[str, str], layout: str, package_path: str | None) -> None:
    found = detect(project(tmp_path, files))
    assert (found.layout, found.package_path) == (layout, package_path)


def test_check_paths_are_the_package_and_tests(tmp_path: Path) -> None:
    found = detect(project(tmp_path, {"src/demo_pkg/__init__.py": "", "tests/test_x.py": ""}))
    assert found.has_tests_dir
    assert found.check_paths == ("src/demo_pkg", "tests")


@pytest.mark.parametrize(
    ("files", "pyproject_extra", "checkers", "configured"),
    [
        ({}, "\n[tool.mypy]\nstrict = true\n", ("mypy",), False),
        ({}, '\n[tool.mypy]\nfiles = ["src"]\n', ("mypy",), True),
        ({"mypy.ini": "[mypy]\nstrict = True\n"}, "", ("mypy",), False),
        ({"mypy.ini": "[mypy]\nfiles = src\n"}, "", ("mypy",), True),
        ({".mypy.ini": "[mypy]\nfiles = src\n"}, "", ("mypy",), True),
        ({"setup.cfg": "[metadata]\nname = x\n\n[mypy]\nstrict = True\n"}, "", ("mypy",), False),
        ({"requirements/typing.in": "mypy>=1\n"}, "", ("mypy",), False),
        ({"requirements.txt": "pyright==1.1\n"}, "", ("pyright",), False),
        ({}, "\n[tool.pyright]\n", ("pyright",), False),
        ({"pyrightconfig.json": "{}\n"}, "", ("pyright",), False),
        ({"pyrightconfig.json": "{}\n"}, "\n[tool.mypy]\n", ("mypy", "pyright"), False),
        # a mention in a comment or an unrelated section is not a configuration
        ({"setup.cfg": "[flake8]\nmax-line-length = 100\n", "requirements/tests.in": "# mypy later\n"}, "", (), False),
        ({"mypy.ini": "not an ini file\n"}, "", ("mypy",), False),
    ],
)
def test_type_checkers(
    tmp_path: Path, files: dict[str, str], pyproject_extra: str, checkers: tuple[str, ...], configured: bool
) -> None:
    found = detect(project(tmp_path, files, PROJECT + pyproject_extra))
    assert found.checkers == checkers
    assert found.checker_targets_configured is configured


@pytest.mark.parametrize(
    ("files", "docs", "docs_dir"),
    [
        ({"docs/conf.py": ""}, "sphinx", "docs"),
        ({"doc/conf.py": ""}, "sphinx", "doc"),
        ({"docs/source/conf.py": ""}, "sphinx", "docs/source"),
        ({"doc/source/conf.py": ""}, "sphinx", "doc/source"),
        ({"mkdocs.yml": "site_name: x\n"}, "mkdocs", None),
        ({"mkdocs.yaml": "site_name: x\n"}, "mkdocs", None),
        # Sphinx wins over MkDocs; Markdown alone is no docs tool.
        ({"docs/conf.py": "", "mkdocs.yml": ""}, "sphinx", "docs"),
        ({"docs/index.md": "# hello\n"}, None, None),
    ],
)
def test_docs(tmp_path: Path, files: dict[str, str], docs: str | None, docs_dir: str | None) -> None:
    found = detect(project(tmp_path, files))
    assert (found.docs, found.docs_dir) == (docs, docs_dir)


def test_pre_commit_config(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    assert not detect(root).pre_commit_config
    (root / ".pre-commit-config.yaml").write_text("repos: []\n")
    assert detect(root).pre_commit_config


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("[tool.other]\nx = 1\n", "no [project] name"),
        ("[project]\nversion = '1'\n", "no [project] name"),
        ('[project]\nname = "demo"\nrequires-python = 3\n', "requires-python must be a string"),
    ],
)
def test_project_table_errors(tmp_path: Path, pyproject: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        detect(project(tmp_path, {}, pyproject))
    assert raised.value.message == message
    assert raised.value.where is not None and raised.value.where.startswith("pyproject.toml")
