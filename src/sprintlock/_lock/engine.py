"""Compile layers into locks: staged, consistent across layers, all-or-nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sprintlock._core.errors import InputError, ResolutionError, location
from sprintlock._core.files import read_text, write_all
from sprintlock._core.process import Runner, run
from sprintlock._lock.check import inconsistencies
from sprintlock._lock.fingerprint import expected_header
from sprintlock._lock.layers import Layer, dependents, discover
from sprintlock._lock.lockfile import Lock, LockFormatError, Pin, digest, parse_lock, render, split_body
from sprintlock._lock.resolvers import Compiled, CompileJob, Resolver, get_resolver
from sprintlock._project.config import Project

PROJECT_INPUT = "_project.in"
UNION_INPUT = "_all-layers.in"


@dataclass(frozen=True)
class LayerResult:
    """What happened to one layer: its lock before and after."""

    name: str
    path: Path
    old: Lock | None
    new: Lock | None
    #: Whether this run recompiled it (its pins may still be the same).
    compiled: bool


@dataclass(frozen=True)
class LockOutcome:
    project: Project
    layers: tuple[LayerResult, ...]
    written: tuple[Path, ...] = field(default=())


def _parsed(text: str | None, layer: str) -> Lock | None:
    """The lock in ``text``; None when missing, not ours, or damaged (it is then recompiled)."""
    if text is None:
        return None
    try:
        return parse_lock(text, layer)
    except LockFormatError:
        return None


def needs_compile(project: Project, layer: Layer, text: str | None, read_lock: Mapping[str, str | None]) -> bool:
    """A lock is stale when it is missing, not ours, or its inputs changed."""
    if text is None:
        return True
    lock = _parsed(text, layer.name)
    if lock is None or digest(split_body(text)[1]) != lock.header.body:
        return True  # not ours, or edited by hand
    current = expected_header(project, layer, lock.header.covers, read_lock.get)
    return current.compute_fingerprint() != lock.header.fingerprint


class _Stage:
    """A temporary mirror of the project's inputs, where every lock is written first."""

    def __init__(self, project: Project, layers: Mapping[str, Layer]) -> None:
        self.project = project
        self.root = Path(tempfile.mkdtemp(prefix="sprintlock-"))
        self.folder = self.path(project.requirements_dir)
        self.folder.mkdir(parents=True)
        copied: set[Path] = set()
        for layer in layers.values():
            for source in layer.sources:
                if source.path not in copied:
                    copied.add(source.path)
                    target = self.path(source.path)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(source.text, encoding="utf-8")
            lock_text = read_text(layer.lock_path)
            if lock_text is not None:
                self.path(layer.lock_path).write_text(lock_text, encoding="utf-8")
        (self.folder / PROJECT_INPUT).write_text("".join(dep + "\n" for dep in project.dependencies), encoding="utf-8")

    def path(self, real: Path) -> Path:
        relative = real.resolve().relative_to(self.project.root)
        return self.root / relative

    def read_lock(self, layer: Layer) -> str | None:
        return read_text(self.path(layer.lock_path))

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _via_label(via: str, stage: _Stage) -> str | None:
    """Canonical ``# via`` entries: staging paths become names relative to the lock."""
    if via.startswith(("-c ", "--constraint")):
        return None
    if via.startswith(("-r ", "--requirement")):
        target = via.split(None, 1)[1].strip()
        name = Path(target).name
        if name == PROJECT_INPUT:
            return "pyproject.toml"
        if name == UNION_INPUT:
            return None
        path = Path(target)
        if path.is_absolute():
            try:
                return "-r " + path.relative_to(stage.folder).as_posix()
            except ValueError:
                return "-r " + path.relative_to(stage.root).as_posix()
        return f"-r {target}"
    return via


def _clean(pins: Iterable[Pin], stage: _Stage) -> tuple[Pin, ...]:
    cleaned = []
    for pin in pins:
        labels = (_via_label(v, stage) for v in pin.via)
        cleaned.append(Pin(pin.name, pin.version, pin.marker, pin.hashes, tuple(sorted({v for v in labels if v}))))
    return tuple(cleaned)


def _constraint_text(pins: Iterable[Pin]) -> str:
    return "".join(pin.requirement() + "\n" for pin in pins)


