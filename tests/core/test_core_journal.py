"""A commit killed where no handler runs (SIGKILL, a power cut): the journal lets the next
writer put every old file back, or finish a commit that had replaced every file.

The child process dies with ``os._exit`` at each point of the commit: no ``finally``, no
rollback, no signal handler runs, as with SIGKILL (and the same on every system).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sprintlock._core.errors import WriteError
from sprintlock._core.transaction import recover

OLD = {"a.txt": "old a\n", "b.txt": "old b\n", "sub/c.txt": "old c\n"}
NEW = {"a.txt": "new a\n", "b.txt": "new b\n", "sub/c.txt": "new c\n", "d.txt": "new d\n"}

#: Commit NEW over OLD with a journal, and die at the point named by argv: ("replaced", N)
#: after the Nth replacement, ("backups", N) after the Nth backup, ("committed", 0) after
#: the journal says committed.
CHILD = """\
import json, os, sys
from pathlib import Path
from sprintlock._core import transaction as tx

root, journal, point, count = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
files = {root / name: text for name, text in json.loads(sys.argv[5]).items()}
if point == "replaced":
    tx.between_replacements = lambda done, path: os._exit(9) if done == count else None
elif point == "backups":
    made = []
    real_backup = tx._backup
    def backup(target, copy):
        real_backup(target, copy)
        made.append(target)
        if len(made) == count:
            os._exit(9)
    tx._backup = backup
else:
    tx.Transaction._drop_backups = lambda self: os._exit(9)
tx.write_all(files, root=root, journal=journal)
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    for name, text in OLD.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def contents(root: Path) -> dict[str, str]:
    """Every file under ``root``, dotfiles (temporaries, backups) included."""
    return {path.relative_to(root).as_posix(): path.read_text() for path in sorted(root.rglob("*")) if path.is_file()}


def die_while_committing(root: Path, journal: Path, point: str, count: int) -> None:
    args = [sys.executable, "-c", CHILD, str(root), str(journal), point, str(count), json.dumps(NEW)]
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    assert result.returncode == 9, result.stderr


@pytest.mark.parametrize(
    ("point", "count"), [("backups", 1), ("backups", 3), *(("replaced", n) for n in range(1, len(NEW) + 1))]
)
def test_a_commit_killed_before_it_finished_is_undone(tree: Path, tmp_path: Path, point: str, count: int) -> None:
    journal = tmp_path / "writer.journal"
    die_while_committing(tree, journal, point, count)
    assert journal.is_file()
    assert contents(tree) != OLD  # backups (and some new files) are left: the state a crash leaves

    restored = recover(journal)
    assert contents(tree) == OLD  # every old file back, the new one gone, no backup or temporary left
    assert set(restored) <= {tree / name for name in OLD}
    assert not journal.exists()
    assert recover(journal) == ()  # nothing more to do


def test_a_commit_killed_after_every_replacement_is_completed(tree: Path, tmp_path: Path) -> None:
    journal = tmp_path / "writer.journal"
    die_while_committing(tree, journal, "committed", 0)
    assert recover(journal) == ()
    assert contents(tree) == NEW  # the new files stay; the backups are gone
    assert not journal.exists()


def test_an_unreadable_journal_is_a_clear_error(tmp_path: Path) -> None:
    journal = tmp_path / "writer.journal"
    journal.write_text("{not json")
    with pytest.raises(WriteError) as info:
        recover(journal)
    assert info.value.message.startswith(f"cannot read the journal of an interrupted write, {journal}: ")
    assert info.value.hint == "check the files it names with git, then delete the journal"
    assert journal.exists()  # kept for the user to look at
