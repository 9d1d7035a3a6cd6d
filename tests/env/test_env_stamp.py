"""The environment stamp: what a sync was asked for (the key) and what it left (the fingerprint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintlock._env.contents import take_manifest
from sprintlock._env.stamp import (
    STAMP_NAME,
    Installed,
    Stamp,
    env_fingerprint,
    file_digest,
    is_current,
    project_record,
    read_stamp,
    remove_stamp,
    request_key,
    write_stamp,
)

LOCK = "alpha==1.0 \\\n    --hash=sha256:aaaa\n"


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    (venv / "lib" / "site-packages").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.9\n")
    return venv


@pytest.fixture
def site(venv: Path) -> Path:
    site = venv / "lib" / "site-packages"
    for folder in ("alpha-1.0.dist-info", "beta-2.0.egg-info", "alpha", "__pycache__"):
        (site / folder).mkdir()
    (site / "beta.py").write_text("")
    return site


def test_request_key_changes_with_every_part_of_the_request(venv: Path) -> None:
    key = request_key(LOCK, "tests", venv, "")
    assert key.startswith("sha256:")
    assert request_key(LOCK, "tests", venv, "") == key  # deterministic
    assert request_key(LOCK.replace("1.0", "1.1"), "tests", venv, "") != key  # the lock's bytes
    assert request_key(LOCK + "\n", "tests", venv, "") != key  # even a trailing newline
    assert request_key(LOCK, "docs", venv, "") != key  # the layer
    assert request_key(LOCK, "tests", venv, "editable /src") != key  # the project record
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.12.1\n")
    assert request_key(LOCK, "tests", venv, "") != key  # the interpreter


def test_file_digest_of_a_missing_file(tmp_path: Path) -> None:
    assert file_digest(tmp_path / "nothing") == "missing"
    (tmp_path / "f").write_bytes(b"x")
    assert file_digest(tmp_path / "f") == "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"


def test_env_fingerprint_is_the_sorted_metadata_folders(site: Path, tmp_path: Path) -> None:
    assert env_fingerprint((str(site),)) == ("alpha-1.0.dist-info", "beta-2.0.egg-info")
    other = tmp_path / "other"
    other.mkdir()
    (other / "gamma-3.0.dist-info").mkdir()
    assert env_fingerprint((str(site), str(other))) == (
        "alpha-1.0.dist-info",
        "beta-2.0.egg-info",
        "gamma-3.0.dist-info",
    )
    missing = str(tmp_path / "gone")
    assert env_fingerprint((missing,)) == (f"<missing {missing}>",)


def test_project_record_editable_counts_only_the_build_configuration(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (root / "src" / "demo.py").write_text("A = 1\n")
    assert project_record(root, install=False, editable=False) == ""
    editable = project_record(root, install=True, editable=True)
    assert editable.startswith(f"editable {root} ")
    (root / "src" / "demo.py").write_text("A = 2  # changed\n")
    assert project_record(root, install=True, editable=True) == editable
    (root / "pyproject.toml").write_text("[project]\nname = 'demo2'\n")
    assert project_record(root, install=True, editable=True) != editable


def test_project_record_of_a_copy_follows_the_files_but_not_hidden_or_built_ones(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (root / "src" / "demo.py").write_text("A = 1\n")
    copy = project_record(root, install=True, editable=False)
    assert copy.startswith(f"copy {root} ")
    for ignored in (".nox/x", ".coverage", "build/lib/demo.py", "dist/demo.whl", "demo.egg-info/PKG-INFO"):
        path = root / ignored
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("noise\n")
    (root / "env").mkdir()
    (root / "env" / "pyvenv.cfg").write_text("")  # a virtual environment inside the tree
    assert project_record(root, install=True, editable=False) == copy
    (root / "src" / "demo.py").write_text("A = 22\n")
    assert project_record(root, install=True, editable=False) != copy


def test_a_stamp_is_current_only_for_its_key_and_an_untouched_environment(venv: Path, site: Path) -> None:
    key = request_key(LOCK, "tests", venv, "")
    assert not is_current(None, key)
    assert not is_current(Stamp(key, "", (str(site),), env_fingerprint((str(site),))), key)  # no manifest
    manifest = take_manifest((str(site),), ())
    stamp = Stamp(key, "", (str(site),), env_fingerprint((str(site),)), manifest=manifest)
    assert is_current(stamp, key)
    assert not is_current(stamp, request_key(LOCK, "docs", venv, ""))
    (site / "intruder-0.1.dist-info").mkdir()  # installed by hand after the sync
    assert not is_current(stamp, key)


def test_stamp_round_trip_and_removal(venv: Path, site: Path) -> None:
    assert read_stamp(venv) is None
    stamp = Stamp("sha256:abc", "editable /src x", (str(site),), ("alpha-1.0.dist-info",))
    write_stamp(venv, stamp)
    assert read_stamp(venv) == stamp
    full = Stamp(
        "sha256:abc",
        "",
        (str(site),),
        ("alpha-1.0.dist-info",),
        dists=(Installed("alpha", "1.0", str(site / "alpha-1.0.dist-info"), "ab" * 32, ("sha256:1",), (("x", "y"),)),),
        manifest=take_manifest((str(site),), ()),
    )
    write_stamp(venv, full)
    assert read_stamp(venv) == full
    assert [p.name for p in venv.iterdir() if p.name.startswith(f".{STAMP_NAME}")] == []  # no temporary left
    remove_stamp(venv)
    assert not (venv / STAMP_NAME).exists()
    remove_stamp(venv)  # already gone: fine


@pytest.mark.parametrize("text", ["not json", "{}", '{"key": "k"}', "[1, 2]"])
def test_a_broken_stamp_reads_as_none(venv: Path, text: str) -> None:
    (venv / STAMP_NAME).write_text(text)
    assert read_stamp(venv) is None


def test_a_stamp_of_another_format_reads_as_none(venv: Path, site: Path) -> None:
    write_stamp(venv, Stamp("k", "", (str(site),), (), format=0))
    assert read_stamp(venv) is None
    assert (venv / STAMP_NAME).is_file()  # the file is there, just not trusted


def test_the_light_stamp_check_names_the_project_file_as_the_layout_does() -> None:
    from sprintlock._env import stampcheck
    from sprintlock._project.layout import PYPROJECT

    assert stampcheck.PYPROJECT == PYPROJECT
