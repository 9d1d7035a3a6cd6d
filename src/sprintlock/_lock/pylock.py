"""PEP 751 lock files: ``requirements/pylock.NAME.toml`` beside each ``NAME.txt`` lock.

With ``formats = ["requirements", "pylock"]`` every layer is also written in the standard
format, which pip (26: ``pip install -r pylock.NAME.toml``) and uv (``uv pip sync`` /
``uv pip install -r``) install. Decisions:

- **One source of truth.** The pylock file is made from the ``.txt`` lock of the same run,
  pin for pin: same names, versions, markers and hashes, one file valid on every target
  (``requires-python`` and ``environments`` come from the targets the lock covers). It is
  written in the same transaction as the ``.txt``.
- **Files.** PEP 751 lists each file (a wheel or the sdist) with its URL, which a
  requirements lock does not hold. After resolving, sprintlock asks uv for the files of
  the exact pins (``uv pip compile --no-deps --universal --format pylock.toml``: no new
  resolution, only the index's file list, with the index configuration uv reads) and
  keeps the files whose sha256 the lock pins. This works for both resolvers.
- **Offline check.** ``[tool.sprintlock]`` records the ``.txt`` body it was made from and
  a digest of the file itself, so ``check`` reports a pylock that is missing, made from
  another lock (stale) or edited by hand, without the network.
"""

from __future__ import annotations

import datetime
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from packaging.utils import canonicalize_name, canonicalize_version

from sprintlock._core.errors import ResolutionError, location
from sprintlock._core.files import read_text
from sprintlock._core.markers import SYS_PLATFORM
from sprintlock._core.process import Runner, run
from sprintlock._core.progress import begin, end, logger
from sprintlock._core.tomltext import toml_string
from sprintlock._lock.header import PYLOCK_BODY_LINE, digest, pylock_digest
from sprintlock._lock.lockfile import Header, Lock, Pin, make_pin
from sprintlock._lock.names import pylock_name, pylock_path
from sprintlock._lock.problem import Problem
from sprintlock._project.config import Project
from sprintlock._project.targets import Targets, sort_versions

if TYPE_CHECKING:  # `sync` reads pylock files without loading the staleness checks
    from sprintlock._lock.staleness import LockFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

LOCK_VERSION = "1.0"
CREATED_BY = "sprintlock"
#: The files of one release as the index lists them: ``(kind, entry)``, kind "sdist" or "wheel".
Files = tuple[tuple[str, dict[str, Any]], ...]


# ---------------------------------------------------------------- rendering


def _value(value: object) -> str:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a pylock file")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def _table(entries: Mapping[str, Any]) -> list[str]:
    """Key lines; a list of inline tables (``wheels``) gets one line per item."""
    lines = []
    for key, value in entries.items():
        if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            lines += [f"{_key(key)} = [", *(f"    {_value(item)}," for item in value), "]"]
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    return lines


def render_document(
    top: Mapping[str, Any], packages: Iterable[Mapping[str, Any]], tool: Mapping[str, Any], comments: Iterable[str] = ()
) -> str:
    """A pylock file: comment lines, the top-level keys, one ``[[packages]]`` table each, ``[tool.sprintlock]``."""
    lines = [f"# {comment}".rstrip() for comment in comments] + _table(top)
    for package in packages:
        lines += ["", "[[packages]]", *_table(package)]
    if tool:
        lines += ["", "[tool.sprintlock]", *_table(tool)]
    return "\n".join(lines) + "\n"


def _top(covers: Targets) -> dict[str, Any]:
    top: dict[str, Any] = {"lock-version": LOCK_VERSION}
    platforms = [f"sys_platform == '{SYS_PLATFORM[p]}'" for p in covers.platforms if p in SYS_PLATFORM]
    if platforms:
        top["environments"] = platforms
    if covers.pythons:
        top["requires-python"] = f">={sort_versions(covers.pythons)[0]}"
    top["created-by"] = CREATED_BY
    return top


def _package(pin: Pin, files: Files, index: str | None) -> dict[str, Any]:
    package: dict[str, Any] = {"name": pin.name, "version": pin.version}
    if pin.marker:
        package["marker"] = pin.marker
    if index:
        package["index"] = index
    sdists = [entry for kind, entry in files if kind == "sdist"]
    if sdists:
        package["sdist"] = sdists[0]
    wheels = [entry for kind, entry in files if kind == "wheel"]
    if wheels:
        package["wheels"] = wheels
    return package


@dataclass(frozen=True)
class Release:
    """What the index lists for one pinned release: its index URL and its files."""

    index: str | None
    files: Files


