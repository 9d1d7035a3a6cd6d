# /// script
# dependencies = [
#   "nox[uv]==2026.10.20",
#   "dependency-groups>=1.3",
#   "filelock>=3.16",
#   "json-five>=1.1",
#   "packaging>=26",
#   "pip-tools>=7.4",
#   "pyyaml>=6",
#   "ruamel.yaml>=0.18",
#   "tomli>=2; python_version < '3.11'",
#   "tomlkit>=0.13",
#   "uv>=0.5",
# ]
# ///
"""sprintlock's own sessions: each environment is exactly a lock (hash-checked) plus sprintlock.

sprintlock is its own first user. It is not on an index yet, so this noxfile imports
the checkout's sprintlock: the header above lists nox and then exactly the
[project] dependencies of pyproject.toml (a test keeps the two equal).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent / "src"))

import sprintlock.nox  # after the sys.path line: the checkout's sprintlock

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["check", "docs", "doctor", "lint", "tests", "typing"]

# Every Python sprintlock supports: the locks' targets ([tool.sprintlock] python).
PYTHONS = sprintlock.nox.pythons()
SPRINTLOCK = (sys.executable, "-m", "sprintlock")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite on every core (offline; pass -m network for the real-index tests)."""
    sprintlock.nox.install(session, "tests")
    session.run("pytest", "--numprocesses", "auto", *session.posargs)


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over src, tests, benchmarks and this noxfile."""
    sprintlock.nox.install(session, "typing")
    session.run("mypy", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Run the pre-commit hooks (ruff, mypy, sprintlock check) on every file."""
    sprintlock.nox.install(session, "lint")
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build the sdist and wheel into dist/ from the build lock (publish.yml too)."""
    sprintlock.nox.install(session, "build", project=False)
    session.run("python", "-m", "build", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Offline: are the locks fresh, consistent, hashed and covering their targets?"""
    sprintlock.nox.install(session, "tests")
    session.run("sprintlock", "check")


@nox.session
def doctor(session: nox.Session) -> None:
    """Offline: does this repository follow the standard layout (files, pins, matrix, references)?"""
    sprintlock.nox.install(session, "tests")
    session.run("sprintlock", "doctor", *session.posargs)


@nox.session
def lock(session: nox.Session) -> None:
    """Recompile the stale locks (pass --all to recompile every one)."""
    sprintlock.nox.install(session, "tests")
    session.run("sprintlock", "lock", *session.posargs)


@nox.session
def upgrade(session: nox.Session) -> None:
    """Upgrade every pin, hook and action (or only the packages after --), with a report."""
    sprintlock.nox.install(session, "dev")  # pre-commit refreshes the hook pins
    pins = [] if session.posargs else ["--pins"]
    report = ["--report", "upgrade-report.md", "--json", "upgrade-report.json"]
    session.run("sprintlock", "upgrade", *pins, *session.posargs, *report)


@nox.session(name="upgrade-pr", python=False)
def upgrade_pr(session: nox.Session) -> None:
    """Open or update the one upgrade pull request (CI; body: the report)."""
    session.run(*SPRINTLOCK, "upgrade-pr", *session.posargs, env={"PYTHONPATH": "src"})


@nox.session(python=False)
def dev(session: nox.Session) -> None:
    """Create .venv: the dev lock, sprintlock editable, pre-commit hooks installed."""
    session.run(*SPRINTLOCK, "dev", env={"PYTHONPATH": "src"})


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation into build/docs (Sphinx, MyST); every warning is an error."""
    sprintlock.nox.install(session, "docs")
    args = session.posargs or ["--builder", "html", "docs", "build/docs"]
    session.run("sphinx-build", "--fail-on-warning", "--keep-going", *args)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: sprintlock beside pip-compile, pip-compile-multi, nox -R and tox."""
    sprintlock.nox.install(session, "bench")
    session.run("python", "benchmarks/run.py", *session.posargs)
    if "--real-index" in session.posargs:  # flask's sets against the real index: that section alone
        return
    session.run("python", "benchmarks/envs.py", *session.posargs)
    session.run("python", "benchmarks/scale.py", *session.posargs)