def lock(
    project: Project,
    names: Iterable[str] = (),
    *,
    everything: bool = False,
    upgrade: bool = False,
    upgrade_packages: Iterable[str] = (),
    runner: Runner = run,
    resolver: Resolver | None = None,
) -> LockOutcome:
    """Compile the stale (or named, or all) layers of ``project``; write nothing on failure."""
    layers = discover(project)
    names = list(names)
    for name in names:
        if name not in layers:
            raise InputError(
                f"no layer named {name!r}",
                where=location(project.requirements_dir, root=project.root),
                hint=f"the layers are: {', '.join(layers)}",
            )
    resolver = resolver or get_resolver(project.config.resolver, runner)
    upgrade_packages = tuple(upgrade_packages)
    upgrading = upgrade or bool(upgrade_packages)
    if everything or upgrading:
        requested = set(layers)
    elif names:
        requested = dependents(layers, names)
    else:
        requested = set()
    old = {name: read_text(layer.lock_path) for name, layer in layers.items()}

    stage = _Stage(project, layers)
    try:
        results = _compile_all(project, layers, stage, resolver, requested, upgrade, upgrade_packages, old)
        files = {}
        for result in results:
            new_text = stage.read_lock(layers[result.name])
            if result.compiled and new_text is not None and new_text != old[result.name]:
                files[layers[result.name].lock_path] = new_text
        write_all(files)
    finally:
        stage.close()
    return LockOutcome(project, tuple(results), tuple(files))


def _compile_all(
    project: Project,
    layers: Mapping[str, Layer],
    stage: _Stage,
    resolver: Resolver,
    requested: set[str],
    upgrade: bool,
    upgrade_packages: tuple[str, ...],
    old: Mapping[str, str | None],
) -> list[LayerResult]:
    """Compile what is stale; then, only if the layers disagree, make them agree.

    First every stale layer compiles on its own (independent layers in parallel), each
    preferring its current pins. Usually the layers then agree on every shared package.
    When they do not (or when a layer that includes others cannot resolve), all
    non-frozen layers are resolved together once, and the layers that disagree with that
    resolution are compiled again with it as constraints.
    """
    read_staged = {name: stage.read_lock(layer) for name, layer in layers.items()}
    # Layers stale before this run; layers they feed are re-checked as the run goes,
    # since a rewritten lock changes the inputs of the layers that include it.
    candidates = set(requested) | {
        name for name, layer in layers.items() if needs_compile(project, layer, read_staged[name], read_staged)
    }
    shared = [name for name, layer in layers.items() if not layer.frozen]
    options = (upgrade, upgrade_packages)
    compiled: set[str] = set()
    try:
        _waves(project, layers, stage, resolver, read_staged, candidates.__contains__, None, options, compiled)
        agreed = not inconsistencies(project, layers, _locks(read_staged, shared))
    except ResolutionError:
        if len(shared) < 2:
            raise
        agreed = False  # a layer including others may resolve once the layers agree
    if not agreed:
        union, versions = _resolve_union(project, layers, shared, stage, resolver, upgrade, upgrade_packages)

        def disagrees(name: str) -> bool:
            return name in shared and not _agrees(_parsed(read_staged[name], name), versions)

        _waves(project, layers, stage, resolver, read_staged, disagrees, union, options, compiled)
    results = []
    for name, layer in layers.items():
        old_lock = _parsed(old[name], name)
        new_lock = _parsed(read_staged[name], name) if name in compiled else old_lock
        results.append(LayerResult(name, layer.lock_path, old_lock, new_lock, name in compiled))
    return results


def _locks(texts: Mapping[str, str | None], names: Iterable[str]) -> dict[str, Lock]:
    return {name: lock for name in names if (lock := _parsed(texts[name], name)) is not None}


def _waves(
    project: Project,
    layers: Mapping[str, Layer],
    stage: _Stage,
    resolver: Resolver,
    read_staged: dict[str, str | None],
    wanted: Callable[[str], bool],
    union: Path | None,
    options: tuple[bool, tuple[str, ...]],
    compiled: set[str],
) -> None:
    """Compile, in waves of layers whose included locks are final, each wanted layer and
    each layer whose inputs changed; independent layers compile in parallel. Staged locks
    are updated in ``read_staged`` and their names added to ``compiled`` (even when a
    later layer fails)."""
    upgrade, upgrade_packages = options

    def compile_layer(layer: Layer) -> Compiled:
        frozen = layer.frozen
        return _compile_layer(
            project,
            layer,
            stage,
            resolver,
            constraints=(union,) if union is not None and not frozen else (),
            upgrade=upgrade and not frozen,
            upgrade_packages=upgrade_packages if not frozen else (),
        )

    remaining = list(layers)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        while remaining:
            wave = [n for n in remaining if not set(layers[n].lock_deps).intersection(remaining)]
            remaining = [n for n in remaining if n not in wave]
            stale = [n for n in wave if wanted(n) or needs_compile(project, layers[n], read_staged[n], read_staged)]
            running = {n: pool.submit(compile_layer, layers[n]) for n in stale}
            for name in stale:  # in order: the first failure is the one reported
                layer = layers[name]
                result = running[name].result()
                header = expected_header(project, layer, result.covers, read_staged.get)
                text = render(header, _clean(result.pins, stage))
                stage.path(layer.lock_path).write_text(text, encoding="utf-8")
                read_staged[name] = text
                compiled.add(name)


