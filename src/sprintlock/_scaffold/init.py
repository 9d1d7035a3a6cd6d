"""``sprintlock init``: write the standard layout into a project, never clobbering, then lock it.

The plan is computed first (one :class:`Change` per file), nothing is written while a
file the user wrote would be replaced without ``--force``, and the locks are compiled
in a staging copy: every generated file and every lock is then written in one
all-or-nothing step, so a failure (a bad input, a resolution error) changes nothing.

The files are the entries of :data:`sprintlock._standard.registry.REGISTRY`: each says where
its file goes, how it is rendered and merged into the user's file, and what a differing
user's file is (a conflict, an update, or the user's own). Rules, per file:

- absent: created;
- present with the same text: left alone (a second ``init`` has nothing to do);
- ``requirements/NAME.in`` present with other text: the user's input, kept as is
  (adopted; its lock is compiled from it); ``--force`` replaces it with the standard one;
- ``pyproject.toml``: a ``[tool.sprintlock]`` table is appended (text, not re-serialised)
  when it has none; otherwise it is not touched;
- ``tox.ini`` (``--tox``, or when there is one): the user's file gets only the missing lines
  (see :mod:`sprintlock._standard.toxini`); an environment that runs pip-compile is reported;
- ``.devcontainer/devcontainer.json`` and ``.pre-commit-config.yaml``: the user's file is
  merged where that is safe (see :mod:`sprintlock._standard.devcontainer`,
  :mod:`sprintlock._standard.precommit`), each change reported; where it is not (comments
  in the JSON, an unusual YAML shape), a conflict;
- ``.github/workflows/tests.yml`` goes to an existing ``tests.yaml`` when there is one;
- the user's own ``noxfile.py``, tests workflow or upgrade workflow: kept (never an exit 1 for
  having one), with notes: the sessions the standard noxfile has that theirs lacks, what
  sprintlock's workflow would add, and how to get sprintlock's (``--force PATH``; with
  ``--dry-run``, the difference). Keeping them breaks none of sprintlock's promises: the
  locks, ``check`` and the environments do not depend on them, and doctor judges what they run;
- a conflict only where keeping the user's file would break a promise of sprintlock's:
  ``.devcontainer/bootstrap.sh`` (the devcontainer is pointed at it: the dev container must be
  the dev lock), and a ``devcontainer.json`` or pre-commit config that cannot be merged safely
  (comments in the JSON, an unusual YAML shape: the bootstrap or the check hook would be
  missing). ``--force`` replaces them.

Existing locks (``requirements/*.txt`` compiled by pip-compile, say) are generated files:
they are relocked in the sprintlock format from the kept ``.in`` files, and reported.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from sprintlock._core.errors import SprintlockError
from sprintlock._core.filelock import project_writer, writer_journal
from sprintlock._core.files import read_text
from sprintlock._core.process import Runner, run
from sprintlock._core.transaction import Transaction
from sprintlock._lock.engine import LayerResult, compile_locks, preferred_pins
from sprintlock._lock.lockfile import Lock, parse_lock
from sprintlock._lock.report import ChangeReport, build_report
from sprintlock._lock.staleness import LockFile
from sprintlock._lock.uvlock import UV_LOCK
from sprintlock._project.config import load_project
from sprintlock._scaffold.detect import Detected, detect, read_pyproject
from sprintlock._standard.pyproject import PATH as PYPROJECT
from sprintlock._standard.registry import REGISTRY, Context, Differing, StandardFile
from sprintlock._standard.requirements import FOLDER

#: What ``init`` does (or would do) to one file.
Action = Literal["create", "update", "unchanged", "kept", "conflict", "replace"]
CREATE: Final = "create"
UPDATE: Final = "update"
SAME: Final = "unchanged"
KEEP: Final = "kept"
CONFLICT: Final = "conflict"
REPLACE: Final = "replace"
#: The action for a user's file that differs from the standard one and was not merged.
_DIFFERING: dict[Differing, Action] = {"conflict": CONFLICT, "update": UPDATE, "keep": KEEP}


@dataclass(frozen=True)
class Change:
    """One file of the standard layout and what ``init`` does (or would do) to it."""

    path: Path
    relative: str
    action: Action
    text: str
    old: str | None
    #: What a merge into the user's file changed (devcontainer.json, .pre-commit-config.yaml, tox.ini).
    notes: tuple[str, ...] = ()

    @property
    def writes(self) -> bool:
        return self.action in (CREATE, UPDATE, REPLACE)


@dataclass(frozen=True)
class InitOutcome:
    root: Path
    detected: Detected
    changes: tuple[Change, ...]
    #: Lock files (relative paths) that were (or, with ``dry_run``, would be) written.
    locks: tuple[str, ...]
    dry_run: bool
    #: Of ``locks``, those that replace an existing lock (e.g. pip-compile output): generated, so relocked.
    relocked: tuple[str, ...] = ()
    #: What relocking changed, from the pins of the existing locks to the new ones (None: nothing relocked).
    report: ChangeReport | None = None

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.action == CONFLICT)

    @property
    def nothing_to_do(self) -> bool:
        return not self.conflicts and not self.locks and not any(c.writes for c in self.changes)


def _relative(root: Path, name: str) -> str:
    path = Path(name)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(root)
        except ValueError:
            raise SprintlockError(
                f"--force {name}: not inside the project", hint="name files relative to the project root"
            ) from None
    return path.as_posix().removeprefix("./")


def _context(root: Path, tox: bool) -> Context:
    detected = detect(root)
    pyproject_text, _ = read_pyproject(root)
    project = load_project(root)  # validates an existing [tool.sprintlock]
    if project.config.requirements != FOLDER:  # the layers that get a session of their own
        detected = detect(root, requirements=project.config.requirements)
    # init writes (or keeps) a pre-commit config, so lint is a default session.
    detected = dataclasses.replace(detected, pre_commit_config=True)
    return Context(root, detected, project.config, pyproject_text, tox)


def _check_forced(forced: set[str], wanted: Iterable[str]) -> None:
    unknown = sorted(forced - set(wanted))
    if unknown:
        raise SprintlockError(
            f"--force {', '.join(unknown)}: sprintlock init does not write this",
            hint=f"it writes: {', '.join(sorted(wanted))}",
        )


def _change(context: Context, relative: str, entry: StandardFile, forced: bool) -> Change:
    """What ``init`` does to one standard file: create it, leave it, merge into it, replace it, or stop."""
    path = context.root / relative
    text = entry.render(context)
    if not path.is_file():
        return Change(path, relative, CREATE, text, None)
    old = path.read_text(encoding="utf-8")
    merged = None if forced else entry.adopt(old, context)
    if merged is not None:
        text, notes = merged
        return Change(path, relative, SAME if old == text else UPDATE, text, old, notes)
    if old == text:
        return Change(path, relative, SAME, text, old)
    if forced:
        return Change(path, relative, REPLACE, text, old)
    action = _DIFFERING[entry.differing]
    if action != KEEP:
        return Change(path, relative, action, text, old)
    notes = entry.kept(relative, old, text, context) if entry.kept is not None else ()
    return Change(path, relative, KEEP, old, old, notes)


def _other_inputs(context: Context, planned: Iterable[str]) -> list[Change]:
    """The user's other inputs (``tests-min.in``, ...): theirs too, kept, and locked."""
    folder = context.root / context.requirements
    if not folder.is_dir():
        return []
    paths = [path for path in sorted(folder.glob("*.in")) if path.relative_to(context.root).as_posix() not in planned]
    changes = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        changes.append(Change(path, path.relative_to(context.root).as_posix(), KEEP, text, text))
    return changes


