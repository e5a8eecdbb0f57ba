"""One error type for mistakes an author must fix in a content file.

Code that finds such a mistake raises `ContentError` with the line and a
hint; whoever knows the file adds it and calls `report`, which logs the
located message and sends `signals.content_error`, so the build-failure
policy (plugins/build_errors) can end the build.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from hyva import signals

logger = logging.getLogger("hyva.content")


class ContentError(ValueError):
    """A content file says something the build cannot accept."""

    def __init__(self, problem: str, *, line: int | None = None,
                 hint: str = "", path: str | Path | None = None):
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.hint = hint
        self.path = path

    def located(self, path: str | Path | None = None) -> str:
        """`content/cases/x.md:12: problem. Fix: hint` as editors link it."""
        where = str(path or self.path or "<content>")
        if self.line:
            where += f":{self.line}"
        text = f"{where}: {self.problem}"
        if self.hint:
            text += f". Fix: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.located() if self.path else self.problem


def report(error: ContentError) -> None:
    """Log a located content error and announce it to the failure policy."""
    logger.error("%s", error.located())
    signals.content_error.send(error)


def shown_path(path: str | Path) -> str:
    """The path as the author typed it: relative to the working folder when
    it is inside it (so editors and terminals link it), else as given."""
    absolute, here = os.path.abspath(path), os.getcwd()
    if absolute.startswith(here + os.sep):
        return os.path.relpath(absolute, here)
    return str(path)


class BuildFailed(SystemExit):
    """Ends the build with exit status 1 and a summary, without a traceback."""

    def __init__(self, problems: list[str], what: str = "content"):
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"Build failed: {count} {noun} in {what}:\n"
                         + "\n".join(f"  {p}" for p in problems))
        self.problems = problems
