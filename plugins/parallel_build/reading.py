"""Read the cases' Markdown in several processes before Pelican asks for it.

Pelican reads each file through `Readers.read_file`, which first looks in
its reader cache. Here, at the start of the article generator, every case
that is not in the cache is read by a pool of forked processes and the
result goes into that cache, so Pelican's own loop (content objects,
signals, error handling) runs unchanged and finds each file already read.
A file that fails to read is left out: Pelican then reads it itself and
reports the error exactly as in a one-process build.
"""

from __future__ import annotations

import logging
import multiprocessing
import os

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

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
        return
    global _readers
    _readers = readers
    shares = [unread[index::processes] for index in range(processes)]
    try:
        with multiprocessing.get_context("fork").Pool(processes, initializer=_quiet) as pool:
            for results in pool.imap_unordered(_read_share, shares):
                for path, content, metadata in results:
                    readers.cache_data(path, (content, metadata))
    finally:
        _readers = None


def _quiet() -> None:
    """Errors are reported once, by Pelican, when it reads the file again."""
    logging.disable(logging.CRITICAL)


def _read_share(paths: list[str]) -> list[tuple]:
    results = []
    for path in paths:
        reader = _readers.readers.get(file_suffix(path))
        if reader is None:
            continue
        try:
            content, metadata = reader.read(path)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports
            continue
        results.append((path, content, _filter_discardable_metadata(metadata)))
    return results