def plan(root: Path, *, tox: bool = False, force: Iterable[str] = ()) -> tuple[Detected, list[Change]]:
    """What ``init`` would write into ``root`` (read only): one change per file of the registry it writes."""
    root = root.resolve()
    context = _context(root, tox)
    entries = {entry.relative(context): entry for entry in REGISTRY if entry.wanted(context)}
    forced = {_relative(root, name) for name in force}
    _check_forced(forced, entries)
    changes = [_change(context, relative, entry, relative in forced) for relative, entry in entries.items()]
    return context.detected, changes + _other_inputs(context, entries)


def _stage_locks(root: Path, changes: Iterable[Change], runner: Runner) -> dict[Path, str]:
    """Lock the planned layout in a staging copy; return the locks that differ from the project's.

    An existing lock among them (pip-compile output, say) is relocked. The staging copy is
    removed on every path (an error, Ctrl-C, SIGTERM).
    """
    stage = Path(tempfile.mkdtemp(prefix="sprintlock-init-"))
    try:
        planned = {c.relative: c.text for c in changes if c.relative == PYPROJECT}
        (stage / PYPROJECT).write_text(planned[PYPROJECT], encoding="utf-8")
        folder = load_project(stage).config.requirements
        if (root / folder).is_dir():
            shutil.copytree(root / folder, stage / folder)
        if (root / UV_LOCK).is_file():  # uv's versions are the resolver's preferences (_lock/uvlock.py)
            shutil.copyfile(root / UV_LOCK, stage / UV_LOCK)
        for change in changes:
            if change.relative.startswith(f"{folder}/"):
                target = stage / change.relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(change.text, encoding="utf-8")
        project = load_project(stage)
        prepared = compile_locks(project, runner=runner)
        prepared.commit()  # into the staging copy: private, so no writer lock
        locks = {}
        # Every layer's lock, and the files written beside them (pylock files, with `formats`).
        for path in sorted({*(result.path for result in prepared.outcome.layers), *prepared.files}):
            relative = path.relative_to(project.root)
            text = path.read_text(encoding="utf-8")
            real = root / relative
            if not real.is_file() or real.read_text(encoding="utf-8") != text:
                locks[real] = text
        return locks
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _verify_unchanged(changes: Iterable[Change]) -> None:
    """Raise if a file changed since ``init`` read it (while it locked): the plan would be stale."""
    changed = [change.relative for change in changes if read_text(change.path) != change.old]
    if changed:
        raise SprintlockError(
            f"files changed while init ran ({', '.join(changed)}); nothing was written",
            hint="run sprintlock init again: it plans from the files as they are now",
        )


