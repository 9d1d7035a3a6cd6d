"""Where a cold :func:`sprintlock.sync` spends its time: each command it runs, and the rest."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from sprintlock import load_project, sync
from sprintlock._core.process import Result, run

TOTAL = "whole sprintlock.sync() call"
OWN = "sprintlock's own work (total minus its commands)"


def step_name(cmd: Sequence[str]) -> str:
    """A short, stable name for one command sprintlock runs."""
    if "-c" in cmd:
        return "probe the interpreter (`python -c`)"
    words = [Path(cmd[0]).name, *(w for w in cmd[1:3] if not w.startswith("-"))]
    if "--require-hashes" in cmd:
        words.append("(the lock)")
    elif "--reinstall" in cmd or "--force-reinstall" in cmd:
        words.append("(the project)")
    return "`" + " ".join(words[:3]) + "`" + (" " + words[3] if len(words) > 3 else "")


def one_sync(project_root: Path, venv: Path, install_project: bool) -> dict[str, float]:
    """Sync the fresh environment ``venv``; return the seconds of each step."""
    steps: dict[str, float] = {}

    def runner(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Result:
        start = time.perf_counter()
        result = run(cmd, cwd=cwd, env=env)
        name = step_name(cmd)
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - start
        return result

    start = time.perf_counter()
    sync(load_project(project_root), "tests", venv, install_project=install_project, runner=runner)
    total = time.perf_counter() - start
    return {**steps, OWN: total - sum(steps.values()), TOTAL: total}


def breakdown(project_root: Path, fresh_venv: Callable[[], Path], repeat: int, install_project: bool) -> str:
    """A Markdown table: the median seconds of each step over ``repeat`` cold syncs."""
    runs = [one_sync(project_root, fresh_venv(), install_project) for _ in range(repeat)]
    names = list(dict.fromkeys(name for steps in runs for name in steps))
    lines = ["| step | median |", "| --- | ---: |"]
    for name in names:
        lines.append(f"| {name} | {statistics.median(steps.get(name, 0.0) for steps in runs) * 1000:.1f} ms |")
    return "\n".join(lines) + "\n"