def render_pylock(lock: Lock, lock_text: str, releases: Mapping[tuple[str, str], Release]) -> str:
    """The pylock file of ``lock`` (whose ``.txt`` file is ``lock_text``).

    Each pin keeps the files whose hash the lock pins (every file when the lock has no hashes).
    """
    header = lock.header
    packages = []
    for pin in sorted(lock.pins, key=lambda p: p.key):
        release = releases[_release(pin.name, pin.version)]
        files = tuple((kind, entry) for kind, entry in release.files if _pinned(entry, pin))
        packages.append(_package(pin, files, release.index))
    txt = f"{header.requirements_dir}/{header.layer}.txt"
    path = f"{header.requirements_dir}/{pylock_name(header.layer)}"
    comments = (
        f"This file is generated by sprintlock from {txt}: do not edit it.",
        f"Regenerate it with: sprintlock lock {header.layer}",
        f"Install it with: pip install -r {path} (pip 26), or uv pip sync {path}",
        "",
    )
    tool = {
        "layer": header.layer,
        "lock": txt,
        "lock-digest": digest(lock_text),
        "covers": header.covers.describe(),
        "body": "sha256:" + "0" * 64,
    }
    text = render_document(_top(header.covers), packages, tool, comments)
    return PYLOCK_BODY_LINE.sub(f'body = "{pylock_digest(text)}"', text)


def _pinned(entry: Mapping[str, Any], pin: Pin) -> bool:
    if not pin.hashes:
        return True
    hashes = entry.get("hashes", {})
    return any(f"{algorithm}:{value}" in pin.hashes for algorithm, value in hashes.items())


# ---------------------------------------------------------------- the files, from the index


def _clean_url(url: str) -> str:
    """A file URL without credentials (a lock never holds them)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)) if parts.netloc else url


def _entry(data: Mapping[str, Any]) -> dict[str, Any]:
    """One file as written: its name, URL (or path), size and hashes; no upload time."""
    url = data.get("url")
    entry: dict[str, Any] = {}
    name = data.get("name") or (urlsplit(url).path.rsplit("/", 1)[-1] if isinstance(url, str) else None)
    if name:
        entry["name"] = name
    if isinstance(url, str):
        entry["url"] = _clean_url(url)
    elif isinstance(data.get("path"), str):
        entry["path"] = data["path"]
    if isinstance(data.get("size"), int):
        entry["size"] = data["size"]
    entry["hashes"] = dict(sorted(data.get("hashes", {}).items()))
    return entry


def _release(name: str, version: str) -> tuple[str, str]:
    """The key of a release: its normalised name and version (``1.0`` and ``1.0.0`` stay apart)."""
    return canonicalize_name(name), canonicalize_version(version, strip_trailing_zero=False)


def _releases(document: Mapping[str, Any]) -> dict[tuple[str, str], Release]:
    releases = {}
    for package in document.get("packages", []):
        files: list[tuple[str, dict[str, Any]]] = []
        if isinstance(package.get("sdist"), Mapping):
            files.append(("sdist", _entry(package["sdist"])))
        files += [("wheel", _entry(wheel)) for wheel in package.get("wheels", [])]
        files.sort(key=lambda item: (item[0], item[1].get("name", "")))
        releases[_release(package["name"], str(package.get("version", "")))] = Release(
            package.get("index"), tuple(files)
        )
    return releases


@dataclass(frozen=True)
class Lookup:
    """Where and how to ask the index for files: the project root (uv reads its configuration there)."""

    cwd: Path
    where: str
    runner: Runner = run


def lookup_releases(lock: Lock, lookup: Lookup) -> dict[tuple[str, str], Release]:
    """The files the index lists for every pin of ``lock`` (the network, through uv)."""
    from sprintlock._core.tools import find_uv

    if not lock.pins:
        return {}
    with tempfile.TemporaryDirectory(prefix="sprintlock-pylock-") as folder:
        pins = Path(folder, "pins.txt")
        pins.write_text("".join(pin.requirement() + "\n" for pin in lock.pins), encoding="utf-8")
        output = Path(folder, "pylock.toml")
        pythons = sort_versions(lock.header.covers.pythons or lock.header.targets.pythons)
        cmd = [find_uv(), "pip", "compile", str(pins), "--no-deps", "--universal", "--format", "pylock.toml"]
        cmd += ["--output-file", str(output), "--python", sys.executable, "--no-python-downloads"]
        cmd += ["--no-header", "--no-progress", "--quiet", "--color", "never"]
        cmd += ["--python-version", pythons[0]] if pythons else []
        result = lookup.runner(cmd, cwd=lookup.cwd)
        if result.returncode != 0 or not output.is_file():
            raise _lookup_failed(lookup.where, (result.stderr or result.stdout).strip())
        releases = _releases(tomllib.loads(output.read_text(encoding="utf-8")))
    _check_found(lock, releases, lookup.where)
    return releases


def _lookup_failed(where: str, detail: str) -> ResolutionError:
    return ResolutionError(
        f"uv could not list the files of the pinned releases for the pylock file:\n{detail or '(no output)'}",
        where=where,
        hint="check your network or index configuration (uv reads UV_DEFAULT_INDEX and [tool.uv]), then relock",
    )


def _check_found(lock: Lock, releases: Mapping[tuple[str, str], Release], where: str) -> None:
    """Every pin must have at least one file on the index with a hash the lock pins."""
    for pin in lock.pins:
        release = releases.get(_release(pin.name, pin.version))
        if release is None or not any(_pinned(entry, pin) for _, entry in release.files):
            raise ResolutionError(
                f"the index lists no file of {pin.name}=={pin.version} with a hash the lock pins",
                where=where,
                hint=f"the index changed since the lock was made: run `sprintlock lock --upgrade-package {pin.name}`",
            )


# ---------------------------------------------------------------- reading and checking


@dataclass(frozen=True)
class PylockFile:
    """A pylock file as read: its text and TOML document, or why it is not one of ours."""

    text: str
    document: Mapping[str, Any]
    tool: Mapping[str, Any]


def parse_pylock(text: str) -> PylockFile:
    """Read and validate a pylock file (with ``packaging.pylock``); ValueError says what is wrong."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    _validate(document)
    tool = document.get("tool", {}).get("sprintlock")
    return PylockFile(text, document, tool if isinstance(tool, Mapping) else {})


