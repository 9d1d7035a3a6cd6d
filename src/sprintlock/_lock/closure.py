"""One layer's lock read from a resolution of every layer: its pins, and their ``# via`` labels.

``lock --all`` resolves every non-frozen layer together once (which is also what makes
them agree). With uv, the resolution keeps each layer's own graph (one dependency group
per layer, :mod:`sprintlock._lock.resolvers.uvgroups`): a layer's pins are exactly what
its group installs, markers included, and :func:`labelled` gives them the ``# via``
labels a resolution of the layer alone would (its input files for what it asks for, the
parents it installs for the rest).

With pip-tools, the resolution is one graph of every layer, and each layer's lock is what
its own requirements reach in it (:func:`closure`). The graph is the resolver's ``# via``
annotations: each pin names the packages that need it (its parents), besides the input
files that ask for it. The edges carry no markers (pip-compile does not write them): a
pin keeps the marker of the all-layers resolution, which is a superset of the marker a
resolution of the layer alone would give (a package that one layer needs on Windows only
and another needs everywhere is pinned everywhere in both). Installing such a lock
installs a release the layer may not need on some target, never a different version: the
layers still agree. Likewise the closure follows package names, so a package an extra of
one layer brings in is in the locks of the other layers that need the package without
that extra.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from packaging.utils import canonicalize_name

from sprintlock._lock.infile import InFile
from sprintlock._lock.layers import Layer
from sprintlock._lock.lockfile import Pin


@dataclass
class Roots:
    """What a layer asks for itself: each package name, with the ``# via`` entries that ask for it."""

    packages: dict[str, set[str]] = field(default_factory=dict)

    def add(self, names: Iterable[str], via: str) -> None:
        for name in names:
            self.packages.setdefault(canonicalize_name(name), set()).add(via)


@dataclass(frozen=True)
class Reading:
    """How a layer reads its files: which it requires, which only constrain, which locks it includes."""

    #: Files whose requirements the layer installs (the ``.in`` and what it ``-r`` includes).
    required: tuple[InFile, ...]
    #: Files read through ``-c``: their requirements only limit versions.
    constraining: tuple[InFile, ...]
    #: Layers whose lock this one installs (``-r NAME.txt``), in file order.
    included: tuple[str, ...]

    @property
    def requirement_lines(self) -> list[str]:
        """Every requirement the layer installs, as written (normalised) in its files."""
        return [str(req.requirement) for infile in self.required for req in infile.requirements]

    @property
    def constraint_lines(self) -> list[str]:
        """Every requirement that only limits the layer's versions (read through ``-c``)."""
        return [str(req.requirement) for infile in self.constraining for req in infile.requirements]


def reading(layer: Layer, lock_names: Mapping[Path, str]) -> Reading:
    """Walk ``layer``'s references: a file reached through a ``-c`` (at any depth) only constrains."""
    sources = {source.path.resolve(): source for source in layer.sources}
    required: dict[Path, InFile] = {}
    constraining: dict[Path, InFile] = {}
    included: list[str] = []
    stack = [(layer.infile, True)]
    seen: set[tuple[Path, bool]] = set()
    while stack:
        infile, requires = stack.pop()
        key = (infile.path.resolve(), requires)
        if key in seen:
            continue
        seen.add(key)
        (required if requires else constraining).setdefault(key[0], infile)
        for ref in infile.references:
            target = ref.path.resolve()
            dep = lock_names.get(target)
            if dep is not None:
                if requires and ref.kind == "-r":
                    included.append(dep)
            elif target in sources:
                stack.append((sources[target], requires and ref.kind == "-r"))
    constraining = {path: infile for path, infile in constraining.items() if path not in required}
    return Reading(tuple(required.values()), tuple(constraining.values()), tuple(dict.fromkeys(included)))


def parents(pin: Pin) -> set[str]:
    """The packages that need ``pin`` (its ``# via`` entries that are not input files)."""
    return {canonicalize_name(via) for via in pin.via if not via.startswith("-")}


def closure(pins: Sequence[Pin], roots: Roots) -> tuple[Pin, ...]:
    """The pins ``roots`` reach in the resolved graph ``pins``, each with its ``# via``: the
    parents in the closure and the inputs of ``roots`` that ask for it (every release of a
    package split by markers is kept, each with the resolution's marker)."""
    children: dict[str, list[Pin]] = {}
    for pin in pins:
        for parent in parents(pin):
            children.setdefault(parent, []).append(pin)
    reached = set(roots.packages)
    kept = {id(pin) for pin in pins if pin.name in reached}
    queue = list(reached)
    while queue:  # breadth first: a pin is kept once one of its parents is reached
        for pin in children.get(queue.pop(), ()):
            kept.add(id(pin))
            if pin.name not in reached:
                reached.add(pin.name)
                queue.append(pin.name)
    return labelled([pin for pin in pins if id(pin) in kept], roots)


def labelled(pins: Sequence[Pin], roots: Roots) -> tuple[Pin, ...]:
    """A layer's own resolution ``pins`` (read from ``uv.lock``), each with the ``# via`` a
    lock gives it: its parents among ``pins`` and the inputs of ``roots`` that ask for it."""
    names = {pin.name for pin in pins}
    result = []
    for pin in pins:
        via = {v for v in pin.via if not v.startswith("-") and canonicalize_name(v) in names}
        via |= roots.packages.get(pin.name, set())
        result.append(replace(pin, via=tuple(sorted(via))))
    return tuple(result)
