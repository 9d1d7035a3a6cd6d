"""One finding of ``sprintlock check``: a stable code for scripts and ``doctor``, a message for people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ProblemCode = Literal["missing", "foreign", "edited", "stale", "uncovered", "unhashed", "inconsistent"]


@dataclass(frozen=True)
class Problem:
    """One finding. ``code`` is stable (for scripts and ``doctor``); ``message`` is for people."""

    code: ProblemCode
    path: str
    message: str
    hint: str = ""
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path
