"""One standard file as ``init`` and ``doctor`` see it: :class:`StandardFile` (listed in :mod:`.registry`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sprintlock._inspect.repo import Repo
from sprintlock._standard.context import Context

#: A merge into the user's file: its new text and what changed (one note per change).
Merge = tuple[str, tuple[str, ...]]
#: What ``init`` tells a user whose own file it keeps: ``(relative, theirs, standard, context) -> notes``.
Kept = Callable[[str, str, str, Context], tuple[str, ...]]
#: A doctor check: reads what it needs from the repository and adds findings.
Check = Callable[[Repo], None]
#: What ``init`` does with a user's file that differs from the standard one and was not merged
#: (``adopt`` gave None): a conflict (replaced only with ``--force``), an update (the standard
#: text only adds to theirs) or keep it (it is the user's input, as ``requirements/*.in``).
Differing = Literal["conflict", "update", "keep"]


def always(context: Context) -> bool:
    """``init`` writes the file in every project."""
    return True


def no_merge(text: str, context: Context) -> Merge | None:
    """The user's file is not merged: it is kept, updated or a conflict (see :data:`Differing`)."""
    return None


@dataclass(frozen=True)
class StandardFile:
    """A file of the standard layout: where it goes, how it is written, merged and checked."""

    #: The path relative to the project root, as doctor expects it.
    path: str
    #: The standard text for this project.
    render: Callable[[Context], str]
    #: What it is for (doctor's missing-file message); None: doctor does not require it.
    purpose: str | None = None
    #: Merge the standard into the user's text; None when that cannot be done safely.
    adopt: Callable[[str, Context], Merge | None] = no_merge
    differing: Differing = "conflict"
    #: With ``differing="keep"``: what ``init`` says about the user's file it keeps (what the
    #: standard one would add, how to get it); None: nothing.
    kept: Kept | None = None
    #: Doctor's check of the file (the same check may serve several files); None: none.
    check: Check | None = None
    #: Whether ``init`` writes it in this project (e.g. ``tox.ini`` only with ``--tox`` or an existing one).
    wanted: Callable[[Context], bool] = always
    #: Where ``init`` writes it in this project, when that is not always :attr:`path`
    #: (``tests.yml`` goes to an existing ``tests.yaml``).
    place: Callable[[Context], str] | None = None
    #: Doctor's presence test, for a file that may be found by what it does rather than by its
    #: name (a workflow that runs the tests, whatever it is called); None: :attr:`path` exists.
    present: Callable[[Repo], bool] | None = None

    def is_present(self, repo: Repo) -> bool:
        """Whether the repository has this file (or what stands for it), for doctor's missing-file check."""
        return (repo.root / self.path).is_file() or (self.present is not None and self.present(repo))

    def relative(self, context: Context) -> str:
        """The path ``init`` writes, relative to the project root."""
        return self.place(context) if self.place is not None else self.path


def how_to_replace(relative: str) -> str:
    """The note that shows how to see, and take, the standard file instead of the user's."""
    return f"to see it: sprintlock init --dry-run --force {relative}; to use it: sprintlock init --force {relative}"