def relock_report(root: Path, locks: Mapping[Path, str]) -> ChangeReport | None:
    """The change report of the relocked layers: each existing lock's pins (pip-compile output
    is read for its pins) against the new lock's, as ``upgrade`` reports; None when no existing
    lock was relocked."""
    results = []
    header = None
    for path, text in sorted(locks.items()):
        new = parse_lock(text, path.stem)
        if new is None or not path.is_file():
            continue
        header = new.header
        old = Lock(new.header, preferred_pins(LockFile.read(path.read_text(encoding="utf-8"), path.stem)))
        results.append(LayerResult(path.stem, path, old, new, compiled=True))
    if header is None:
        return None
    report = build_report(results, header.resolver, header.targets, header.requirements_dir)
    return dataclasses.replace(report, title="Lock changes (adoption)")


def init(
    root: Path,
    *,
    tox: bool = False,
    force: Iterable[str] = (),
    dry_run: bool = False,
    runner: Runner = run,
) -> InitOutcome:
    """Write the standard layout into ``root`` and lock it (all or nothing).

    With conflicts nothing is written and nothing is locked: the outcome lists them.
    With ``dry_run`` everything is computed (the locks too, in a staging copy) and
    nothing is written. Otherwise the run is the project's one writer: the generated
    files and the locks are written in one transaction, if no file changed meanwhile.
    """
    root = root.resolve()
    with nullcontext() if dry_run else project_writer(root):
        detected, changes = plan(root, tox=tox, force=force)
        outcome = InitOutcome(root, detected, tuple(changes), (), dry_run)
        if outcome.conflicts:
            return outcome
        locks = _stage_locks(root, changes, runner)
        relocked = tuple(sorted(path.relative_to(root).as_posix() for path in locks if path.is_file()))
        report = relock_report(root, locks)
        files: Mapping[Path, str] = {c.path: c.text for c in changes if c.writes} | locks
        if not dry_run and files:
            with Transaction(files, root=root, journal=writer_journal(root)) as transaction:
                transaction.prepare()
                _verify_unchanged(changes)
                transaction.commit()
    lock_names = tuple(sorted(path.relative_to(root).as_posix() for path in locks))
    return InitOutcome(root, detected, tuple(changes), lock_names, dry_run, relocked, report)
