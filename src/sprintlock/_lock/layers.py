"""Discover the layers of a project (one per ``.in``) and order them by their references."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sprintlock._core.errors import InputError, location
from sprintlock._lock.infile import InFile, Reference, parse_infile
from sprintlock._project.config import Project


@dataclass(frozen=True)
class Layer:
    """One ``NAME.in`` and the lock ``NAME.txt`` compiled from it."""

    name: str
    infile: InFile
    #: Layers whose lock this one includes (``-r NAME.txt``/``-c NAME.txt``), in file order.
    lock_deps: tuple[str, ...]
    #: Every input file this layer reads, transitively, except other layers' locks.
    sources: tuple[InFile, ...]

    @property
    def in_path(self) -> Path:
        return self.infile.path

    @property
    def lock_path(self) -> Path:
        return self.infile.path.with_suffix(".txt")

    @property
    def frozen(self) -> bool:
        """Exact pins only (a minimum-versions layer): upgrades never move it."""
        return self.infile.exact_pins


def _layer_of(path: Path, names: Mapping[Path, str]) -> str | None:
    return names.get(path.resolve())


def discover(project: Project) -> dict[str, Layer]:
    """All layers of ``project`` in compile order (a layer after every layer it includes)."""
    folder = project.requirements_dir
    if not folder.is_dir():
        raise InputError(
            "no requirements folder",
            where=location(folder, root=project.root),
            hint="create requirements/NAME.in files, or run `sprintlock init`",
        )
    in_paths = sorted(folder.glob("*.in"))
    if not in_paths:
        raise InputError(
            "no .in files to lock",
            where=location(folder, root=project.root),
            hint="add requirements/NAME.in listing what that purpose needs (e.g. tests.in: pytest)",
        )
    infiles = {path.stem: parse_infile(path, root=project.root) for path in in_paths}
    index = _Index(
        project,
        infiles,
        lock_names={path.with_suffix(".txt").resolve(): path.stem for path in in_paths},
        in_names={path.resolve(): path.stem for path in in_paths},
    )
    layers: dict[str, Layer] = {}
    for name, infile in infiles.items():
        walk = _Walk(index)
        walk.collect(infile, [infile.path])
        layers[name] = Layer(name, infile, tuple(dict.fromkeys(walk.lock_deps)), tuple(walk.sources))
    return {name: layers[name] for name in _order(layers, project)}


@dataclass(frozen=True)
class _Index:
    """The project's ``.in`` files, parsed, and which paths are a layer's input or lock."""

    project: Project
    infiles: Mapping[str, InFile]
    #: Resolved ``NAME.txt`` path -> layer name.
    lock_names: Mapping[Path, str]
    #: Resolved ``NAME.in`` path -> layer name.
    in_names: Mapping[Path, str]


@dataclass
class _Walk:
    """One layer's references, walked depth first: the files it reads and the locks it includes."""

    index: _Index
    lock_deps: list[str] = field(default_factory=list)
    sources: list[InFile] = field(default_factory=list)

    def collect(self, infile: InFile, chain: list[Path]) -> None:
        """Record ``infile`` and, through its references, everything it reads."""
        if any(source.path == infile.path for source in self.sources):
            return
        self.sources.append(infile)
        for ref in infile.references:
            target = ref.path.resolve()
            layer = self._reference(infile, ref, target)
            if layer is not None:
                self.lock_deps.append(layer)
                continue
            if target in [p.resolve() for p in chain]:
                raise _cycle_error(self.index.project, [*chain, ref.path], ref, infile)
            self.collect(self._nested(infile, ref, target), [*chain, ref.path])

    def _reference(self, infile: InFile, ref: Reference, target: Path) -> str | None:
        """The layer whose lock ``ref`` includes; None for any other file inside the project."""
        root = self.index.project.root
        if not target.is_relative_to(root):
            raise InputError(
                f"{ref.kind} {ref.text}: outside the project",
                where=location(infile.path, ref.line, root=root),
                hint="reference files inside the project, so that every contributor has them",
            )
        return _layer_of(target, self.index.lock_names)

    def _nested(self, infile: InFile, ref: Reference, target: Path) -> InFile:
        """The file ``ref`` reads: a layer's ``.in`` (parsed already) or another file."""
        root = self.index.project.root
        in_layer = _layer_of(target, self.index.in_names)
        if in_layer is not None:
            return self.index.infiles[in_layer]
        if ref.path.is_file():
            return parse_infile(ref.path, root=root)
        raise InputError(
            f"{ref.kind} {ref.text}: no such file",
            where=location(infile.path, ref.line, root=root),
            hint=f"create {ref.text} (or its .in), or remove this line",
        )


def _cycle_error(project: Project, chain: Iterable[Path], ref: Reference, infile: InFile) -> InputError:
    shown = " -> ".join(p.name for p in chain)
    return InputError(
        f"circular reference: {shown}",
        where=location(infile.path, ref.line, root=project.root),
        hint="a layer cannot include itself; remove one of these references",
    )


def _order(layers: Mapping[str, Layer], project: Project) -> list[str]:
    """Topological order, alphabetical among independent layers; cycles are errors."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = [*chain[chain.index(name) :], name]
            first = layers[cycle[0]]
            ref = next((r for r in first.infile.references if r.path.stem == cycle[1]), None)
            raise InputError(
                "circular reference: " + " -> ".join(f"{n}.txt" for n in cycle),
                where=location(first.in_path, ref.line if ref else None, root=project.root),
                hint="a layer cannot include itself through other layers; remove one reference",
            )
        state[name] = "active"
        for dep in sorted(layers[name].lock_deps):
            visit(dep, [*chain, name])
        state[name] = "done"
        order.append(name)

    for name in sorted(layers):
        visit(name, [])
    return order


def dependents(layers: Mapping[str, Layer], names: Iterable[str]) -> set[str]:
    """``names`` plus every layer that includes one of them, directly or not."""
    chosen = set(names)
    changed = True
    while changed:
        changed = False
        for layer in layers.values():
            if layer.name not in chosen and chosen.intersection(layer.lock_deps):
                chosen.add(layer.name)
                changed = True
    return chosen
