"""Build a folder of tiny wheels: the fake package index the tests resolve against."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


@dataclass(frozen=True)
class Dist:
    """One release of one fake project."""

    name: str
    version: str
    requires: tuple[str, ...] = ()
    requires_python: str | None = None
    tags: tuple[str, ...] = ("py3-none-any",)
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def build_wheel(folder: Path, dist: Dist) -> list[Path]:
    """Write one wheel per tag of ``dist`` into ``folder``; return their paths."""
    module = dist.name.replace("-", "_").lower()
    info = f"{module}-{dist.version}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {dist.name}",
        f"Version: {dist.version}",
    ]
    if dist.requires_python:
        metadata.append(f"Requires-Python: {dist.requires_python}")
    metadata += [f"Requires-Dist: {req}" for req in dist.requires]
    for extra, reqs in sorted(dist.extras.items()):
        metadata.append(f"Provides-Extra: {extra}")
        for req in reqs:  # a requirement's own marker holds with the extra's
            requirement, _, marker = req.partition(";")
            condition = f'({marker.strip()}) and extra == "{extra}"' if marker else f'extra == "{extra}"'
            metadata.append(f"Requires-Dist: {requirement.strip()} ; {condition}")
    written = []
    for tag in dist.tags:
        files = {
            f"{module}/__init__.py": f'__version__ = "{dist.version}"\n'.encode(),
            f"{info}/METADATA": ("\n".join(metadata) + "\n").encode(),
            f"{info}/WHEEL": (
                f"Wheel-Version: 1.0\nGenerator: sprintlock-tests\nRoot-Is-Purelib: true\nTag: {tag}\n"
            ).encode(),
        }
        record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
        files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
        path = folder / f"{module}-{dist.version}-{tag}.whl"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in files.items():
                # A fixed timestamp keeps every build byte-identical, so hashes are stable.
                archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
        written.append(path)
    return written


def build_missing(folder: Path, dists: Iterable[Dist]) -> None:
    """Build into ``folder/files`` the dists whose release is not there yet.

    A fake wheel must never shadow a real one repacked at the same version.
    """
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    present = {(canonicalize_name(wheel.name.split("-")[0]), wheel.name.split("-")[1]) for wheel in files.glob("*.whl")}
    for dist in dists:
        if (canonicalize_name(dist.name), dist.version) not in present:
            build_wheel(files, dist)


def build_index(folder: Path, dists: Iterable[Dist]) -> Path:
    """Build every dist into ``folder/files`` and a PEP 503 index in ``folder/simple``.

    The index pages carry ``#sha256=`` fragments, so resolvers get hashes from the
    index as they do from PyPI. Returns the ``simple`` folder.
    """
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    for dist in dists:
        build_wheel(files, dist)
    return write_simple_index(folder)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_simple_index(folder: Path) -> Path:
    """(Re)write ``folder/simple`` for every wheel in ``folder/files``."""
    simple = folder / "simple"
    projects: dict[str, list[Path]] = {}
    for wheel in sorted((folder / "files").glob("*.whl")):
        projects.setdefault(canonicalize_name(wheel.name.split("-")[0]), []).append(wheel)
    for project, wheels in projects.items():
        page = simple / project
        page.mkdir(parents=True, exist_ok=True)
        links = "".join(f'<a href="../../files/{w.name}#sha256={_sha256(w)}">{w.name}</a>\n' for w in wheels)
        (page / "index.html").write_text(f"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n")
    names = "".join(f'<a href="{name}/">{name}</a>\n' for name in sorted(projects))
    (simple / "index.html").write_text(f"<!DOCTYPE html>\n<html><body>\n{names}</body></html>\n")
    return simple


def repack_installed(folder: Path, names: Iterable[str]) -> None:
    """Turn installed distributions (and their installed dependencies) back into wheels.

    Gives the fake index the real pip-tools, so that tool environments for other
    interpreters install offline exactly what this test environment runs.
    """
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    todo = [canonicalize_name(n) for n in names]
    done: set[str] = set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        dist = metadata.distribution(name)
        for req in dist.requires or ():
            parsed = Requirement(req)
            if parsed.marker is None or parsed.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(parsed.name))
        _repack(files, dist)


def _compressed_tag(wheel_metadata: str) -> str:
    """The filename tag for every ``Tag:`` line, e.g. ``py2.py3-none-any``."""
    tags = [line.split(":", 1)[1].strip() for line in wheel_metadata.splitlines() if line.startswith("Tag:")]
    if not tags:
        return "py3-none-any"
    parts = [dict.fromkeys(tag.split("-")[i] for tag in tags) for i in range(3)]
    return "-".join(".".join(part) for part in parts)


def _repack(files: Path, dist: metadata.Distribution) -> None:
    info_dir = next(str(f).split("/")[0] for f in dist.files or () if str(f).split("/")[0].endswith(".dist-info"))
    skip = {"INSTALLER", "RECORD", "REQUESTED", "direct_url.json"}
    # Console scripts are regenerated by the installer; other files in bin/ (uv's
    # binary) were wheel data and go back to ``NAME-VERSION.data/scripts``.
    generated = {ep.name for ep in dist.entry_points if ep.group in ("console_scripts", "gui_scripts")}
    data_dir = info_dir.replace(".dist-info", ".data")
    entries: dict[str, bytes] = {}
    for file in dist.files or ():
        path = str(file)
        if "__pycache__" in path or path.endswith(".pyc"):
            continue
        if path.startswith(".."):
            script = Path(path).name
            if Path(path).parent.name not in ("bin", "Scripts") or script in generated or script.startswith("activate"):
                continue
            entries[f"{data_dir}/scripts/{script}"] = Path(str(dist.locate_file(file))).read_bytes()
            continue
        if path.startswith(info_dir + "/") and path.split("/", 1)[1] in skip:
            continue
        entries[path] = Path(str(dist.locate_file(file))).read_bytes()
    record = "".join(f"{p},{_record_hash(d)},{len(d)}\n" for p, d in entries.items())
    entries[f"{info_dir}/RECORD"] = (record + f"{info_dir}/RECORD,,\n").encode()
    module = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    tag = _compressed_tag(dist.read_text("WHEEL") or "")
    target = files / f"{module}-{dist.version}-{tag}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(entries.items()):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            if ".data/scripts/" in name:
                info.external_attr = 0o100755 << 16  # pip keeps the archive's mode: uv must stay runnable
            archive.writestr(info, data)


def in_tree_backend(requires: str) -> str:
    """A PEP 517 backend (for ``_build/backend.py``) building ``demo 1.0`` from ``src/demo``.

    It needs nothing from an index, so installing a fixture project stays offline; the
    wheel requires ``requires`` (like a project's ``[project] dependencies``).
    """
    return f"""\
import base64, hashlib, zipfile

def _record(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    info = "demo-1.0.dist-info"
    files = {{
        "demo/__init__.py": open("src/demo/__init__.py", "rb").read(),
        info + "/METADATA": b"Metadata-Version: 2.1\\nName: demo\\nVersion: 1.0\\nRequires-Dist: {requires}\\n",
        info + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }}
    record = "".join(f"{{name}},{{_record(data)}},{{len(data)}}\\n" for name, data in files.items())
    files[info + "/RECORD"] = (record + info + "/RECORD,,\\n").encode()
    name = "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(f"{{wheel_directory}}/{{name}}", "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return name

build_editable = build_wheel
"""


SAMPLE = (
    Dist("alpha", "1.0"),
    Dist("alpha", "1.1"),
    Dist("alpha", "2.0"),
    Dist("beta", "1.0", ("alpha>=1.0",)),
    Dist("beta", "2.0", ("alpha>=2.0",)),
    Dist("exceptiongroup", "1.2.0"),
    Dist("colorama", "0.4.6"),
    Dist("iniconfig", "1.0"),
    Dist("iniconfig", "2.0"),
    Dist(
        "testtool",
        "1.0",
        ('exceptiongroup>=1.0; python_version < "3.11"', 'colorama; sys_platform == "win32"', "iniconfig"),
    ),
    Dist("typing-extensions", "4.0.0"),
    Dist("typing-extensions", "4.12.0"),
    Dist("typecheck", "1.0", ("typing-extensions>=4",)),
    Dist("docbuilder", "1.0", ("alpha<2",)),
    Dist("fastlib", "1.0", tags=("py3-none-any", "py3-none-win_amd64")),
)
