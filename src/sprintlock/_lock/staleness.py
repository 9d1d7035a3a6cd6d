"""Why a lock is stale: one answer for ``lock`` (what to recompile) and ``check`` (what to report)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sprintlock._core.files import read_text
from sprintlock._lock.fingerprint import expected_header
from sprintlock._lock.header import digest, split_body
from sprintlock._lock.layers import Layer
from sprintlock._lock.lockfile import Header, Lock, LockFormatError, Pin, parse_lock, render_lock
from sprintlock._project.config import Project

ReasonKind = Literal[
    "missing",  # no lock file
    "damaged",  # edited by hand into something that is not a lock
    "foreign",  # no sprintlock header (hand-written, or plain pip-compile)
    "edited",  # the body no longer matches the digest in the header
    "input",  # an input was added, removed or changed
    "options",  # resolver or hashes changed
    "targets",  # the configured targets changed
    "format",  # written by another version of the lock format
    "fingerprint",  # the header's fingerprint does not match its own fields
    "includes",  # includes a lock that is itself stale
]


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    #: For people, e.g. ``requirements/tests.in changed``.
    message: str
    #: The line at fault, counted from the top of the lock file (for ``damaged``).
    line: int | None = None


@dataclass(frozen=True)
class LockFile:
    """A lock as read from disk (or as just rendered): its text, parsed once."""

    text: str | None
    lock: Lock | None = None
    error: LockFormatError | None = None
    #: The digest of the text after the header (what the locks that include this one record).
    body_digest: str | None = None

    @classmethod
    def read(cls, text: str | None, layer: str) -> LockFile:
        """``text`` parsed; None for a missing file. A damaged or foreign lock is not an error here."""
        if text is None:
            return cls(None)
        body_digest = digest(split_body(text)[1])
        try:
            return cls(text, parse_lock(text, layer), None, body_digest)
        except LockFormatError as exc:
            return cls(text, None, exc, body_digest)

    @classmethod
    def load(cls, path: Path, layer: str, *, root: Path) -> LockFile:
        """The lock at ``path``, read as :meth:`read` reads it.

        A lock that cannot be read as text (a folder, not UTF-8, unreadable) is an
        :class:`InputError` naming it, with what to do.
        """
        hint = f"delete it (locks are generated) and run `sprintlock lock {layer}`"
        return cls.read(read_text(path, root=root, hint=hint), layer)

    @classmethod
    def render(cls, header: Header, pins: Iterable[Pin]) -> LockFile:
        """A new lock: its text and the lock it reads back as, without parsing it again."""
        text, lock = render_lock(header, pins)
        return cls(text, lock, None, lock.header.body)

    @property
    def body(self) -> str:
        return split_body(self.text)[1] if self.text is not None else ""

    @property
    def error_line(self) -> int | None:
        """The line of :attr:`error` in the whole file."""
        return self.error.line if self.error is not None else None


def _unreadable(file: LockFile) -> Reason | None:
    if file.text is None:
        return Reason("missing", "lock file is missing")
    if file.error is not None:
        message = f"edited by hand into something that is not a lock: {file.error}"
        return Reason("damaged", message, file.error_line)
    if file.lock is None:
        return Reason("foreign", "not a sprintlock lock (no sprintlock header)")
    return None


def changes(recorded: Header, current: Header) -> list[Reason]:
    """Why ``recorded`` no longer matches ``current``: which inputs or settings changed."""
    reasons = []
    old_inputs = dict(recorded.inputs)
    new_inputs = dict(current.inputs)
    for label, value in new_inputs.items():
        if label not in old_inputs:
            reasons.append(Reason("input", f"{label} is a new input"))
        elif old_inputs[label] != value:
            reasons.append(Reason("input", f"{label} changed"))
    reasons += [Reason("input", f"{label} is no longer an input") for label in old_inputs if label not in new_inputs]
    if recorded.options() != current.options():
        reasons.append(Reason("options", f"options changed ({recorded.options()} -> {current.options()})"))
    if recorded.targets != current.targets:
        message = f"targets changed ({recorded.targets.describe()} -> {current.targets.describe()})"
        reasons.append(Reason("targets", message))
    if recorded.format != current.format:
        reasons.append(Reason("format", f"lock format {recorded.format} -> {current.format}"))
    return reasons


def staleness(
    project: Project, layer: Layer, files: Mapping[str, LockFile], stale: Collection[str] = ()
) -> tuple[Reason, ...]:
    """Every reason why ``layer``'s lock (``files[layer.name]``) is stale; empty when it is fresh.

    ``files`` holds every layer's lock (for the digests of the locks this one includes);
    ``stale`` names the layers already found stale (``check`` reports the locks that
    include them; ``lock`` leaves it empty, as it recompiles those first).
    """
    file = files[layer.name]
    unreadable = _unreadable(file)
    if unreadable is not None or file.lock is None:
        return (unreadable,) if unreadable else ()
    header = file.lock.header
    reasons = [Reason("edited", "edited by hand since it was generated")] if file.body_digest != header.body else []

    def body_digest(name: str) -> str | None:
        included = files.get(name)
        return included.body_digest if included else None

    current = expected_header(project, layer, header.covers, body_digest)
    changed = changes(header, current)
    if not changed and current.compute_fingerprint() != header.fingerprint:
        changed.append(Reason("fingerprint", "fingerprint does not match the header"))
    folder = project.config.requirements
    changed += [
        Reason("includes", f"includes {folder}/{dep}.txt, which is stale") for dep in layer.lock_deps if dep in stale
    ]
    return (*reasons, *changed)
