"""The generated noxfile is as ruff format writes it at any line length from 79 up: a project
whose pre-commit runs ruff format (or black) on every file gets no diff from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from initkit import detected

from sprintlock._standard.context import Detected
from sprintlock._standard.noxfile import render_noxfile

RUFF = Path(sys.executable).parent / "ruff"
CASES = {
    "demo": detected(),
    "typed, docs, many layers": detected(
        checkers=("mypy", "pyright"),
        package_path="src/a_rather_long_package_name_for_a_project",
        has_tests_dir=True,
        docs="sphinx",
        docs_dir="documentation/source",
        extra_layers=("build", "tests-min", "tests-with-a-very-long-layer-name", "gha-update", "benchmarks"),
    ),
    "mkdocs": detected(docs="mkdocs", checkers=("pyright",)),
}


@pytest.mark.parametrize("length", [79, 88, 100, 120])
@pytest.mark.parametrize("case", CASES)
def test_ruff_format_leaves_the_generated_noxfile_as_it_is(tmp_path: Path, case: str, length: int) -> None:
    project: Detected = CASES[case]
    noxfile = tmp_path / "noxfile.py"
    noxfile.write_text(render_noxfile(project))
    result = subprocess.run(
        [str(RUFF), "format", "--isolated", "--line-length", str(length), "--diff", str(noxfile)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Docstrings and comments too (ruff format leaves them long): E501 passes at any length from 79.
    assert [line for line in noxfile.read_text().splitlines() if len(line) > 79] == []
