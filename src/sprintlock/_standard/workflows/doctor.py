"""GitHub workflows: pinned actions, what ``run:`` steps name, and hand-kept matrices."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from sprintlock._inspect.noxfile import DYNAMIC, Session
from sprintlock._inspect.references import check_ref
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.shell import NoxCall, Ref, read_script
from sprintlock._inspect.yamltree import Node, YamlError, parse_yaml
from sprintlock._standard.pins import SHA

WORKFLOWS = ".github/workflows"
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


def _combos(matrix: Node) -> list[Combo] | None:
    """The matrix's combinations (GitHub's include/exclude rules), or None when it is computed."""
    if matrix.kind != "map":
        return None
    base: dict[str, tuple[Node, ...]] = {}
    include: list[Combo] = []
    exclude: list[Combo] = []
    for key, node in matrix.mapping():
        if node.kind == "scalar":
            if "${{" in node.value:
                return None  # fromJSON(...): built from something else, e.g. `nox --list --json`
            node = Node("seq", node.line, items=(node,))
        if key in ("include", "exclude"):
            entries = [{k: v for k, v in entry.mapping() if v.kind == "scalar"} for entry in node.sequence()]
            (include if key == "include" else exclude).extend(entries)
        elif all(item.kind == "scalar" for item in node.sequence()):
            base[key] = node.sequence()
    if any("${{" in v.value for entry in include for v in entry.values()):
        return None
    combos: list[Combo] = (
        [dict(zip(base, values, strict=True)) for values in itertools.product(*base.values())] if base else []
    )
    combos = [c for c in combos if not any(all(c.get(k, v).value == v.value for k, v in e.items()) for e in exclude)]
    for entry in include:
        extended = False
        for combo in combos:
            matches = all(combo[k].value == v.value for k, v in entry.items() if k in base and k in combo)
            if matches and not any(k in combo and k not in base for k in entry):
                combo.update({k: v for k, v in entry.items() if k not in base})
                extended = True
        if not extended:
            combos.append(dict(entry))
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


class _Seen:
    """Per session: the Pythons the matrix tests it on, and reports already made."""

    def __init__(self) -> None:
        self.pythons: dict[str, set[str]] = {}
        self.sessions: dict[str, Session] = {}
        self.reported: set[tuple[str, int, str]] = set()


def _check_matrix(repo: Repo, job: _Job, matrix: Node) -> None:
    combos = _combos(matrix)
    if not combos or repo.noxfile is None:
        return
    context = f"the matrix of job {job.name!r}"
    seen = _Seen()
    for combo in combos:
        python_node = next((combo[k] for k in job.python_keys if k in combo), None)
        for call in job.calls:
            call_python = None
            for value in call.pythons:
                found = _substitute(value, combo)
                if found is not None:
                    call_python = (found[0], found[1][-1] if found[1] else None)
            for value in call.sessions:
                resolved = _substitute(value, combo)
                if resolved is None or (not resolved[1] and call_python is None and python_node is None):
                    continue  # a constant session with nothing from the matrix: a plain reference
                _check_combo(repo, job, context, seen, resolved, call_python, python_node)
        if not job.calls and python_node is not None:
            for layer in sorted(job.layers):
                if repo.uncovered(layer, python_node.value):
                    _uncovered(repo, job, layer, python_node, seen)
    for name, pythons in seen.pythons.items():
        session = seen.sessions[name]
        missing = [p for p in session.pythons if p not in pythons]
        if session.source != DYNAMIC and pythons and missing:
            repo.add(
                "matrix-drift",
                job.file,
                f"{context} leaves out Python {' '.join(missing)}, which noxfile.py runs {name!r} on",
                MATRIX_FIX,
                matrix.line,
            )


def _check_combo(
    repo: Repo,
    job: _Job,
    context: str,
    seen: _Seen,
    session_value: tuple[str, list[Node]],
    call_python: tuple[str, Node | None] | None,
    python_node: Node | None,
) -> None:
    assert repo.noxfile is not None  # noqa: S101 - checked by the caller
    name, nodes = session_value
    found = repo.noxfile.find(name)
    where: Node | None = nodes[-1] if nodes else None
    if found is None:
        base, _, suffix = name.rpartition("-")
        in_base = repo.noxfile.find(base) if base else None
        if in_base is not None and in_base[1] is None and in_base[0].pythons:
            found = (in_base[0], suffix)  # tests-3.9 where tests runs on other Pythons: reported below
        else:
            # `${{ matrix.session }}-${{ matrix.python }}`: name the session, once.
            shown = base if base and len(nodes) > 1 and nodes[-1].value == suffix else name
            if nodes and ("session", nodes[0].line, shown) not in seen.reported:
                seen.reported.add(("session", nodes[0].line, shown))
                repo.add(
                    "matrix-drift",
                    job.file,
                    f"{context} lists the nox session {shown!r}, which noxfile.py does not define",
                    f"{MATRIX_FIX} (its sessions: {repo.noxfile.described()})",
                    nodes[0].line,
                )
            return
    session, python = found
    if python is None and call_python is not None:
        python, where = call_python[0], call_python[1] or where
    if python is None and python_node is not None:
        python, where = python_node.value, python_node
    if python is None or (not session.pythons and session.source != DYNAMIC):
        return
    seen.sessions[session.name] = session
    seen.pythons.setdefault(session.name, set()).add(python)
    line = where.line if where is not None else job.calls[0].line
    if session.source != DYNAMIC and python not in session.pythons:
        if ("python", line, python) not in seen.reported:
            seen.reported.add(("python", line, python))
            repo.add(
                "matrix-drift",
                job.file,
                f"{context} runs {session.name!r} on Python {python}, which noxfile.py does not "
                f"(it runs it on {' '.join(session.pythons)})",
                MATRIX_FIX,
                line,
            )
    elif session.source == DYNAMIC and where is not None:
        for layer in session.layers:
            if repo.uncovered(layer, python):
                _uncovered(repo, job, layer, where, seen)


def _uncovered(repo: Repo, job: _Job, layer: str, node: Node, seen: _Seen) -> None:
    if ("uncovered", node.line, layer) in seen.reported:
        return
    seen.reported.add(("uncovered", node.line, layer))
    header = repo.header(layer)
    targets = " ".join(header.targets.pythons) if header else ""
    repo.add(
        "matrix-uncovered",
        job.file,
        f"the matrix of job {job.name!r} tests on Python {node.value}, but {repo.requirements}/{layer}.txt "
        f"is locked for Python {targets} only",
        repo.relock_fix(node.value, job.file),
        node.line,
    )


def _check_job(repo: Repo, file: str, name: str, job: Node) -> None:
    context = f"job {name!r}"
    uses = job.get("uses")
    if uses is not None and uses.kind == "scalar":
        check_uses(repo, file, uses, context)
    default_dir = job.child("defaults", "run", "working-directory")
    found = _Job(file, name)
    steps = job.get("steps")
    for step in steps.sequence() if steps is not None else ():
        step_uses = step.get("uses")
        if step_uses is not None and step_uses.kind == "scalar":
            check_uses(repo, file, step_uses, context)
            version = step.child("with", "python-version")
            if step_uses.value.startswith("actions/setup-python@") and version is not None:
                key = _expression(version.value)
                if key:
                    found.python_keys.add(key)
        run = step.get("run")
        shell = step.get("shell")
        if run is None or run.kind != "scalar" or (shell is not None and shell.value.startswith("python")):
            continue  # no command, or a Python script rather than shell
        folder = step.get("working-directory") or default_dir
        base = folder.value if folder is not None and folder.kind == "scalar" else ""
        if "${{" in base:
            continue
        script = read_script(run.value)
        for ref in script.refs:
            check_ref(repo, ref, file, run.text_line + ref.line, context, base=base)
            if ref.kind == "layer":
                found.layers.add(ref.value)
            elif ref.kind == "path" and ref.value.startswith(f"{repo.requirements}/") and ref.value.endswith(".txt"):
                found.layers.add(ref.value[len(repo.requirements) + 1 : -4])
        for call in script.nox_calls:
            found.calls.append(NoxCall(call.sessions, call.pythons, run.text_line + call.line))
    found.layers &= repo.layers
    matrix = job.child("strategy", "matrix")
    if matrix is not None:
        _check_matrix(repo, found, matrix)


def check_workflows(repo: Repo) -> None:
    folder = repo.root / WORKFLOWS
    if not folder.is_dir():
        return
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        file = f"{WORKFLOWS}/{path.name}"
        text = repo.read(file)
        if text is None:
            continue
        try:
            root = parse_yaml(text)
        except YamlError as exc:
            repo.add("file-invalid", file, str(exc), "fix the YAML so that the workflow can be checked", exc.line)
            continue
        jobs = root.get("jobs") if root.kind == "map" else None
        for name, job in jobs.mapping() if jobs is not None else ():
            if job.kind == "map":
                _check_job(repo, file, name, job)
