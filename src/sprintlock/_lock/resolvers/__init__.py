"""The resolvers behind one interface: each turns a compile job into pins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sprintlock._core.errors import ResolutionError
from sprintlock._core.process import Runner, run
from sprintlock._lock.lockfile import Pin
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


@dataclass(frozen=True)
class Compiled:
    pins: tuple[Pin, ...]
    covers: Targets


class Resolver(Protocol):
    name: str

    def compile(self, job: CompileJob) -> Compiled: ...


def failure(job: CompileJob, tool: str, output: str) -> ResolutionError:
    """A resolver's refusal, as one clear user error naming the input file."""
    lines = [
        line.rstrip()
        for line in output.strip().splitlines()
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


def get_resolver(name: ResolverName, runner: Runner = run) -> Resolver:
    from sprintlock._lock.resolvers.piptools import PipToolsResolver
    from sprintlock._lock.resolvers.uv import UvResolver

    factories: dict[ResolverName, Callable[[Runner], Resolver]] = {
        "uv": UvResolver,
        "pip-tools": PipToolsResolver,
    }
    return factories[name](runner)
