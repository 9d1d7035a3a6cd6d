"""A resolver's failure as one clear message: the tool's own lines, never its Python traceback."""

from __future__ import annotations

from pathlib import Path

from sprintlock._lock.lockfile import LockFormatError, parse_lock
from sprintlock._lock.resolvers import CompileJob, failure, without_tracebacks
from sprintlock._project.targets import Targets

PIP_COMPILE = """\
  ERROR: Could not find a version that satisfies the requirement nope (from versions: none)
Traceback (most recent call last):
  File "/x/resolution.py", line 434, in resolve
    self._add_to_criteria(self.state.criteria, r, parent=None)
pip._vendor.resolvelib.resolvers.exceptions.RequirementsConflicted: Requirements conflict

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/x/resolver.py", line 112, in resolve
    raise error from e
    ^^^^^^^^^^^^^^^^^^
pip._internal.exceptions.DistributionNotFound: No matching distribution found for nope
"""


def test_tracebacks_are_dropped_and_the_last_message_kept() -> None:
    assert [line for line in without_tracebacks(PIP_COMPILE) if line.strip()] == [
        "  ERROR: Could not find a version that satisfies the requirement nope (from versions: none)",
        "No matching distribution found for nope",
    ]


def test_the_error_names_the_file_and_shows_no_frames() -> None:
    job = CompileJob((), Path("out.txt"), (), Targets(("3.12",), ("linux",)), True, where="requirements/tests.in")
    text = str(failure(job, "pip-compile", PIP_COMPILE))
    assert text.startswith("requirements/tests.in: pip-compile could not resolve the requirements:\n")
    assert "File " not in text and "Traceback" not in text and "^^^" not in text
    assert "No matching distribution found for nope" in text


def test_plain_output_is_kept() -> None:
    assert without_tracebacks("error: No solution found\n  cause: x\n") == ["error: No solution found", "  cause: x"]


def test_a_damaged_lock_names_its_line_from_the_top_of_the_file() -> None:
    header = "".join(
        f"# {key}: {value}\n"
        for key, value in [
            ("sprintlock-format", "1"),
            ("resolver", "uv"),
            ("hashes", "true"),
            ("targets", "python 3.12; platforms linux"),
            ("covers", "python 3.12; platforms linux"),
            ("fingerprint", "sha256:0"),
            ("body", "sha256:0"),
        ]
    )
    text = header + "alpha==1.0\n    # via x\nnot a pin !\n"
    try:
        parse_lock(text, "tests")
    except LockFormatError as exc:
        assert exc.line == 10
    else:
        raise AssertionError("a damaged lock parsed")
