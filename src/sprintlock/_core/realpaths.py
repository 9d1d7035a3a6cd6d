"""``os.path.realpath`` of many files in few folders, cheaply. Light: :mod:`os` and :mod:`stat` only
(the hot paths of ``sprintlock check`` use it: the memo and the locks' headers)."""

from __future__ import annotations

import os
import stat

__all__ = ["RealPaths"]


class RealPaths:
    """``os.path.realpath`` of many files in few folders: each folder resolved once, each
    file looked at once (a file that is itself a link is resolved in full)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def of(self, path: str) -> str:
        folder, name = os.path.split(path)
        real_folder = self._folders.get(folder)
        if real_folder is None:
            real_folder = self._folders[folder] = os.path.realpath(folder)
        joined = real_folder.rstrip(os.sep) + os.sep + name
        try:
            linked = stat.S_ISLNK(os.lstat(joined).st_mode)
        except OSError:  # missing: as realpath leaves it
            return joined
        return os.path.realpath(joined) if linked else joined
