"""Discover the layers of a project (one per ``.in``) and order them by their references."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
    lock_names = {path.with_suffix(".txt").resolve(): path.stem for path in in_paths}
    in_names = {path.resolve(): path.stem for path in in_paths}

    layers: dict[str, Layer] = {}
    for name, infile in infiles.items():
        lock_deps: list[str] = []
        sources: list[InFile] = []
        _collect(infile, project, lock_names, in_names, infiles, lock_deps, sources, [infile.path])
        layers[name] = Layer(name, infile, tuple(dict.fromkeys(lock_deps)), tuple(sources))
    return {name: layers[name] for name in _order(layers, project)}


def _collect(
    infile: InFile,
    project: Project,
    lock_names: Mapping[Path, str],
    in_names: Mapping[Path, str],
    infiles: Mapping[str, InFile],
    lock_deps: list[str],
    sources: list[InFile],
    chain: list[Path],
) -> None:
    """Walk ``infile`` and its references depth first, recording sources and lock deps."""
    if any(source.path == infile.path for source in sources):
        return
    sources.append(infile)
    for ref in infile.references:
        target = ref.path.resolve()
        if not target.is_relative_to(project.root):
            raise InputError(
                f"{ref.kind} {ref.text}: outside the project",
                where=location(infile.path, ref.line, root=project.root),
                hint="reference files inside the project, so that every contributor has them",
            )
        layer = _layer_of(target, lock_names)
        if layer is not None:
            lock_deps.append(layer)
            continue
        if target in [p.resolve() for p in chain]:
            raise _cycle_error(project, [*chain, ref.path], ref, infile)
        in_layer = _layer_of(target, in_names)
        if in_layer is not None:
            nested = infiles[in_layer]
        elif ref.path.is_file():
            nested = parse_infile(ref.path, root=project.root)
        else:
            raise InputError(
                f"{ref.kind} {ref.text}: no such file",
                where=location(infile.path, ref.line, root=project.root),
                hint=f"create {ref.text} (or its .in), or remove this line",
            )
        _collect(nested, project, lock_names, in_names, infiles, lock_deps, sources, [*chain, ref.path])


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
