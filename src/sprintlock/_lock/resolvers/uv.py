"""uv: one universal resolution valid on every target Python and platform."""

from __future__ import annotations

import sys

from sprintlock._core.process import Runner, run
from sprintlock._core.tools import find_uv
from sprintlock._lock.resolvers import Compiled, CompileJob, job_options, rfc3339, run_resolver


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
            # Resolution is universal; naming the interpreter spares uv a PATH search
            # (slow where version-manager shims answer for Pythons that are not there).
            "--python",
            sys.executable,
            "--no-python-downloads",
            "--no-header",
            "--annotation-style",
            "split",
            "--no-progress",
            "--color",
            "never",
            *job_options(job, constraint_flag="--constraints"),
        ]
        if job.exclude_newer is not None:  # the upgrade cooldown
            cmd += ["--exclude-newer", rfc3339(job.exclude_newer)]
        pins = run_resolver(self._runner, cmd, job, tool="uv", output=job.output)
        return Compiled(tuple(pins), job.targets)
