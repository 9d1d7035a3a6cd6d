"""An environment's contents: distributions and their RECORD, stray files, the stat manifest."""

from __future__ import annotations

import base64
import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sprintlock._env.contents import Hasher, Manifest, find_strays, manifest_holds, read_dists, take_manifest


def _hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def install(site: Path, name: str, version: str, files: dict[str, bytes]) -> None:
    """A distribution as an installer leaves it: its files, METADATA, and a RECORD of both."""
    info = f"{name}-{version}.dist-info"
    files = {**files, f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()}
    for relative, data in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    rows = "".join(f"{relative},{_hash(data)},{len(data)}\n" for relative, data in files.items())
    (site / info / "RECORD").write_text(rows + f"{info}/RECORD,,\n{info}/INSTALLER,,\n")
    (site / info / "INSTALLER").write_text("uv\n")


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    site = venv / "lib" / "site-packages"
    site.mkdir(parents=True)
    (venv / "bin").mkdir()
    install(site, "alpha", "2.0", {"alpha/__init__.py": b"A = 1\n", "alpha/sub/mod.py": b"B = 2\n"})
    install(site, "Beta_Tool", "1.0", {"beta.py": b"C = 3\n", "../../bin/beta": b"#!/bin/sh\n"})
    return venv


def site_of(venv: Path) -> Path:
    return venv / "lib" / "site-packages"


def test_distributions_and_their_record(venv: Path) -> None:
    dists = read_dists(venv, [str(site_of(venv)), str(site_of(venv))])  # a folder listed twice counts once
    assert sorted(dists) == ["alpha", "beta-tool"]
    beta = dists["beta-tool"]
    assert (beta.version, Path(beta.info).name) == ("1.0", "Beta_Tool-1.0.dist-info")
    paths = {Path(row.path).relative_to(venv).as_posix(): bool(row.hash) for row in beta.rows}
    assert paths == {
        "bin/beta": True,  # outside site-packages, inside the environment
        "lib/site-packages/beta.py": True,
        "lib/site-packages/Beta_Tool-1.0.dist-info/METADATA": True,
        "lib/site-packages/Beta_Tool-1.0.dist-info/INSTALLER": False,  # listed without a hash
    }
    assert beta.record == hashlib.sha256((Path(beta.info) / "RECORD").read_bytes()).hexdigest()


def test_the_hasher_checks_every_file_against_record(venv: Path) -> None:
    hasher = Hasher()
    alpha = read_dists(venv, [str(site_of(venv))])["alpha"]
    assert hasher.holds_record(alpha)
    module = site_of(venv) / "alpha" / "sub" / "mod.py"
    info = module.stat()
    module.write_bytes(b"B = 9\n")  # same size, and the time put back: only the hash tells
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    assert not Hasher().holds_record(alpha)
    module.unlink()
    assert not Hasher().holds_record(alpha)
    unhashed = Hasher().unhashed(read_dists(venv, [str(site_of(venv))])["beta-tool"])
    assert list(unhashed.values()) == [_hash(b"uv\n").removeprefix("sha256=")]


def test_strays_are_what_no_record_owns(venv: Path) -> None:
    site = site_of(venv)
    (site / "evil.pth").write_text("import os\n")
    (site / "planted" / "deep").mkdir(parents=True)
    (site / "planted" / "deep" / "x.py").write_text("")
    (site / "alpha" / "sub" / "extra.py").write_text("")
    (site / "alpha" / "__pycache__").mkdir()  # Python's cache: never a stray
    (site / "alpha" / "__pycache__" / "anything.pyc").write_text("")
    (site / "_virtualenv.pth").write_text("import _virtualenv\n")  # the environment creator's shim
    (site / "old-1.0.egg-info").mkdir()  # legacy metadata without RECORD: kept whole
    (site / "old-1.0.egg-info" / "PKG-INFO").write_text("Name: old\nVersion: 1.0\n")
    dists = read_dists(venv, [str(site)])
    assert sorted(dists) == ["alpha", "beta-tool", "old"]
    strays = [Path(path).relative_to(site).as_posix() for path in find_strays([str(site)], dists)]
    assert strays == ["alpha/sub/extra.py", "evil.pth", "planted"]


def test_the_manifest_sees_any_change_but_python_caches(venv: Path) -> None:
    site = site_of(venv)
    script = venv / "bin" / "beta"
    manifest = take_manifest([str(site)], [str(script)])
    assert manifest_holds(manifest)
    (site / "alpha" / "sub" / "__pycache__").mkdir()  # a new cache changes the folder's time only
    (site / "alpha" / "sub" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"")
    assert manifest_holds(manifest)

    def changed(change: str) -> bool:
        undo = _apply(change, venv)
        try:
            return not manifest_holds(manifest)
        finally:
            undo()

    for change in ("add deep", "add top", "add folder", "remove", "edit", "touch", "script"):
        assert changed(change), change
    assert manifest_holds(manifest)  # every change was undone
    assert not manifest_holds(take_manifest([str(site)], [str(venv / "bin" / "missing")]))


