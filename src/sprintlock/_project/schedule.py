"""The ``upgrade-schedule`` setting: shorthands and five-field cron lines."""

from __future__ import annotations

import re

#: ``upgrade-schedule`` shorthands and the cron lines they stand for (a quiet hour, UTC).
SCHEDULES = {"weekly": "23 4 * * 1", "monthly": "23 4 1 * *"}
_CRON_FIELD = re.compile(r"^[\d*/,-]+$")


def cron(schedule: str) -> str:
    """The cron line for ``weekly``, ``monthly`` or a five-field cron expression."""
    return SCHEDULES.get(schedule, schedule)


def valid_schedule(schedule: str) -> bool:
    fields = schedule.split()
    return schedule in SCHEDULES or (len(fields) == 5 and all(_CRON_FIELD.match(f) for f in fields))
