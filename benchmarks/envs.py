"""Benchmark sprintlock's environments: warm nox/tox runs, cold builds, the stamp check.

    python benchmarks/envs.py [--quick] [--repeat N] [--keep]

Everything runs offline in a temporary folder, against one index (benchmarks/envs_fixture.py):
tiny fake wheels for the project's lock, plus the real nox, tox, uv, virtualenv and
sprintlock's dependencies repacked from this environment and a wheel of this checkout.
A fresh "tools" environment gets nox, tox and sprintlock from it (``pipx install`` style,
bytecode compiled); every command runs from there, with the machine's pip, uv, nox and
tox configuration scrubbed. Measurements of a table are interleaved round-robin, so a
busy machine slows them alike. Figures are printed as Markdown tables, never asserted:
a missed target is reported as such. docs/benchmarks-environments.md explains each row.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from envs_breakdown import breakdown
from envs_fixture import PYTHON, build_offline_index, write_project
from envs_timing import BIN, BenchmarkError, Shell, Spec, Timing, measure_calls, measure_interleaved, scrubbed_env

import sprintlock
from sprintlock import load_project, sync

#: Issue 12's targets: a warm run within 1.1x of ``nox -R``, a cold build within 1.2x of raw uv.
WARM_LIMIT = 1.1
#: Samples of each warm row, and of each cold one, even with --quick (two gave medians that moved by a fifth).
WARM_SAMPLES = 10
COLD_SAMPLES = 5
COLD_LIMIT = 1.2
STAMP_LIMIT_MS = 50.0
ROOT = Path(__file__).resolve().parent.parent
NOX_ENV = "tests-" + PYTHON.replace(".", "-")
STAMP_MATCHES = "environment matches the tests lock (stamp)"
TOX_STAMP_MATCHES = "tests matches the tests lock (stamp)"
PIN = re.compile(r"^[a-z0-9][a-z0-9._-]*==", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """One line of a table: a timing, optionally against a reference and a target."""

    timing: Timing
    reference: Timing | None = None
    limit: float | None = None
    faster_than: bool = False
    unit: str = "s"

    def ratio(self) -> float | None:
        return None if self.reference is None else self.timing.median / self.reference.median

    def min_ratio(self) -> float | None:
        return None if self.reference is None else min(self.timing.samples) / min(self.reference.samples)

    def paired_ratio(self) -> float | None:
        """The median of each round's own ratio (rows are timed round-robin): steadier than the
        ratio of the medians when the machine's load drifts during the run."""
        if self.reference is None or len(self.reference.samples) != len(self.timing.samples):
            return None
        return statistics.median(t / r for t, r in zip(self.timing.samples, self.reference.samples, strict=True))

    def met(self) -> str:
        ratio = self.ratio()
        if self.faster_than and ratio is not None:
            return "yes" if ratio < 1.0 else "NO"
        if self.limit is None:
            return ""
        value = ratio if ratio is not None else self.timing.median * 1000
        return "yes" if value <= self.limit else "NO"

    def target(self, letters: dict[int, str]) -> str:
        reference = "" if self.reference is None else letters[id(self.reference)]
        if self.faster_than:
            return f"faster than {reference}"
        if self.limit is None:
            return ""
        return f"<= {self.limit}x {reference}" if reference else f"< {self.limit:g} ms"


@dataclass
class Bench:
    """The workspace: the locked project, a folder for fresh environments, the tools."""

    scratch: Path
    project: Path
    shell: Shell
    repeat: int
    #: The tools' environment: nox, tox, uv and sprintlock installed from the offline index.
    bin: Path
    _count: itertools.count[int] = field(default_factory=itertools.count)

    def fresh(self, name: str) -> Path:
        """A path for a new environment (outside the project, never reused)."""
        return self.scratch / "venvs" / f"{name}-{next(self._count)}"

    def nox(self, *args: str | Path) -> str:
        return self.shell.run([self.bin / "nox", "--no-color", *args], self.project)

    def plain_nox(self, *args: str | Path) -> str:
        return self.nox("-f", "noxfile_plain.py", "--envdir", ".nox-plain", *args)

    def tox(self, *args: str) -> str:
        return self.shell.run([self.bin / "tox", *args], self.project)

    def python(self, code: str) -> str:
        return self.shell.run([self.bin / "python", "-c", code], self.project)

    def uv(self, *args: str | Path) -> str:
        return self.shell.run([self.bin / "uv", *args], self.project)

    def sprintlock(self, *args: str | Path) -> str:
        return self.shell.run([self.bin / "sprintlock", *args], self.project)

    def timings(self, specs: Sequence[Spec], *, at_least: int = 0) -> list[Timing]:
        return measure_interleaved(specs, max(self.repeat, at_least))


