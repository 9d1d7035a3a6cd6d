"""How the cost of ``check`` and ``lock --all`` grows with layers and packages, beside uv and pip-compile.

    python benchmarks/scale.py [--quick] [--sizes 5x50,20x200,50x500] [--repeat N] [--pip-compile-layers N]

For each size (LAYERSxPACKAGES) it generates a fake index of PACKAGES tiny wheels (two
versions each, a dependency graph with a few ``python_version`` markers; built with the
test suite's ``tests/wheelhouse.py``) and a project of LAYERS ``requirements/*.in`` files
that together need every package (each fifth layer includes the one before it, ``-r``).
The same sets are written as PEP 735 dependency groups for ``uv lock``. Then, in one run,
interleaved round-robin so that a busy machine slows every row alike, it measures:

- the freshness check: a plain Python script that reads ``pyproject.toml`` and hashes every
  ``.in``/``.txt`` (the floor), ``sprintlock check`` answered from its memo (the files did
  not change since the last passing check: the pre-commit hook's usual case), ``sprintlock
  check`` with no memo (after a checkout or a pull: the locks' headers answer), ``sprintlock
  check --json`` with no memo (the full check: parse, fingerprint, compare), ``uv lock --check``;
- locking every layer from no lock (metadata cached): ``sprintlock lock --all``, ``uv lock``
  of the groups, and a sequential ``uv pip compile`` and ``pip-compile`` of each ``.in`` in
  dependency order.

Everything runs offline in a temporary folder with the machine's pip and uv configuration
scrubbed (benchmarks/_tools.py). Figures are printed as Markdown, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from _tools import BenchmarkError, Timing, Tools, assert_no_leak, scrubbed_env

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

# ``mypy benchmarks`` alone cannot see tests/ (plain ``mypy`` checks both and types this import).
from wheelhouse import Dist, build_index  # type: ignore[import-not-found, unused-ignore]

PIP_COMPILE = ("pip-compile", "--generate-hashes", "--allow-unsafe", "--strip-extras", "--quiet")
#: ``uv pip compile`` as sprintlock runs it: universal, hashed, for the lowest target, the interpreter named.
UV_PIP_COMPILE = ("uv", "pip", "compile", "--universal", "--generate-hashes", "--quiet", "--no-progress")
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
DEFAULT_SIZES = "5x50,20x200,50x500"
#: The floor: what any check must do at least (read the configuration, hash every input and lock).
FLOOR = """\
import hashlib, tomllib
from pathlib import Path
tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
for path in sorted(Path("requirements").iterdir()):
    if path.suffix in (".in", ".txt"):
        hashlib.sha256(path.read_bytes()).hexdigest()
