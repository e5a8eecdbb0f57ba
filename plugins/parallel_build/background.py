"""Run one job in a forked process while the build goes on.

For work that does not need Pelican's results, started when the build
starts and collected when they are needed: it then costs nothing while
the main process is busy on one core. What the job logs is replayed in
the main process, so errors reach the console and fail the build as
they would have there.
"""

from __future__ import annotations

import logging
import multiprocessing


class Background:

    def __init__(self, function, *args):
        self.pool = multiprocessing.get_context("fork").Pool(1)
        self.pending = self.pool.apply_async(_logged, (function, args))

    def result(self):
        """The job's return value (its exception is raised here)."""
        try:
            value, records = self.pending.get()
        finally:
            self.pool.close()
            self.pool.join()
        for record in records:
            logging.getLogger(record.name).handle(record)
        return value


class _Keep(logging.Handler):
    def __init__(self, records: list):
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # plain text crosses processes
        self.records.append(record)


def _logged(function, args):
    records: list[logging.LogRecord] = []
    logging.getLogger().handlers = [_Keep(records)]
    return function(*args), records
