"""``sprintlock check`` answered by the locks' own headers: a fresh lock vouches for itself.

Every lock's header records the digest of each input it was compiled from, the settings
and targets, a fingerprint over those, and the digest of its body. When every setting
is one this module reads without :mod:`packaging` (dependency groups as written), every
header still matches the files it names and the settings, every pylock file
(``formats``) is the one made from its lock, every pin is hashed (when hashes are on) and
the locks that must agree cannot disagree on any package, the full check
(:mod:`sprintlock._lock.check`) can only agree. This answers that verdict after a
checkout, a pull or a teammate's relock, without loading the parsers, :mod:`dataclasses`
or :mod:`argparse`; the memo (:mod:`sprintlock._lock.memo`) then answers the next check
over the same files.

Anything else, and any doubt at all, is None: the full check runs and says what is
wrong, with its messages and exit codes. This module never reports a problem itself.
"""

from __future__ import annotations

import os
import re
import stat
import sys

from sprintlock._core.durations import cooldown_days, days_text
from sprintlock._core.known import KNOWN_PYTHONS, PLATFORMS, RESOLVERS, pythons_allowed
from sprintlock._core.realpaths import RealPaths
from sprintlock._core.text import requirement_lines
from sprintlock._lock import memo
from sprintlock._lock.header import (
    COOLDOWN_LABEL,
    FORMAT_VERSION,
    PROJECT_LABEL,
    PYLOCK_BODY_LINE,
    REQUIRED_KEYS,
    digest,
    fingerprint,
    header_fields,
    options_text,
    pylock_digest,
    pylock_name,
    split_body,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = ["fresh_locks"]

#: The ``[tool.sprintlock]`` keys this module reads; any other key is for the full check.
_PLAIN_KEYS = frozenset(
    {
        "requirements",
        "resolver",
        "hashes",
        "python",
        "platforms",
        "project-layers",
        "upgrade-schedule",
        "upgrade-cooldown",
        "formats",
    }
)
_SCHEDULES = ("weekly", "monthly")
_MIN_SUFFIX = "-min"
_DOUBT = "only the full check can judge this"
#: How a header names a dependency group's input: ``pyproject.toml [dependency-groups] NAME``.
_GROUP_LABEL = "pyproject.toml [dependency-groups] "


def fresh_locks(root: str) -> int | None:
    """How many locks the project at ``root`` (a resolved path) has, if their headers show
    them all fresh and consistent; else None. A fresh verdict is remembered (the memo)."""
    try:
        project = _Project(root)
        count = project.verdict()
    except (OSError, ValueError, RecursionError):  # a doubt (below); a file, its bytes or its TOML
        return None
    memo.remember(root, project.folder, project.in_names, project.texts, count=count, real=project.real.of)
    return count


def _doubt_unless(condition: object) -> None:
    """A doubt is a ValueError: something only the full check can judge."""
    if not condition:
        raise ValueError(_DOUBT)


def _strings(value: object) -> tuple[str, ...]:
    if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        raise ValueError(_DOUBT)
    return tuple(value)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(_DOUBT)
    return value


def _relative(path: str) -> bool:
    """A plain relative path with ``/`` separators: no drive, ``..``, ``.`` or empty part."""
    parts = path.split("/")
    return path.isprintable() and "\\" not in path and ":" not in path and all(p not in ("", ".", "..") for p in parts)


def _cooldown(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(_DOUBT)
    days = cooldown_days(value)
    if days is None:
        raise ValueError(_DOUBT)
    return days_text(days)


def _canonical(name: str) -> str:
    """A PEP 503 normalised name, as ``packaging.utils.canonicalize_name`` gives it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _groups(table: object) -> dict[str, str]:
    """Each dependency group's input text (``groups.DependencyGroup.text``), from its items as
    written: ``groups.py`` normalises each requirement with :mod:`packaging`, so an item that
    normalising would change gives another digest than the header's, a doubt."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ValueError(_DOUBT)
    groups: dict[str, str] = {}
    for key, items in table.items():
        _doubt_unless(isinstance(key, str) and isinstance(items, list))
        name = _canonical(key)
        _doubt_unless(name not in groups)
        groups[name] = "".join(_group_line(item) + "\n" for item in items)
    return groups


def _group_line(item: object) -> str:
    """One item of a group as a line of its input text: a requirement, or ``-r NAME.txt``."""
    if isinstance(item, dict):
        include = item.get("include-group")
        if list(item) != ["include-group"] or not isinstance(include, str):
            raise ValueError(_DOUBT)
        return f"-r {_canonical(include)}.txt"
    if not (isinstance(item, str) and item.isprintable() and item.strip() == item != ""):
        raise ValueError(_DOUBT)
    _doubt_unless(not item.startswith("-"))  # read as a line of an input, it would be an option
    return item


class _Settings:
    """``pyproject.toml`` as far as the headers depend on it, every value checked as the full check does."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.groups = _groups(data.get("dependency-groups"))
        tool = _table(_table(data, "tool"), "sprintlock")
        _doubt_unless(all(key in _PLAIN_KEYS for key in tool))
        _doubt_unless(tool.get("upgrade-schedule", "monthly") in _SCHEDULES)  # a cron line: the full check reads it
        formats = _strings(tool.get("formats", ["requirements"]))
        _doubt_unless("requirements" in formats and all(name in ("requirements", "pylock") for name in formats))
        #: Whether every layer has a pylock file beside its lock (``formats``).
        self.pylock = "pylock" in formats
        self.requirements = tool.get("requirements", "requirements")
        _doubt_unless(isinstance(self.requirements, str) and _relative(self.requirements))
        resolver = tool.get("resolver", "uv")
        hashes = tool.get("hashes", True)
        _doubt_unless(resolver in RESOLVERS and isinstance(hashes, bool))
        self.hashes: bool = hashes
        self.options = options_text(resolver, hashes)
        layers = tool.get("project-layers")
        self.project_layers = None if layers is None else _strings(layers)
        cooldown = tool.get("upgrade-cooldown")
        #: The cooldown's canonical text (what the headers record); None without one.
        self.cooldown = None if cooldown is None else _cooldown(cooldown)
        project = _table(data, "project")
        _doubt_unless(isinstance(project.get("name", ""), str))
        _doubt_unless("dependencies" not in _strings(project.get("dynamic", [])))
        self.dependencies = _strings(project.get("dependencies", []))
        self.targets = f"python {' '.join(self._pythons(tool, project))}; platforms {' '.join(self._platforms(tool))}"

    @staticmethod
    def _pythons(tool: dict[str, Any], project: dict[str, Any]) -> tuple[str, ...]:
        requires_python = project.get("requires-python")
        _doubt_unless(requires_python is None or isinstance(requires_python, str))
        allowed = pythons_allowed(requires_python)  # ValueError: a malformed specifier
        if "python" not in tool:
            _doubt_unless(allowed)
            return allowed
        pythons = _strings(tool["python"])
        _doubt_unless(pythons and all(version in KNOWN_PYTHONS for version in pythons))
        return tuple(version for version in KNOWN_PYTHONS if version in pythons)

    @staticmethod
    def _platforms(tool: dict[str, Any]) -> tuple[str, ...]:
        platforms = _strings(tool.get("platforms", list(PLATFORMS)))
        _doubt_unless(platforms and all(platform in PLATFORMS for platform in platforms))
        return tuple(platform for platform in PLATFORMS if platform in platforms)

    def includes_project(self, layer: str) -> bool:
        return layer != "build" if self.project_layers is None else layer in self.project_layers


class _Project:
    """The files a check reads, read once, with the layers' names."""

    def __init__(self, root: str) -> None:
        self.root = root
        #: Where each path leads (folders resolved once), and where the root is.
        self.real = RealPaths()
        self.real_root = os.path.realpath(root)
        #: Every file read, by path (None: missing): what the memo records.
        self.texts: dict[str, str | None] = {}
        pyproject = self.read(f"{root}/pyproject.toml")
        self.settings = _Settings(tomllib.loads(pyproject) if pyproject is not None else {})
        self.label = self.settings.requirements
        self.folder = f"{root}/{self.label}"
        _doubt_unless(self.inside(self.folder))
        with os.scandir(self.folder) as entries:  # NotADirectoryError, FileNotFoundError: the full check says so
            names = [entry.name for entry in entries]
        _doubt_unless(not any(n.lower().endswith(".in") and (n[0] == "." or not n.endswith(".in")) for n in names))
        self.in_names = sorted(name for name in names if name.endswith(".in"))
        files = [name.removesuffix(".in") for name in self.in_names]
        self.groups = self.settings.groups
        _doubt_unless(not any(_canonical(name) in self.groups for name in files))  # defined twice: an error
        self.layers = [*files, *self.groups]
        _doubt_unless(self.layers)
        #: The locks' texts by layer name (a missing lock is a doubt), and their bodies.
        self.locks: dict[str, str] = {}
        self.bodies: dict[str, str] = {}

    def inside(self, path: str) -> bool:
        real, root = self.real.of(path), self.real_root
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def read(self, path: str) -> str | None:
        """A file as the full check reads it: a regular file's UTF-8 text, universal newlines; None when missing."""
        if path in self.texts:  # read once
            return self.texts[path]
        real = self.real.of(path)
        try:
            mode = os.lstat(real).st_mode
        except FileNotFoundError:
            self.texts[path] = None
            return None
        _doubt_unless(stat.S_ISREG(mode))  # a folder, or a FIFO that would block the read
        with open(real, "rb") as handle:
            text = handle.read().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        self.texts[path] = text
        return text

    def lock(self, layer: str) -> str:
        if layer not in self.locks:
            text = self.read(f"{self.folder}/{layer}.txt")
            if text is None:
                raise ValueError(_DOUBT)
            self.locks[layer] = text
        return self.locks[layer]

    def body(self, layer: str) -> str:
        """A lock's body (split from its header once)."""
        if layer not in self.bodies:
            self.bodies[layer] = split_body(self.lock(layer))[1]
        return self.bodies[layer]

    def verdict(self) -> int:
        """The number of locks, all fresh; raises ValueError otherwise."""
        lock_labels = {f"{self.label}/{layer}.txt": layer for layer in self.layers}
        shared = []
        for layer in self.layers:
            labels = self.verify(layer, lock_labels)
            frozen = _surely_frozen(self.input_text(layer))
            base = layer.removesuffix(_MIN_SUFFIX)
            if base != layer and base in self.layers:  # a minimum-versions layer also reads its base's input
                _doubt_unless(frozen and self.input_label(base) in labels)
            if not frozen:  # exact pins (minimum versions) need not agree with the other layers
                shared.append(layer)
            if self.settings.pylock:
                self.verify_pylock(layer)
        pins = {layer: _body_pins(self.body(layer), hashes=self.settings.hashes) for layer in self.locks}
        _agreeing(pins[layer] for layer in shared)
        return len(self.layers)

    def verify(self, layer: str, lock_labels: dict[str, str]) -> dict[str, str]:
        """The inputs ``layer``'s header names (label: digest); raise ValueError unless the header
        matches its body, the settings and every one of those inputs (its own ``.in`` among them)."""
        settings = self.settings
        meta, inputs = header_fields(self.lock(layer))
        _doubt_unless(all(key in meta for key in REQUIRED_KEYS))
        _doubt_unless(digest(self.body(layer)) == meta["body"])
        _doubt_unless(meta["sprintlock-format"] == FORMAT_VERSION)
        _doubt_unless(options_text(meta["resolver"], meta["hashes"] == "true") == settings.options)
        _doubt_unless(meta["hashes"] in ("true", "false"))
        _doubt_unless(meta["targets"] == settings.targets == meta["covers"])
        _doubt_unless(fingerprint(FORMAT_VERSION, settings.options, settings.targets, inputs) == meta["fingerprint"])
        labels = dict(inputs)
        _doubt_unless(len(labels) == len(inputs) and self.input_label(layer) in labels)
        _doubt_unless((PROJECT_LABEL in labels) == settings.includes_project(layer))
        _doubt_unless((COOLDOWN_LABEL in labels) == (settings.cooldown is not None))
        for label, value in inputs:
            _doubt_unless(self.current(label, lock_labels) == value)
        return labels

    def verify_pylock(self, layer: str) -> None:
        """Raise ValueError unless ``layer``'s pylock file is sprintlock's, unedited, made from its lock as it is."""
        text = self.read(f"{self.folder}/{pylock_name(layer)}")
        if text is None:
            raise ValueError(_DOUBT)
        recorded = PYLOCK_BODY_LINE.search(text)
        _doubt_unless(recorded is not None and recorded.group(1) == pylock_digest(text))
        tool = _table(_table(tomllib.loads(text), "tool"), "sprintlock")
        _doubt_unless(tool and tool.get("lock-digest") == digest(self.lock(layer)))

    def input_label(self, layer: str) -> str:
        """How headers name a layer's own input: its ``.in`` file, or its dependency group."""
        return _GROUP_LABEL + layer if layer in self.groups else f"{self.label}/{layer}.in"

    def input_text(self, layer: str) -> str:
        """A layer's own input (read already: its header names it)."""
        return self.groups[layer] if layer in self.groups else self.texts.get(f"{self.folder}/{layer}.in") or ""

    def current(self, label: str, lock_labels: dict[str, str]) -> str:
        """The digest an input labelled ``label`` has now."""
        if label == PROJECT_LABEL:
            return digest("\n".join(self.settings.dependencies))
        if label == COOLDOWN_LABEL:
            return digest(self.settings.cooldown or "")
        if label in lock_labels:  # an included lock: its body
            return digest(self.body(lock_labels[label]))
        if label.startswith(_GROUP_LABEL):
            group = self.groups.get(label.removeprefix(_GROUP_LABEL))
            _doubt_unless(group is not None)
            return digest(group or "")
        _doubt_unless(_relative(label))  # not pyproject.toml [...] (a cooldown, a group)
        path = f"{self.root}/{label}"
        _doubt_unless(self.inside(path))
        text = self.read(path)
        if text is None:
            raise ValueError(_DOUBT)
        return digest(text)


def _pins(text: str, *, hashes: bool) -> dict[str, frozenset[tuple[str, str]]]:
    """A lock's pins by package (:func:`_body_pins` of its body)."""
    return _body_pins(split_body(text)[1], hashes=hashes)


#: The lines of a lock's body that hold a pin: not empty, not indented, not a comment (one per line).
_TOP_LINE = re.compile(r"^[^ \t#\n].*", re.MULTILINE)


def _body_pins(body: str, *, hashes: bool) -> dict[str, frozenset[tuple[str, str]]]:
    """A lock body's pins by package, as ``(version, marker)`` pairs; ValueError for a line that
    is not a plain pin, or (when ``hashes`` is on) not a hashed one.

    Read as ``lockfile.render_body`` writes a lock (the header's body digest says it did):
    a pin starts a line, its ``--hash`` lines follow it indented, comments are indented or
    start with ``#``. Line by line, without joining continuations: a lock is mostly hashes,
    which the search for the pins' lines skips.
    """
    pins: dict[str, set[tuple[str, str]]] = {}
    for line in _TOP_LINE.findall(body):
        name, equals, rest = line.removesuffix("\\").partition("==")
        version, _, marker = rest.partition(";")
        name, version, marker = name.strip(), version.strip(), marker.strip()
        _doubt_unless(equals and name and version and " " not in version and not version.startswith("="))
        _doubt_unless(not hashes or line.endswith("\\"))  # its --hash lines follow
        pins.setdefault(name, set()).add((version, marker))
    return {name: frozenset(found) for name, found in pins.items()}


def _agreeing(locks: Iterable[dict[str, frozenset[tuple[str, str]]]]) -> None:
    """Raise ValueError unless the locks (:func:`_pins`) cannot disagree on any package: one
    version in all of them, or the same versions under the same markers in each (the cheap
    rule of :func:`sprintlock._lock.consistency.conflicts`)."""
    pinned: dict[str, list[frozenset[tuple[str, str]]]] = {}
    for pins in locks:
        for name, found in pins.items():
            pinned.setdefault(name, []).append(found)
    for groups in pinned.values():
        _doubt_unless(len({version for group in groups for version, _ in group}) < 2 or len(set(groups)) < 2)


#: A requirement that is surely an exact pin: ``name==version``, nothing else on the line.
_EXACT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*==\s*[0-9][0-9A-Za-z.+!_-]*")


def _surely_frozen(text: str) -> bool:
    """Whether an input is surely exact pins only (``layers.Layer.frozen``): every requirement
    line a plain ``name==version``. False also when unsure (a marker, an extra): the layer
    is then held to agree with the others, which only costs a doubt."""
    if "==" not in text:  # no exact pin at all (most inputs): not frozen
        return False
    requirements = [line for _, line in requirement_lines(text) if not line.startswith("-")]  # as infile.py reads
    return bool(requirements) and all(_EXACT.fullmatch(line) for line in requirements)