def _expecting(text: str | None) -> Callable[[object], None] | None:
    if text is None:
        return None

    def check(output: object) -> None:
        if text not in str(output):
            raise BenchmarkError(f"expected {text!r} in the output of a warm run:\n{output}")

    return check


# --- 1. Warm runs ---------------------------------------------------------------------


def warm_rows(bench: Bench) -> list[Row]:
    specs = [
        Spec("nox -R -s tests, plain noxfile (install skipped)", lambda: bench.plain_nox("-R", "-s", "tests")),
        Spec("nox -s tests, sprintlock (stamp matches)", lambda: bench.nox("-s", "tests"), _expecting(STAMP_MATCHES)),
        Spec("nox -R -s tests, sprintlock", lambda: bench.nox("-R", "-s", "tests"), _expecting(STAMP_MATCHES)),
        Spec("nox -s tests, plain noxfile (session.install re-runs)", lambda: bench.plain_nox("-s", "tests")),
        Spec("tox -e tests, sprintlock plugin", lambda: bench.tox("-e", "tests"), _expecting(TOX_STAMP_MATCHES)),
        Spec("python -c 'import nox' (tools env)", lambda: bench.python("import nox")),
        Spec("python -c 'import nox, sprintlock.nox' (tools env)", lambda: bench.python("import nox, sprintlock.nox")),
    ]
    # Build every environment first: the warm-up runs must already be warm (and checked).
    bench.plain_nox("-s", "tests")
    bench.nox("-s", "tests")
    bench.tox("-e", "tests")
    # A warm run takes a fifth of a second and moves by a tenth between runs: a median needs more than two.
    floor, warm, warm_r, plain, tox, nox_import, both_import = bench.timings(specs, at_least=WARM_SAMPLES)
    return [
        Row(floor),
        Row(warm, floor, WARM_LIMIT),
        Row(warm, tox, faster_than=True),
        Row(warm_r, floor),
        Row(plain, floor),
        Row(tox, floor),
        Row(nox_import),
        Row(both_import, nox_import),
    ]


# --- 2. Cold environments -------------------------------------------------------------


def _uv_venv(bench: Bench, venv: Path) -> None:
    bench.uv("venv", "--quiet", "--python", sys.executable, venv)


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def uv_sync(bench: Bench, venv: Path, *, project: bool = False, copy: bool = False) -> None:
    """Raw uv: ``uv venv`` + ``uv pip sync --require-hashes`` (+ the project, as sprintlock installs it);
    with ``copy``, files copied from uv's cache as sprintlock has them (not hard-linked: uv's default)."""
    _uv_venv(bench, venv)
    link = ["--link-mode", "copy"] if copy else []
    bench.uv("pip", "sync", "--quiet", "--require-hashes", *link, "--python", _python(venv), "requirements/tests.txt")
    if project:
        bench.uv("pip", "install", "--quiet", "--no-deps", "--reinstall", "--python", _python(venv), ".")


def sprintlock_sync(bench: Bench, venv: Path, *, project: bool = True) -> None:
    """``uv venv`` (what nox's uv backend does) + ``sprintlock sync tests --venv DIR``."""
    _uv_venv(bench, venv)
    bench.sprintlock("sync", "tests", "--venv", venv, *([] if project else ["--no-project"]))


def in_process_sync(bench: Bench, venv: Path, *, project: bool = True) -> None:
    """``uv venv`` + :func:`sprintlock.sync` called in this process, as nox and the tox plugin call it."""
    _uv_venv(bench, venv)
    if sync(load_project(bench.project), "tests", venv, install_project=project).skipped:
        raise BenchmarkError(f"sprintlock.sync skipped the fresh environment {venv}")


def pip_install(bench: Bench, venv: Path) -> None:
    """Plain pip: ``python -m venv`` + ``pip install --require-hashes -r``."""
    bench.shell.run([sys.executable, "-m", "venv", venv], bench.project)
    bench.shell.run(
        [_python(venv), "-m", "pip", "install", "--quiet", "--require-hashes", "-r", "requirements/tests.txt"],
        bench.project,
    )


