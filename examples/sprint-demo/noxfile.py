"""The example's sessions: each environment is exactly its lock (hash-checked) plus the project.

Run from the folder where sprintlock and nox are installed (see sprintlock's README):
``python3 -m nox -f examples/sprint-demo/noxfile.py -s tests``.
"""

from __future__ import annotations

import nox

import sprintlock.nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"


@nox.session
def tests(session: nox.Session) -> None:
    """The tests, in an environment that is exactly requirements/tests.txt plus the project."""
    sprintlock.nox.install(session, "tests")
    session.run("pytest", *session.posargs)
