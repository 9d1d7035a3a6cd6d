"""sprintlock's cache folder. Importing this loads nothing but :mod:`os`.

The hot path of ``sprintlock check`` (its memo) needs the folder as a plain string, without
:mod:`pathlib` (whose import, with :mod:`re` and :mod:`urllib.parse`, would be a fifth of
that path's time) or the exclusive locks' module (:mod:`logging`, the ``filelock``
library), which re-exports :func:`user_cache_dir`.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is not imported either
if TYPE_CHECKING:
    from pathlib import Path


def cache_folder() -> str:
    """sprintlock's cache folder: ``$SPRINTLOCK_CACHE_DIR``, else ``$XDG_CACHE_HOME/sprintlock``
    (default ``~/.cache/sprintlock``; ``%LOCALAPPDATA%\\sprintlock\\cache`` on Windows)."""
    configured = os.environ.get("SPRINTLOCK_CACHE_DIR")
    if configured:
        return configured
    if os.name == "nt":  # pragma: no cover - Windows only
        return str(_windows_cache())
    base = os.environ.get("XDG_CACHE_HOME")
    if not (base and base.startswith("/")):  # relative: invalid per the XDG specification
        base = f"{_home()}/.cache"
    return f"{base}/sprintlock"


def user_cache_dir() -> Path:
    """:func:`cache_folder` as a path."""
    from pathlib import Path

    return Path(cache_folder())


def _home() -> str:
    """The user's home folder as ``Path.home()`` finds it on POSIX: ``$HOME``, else the password database."""
    home = os.environ.get("HOME")
    if home:
        return home
    import pwd

    return pwd.getpwuid(os.getuid()).pw_dir


def _windows_cache() -> Path:  # pragma: no cover - Windows only
    from pathlib import Path

    base = os.environ.get("LOCALAPPDATA")
    return (Path(base) if base else Path.home() / "AppData" / "Local") / "sprintlock" / "cache"


def write_quietly(path: str, text: str) -> None:
    """Replace the cache file ``path`` by ``text`` at once (a temporary beside it, renamed);
    give up quietly on an error: a cache that cannot be written is no cache.

    No :mod:`tempfile`: the hot paths that write memos would spend a tenth of their time
    importing it. One writer per process needs no other name.
    """
    import contextlib
    from pathlib import Path

    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except (OSError, UnicodeError):  # a path or text a file cannot hold (undecodable bytes): no memo
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
