"""``.gitignore``: what the sessions leave in the tree stays out of git.

``nox`` keeps its environments in ``.nox/``, ``sprintlock dev`` makes ``.venv/``,
``nox -s upgrade`` writes its change report next to the changes (the pull request's body,
never part of the commit), and ``nox -s docs`` builds into ``docs/_build/`` (Sphinx) or
``site/`` (MkDocs). A new project gets a ``.gitignore`` with these entries; an
existing one gets only the entries it lacks, appended as lines (nothing of the user's is
reordered or removed).
"""

from __future__ import annotations

from sprintlock._standard.context import Context
from sprintlock._standard.spec import Merge, StandardFile

PATH = ".gitignore"
#: What the standard sessions leave behind: nox's and the contributor's environments, the upgrade report.
ENTRIES = (".nox/", ".venv/", "upgrade-report.md", "upgrade-report.json")
HEADER = (
    "# Left by the sessions (nox environments, `sprintlock dev`, `nox -s upgrade`): written by `sprintlock init`.\n"
)


def _same(line: str) -> str:
    """A pattern as git matches it here: ``/.nox/``, ``.nox/`` and ``.nox`` all ignore the folder."""
    return line.strip().strip("/")


def entries(context: Context) -> tuple[str, ...]:
    """:data:`ENTRIES`, and where the docs session builds (``docs/_build/``, MkDocs' ``site/``)."""
    detected = context.detected
    if detected.docs == "sphinx":
        return (*ENTRIES, f"{detected.docs_dir or 'docs'}/_build/")
    return (*ENTRIES, "site/") if detected.docs == "mkdocs" else ENTRIES


def missing(text: str, wanted: tuple[str, ...] = ENTRIES) -> tuple[str, ...]:
    """The entries of ``wanted`` that ``text`` does not ignore yet (by the same pattern)."""
    present = {_same(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")}
    return tuple(entry for entry in wanted if _same(entry) not in present)


def _render(context: Context) -> str:
    return HEADER + "".join(f"{entry}\n" for entry in entries(context))


def _adopt(text: str, context: Context) -> Merge:
    """The user's file with the entries it lacks appended; unchanged when it has them all."""
    lacking = missing(text, entries(context))
    if not lacking:
        return text, ()
    ending = "" if text.endswith("\n") or not text else "\n"
    added = "".join(f"{entry}\n" for entry in lacking)
    return text + ending + HEADER + added, (f"added {', '.join(lacking)}",)


FILE = StandardFile(path=PATH, render=_render, adopt=_adopt)
