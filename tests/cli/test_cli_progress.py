"""The progress display: plain lines off a terminal, a live line on one, nothing with -q."""

from __future__ import annotations

import io
import logging
import threading

import pytest

from sprintlock._cli.progress import ProgressHandler, cli_logging
from sprintlock._core.progress import begin, end, logger, step_of


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    """A terminal that tells when a given text has been written (the ticker writes from a thread)."""

    def __init__(self, awaited: str = "") -> None:
        super().__init__()
        self.awaited = awaited
        self.seen = threading.Event()

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        written = super().write(text)
        if self.awaited and self.awaited in self.getvalue():
            self.seen.set()
        return written


def record(message: str, extra: dict[str, object] | None = None, level: int = logging.INFO) -> logging.LogRecord:
    made = logging.LogRecord("sprintlock", level, __file__, 1, message, None, None)
    made.__dict__.update(extra or {})
    return made


def test_a_step_record_carries_its_key() -> None:
    assert step_of(record("locking tests", begin("tests"))) == ("begin", "tests")
    assert step_of(record("locked tests", end("tests"))) == ("end", "tests")
    assert step_of(record("running uv")) is None


def test_plain_lines_with_the_elapsed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    clock = Clock()
    handler = ProgressHandler(live=False, clock=clock)
    handler.handle(record("locking docs", begin("docs")))
    handler.handle(record("locking tests", begin("tests")))
    clock.now += 2.5
    handler.handle(record("locked tests", end("tests")))
    handler.handle(record("running uv pip compile"))
    clock.now += 1
    handler.handle(record("locked docs", end("docs")))
    handler.close()
    assert stderr.getvalue().splitlines() == [
        "locking docs ...",
        "locking tests ...",
        "locked tests (2.5s)",
        "running uv pip compile",
        "locked docs (3.5s)",
    ]
    assert "\r" not in stderr.getvalue()


def test_a_live_line_redrawn_in_place_then_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    clock = Clock()
    handler = ProgressHandler(live=True, clock=clock)
    handler.handle(record("locking docs", begin("docs")))
    handler.handle(record("locking tests", begin("tests")))
    assert stderr.getvalue().endswith("\r\x1b[Klocking docs (0s), locking tests (0s)")
    clock.now += 3
    handler.handle(record("locked docs", end("docs")))
    assert stderr.getvalue().endswith("\r\x1b[Klocked docs (3.0s)\nlocking tests (3s)")
    clock.now += 1
    handler.handle(record("locked tests", end("tests")))
    handler.close()
    assert stderr.getvalue().endswith("\r\x1b[Klocked tests (4.0s)\n")  # no live line left behind


def test_the_ticker_keeps_the_time_moving(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = Terminal(awaited="locking tests (7s)")
    monkeypatch.setattr("sys.stderr", stderr)
    clock = Clock()
    monkeypatch.setattr("sprintlock._cli.progress.TICK", 0.01)
    handler = ProgressHandler(live=True, clock=clock)
    handler.handle(record("locking tests", begin("tests")))
    clock.now += 7
    assert stderr.seen.wait(timeout=60)  # the ticker redraws on its own: no sleep, an event
    handler.close()
    assert "locking tests (7s)" in stderr.getvalue()
    assert stderr.getvalue().endswith("\r\x1b[K")


@pytest.mark.parametrize(("quiet", "verbose", "shown"), [(False, False, 2), (True, False, 0), (False, True, 3)])
def test_levels(
    quiet: bool, verbose: bool, shown: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = logger.level, logger.propagate, list(logger.handlers)
    with cli_logging(verbose=verbose, quiet=quiet):
        logger.info("locking tests", extra=begin("tests"))
        logger.debug("running uv")
        logger.info("locked tests", extra=end("tests"))
    logger.info("after the command: not shown")
    err = capsys.readouterr().err
    assert len(err.splitlines()) == shown, err
    assert ("running uv" in err) is verbose
    assert (logger.level, logger.propagate, list(logger.handlers)) == before


def test_warnings_are_shown_with_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    with cli_logging(verbose=False, quiet=True):
        logger.warning("waiting for another sprintlock to finish")
    assert capsys.readouterr().err == "waiting for another sprintlock to finish\n"
