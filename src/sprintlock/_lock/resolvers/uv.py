"""uv: one universal resolution valid on every target Python and platform."""

from __future__ import annotations

import sys

from sprintlock._core.process import Runner, run
from sprintlock._core.tools import find_uv
from sprintlock._lock.lockfile import LockFormatError, parse_pins
from sprintlock._lock.resolvers import Compiled, CompileJob, failure


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
        ]
        if job.hashes:
            cmd.append("--generate-hashes")
        for constraint in job.constraints:
            cmd += ["--constraints", str(constraint)]
        if job.upgrade:
            cmd.append("--upgrade")
        for package in job.upgrade_packages:
            cmd += ["--upgrade-package", package]
        result = self._runner(cmd, cwd=job.cwd)
        if result.returncode != 0:
            raise failure(job, "uv", result.stderr or result.stdout)
        try:
            pins = parse_pins(job.output.read_text(encoding="utf-8"))
        except LockFormatError as exc:
            raise failure(job, "uv", f"unexpected output: {exc}") from None
        return Compiled(tuple(pins), job.targets)
