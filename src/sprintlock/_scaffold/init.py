"""``sprintlock init``: write the standard layout into a project, never clobbering, then lock it.

The plan is computed first (one :class:`Change` per file), nothing is written while a
file the user wrote would be replaced without ``--force``, and the locks are compiled
in a staging copy: every generated file and every lock is then written in one
all-or-nothing step, so a failure (a bad input, a resolution error) changes nothing.

Rules, per file:

- absent: created;
- present with the same text: left alone (a second ``init`` has nothing to do);
- ``requirements/NAME.in`` present with other text: the user's input, kept as is
  (adopted; its lock is compiled from it); ``--force`` replaces it with the standard one;
- ``pyproject.toml``: a ``[tool.sprintlock]`` table is appended (text, not re-serialised)
  when it has none; otherwise it is not touched;
- ``tox.ini`` (``--tox``, or when there is one): the user's file gets only the missing lines
  (see :mod:`._toxini`); an environment that runs pip-compile is reported;
- ``.devcontainer/devcontainer.json`` and ``.pre-commit-config.yaml``: the user's file is
  merged where that is safe (see :mod:`._devcontainer`, :mod:`._precommit`), each change
  reported; where it is not (comments in the JSON, an unusual YAML shape), a conflict;
- ``.github/workflows/tests.yml`` goes to an existing ``tests.yaml`` when there is one;
- any other file present with other text (``noxfile.py``, ``.devcontainer/bootstrap.sh``,
  the workflows): a conflict, unless ``--force`` names it.

Existing locks (``requirements/*.txt`` compiled by pip-compile, say) are generated files:
they are relocked in the sprintlock format from the kept ``.in`` files, and reported.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sprintlock._core.errors import SprintlockError
from sprintlock._core.files import write_all
from sprintlock._core.process import Runner, run
from sprintlock._lock.engine import lock
from sprintlock._project.config import load_project
from sprintlock._scaffold.detect import Detected, detect, read_pyproject
from sprintlock._standard.devcontainer import (
    JSON_PATH,
    SCRIPT_PATH,
    adopt_devcontainer,
    image_python,
    render_bootstrap,
    render_devcontainer,
)
from sprintlock._standard.noxfile import render_noxfile
from sprintlock._standard.precommit import PATH as PRE_COMMIT_PATH
from sprintlock._standard.precommit import adopt_precommit_config, render_precommit_config
from sprintlock._standard.toxini import adopt_tox_ini, render_tox_ini
from sprintlock._standard.workflows.render import TESTS, UPGRADE, render_tests_workflow, render_upgrade_workflow

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

CREATE, UPDATE, SAME, KEEP, CONFLICT, REPLACE = "create", "update", "unchanged", "kept", "conflict", "replace"

SPRINTLOCK_TABLE = (
    "\n[tool.sprintlock]\n"
    "# Locks in requirements/ are compiled and checked by sprintlock; the defaults work:\n"
    '# requirements = "requirements", resolver = "uv", hashes = true,\n'
    "# python = the CPython versions requires-python allows, platforms = linux, macos, windows.\n"
)


PIP_COMPILE_NOTE = (
    "an environment runs pip-compile: it would overwrite the sprintlock locks; "
    "upgrade with `nox -s upgrade` (sprintlock upgrade) instead, and remove it"
)


@dataclass(frozen=True)
class Change:
    """One file of the standard layout and what ``init`` does (or would do) to it."""

    path: Path
    relative: str
    action: str
    text: str
    old: str | None
    #: What a merge into the user's file changed (devcontainer.json, .pre-commit-config.yaml).
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

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.action == CONFLICT)

    @property
    def nothing_to_do(self) -> bool:
        return not self.conflicts and not self.locks and not any(c.writes for c in self.changes)


def has_tool_table(text: str) -> bool:
    """Whether ``pyproject.toml`` text already has a ``[tool.sprintlock]`` table (or subtable)."""
    data = tomllib.loads(text)
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "sprintlock" in tool


def infiles(detected: Detected) -> dict[str, str]:
    """``requirements/NAME.in`` texts, by layer name, for what the project uses."""
    files = {
        "tests": "# What `nox -s tests` needs; the project's own dependencies come from pyproject.toml.\npytest\n",
    }
    if detected.checkers:
        files["typing"] = (
            "# What `nox -s typing` needs: the type checkers, and the test tools so tests/ type-checks.\n"
            "-r tests.txt\n" + "".join(f"{checker}\n" for checker in detected.checkers)
        )
    if detected.docs:
        files["docs"] = "# What `nox -s docs` needs.\n" + ("sphinx\n" if detected.docs == "sphinx" else "mkdocs\n")
    files["build"] = "# What builds the sdist and wheel (python -m build).\nbuild\n"
    dev = "".join(f"-r {name}.txt\n" for name in files if name not in ("build",))
    files["dev"] = (
        "# The contributor's .venv (`nox -s dev`): every tool above, plus pre-commit for `nox -s lint`.\n"
        + dev
        + "pre-commit\n"
    )
    return files


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


def _workflow_name(root: Path, relative: str) -> str:
    """``relative`` (``NAME.yml``), or the project's ``NAME.yaml`` when that is how it names it."""
    yaml_name = relative.removesuffix(".yml") + ".yaml"
    return yaml_name if (root / yaml_name).is_file() else relative


