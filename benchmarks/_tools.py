"""Run the real tools against the fake index only, and time them."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Any request that escapes the fake index fails at once instead of reaching the network.
DEAD_PROXY = "http://127.0.0.1:9"
UNSET = ("VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
#: Options that a lock must never carry when only the fake index is configured.
LEAKS = ("--find-links", "--extra-index-url")


class BenchmarkError(Exception):
    """A tool failed, or the machine's configuration leaked into a run."""


def scrubbed_env(simple: Path, scratch: Path, tools_bin: Path | None = None) -> dict[str, str]:
    """This environment without any pip/uv configuration, pointing at ``simple`` only.

    ``tools_bin`` (default: this environment's) comes first on ``PATH``. Caches go under
    ``scratch``, so that the benchmark neither reads nor fills the
    machine's own caches. Bytecode is cached there too, as on a contributor's machine,
    even where ``PYTHONDONTWRITEBYTECODE`` is set (sprintlock is often installed editable:
    without cached bytecode every run would compile its modules again).
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PIP_", "UV_", "SPRINTLOCK_", "NOX_", "TOX_", "VIRTUALENV_", "PRE_COMMIT"))
        and name not in UNSET
    }
    empty = scratch / "pip.conf"
    empty.write_text("", encoding="utf-8")
    url = simple.as_uri()
    env.update(
        PATH=os.pathsep.join([str(tools_bin or tool_dir()), env.get("PATH", "")]),
        PIP_CONFIG_FILE=str(empty),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        UV_NO_CONFIG="1",
        UV_PYTHON_DOWNLOADS="never",
        PIP_INDEX_URL=url,
        UV_DEFAULT_INDEX=url,
        XDG_CACHE_HOME=str(scratch / "cache"),
        UV_CACHE_DIR=str(scratch / "cache" / "uv"),
        SPRINTLOCK_CACHE_DIR=str(scratch / "cache" / "sprintlock"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(scratch / "cache" / "virtualenv"),
        PYTHONPYCACHEPREFIX=str(scratch / "cache" / "bytecode"),
    )
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env[name] = DEAD_PROXY
    for name in ("NO_PROXY", "no_proxy"):
        env.pop(name, None)
    return env


def tool_dir() -> Path:
    """The ``bin`` folder of the environment running the benchmark (not resolved: a venv)."""
    return Path(sys.executable).parent


@dataclass(frozen=True)
class Tools:
    """Runs the commands installed beside this interpreter, in the scrubbed environment."""

    env: Mapping[str, str]

    def run(self, args: Sequence[str], cwd: Path) -> str:
        """Run ``args`` (a command from :func:`tool_dir`) in ``cwd``; return its output."""
        cmd = [str(tool_dir() / args[0]), *args[1:]]
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=dict(self.env),
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0:
            raise BenchmarkError(
                f"`{' '.join(args)}` exited with {proc.returncode} in {cwd}:\n{proc.stdout}{proc.stderr}"
            )
        return proc.stdout + proc.stderr


def assert_no_leak(folder: Path) -> None:
    """Fail if a lock under ``folder`` carries the machine's pip configuration."""
    for lock in sorted(folder.glob("*.txt")):
        text = lock.read_text(encoding="utf-8")
        found = [leak for leak in LEAKS if leak in text]
        if found:
            raise BenchmarkError(f"{lock} carries {found}: the machine's pip configuration leaked in")


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of each repetition of one measurement."""

    label: str
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def measure(label: str, repeat: int, prepare: Callable[[], T], action: Callable[[T], object]) -> Timing:
    """Time ``action(prepare())`` ``repeat`` times, after one untimed warm-up run.

    Only ``action`` is timed. The warm-up fills the tools' caches (and sprintlock's
    per-Python pip-tools environments), so that every figure is a warm one.
    """
    action(prepare())
    samples = []
    for _ in range(repeat):
        subject = prepare()
        start = time.perf_counter()
        action(subject)
        samples.append(time.perf_counter() - start)
    return Timing(label, tuple(samples))