def cold_specs(bench: Bench) -> list[Spec]:
    def fresh() -> Path:
        return bench.fresh("env")

    return [
        Spec("uv venv + uv pip sync --require-hashes (lock only)", lambda: uv_sync(bench, fresh())),
        Spec(
            "uv venv + uv pip sync --require-hashes --link-mode copy (lock only)",
            lambda: uv_sync(bench, fresh(), copy=True),
        ),
        Spec("uv venv + sprintlock sync --no-project", lambda: sprintlock_sync(bench, fresh(), project=False)),
        Spec(
            "uv venv + sprintlock.sync(install_project=False), in process",
            lambda: in_process_sync(bench, fresh(), project=False),
        ),
        Spec("python -m venv + pip install --require-hashes -r (lock only)", lambda: pip_install(bench, fresh())),
        Spec("uv venv + uv pip sync + uv pip install --no-deps .", lambda: uv_sync(bench, fresh(), project=True)),
        Spec("uv venv + sprintlock sync (lock + project)", lambda: sprintlock_sync(bench, fresh())),
        Spec("uv venv + sprintlock.sync(), in process", lambda: in_process_sync(bench, fresh())),
        Spec(
            "cold nox -s tests, plain noxfile (session.install)",
            lambda: bench.nox("-f", "noxfile_plain.py", "--envdir", fresh(), "-s", "tests"),
        ),
        Spec("cold nox -s tests, sprintlock", lambda: bench.nox("--envdir", fresh(), "-s", "tests")),
        Spec("cold tox -e tests --recreate, sprintlock plugin", lambda: bench.tox("-r", "-e", "tests")),
    ]


def cold_rows(bench: Bench) -> list[Row]:
    timings = bench.timings(cold_specs(bench), at_least=COLD_SAMPLES)
    uv_lock, uv_copy, sl_lock, in_lock, pip, uv_all, sl_all, in_all, nox_plain, nox, tox = timings
    return [
        Row(uv_lock),
        Row(uv_copy, uv_lock),
        Row(sl_lock, uv_lock, COLD_LIMIT),
        Row(in_lock, uv_lock, COLD_LIMIT),
        Row(in_lock, uv_copy, COLD_LIMIT),
        Row(pip, uv_lock),
        Row(uv_all),
        Row(sl_all, uv_all, COLD_LIMIT),
        Row(in_all, uv_all, COLD_LIMIT),
        Row(nox_plain),
        Row(nox, nox_plain),
        Row(tox, nox_plain),
    ]


def new_uv_venv(bench: Bench) -> Path:
    venv = bench.fresh("breakdown")
    _uv_venv(bench, venv)
    return venv


def same_installed_set(bench: Bench) -> bool:
    """Whether ``sprintlock sync --no-project`` and ``uv pip sync`` install the same distributions."""
    by_uv, by_sprintlock = bench.fresh("check-uv"), bench.fresh("check-sprintlock")
    uv_sync(bench, by_uv)
    sprintlock_sync(bench, by_sprintlock, project=False)
    return _dist_infos(by_uv) == _dist_infos(by_sprintlock)


def _dist_infos(venv: Path) -> list[str]:
    return sorted(p.name for p in venv.glob("lib/python*/site-packages/*.dist-info"))


# --- 3. The stamp check ---------------------------------------------------------------


def stamp_rows(bench: Bench, iterations: int) -> list[Row]:
    venv = bench.project / ".nox" / NOX_ENV
    project = load_project(bench.project)
    if not sync(project, "tests", venv).skipped:
        raise BenchmarkError(f"sprintlock.sync did not find a matching stamp in {venv} after a warm nox run")
    alone = measure_calls("sprintlock.sync() on the warm nox env", iterations, lambda: sync(project, "tests", venv))
    loaded = measure_calls(
        "load_project() + sprintlock.sync()", iterations, lambda: sync(load_project(bench.project), "tests", venv)
    )
    return [Row(alone, limit=STAMP_LIMIT_MS, unit="ms"), Row(loaded, limit=STAMP_LIMIT_MS, unit="ms")]


# --- Output -------------------------------------------------------------------------------


