"""uv: one universal resolution valid on every target Python and platform.

A layer resolved on its own is one ``uv pip compile --universal``. The layers resolved
together are one ``uv lock`` of a staged project holding each layer as a dependency group
(:mod:`sprintlock._lock.resolvers.uvgroups`); each layer's pins, with its own markers, are
read from that lock (:mod:`sprintlock._lock.resolvers.uvgraph`), or exported by uv where
the lock's graph cannot tell them.
"""

from __future__ import annotations

import os
import sys
import threading

from sprintlock._core.children import wait_for, worker_pool
from sprintlock._core.process import Runner, run
from sprintlock._core.tools import find_uv
from sprintlock._lock.lockfile import Pin
from sprintlock._lock.resolvers import (
    Compiled,
    CompileJob,
    GroupsJob,
    checked_output,
    job_options,
    read_pins,
    rfc3339,
    run_resolver,
    upgrade_options,
)
from sprintlock._lock.resolvers.uvgraph import read_graph
from sprintlock._lock.resolvers.uvgroups import STAGE_PROJECT, explain, stage

#: Resolution is universal; naming the interpreter spares uv a PATH search
#: (slow where version-manager shims answer for Pythons that are not there).
_INTERPRETER = ("--python", sys.executable, "--no-python-downloads")
_QUIET = ("--no-progress", "--color", "never")
#: One uv resolution at a time: uv is parallel inside, and concurrent resolutions contend for
#: its cache (two ``uv pip compile`` against PyPI took 5.5 to 7 s together, 2.4 s in turn).
#: Reading the result (a staged lock's graph, its exports) is no resolution: a frozen layer
#: resolves meanwhile.
_RESOLVING = threading.Lock()


class UvResolver:
    name = "uv"

    def __init__(self, runner: Runner = run) -> None:
        self._runner = runner

    def compile(self, job: CompileJob) -> Compiled:
        cmd = [
            find_uv(),
            "pip",
            "compile",
            *map(str, job.inputs),
            "--output-file",
            str(job.output),
            "--universal",
            "--python-version",
            job.targets.pythons[0],
            *_INTERPRETER,
            "--no-header",
            "--annotation-style",
            "split",
            *_QUIET,
            *job_options(job, constraint_flag="--constraints"),
        ]
        if job.exclude_newer is not None:  # the upgrade cooldown
            cmd += ["--exclude-newer", rfc3339(job.exclude_newer)]
        with _RESOLVING:
            pins = run_resolver(self._runner, cmd, job, tool="uv", output=job.output)
        return Compiled(tuple(pins), job.targets)

    def compile_groups(self, job: GroupsJob) -> dict[str, Compiled]:
        """Every layer of ``job`` resolved together; each layer's own pins (``uv lock``, then ``uv export``)."""
        names = stage(job)
        uv = find_uv()
        cmd = [uv, "lock", *_INTERPRETER, *_QUIET, *upgrade_options(job)]
        if job.exclude_newer is not None:  # the upgrade cooldown
            cmd += ["--exclude-newer", rfc3339(job.exclude_newer)]
        with _RESOLVING:
            self._run(cmd, job, names)
        graph = read_graph((job.folder / "uv.lock").read_text(encoding="utf-8"), STAGE_PROJECT, job.targets.pythons[0])
        read = {
            group.layer: graph.pins(names[group.layer], hashes=job.hashes) if graph else None for group in job.groups
        }
        export = [uv, "export", "--frozen", "--format", "requirements-txt", "--no-emit-project", "--no-header", *_QUIET]
        if not job.hashes:
            export.append("--no-hashes")
        # The layers the lock's graph cannot answer for are exported, at once: an export only
        # reads the staged uv.lock (--frozen), so exports do not contend for uv's cache as resolutions do.
        with worker_pool(os.cpu_count() or 1) as pool:
            running = {
                layer: pool.submit(self._pins, [*export, "--only-group", names[layer]], job, names)
                for layer, pins in read.items()
                if pins is None
            }
            return {
                layer: Compiled(wait_for(running[layer]) if pins is None else pins, job.targets)
                for layer, pins in read.items()
            }

    def _run(self, cmd: list[str], job: GroupsJob, names: dict[str, str]) -> str:
        def in_layers(output: str) -> str:
            return explain(output, names)

        return checked_output(self._runner, cmd, job, tool="uv", cwd=job.folder, explain=in_layers)

    def _pins(self, cmd: list[str], job: GroupsJob, names: dict[str, str]) -> tuple[Pin, ...]:
        return tuple(read_pins(self._run(cmd, job, names), job, tool="uv"))
