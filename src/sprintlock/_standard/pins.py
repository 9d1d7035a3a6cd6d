"""Pinned revisions written into generated files: pre-commit hook repositories and GitHub Actions.

Each pin is a full commit SHA with the tag it was resolved from. GitHub is not reachable
where these were recorded: every tag -> SHA pair was cross-checked in several public
repositories' ``.pre-commit-config.yaml`` files and workflows (found with a code search),
and ``nox -s upgrade`` refreshes them in generated projects (``pre-commit autoupdate
--freeze`` for hooks, ``git ls-remote --tags`` for actions), reporting each move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A full commit SHA: the only pin that cannot be moved to other code.
SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class Pinned:
    """A repository (``owner/name`` on GitHub) at a commit, with the tag it was resolved from."""

    repo: str
    sha: str
    tag: str

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repo}"


#: astral-sh/ruff-pre-commit v0.15.9 (frozen SHA as ``pre-commit autoupdate --freeze`` writes it,
#: seen in several public .pre-commit-config.yaml files). Hook ids: ruff-check, ruff-format.
RUFF_PRE_COMMIT = Pinned("astral-sh/ruff-pre-commit", "c60c980e561ed3e73101667fe8365c609d19a438", "v0.15.9")
#: pre-commit/pre-commit-hooks v6.0.0 (the SHA recorded in many public configs and pin tables).
PRE_COMMIT_HOOKS = Pinned("pre-commit/pre-commit-hooks", "3e8a8703264a2f4a69428a0aa4dcb512790b2c8c", "v6.0.0")

#: actions/checkout v5.0.0 (public workflows and pin tables, e.g. "actions/checkout@08c6... # v5.0.0").
CHECKOUT = Pinned("actions/checkout", "08c6903cd8c0fde910a37f88322edcfb5dd907a8", "v5.0.0")
#: actions/setup-python v6.0.0 (public workflows and Dependabot compare links).
SETUP_PYTHON = Pinned("actions/setup-python", "e797f83bcb11b83ae66e0230d6156d7c80228e7c", "v6.0.0")
#: actions/upload-artifact v7.0.1 and actions/download-artifact v8.0.1 (public workflows and pin
#: tables; both use the artifact service of upload-artifact v4 and later, so they work together).
UPLOAD_ARTIFACT = Pinned("actions/upload-artifact", "043fb46d1a93c77aae656e7c1c64a875d1fc6a0a", "v7.0.1")
DOWNLOAD_ARTIFACT = Pinned("actions/download-artifact", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1")
#: actions/attest-build-provenance v3.2.0 (the same pair in several public release workflows and tests).
ATTEST_BUILD_PROVENANCE = Pinned(
    "actions/attest-build-provenance", "96278af6caaf10aea03fd8d33a09a777ca52d62f", "v3.2.0"
)
#: pypa/gh-action-pypi-publish v1.14.2 (public publish workflows and pin tables).
PYPI_PUBLISH = Pinned("pypa/gh-action-pypi-publish", "dc37677b2e1c63e2034f94d8a5b11f265b73ba33", "v1.14.2")

#: The id of sprintlock's check hook (as exported by its .pre-commit-hooks.yaml).
SPRINTLOCK_HOOK = "sprintlock-check"

#: Python minor versions with a ``mcr.microsoft.com/devcontainers/python:X.Y`` image.
DEVCONTAINER_PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
DEVCONTAINER_IMAGE = "mcr.microsoft.com/devcontainers/python"