def _apply(change: str, venv: Path) -> Callable[[], None]:
    """Make one change; return what undoes it."""
    site = site_of(venv)
    module = site / "alpha" / "sub" / "mod.py"
    info = module.stat()
    data = module.read_bytes()

    def restore() -> None:
        module.write_bytes(data)
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))

    if change == "add deep":
        (site / "alpha" / "sub" / "new.py").write_text("")
        return (site / "alpha" / "sub" / "new.py").unlink
    if change == "add top":
        (site / "new.pth").write_text("")
        return (site / "new.pth").unlink
    if change == "add folder":
        (site / "newpkg").mkdir()
        return (site / "newpkg").rmdir
    if change == "remove":
        module.unlink()
        return restore
    if change == "edit":
        module.write_bytes(data + b"# more\n")
        return restore
    if change == "touch":
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
        return restore
    script = venv / "bin" / "beta"
    script_info = script.stat()
    script.write_bytes(b"#!/bin/sh\nexit 0\n")

    def restore_script() -> None:
        script.write_bytes(b"#!/bin/sh\n")
        os.utime(script, ns=(script_info.st_atime_ns, script_info.st_mtime_ns))

    return restore_script


_PART = st.sampled_from(["a", "b", "c", "x.py", "..", "."])
_TREE = st.lists(  # (path, what): a folder, a file, or a link to a relative or absolute path
    st.tuples(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3), st.lists(_PART, max_size=4)),
    max_size=8,
)


@pytest.mark.posix(reason="symbolic links")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_TREE, queries=st.lists(st.lists(_PART, min_size=1, max_size=6), min_size=1, max_size=8))
def test_real_paths_agree_with_realpath_in_any_tree_of_links(
    tmp_path_factory: pytest.TempPathFactory, tree: list[tuple[list[str], list[str]]], queries: list[list[str]]
) -> None:
    from sprintlock._core.realpaths import RealPaths

    root = tmp_path_factory.mktemp("tree")
    for number, (where, target) in enumerate(tree):
        path = root.joinpath(*where)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not target:
                path.mkdir()
            elif number % 3 == 0:
                path.symlink_to(root.joinpath(*target))  # absolute
            else:
                path.symlink_to(Path(*target))  # relative (possibly dangling, or a loop)
        except OSError:
            continue  # something stands in the way (a link, a loop): the tree is what could be made
    real = RealPaths()
    for parts in queries * 2:  # the second time from what it resolved the first
        joined = str(root) + "".join(os.sep + part for part in parts)
        for query in (joined, os.path.normpath(joined)):  # as given (``..`` and ``.`` in it), and normalised
            if _in_a_loop(query):
                continue  # no real path: realpath's answer depends on the order it walks links in
            assert real.of(query) == os.path.realpath(query), query


def _in_a_loop(path: str) -> bool:
    try:
        Path(path).stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def test_an_empty_manifest_never_holds() -> None:
    assert not manifest_holds(Manifest())


@pytest.mark.posix(reason="symbolic links")
def test_real_paths_of_many_files_are_those_realpath_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sprintlock._core.realpaths import RealPaths

    site = tmp_path / "venv" / "site"
    (site / "pkg").mkdir(parents=True)
    (site / "pkg" / "mod.py").write_text("")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "target.py").write_text("")
    (site / "pkg" / "link.py").symlink_to(outside / "target.py")  # a file that leads outside
    (site / "linked").symlink_to(outside)  # a folder that does
    (site / "dangling.py").symlink_to(tmp_path / "nowhere")
    (outside / "deep" / "er").mkdir(parents=True)
    (outside / "deep" / "er" / "x.py").write_text("")
    (outside / "deep" / "back").symlink_to(site / "pkg")  # a linked folder inside a linked folder
    (site / "pkg" / "up").symlink_to("..")  # a relative link
    names = ["pkg/mod.py", "pkg/link.py", "linked/target.py", "pkg/missing.py", "dangling.py", "../../bin/tool"]
    names += ["linked/deep/er/x.py", "linked/deep/back/mod.py", "pkg/up/pkg/mod.py", "gone/deeper/x.py"]
    real = RealPaths()
    for name in names * 2:  # the second time from what it resolved the first
        path = os.path.normpath(f"{site}{os.sep}{name}")
        assert real.of(path) == os.path.realpath(path), name
    monkeypatch.chdir(site)
    for path in ["linked/deep/../target.py", "gone/../pkg/mod.py", "pkg/up/../linked/./target.py", "pkg/", "/"]:
        assert real.of(path) == os.path.realpath(path), path  # not normalised, or relative: as realpath
