"""``requirements/NAME.in``: the inputs ``sprintlock init`` writes, one per purpose the project has.

A layer is written only when the project uses it (see :mod:`sprintlock._scaffold.detect`):
``tests`` and ``build`` always, ``typing`` with a type checker, ``docs`` with Sphinx or
MkDocs; ``dev`` (the contributor's ``.venv``) includes every other layer but ``build``.
An existing input is the user's: kept as it is, and its lock is compiled from it. A layer
that is a dependency group of pyproject.toml gets no ``.in`` file: the group is its input.
Doctor checks the inputs with the locks (:mod:`sprintlock._doctor.locks`).
"""

from __future__ import annotations

from sprintlock._standard.context import Context, Detected
from sprintlock._standard.spec import StandardFile

#: The folder of the inputs and their locks, unless ``requirements`` in [tool.sprintlock] says otherwise.
FOLDER = "requirements"
#: Every layer init may write, in the order it writes them.
LAYERS = ("tests", "typing", "docs", "build", "dev")


def infiles(detected: Detected) -> dict[str, str]:
    """``requirements/NAME.in`` texts, by layer name, for what the project uses.

    A layer that is a dependency group (``[dependency-groups]`` in pyproject.toml) gets no
    ``.in`` file: the group is its input. ``dev`` includes the standard layers either way.
    """
    standard = {
        "tests": "# What `nox -s tests` needs; the project's own dependencies come from pyproject.toml.\npytest\n",
    }
    if detected.checkers:
        standard["typing"] = (
            "# What `nox -s typing` needs: the type checkers, and the test tools so tests/ type-checks.\n"
            "-r tests.txt\n" + "".join(f"{checker}\n" for checker in detected.checkers)
        )
    if detected.docs:
        builder = "sphinx" if detected.docs == "sphinx" else "mkdocs"
        named = "".join(f"{package}\n" for package in detected.docs_packages)
        standard["docs"] = f"# What `nox -s docs` needs.\n{builder}\n{named}"
    standard["build"] = "# What builds the sdist and wheel (python -m build).\nbuild\n"
    dev = "".join(f"-r {name}.txt\n" for name in standard if name not in ("build",))
    standard["dev"] = (
        "# The contributor's .venv (`nox -s dev`): every tool above, plus pre-commit for `nox -s lint`.\n"
        + dev
        + "pre-commit\n"
    )
    return {name: text for name, text in standard.items() if name not in detected.groups}


def _infile(layer: str) -> StandardFile:
    def render(context: Context) -> str:
        return infiles(context.detected)[layer]

    def wanted(context: Context) -> bool:
        return layer in infiles(context.detected)

    def place(context: Context) -> str:
        return f"{context.requirements}/{layer}.in"

    return StandardFile(path=f"{FOLDER}/{layer}.in", render=render, differing="keep", wanted=wanted, place=place)


#: One entry per layer (only those the project uses are written).
FILES = tuple(_infile(layer) for layer in LAYERS)