def _validate(document: Mapping[str, Any]) -> None:
    try:
        from packaging.pylock import Pylock, PylockValidationError
    except ImportError:  # packaging < 26 (no packaging.pylock): the structure is checked when installing
        return
    try:
        Pylock.from_dict(document)
    except PylockValidationError as exc:
        raise ValueError(f"not a valid PEP 751 lock file: {exc}") from None


def pylock_problems(project: Project, layer: str, lock_text: str | None) -> list[Problem]:
    """What is wrong with a layer's pylock file, given its ``.txt`` lock's text (offline).

    It is stale when the ``.txt`` changed in any way since (its header too: the targets it covers).
    """
    path = pylock_path(project, layer)
    shown = path.relative_to(project.root).as_posix()
    fix = f"run `sprintlock lock {layer}`"
    text = read_text(path, root=project.root, hint=f"delete it (it is generated) and {fix}")
    if text is None:
        return [Problem("missing", shown, 'missing (formats includes "pylock")', fix)]
    try:
        pylock = parse_pylock(text)
    except ValueError as exc:
        return [Problem("edited", shown, str(exc), fix)]
    if not pylock.tool:
        return [Problem("foreign", shown, "not written by sprintlock (no [tool.sprintlock] table)", fix)]
    recorded = PYLOCK_BODY_LINE.search(text)
    if recorded is None or recorded.group(1) != pylock_digest(text):
        return [Problem("edited", shown, "edited by hand (its content no longer matches its digest)", fix)]
    if lock_text is not None and pylock.tool.get("lock-digest") != digest(lock_text):
        lock_path = location(project.requirements_dir / f"{layer}.txt", root=project.root)
        return [Problem("stale", shown, f"stale: made from another version of {lock_path}", fix)]
    return []


def lock_of(pylock: PylockFile, layer: str) -> Lock:
    """The pins of a pylock file (name, version, marker, every file's hash), for ``sync``.

    The targets are those its ``[tool.sprintlock]`` table says it covers (every target when absent).
    """
    pins = []
    for package in pylock.document.get("packages", []):
        files = [package["sdist"]] if isinstance(package.get("sdist"), Mapping) else []
        files += list(package.get("wheels", []))
        hashes = [f"{algorithm}:{value}" for file in files for algorithm, value in file.get("hashes", {}).items()]
        pins.append(make_pin(package["name"], str(package.get("version", "")), package.get("marker"), hashes))
    try:
        covers = Targets.parse(str(pylock.tool.get("covers", "")))
    except ValueError:
        covers = Targets((), ())
    header = Header(layer, "", "", bool(pins) and all(pin.hashes for pin in pins), covers, covers, ())
    return Lock(header, tuple(pins))


def subset(pylock: PylockFile, keep: Iterable[tuple[str, str]]) -> str:
    """A pylock file holding only the packages ``keep`` names (``(name, version)``): what one
    install step of a sync installs."""
    wanted = set(keep)
    packages = [
        package
        for package in pylock.document.get("packages", [])
        if (make_pin(package["name"], "").name, str(package.get("version", ""))) in wanted
    ]
    top = {key: value for key, value in pylock.document.items() if key not in ("packages", "tool")}
    return render_document(top, packages, {})


# ---------------------------------------------------------------- writing, from a lock run


def pylock_files(project: Project, locks: Mapping[str, LockFile], *, runner: Runner = run) -> dict[Path, str]:
    """The new pylock file of every layer whose pylock file is not (yet) that of its lock in ``locks``.

    Empty unless ``formats`` includes "pylock". A layer whose lock cannot be read gets none.
    """
    if not project.config.pylock:
        return {}
    files = {}
    for name, file in locks.items():
        if file.lock is None or file.text is None or not pylock_problems(project, name, file.text):
            continue
        path = pylock_path(project, name)
        logger.info("writing %s", path.name, extra=begin(path.name))
        lookup = Lookup(project.root, location(project.requirements_dir / f"{name}.txt", root=project.root), runner)
        files[path] = render_pylock(file.lock, file.text, lookup_releases(file.lock, lookup))
        logger.info("wrote %s", path.name, extra=end(path.name))
    return files
