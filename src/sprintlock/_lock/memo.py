"""The memo of a passing ``sprintlock check``: the files it read, by digest.

``check`` is a pre-commit hook: it runs on every commit that touches the requirements,
mostly over files it has already found fresh. After a check that found nothing wrong,
the command line writes down what that verdict rests on: the sprintlock that gave it,
the project folder, the ``.in`` files the requirements folder held, and the sha256 of
every file it read (``pyproject.toml``, each input, each lock; a file that was missing
is recorded as missing). The next ``sprintlock check`` hashes those files again and,
when every one has the same text, answers from the memo without parsing anything.
Any difference (a byte, a new or removed ``.in`` file, a file moved behind a symbolic
link, another sprintlock) is a miss: the full check runs, and writes a new memo if it
passes. Failures are never remembered.

Best effort: a memo that cannot be read or written is no memo. It lives in sprintlock's
cache folder (``check/<hash of the project folder>.memo``), never in the project.
Importing this module loads only :mod:`os` and :mod:`hashlib` (the hot path of
``sprintlock check``); the writer is given plain strings.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys

from sprintlock._core.cachedir import cache_folder, write_quietly
from sprintlock._core.realpaths import RealPaths
from sprintlock._version import __version__

TYPE_CHECKING = False  # typing is not imported: this is the hot path (and neither is pathlib, see cachedir)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

#: The sprintlock modules whose code decides a verdict: an edited checkout is another sprintlock.
_DECIDERS = (
    "check.py",
    "consistency.py",
    "fingerprint.py",
    "header.py",
    "headercheck.py",
    "infile.py",
    "layers.py",
    "lockfile.py",
    "memo.py",
    "names.py",
    "pylock.py",
    "staleness.py",
    "../_core/durations.py",
    "../_core/known.py",
    "../_core/realpaths.py",
    "../_core/text.py",
    "../_project/config.py",
    "../_project/groups.py",
)
_MISSING = "-"


def memo_file(root: str) -> str:
    """Where the memo of the project at ``root`` (a resolved path) lives."""
    name = hashlib.sha256(os.fsencode(root)).hexdigest()[:24]
    return f"{cache_folder()}/check/{name}.memo"


def _first_line() -> str:
    """Which sprintlock gives the verdict: its version and the times of the modules that decide it."""
    package = sys.modules[__package__].__path__[0]  # this folder, sprintlock/_lock
    try:
        times = [str(os.lstat(f"{package}/{name}").st_mtime_ns) for name in _DECIDERS]
    except OSError:  # not installed as files (a zip): the version alone
        times = []
    return " ".join(["sprintlock check memo 1", __version__, *times])


def _text_digest(data: bytes) -> str:
    """The sha256 of a file's bytes read as text is (universal newlines, as ``read_text`` reads them)."""
    return hashlib.sha256(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")).hexdigest()


def _in_names(folder: str) -> str:
    """The names ``folder.glob("*.in")`` finds (no hidden file), sorted; ``-`` without the folder."""
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries]
    except OSError:
        return _MISSING
    return "/".join(sorted(name for name in names if os.path.normcase(name).endswith(".in") and name[0] != "."))


def _mode(path: str) -> int:
    """The mode of what ``path`` leads to; 0 when nothing can be found there."""
    try:
        return os.lstat(os.path.realpath(path)).st_mode
    except OSError:
        return 0


def _holds(line: str, real_paths: RealPaths) -> bool:
    """Whether one recorded file (``digest<TAB>real path<TAB>path``) is still the same text at the same place."""
    recorded, real, path = line.split("\t")
    if recorded == _MISSING:
        return not os.path.lexists(path)
    try:
        if real_paths.of(path) != real or not stat.S_ISREG(os.lstat(real).st_mode):
            return False
        with open(real, "rb") as handle:
            return _text_digest(handle.read()) == recorded
    except OSError:
        return False


def recall(root: str) -> int | None:
    """How many locks a passing check of ``root`` counted, if nothing it read has changed since; else None."""
    try:
        with open(memo_file(root), encoding="utf-8") as handle:
            lines = handle.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) < 6 or lines[0] != _first_line() or lines[1] != f"root {root}" or lines[-1] != "":
        return None
    count, folder = lines[2].removeprefix("locks "), lines[3].removeprefix("folder ")
    if not count.isdigit() or _in_names(folder) != lines[4].removeprefix("in "):
        return None
    real_paths = RealPaths()
    return int(count) if all(_holds(line, real_paths) for line in lines[5:-1]) else None


def remember(
    root: str,
    folder: str,
    in_names: Iterable[str],
    texts: Mapping[str, str | None],
    *,
    count: int,
    real: Callable[[str], str] | None = None,
) -> None:
    """Write the memo of a passing check that counted ``count`` locks.

    ``in_names`` are the ``.in`` files it found in ``folder``; ``texts`` holds every file
    it read (path to text; None: missing). These are what the check read, so the memo
    vouches for exactly what was checked, even when a file changes meanwhile. Nothing is
    written for a path a line cannot hold. ``real`` gives where a path leads (default:
    :class:`~sprintlock._core.realpaths.RealPaths`; the caller's, when it resolved them already).
    """
    real = real or RealPaths().of
    names = sorted(in_names)
    if any(("\t" in path or "\n" in path) for path in (root, folder, *names, *texts)):
        return
    listing = "/".join(names) if stat.S_ISDIR(_mode(folder)) else _MISSING
    lines = [_first_line(), f"root {root}", f"locks {count}", f"folder {folder}", f"in {listing}"]
    for path, text in sorted(texts.items()):
        digest = _MISSING if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()
        lines.append(f"{digest}\t{real(path)}\t{path}")
    write_quietly(memo_file(root), "\n".join(lines) + "\n")