def plan(root: Path, *, tox: bool = False, force: Iterable[str] = ()) -> tuple[Detected, list[Change]]:
    """What ``init`` would write into ``root`` (read only)."""
    root = root.resolve()
    # init writes (or keeps) a pre-commit config, so lint is a default session.
    detected = dataclasses.replace(detect(root), pre_commit_config=True)
    pyproject_text, _ = read_pyproject(root)
    project = load_project(root)  # validates an existing [tool.sprintlock]
    folder = project.config.requirements
    pythons = project.config.targets.pythons

    wanted: dict[str, str] = {"noxfile.py": render_noxfile(detected)}
    for name, text in infiles(detected).items():
        wanted[f"{folder}/{name}.in"] = text
    forced = {_relative(root, name) for name in force}
    tox_ini = root / "tox.ini"
    if tox or tox_ini.is_file():
        # The user's tox.ini is adopted (lines added), unless --force asks for the standard one.
        wanted["tox.ini"] = (
            adopt_tox_ini(tox_ini.read_text(encoding="utf-8"), detected)
            if tox_ini.is_file() and "tox.ini" not in forced
            else render_tox_ini(detected)
        )
    wanted[JSON_PATH] = render_devcontainer(detected.name, pythons)
    wanted[SCRIPT_PATH] = render_bootstrap()
    wanted[PRE_COMMIT_PATH] = render_precommit_config()
    wanted[_workflow_name(root, TESTS)] = render_tests_workflow(image_python(pythons))
    wanted[_workflow_name(root, UPGRADE)] = render_upgrade_workflow(pythons, project.config.upgrade_schedule)
    merges: dict[str, Callable[[str], tuple[str, tuple[str, ...]] | None]] = {
        JSON_PATH: adopt_devcontainer,
        PRE_COMMIT_PATH: adopt_precommit_config,
    }
    if not has_tool_table(pyproject_text):
        # Appended as text: the user's file stays byte for byte what it was, up to its end.
        ending = "" if pyproject_text.endswith("\n") or not pyproject_text else "\n"
        wanted["pyproject.toml"] = pyproject_text + ending + SPRINTLOCK_TABLE
    else:
        wanted["pyproject.toml"] = pyproject_text

    unknown = sorted(forced - set(wanted))
    if unknown:
        raise SprintlockError(
            f"--force {', '.join(unknown)}: sprintlock init does not write this",
            hint=f"it writes: {', '.join(sorted(wanted))}",
        )

    changes = []
    for relative, text in wanted.items():
        path = root / relative
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        notes: tuple[str, ...] = ()
        merged = merges[relative](old) if old is not None and relative in merges and relative not in forced else None
        if merged is not None:
            text, notes = merged
        if old is None:
            action = CREATE
        elif old == text:
            action = SAME
        elif merged is not None:
            action = UPDATE  # the user's file, minimally merged
        elif relative in forced:
            action = REPLACE
        elif relative in ("pyproject.toml", "tox.ini"):
            action = UPDATE  # lines added to the user's file, nothing of theirs removed
        elif relative.endswith(".in"):
            action = KEEP
        else:
            action = CONFLICT
        if action == KEEP:
            text = old or ""
        if relative == "tox.ini" and old is not None and "pip-compile" in old and action != REPLACE:
            notes = (PIP_COMPILE_NOTE,)
        changes.append(Change(path, relative, action, text, old, notes))
    # The user's other inputs (tests-min.in, ...) are theirs too: kept, and locked.
    if (root / folder).is_dir():
        for path in sorted((root / folder).glob("*.in")):
            relative = path.relative_to(root).as_posix()
            if relative not in wanted:
                text = path.read_text(encoding="utf-8")
                changes.append(Change(path, relative, KEEP, text, text))
    return detected, changes


def _stage_locks(root: Path, changes: Iterable[Change], runner: Runner) -> dict[Path, str]:
    # The locks that differ from the project's (an existing one among them is relocked).
    """Lock the planned layout in a staging copy; return the locks that differ from the project's."""
    stage = Path(tempfile.mkdtemp(prefix="sprintlock-init-"))
    try:
        planned = {c.relative: c.text for c in changes if c.relative == "pyproject.toml"}
        (stage / "pyproject.toml").write_text(planned["pyproject.toml"], encoding="utf-8")
        folder = load_project(stage).config.requirements
        if (root / folder).is_dir():
            shutil.copytree(root / folder, stage / folder)
        for change in changes:
            if change.relative.startswith(f"{folder}/"):
                target = stage / change.relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(change.text, encoding="utf-8")
        project = load_project(stage)
        outcome = lock(project, runner=runner)
        locks = {}
        for result in outcome.layers:
            relative = result.path.relative_to(project.root)
            text = result.path.read_text(encoding="utf-8")
            real = root / relative
            if not real.is_file() or real.read_text(encoding="utf-8") != text:
                locks[real] = text
        return locks
    finally:
        shutil.rmtree(stage, ignore_errors=True)


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
    nothing is written.
    """
    root = root.resolve()
    detected, changes = plan(root, tox=tox, force=force)
    outcome = InitOutcome(root, detected, tuple(changes), (), dry_run)
    if outcome.conflicts:
        return outcome
    locks = _stage_locks(root, changes, runner)
    relocked = tuple(sorted(path.relative_to(root).as_posix() for path in locks if path.is_file()))
    files: Mapping[Path, str] = {c.path: c.text for c in changes if c.writes} | locks
    if not dry_run:
        write_all(files)
    lock_names = tuple(sorted(path.relative_to(root).as_posix() for path in locks))
    return InitOutcome(root, detected, tuple(changes), lock_names, dry_run, relocked)
