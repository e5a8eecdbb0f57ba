"""Read the cases' Markdown in several processes ahead of Pelican.

Pelican reads each file through `Readers.read_file`, which first looks in
its reader cache. Here, when the article generator starts, every case that
is not in the cache is handed in small batches, in Pelican's own order, to
a pool of forked processes; each time Pelican looks a case up, the batches
up to that case are taken into the cache. Pelican's loop (content objects,
signals, error handling) runs unchanged, and beside the readers rather
than after them. A file that fails to read is left out: Pelican then
reads it itself and reports the error as a one-process build does.
"""

from __future__ import annotations

import logging
import multiprocessing
import os

from pelican import signals
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

# Files per batch at most: small enough that Pelican soon has the first
# ones, and each process gets several batches on small sites too.
BATCH = 16

# The generator's Readers, inherited by the forked processes.
_readers = None


def fill_reader_cache(generator, processes: int) -> None:
    readers = generator.readers
    if processes < 2 or not readers._cache_data_policy:
        return
    settings = generator.settings
    paths = [os.path.abspath(os.path.join(generator.path, path))
             for path in generator.get_files(settings["ARTICLE_PATHS"],
                                             exclude=settings["ARTICLE_EXCLUDES"])]
    unread = [path for path in paths
              if readers.get_cached_data(path, (None, None))[0] is None]
    if len(unread) < 2 * processes:
        return  # not worth starting processes for
    _ReadAhead(readers, unread, processes).start(generator)


class _ReadAhead:
    """The pool's batches, taken into the reader cache as Pelican asks."""

    def __init__(self, readers, unread: list[str], processes: int):
        self.readers, self.processes = readers, processes
        size = max(1, min(BATCH, len(unread) // (4 * processes)))
        self.batches = [unread[start:start + size] for start in range(0, len(unread), size)]
        self.awaited = set(unread)

    def start(self, generator) -> None:
        global _readers
        _readers = self.readers
        self.pool = multiprocessing.get_context("fork").Pool(self.processes, initializer=_quiet)
        _readers = None
        self.results = self.pool.imap(_read_batch, self.batches)
        self.cached = self.readers.get_cached_data
        self.readers.get_cached_data = self.get_cached_data
        self.generator = generator
        signals.article_generator_pretaxonomy.connect(self.stop)

    def get_cached_data(self, path, default=None):
        while path in self.awaited:
            self.take(next(self.results))
        return self.cached(path, default)

    def take(self, batch: list[tuple]) -> None:
        for path, read in batch:
            if read is not None:
                self.readers.cache_data(path, read)
            self.awaited.discard(path)

    def stop(self, generator) -> None:
        """Pelican has read every case: the pool goes."""
        if generator is not self.generator:
            return
        signals.article_generator_pretaxonomy.disconnect(self.stop)
        del self.readers.get_cached_data
        self.pool.terminate()
        self.pool.join()


def _quiet() -> None:
    """Errors are reported once, by Pelican, when it reads the file again."""
    logging.disable(logging.CRITICAL)


def _read_batch(paths: list[str]) -> list[tuple]:
    """(path, (content, metadata)) for each path; None where reading failed."""
    return [(path, _read(path)) for path in paths]


def _read(path: str) -> tuple | None:
    reader = _readers.readers.get(file_suffix(path))
    try:
        content, metadata = reader.read(path)
    except Exception:  # noqa: BLE001 - Pelican reads it again and reports
        return None
    return content, _filter_discardable_metadata(metadata)
