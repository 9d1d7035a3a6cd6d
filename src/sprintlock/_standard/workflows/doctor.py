"""GitHub workflows: pinned actions, what ``run:`` steps name, and hand-kept matrices."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from sprintlock._inspect.noxfile import DYNAMIC, Noxfile, Session
from sprintlock._inspect.references import check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import (
    SESSION_FLAGS,
    NoxCall,
    Ref,
    flag_values,
    is_nox,
    is_static,
    program_args,
    read_script,
)
from sprintlock._inspect.yamltree import Node, YamlError, parse_yaml
from sprintlock._standard.pins import SHA
from sprintlock._standard.workflows.render import FOLDER

#: ``# v4.2.2``, ``# 4.2``, ``# tag=v4.2.2`` (Renovate's style).
_VERSION_COMMENT = re.compile(r"^(?:tag=)?v?\d+(?:\.\d+)*\b")
_MATRIX = re.compile(r"\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}")
MATRIX_FIX = (
    "derive the matrix from the noxfile (`nox --list --json`, as the tests.yml of `sprintlock init` does), "
    "or make the two lists agree"
)

Combo = dict[str, Node]


@dataclass
class _Job:
    file: str
    name: str
    calls: list[NoxCall] = field(default_factory=list)
    #: Matrix keys that setup-python's ``python-version`` takes.
    python_keys: set[str] = field(default_factory=set)
    #: Lock layers the job installs directly (``-r requirements/X.txt``, ``sprintlock sync X``).
    layers: set[str] = field(default_factory=set)

    @property
    def context(self) -> str:
        return f"job {self.name!r}"


def check_uses(repo: Repo, file: str, node: Node, context: str) -> None:
    """``uses:``: a local action must exist; a remote one must be pinned by SHA with a version comment."""
    value = node.value.strip()
    if value.startswith("./"):
        check_ref(repo, Ref("path", value, 0, "uses"), file, node.line, context)
        return
    if value.startswith("docker://") or "${{" in value:
        return
    action, _, ref = value.partition("@")
    if not SHA.match(ref):
        shown = f"@{ref}" if ref else " with no ref"
        repo.add(
            "action-unpinned",
            file,
            f"{context} uses {action}{shown}: a tag or branch can be moved to other code",
            f"pin the release's commit with the version as a comment: `uses: {action}@<40-hex SHA>  # "
            f"{ref or 'vX.Y.Z'}` (`nox -s upgrade` keeps SHA pins current)",
            node.line,
        )
    elif not _VERSION_COMMENT.match(node.comment):
        repo.add(
            "action-no-version-comment",
            file,
            f"{context} uses {action} at a commit with no version comment: nobody can tell which release it is",
            f"add the release after the SHA: `uses: {value}  # vX.Y.Z`",
            node.line,
        )


def _expression(value: str) -> str | None:
    """``K`` when ``value`` is exactly ``${{ matrix.K }}``."""
    match = _MATRIX.fullmatch(value.strip())
    return match.group(1) if match else None


@dataclass
class _Axes:
    """A matrix as written: its axes (``python: [...]``) and its ``include``/``exclude`` entries."""

    base: dict[str, tuple[Node, ...]] = field(default_factory=dict)
    include: list[Combo] = field(default_factory=list)
    exclude: list[Combo] = field(default_factory=list)


def _axes(matrix: Node) -> _Axes | None:
    """The matrix's axes and entries, or None when it is computed (``fromJSON(...)``)."""
    axes = _Axes()
    for key, node in matrix.mapping():
        values = node
        if node.kind == "scalar":
            if "${{" in node.value:
                return None  # fromJSON(...): built from something else, e.g. `nox --list --json`
            values = Node("seq", node.line, items=(node,))
        if key in ("include", "exclude"):
            entries = [{k: v for k, v in entry.mapping() if v.kind == "scalar"} for entry in values.sequence()]
            (axes.include if key == "include" else axes.exclude).extend(entries)
        elif all(item.kind == "scalar" for item in values.sequence()):
            axes.base[key] = values.sequence()
    if any("${{" in v.value for entry in axes.include for v in entry.values()):
        return None
    return axes


def _excluded(combo: Combo, exclude: list[Combo]) -> bool:
    return any(all(combo.get(k, v).value == v.value for k, v in entry.items()) for entry in exclude)


def _include(combos: list[Combo], entry: Combo, base: dict[str, tuple[Node, ...]]) -> None:
    """GitHub's rule: an entry extends every combination it matches without overwriting an axis, else is added."""
    extended = False
    for combo in combos:
        matches = all(combo[k].value == v.value for k, v in entry.items() if k in base and k in combo)
        if matches and not any(k in combo and k not in base for k in entry):
            combo.update({k: v for k, v in entry.items() if k not in base})
            extended = True
    if not extended:
        combos.append(dict(entry))


