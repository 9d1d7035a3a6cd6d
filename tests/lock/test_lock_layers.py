"""Layers: one per ``.in``, ordered by the locks they include, with every file they read."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._core.errors import InputError
from sprintlock._lock.layers import dependents, discover
from sprintlock._project.config import load_project


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_layers_come_after_the_layers_they_include(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "requirements/dev.in": "-r tests.txt\n-c docs.txt\n-r tests.txt\n",
            "requirements/docs.in": "sphinx\n",
            "requirements/tests.in": "-r common.in\npytest\n",
            "requirements/common.in": "-r shared/extra.txt\n",
            "requirements/shared/extra.txt": "coverage\n",
        },
    )
    layers = discover(load_project(root))
    assert list(layers) == ["common", "docs", "tests", "dev"]
    assert layers["dev"].lock_deps == ("tests", "docs")  # in file order, once each
    tests = layers["tests"]
    assert [s.path.relative_to(root).as_posix() for s in tests.sources] == [
        "requirements/tests.in",
        "requirements/common.in",
        "requirements/shared/extra.txt",
    ]
    assert tests.lock_path == root / "requirements/tests.txt"
    assert tests.in_path == root / "requirements/tests.in"


def test_exact_pins_make_a_layer_frozen(tmp_path: Path) -> None:
    root = project(tmp_path, {"requirements/min.in": "alpha==1.0\n", "requirements/tests.in": "alpha\n"})
    layers = discover(load_project(root))
    assert layers["min"].frozen
    assert not layers["tests"].frozen


def test_dependents_are_transitive(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "requirements/a.in": "x\n",
            "requirements/b.in": "-r a.txt\n",
            "requirements/c.in": "-c b.txt\n",
            "requirements/d.in": "y\n",
        },
    )
    layers = discover(load_project(root))
    assert dependents(layers, ["a"]) == {"a", "b", "c"}
    assert dependents(layers, ["d"]) == {"d"}


@pytest.mark.parametrize(
    ("files", "where", "message"),
    [
        ({}, "requirements", "no requirements folder"),
        ({"requirements/README.md": "x"}, "requirements", "no .in files to lock"),
        ({"requirements/a.in": "-r missing.in\n"}, "requirements/a.in:1", "no such file"),
        ({"requirements/a.in": "x\n-r ../../elsewhere.txt\n"}, "requirements/a.in:2", "outside the project"),
        ({"requirements/a.in": "-r a.in\n"}, "requirements/a.in:1", "circular reference: a.in -> a.in"),
        ({"requirements/a.in": "-r common.in\n", "requirements/common.in": "-r a.in\n"}, None, "circular reference"),
        (
            {"requirements/a.in": "-r b.txt\n", "requirements/b.in": "-r a.txt\n"},
            "requirements/a.in:1",
            "circular reference: a.txt -> b.txt -> a.txt",
        ),
    ],
)
def test_reference_errors(tmp_path: Path, files: dict[str, str], where: str | None, message: str) -> None:
    root = project(tmp_path, files)
    with pytest.raises(InputError, match=message) as caught:
        discover(load_project(root))
    if where is not None:
        assert caught.value.where == where
