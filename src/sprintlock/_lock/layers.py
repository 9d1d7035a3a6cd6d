"""Discover the layers of a project (one per ``.in`` and one per dependency group) and order them.

A dependency group (PEP 735) is read as an ``.in`` file would be: its requirements one per
line, each ``{include-group = "other"}`` as ``-r other.txt`` (the other group's lock), at
``requirements/NAME.in`` where the file would be. The rest of the engine sees a layer.

A minimum-versions layer ``BASE-min`` (exact pins only, such as flask's ``tests-min.in``:
``werkzeug==3.1.0``...) beside a layer ``BASE`` is locked from its own pins *and* the
requirements of ``BASE.in`` (the test tools), the exact pins holding: its lock is a
complete environment (the tools at the minimum runtime versions), installable on its own.
The user's files stay as they are; ``BASE.in`` is one more input of that lock (its
fingerprint, its resolution).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sprintlock._core.errors import InputError, location
from sprintlock._core.files import read_text
from sprintlock._lock.infile import InFile, InRequirement, Origin, Reference, parse_infile
from sprintlock._project.config import Project

if TYPE_CHECKING:  # only projects with [dependency-groups] load the groups' reader
    from sprintlock._project.groups import DependencyGroup


@dataclass(frozen=True)
class Layer:
    """One ``NAME.in`` and the lock ``NAME.txt`` compiled from it."""

    name: str
    infile: InFile
    #: Layers whose lock this one includes (``-r NAME.txt``/``-c NAME.txt``), in file order.
    lock_deps: tuple[str, ...]
    #: Every input file this layer reads, transitively, except other layers' locks.
    sources: tuple[InFile, ...]
    #: For a minimum-versions layer ``BASE-min``: ``BASE``, whose requirements it adds to its exact pins.
    base: str | None = None
    #: Inputs the resolver reads besides :attr:`in_path` (a minimum-versions layer: ``BASE.in``).
    added: tuple[Path, ...] = ()

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The files the resolver reads for this lock: its ``.in``, then what :attr:`added` adds."""
        return (self.infile.path, *self.added)

    @property
    def in_path(self) -> Path:
        return self.infile.path

    @property
    def lock_path(self) -> Path:
        return self.infile.path.with_suffix(".txt")

    @property
    def origin(self) -> Origin | None:
        """Where a dependency group's layer is defined; None for a ``.in`` file."""
        return self.infile.origin

    def where(self, root: Path) -> str:
        """Its input for messages: ``requirements/NAME.in``, or ``pyproject.toml:LINE`` for a group."""
        origin = self.infile.origin
        return location(origin.path, origin.line, root=root) if origin else location(self.in_path, root=root)

    @property
    def frozen(self) -> bool:
        """Exact pins only (a minimum-versions layer): upgrades never move it, and it need not
        agree with the other layers."""
        return self.infile.exact_pins


#: The suffix of a minimum-versions layer: ``tests-min`` holds the minimums ``tests`` runs with.
MIN_SUFFIX = "-min"


def minimum_base(name: str, infile: InFile, names: Collection[str]) -> str | None:
    """``BASE`` when ``name`` is ``BASE-min``, a layer of exact pins only beside a layer ``BASE``."""
    base = name.removesuffix(MIN_SUFFIX)
    return base if base != name and base in names and infile.exact_pins else None


def _layer_of(path: Path, names: Mapping[Path, str]) -> str | None:
    return names.get(path.resolve())


def discover(project: Project) -> dict[str, Layer]:
    """All layers of ``project`` in compile order (a layer after every layer it includes)."""
    folder = _requirements_folder(project)
    in_paths = sorted(folder.glob("*.in")) if folder.is_dir() else []
    if not in_paths and not project.groups:
        raise InputError(
            "no .in files to lock",
            where=location(folder, root=project.root),
            hint="add requirements/NAME.in listing what that purpose needs (e.g. tests.in: pytest), "
            "or a [dependency-groups] table to pyproject.toml",
        )
    for path in in_paths:
        _inside(project, path, location(path, root=project.root))
    infiles = {path.stem: parse_infile(path, root=project.root) for path in in_paths}
    infiles.update(_group_infiles(project, folder, infiles))
    index = _Index(
        project,
        infiles,
        lock_names={infile.path.with_suffix(".txt").resolve(): name for name, infile in infiles.items()},
        in_names={infile.path.resolve(): name for name, infile in infiles.items()},
    )
    layers = {name: _layer(index, name, infile) for name, infile in infiles.items()}
    return {name: layers[name] for name in _order(layers, project)}