def _combos(matrix: Node) -> list[Combo] | None:
    """The matrix's combinations (GitHub's include/exclude rules), or None when it is computed."""
    axes = _axes(matrix) if matrix.kind == "map" else None
    if axes is None:
        return None
    base = axes.base
    product = [dict(zip(base, values, strict=True)) for values in itertools.product(*base.values())] if base else []
    combos = [combo for combo in product if not _excluded(combo, axes.exclude)]
    for entry in axes.include:
        _include(combos, entry, base)
    return combos


def _substitute(value: str, combo: Combo) -> tuple[str, list[Node]] | None:
    """``value`` with ``${{ matrix.K }}`` replaced from ``combo``, and the nodes used; None if unknown."""
    used: list[Node] = []

    def replace(match: re.Match[str]) -> str:
        node = combo.get(match.group(1))
        if node is None:
            raise KeyError(match.group(1))
        used.append(node)
        return node.value

    try:
        text = _MATRIX.sub(replace, value)
    except KeyError:
        return None
    return (text, used) if "${{" not in text else None


#: A value taken from a matrix combination, and the node of the last ``${{ matrix.K }}`` it used.
_Chosen = tuple[str, Node | None]


def _call_python(call: NoxCall, combo: Combo) -> _Chosen | None:
    """The Python a ``nox -p`` option selects in ``combo`` (the last one that resolves)."""
    chosen: _Chosen | None = None
    for value in call.pythons:
        found = _substitute(value, combo)
        if found is not None:
            chosen = (found[0], found[1][-1] if found[1] else None)
    return chosen


@dataclass
class _MatrixCheck:
    """One job's matrix against the noxfile: per session, the Pythons the matrix tests it on."""

    repo: Repo
    noxfile: Noxfile
    job: _Job
    matrix: Node
    pythons: dict[str, set[str]] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    #: Reports already made, as (kind, line, name): one finding for a line however many combinations.
    reported: set[tuple[str, int, str]] = field(default_factory=set)

    @property
    def context(self) -> str:
        return f"the matrix of job {self.job.name!r}"

    def first(self, key: tuple[str, int, str]) -> bool:
        """Whether ``key`` is reported for the first time (it is remembered)."""
        if key in self.reported:
            return False
        self.reported.add(key)
        return True

    def run(self, combos: list[Combo]) -> None:
        for combo in combos:
            self.combination(combo)
        for name, pythons in self.pythons.items():
            session = self.sessions[name]
            missing = [p for p in session.pythons if p not in pythons]
            if session.source != DYNAMIC and pythons and missing:
                self.repo.add(
                    "matrix-drift",
                    self.job.file,
                    f"{self.context} leaves out Python {' '.join(missing)}, which noxfile.py runs {name!r} on",
                    MATRIX_FIX,
                    self.matrix.line,
                )

    def combination(self, combo: Combo) -> None:
        python_node = next((combo[k] for k in self.job.python_keys if k in combo), None)
        for call in self.job.calls:
            call_python = _call_python(call, combo)
            for value in call.sessions:
                resolved = _substitute(value, combo)
                if resolved is None or (not resolved[1] and call_python is None and python_node is None):
                    continue  # a constant session with nothing from the matrix: a plain reference
                self.session(resolved, call_python, python_node)
        if not self.job.calls and python_node is not None:
            for layer in sorted(self.job.layers):
                if self.repo.uncovered(layer, python_node.value):
                    self.uncovered(layer, python_node)

    def session(self, resolved: tuple[str, list[Node]], call_python: _Chosen | None, python_node: Node | None) -> None:
        """A session a combination runs: it must exist, on a Python the noxfile runs it on."""
        name, nodes = resolved
        found = self.find(name, nodes)
        if found is None:
            return
        session, python = found
        where: Node | None = nodes[-1] if nodes else None
        if python is None and call_python is not None:
            python, where = call_python[0], call_python[1] or where
        if python is None and python_node is not None:
            python, where = python_node.value, python_node
        if python is None or (not session.pythons and session.source != DYNAMIC):
            return
        self.sessions[session.name] = session
        self.pythons.setdefault(session.name, set()).add(python)
        self.python(session, python, where)

    def find(self, name: str, nodes: list[Node]) -> tuple[Session, str | None] | None:
        """The session ``name`` selects and the Python it names; reports a session the noxfile lacks."""
        found = self.noxfile.find(name)
        if found is not None:
            return found
        base, _, suffix = name.rpartition("-")
        in_base = self.noxfile.find(base) if base else None
        if in_base is not None and in_base[1] is None and in_base[0].pythons:
            return in_base[0], suffix  # tests-3.9 where tests runs on other Pythons: reported by `python`
        # `${{ matrix.session }}-${{ matrix.python }}`: name the session, once.
        shown = base if base and len(nodes) > 1 and nodes[-1].value == suffix else name
        if nodes and self.first(("session", nodes[0].line, shown)):
            self.repo.add(
                "matrix-drift",
                self.job.file,
                f"{self.context} lists the nox session {shown!r}, which noxfile.py does not define",
                f"{MATRIX_FIX} (its sessions: {self.noxfile.described()})",
                nodes[0].line,
            )
        return None

    def python(self, session: Session, python: str, where: Node | None) -> None:
        """``python`` must be one the noxfile runs ``session`` on, and covered by the locks it installs."""
        line = where.line if where is not None else self.job.calls[0].line
        if session.source != DYNAMIC and python not in session.pythons:
            if self.first(("python", line, python)):
                self.repo.add(
                    "matrix-drift",
                    self.job.file,
                    f"{self.context} runs {session.name!r} on Python {python}, which noxfile.py does not "
                    f"(it runs it on {' '.join(session.pythons)})",
                    MATRIX_FIX,
                    line,
                )
        elif session.source == DYNAMIC and where is not None:
            for layer in session.layers:
                if self.repo.uncovered(layer, python):
                    self.uncovered(layer, where)

    def uncovered(self, layer: str, node: Node) -> None:
        """The lock of ``layer`` is not resolved for the Python ``node`` names."""
        if not self.first(("uncovered", node.line, layer)):
            return
        header = self.repo.header(layer)
        targets = " ".join(header.targets.pythons) if header else ""
        self.repo.add(
            "matrix-uncovered",
            self.job.file,
            f"the matrix of job {self.job.name!r} tests on Python {node.value}, but "
            f"{self.repo.requirements}/{layer}.txt is locked for Python {targets} only",
            self.repo.relock_fix(node.value, self.job.file),
            node.line,
        )


