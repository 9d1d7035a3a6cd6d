"""The upgrade cooldown as the configuration writes it: light, for the hot paths (only :mod:`re`).

``"7 days"``, ``"1 week"``, ``"P7D"``, ``"P2W"``: whole days, at least one. Its canonical
spelling (``"7 days"``) is what a lock's fingerprint records, so ``check`` sees a change.
"""

from __future__ import annotations

import re

_COOLDOWN = re.compile(r"^(\d+)\s*(day|days|week|weeks)$", re.IGNORECASE)
_ISO_COOLDOWN = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?$", re.IGNORECASE)


def cooldown_days(text: str) -> int | None:
    """The days of a cooldown such as ``"7 days"`` or ``"P2W"``; None if it is not one (or is zero)."""
    text = text.strip()
    if found := _COOLDOWN.match(text):
        days = int(found.group(1)) * (7 if found.group(2).lower().startswith("week") else 1)
    elif (found := _ISO_COOLDOWN.match(text)) and any(found.groups()):
        days = int(found.group(1) or 0) * 7 + int(found.group(2) or 0)
    else:
        return None
    return days if days > 0 else None


def days_text(days: int) -> str:
    """The canonical spelling of a cooldown of ``days`` (``"7 days"``): what a lock's fingerprint records."""
    return f"{days} day{'s' * (days != 1)}"
