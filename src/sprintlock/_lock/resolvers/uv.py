"""uv: one universal resolution valid on every target Python and platform."""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from pathlib import Path

from sprintlock._core.errors import ToolMissingError
from sprintlock._core.process import Runner, run
from sprintlock._lock.lockfile import LockFormatError, parse_pins
from sprintlock._lock.resolvers import Compiled, CompileJob, failure

_FIND_LOCK = threading.Lock()


def find_uv() -> str:
    """The uv binary: the one installed with sprintlock, else the first on PATH.

    Found once per process, under a lock: layers compile in threads, and the first
    ``sysconfig`` lookup inside ``uv.find_uv_bin`` is not thread-safe.
    """
    with _FIND_LOCK:
        return _find_uv()


@functools.cache
def _find_uv() -> str:
    try:
        from uv import find_uv_bin

        found = find_uv_bin()
        if Path(found).is_file():
            return found
    except (ImportError, FileNotFoundError):
        pass
    path = shutil.which("uv")
    if path is None:
        raise ToolMissingError(
            "uv is not installed",
            hint='install it (`pip install uv`) or set resolver = "pip-tools" in [tool.sprintlock]',
        )
    return path


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
