"""Every file of the standard layout, in the order ``sprintlock init`` reports them.

Each standard file has one module here that holds everything about it: its path (a
constant, declared once), how it is rendered, merged into the user's file, checked by
doctor and, where it has pins, how they are refreshed. The module ends with its
:class:`StandardFile` entry (or entries), and :data:`REGISTRY` lists them.
``sprintlock init`` (:func:`sprintlock._scaffold.init.plan`) loops over the registry to
plan what it writes; ``sprintlock doctor`` takes the missing-file list
(:func:`missing_file_purposes`) and the file checks (:func:`checks`) from it.

Adding a standard file (``.github/dependabot.yml``, say) is adding one module,
``_standard/dependabot.py``, that declares ``PATH``, renders the text from the
:class:`~sprintlock._standard.context.Context`, optionally merges into the user's file
(``adopt``) and checks it (``check``), and ends with
``FILE = StandardFile(path=PATH, purpose=..., render=..., check=...)``; then one line in
:data:`REGISTRY` below. Init writes it, ``--force`` accepts it, doctor reports it missing
(when it has a ``purpose``) and runs its check; ``tests/standard/test_standard_registry.py``
checks that its rendered text passes its own check.
"""

from __future__ import annotations

from sprintlock._standard import (
    dependabot,
    devcontainer,
    gitignore,
    noxfile,
    precommit,
    pyproject,
    requirements,
    toxini,
    workflows,
)
from sprintlock._standard.context import Context, Detected
from sprintlock._standard.spec import Check, Differing, Merge, StandardFile

__all__ = [
    "REGISTRY",
    "Check",
    "Context",
    "Detected",
    "Differing",
    "Merge",
    "StandardFile",
    "checks",
    "missing_file_purposes",
    "required_files",
]

REGISTRY: tuple[StandardFile, ...] = (
    noxfile.FILE,
    *requirements.FILES,
    toxini.FILE,
    devcontainer.JSON_FILE,
    devcontainer.SCRIPT_FILE,
    precommit.FILE,
    workflows.TESTS_FILE,
    workflows.UPGRADE_FILE,
    workflows.PUBLISH_FILE,
    pyproject.FILE,
    gitignore.FILE,
    dependabot.FILE,
)


def required_files() -> tuple[StandardFile, ...]:
    """The files doctor reports when missing (those with a ``purpose``)."""
    return tuple(entry for entry in REGISTRY if entry.purpose is not None)


def missing_file_purposes() -> dict[str, str]:
    """The files doctor reports when missing, each with what it is for."""
    return {entry.path: entry.purpose for entry in required_files() if entry.purpose is not None}


def checks() -> tuple[Check, ...]:
    """Doctor's checks of the standard files, in registry order, each once."""
    return tuple(dict.fromkeys(entry.check for entry in REGISTRY if entry.check is not None))
