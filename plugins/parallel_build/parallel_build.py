"""Use every core for the two heavy stages of a build: reading Markdown and
writing pages.

Pelican does both in one process. With BUILD_PROCESSES above 1, the
Markdown of the cases is read by that many processes before Pelican asks
for it (`reading.py`), and the pages and feeds are written by that many
processes, each owning a fixed share of the output files (`writing.py`).
Either way the output is what a single process writes, byte for byte.
"""

from __future__ import annotations

import os

from pelican import signals

from . import reading, writing


def processes(settings: dict) -> int:
    """BUILD_PROCESSES, or 1 where processes cannot be forked."""
    wanted = settings.get("BUILD_PROCESSES") or os.cpu_count() or 1
    return max(1, int(wanted)) if hasattr(os, "fork") else 1


def read_in_parallel(generator) -> None:
    reading.fill_reader_cache(generator, processes(generator.settings))


def shared_writer(pelican):
    """Also for one process: it announces when the case pages are written."""
    return writing.SharedWriter


def register() -> None:
    signals.article_generator_init.connect(read_in_parallel)
    signals.all_generators_finalized.connect(writing.note_case_pages)
    signals.get_writer.connect(shared_writer)
    # Connected last of all plugins (listed last in PLUGINS), so that facet
    # pages and comment feeds are shared out too before the helpers stop.
    signals.article_writer_finalized.connect(writing.finish)
