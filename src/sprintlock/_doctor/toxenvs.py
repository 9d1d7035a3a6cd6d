"""What pip would refuse: tox environments (and requirements files) whose ``-r`` files cannot install together.

tox installs an environment's ``deps`` in one pip run (factor conditions applied, see
:mod:`sprintlock._inspect.toxenvs`), reading every ``-r`` file it names, and the files
they name. Two things make that run fail however fresh each lock is:

- ``tox-conflict``: two lines pin one package at different versions for the environment's
  Python (``Cannot install click==8.1.3 and click==8.5.1``): a complete minimum-versions
  lock beside the main one;
- ``tox-hash-mix``: some lines carry hashes and others do not (unhashed archive URLs, a
  plain ``pytest-cov``, ``-e .``): one hashed line turns on pip's hash-checking mode, which
  then refuses every line without a hash. The same holds for a requirements file that is no
  lock (``requirements/local.txt``: ``-r tests.txt`` plus ``ipython``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from sprintlock._core.known import PLATFORMS
from sprintlock._core.markers import environment, evaluate
from sprintlock._core.text import logical_lines
from sprintlock._inspect.findings import CodeName
from sprintlock._inspect.repo import Repo
from sprintlock._inspect.toxenvs import ToxEnv, environments, requirement_file
from sprintlock._standard.toxini import PATH as TOX_INI

#: The packages a message names at most (the rest are counted).
_SHOWN = 3


@dataclass(frozen=True)
class _Pin:
    name: str
    version: str
    marker: str | None
    file: str


@dataclass
class _Install:
    """What one pip run installs: its pins, and which sources have hashed or unhashed lines."""

    pins: list[_Pin] = field(default_factory=list)
    hashed: dict[str, None] = field(default_factory=dict)
    unhashed: dict[str, None] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    @property
    def mixed(self) -> bool:
        return bool(self.hashed) and bool(self.unhashed)

    def line(self, source: str, text: str) -> None:
        """One requirement line (a name, a URL, ``-e PATH``), its ``--hash`` options included."""
        requirement, _, _ = text.partition(" --hash")
        (self.hashed if "--hash" in text else self.unhashed)[source] = None
        pin = _pin(requirement.strip(), source)
        if pin is not None:
            self.pins.append(pin)

    def file(self, repo: Repo, relative: str) -> None:
        """Every line of ``relative`` and of the files it names (``-r``), each file once."""
        relative = posixpath.normpath(relative)
        if relative in self.seen:
            return
        self.seen.add(relative)
        text = repo.read(relative)
        if text is None:
            return  # `dangling-path` reports a missing one
        for _, line in logical_lines(text.splitlines()):
            line = _without_comment(line)
            nested = requirement_file(line)
            if nested is not None:
                self.file(repo, posixpath.join(posixpath.dirname(relative), nested))
            elif line and (not line.startswith("-") or line.startswith(("-e ", "--editable"))):
                self.line(relative, line)


def _without_comment(line: str) -> str:
    if line.startswith("#"):
        return ""
    cut = line.find(" #")
    return (line[:cut] if cut >= 0 else line).strip()


def _pin(text: str, source: str) -> _Pin | None:
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None  # an archive URL, an editable path: installable, not a pin
    specs = list(requirement.specifier)
    if len(specs) != 1 or specs[0].operator not in ("==", "===") or "*" in specs[0].version:
        return None
    marker = str(requirement.marker) if requirement.marker else None
    return _Pin(canonicalize_name(requirement.name), specs[0].version, marker, source)


def _install(repo: Repo, env: ToxEnv) -> _Install:
    install = _Install()
    for dep in env.deps:
        path = requirement_file(dep.value)
        if path is not None:
            install.file(repo, path)
        elif not dep.value.startswith("-") or dep.value.startswith(("-e ", "--editable")):
            install.line(f"`{dep.value}`", dep.value)
    return install


def _environments(repo: Repo, env: ToxEnv) -> list[dict[str, str]]:
    """The marker environments the tox environment may run in: its Python's, on each target platform."""
    targets = repo.project.config.targets if repo.project is not None else None
    platforms = targets.platforms if targets is not None and targets.platforms else PLATFORMS
    pythons = [env.python] if env.python else list(targets.pythons if targets is not None else ()) or ["3.12"]
    return [environment(python, platform) for python in pythons for platform in platforms]


