"""Progress of long maintainer commands (check, import, publish, bench, erasure).

On a terminal each stage is a live `rich.progress` bar. Anywhere else (a pipe,
a log file, CI) each stage prints one plain line when it ends, with its count
and time and no control sequences, so that logs stay readable and greppable.
Progress goes to stderr: stdout keeps each command's own report.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


def interactive(stream: TextIO) -> bool:
    """Whether `stream` is a terminal a person watches (not CI, not a dumb terminal)."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class Stage:
    """One step of the work: `advance()` as items are done, `total` when it is known."""

    def __init__(self, name: str, total: int | None, unit: str, bar: RichProgress | None):
        self.name, self.total, self.unit = name, total, unit
        self.done = 0
        self.started = time.monotonic()
        self._bar = bar
        self._lock = threading.Lock()
        self._task = bar.add_task(name, total=total) if bar else None

    def advance(self, amount: int = 1) -> None:
        with self._lock:
            self.done += amount
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def set_total(self, total: int) -> None:
        self.total = total
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def line(self, stopped: bool = False) -> str:
        """The plain line that sums this stage up."""
        count = f"{self.done} of {self.total}" if self.total is not None else f"{self.done}"
        verb = "stopped after " if stopped else ""
        elapsed = time.monotonic() - self.started
        return f"{self.name}: {verb}{count} {self.unit}, {elapsed:.1f} s"


class Progress:
    """The progress display of one command run; use as a context manager."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self._bar = None
        if interactive(self.stream):
            self._bar = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=Console(file=self.stream))

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._bar is not None:
            self._bar.stop()

    @contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "files"):
        """A stage that reports itself when it ends, or says how far it got if interrupted."""
        stage = Stage(name, total, unit, self._bar)
        try:
            yield stage
        except KeyboardInterrupt:
            self.say(stage.line(stopped=True))
            raise
        if self._bar is None:
            self.say(stage.line())

    def say(self, text: str) -> None:
        """A line of its own, above the live bars on a terminal."""
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream, flush=True)


def quiet() -> Progress:
    """A display that shows nothing, for callers that report for themselves."""
    return Progress(io.StringIO())
