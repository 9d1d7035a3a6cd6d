"""sprintlock's own repository keeps its hand-written files equal to their sources.

- the noxfile's PEP 723 header lists nox and then exactly ``[project] dependencies`` (on
  3.10, ``import sprintlock.nox`` from the noxfile needs tomli: a hand copy lost it);
- ``.github/workflows`` is what ``sprintlock init``'s renderers write for this project.
"""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT

from sprintlock._project.config import load_project
from sprintlock._standard.devcontainer import image_python
from sprintlock._standard.noxfile import nox_version
from sprintlock._standard.workflows.publish import render_publish_workflow
from sprintlock._standard.workflows.render import render_tests_workflow, render_upgrade_workflow

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the suite's locks carry tomli for 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

_HEADER = re.compile(r"^# /// script\n((?:#.*\n)*?)# ///$", re.MULTILINE)


def noxfile_dependencies() -> list[str]:
    match = _HEADER.search((ROOT / "noxfile.py").read_text())
    assert match is not None, "noxfile.py has no PEP 723 header"
    toml = "".join(line[2:] if line.startswith("# ") else line[1:] for line in match[1].splitlines(keepends=True))
    dependencies = tomllib.loads(toml)["dependencies"]
    assert isinstance(dependencies, list)
    return dependencies


def test_the_noxfile_header_is_nox_and_the_project_dependencies() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    nox, *rest = noxfile_dependencies()
    assert nox == f"nox[uv]=={nox_version()}"
    assert rest == pyproject["project"]["dependencies"]
    assert any(dependency.startswith("tomli") for dependency in rest)


@pytest.mark.parametrize("name", ["tests.yml", "upgrade.yml", "publish.yml"])
def test_the_workflows_are_init_s(name: str) -> None:
    config = load_project(ROOT).config
    pythons = config.targets.pythons
    rendered = {
        "tests.yml": lambda: render_tests_workflow(image_python(pythons)),
        "upgrade.yml": lambda: render_upgrade_workflow(pythons, config.upgrade_schedule),
        "publish.yml": lambda: render_publish_workflow("sprintlock", image_python(pythons)),
    }[name]()
    assert (ROOT / ".github" / "workflows" / name).read_text() == rendered, (
        f"regenerate .github/workflows/{name} with the renderer of sprintlock init"
    )
    assert pythons == ("3.10", "3.11", "3.12", "3.13", "3.14")  # the suite runs on every supported Python
