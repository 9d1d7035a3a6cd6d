"""Scrubbed subprocesses and interleaved wall-clock timing for benchmarks/envs.py."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from _tools import BenchmarkError, Timing, scrubbed_env

__all__ = ["BIN", "BenchmarkError", "Shell", "Spec", "Timing", "measure_calls", "measure_interleaved", "scrubbed_env"]

#: The environment running the benchmark (its uv builds the tools' environment).
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Shell:
    """Runs commands in the scrubbed environment; a failure raises with the output."""

    env: Mapping[str, str]

    def run(self, args: Sequence[str | Path], cwd: Path) -> str:
        cmd = [str(arg) for arg in args]
        proc = subprocess.run(
            cmd, cwd=cwd, env=dict(self.env), capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
        )
        if proc.returncode != 0:
            raise BenchmarkError(
                f"`{' '.join(cmd)}` exited with {proc.returncode} in {cwd}:\n{proc.stdout}{proc.stderr}"
            )
        return proc.stdout + proc.stderr


@dataclass(frozen=True)
class Spec:
    """One measurement: a labelled action, and optionally a check of its warm-up output."""

    label: str
    action: Callable[[], object]
    check: Callable[[object], None] | None = None


def measure_interleaved(specs: Sequence[Spec], repeat: int) -> list[Timing]:
    """Time each spec's action ``repeat`` times, round-robin, after one untimed warm-up of each.

    Interleaving spreads whatever else the machine is doing over every measurement alike,
    so that ratios stay fair on a loaded machine. The warm-up fills the caches and, for
    warm measurements, leaves the environment in the measured state; ``check`` inspects
    its output to prove that state.
    """
    for spec in specs:
        output = spec.action()
        if spec.check is not None:
            spec.check(output)
    samples: list[list[float]] = [[] for _ in specs]
    for _ in range(repeat):
        for spec, times in zip(specs, samples, strict=True):
            start = time.perf_counter()
            spec.action()
            times.append(time.perf_counter() - start)
    return [Timing(spec.label, tuple(times)) for spec, times in zip(specs, samples, strict=True)]


def measure_calls(label: str, iterations: int, call: Callable[[], object]) -> Timing:
    """Time ``call()`` ``iterations`` times in process, after 3 untimed calls."""
    for _ in range(3):
        call()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return Timing(label, tuple(samples))
