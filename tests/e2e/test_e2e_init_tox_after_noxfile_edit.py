"""Issue 9, item 6: ``init --tox`` writes ``tox.ini`` whatever the state of the user's noxfile.

An edited noxfile is the user's (kept, with a note), so it never blocks the other files:
``init --tox`` on a project that doctor finds conforming adds ``tox.ini`` and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from initkit import init_index, init_index_dir, write_demo  # noqa: F401 - init_index and init_index_dir are fixtures

from sprintlock._cli.main import main

pytestmark = pytest.mark.usefixtures("init_index")

EXTRA_SESSION = '\n\n@nox.session\ndef extra(session: nox.Session) -> None:\n    session.log("mine")\n'


@pytest.mark.parametrize("edit", ["added a session", "not Python"])
def test_init_tox_writes_tox_ini_after_the_noxfile_was_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: str
) -> None:
    root = write_demo(tmp_path / "project")
    assert main(["-C", str(root), "init"]) == 0, capsys.readouterr()
    noxfile = root / "noxfile.py"
    edited = noxfile.read_text() + (EXTRA_SESSION if edit == "added a session" else "\ndef broken(:\n")
    noxfile.write_text(edited)
    if edit == "added a session":
        assert main(["-C", str(root), "doctor"]) == 0, capsys.readouterr()
    capsys.readouterr()
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}

    assert main(["-C", str(root), "init", "--tox"]) == 0
    out = capsys.readouterr().out

    assert "noxfile.py: kept (yours)" in out and "tox.ini: create" in out
    assert noxfile.read_text() == edited
    assert "[testenv:tests]" in (root / "tox.ini").read_text()
    after = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    assert {path for path in after if after[path] != before.get(path)} == {root / "tox.ini"}