def table(title: str, rows: Sequence[Row]) -> str:
    """A Markdown table; each measurement gets a letter, by which ratios name their reference."""
    letters: dict[int, str] = {}
    for row in rows:
        letters.setdefault(id(row.timing), chr(ord("A") + len(letters)))
    lines = [
        f"### {title}",
        "",
        "| | run | median | min | max | ratio | ratio of mins | round by round | target | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        timing, ratio = row.timing, row.ratio()
        against = "" if row.reference is None or ratio is None else f"{ratio:.2f}x {letters[id(row.reference)]}"
        against_min, paired = (_times(value) for value in (row.min_ratio(), row.paired_ratio()))
        lines.append(
            f"| {letters[id(timing)]} | {timing.label} | {_fmt(timing.median, row.unit)} "
            f"| {_fmt(min(timing.samples), row.unit)} | {_fmt(max(timing.samples), row.unit)} "
            f"| {against} | {against_min} | {paired} | {row.target(letters)} | {row.met()} |"
        )
    return "\n".join(lines) + "\n"


def _times(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}x"


def _fmt(seconds: float, unit: str) -> str:
    return f"{seconds * 1000:.2f} ms" if unit == "ms" else f"{seconds:.3f} s"


def machine(bench: Bench) -> str:
    uv = bench.uv("--version").split()[1]
    venv_pip = subprocess.run(
        [sys.executable, "-c", "import ensurepip; print(ensurepip.version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lock = (bench.project / "requirements/tests.txt").read_text(encoding="utf-8")
    pins = sum(1 for line in lock.splitlines() if PIN.match(line))
    installed = len(_dist_infos(bench.project / ".nox" / NOX_ENV))
    return (
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)\n"
        f"- Python {platform.python_version()}; sprintlock {sprintlock.__version__}; nox {version('nox')}; "
        f"tox {version('tox')}; uv {uv}; virtualenv {version('virtualenv')}; pip {venv_pip} (python -m venv)\n"
        f"- tests lock: {pins} pins; the warm nox environment holds {installed} distributions (pins for "
        f"Python {PYTHON} on {sys.platform}, plus the project)\n"
        f"- repetitions: {bench.repeat} per row, interleaved round-robin, after one untimed warm-up of each\n"
    )


# --- Main ---------------------------------------------------------------------------------


def build_sprintlock_wheel(out: Path) -> Path:
    """A wheel of this checkout (sprintlock is not on an index yet), as the test suite builds it."""
    out.mkdir(parents=True)
    code = f"from flit_core.buildapi import build_wheel; build_wheel({str(out)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    return next(out.glob("sprintlock-*.whl"))


def tools_venv(shell: Shell, venv: Path) -> Path:
    """``pipx install nox tox sprintlock``, offline: a fresh environment with the three; its bin folder."""
    shell.run([BIN / "uv", "venv", "--quiet", "--python", sys.executable, venv], venv.parent)
    python = venv / "bin" / "python"
    install: list[str | Path] = [BIN / "uv", "pip", "install", "--quiet", "--compile-bytecode", "--python", python]
    shell.run([*install, "nox", "tox", "sprintlock"], venv.parent)
    return venv / "bin"


def setup(scratch: Path, repeat: int) -> Bench:
    """Build the index and the tools' environment, write and lock the project, scrub this process."""
    simple = build_offline_index(scratch / "index", build_sprintlock_wheel(scratch / "wheel"))
    tools_bin = scratch / "tools" / "bin"
    env = scrubbed_env(simple, scratch, tools_bin)
    os.environ.clear()
    os.environ.update(env)  # the in-process sync (section 3) runs with the same configuration
    shell = Shell(env)
    tools_venv(shell, tools_bin.parent)
    project = write_project(scratch / "project", sprintlock.__version__)
    bench = Bench(scratch, project, shell, repeat, tools_bin)
    bench.sprintlock("lock", "tests")
    return bench


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 repetitions per row, 50 stamp checks")
    parser.add_argument("--repeat", type=int, metavar="N", help="repetitions per row (default 5, --quick 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    return parser.parse_args(argv)


def report(bench: Bench, iterations: int) -> str:
    """Run every measurement, then return the whole report (Markdown)."""
    warm = warm_rows(bench)
    cold = cold_rows(bench)
    identical = "yes" if same_installed_set(bench) else "NO"
    steps = breakdown(bench.project, lambda: new_uv_venv(bench), bench.repeat, install_project=True)
    stamp = stamp_rows(bench, iterations)
    return "\n".join(
        [
            machine(bench),
            table("1. Warm runs (environment reused, lock unchanged)", warm),
            table("2. Cold environment builds (fresh environment, warm uv cache)", cold),
            f"`sprintlock sync --no-project` and `uv pip sync` install the same distributions: {identical}\n",
            f"#### Inside a cold sprintlock.sync() (lock + project, in process, median of {bench.repeat})\n",
            steps,
            table(f"3. The stamp check alone ({iterations} calls in process)", stamp),
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repeat, iterations = (2, 50) if args.quick else (5, 300)
    repeat = args.repeat or repeat
    scratch = Path(tempfile.mkdtemp(prefix="slbench-envs-"))
    try:
        print(report(setup(scratch, repeat), iterations))
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
