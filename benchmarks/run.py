"""Benchmark sprintlock's lock engine beside pip-compile and pip-compile-multi.

    python benchmarks/run.py [--quick]

Everything runs offline against a fake index of tiny wheels (tests/wheelhouse.py) in a
temporary folder, with the machine's pip and uv configuration scrubbed. The figures are
printed, never asserted: a target that is missed is reported, not failed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from _inputs import (
    DEPENDENCIES,
    FLASK_DEPENDENCIES,
    FLASK_LAYERS,
    LAYERS,
    as_dependency_groups,
    as_pip_compile_multi,
    build_fake_index,
    compile_order,
    write_project,
)
from _tools import BenchmarkError, Timing, Tools, assert_no_leak, measure, scrubbed_env

# Both sides hash and keep pip/setuptools pins, as sprintlock does.
PIP_COMPILE = ("pip-compile", "--generate-hashes", "--allow-unsafe", "--strip-extras", "--quiet")
CURRENT = "{}.{}".format(*sys.version_info[:2])
PLATFORM = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
#: Targets of the optional multi-target pip-tools figure (those found on PATH are used).
MULTI_TARGET = ("3.11", "3.12", "3.13")
CHECK_LIMIT = 0.15
#: ``uv pip compile`` as sprintlock runs it: universal, hashed, for the lowest target Python.
UV_PIP_COMPILE = (
    "uv",
    "pip",
    "compile",
    "--universal",
    "--generate-hashes",
    "--python-version",
    "3.10",
    # As sprintlock does: naming the interpreter spares uv a PATH search (slow behind pyenv shims).
    "--python",
    sys.executable,
    "--no-python-downloads",
    "--quiet",
    "--no-progress",
)
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==")


@dataclass(frozen=True)
class Repeats:
    cheap: int
    expensive: int


@dataclass
class Bench:
    """The workspace: project templates (inputs only), fresh copies of them, the tools."""

    root: Path
    tools: Tools
    repeats: Repeats
    #: The requirement sets (``requirements/NAME.in``) and ``[project] dependencies``.
    layers: Mapping[str, str] = field(default_factory=lambda: LAYERS)
    dependencies: Sequence[str] = DEPENDENCIES
    templates: dict[str, Path] = field(default_factory=dict)
    _copies: itertools.count[int] = field(default_factory=itertools.count)

    def template(self, name: str, sprintlock: Mapping[str, str]) -> None:
        folder = self.root / "templates" / name
        self.templates[name] = write_project(folder, sprintlock, self.layers, self.dependencies)

    def fresh(self, name: str) -> Path:
        """A new copy of template ``name``, without any lock."""
        copy = self.root / "runs" / f"{name}-{next(self._copies)}"
        shutil.copytree(self.templates[name], copy)
        return copy

    def fresh_pip_compile_multi(self) -> Path:
        return as_pip_compile_multi(self.fresh("default"), self.root / "runs" / f"pcm-{next(self._copies)}")

    def sprintlock_lock(self, project: Path) -> None:
        self.tools.run(["sprintlock", "lock", "--all"], project)
        assert_no_leak(project / "requirements")

    def fresh_dependency_groups(self) -> Path:
        return as_dependency_groups(self.fresh("default"), self.root / "runs" / f"uv-{next(self._copies)}")

    def uv_lock(self, project: Path) -> None:
        # Named interpreter, as sprintlock's uv runs: neither side pays a PATH search.
        self.tools.run(["uv", "lock", "--quiet", "--no-progress", "--python", sys.executable], project)

    def uv_pip_compile(self, project: Path) -> None:
        """One universal ``uv pip compile`` per layer (with the project's dependencies where
        sprintlock adds them), each ``.in`` to its ``.txt``, in dependency order."""
        deps = project / "project-dependencies.in"
        deps.write_text("".join(f"{dep}\n" for dep in self.dependencies), encoding="utf-8")
        for name in compile_order(self.layers):
            inputs = [f"requirements/{name}.in", *([deps.name] if name != "build" else [])]
            self.tools.run([*UV_PIP_COMPILE, *inputs, "-o", f"requirements/{name}.txt"], project)
        assert_no_leak(project / "requirements")

    def locked(self, name: str) -> Callable[[], Path]:
        """A fresh copy of template ``name`` already locked (the unchanged relock's subject)."""

        def prepare() -> Path:
            project = self.fresh(name)
            self.sprintlock_lock(project)
            return project

        return prepare

    def uv_locked(self) -> Path:
        project = self.fresh_dependency_groups()
        self.uv_lock(project)
        return project

    def sprintlock_check(self, project: Path) -> None:
        self.tools.run(["sprintlock", "check"], project)

    def pip_compile(self, project: Path) -> None:
        """One pip-compile per layer, each ``.in`` to its ``.txt``, in dependency order."""
        for name in compile_order():
            self.tools.run([*PIP_COMPILE, f"requirements/{name}.in"], project)
        assert_no_leak(project / "requirements")

    def pip_compile_multi(self, project: Path) -> None:
        hashed = [arg for name in LAYERS for arg in ("-g", f"requirements/{name}.in")]
        self.tools.run(["pip-compile-multi", "-d", "requirements", "--allow-unsafe", *hashed], project)
        assert_no_leak(project / "requirements")

    def pip_compile_multi_verify(self, project: Path) -> None:
        self.tools.run(["pip-compile-multi", "-d", "requirements", "verify"], project)


@dataclass(frozen=True)
class Row:
    timing: Timing
    ratio: float


@dataclass(frozen=True)
class Target:
    text: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Section:
    title: str
    ratio_header: str
    rows: tuple[Row, ...]
    targets: tuple[Target, ...]
    notes: tuple[str, ...] = ()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.txt"))}


def pin_range(folder: Path) -> str:
    """How many packages the locks in ``folder`` pin: fewest, most, total."""
    counts = [
        sum(1 for line in lock.read_text(encoding="utf-8").splitlines() if PIN.match(line))
        for lock in folder.glob("*.txt")
    ]
    return f"{min(counts)}-{max(counts)} per layer, {sum(counts)} in all"


def freshness(bench: Bench) -> Section:
    """``sprintlock check`` vs a no-op pip-compile re-run vs ``pip-compile-multi verify``."""
    checked = bench.fresh("default")
    bench.sprintlock_lock(checked)
    recompiled = bench.fresh("default")
    bench.pip_compile(recompiled)
    verified = bench.fresh_pip_compile_multi()
    bench.pip_compile_multi(verified)
    before = snapshot(recompiled / "requirements")
    cheap = bench.repeats.cheap

    check = measure("sprintlock check", cheap, lambda: checked, bench.sprintlock_check)
    noop = measure(f"no-op pip-compile re-run ({len(LAYERS)} files)", cheap, lambda: recompiled, bench.pip_compile)
    verify = measure("pip-compile-multi verify", cheap, lambda: verified, bench.pip_compile_multi_verify)
    if snapshot(recompiled / "requirements") != before:
        raise BenchmarkError("the no-op pip-compile re-run changed a lock: it was not a no-op")
    speedup = noop.median / check.median
    return Section(
        title=f"Freshness check, {len(LAYERS)} layers (median of {cheap})",
        ratio_header="time / sprintlock check",
        rows=tuple(Row(t, t.median / check.median) for t in (check, noop, verify)),
        targets=(
            Target(f"sprintlock check under {CHECK_LIMIT} s", check.median < CHECK_LIMIT, f"{check.median:.3f} s"),
            Target("sprintlock check >= 10x faster than the no-op recompile", speedup >= 10, f"{speedup:.1f}x"),
        ),
        notes=(
            f"packages pinned, sprintlock (uv, every target): {pin_range(checked / 'requirements')}",
            f"packages pinned, pip-compile (python {CURRENT}, {PLATFORM}): {pin_range(recompiled / 'requirements')}",
        ),
    )


def lock_all(bench: Bench, multi_target: Sequence[str]) -> Section:
    """``sprintlock lock --all`` with each resolver vs sequential pip-compile, from no locks."""
    expensive = bench.repeats.expensive
    sequential = measure(
        f"sequential pip-compile ({len(LAYERS)} files)",
        expensive,
        lambda: bench.fresh("default"),
        bench.pip_compile,
    )
    uv = measure(
        "sprintlock lock --all, resolver uv (every target, universal)",
        expensive,
        lambda: bench.fresh("default"),
        bench.sprintlock_lock,
    )
    piptools = measure(
        f"sprintlock lock --all, resolver pip-tools (python {CURRENT}, {PLATFORM})",
        expensive,
        lambda: bench.fresh("pip-tools"),
        bench.sprintlock_lock,
    )
    timings = [sequential, uv, piptools]
    notes = [
        f'pip-tools resolver configured with python = ["{CURRENT}"] and platforms = ["{PLATFORM}"]: '
        "one target, as plain pip-compile resolves for."
    ]
    if len(multi_target) > 1:
        timings.append(
            measure(
                f"sprintlock lock --all, resolver pip-tools (python {' '.join(multi_target)}, {PLATFORM})",
                expensive,
                lambda: bench.fresh("pip-tools-multi"),
                bench.sprintlock_lock,
            )
        )
    else:
        notes.append(
            f"multi-target pip-tools figure skipped: found {len(multi_target)} of python{'/'.join(MULTI_TARGET)}"
        )
    uv_speedup = sequential.median / uv.median
    piptools_speedup = sequential.median / piptools.median
    return Section(
        title=f"Lock every layer from scratch (median of {expensive})",
        ratio_header="speed-up vs sequential pip-compile",
        rows=tuple(Row(t, sequential.median / t.median) for t in timings),
        targets=(
            Target("uv resolver >= 10x faster than sequential pip-compile", uv_speedup >= 10, f"{uv_speedup:.2f}x"),
            Target(
                "pip-tools resolver no slower than sequential pip-compile",
                piptools_speedup >= 1,
                f"{piptools_speedup:.2f}x",
            ),
        ),
        notes=tuple(notes),
    )


def lock_vs_uv(bench: Bench, index: str = "fake index, metadata cached") -> Section:
    """``sprintlock lock --all`` (uv resolver) beside ``uv lock`` on the same requirement sets
    as dependency groups and a sequential ``uv pip compile`` per layer (caches warm)."""
    cheap = bench.repeats.cheap
    layers = len(bench.layers)
    scratch = measure(
        "sprintlock lock --all, no locks yet", cheap, lambda: bench.fresh("default"), bench.sprintlock_lock
    )
    relock = measure(
        "sprintlock lock --all, locks present, inputs unchanged", cheap, bench.locked("default"), bench.sprintlock_lock
    )
    uv_lock = measure("uv lock, no uv.lock yet", cheap, bench.fresh_dependency_groups, bench.uv_lock)
    uv_relock = measure("uv lock, uv.lock present, inputs unchanged", cheap, bench.uv_locked, bench.uv_lock)
    sequential = measure(
        f"sequential uv pip compile --universal ({layers} files)",
        cheap,
        lambda: bench.fresh("default"),
        bench.uv_pip_compile,
    )
    timings = (scratch, relock, uv_lock, uv_relock, sequential)
    return Section(
        title=f"lock --all beside uv lock, {layers} layers, {index} (median of {cheap})",
        ratio_header="time / uv lock (no lock yet)",
        rows=tuple(Row(t, t.median / uv_lock.median) for t in timings),
        targets=(
            Target(
                "lock --all no slower than uv lock (no lock yet)",
                scratch.median <= uv_lock.median,
                f"{scratch.median / uv_lock.median:.2f}x",
            ),
            Target(
                "lock --all no slower than sequential uv pip compile",
                scratch.median <= sequential.median,
                f"{scratch.median / sequential.median:.2f}x",
            ),
        ),
        notes=(
            "uv lock resolves the same requirement sets as [dependency-groups] (-r NAME.txt as include-group), "
            "the project's dependencies included; tests-min's exact pins hold for every group there, "
            "while sprintlock locks that frozen layer on its own",
        ),
    )


def render(section: Section) -> str:
    lines = [
        f"### {section.title}",
        "",
        f"| measurement | median s | min s | runs (s) | {section.ratio_header} |",
        "| --- | ---: | ---: | --- | ---: |",
    ]
    for row in section.rows:
        timing = row.timing
        runs = " ".join(f"{s:.3f}" for s in timing.samples)
        lines.append(
            f"| {timing.label} | {timing.median:.3f} | {min(timing.samples):.3f} | {runs} | {row.ratio:.2f}x |"
        )
    lines.append("")
    lines += [f"- target: {t.text}: {'yes' if t.met else 'NO'} ({t.detail})" for t in section.targets]
    lines += [f"- note: {note}" for note in section.notes]
    return "\n".join(lines) + "\n"


def found_pythons(versions: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """The ``versions`` whose ``pythonX.Y`` runs here (pyenv shims of inactive versions do not)."""
    found = []
    for wanted in versions:
        exe = shutil.which(f"python{wanted}", path=env["PATH"])
        if exe is None:
            continue
        probe = subprocess.run(
            [exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            env=dict(env),
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == wanted:
            found.append(wanted)
    return found


def machine(tools: Tools, cwd: Path) -> str:
    """The machine and tool versions the figures were measured with."""
    uv = tools.run(["uv", "--version"], cwd).strip()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"measured: {when}\n"
        f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}\n"
        f"tools: sprintlock {version('sprintlock')}, pip-tools {version('pip-tools')}, "
        f"pip {version('pip')}, {uv}, pip-compile-multi {version('pip-compile-multi')}\n"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (3 cheap, 1 expensive)")
    parser.add_argument(
        "--real-index",
        action="store_true",
        help="only lock --all beside uv lock, on flask's requirement sets against the configured (real) index",
    )
    return parser.parse_args(argv)


def setup(root: Path, repeats: Repeats) -> tuple[Bench, list[str]]:
    """Build the index and the project templates; return the bench and the multi targets."""
    simple = build_fake_index(root / "index")
    (root / "scratch").mkdir()
    env = scrubbed_env(simple, root / "scratch")
    bench = Bench(root, Tools(env), repeats)
    multi_target = found_pythons(MULTI_TARGET, env)
    one_target = {"resolver": '"pip-tools"', "python": f'["{CURRENT}"]', "platforms": f'["{PLATFORM}"]'}
    bench.template("default", {})  # the uv resolver; pip-compile reads the same files
    bench.template("pip-tools", one_target)
    targets = ", ".join(f'"{v}"' for v in multi_target)
    bench.template("pip-tools-multi", {**one_target, "python": f"[{targets}]"})
    return bench, multi_target


def real_index(root: Path, repeats: Repeats) -> Section:
    """``lock --all`` beside ``uv lock`` on flask's sets, against the index this machine is
    configured with (the network); caches are the benchmark's own, warmed by the first run."""
    scratch = root / "scratch"
    scratch.mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("SPRINTLOCK_", "UV_CACHE"))}
    env.update(
        XDG_CACHE_HOME=str(scratch / "cache"),
        UV_CACHE_DIR=str(scratch / "cache" / "uv"),
        SPRINTLOCK_CACHE_DIR=str(scratch / "cache" / "sprintlock"),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    bench = Bench(root, Tools(env), repeats, FLASK_LAYERS, FLASK_DEPENDENCIES)
    bench.template("default", {})
    return lock_vs_uv(bench, "real index, caches warm")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repeats = Repeats(cheap=3, expensive=1) if args.quick else Repeats(cheap=5, expensive=3)
    if args.real_index:
        with tempfile.TemporaryDirectory(prefix="slbench-") as tmp:
            print(render(real_index(Path(tmp), repeats)), flush=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="slbench-") as tmp:
        bench, multi_target = setup(Path(tmp), repeats)
        print(machine(bench.tools, Path(tmp)))
        print(f"inputs: {len(LAYERS)} layers ({', '.join(compile_order())}), fake index in {tmp}\n", flush=True)
        sections: list[Callable[[], Section]] = [
            lambda: freshness(bench),
            lambda: lock_vs_uv(bench),
            lambda: lock_all(bench, multi_target),
        ]
        for section in sections:
            print(render(section()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