def _layer(index: _Index, name: str, infile: InFile) -> Layer:
    """One layer: what its input reads, and (a minimum-versions layer) its base's input too."""
    walk = _Walk(index)
    walk.collect(infile)
    own = Layer(name, infile, tuple(dict.fromkeys(walk.lock_deps)), tuple(walk.sources))
    base = minimum_base(name, infile, index.infiles)
    if base is None:
        return own
    base_in = index.infiles[base]
    if base_in.path in walk.seen:  # it reads BASE.in already (``-r tests.in``): complete as it is
        return dataclasses.replace(own, base=base)
    walk.collect(base_in)
    if name in walk.lock_deps:  # BASE includes this lock: adding BASE.in would be a cycle
        return own
    return Layer(name, infile, tuple(dict.fromkeys(walk.lock_deps)), tuple(walk.sources), base, (base_in.path,))


def input_files(layers: Mapping[str, Layer]) -> dict[Path, str]:
    """Every input file the layers read, with its text (dependency groups are in pyproject.toml)."""
    return {source.path: source.text for layer in layers.values() for source in layer.sources if source.origin is None}


def _group_infiles(project: Project, folder: Path, infiles: Mapping[str, InFile]) -> dict[str, InFile]:
    """Each dependency group as the input of a layer; a name that is also a ``.in`` file is an error."""
    files: dict[str, str] = {canonicalize_name(name): name for name in infiles}
    found: dict[str, InFile] = {}
    for group in project.groups:
        clash = files.get(group.name)
        if clash is not None:
            raise InputError(
                f"layer {group.name!r} is defined twice: by {project.config.requirements}/{clash}.in "
                f"and by the dependency group {group.key!r}",
                where=location(project.pyproject, group.line, root=project.root),
                hint=f"a layer has one input: delete {project.config.requirements}/{clash}.in "
                "(the group replaces it) or rename one of them",
            )
        found[group.name] = _group_infile(project, folder, group)
    return found


def _group_infile(project: Project, folder: Path, group: DependencyGroup) -> InFile:
    """A dependency group read as ``folder/NAME.in``: requirements, and ``-r`` for included groups."""
    path = folder / f"{group.name}.in"
    requirements: list[InRequirement] = []
    references: list[Reference] = []
    for number, line in enumerate(group.text.splitlines(), start=1):
        if line.startswith("-r "):
            target = line.removeprefix("-r ")
            references.append(Reference("-r", folder / target, target, number))
        else:
            requirements.append(InRequirement(Requirement(line), number))
    origin = Origin(group.label, project.pyproject, group.line)
    return InFile(path, group.text, tuple(requirements), tuple(references), origin)


def _requirements_folder(project: Project) -> Path:
    """The requirements folder: it must exist (unless the project has dependency groups), be a
    folder, and lie inside the project."""
    folder = project.requirements_dir
    where = location(folder, root=project.root)
    if not folder.is_dir():
        exists = folder.exists()
        if project.groups and not exists:
            return folder  # the groups' locks create it
        raise InputError(
            "not a folder" if exists else "no requirements folder",
            where=where,
            hint="create requirements/NAME.in files, or run `sprintlock init`"
            if not exists
            else "make it a folder of NAME.in files, or set `requirements` in [tool.sprintlock]",
        )
    _inside(project, folder, where)
    return folder


def _inside(project: Project, path: Path, where: str) -> None:
    """Refuse a path (a symlink, or one in a symlinked folder) that leads outside the project."""
    if not path.resolve().is_relative_to(project.root):
        raise InputError(
            "leads outside the project (a symbolic link?)",
            where=where,
            hint="keep the requirements folder and its files inside the project, so that every contributor has them",
        )