def _check_matrix(repo: Repo, job: _Job, matrix: Node) -> None:
    combos = _combos(matrix)
    if combos and repo.noxfile is not None:
        _MatrixCheck(repo, repo.noxfile, job, matrix).run(combos)


def _python_key(step: Node, uses: Node) -> str | None:
    """``K`` when the step is setup-python with ``python-version: ${{ matrix.K }}``."""
    version = step.child("with", "python-version")
    if not uses.value.startswith("actions/setup-python@") or version is None:
        return None
    return _expression(version.value)


def _shell_run(step: Node) -> Node | None:
    """The step's ``run:`` text when it is shell (not a Python script)."""
    run = step.get("run")
    shell = step.get("shell")
    if run is None or run.kind != "scalar" or (shell is not None and shell.value.startswith("python")):
        return None
    return run


def _working_directory(step: Node, default: Node | None) -> str | None:
    """The folder the step runs in ("" for the root); None when it is an expression."""
    folder = step.get("working-directory") or default
    base = folder.value if folder is not None and folder.kind == "scalar" else ""
    return None if "${{" in base else base


def _check_run(repo: Repo, job: _Job, run: Node, base: str) -> None:
    """What a ``run:`` step names must exist; note the layers it installs and its nox calls."""
    script = read_script(run.value)
    for ref in script.refs:
        check_ref(repo, replace(ref, base=base), job.file, run.text_line + ref.line, job.context)
        if ref.kind == "layer":
            job.layers.add(ref.value)
        elif ref.kind == "path" and ref.value.startswith(f"{repo.requirements}/") and ref.value.endswith(".txt"):
            job.layers.add(ref.value[len(repo.requirements) + 1 : -4])
    job.calls += [NoxCall(call.sessions, call.pythons, run.text_line + call.line) for call in script.nox_calls]


def _check_step(repo: Repo, job: _Job, step: Node, default_dir: Node | None) -> None:
    uses = step.get("uses")
    if uses is not None and uses.kind == "scalar":
        check_uses(repo, job.file, uses, job.context)
        key = _python_key(step, uses)
        if key:
            job.python_keys.add(key)
    run = _shell_run(step)
    base = _working_directory(step, default_dir)
    if run is not None and base is not None:
        _check_run(repo, job, run, base)


