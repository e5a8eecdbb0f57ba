"""The build-failure policy: any content error fails the build.

Pelican logs a file it cannot process and goes on, so a mistake could
scroll past while the build still exits 0. Here every located content
error (`hyva.signals.content_error`) and every error Pelican itself logs
(a file it could not read, a template that failed) is collected, and the
build ends with exit status 1 and the list, each as
`file:line: problem. Fix: …`.
"""

from __future__ import annotations

import logging

from pelican import signals

from hyva import signals as hyva_signals
from hyva.errors import BuildFailed, ContentError, logger as content_logger

# Problems found during the current build, reported together at the end.
PROBLEMS: list[str] = []


def collect(error: ContentError) -> None:
    PROBLEMS.append(error.located())


class ErrorCollector(logging.Handler):
    """Counts the errors Pelican logs, besides the located ones."""

    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == content_logger.name or self.already_reported(record):
            return
        PROBLEMS.append(record.getMessage())

    @staticmethod
    def already_reported(record: logging.LogRecord) -> bool:
        """Pelican's "Could not process <file>" after our own located report."""
        return record.msg == "Could not process %s" and any(
            f"{record.args[0]}:" in problem for problem in PROBLEMS)


COLLECTOR = ErrorCollector()


def start_build(pelican) -> None:
    PROBLEMS.clear()
    logging.getLogger().addHandler(COLLECTOR)


def fail_on_problems(pelican) -> None:
    logging.getLogger().removeHandler(COLLECTOR)
    if PROBLEMS:
        raise BuildFailed(list(PROBLEMS))


def register() -> None:
    signals.initialized.connect(start_build)
    hyva_signals.content_error.connect(collect)
    signals.finalized.connect(fail_on_problems)
