# /// script
# dependencies = ["nox[uv]==2026.10.20"]
# ///
"""sprintlock's own sessions: every environment is installed from a lock, hash-checked."""

from __future__ import annotations

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["check", "lint", "tests"]

PYTHONS = ["3.11", "3.12", "3.13"]


def install_lock(session: nox.Session, layer: str, *, project: bool = True) -> None:
    """Install ``requirements/LAYER.txt`` exactly (hashes, no dependency resolution)."""
    session.install("--require-hashes", "--no-deps", "-r", f"requirements/{layer}.txt")
    if project:
        session.install("--no-deps", "-e", ".")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite (offline; pass -m network for the real-index tests)."""
    install_lock(session, "tests")
    session.run("pytest", *session.posargs)


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over src, tests, benchmarks and this noxfile."""
    install_lock(session, "typing")
    session.run("mypy", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Run the pre-commit hooks (ruff, mypy, sprintlock check) on every file."""
    install_lock(session, "lint")
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Offline: are the locks fresh, consistent, hashed and covering their targets?"""
    install_lock(session, "tests")
    session.run("sprintlock", "check")


@nox.session
def lock(session: nox.Session) -> None:
    """Recompile the stale locks (pass --all to recompile every one)."""
    install_lock(session, "tests")
    session.run("sprintlock", "lock", *session.posargs)


@nox.session
def upgrade(session: nox.Session) -> None:
    """Upgrade every pin (or the packages given after --) and write the change report."""
    install_lock(session, "tests")
    session.run(
        "sprintlock", "upgrade", *session.posargs, "--report", "upgrade-report.md", "--json", "upgrade-report.json"
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: sprintlock beside pip-compile and pip-compile-multi, figures side by side."""
    install_lock(session, "bench")
    session.run("python", "benchmarks/run.py", *session.posargs)
