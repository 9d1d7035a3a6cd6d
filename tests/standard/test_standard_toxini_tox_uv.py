"""A project whose tox runs with tox-uv keeps it: ``[tox] requires`` provisions sprintlock's
plugin, and the provisioned tox would otherwise lack tox-uv."""

from __future__ import annotations

from pathlib import Path

import pytest
from initkit import detected

from sprintlock._scaffold.detect import detect
from sprintlock._standard.toxini import adopt_tox_ini, render_tox_ini, requirement

PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n'


def test_a_new_tox_ini_requires_tox_uv_when_the_project_uses_it() -> None:
    assert f"[tox]\nrequires =\n    {requirement()}\n    tox-uv\nenv_list =" in render_tox_ini(detected(tox_uv=True))
    assert f"[tox]\nrequires =\n    {requirement()}\nenv_list =" in render_tox_ini(detected(tox_uv=False))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("[tox]\nrequires = tox>=4\n", f"[tox]\nrequires = tox>=4\n    {requirement()}\n    tox-uv\n"),
        ("[tox]\nrequires =\n    tox-uv>=1\n", f"[tox]\nrequires =\n    tox-uv>=1\n    {requirement()}\n"),
        ("[tox]\nrequires = Tox_UV\n", f"[tox]\nrequires = Tox_UV\n    {requirement()}\n"),
        ("[testenv]\ndeps = x\n", f"[tox]\nrequires =\n    {requirement()}\n    tox-uv\n\n[testenv]\ndeps = x\n"),
        ("[tox]\nenv_list = py\n", f"[tox]\nrequires =\n    {requirement()}\n    tox-uv\nenv_list = py\n"),
    ],
)
def test_an_adopted_tox_ini_gets_tox_uv_once(before: str, after: str) -> None:
    adopted = adopt_tox_ini(before, detected(tox_uv=True, extra_layers=()))
    assert adopted.startswith(after)
    assert adopt_tox_ini(adopted, detected(tox_uv=True, extra_layers=())) == adopted


def test_without_tox_uv_requires_gets_sprintlock_alone() -> None:
    adopted = adopt_tox_ini("[tox]\nrequires = tox>=4\n", detected(tox_uv=False, extra_layers=()))
    assert adopted.startswith(f"[tox]\nrequires = tox>=4\n    {requirement()}\n")
    assert "tox-uv" not in adopted


@pytest.mark.parametrize(
    ("files", "uses"),
    [
        ({"pyproject.toml": PYPROJECT + '[dependency-groups]\ndev = ["tox", "tox-uv>=1"]\n'}, True),
        ({"pyproject.toml": PYPROJECT, "requirements/dev.in": "tox\ntox-uv\n"}, True),
        ({"pyproject.toml": PYPROJECT, "tox.ini": "[tox]\nrequires =\n    tox-uv\n"}, True),
        ({"pyproject.toml": PYPROJECT + '[dependency-groups]\ndev = ["tox", "uv"]\n'}, False),
        ({"pyproject.toml": PYPROJECT, "requirements/dev.in": "tox\n# tox-uv some day\n"}, False),
    ],
)
def test_detect_finds_tox_uv(tmp_path: Path, files: dict[str, str], uses: bool) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert detect(tmp_path).tox_uv is uses
