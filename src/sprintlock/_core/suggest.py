"""``did you mean ...?`` for a mistyped name: a command, a layer, a package."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours turning ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word``, if one is close enough to be a typo of it.

    A few typing slips (two edits, one for names of three letters or fewer; a swap of
    neighbours counts as one), else what :func:`difflib.get_close_matches` finds similar.
    """
    options = list(choices)
    allowed = 1 if len(word) <= 3 else 2
    near = sorted((edit_distance(word.lower(), option.lower()), option) for option in options)
    if near and near[0][0] <= allowed:
        return near[0][1]
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean tests?"`` to append to a message, or ``""`` when nothing is close."""
    match = closest(word, choices)
    return f"; did you mean {match}?" if match is not None else ""
