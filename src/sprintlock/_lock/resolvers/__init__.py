"""The resolvers behind one interface: each turns a compile job into pins."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from sprintlock._core.errors import ResolutionError
from sprintlock._core.process import Runner, run
from sprintlock._lock.lockfile import LockFormatError, Pin, parse_pins
from sprintlock._project.config import ResolverName
from sprintlock._project.targets import Targets


@dataclass(frozen=True)
class CompileJob:
    """One resolution: absolute paths to staged inputs and a pre-seeded output file."""

    inputs: tuple[Path, ...]
    #: Holds the preferred pins (the current lock) before the run; the resolver overwrites it.
    output: Path
    constraints: tuple[Path, ...]
    targets: Targets
    hashes: bool
    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()
    #: The file to blame in error messages, e.g. ``requirements/tests.in``.
    where: str = ""
    #: Where the resolver runs (the project root, so its own configuration applies).
    cwd: Path | None = None
    #: The upgrade cooldown's cutoff: releases uploaded at or after it are ignored; None: no cooldown.
    exclude_newer: datetime | None = None


@dataclass(frozen=True)
class Group:
    """One layer of a :class:`GroupsJob`: what it requires, and the layers whose locks it includes."""

    layer: str
    #: Its requirement lines (the project's dependencies among them when it installs those).
    requirements: tuple[str, ...]
    #: The layers whose locks it installs (``-r NAME.txt``): their groups are part of its own.
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupsJob:
    """One resolution of several layers together, each layer's own pins read from it (uv only)."""

    #: Every layer, a layer after those it includes.
    groups: tuple[Group, ...]
    #: An empty folder where the resolver stages its project.
    folder: Path
    #: Requirements that only limit versions (the layers' ``-c`` files).
    constraints: tuple[str, ...]
    #: The versions to keep when they still fit, first preferred first.
    preferred: tuple[Pin, ...]
    targets: Targets
    hashes: bool
    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()
    where: str = ""
    exclude_newer: datetime | None = None


@dataclass(frozen=True)
class Compiled:
    pins: tuple[Pin, ...]
    covers: Targets


class Resolver(Protocol):
    name: str

    def compile(self, job: CompileJob) -> Compiled: ...


_TRACEBACK = "Traceback (most recent call last):"
_CHAINED = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
#: ``pip._internal.exceptions.DistributionNotFound: message``: the class path, then the message.
_EXCEPTION = re.compile(r"^(?:[A-Za-z_][\w]*\.)+([A-Za-z_]\w*)(?::\s*(.*))?$")


def without_tracebacks(output: str) -> list[str]:
    """A tool's output lines without Python tracebacks: its own messages, then the message
    of the last exception (without its class path), which is what went wrong."""
    kept: list[str] = []
    last: str | None = None
    in_traceback = False
    for line in output.splitlines():
        if line.startswith(_TRACEBACK):
            in_traceback = True
        elif in_traceback and line[:1].isspace():
            pass  # a frame or its source line
        elif in_traceback:
            in_traceback = False
            found = _EXCEPTION.match(line.strip())
            last = (found.group(2) or found.group(1)) if found else line
        elif line.strip() not in _CHAINED:
            kept.append(line)
    return [*kept, last] if last else kept


def failure(job: CompileJob | GroupsJob, tool: str, output: str) -> ResolutionError:
    """A resolver's refusal, as one clear user error naming the input file (without tracebacks)."""
    lines = [
        line.rstrip()
        for line in without_tracebacks(output.strip())
        if line.strip() and not line.startswith("warning: The requested Python version")
    ]
    # Keep the resolver's own explanation; drop progress noise and repeated blank lines.
    detail = "\n".join(lines[-25:]) if lines else "(no output)"
    return ResolutionError(
        f"{tool} could not resolve the requirements:\n{detail}",
        where=job.where or None,
        hint=(
            "check the names and version ranges in this file; if an existing pin is in the "
            "way, run `sprintlock upgrade PACKAGE`; if the index is unreachable, check your "
            "network or index configuration"
        ),
    )


def job_options(job: CompileJob, *, constraint_flag: str) -> list[str]:
    """The options both resolvers take alike: hashes, constraints, upgrades."""
    options = ["--generate-hashes"] if job.hashes else []
    for constraint in job.constraints:
        options += [constraint_flag, str(constraint)]
    return options + upgrade_options(job)


def upgrade_options(job: CompileJob | GroupsJob) -> list[str]:
    """``--upgrade`` or ``--upgrade-package P``, as pip-compile, ``uv pip compile`` and ``uv lock`` read them."""
    options = ["--upgrade"] if job.upgrade else []
    for package in job.upgrade_packages:
        options += ["--upgrade-package", package]
    return options


def cooldown_cutoff(cooldown: timedelta | None, now: datetime | None = None) -> datetime | None:
    """The moment releases must predate under ``cooldown`` (UTC, whole seconds); None without one."""
    if cooldown is None:
        return None
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    return moment - cooldown


def rfc3339(moment: datetime) -> str:
    """``2026-11-25T06:30:00Z``: the form both uv's ``--exclude-newer`` and pip's ``--uploaded-prior-to`` read."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_resolver(runner: Runner, cmd: list[str], job: CompileJob, *, tool: str, output: Path) -> list[Pin]:
    """Run one resolver command and read the pins it wrote to ``output``; its refusal is a user error."""
    checked_output(runner, cmd, job, tool=tool, cwd=job.cwd)
    return read_pins(output.read_text(encoding="utf-8"), job, tool=tool)


def checked_output(
    runner: Runner,
    cmd: list[str],
    job: CompileJob | GroupsJob,
    *,
    tool: str,
    cwd: Path | None,
    explain: Callable[[str], str] = str,
) -> str:
    """Run one resolver command; its output, or its refusal (``explain``-ed) as a user error."""
    result = runner(cmd, cwd=cwd)
    if result.returncode != 0:
        raise failure(job, tool, explain(result.stderr or result.stdout))
    return result.stdout


def read_pins(text: str, job: CompileJob | GroupsJob, *, tool: str) -> list[Pin]:
    """The pins a resolver wrote; output that is not pins is a user error naming the job's inputs."""
    try:
        return parse_pins(text)
    except LockFormatError as exc:
        raise failure(job, tool, f"unexpected output: {exc}") from None


def get_resolver(name: ResolverName, runner: Runner = run) -> Resolver:
    """The configured resolver; only its own module is imported (pip-tools' is the heavier)."""

    def uv(runner: Runner) -> Resolver:
        from sprintlock._lock.resolvers.uv import UvResolver

        return UvResolver(runner)

    def piptools(runner: Runner) -> Resolver:
        from sprintlock._lock.resolvers.piptools import PipToolsResolver

        return PipToolsResolver(runner)

    factories: dict[ResolverName, Callable[[Runner], Resolver]] = {"uv": uv, "pip-tools": piptools}
    return factories[name](runner)