def _check_job(repo: Repo, file: str, name: str, job: Node) -> None:
    found = _Job(file, name)
    uses = job.get("uses")
    if uses is not None and uses.kind == "scalar":
        check_uses(repo, file, uses, found.context)
    default_dir = job.child("defaults", "run", "working-directory")
    steps = job.get("steps")
    for step in steps.sequence() if steps is not None else ():
        _check_step(repo, found, step, default_dir)
    found.layers &= repo.layers
    matrix = job.child("strategy", "matrix")
    if matrix is not None:
        _check_matrix(repo, found, matrix)


def _read_workflows(repo: Repo) -> Iterator[tuple[str, Node | YamlError]]:
    """Every workflow (``.yml`` and ``.yaml``, any name) with its tree, or why it does not parse."""
    folder = repo.root / FOLDER
    if not folder.is_dir():
        return
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        file = f"{FOLDER}/{path.name}"
        text = repo.read(file)
        if text is None:
            continue
        try:
            yield file, parse_yaml(text)
        except YamlError as exc:
            yield file, exc


def check_workflows(repo: Repo) -> None:
    for file, root in _read_workflows(repo):
        if isinstance(root, YamlError):
            repo.add("file-invalid", file, str(root), "fix the YAML so that the workflow can be checked", root.line)
            continue
        jobs = root.get("jobs") if root.kind == "map" else None
        for name, job in jobs.mapping() if jobs is not None else ():
            if job.kind == "map":
                _check_job(repo, file, name, job)


# Which workflow does what: doctor finds the tests and upgrade workflows by what they run.

#: nox options that list or describe sessions instead of running them.
_NOX_NOT_A_RUN = {"-l", "--list", "--list-sessions", "--version", "-h", "--help"}
#: Session names that run the project's tests: ``tests``, ``tests-3.12``, ``tests-min``, ``test``.
_TEST_SESSION = re.compile(r"^tests?(-|$)")
#: Events that make a workflow run on the project's changes (CI, as opposed to a schedule).
_CHANGE_EVENTS = {"push", "pull_request", "pull_request_target", "merge_group"}
_UPGRADE_SESSIONS = {"upgrade", "upgrade-pr"}

Command = tuple[str, ...]


def _nox_sessions(command: Command) -> list[str] | None:
    """The sessions a ``nox`` run selects (``[]``: the default sessions); None when it is no nox run."""
    args = program_args(command, is_nox)
    if args is None or _NOX_NOT_A_RUN.intersection(args):
        return None
    return flag_values(list(args), SESSION_FLAGS, many=True)


def runs_tests(command: Command) -> bool:
    """Whether ``command`` runs the project's tests: nox (its default sessions, a tests session or
    one from the matrix), pytest or tox."""
    sessions = _nox_sessions(command)
    if sessions is not None:
        return not sessions or any(not is_static(name) or _TEST_SESSION.match(name) for name in sessions)
    return program_args(command, lambda base: base in ("pytest", "py.test", "tox")) is not None


def runs_upgrade(command: Command) -> bool:
    """Whether ``command`` upgrades the locks: ``sprintlock upgrade``, ``nox -s upgrade``, ``upgrade-pr``."""
    sessions = _nox_sessions(command)
    if sessions is not None:
        return bool(_UPGRADE_SESSIONS.intersection(sessions))
    if program_args(command, lambda base: base == "upgrade-pr") is not None:
        return True
    args = list(program_args(command, lambda base: base == "sprintlock") or ())
    while args[:1] in (["-C"], ["--project"]):
        args = args[2:]
    return args[:1] in (["upgrade"], ["upgrade-pr"])


def _events(root: Node) -> set[str]:
    """The events that trigger a workflow (``on:`` as a name, a list or a mapping)."""
    on = root.get("on")
    if on is None:
        return set()
    if on.kind == "scalar":
        return {on.value}
    return {item.value for item in on.sequence()} | {name for name, _ in on.mapping()}


def _commands(root: Node) -> Iterator[Command]:
    """Every command of every shell ``run:`` step of the workflow."""
    jobs = root.get("jobs") if root.kind == "map" else None
    for _, job in jobs.mapping() if jobs is not None else ():
        steps = job.get("steps") if job.kind == "map" else None
        for step in steps.sequence() if steps is not None else ():
            run = _shell_run(step) if step.kind == "map" else None
            if run is not None:
                yield from read_script(run.value).commands


def workflow_runs(repo: Repo, runs: Callable[[Command], bool], *, on_changes: bool = False) -> bool:
    """Whether some workflow has a step for which ``runs`` holds (``on_changes``: one run on pushes or
    pull requests)."""
    for _, root in _read_workflows(repo):
        if isinstance(root, YamlError) or root.kind != "map":
            continue
        if on_changes and not _events(root) & _CHANGE_EVENTS:
            continue
        if any(runs(command) for command in _commands(root)):
            return True
    return False