def conflicts(pins: Iterable[_Pin], environments: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """For each package pinned at two versions in one of ``environments``: ``{version: file}``."""
    by_name: dict[str, list[_Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
    found: dict[str, dict[str, str]] = {}
    for name, candidates in sorted(by_name.items()):
        if len({pin.version for pin in candidates}) < 2:
            continue
        for marker_env in environments:
            chosen = {pin.version: pin.file for pin in candidates if evaluate(pin.marker, marker_env)}
            if len(chosen) > 1:
                found[name] = chosen
                break
    return found


def _shown(found: Mapping[str, Mapping[str, str]]) -> str:
    parts = [
        f"{name} " + " and ".join(f"{version} ({file})" for version, file in sorted(versions.items()))
        for name, versions in list(found.items())[:_SHOWN]
    ]
    more = len(found) - _SHOWN
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


@dataclass
class _Reported:
    """Findings of one kind and wording, gathered over environments (py3{13,12,11} share one)."""

    envs: dict[tuple[CodeName, str, int | None], list[str]] = field(default_factory=dict)

    def add(self, kind: CodeName, message: str, line: int | None, env: str) -> None:
        self.envs.setdefault((kind, message, line), []).append(env)


_CONFLICT_FIX = (
    "give each environment one complete lock: put factor conditions on the deps lines "
    "(`!min: -r requirements/tests.txt`, `min: -r requirements/tests-min.txt`; a minimum-versions lock "
    "`BASE-min.txt` already holds the tools of `BASE.in`); `sprintlock init` adds them"
)
_MIX_FIX = (
    "install the unhashed files without the hashed lock (`!dev: -r requirements/tests.txt`, "
    "`dev: -r requirements/tests.in` and `dev: -r requirements/tests-dev.txt`), or add what they install to a "
    "layer's .in and lock it; `sprintlock init` adds the factor conditions"
)


def _check_env(repo: Repo, env: ToxEnv, reported: _Reported) -> None:
    install = _install(repo, env)
    line = env.deps[0].line if env.deps else None
    found = conflicts(install.pins, _environments(repo, env))
    if found:
        reported.add("tox-conflict", f"one pip run installs {_shown(found)}", line, env.name)
    if install.mixed:
        message = (
            f"one pip run installs hashed lines ({', '.join(install.hashed)}) and unhashed ones "
            f"({', '.join(install.unhashed)}): the hashes turn on pip's hash-checking mode, which refuses the others"
        )
        reported.add("tox-hash-mix", message, line, env.name)


def check_tox_envs(repo: Repo) -> None:
    """``tox-conflict`` and ``tox-hash-mix`` for every tox environment; ``tox-hash-mix`` for requirements files."""
    text = repo.read(TOX_INI)
    if text is not None:
        reported = _Reported()
        for env in environments(text):
            _check_env(repo, env, reported)
        for (kind, message, line), names in reported.envs.items():
            fix = _CONFLICT_FIX if kind == "tox-conflict" else _MIX_FIX
            label = "tox env" + ("s" if len(names) > 1 else "")
            repo.add(kind, TOX_INI, f"{label} {', '.join(names)}: {message}", fix, line)
    _check_requirement_files(repo)


def _check_requirement_files(repo: Repo) -> None:
    """A requirements file that is no lock (``requirements/local.txt``) and mixes hashed and unhashed lines."""
    folder = repo.root / repo.requirements
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.txt")):
        if path.stem in repo.layers:
            continue  # a lock: `check` judges it
        relative = f"{repo.requirements}/{path.name}"
        install = _Install()
        install.file(repo, relative)
        if install.mixed:
            repo.add(
                "tox-hash-mix",
                relative,
                f"installs hashed lines ({', '.join(install.hashed)}) with unhashed ones "
                f"({', '.join(install.unhashed)}): `pip install -r {relative}` refuses the unhashed ones",
                f"list what it adds in a layer's .in and lock it (then install that lock), or keep {relative} "
                "to files without hashes",
            )