"""


@dataclass(frozen=True)
class Size:
    layers: int
    packages: int

    @property
    def label(self) -> str:
        return f"{self.layers} layers, {self.packages} packages"


def parse_sizes(text: str) -> list[Size]:
    sizes = []
    for item in text.split(","):
        layers, _, packages = item.partition("x")
        sizes.append(Size(int(layers), int(packages)))
    return sizes


# --- Inputs ------------------------------------------------------------------------------


def package(index: int) -> str:
    return f"pkg-{index:03d}"


def graph(size: Size) -> Iterator[Dist]:
    """``size.packages`` projects of two versions; most depend on one or two later ones (picked by a
    fixed arithmetic rule, so every run builds the same graph), a tenth of those dependencies only
    below Python 3.11 (as ``tomli`` and ``exceptiongroup`` are)."""
    for index in range(size.packages):
        later = size.packages - index - 1
        picks = sorted({index + 1 + (index * 37 + step * 101) % later for step in range(index % 3)} if later else set())
        requires = tuple(
            f"{package(dep)}>=1.0" + ('; python_version < "3.11"' if (index + dep) % 10 == 0 else "") for dep in picks
        )
        for version in ("1.0", "1.1"):
            yield Dist(package(index), version, requires)


def layer_name(index: int) -> str:
    return f"layer-{index:02d}"


def layer_inputs(size: Size) -> dict[str, list[str]]:
    """Each layer's lines: its share of the packages (every package is in one layer), and
    ``-r`` of the layer before it for every fifth layer."""
    inputs: dict[str, list[str]] = {layer_name(k): [] for k in range(size.layers)}
    for index in range(size.packages):
        inputs[layer_name(index % size.layers)].append(package(index))
    for k in range(5, size.layers, 5):
        inputs[layer_name(k)].insert(0, f"-r {layer_name(k - 1)}.txt")
    return inputs


def write_projects(root: Path, size: Size) -> tuple[Path, Path]:
    """The ``.in`` project (sprintlock, pip-compile) and the dependency-groups project (uv)."""
    inputs = layer_inputs(size)
    pythons = ", ".join(f'"{v}"' for v in PYTHONS)
    head = '[project]\nname = "scaledemo"\nversion = "1.0"\nrequires-python = ">=3.10"\ndependencies = []\n'
    sprintlock = root / "sprintlock"
    (sprintlock / "requirements").mkdir(parents=True)
    (sprintlock / "pyproject.toml").write_text(f"{head}\n[tool.sprintlock]\npython = [{pythons}]\n")
    for name, lines in inputs.items():
        (sprintlock / "requirements" / f"{name}.in").write_text("".join(f"{line}\n" for line in lines))
    groups = ["\n[dependency-groups]"]
    for name, lines in inputs.items():
        items = [
            f'{{include-group = "{line.split()[1].removesuffix(".txt")}"}}' if line.startswith("-r ") else f'"{line}"'
            for line in lines
        ]
        groups.append(f"{name} = [{', '.join(items)}]")
    uv = root / "uv"
    uv.mkdir()
    (uv / "pyproject.toml").write_text(head + "\n".join(groups) + "\n")
    return sprintlock, uv


def compile_order(size: Size) -> list[str]:
    return [layer_name(k) for k in range(size.layers)]  # a layer includes only the one before it


# --- Measuring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    label: str
    action: Callable[[], object]
    prepare: Callable[[], object] = lambda: None


def interleaved(specs: Sequence[Spec], repeat: int) -> list[Timing]:
    """Time each action ``repeat`` times round-robin, after one untimed run of each; ``prepare`` is not timed."""
    for spec in specs:
        spec.prepare()
        spec.action()
    samples: list[list[float]] = [[] for _ in specs]
    for _ in range(repeat):
        for spec, times in zip(specs, samples, strict=True):
            spec.prepare()
            start = time.perf_counter()
            spec.action()
            times.append(time.perf_counter() - start)
    return [Timing(spec.label, tuple(times)) for spec, times in zip(specs, samples, strict=True)]


@dataclass
class Scale:
    tools: Tools
    sprintlock: Path
    uv: Path
    size: Size
    scratch: Path

    def run(self, args: Sequence[str], cwd: Path, **env: str) -> str:
        if not env:
            return self.tools.run(args, cwd)
        return Tools({**self.tools.env, **env}).run(args, cwd)

    def remove_locks(self) -> None:
        for lock in (self.sprintlock / "requirements").glob("*.txt"):
            lock.unlink()

    def pip_compile(self) -> None:
        for name in compile_order(self.size):
            self.run([*PIP_COMPILE, "-o", f"pip-compile/{name}.txt", f"requirements/{name}.in"], self.sprintlock)

    def remove_pip_compile(self) -> None:
        shutil.rmtree(self.sprintlock / "pip-compile", ignore_errors=True)
        (self.sprintlock / "pip-compile").mkdir()

    def uv_pip_compile(self) -> None:
        """One ``uv pip compile`` per layer, in dependency order: what a project without sprintlock runs."""
        interpreter = ("--python-version", PYTHONS[0], "--python", sys.executable, "--no-python-downloads")
        for name in compile_order(self.size):
            files = (f"requirements/{name}.in", "-o", f"uv/{name}.txt")
            self.run([*UV_PIP_COMPILE, *interpreter, *files], self.sprintlock)

    def remove_uv_pip_compile(self) -> None:
        shutil.rmtree(self.sprintlock / "uv", ignore_errors=True)

    def no_memo(self) -> dict[str, str]:
        """A cache folder that cannot be created (a file is in the way): no memo is read or written."""
        blocker = self.scratch / "no-cache"
        blocker.touch()
        return {"SPRINTLOCK_CACHE_DIR": str(blocker / "sprintlock")}

    def check_specs(self) -> list[Spec]:
        floor = self.scratch / "floor.py"
        floor.write_text(FLOOR)
        python = str(Path(sys.executable))
        return [
            Spec("python script: read pyproject.toml, hash every .in/.txt (floor)", lambda: self.run_python(floor)),
            Spec(
                "sprintlock check (memo: files unchanged)", lambda: self.run(["sprintlock", "check"], self.sprintlock)
            ),
            Spec(
                "sprintlock check (no memo: the locks' headers answer)",
                lambda: self.run(["sprintlock", "check"], self.sprintlock, **self.no_memo()),
            ),
            Spec(
                "sprintlock check --json (no memo: the full check)",
                lambda: self.run(["sprintlock", "check", "--json"], self.sprintlock, **self.no_memo()),
            ),
            Spec("uv lock --check", lambda: self.run(["uv", "lock", "--check", "--python", python], self.uv)),
        ]

    def run_python(self, script: Path) -> None:
        self.run(["python", str(script)], self.sprintlock)

    def lock_specs(self, *, pip_compile: bool) -> list[Spec]:
        python = str(Path(sys.executable))
        specs = [
            Spec("sprintlock lock --all", lambda: self.run(["sprintlock", "lock", "--all"], self.sprintlock)),
            Spec(
                "uv lock (the layers as dependency groups)",
                lambda: self.run(["uv", "lock", "--python", python], self.uv),
                lambda: (self.uv / "uv.lock").unlink(missing_ok=True),
            ),
            Spec(
                f"sequential uv pip compile ({self.size.layers} files)", self.uv_pip_compile, self.remove_uv_pip_compile
            ),
        ]
        if pip_compile:
            specs.append(
                Spec(f"sequential pip-compile ({self.size.layers} files)", self.pip_compile, self.remove_pip_compile)
            )
        return specs


def pinned(folder: Path) -> int:
    """How many packages the locks in ``folder`` pin, all layers together (each name once)."""
    names = set()
    for lock in folder.glob("*.txt"):
        for line in lock.read_text(encoding="utf-8").splitlines():
            if "==" in line and not line.startswith(("#", " ", "-")):
                names.add(line.split("==")[0])
    return len(names)


def measure_size(root: Path, size: Size, repeat: int, *, pip_compile: bool) -> tuple[list[Timing], list[Timing], int]:
    simple = build_index(root / "index", graph(size))
    (root / "scratch").mkdir()
    tools = Tools(scrubbed_env(simple, root / "scratch"))
    sprintlock, uv = write_projects(root, size)
    scale = Scale(tools, sprintlock, uv, size, root / "scratch")
    python = str(Path(sys.executable))
    scale.run(["sprintlock", "lock", "--all"], sprintlock)
    assert_no_leak(sprintlock / "requirements")
    scale.run(["uv", "lock", "--python", python], uv)
    count = pinned(sprintlock / "requirements")
    checks = interleaved(scale.check_specs(), repeat * 4)
    locks = interleaved(scale.lock_specs(pip_compile=pip_compile), repeat)
    scale.run(["sprintlock", "check"], sprintlock)  # the locks written last are fresh
    return checks, locks, count


# --- Output ------------------------------------------------------------------------------


def detail(size: Size, checks: Sequence[Timing], locks: Sequence[Timing], count: int) -> str:
    floor = checks[0].median
    lines = [
        f"### {size.label} ({count} pinned by sprintlock)",
        "",
        "| measurement | median s | min s | runs (s) | ratio |",
        "| --- | ---: | ---: | --- | ---: |",
    ]
    for timing in checks:
        lines.append(_line(timing, f"{timing.median / floor:.2f}x floor"))
    reference = locks[1].median
    for timing in locks:
        lines.append(_line(timing, f"{timing.median / reference:.2f}x uv lock"))
    return "\n".join(lines) + "\n"


def _line(timing: Timing, ratio: str) -> str:
    runs = " ".join(f"{s:.3f}" for s in timing.samples)
    return f"| {timing.label} | {timing.median:.3f} | {min(timing.samples):.3f} | {runs} | {ratio} |"


def summary(results: Sequence[tuple[Size, list[Timing], list[Timing], int]]) -> str:
    lines = [
        "| layers | packages (pinned) | floor script | check (memo) | check (headers) | check (full) | uv lock --check "
        "| lock --all | uv lock | sequential uv pip compile | sequential pip-compile |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, checks, locks, count in results:
        cells = [f"{t.median:.3f} s" for t in checks]
        cells += [f"{t.median:.2f} s" for t in locks]
        if len(locks) < 4:
            cells.append("not run (minutes)")
        lines.append(f"| {size.layers} | {size.packages} ({count}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 lock repetition, 4 check repetitions")
    parser.add_argument("--repeat", type=int, metavar="N", help="lock repetitions (default 3, --quick 1)")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"LAYERSxPACKAGES,... (default {DEFAULT_SIZES})")
    parser.add_argument(
        "--pip-compile-layers",
        type=int,
        default=20,
        metavar="N",
        help="run sequential pip-compile only up to N layers (default 20: it takes minutes beyond; 0: never)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    results = []
    try:
        for size in parse_sizes(args.sizes):
            with tempfile.TemporaryDirectory(prefix="slbench-scale-") as tmp:
                pip_compile = size.layers <= args.pip_compile_layers
                checks, locks, count = measure_size(Path(tmp), size, repeat, pip_compile=pip_compile)
            results.append((size, checks, locks, count))
            print(detail(size, checks, locks, count), flush=True)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    print("### Scale: median seconds (warm caches, offline)\n")
    print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
