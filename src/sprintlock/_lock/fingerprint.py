"""What determined a lock: the inputs whose digests go into its header."""

from __future__ import annotations

from collections.abc import Callable

from sprintlock._lock.header import COOLDOWN_LABEL, PROJECT_LABEL, digest
from sprintlock._lock.layers import Layer
from sprintlock._lock.lockfile import Header
from sprintlock._project.config import Project, cooldown_text
from sprintlock._project.targets import Targets

#: The digest of an included lock's body, by layer name; None when that lock is missing.
BodyDigest = Callable[[str], "str | None"]


def layer_inputs(project: Project, layer: Layer, body_digest: BodyDigest) -> tuple[tuple[str, str], ...]:
    """``(label, digest)`` for everything ``layer``'s lock depends on, in a stable order."""
    inputs: list[tuple[str, str]] = []
    for source in layer.sources:
        # A dependency group: its label and its normalised content (its includes are locks, below).
        label = source.origin.label if source.origin else source.path.relative_to(project.root).as_posix()
        inputs.append((label, digest(source.text)))
    folder = project.config.requirements
    for dep in layer.lock_deps:
        inputs.append((f"{folder}/{dep}.txt", body_digest(dep) or "missing"))
    if project.config.includes_project(layer.name):
        inputs.append((PROJECT_LABEL, digest("\n".join(project.dependencies))))
    if project.config.upgrade_cooldown is not None:
        inputs.append((COOLDOWN_LABEL, digest(cooldown_text(project.config.upgrade_cooldown))))
    return tuple(inputs)


def expected_header(project: Project, layer: Layer, covers: Targets, body_digest: BodyDigest) -> Header:
    """The header a lock of ``layer`` compiled now would carry (``covers`` as resolved)."""
    config = project.config
    return Header(
        layer=layer.name,
        requirements_dir=config.requirements,
        resolver=config.resolver,
        hashes=config.hashes,
        targets=config.targets,
        covers=covers,
        inputs=layer_inputs(project, layer, body_digest),
        origin=layer.origin.label if layer.origin else "",
    )
