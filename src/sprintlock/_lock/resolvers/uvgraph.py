"""Each layer's pins read from the staged ``uv.lock``: what ``uv export --only-group`` writes, without running it.

``uv lock`` of the staged project (:mod:`sprintlock._lock.resolvers.uvgroups`) records one
graph: every package with its dependencies, each edge with uv's marker, and the staged
project's dependency groups (one per layer, included groups already expanded). A layer's
lock is what its group reaches in that graph: a package is installed wherever some path
to it holds (the edges' markers, joined with ``and`` along a path and ``or`` across
paths), with the hashes of its files, and the packages it is reached from as its ``# via``.

The markers are compared by meaning (:class:`~sprintlock._lock.resolvers.markerspace.Space`):
where a package is installed everywhere it gets no marker; otherwise it gets the one
marker of the lock (an edge's, or a fork's ``resolution-markers``) that means exactly the
same (uv writes each meaning in one canonical form: that is the text ``uv export``
writes), or else the marker written as uv writes one Python range joined with one value
(or all but some) per other variable. A layer that needs more than that (a package needed
on Windows by one path and before Python 3.11 by another: an ``or``), or that reaches a
marker the sample cannot read or a package not from an index, is :data:`None`: the
caller asks ``uv export`` for it. An unreadable lock answers nothing. The tests hold each
answer equal to uv's own export.
"""

from __future__ import annotations

import re
import sys
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sprintlock._lock.lockfile import Pin, make_pin, normalize_marker
from sprintlock._lock.resolvers.markerspace import Space

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["LockGraph", "read_graph"]

_Key = tuple[str, str]


@dataclass(frozen=True)
class _Edge:
    target: _Key
    marker: str | None
    extras: tuple[str, ...]


@dataclass
class _Node:
    name: str
    version: str
    hashes: tuple[str, ...]
    from_index: bool
    dependencies: list[_Edge] = field(default_factory=list)
    optional: dict[str, list[_Edge]] = field(default_factory=dict)


