"""Every command example in docs/ runs, as written, in a scratch project against the offline index.

An example is a ``console`` block: each ``$ COMMAND`` line runs in bash in the page's
scratch project (one per page, so a page's examples build on each other, as a reader's
would), and the lines under it are its output: each must appear, in order, in what the
command printed (``...`` stands for lines left out). A command must exit 0 unless its line
ends with a comment that ends with ``exits N``. HTML comments steer a page, invisibly:

- ``<!-- docs-test: setup COMMAND -->`` runs COMMAND there (a step the page takes for granted);
- ``<!-- docs-test: skip REASON -->`` just before a block skips it (it needs GitHub, or a
  Python the machine may lack); the skipped blocks are listed below and kept few.

The scratch project starts as the demo project of the ``init`` tests (src layout, one test,
a dependency on ``alpha``); the index has the real pytest, pre-commit and nox, sprintlock
built from this checkout, and small stand-ins for the other tools.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, use_index
from initkit import make_init_index, write_demo

DOCS = ROOT / "docs"
_FENCE = re.compile(r"^(\s*)```(\w*)\s*$")
_MARKER = re.compile(r"^\s*<!-- docs-test: (setup|skip) (.+?) -->\s*$")
_EXITS = re.compile(r"#.*\bexits (\d+)\s*$")
#: The examples skipped on purpose, by page: (page, reason). Keep this short.
SKIPPED = {
    ("tutorial.md", "needs the target Pythons of the generated noxfile (tests/e2e/test_nox_sessions.py runs nox)"),
    ("tutorial.md", "needs GitHub (a pull request; tests/e2e/test_upgrade_pr.py runs it against a fake gh)"),
}


@dataclass
class Command:
    line: int
    text: str
    output: list[str] = field(default_factory=list)
    exits: int = 0


@dataclass
class Page:
    path: str
    steps: list[Command] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _closes(line: str) -> bool:
    fence = _FENCE.match(line)
    return fence is not None and not fence.group(2)


def _block(lines: list[str], start: int, page: Page) -> int:
    """Read the console block opening at ``start``; return the index after its closing fence."""
    index = start + 1
    while not _closes(lines[index]):
        text = lines[index].strip()
        if text.startswith("$ "):
            found = _EXITS.search(text)
            page.steps.append(Command(index + 1, text[2:], exits=int(found.group(1)) if found else 0))
        elif text and page.steps:
            page.steps[-1].output.append(text)
        index += 1
    return index + 1


def read_page(path: Path) -> Page:
    page = Page(path.relative_to(DOCS).as_posix())
    lines = path.read_text().splitlines()
    skip: str | None = None
    index = 0
    while index < len(lines):
        marker, fence = _MARKER.match(lines[index]), _FENCE.match(lines[index])
        if marker and marker.group(1) == "setup":
            page.steps.append(Command(index + 1, marker.group(2)))
        elif marker:
            skip = marker.group(2)
        elif fence and fence.group(2) == "console":
            if skip is not None:
                page.skipped.append(skip)
                skip = None
                index = _block(lines, index, Page(page.path))
                continue
            index = _block(lines, index, page)
            continue
        elif lines[index].strip():
            skip = None  # a skip marker applies to the very next block only
        index += 1
    return page


def pages() -> list[Page]:
    found = [read_page(path) for path in sorted(DOCS.rglob("*.md")) if "_build" not in path.parts]
    return [page for page in found if page.steps or page.skipped]


def _expect(command: Command, printed: str, page: str) -> None:
    lines = printed.splitlines()
    position = 0
    for wanted in command.output:
        if wanted == "...":
            continue
        for offset, line in enumerate(lines[position:]):
            if wanted in line:
                position += offset + 1
                break
        else:
            pytest.fail(
                f"docs/{page}:{command.line}: `{command.text}` did not print {wanted!r}; it printed:\n{printed}"
            )


@pytest.fixture(scope="module")
def docs_index(tmp_path_factory: pytest.TempPathFactory, sprintlock_wheel: Path) -> Path:
    return make_init_index(tmp_path_factory.mktemp("docs-index"), sprintlock_wheel)


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.path)
def test_examples_run_as_written(page: Page, tmp_path: Path, docs_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_index(monkeypatch, docs_index)
    root = write_demo(tmp_path / "demo")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    for command in page.steps:
        result = subprocess.run(
            ["bash", "-c", command.text], cwd=root, env=env, capture_output=True, text=True, check=False
        )
        printed = result.stdout + result.stderr
        assert result.returncode == command.exits, f"docs/{page.path}:{command.line}: `{command.text}`\n{printed}"
        _expect(command, printed, page.path)


def test_skipped_examples_are_few_and_listed() -> None:
    skipped = {(page.path, reason) for page in pages() for reason in page.skipped}
    assert skipped == SKIPPED


def test_every_command_example_is_in_a_console_block() -> None:
    """A ``$ command`` line in a ``text`` or ``bash`` block would escape these tests."""
    loose = []
    for path in sorted(DOCS.rglob("*.md")):
        language: str | None = None  # None: outside any block
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            fence = _FENCE.match(line)
            if fence:
                language = fence.group(2) if language is None else None
            elif line.strip().startswith("$ ") and language != "console":
                loose.append(f"{path.relative_to(DOCS)}:{number}")
    assert loose == []


def test_readme_first_command_works_on_the_shipped_example() -> None:
    """README's first command relocks examples/sprint-demo and runs its tests session (it needs PyPI,
    so .ci/run and the lead run it; here: what it names exists, and the shipped locks are fresh)."""
    readme = (ROOT / "README.md").read_text()
    first = re.search(r"```console\n(.+?)\n```", readme, flags=re.DOTALL)
    assert first is not None
    command = first.group(1)
    assert "sprintlock -C examples/sprint-demo lock --all" in command
    assert "nox -f examples/sprint-demo/noxfile.py -s tests" in command
    example = ROOT / "examples" / "sprint-demo"
    assert 'sprintlock.nox.install(session, "tests")' in (example / "noxfile.py").read_text()
    assert list((example / "tests").glob("test_*.py"))
    result = subprocess.run(
        [sys.executable, "-m", "sprintlock", "-C", str(example), "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