@dataclass(frozen=True)
class _Index:
    """The project's ``.in`` files, parsed, and which paths are a layer's input or lock."""

    project: Project
    infiles: Mapping[str, InFile]
    #: Resolved ``NAME.txt`` path -> layer name.
    lock_names: Mapping[Path, str]
    #: Resolved ``NAME.in`` path -> layer name.
    in_names: Mapping[Path, str]
    #: Other files read through ``-r``/``-c``, parsed once, by resolved path.
    others: dict[Path, InFile] = field(default_factory=dict)
    #: Each reference's resolved target (several layers walk the same files).
    targets: dict[Reference, Path] = field(default_factory=dict)

    def target(self, ref: Reference) -> Path:
        found = self.targets.get(ref)
        if found is None:
            found = self.targets[ref] = ref.path.resolve()
        return found


@dataclass
class _Frame:
    """A file being walked: its remaining references."""

    infile: InFile
    #: How the walk reached it (as written), for the message of a cycle.
    via: Path
    target: Path
    refs: Iterator[Reference]


@dataclass
class _Walk:
    """One layer's references, walked depth first: the files it reads and the locks it includes.

    The walk keeps its own stack (a chain of thousands of ``-r`` files is no recursion).
    """

    index: _Index
    lock_deps: list[str] = field(default_factory=list)
    sources: list[InFile] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)

    def collect(self, start: InFile) -> None:
        """Record ``start`` and, through its references, everything it reads."""
        stack = [self._enter(start, start.path, start.path.resolve())]
        on_path = {stack[0].target}
        while stack:
            frame = stack[-1]
            ref = next(frame.refs, None)
            if ref is None:
                on_path.discard(stack.pop().target)
                continue
            target = self.index.target(ref)
            layer = self._reference(frame.infile, ref, target)
            if layer is not None:
                self.lock_deps.append(layer)
            elif target in on_path:
                raise _cycle_error(self.index.project, [f.via for f in stack] + [ref.path], ref, frame.infile)
            else:
                nested = self._nested(frame.infile, ref, target)
                if nested.path not in self.seen:
                    stack.append(self._enter(nested, ref.path, target))
                    on_path.add(target)

    def _enter(self, infile: InFile, via: Path, target: Path) -> _Frame:
        self.sources.append(infile)
        self.seen.add(infile.path)
        return _Frame(infile, via, target, iter(infile.references))

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
        if target in self.index.others:
            return self.index.others[target]
        text = read_text(ref.path, root=root, hint=f"make {ref.text} a UTF-8 text file of requirements")
        if text is None:
            raise InputError(
                f"{ref.kind} {ref.text}: no such file",
                where=location(infile.path, ref.line, root=root),
                hint=f"create {ref.text} (or its .in), or remove this line",
            )
        nested = self.index.others[target] = parse_infile(ref.path, root=root, text=text)
        return nested


def _cycle_error(project: Project, chain: Iterable[Path], ref: Reference, infile: InFile) -> InputError:
    shown = " -> ".join(p.name for p in chain)
    return InputError(
        f"circular reference: {shown}",
        where=location(infile.path, ref.line, root=project.root),
        hint="a layer cannot include itself; remove one of these references",
    )


def _order(layers: Mapping[str, Layer], project: Project) -> list[str]:
    """Topological order, alphabetical among independent layers; cycles are errors.

    Depth first with its own stack, so that a long chain of layers is no recursion.
    """
    order: list[str] = []
    done: set[str] = set()
    for name in sorted(layers):
        if name in done:
            continue
        stack = [(name, iter(sorted(layers[name].lock_deps)))]
        while stack:
            current, deps = stack[-1]
            dep = next(deps, None)
            if dep is None:
                stack.pop()
                done.add(current)
                order.append(current)
            elif dep not in done:
                active = [n for n, _ in stack]
                if dep in active:
                    raise _layer_cycle(layers, project, [*active[active.index(dep) :], dep])
                stack.append((dep, iter(sorted(layers[dep].lock_deps))))
    return order


def _layer_cycle(layers: Mapping[str, Layer], project: Project, cycle: list[str]) -> InputError:
    first = layers[cycle[0]]
    ref = next((r for r in first.infile.references if r.path.stem == cycle[1]), None)
    return InputError(
        "circular reference: " + " -> ".join(f"{n}.txt" for n in cycle),
        where=location(first.in_path, ref.line if ref else None, root=project.root),
        hint="a layer cannot include itself through other layers; remove one reference",
    )


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
