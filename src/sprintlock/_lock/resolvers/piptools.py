"""pip-tools: the real pip-compile, run once per target interpreter, merged into one lock.

pip-compile resolves only for the interpreter and platform it runs in. For each
target Python found on this machine, sprintlock runs pip-compile inside that
interpreter (in a cached tool environment holding the same pip-tools version)
and merges the results; the lock header records which targets were covered.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sprintlock._core.errors import CommandFailed, ResolutionError, ToolMissingError
from sprintlock._core.process import Runner, run, run_checked
from sprintlock._core.tools import current_version, find_interpreter, find_uv, venv_python
from sprintlock._lock.lockfile import Pin
from sprintlock._lock.resolvers import Compiled, CompileJob, job_options, rfc3339, run_resolver
from sprintlock._lock.resolvers.merge import merge
from sprintlock._project.targets import SYS_PLATFORM, Targets


def current_platform() -> str:
    for platform, sys_platform in SYS_PLATFORM.items():
        if sys.platform == sys_platform:
            return platform
    return sys.platform  # pragma: no cover - an unusual platform


def cache_dir() -> Path:
    configured = os.environ.get("SPRINTLOCK_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "sprintlock"


def piptools_version() -> str:
    try:
        return version("pip-tools")
    except PackageNotFoundError:
        raise ToolMissingError(
            "pip-tools is not installed",
            hint='install sprintlock with its dependencies, or set resolver = "uv"',
        ) from None


def tool_python(python: str, runner: Runner = run) -> str | None:
    """An interpreter for ``python`` that can run pip-compile; None if no such Python here.

    The running interpreter already has pip-tools. For another one, a tool
    environment with the same pip-tools version is created once and cached.
    """
    interpreter = find_interpreter(python)
    if interpreter is None:
        return None
    if python == current_version():
        piptools_version()
        return interpreter
    wanted = piptools_version()
    env = cache_dir() / "pip-tools" / f"{wanted}-py{python}"
    if (env / ".complete").is_file():
        return str(venv_python(env))
    env.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{env.name}-", dir=env.parent))
    try:
        try:
            uv: str | None = find_uv()
        except ToolMissingError:
            uv = None
        if uv:
            run_checked([uv, "venv", "--quiet", "--python", interpreter, str(building)], runner=runner)
            run_checked(
                [
                    uv,
                    "pip",
                    "install",
                    "--quiet",
                    "--python",
                    str(venv_python(building)),
                    f"pip-tools=={wanted}",
                ],
                runner=runner,
            )
        else:
            run_checked([interpreter, "-m", "venv", str(building)], runner=runner)
            run_checked(
                [str(venv_python(building)), "-m", "pip", "install", "--quiet", f"pip-tools=={wanted}"],
                runner=runner,
            )
    except CommandFailed as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise ResolutionError(
            f"could not prepare pip-tools {wanted} for Python {python}:\n{exc.output.strip()[-2000:]}",
            hint="check that your package index is reachable, or use the uv resolver",
        ) from None
    (building / ".complete").write_text("ok\n")
    try:
        building.rename(env)
    except OSError:  # another process finished first: use theirs
        shutil.rmtree(building, ignore_errors=True)
    # Paths inside a venv are absolute: the renamed venv is re-created lazily if broken.
    return str(venv_python(env))


class PipToolsResolver:
    name = "pip-tools"

    def __init__(self, runner: Runner = run) -> None:
        self._runner = runner
        #: Each target Python's pip-compile interpreter, found (or its tool environment made)
        #: once per run and reused by every layer's resolution.
        self._tools: dict[str, str | None] = {}
        self._tools_lock = threading.Lock()

    def tools(self, pythons: Iterable[str]) -> dict[str, str]:
        """The interpreter that runs pip-compile for each of ``pythons`` found on this machine."""
        with self._tools_lock:  # layers compile in parallel: one tool environment per Python
            for python in pythons:
                if python not in self._tools:
                    self._tools[python] = tool_python(python, self._runner)
            return {python: path for python in pythons if (path := self._tools[python]) is not None}

    def compile(self, job: CompileJob) -> Compiled:
        platform = current_platform()
        found = self.tools(job.targets.pythons)
        # One pip-compile per interpreter, concurrently where cores allow (each is a separate
        # process; they share pip's cache, so a wheel one downloads the others reuse).
        with ThreadPoolExecutor(max_workers=max(1, min(len(found), os.cpu_count() or 1))) as pool:
            running = {python: pool.submit(self._compile_one, job, python, path) for python, path in found.items()}
            results = {python: future.result() for python, future in running.items()}
        if not results:
            raise ToolMissingError(
                f"no interpreter found for any target Python ({' '.join(job.targets.pythons)})",
                where=job.where or None,
                hint='install one of them (python3.X on PATH) or set resolver = "uv"',
            )
        pins = merge(results, platform)
        covers = Targets(tuple(results), (platform,) if platform in job.targets.platforms else ())
        return Compiled(pins, covers)

    def _compile_one(self, job: CompileJob, python: str, interpreter: str) -> list[Pin]:
        output = job.output.with_name(f"{job.output.stem}.py{python}{job.output.suffix}")
        shutil.copyfile(job.output, output)
        cmd = [
            interpreter,
            "-m",
            "piptools",
            "compile",
            *map(str, job.inputs),
            "--output-file",
            str(output),
            "--no-config",
            "--no-header",
            "--no-emit-index-url",
            "--no-emit-find-links",
            "--no-emit-trusted-host",
            "--allow-unsafe",
            "--strip-extras",
            "--annotation-style",
            "split",
            "--quiet",
            *job_options(job, constraint_flag="--constraint"),
        ]
        if job.exclude_newer is None:
            return run_resolver(self._runner, cmd, job, tool="pip-compile", output=output)
        # The upgrade cooldown: pip's own filter (pip >= 26.0), which pip-compile's finder applies.
        cmd += ["--pip-args", f"--uploaded-prior-to={rfc3339(job.exclude_newer)}"]
        try:
            return run_resolver(self._runner, cmd, job, tool="pip-compile", output=output)
        except ResolutionError as exc:
            if "--uploaded-prior-to" in exc.message:
                raise _no_cooldown(job, python) from None
            raise


def _no_cooldown(job: CompileJob, python: str) -> ToolMissingError:
    """The pip under pip-compile for ``python`` predates ``--uploaded-prior-to``: refuse, never ignore."""
    return ToolMissingError(
        f"upgrade-cooldown needs pip 26.0 or newer beside pip-tools (for Python {python}): "
        "its pip has no --uploaded-prior-to, so the cooldown cannot be applied",
        where=job.where or None,
        hint=(
            "upgrade pip beside pip-tools (sprintlock's cached tool environments are rebuilt once "
            'removed), use resolver = "uv", or remove upgrade-cooldown from [tool.sprintlock]'
        ),
    )
