"""``load_project``: ``[tool.sprintlock]`` and ``[project]``, each value typed or a clear ConfigError."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._core.errors import ConfigError
from sprintlock._project.config import Config, load_project
from sprintlock._project.targets import DEFAULT_PYTHONS, PLATFORMS, Targets

PROJECT = '[project]\nname = "demo"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = ["alpha>=1"]\n'


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(text)
    return tmp_path


def error(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_project(write(tmp_path, text))
    return caught.value


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    project = load_project(tmp_path)
    assert project.root == tmp_path.resolve()
    assert project.config == Config(targets=Targets(DEFAULT_PYTHONS, PLATFORMS))
    assert (project.name, project.dependencies, project.requires_python) == (None, (), None)
    assert project.config.includes_project("tests")
    assert not project.config.includes_project("build")


def test_project_table_and_every_key(tmp_path: Path) -> None:
    project = load_project(
        write(
            tmp_path,
            PROJECT
            + "\n[tool.sprintlock]\n"
            + 'requirements = "reqs"\nresolver = "pip-tools"\npython = ["3.13", "3.12"]\n'
            + 'platforms = ["windows", "linux"]\nhashes = false\nproject-layers = ["tests"]\n'
            + 'upgrade-schedule = "weekly"\n',
        )
    )
    assert (project.name, project.dependencies, project.requires_python) == ("demo", ("alpha>=1",), ">=3.12")
    assert project.config == Config(
        requirements="reqs",
        resolver="pip-tools",
        targets=Targets(("3.12", "3.13"), ("linux", "windows")),
        hashes=False,
        project_layers=("tests",),
        upgrade_schedule="weekly",
    )
    assert project.requirements_dir == tmp_path.resolve() / "reqs"
    assert not project.config.includes_project("docs")


def test_python_defaults_to_what_requires_python_admits(tmp_path: Path) -> None:
    assert load_project(write(tmp_path, PROJECT)).config.targets.pythons == ("3.12", "3.13", "3.14", "3.15")


@pytest.mark.parametrize(
    ("table", "where", "message"),
    [
        ('resolver = "poetry"', "pyproject.toml:8", "unknown resolver 'poetry'"),
        ("resolver = 5", "pyproject.toml:8", "unknown resolver 5"),
        ("python = 5", "pyproject.toml:8", "`python` must be a list of strings"),
        ('python = ["3"]', "pyproject.toml:8", "`python` must list minor versions like \"3.12\", not ['3']"),
        ("python = []", "pyproject.toml:8", '`python` must list minor versions like "3.12", not []'),
        ('platforms = ["beos"]', "pyproject.toml:8", "unknown platforms ['beos']"),
        ('platforms = "linux"', "pyproject.toml:8", "`platforms` must be a list of strings"),
        ('hashes = "yes"', "pyproject.toml:8", "`hashes` must be true or false"),
        ('requirements = "/abs"', "pyproject.toml:8", "`requirements` must be a relative folder path"),
        ("requirements = 1", "pyproject.toml:8", "`requirements` must be a relative folder path"),
        ("project-layers = [1]", "pyproject.toml:8", "`project-layers` must be a list of strings"),
        ('upgrade-schedule = "sometimes"', "pyproject.toml:8", "invalid upgrade-schedule 'sometimes'"),
        ("upgrade-schedule = 7", "pyproject.toml:8", "invalid upgrade-schedule 7"),
        ("colour = true", "pyproject.toml:8", "unknown option `colour` in [tool.sprintlock]"),
    ],
)
def test_sprintlock_values_are_checked_at_their_line(tmp_path: Path, table: str, where: str, message: str) -> None:
    found = error(tmp_path, PROJECT + f"\n[tool.sprintlock]\n{table}\n")
    assert (found.where, found.message) == (where, message)
    assert found.hint


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('project = "x"\n', "pyproject.toml:1", "[project] must be a table"),
        ("tool = 5\n", "pyproject.toml:1", "[tool] must be a table"),
        ("[tool]\nsprintlock = 5\n", "pyproject.toml:2", "[tool.sprintlock] must be a table"),
        ("[project]\nname = 5\n", "pyproject.toml:2", "`name` must be a string"),
        ("[project]\nrequires-python = 3.12\n", "pyproject.toml:2", "invalid requires-python 3.12"),
        ('[project]\nrequires-python = ">=three"\n', "pyproject.toml:2", "invalid requires-python '>=three'"),
        ('[project]\nrequires-python = "<3"\n', "pyproject.toml:2", "requires-python '<3' admits no known CPython"),
        ('[project]\ndependencies = "alpha"\n', "pyproject.toml:2", "`dependencies` must be a list of strings"),
        ("[project]\ndependencies = [1]\n", "pyproject.toml:2", "`dependencies` must be a list of strings"),
        ('[project]\ndependencies = ["not valid!"]\n', "pyproject.toml:2", "invalid dependency 'not valid!'"),
        ('[project]\ndynamic = ["dependencies"]\n', "pyproject.toml:2", "the project's dependencies are dynamic"),
        ("[project]\ndynamic = 5\n", "pyproject.toml:2", "`dynamic` must be a list of strings"),
        ("[project\n", "pyproject.toml:1", "invalid TOML"),
    ],
)
def test_wrong_toml_types_are_config_errors(tmp_path: Path, text: str, where: str, message: str) -> None:
    found = error(tmp_path, text)
    assert found.where == where
    assert found.message.startswith(message)


def test_the_first_bad_value_is_reported(tmp_path: Path) -> None:
    found = error(tmp_path, PROJECT + '\n[tool.sprintlock]\nhashes = 1\nresolver = "x"\npython = 5\n')
    assert found.message == "unknown resolver 'x'"
