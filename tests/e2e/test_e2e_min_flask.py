"""flask adopted offline (its last pip-compile commit): a complete minimum-versions lock, tox factors that
still install, and a doctor with nothing to say about its tox environments."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import use_index
from test_e2e_adoption import adoption_index, pallets_repository, pins_here

from sprintlock import check, load_project
from sprintlock._cli.main import main
from sprintlock._doctor import check_repository

#: The fake index of the adoption tests (fixture imported for pytest).
FIXTURES = (adoption_index,)
MINIMUMS = {
    "werkzeug": "3.1.0",
    "jinja2": "3.1.2",
    "markupsafe": "2.1.1",
    "itsdangerous": "2.2.0",
    "click": "8.1.3",
    "blinker": "1.9.0",
}
TOX_CODES = ("tox-conflict", "tox-hash-mix")


def test_flask_min_layer_and_tox_environments(
    tmp_path: Path, adoption_index: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_index(monkeypatch, adoption_index)
    root = pallets_repository(tmp_path, "flask")
    assert main(["-C", str(root), "init"]) == 0
    out = capsys.readouterr().out

    folder = root / "requirements"
    minimum = pins_here((folder / "tests-min.txt").read_text(), "tests-min")
    tests = pins_here((folder / "tests.txt").read_text(), "tests")
    # The minimums, exactly; the test tools, at the versions the tests lock pins.
    assert {name: minimum[name] for name in MINIMUMS} == MINIMUMS
    assert tests["click"] != MINIMUMS["click"]
    for tool in ("pytest", "asgiref", "python-dotenv", "pluggy", "iniconfig"):
        assert minimum[tool] == tests[tool], tool
    assert check(load_project(root)).ok

    # tox: each factor environment installs one complete, consistent set.
    assert (
        "deps =\n"
        "    !min-!dev: -r requirements/tests.txt\n"
        "    min: -r requirements/tests-min.txt\n"
        "    dev: -r requirements/tests.in\n"
        "    dev: -r requirements/tests-dev.txt\n"
    ) in (root / "tox.ini").read_text()
    assert "requirements/tests-dev.txt has no hashes" in out
    findings = check_repository(root).findings
    assert [f for f in findings if f.code in TOX_CODES] == []

    # Without that change (the user's deps as they were), doctor names both problems.
    original = (Path(__file__).parents[1] / "data/adopt/flask/tox.ini").read_text()
    (root / "tox.ini").write_text(original)
    codes = sorted(f.code for f in check_repository(root).findings if f.code in TOX_CODES)
    assert codes == ["tox-conflict", "tox-hash-mix"]


@pytest.mark.parametrize("case", ["werkzeug", "click"])
def test_other_pallets_tox_environments_stay_installable(
    tmp_path: Path, case: str, adoption_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_index(monkeypatch, adoption_index)
    root = pallets_repository(tmp_path, case)
    before = (root / "tox.ini").read_text()
    assert main(["-C", str(root), "init"]) == 0
    # One lock per environment already: their deps lines are left as they were.
    assert "deps = -r requirements/tests.txt\n" in before
    assert "deps = -r requirements/tests.txt\n" in (root / "tox.ini").read_text()
    assert [f for f in check_repository(root).findings if f.code in TOX_CODES] == []