#: One line of a ``wheels`` array as uv writes it: ``{ url = "...", hash = "...", size = N, ... },``.
_WHEEL = re.compile(
    r' +\{ [a-z]+ = "[^"\\\n]*", hash = "([a-z0-9]+:[0-9a-f]+)"(?:, [a-z-]+ = (?:"[^"\\\n]*"|[0-9]+))* \},\n'
)
#: A ``wheels`` array as uv writes it: one inline table a line.
_WHEELS = re.compile(r"^wheels = \[\n((?: +\{[^\n]*\n)*)\]$", re.MULTILINE)


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads`` of a ``uv.lock``, with each package's ``wheels`` read as ``wheel-hashes``: their hashes.

    Most of a real ``uv.lock`` is wheels, one inline table a line (URL, hash, size, upload
    time): ``tomllib`` reads the rest 4 to 5 times faster. Each ``wheels`` array as uv writes
    it (``wheels = [``, one wheel with a hash a line, ``]``) is cut from the text, its hashes
    kept aside; any other array is left for ``tomllib`` to read.
    """
    cut: list[tuple[str, ...]] = []

    def keep_hashes(array: re.Match[str]) -> str:
        block, start, hashes = array.group(1), 0, []
        while start < len(block):
            wheel = _WHEEL.match(block, start)
            if wheel is None:
                return array.group(0)
            hashes.append(wheel.group(1))
            start = wheel.end()
        cut.append(tuple(hashes))
        return f"wheel-hashes = {len(cut) - 1}"

    data: dict[str, Any] = tomllib.loads(_WHEELS.sub(keep_hashes, text))
    for package in data.get("package", ()):
        if isinstance(package, dict) and "wheel-hashes" in package:
            package["wheel-hashes"] = cut[package["wheel-hashes"]]
    return data


def _hashes(package: Mapping[str, Any]) -> tuple[str, ...]:
    files = [package.get("sdist") or {}, *package.get("wheels", ())]
    return (
        *(str(file["hash"]) for file in files if isinstance(file, dict) and "hash" in file),
        *map(str, package.get("wheel-hashes", ())),
    )


class LockGraph:
    """The staged project's groups and the graph they reach, from the text of its ``uv.lock``."""

    def __init__(self, data: Mapping[str, Any], project: str, lowest: str) -> None:
        packages = [p for p in data.get("package", ()) if isinstance(p, dict)]
        self._nodes: dict[_Key, _Node] = {}
        versions: dict[str, list[str]] = {}
        for package in packages:
            key = (str(package["name"]), str(package.get("version", "")))
            if key in self._nodes:
                raise ValueError(f"{key[0]} {key[1]} twice")
            source = package.get("source") or {}
            self._nodes[key] = _Node(*key, _hashes(package), "registry" in source)
            versions.setdefault(key[0], []).append(key[1])
        self._groups: dict[str, list[_Edge]] = {}
        # uv's forms of markers: the edges', and the forks' (where each split package is chosen).
        texts = {str(text) for item in (data, *packages) for text in item.get("resolution-markers", ())}
        read = _EdgeReader(versions, texts)
        for package in packages:
            node = self._nodes[(str(package["name"]), str(package.get("version", "")))]
            node.dependencies = read.all(package.get("dependencies", ()))
            node.optional = {
                extra: read.all(items) for extra, items in package.get("optional-dependencies", {}).items()
            }
            if node.name == project:
                self._groups = {group: read.all(items) for group, items in package.get("dev-dependencies", {}).items()}
        self._space = Space(texts, lowest)
        self._masks: dict[str, int] = {}
        self._texts: dict[int, str | None] = {}
        for text in texts:
            if self._space.readable(text):
                where = self._mask(text)
                known = self._texts.setdefault(where, text)
                if known is not None and normalize_marker(known) != normalize_marker(text):
                    self._texts[where] = None  # two texts mean the same: uv's form is not known

    def _mask(self, text: str | None) -> int:
        if text is None:
            return self._space.everywhere
        if text not in self._masks:
            if not self._space.readable(text):
                raise ValueError(text)
            self._masks[text] = self._space.of(text)
        return self._masks[text]

    def pins(self, group: str, *, hashes: bool) -> tuple[Pin, ...] | None:
        """What ``uv export --only-group GROUP`` pins, or None where the graph cannot tell."""
        if group not in self._groups or not self._space.usable:
            return None
        try:
            reach, parents = self._reach(self._groups[group])
            return tuple(self._pin(key, where, parents.get(key, set()), hashes) for key, where in sorted(reach.items()))
        except ValueError:  # the graph cannot say what uv would export for this layer
            return None

    def _reach(self, roots: Iterable[_Edge]) -> tuple[dict[_Key, int], dict[_Key, set[str]]]:
        """Where each package the ``roots`` reach is installed, and the packages it is reached from."""
        reach: dict[_Key, int] = {}
        reach_extra: dict[tuple[_Key, str], int] = {}
        parents: dict[_Key, set[str]] = {}
        queue: deque[tuple[_Key, str | None, int]] = deque()

        def arrive(edge: _Edge, where: int, parent: str | None) -> None:
            where &= self._mask(edge.marker)
            if not where:
                return
            if parent is not None:
                parents.setdefault(edge.target, set()).add(parent)
            new = where & ~reach.get(edge.target, 0)
            if new:
                reach[edge.target] = reach.get(edge.target, 0) | new
                queue.append((edge.target, None, new))
            for extra in edge.extras:
                new = where & ~reach_extra.get((edge.target, extra), 0)
                if new:
                    reach_extra[(edge.target, extra)] = reach_extra.get((edge.target, extra), 0) | new
                    queue.append((edge.target, extra, new))

        for edge in roots:
            arrive(edge, self._space.everywhere, None)
        while queue:
            key, extra, new = queue.popleft()
            node = self._nodes[key]
            for edge in node.dependencies if extra is None else node.optional.get(extra, ()):
                arrive(edge, new, node.name)
        return reach, parents

    def _pin(self, key: _Key, where: int, parents: set[str], hashes: bool) -> Pin:
        node = self._nodes[key]
        if not node.from_index:
            raise ValueError(f"{node.name} is not from an index")
        marker = None
        if where != self._space.everywhere:
            # The lock's own form of that marker; else one written as uv writes such markers.
            marker = self._texts[where] if where in self._texts else self._space.describe(where)
            if marker is None:
                raise ValueError(f"no marker of the lock means where {node.name} is installed")
        return make_pin(node.name, node.version, marker, node.hashes if hashes else (), parents)


@dataclass
class _EdgeReader:
    """Reads a package's dependency entries, each to the one package it names."""

    versions: Mapping[str, list[str]]
    #: Every marker text read (the sample is built from them).
    texts: set[str]

    def all(self, items: Iterable[Any]) -> list[_Edge]:
        return [self.one(item) for item in items]

    def one(self, item: Mapping[str, Any]) -> _Edge:
        name = str(item["name"])
        known = self.versions.get(name, [])
        version = str(item["version"]) if "version" in item else (known[0] if len(known) == 1 else None)
        if version is None or version not in known:
            raise ValueError(f"an edge to {name} names no one package")
        marker = item.get("marker")
        if marker is not None:
            self.texts.add(str(marker))
        return _Edge((name, version), None if marker is None else str(marker), tuple(map(str, item.get("extra", ()))))


def read_graph(text: str, project: str, lowest: str) -> LockGraph | None:
    """The graph of a staged ``uv.lock`` (``project`` is the staged project's name), or None if it cannot be read."""
    try:
        return LockGraph(loads(text), project, lowest)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError):  # TOMLDecodeError is a ValueError
        return None
