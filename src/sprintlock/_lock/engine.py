"""Compile layers into locks: held in memory, consistent across layers, written all-or-nothing.

One :class:`LockRun` carries a ``sprintlock lock`` through its steps (as nox passes one
config object through its tasks): the layers, the resolver, the options and every lock,
read and parsed once. The temporary folder (:class:`_Stage`) is only where the resolver
reads its input files and writes its output.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, cast

from packaging.requirements import Requirement

from sprintlock._core.children import wait_for, worker_pool
from sprintlock._core.errors import InputError, ResolutionError, location
from sprintlock._core.filelock import project_writer, writer_journal
from sprintlock._core.files import read_text
from sprintlock._core.process import Runner, run
from sprintlock._core.progress import begin, end, logger
from sprintlock._core.suggest import did_you_mean
from sprintlock._core.transaction import Transaction
from sprintlock._lock.closure import Reading, Roots, closure, labelled, reading
from sprintlock._lock.consistency import agree, consistent, describe, disagreements
from sprintlock._lock.fingerprint import expected_header
from sprintlock._lock.layers import Layer, dependents, discover, input_files
from sprintlock._lock.lockfile import Lock, LockFormatError, Pin, parse_pins, render_body
from sprintlock._lock.pylock import pylock_files
from sprintlock._lock.resolvers import (
    Compiled,
    CompileJob,
    Group,
    GroupsJob,
    Resolver,
    cooldown_cutoff,
    get_resolver,
)
from sprintlock._lock.resolvers.uv import UvResolver
from sprintlock._lock.resolvers.uvgroups import own_uv_settings
from sprintlock._lock.staleness import LockFile, staleness
from sprintlock._lock.uvlock import uv_lock_pins
from sprintlock._project.config import Project, load_project
from sprintlock._project.layout import PYPROJECT
from sprintlock._project.targets import Targets

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

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


@dataclass(frozen=True)
class Upgrade:
    """What a run moves to newer versions: every pin, or only the named packages."""

    everything: bool = False
    packages: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.everything or bool(self.packages)

    def of_layer(self, layer: Layer) -> Upgrade:
        """Frozen layers (exact pins, e.g. minimum versions) never move."""
        return Upgrade() if layer.frozen else self


class _Stage:
    """A temporary mirror of the project's inputs: where the resolver reads and writes files."""

    def __init__(self, project: Project, layers: Mapping[str, Layer]) -> None:
        self.project = project
        self._paths: dict[Path, Path] = {}
        self._labels: dict[str, str | None] = {}
        self.root = Path(tempfile.mkdtemp(prefix="sprintlock-"))
        try:  # the folder goes away whatever happens while staging (an error, Ctrl-C, SIGTERM)
            # The project's files under project/, sprintlock's own files under sprintlock/:
            # no layer name (``_project.in``, ``_out-tests.in``) can collide with them.
            self.mirror = self.root / "project"
            self.requirements = self.path(project.requirements_dir)
            self.requirements.mkdir(parents=True)
            self.folder = self.root / "sprintlock"
            self.folder.mkdir()
            sources = {source.path: source.text for layer in layers.values() for source in layer.sources}
            for path, text in sources.items():
                self.write(self.path(path), text)
            self.project_input = self.write(self.folder / PROJECT_INPUT, _lines(project.dependencies))
        except BaseException:
            self.remove()
            raise

    def __enter__(self) -> _Stage:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.remove()

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def path(self, real: Path) -> Path:
        staged = self._paths.get(real)
        if staged is None:
            staged = self._paths[real] = self.mirror / real.resolve().relative_to(self.project.root)
        return staged

    def write(self, path: Path, text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def via_label(self, via: str) -> str | None:
        """Canonical ``# via`` entries: staging paths become names relative to the lock."""
        try:  # a lock's few labels recur on hundreds of pins
            return self._labels[via]
        except KeyError:
            label = self._labels[via] = self._label(via)
            return label

    def _label(self, via: str) -> str | None:
        if via.startswith(("-c ", "--constraint")):
            return None
        if not via.startswith(("-r ", "--requirement")):
            return via
        target = via.split(None, 1)[1].strip()
        path = Path(target)
        if not path.is_absolute():
            return f"-r {target}"
        if path.parent.name == self.folder.name and path.parent.parent.name == self.root.name:
            return PYPROJECT if path.name == PROJECT_INPUT else None  # sprintlock's own inputs
        base = self.requirements if path.is_relative_to(self.requirements) else self.mirror
        return "-r " + path.relative_to(base).as_posix() if path.is_relative_to(base) else f"-r {target}"

    def clean(self, pins: Iterable[Pin]) -> tuple[Pin, ...]:
        cleaned = []
        for pin in pins:
            labels = (self.via_label(v) for v in pin.via)
            cleaned.append(Pin(pin.name, pin.version, pin.marker, pin.hashes, tuple(sorted({v for v in labels if v}))))
        return tuple(cleaned)


def _lines(items: Iterable[str]) -> str:
    return "".join(item + "\n" for item in items)


def _constraint_text(pins: Iterable[Pin]) -> str:
    return _lines(pin.requirement() for pin in pins)


def readable_pins(text: str) -> tuple[Pin, ...]:
    """The pins of a lock that is not (or no longer) a sprintlock lock, e.g. pip-compile output.

    What cannot be read as a pin (an archive URL, an editable line, a damaged line) is left
    out: these pins only say which versions to prefer.
    """
    lines = text.splitlines()
    for _ in range(len(lines) + 1):
        try:
            return tuple(parse_pins("\n".join(lines)))
        except LockFormatError as exc:
            if exc.line is None:
                return ()
            lines = _without_logical_line(lines, exc.line - 1)
    return ()


def _without_logical_line(lines: list[str], start: int) -> list[str]:
    """``lines`` without the logical line that starts at index ``start`` (its continuations too)."""
    end = start
    while end < len(lines) and lines[end].rstrip().endswith("\\") and not lines[end].lstrip().startswith("#"):
        end += 1
    return lines[:start] + lines[end + 1 :]


def preferred_pins(file: LockFile) -> tuple[Pin, ...]:
    """The versions a layer's current lock asks the resolver to keep: a sprintlock lock's pins,
    or the readable pins of a foreign (pip-compile) or damaged lock, so that adopting a
    project keeps its versions."""
    if file.lock is not None:
        return file.lock.pins
    return readable_pins(file.text) if file.text is not None else ()


@dataclass
class LockRun:
    """One ``sprintlock lock``: what it works on, how, and every lock in memory."""

    project: Project
    layers: dict[str, Layer]
    resolver: Resolver
    stage: _Stage
    upgrade: Upgrade = field(default_factory=Upgrade)
    #: Each layer's lock as on disk when the run started (read and parsed once).
    before: dict[str, LockFile] = field(default_factory=dict)
    #: Each layer's lock now: as before, or as this run compiled it.
    locks: dict[str, LockFile] = field(default_factory=dict)
    #: The layers this run compiled (even when a later layer failed).
    compiled: set[str] = field(default_factory=set)
    #: The upgrade cooldown's cutoff, one for the whole run (every layer sees the same releases).
    exclude_newer: datetime | None = None

    def __post_init__(self) -> None:
        for name, layer in self.layers.items():
            self.before.setdefault(name, LockFile.load(layer.lock_path, name, root=self.project.root))
        self.locks = {**self.before, **self.locks}
        for name in self.included:
            text = self.locks[name].text
            if text is not None:
                self.stage.write(self.stage.path(self.layers[name].lock_path), text)

    @cached_property
    def uv_pins(self) -> tuple[Pin, ...]:
        """The versions the project's ``uv.lock`` pins: preferred after the layers' own (read when first needed)."""
        return uv_lock_pins(self.project.root)

    @property
    def included(self) -> set[str]:
        """The layers whose lock another layer includes: the resolver reads those files."""
        return {dep for layer in self.layers.values() for dep in layer.lock_deps}

    @property
    def shared(self) -> list[str]:
        """The layers that must agree on one version per package (all but the frozen ones)."""
        return [name for name, layer in self.layers.items() if not layer.frozen]

    def stale(self, name: str) -> bool:
        return bool(staleness(self.project, self.layers[name], self.locks))

    def consistent(self) -> bool:
        locks = {name: lock for name in self.shared if (lock := self.locks[name].lock) is not None}
        return consistent(self.project, self.layers, locks)

    def seed(self, name: str) -> str:
        """The resolver's output file before it runs, which it reads as the versions to prefer:
        the layer's current pins, then (for packages it does not pin yet) the pins the other
        shared layers had when the run started, then those of the project's ``uv.lock``, so a
        package a layer newly needs keeps the version the project already uses."""
        current = self.locks[name]
        own = preferred_pins(current)
        pinned = {pin.name for pin in own}
        others: dict[tuple[str, str], Pin] = {}
        for other in self.shared:
            for pin in preferred_pins(self.before[other]) if other != name else ():
                if pin.name not in pinned:
                    others.setdefault(pin.key, pin)
        taken = pinned | {package for package, _ in others}
        others.update((pin.key, pin) for pin in self.uv_pins if pin.name not in taken)
        text = current.body if current.lock is not None else render_body(own, hashes=True)
        return text + render_body(tuple(others.values()), hashes=True)

    def job(self, name: str, constraints: tuple[Path, ...] = ()) -> CompileJob:
        """The resolution of one layer, its output seeded with its current pins (the preferences)."""
        layer = self.layers[name]
        config = self.project.config
        inputs = [self.stage.path(path) for path in layer.inputs]
        if config.includes_project(name) and self.project.dependencies:
            inputs.append(self.stage.project_input)
        upgrade = self.upgrade.of_layer(layer)
        job = CompileJob(
            inputs=tuple(inputs),
            output=self.stage.write(self.stage.folder / f"_out-{name}.txt", self.seed(name)),
            constraints=() if layer.frozen else constraints,
            targets=config.targets,
            hashes=config.hashes,
            upgrade=upgrade.everything,
            upgrade_packages=upgrade.packages,
            where=layer.where(self.project.root),
            cwd=self.project.root,
            exclude_newer=self.exclude_newer,
        )
        logger.info("locking %s", name, extra=begin(name))
        return job

    def store(self, name: str, result: Compiled) -> None:
        """Keep a layer's new lock; stage it for the layers that include it."""
        layer = self.layers[name]

        def body_digest(dep: str) -> str | None:
            return self.locks[dep].body_digest

        header = expected_header(self.project, layer, result.covers, body_digest)
        new = LockFile.render(header, self.stage.clean(result.pins))
        logger.info("locked %s", name, extra=end(name))
        self.locks[name] = new
        self.compiled.add(name)
        if name in self.included and new.text is not None:
            self.stage.write(self.stage.path(layer.lock_path), new.text)

    def results(self) -> tuple[LayerResult, ...]:
        return tuple(
            LayerResult(
                name,
                layer.lock_path,
                self.before[name].lock,
                (self.locks if name in self.compiled else self.before)[name].lock,
                name in self.compiled,
            )
            for name, layer in self.layers.items()
        )

    def changed_files(self) -> dict[Path, str]:
        """The new text of every lock this run compiled into something different, and of every
        pylock file (``formats``) that is not that of its lock."""
        return {
            self.layers[name].lock_path: text
            for name in self.compiled
            if (text := self.locks[name].text) is not None and text != self.before[name].text
        } | pylock_files(self.project, self.locks)


def _requested(project: Project, layers: Mapping[str, Layer], names: Iterable[str], everything: bool) -> set[str]:
    """The layers to compile whether stale or not: all, or the named ones and what includes them."""
    names = list(names)
    for name in names:
        if name not in layers:
            raise InputError(
                f"no layer named {name!r}" + did_you_mean(name, layers),
                where=location(project.requirements_dir, root=project.root),
                hint=f"the layers are: {', '.join(layers)}",
            )
    if everything:
        return set(layers)
    return dependents(layers, names) if names else set()


@dataclass(frozen=True)
class PreparedLocks:
    """A finished lock run, not yet written: the new locks and the inputs they were compiled from."""

    outcome: LockOutcome
    #: The new text of every lock that changes.
    files: Mapping[Path, str]
    #: Every input file the run read (``.in`` files and what they include), with the text it read.
    inputs: Mapping[Path, str]

    def verify_inputs(self) -> None:
        """Raise if the inputs changed since the run read them: its locks would be stale at once."""
        project = self.outcome.project
        changed = [path for path, text in self.inputs.items() if _current_text(path) != text]
        listed = {path.resolve() for path in project.requirements_dir.glob("*.in")}
        changed += sorted(listed - {path.resolve() for path in self.inputs})
        if not changed and load_project(project.root) != project:
            changed.append(project.pyproject)
        if changed:
            names = ", ".join(location(path, root=project.root) for path in changed)
            raise InputError(
                f"inputs changed while locking ({names}); nothing was written",
                hint="run the command again: it locks the inputs as they are now",
            )

    def commit(self, extra: Mapping[Path, str] | None = None) -> None:
        """Write the new locks (and ``extra`` files) in one transaction, if the inputs did not change.

        Call it while holding the project's writer lock (:func:`project_writer`).
        """
        files = {**self.files, **(extra or {})}
        if not files:
            return
        root = self.outcome.project.root
        with Transaction(files, root=root, journal=writer_journal(root)) as transaction:
            transaction.prepare()
            self.verify_inputs()
            transaction.commit()


def _current_text(path: Path) -> str | None:
    try:
        return read_text(path)
    except InputError:  # unreadable now: changed, as far as this run can tell
        return None


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
    """Compile the stale (or named, or all) layers of ``project``; write nothing on failure.

    ``upgrade`` moves every pin to the newest allowed version, ``upgrade_packages`` only
    those packages (every layer is then compiled; frozen layers never move). ``resolver``
    replaces the configured one (a seam for tests and other front ends).

    The run is the project's one writer (:func:`project_writer`): another ``lock``,
    ``upgrade`` or ``init`` of the same project waits for it. The new locks are written in
    one transaction, and only if the inputs are still those the run compiled.
    """
    with project_writer(project.root):
        prepared = compile_locks(
            project,
            names,
            everything=everything,
            upgrade=upgrade,
            upgrade_packages=upgrade_packages,
            runner=runner,
            resolver=resolver,
        )
        prepared.commit()
    return prepared.outcome


def compile_locks(
    project: Project,
    names: Iterable[str] = (),
    *,
    everything: bool = False,
    upgrade: bool = False,
    upgrade_packages: Iterable[str] = (),
    runner: Runner = run,
    resolver: Resolver | None = None,
) -> PreparedLocks:
    """Everything :func:`lock` does but the writing (hold :func:`project_writer` around both)."""
    layers = discover(project)
    moves = Upgrade(everything=upgrade, packages=tuple(upgrade_packages))
    requested = _requested(project, layers, names, everything or bool(moves))
    resolver = resolver or get_resolver(project.config.resolver, runner)
    inputs = input_files(layers)
    with _Stage(project, layers) as stage:
        cutoff = cooldown_cutoff(project.config.upgrade_cooldown)
        state = LockRun(project, layers, resolver, stage, moves, exclude_newer=cutoff)
        compile_all(state, requested)
        files = state.changed_files()
    return PreparedLocks(LockOutcome(project, state.results(), tuple(files)), files, inputs)


def compile_all(state: LockRun, requested: set[str]) -> None:
    """Compile what is stale (or requested), in one resolution of every layer where it can serve.

    Every non-frozen layer whose locks it includes are served too is resolved together
    once (each layer's current pins preferred); each of those layers' lock is then its own
    part of that resolution (:mod:`sprintlock._lock.closure`): what uv's lock installs for the layer's
    dependency group, or pip-compile's closure of its requirements, so they agree by
    construction. A layer the run does not have to compile keeps its lock
    unless that lock disagrees with the resolution. Frozen layers (exact pins) and layers
    that include a frozen lock compile on their own. If the layers cannot be resolved
    together, each compiles on its own (a layer that cannot resolve alone is the error);
    locks that then disagree are an error naming the layers and packages.
    """
    # Layers stale before this run; layers they feed are re-checked as the run goes,
    # since a rewritten lock changes the inputs of the layers that include it.
    candidates = requested | {name for name in state.layers if state.stale(name)}
    served = servable(state)
    # The layers compiled alone that need no served lock compile while the union resolves.
    alone: list[str] = []
    for name, layer in state.layers.items():
        if name not in served and all(dep in alone for dep in layer.lock_deps):
            alone.append(name)
    job = together_job(state, served) if served and (candidates & set(served) or not state.consistent()) else None
    failure = _resolve_together(state, job, served, candidates, alone)
    done = set(alone) | (set(served) if failure is None else set())
    try:
        compile_waves(state, lambda name: name in candidates and name not in done)
    except ResolutionError:
        # A layer that includes others cannot resolve when those disagree: that is the conflict.
        if failure is None or state.consistent():
            raise
    if not state.consistent():
        raise _conflict(state, failure)


def _resolve_together(
    state: LockRun,
    job: CompileJob | GroupsJob | None,
    served: Mapping[str, Reading],
    candidates: set[str],
    alone: list[str],
) -> ResolutionError | None:
    """Run the union ``job`` (if any) while the ``alone`` layers compile, then derive the
    served layers' locks from it; return the union's refusal instead of raising it."""
    if job is not None:  # the layers the run must compile are being locked while the union resolves
        for name in (n for n in served if n in candidates):  # in order
            logger.info("locking %s", name, extra=begin(name))
    with worker_pool(_workers()) as pool:  # Ctrl-C or SIGTERM stops the resolvers it runs
        union = pool.submit(_resolve_all, state.resolver, job) if job is not None else None
        compile_waves(state, candidates.__contains__, names=alone, pool=pool)
        if union is None:
            return None
        try:
            resolved = wait_for(union)
        except ResolutionError as exc:
            logger.info("the layers do not resolve together; locking each on its own", extra=end(UNION_INPUT))
            return exc
    logger.info("locked all layers together", extra=end(UNION_INPUT))
    derive_locks(state, resolved, served, candidates)
    return None


def _resolve_all(resolver: Resolver, job: CompileJob | GroupsJob) -> Compiled | dict[str, Compiled]:
    """The layers resolved together: uv's own pins per layer, or pip-compile's one union."""
    if isinstance(job, CompileJob):
        return resolver.compile(job)
    return cast("UvResolver", resolver).compile_groups(job)  # only uv is given a GroupsJob (together_job)


def _workers() -> int:
    """How many layers resolve at once: one per core. uv, which is parallel inside, runs one
    resolution at a time itself (:data:`sprintlock._lock.resolvers.uv._RESOLVING`), so that
    a frozen layer resolves while the layers resolved together are read; pip-compile
    resolves on one core."""
    return os.cpu_count() or 1


def servable(state: LockRun) -> dict[str, Reading]:
    """The layers one resolution of all layers can serve, and how each reads its files:
    not frozen, and every lock they include is served too."""
    lock_names = {layer.lock_path.resolve(): name for name, layer in state.layers.items()}
    served: dict[str, Reading] = {}
    for name, layer in state.layers.items():  # in order: a layer after the layers it includes
        if not layer.frozen and all(dep in served for dep in layer.lock_deps):
            served[name] = reading(layer, lock_names)
    return served


def compile_waves(
    state: LockRun,
    wanted: Callable[[str], bool],
    constraints: tuple[Path, ...] = (),
    *,
    names: Iterable[str] | None = None,
    pool: ThreadPoolExecutor | None = None,
) -> None:
    """Compile, in waves of layers whose included locks are final, each wanted layer and
    each layer whose inputs changed (among ``names``, default all); independent layers
    compile in parallel (in ``pool``, or a pool of their own). New locks go into ``state``
    as each wave finishes, in order (the first failure is the one raised)."""
    if pool is None:
        with worker_pool(_workers()) as own:  # Ctrl-C or SIGTERM stops the resolvers it runs
            compile_waves(state, wanted, constraints, names=names, pool=own)
        return
    remaining = list(state.layers if names is None else names)
    while remaining:
        wave = [n for n in remaining if not set(state.layers[n].lock_deps).intersection(remaining)]
        remaining = [n for n in remaining if n not in wave]
        stale = [n for n in wave if wanted(n) or state.stale(n)]
        jobs = {n: state.job(n, constraints) for n in stale}
        running = {n: pool.submit(state.resolver.compile, job) for n, job in jobs.items()}
        for name in stale:
            state.store(name, wait_for(running[name]))


def together_job(state: LockRun, served: Mapping[str, Reading]) -> CompileJob | GroupsJob:
    """The resolution of the ``served`` layers together: per layer with uv, one union otherwise
    (and with uv when the project configures uv itself, which the staged project would not see)."""
    logger.info("locking all layers together", extra=begin(UNION_INPUT))
    if not isinstance(state.resolver, UvResolver):
        return union_job(state, served)
    settings = own_uv_settings(state.project.root)
    if settings:
        logger.debug("the layers resolve as one union: the project configures uv (%s)", ", ".join(settings))
        return union_job(state, served)
    return groups_job(state, served)


def preferred(state: LockRun) -> tuple[Pin, ...]:
    """The versions a resolution of every layer prefers: the layers' pins, first lock first
    (foreign locks' readable pins too), then those of the project's ``uv.lock``."""
    found: dict[tuple[str, str], Pin] = {}
    for name in state.shared:
        for pin in preferred_pins(state.locks[name]):
            found.setdefault(pin.key, pin)
    taken = {package for package, _ in found}
    found.update((pin.key, pin) for pin in state.uv_pins if pin.name not in taken)  # after the layers' own
    return tuple(found.values())


def groups_job(state: LockRun, served: Mapping[str, Reading]) -> GroupsJob:
    """The resolution of the ``served`` layers together by uv, each layer a dependency group
    (its requirements, the project's dependencies if it installs them, the locks it includes
    as the groups of their layers), ``-c`` requirements as constraints; it prefers the
    versions already pinned (:func:`preferred`)."""
    project = state.project
    groups: list[Group] = []
    constraints: list[str] = []
    for name, read in served.items():
        lines = read.requirement_lines
        if project.config.includes_project(name):
            lines += project.dependencies
        groups.append(Group(name, tuple(dict.fromkeys(lines)), read.included))
        constraints += read.constraint_lines
    return GroupsJob(
        groups=tuple(groups),
        folder=state.stage.folder / "groups",
        constraints=tuple(dict.fromkeys(constraints)),
        preferred=preferred(state),
        targets=project.config.targets,
        hashes=project.config.hashes,
        upgrade=state.upgrade.everything,
        upgrade_packages=state.upgrade.packages,
        where=", ".join(state.layers[n].where(project.root) for n in served),
        exclude_newer=state.exclude_newer,
    )


def union_job(state: LockRun, served: Mapping[str, Reading]) -> CompileJob:
    """The resolution of the ``served`` layers together: one resolution valid for all of them.

    Its input is every requirement those layers read (their included locks left out: the
    layers that write them are in it), ``-c`` files as constraints; it prefers the
    versions already pinned, first lock first (foreign locks' readable pins too).
    """
    project, stage = state.project, state.stage
    lines: list[str] = []
    constraints: list[str] = []
    for read in served.values():
        lines += read.requirement_lines
        constraints += read.constraint_lines
    if any(project.config.includes_project(name) for name in served):
        lines += list(project.dependencies)
    constraint_files = (stage.write(stage.folder / "_constraints.txt", _lines(dict.fromkeys(constraints))),)
    return CompileJob(
        inputs=(stage.write(stage.folder / UNION_INPUT, _lines(dict.fromkeys(lines))),),
        output=stage.write(stage.folder / "_out-all-layers.txt", _constraint_text(preferred(state))),
        constraints=constraint_files if constraints else (),
        targets=project.config.targets,
        hashes=project.config.hashes,
        upgrade=state.upgrade.everything,
        upgrade_packages=state.upgrade.packages,
        where=", ".join(state.layers[n].where(project.root) for n in served),
        cwd=project.root,
        exclude_newer=state.exclude_newer,
    )


def layer_roots(state: LockRun, name: str, read: Reading) -> Roots:
    """What layer ``name`` asks for, each package with the ``# via`` entries a resolution of
    the layer alone would give it (the staged input files; the engine names them as usual)."""
    stage, project = state.stage, state.project
    roots = Roots()
    for infile in read.required:
        roots.add((req.name for req in infile.requirements), f"-r {stage.path(infile.path)}")
    for dep in read.included:
        included = state.locks[dep].lock
        pinned = (pin.name for pin in included.pins) if included is not None else ()
        roots.add(pinned, f"-r {stage.path(state.layers[dep].lock_path)}")
    if project.config.includes_project(name) and project.dependencies:
        roots.add(_names(project.dependencies), f"-r {stage.project_input}")
    return roots


@functools.lru_cache(maxsize=8)
def _names(requirements: tuple[str, ...]) -> tuple[str, ...]:
    """The package names of requirement strings (the project's dependencies, parsed once)."""
    return tuple(Requirement(requirement).name for requirement in requirements)


def derive_locks(
    state: LockRun, resolved: Compiled | Mapping[str, Compiled], served: Mapping[str, Reading], candidates: set[str]
) -> set[str]:
    """Each served layer's lock from the resolution of all (:func:`own_pins`); store those the
    run must write: the candidates, the layers whose inputs changed (an included lock), and
    the layers whose current lock disagrees with the resolution. Returns the layers stored."""
    stored: set[str] = set()
    targets = state.project.config.targets
    for name, read in served.items():
        result = own_pins(resolved, name, layer_roots(state, name, read))
        current = state.locks[name].lock
        if (
            name in candidates
            or current is None
            or state.stale(name)
            or not _still_agrees(targets, current, result.pins)
        ):
            if name not in candidates:  # the candidates' steps began with the union
                logger.info("locking %s", name, extra=begin(name))
            state.store(name, result)
            stored.add(name)
    return stored


def own_pins(resolved: Compiled | Mapping[str, Compiled], name: str, roots: Roots) -> Compiled:
    """Layer ``name``'s pins in the resolution of all layers, labelled from its ``roots``:
    its own pins (uv, read per layer), or its closure in the one union (pip-compile)."""
    if isinstance(resolved, Compiled):
        return Compiled(closure(resolved.pins, roots), resolved.covers)
    own = resolved[name]
    return Compiled(labelled(own.pins, roots), own.covers)


def _still_agrees(targets: Targets, current: Lock, pins: tuple[Pin, ...]) -> bool:
    """Whether a lock the run need not rewrite can stay: it pins nothing the resolution
    leaves out, and nothing at another version on any target."""
    names = {pin.name for pin in pins}
    if any(pin.name not in names for pin in current.pins):
        return False
    return agree(targets, current, Lock(current.header, pins))


def _conflict(state: LockRun, failure: ResolutionError | None) -> ResolutionError:
    """The error of layers that cannot agree: which layers, which packages, on which target."""
    project = state.project
    locks = {name: lock for name in state.shared if (lock := state.locks[name].lock) is not None}
    found = list(disagreements(project, state.layers, locks))
    layers = sorted({layer for item in found for layer in item.versions})
    folder = project.config.requirements
    lines = [describe(item, folder=folder) for item in found[:20]]
    if len(found) > len(lines):
        lines.append(f"... and {len(found) - len(lines)} more")
    detail = "\n" + failure.message.split("\n", 1)[-1] if failure is not None else ""
    return ResolutionError(
        f"the layers {', '.join(layers)} cannot agree on one version per package:\n" + "\n".join(lines) + detail,
        where=", ".join(state.layers[n].where(project.root) for n in state.shared),
        hint="layers installed together must agree; relax the conflicting ranges in one of these files",
    )
