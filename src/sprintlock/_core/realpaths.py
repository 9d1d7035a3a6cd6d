"""``os.path.realpath`` of many files in few folders, cheaply. Light: :mod:`os` and :mod:`stat` only
(the hot paths of ``sprintlock check`` use it: the memo and the locks' headers)."""

from __future__ import annotations

import os
import stat

__all__ = ["RealPaths"]

#: Where a folder's real path is its parent's plus its name unless the name is a link:
#: on Windows, ``realpath`` also rewrites names (case, short names), so each folder is asked in full.
_BY_PARTS = os.name == "posix"


class RealPaths:
    """``os.path.realpath`` of many files in few folders: each folder resolved once (on POSIX,
    from its parent's real path and one look at its own name), each file looked at once
    (a file or folder that is itself a link is resolved in full).

    A path through a loop of links has no real path; the answer for it may differ from
    ``realpath``'s, which depends on the order it walks the links in.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def of(self, path: str) -> str:
        folder, name = os.path.split(path)
        if not name or name in (os.curdir, os.pardir):
            return os.path.realpath(path)
        return _joined(self._folder(folder), name)

    def _folder(self, folder: str) -> str:
        real = self._folders.get(folder)
        if real is None:
            parent, name = os.path.split(folder)
            if _BY_PARTS and name and name not in (os.curdir, os.pardir) and parent.startswith(os.sep):
                real = _joined(self._folder(parent), name)
            else:
                real = os.path.realpath(folder)
            self._folders[folder] = real
        return real


def _joined(real_folder: str, name: str) -> str:
    """The real path of ``name`` in a folder whose real path is ``real_folder``."""
    joined = real_folder.rstrip(os.sep) + os.sep + name
    try:
        linked = stat.S_ISLNK(os.lstat(joined).st_mode)
    except OSError:  # missing: as realpath leaves it
        return joined
    return os.path.realpath(joined) if linked else joined
