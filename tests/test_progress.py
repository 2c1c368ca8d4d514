"""Progress on stderr for long build steps; stdout keeps the same bytes with or without it."""

from __future__ import annotations

import io
import os
from pathlib import Path

from aigovkg import progress

from .conftest import copy_tree, run_cli


class FakeClock:
    """Returns the given instants one after the other: durations without waiting."""

    def __init__(self, *instants: float) -> None:
        self.instants = list(instants)

    def __call__(self) -> float:
        return self.instants.pop(0)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_only_steps_over_the_threshold_are_written() -> None:
    stream = io.StringIO()
    with progress.reporting(progress.StderrProgress(stream, threshold=1.0)):
        with progress.step("quick", clock=FakeClock(0.0, 0.2)):
            pass
        with progress.step("slow", clock=FakeClock(0.0, 2.5)):
            pass
    assert stream.getvalue() == "slow: 2.5 s\n"


def test_announced_step_and_nesting_in_a_log() -> None:
    stream = io.StringIO()
    with (
        progress.reporting(progress.StderrProgress(stream)),
        progress.step("building the graph", clock=FakeClock(0.0, 30.0)),
        progress.step("validating", clock=FakeClock(0.0, 12.0)),
    ):
        pass
    assert stream.getvalue().splitlines() == [
        "building the graph …",
        "  validating: 12.0 s",
        "building the graph: 30.0 s",
    ]


def test_terminal_line_is_replaced() -> None:
    stream = Terminal()
    reporter = progress.StderrProgress(stream)
    assert reporter.live
    with progress.reporting(reporter), progress.step("quick", clock=FakeClock(0.0, 0.1)):
        pass
    # shown while running, then erased: nothing of a short step remains on screen
    assert stream.getvalue() == "\r\x1b[Kquick …\r\x1b[K"


def test_nobody_listening_costs_nothing() -> None:
    with progress.reporting(None), progress.step("anything"):
        pass


def test_wanted_follows_the_flag_then_the_terminal() -> None:
    assert progress.wanted(None, Terminal()) is True
    assert progress.wanted(None, io.StringIO()) is False
    assert progress.wanted(True, io.StringIO()) is True
    assert progress.wanted(False, Terminal()) is False


def test_silent_rebuild_behind_query_shows_progress(tmp_path: Path) -> None:
    """`query` on a checkout without dist/ builds first: the steps appear on stderr with
    --progress, the answer on stdout is byte for byte the one a current build gives."""
    root = copy_tree(tmp_path / "checkout")
    env = {**os.environ, "AIGOVKG_HOME": str(root)}
    env.pop("AIGOVKG_PROGRESS", None)
    args = ("query", "--cq", "CQ01", "--format", "csv")
    first = run_cli("--progress", *args, cwd=root, env=env)
    assert first.returncode == 0, first.stderr
    assert "building the graph …" in first.stderr
    assert "validating" in first.stderr  # in full, or what changed since a cached validation
    assert "DEBUG" not in first.stderr
    second = run_cli(*args, cwd=root, env=env)  # current now, stderr not a terminal: silent
    assert second.returncode == 0
    assert second.stderr == ""
    assert second.stdout == first.stdout and first.stdout.startswith("document,")
