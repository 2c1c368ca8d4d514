"""Progress of long steps (a build, the rebuild behind `query` and `serve`), shown on stderr.

The core never prints: a build marks its steps with `step(...)`, which reports to whatever
reporter the interface installed with `reporting(...)` and does nothing otherwise. The CLI
installs a `StderrProgress` when stderr is a terminal or `--progress` asks for it, so stdout
(query results, dumps) keeps exactly the same bytes either way.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Protocol, TextIO


class Reporter(Protocol):
    """Told when a step starts and ends."""

    def start(self, name: str) -> None: ...

    def end(self, name: str, seconds: float) -> None: ...


_current: ContextVar[Reporter | None] = ContextVar("aigovkg_progress", default=None)


@contextlib.contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Report the steps run inside this block to `reporter` (None: to nobody)."""
    token = _current.set(reporter)
    try:
        yield
    finally:
        _current.reset(token)


def install(reporter: Reporter | None) -> None:
    """Report every later step of this process (or context) to `reporter`: the CLI's choice."""
    _current.set(reporter)


@contextlib.contextmanager
def step(name: str, clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Mark a step of a long operation; free when nobody listens."""
    reporter = _current.get()
    if reporter is None:
        yield
        return
    reporter.start(name)
    started = clock()
    try:
        yield
    finally:
        reporter.end(name, clock() - started)


class StderrProgress:
    """One line per step that took at least `threshold` seconds, with its duration.

    On a terminal the running step is shown on a line that the next write replaces, so short
    steps leave nothing behind; elsewhere (a log, `--progress` in CI) only finished long
    steps are written, plus the start of steps marked as announced (the whole build), so a
    reader knows why nothing else appears for a while.
    """

    ANNOUNCED = ("building the graph",)

    def __init__(self, stream: TextIO, *, threshold: float = 1.0, live: bool | None = None):
        self.stream = stream
        self.threshold = threshold
        self.live = stream.isatty() if live is None else live
        self._lock = threading.Lock()
        self._depth = 0

    def _write(self, text: str) -> None:
        with self._lock:
            self.stream.write(text)
            self.stream.flush()

    def start(self, name: str) -> None:
        indent = "  " * self._depth
        self._depth += 1
        if self.live:
            self._write(f"\r\x1b[K{indent}{name} …")
        elif name.startswith(self.ANNOUNCED):
            self._write(f"{indent}{name} …\n")

    def end(self, name: str, seconds: float) -> None:
        self._depth = max(0, self._depth - 1)
        indent = "  " * self._depth
        clear = "\r\x1b[K" if self.live else ""
        if seconds >= self.threshold:
            self._write(f"{clear}{indent}{name}: {seconds:.1f} s\n")
        elif clear:
            self._write(clear)


def wanted(flag: bool | None, stream: TextIO) -> bool:
    """Progress on stderr: as the flag says, else only when stderr is a terminal."""
    return stream.isatty() if flag is None else flag
