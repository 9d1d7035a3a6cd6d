"""Progress of long steps, reported through the ``sprintlock`` logger: library code never prints.

A step is two INFO records with the same key, ``extra=begin(KEY)`` as it starts and
``extra=end(KEY)`` as it ends (steps may overlap: layers compile in parallel)::

    logger.info("locking %s", name, extra=begin(name))
    ...
    logger.info("locked %s", name, extra=end(name))

Whoever installs a handler decides what to show: the command line draws a live line on a
terminal and plain lines otherwise (:mod:`sprintlock._cli.progress`); a noxfile's log
shows the messages; with no handler (a library caller) nothing appears.
"""

from __future__ import annotations

import logging
from typing import Literal

logger = logging.getLogger("sprintlock")

#: The attribute a step's record carries: ``(BEGIN or END, key)``.
STEP = "sprintlock_step"
BEGIN: Literal["begin"] = "begin"
END: Literal["end"] = "end"


def begin(key: str) -> dict[str, object]:
    """The ``extra`` of the record that starts step ``key``."""
    return {STEP: (BEGIN, key)}


def end(key: str) -> dict[str, object]:
    """The ``extra`` of the record that ends step ``key``."""
    return {STEP: (END, key)}


def step_of(record: logging.LogRecord) -> tuple[str, str] | None:
    """``(BEGIN or END, key)`` when ``record`` starts or ends a step, else None."""
    step = getattr(record, STEP, None)
    if isinstance(step, tuple) and len(step) == 2 and all(isinstance(part, str) for part in step):
        return step[0], step[1]
    return None