def _job(
    project: Project,
    stage: _Stage,
    inputs: tuple[Path, ...],
    output: Path,
    seed: str | None,
    **options: object,
) -> CompileJob:
    output.write_text(seed or "", encoding="utf-8")
    return CompileJob(
        inputs=inputs,
        output=output,
        targets=project.config.targets,
        hashes=project.config.hashes,
        cwd=project.root,
        **options,  # type: ignore[arg-type]
    )


def _compile_layer(
    project: Project,
    layer: Layer,
    stage: _Stage,
    resolver: Resolver,
    *,
    constraints: tuple[Path, ...],
    upgrade: bool,
    upgrade_packages: tuple[str, ...],
) -> Compiled:
    inputs = [stage.path(layer.in_path)]
    if project.config.includes_project(layer.name) and project.dependencies:
        inputs.append(stage.folder / PROJECT_INPUT)
    output = stage.folder / f"_out-{layer.name}.txt"
    current = stage.read_lock(layer)
    # The current pins are the resolver's preferences (a damaged lock gives none).
    seed = split_body(current)[1] if current and _parsed(current, layer.name) else None
    job = _job(
        project,
        stage,
        tuple(inputs),
        output,
        seed,
        constraints=constraints,
        upgrade=upgrade,
        upgrade_packages=upgrade_packages,
        where=location(layer.in_path, root=project.root),
    )
    return resolver.compile(job)


def _resolve_union(
    project: Project,
    layers: Mapping[str, Layer],
    shared: list[str],
    stage: _Stage,
    resolver: Resolver,
    upgrade: bool,
    upgrade_packages: tuple[str, ...],
) -> tuple[Path, dict[str, set[str]]]:
    """Resolve every non-frozen layer together, so that they all pin the same versions.

    Each layer is then compiled with this resolution as constraints. Lock references
    between layers are left out here: those layers' own inputs are already included.
    """
    lines: list[str] = []
    # Prefer the versions already pinned somewhere, first lock first.
    preferred: dict[tuple[str, str], Pin] = {}
    for name in shared:
        layer = layers[name]
        for source in layer.sources:
            lines += [f"{req.requirement}  # {name}" for req in source.requirements]
        current = _parsed(stage.read_lock(layer), name)
        for pin in current.pins if current else ():
            preferred.setdefault(pin.key, pin)
    if any(project.config.includes_project(name) for name in shared):
        lines += list(project.dependencies)
    union_in = stage.folder / UNION_INPUT
    union_in.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    job = _job(
        project,
        stage,
        (union_in,),
        stage.folder / "_out-all-layers.txt",
        _constraint_text(preferred.values()),
        constraints=(),
        upgrade=upgrade,
        upgrade_packages=upgrade_packages,
        where=", ".join(location(layers[n].in_path, root=project.root) for n in shared),
    )
    try:
        compiled = resolver.compile(job)
    except ResolutionError as exc:
        # Blame the layer that cannot resolve even alone (in order, each staged for the
        # layers that include it); if none, the layers cannot agree with each other.
        for name in shared:
            alone = _compile_layer(
                project,
                layers[name],
                stage,
                resolver,
                constraints=(),
                upgrade=upgrade,
                upgrade_packages=upgrade_packages,
            )
            stage.path(layers[name].lock_path).write_text(_constraint_text(alone.pins), encoding="utf-8")
        raise ResolutionError(
            "each layer resolves alone, but they cannot agree on one version per package:\n"
            + exc.message.split("\n", 1)[-1],
            where=job.where,
            hint="layers installed together must agree; relax the conflicting ranges in one of these files",
        ) from None
    constraints = stage.folder / "_constraints.txt"
    constraints.write_text(_constraint_text(compiled.pins), encoding="utf-8")
    versions: dict[str, set[str]] = {}
    for pin in compiled.pins:
        versions.setdefault(pin.name, set()).add(pin.version)
    return constraints, versions


def _agrees(lock: Lock | None, versions: Mapping[str, set[str]]) -> bool:
    """Whether every pin of ``lock`` is at a version the all-layers resolution chose."""
    if lock is None:
        return False
    return all(pin.version in versions.get(pin.name, {pin.version}) for pin in lock.pins)
