"""One error type for mistakes an author must fix in a content file.

Plugins raise `ContentError` with the line and a hint; the case reader adds
the file name, reports it, and the build ends with a non-zero exit.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

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


def shown_path(path: str | Path) -> str:
    """The path as the author typed it: relative to the working folder when
    it is inside it (so editors and terminals link it), else as given."""
    absolute, here = os.path.abspath(path), os.getcwd()
    if absolute.startswith(here + os.sep):
        return os.path.relpath(absolute, here)
    return str(path)


class BuildFailed(SystemExit):
    """Ends the build with exit status 1 and a summary, without a traceback."""

    def __init__(self, problems: list[str]):
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"Build failed: {count} {noun} in content:\n"
                         + "\n".join(f"  {p}" for p in problems))
        self.problems = problems
