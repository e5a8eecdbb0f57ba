"""Write the site's pages in several processes, each owning its share.

At its first write, `SharedWriter` forks BUILD_PROCESSES - 1 helpers. Every
process then runs the same generator code with the same, finished context,
but renders and writes only the files it owns (a stable hash of the output
path decides). The rest it passes over without rendering, while still
announcing them (`content_written`) as Pelican does, so whole-site files
such as the sitemap stay complete in the main process.

The article generator's pages, feeds, facet pages and comment feeds are
shared this way; when its writing is done (`finish`), the helpers exit and
the main process waits for them and writes everything after that itself.
Plugins writing files without the writer ask `writes_here(writer, path)`.

Once every process has written its share of the case pages, the main
process sends `case_pages_written` (with the writer), while the listings
and feeds are still being written: the search index can start then. A
receiver of `cores_wanted_after_case_pages` that returns True (the search
index, when on) has the helpers stop there and leave it their cores;
otherwise they go on sharing the listings and feeds.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import sys
import zlib
from contextlib import contextmanager

from blinker import signal
from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.utils import sanitised_join
from pelican.writers import Writer

logger = logging.getLogger(__name__)

case_pages_written = signal("parallel_build.case_pages_written")
# Sent with the writer before anything is written.
cores_wanted_after_case_pages = signal("parallel_build.cores_wanted_after_case_pages")

# The output paths of this build's case pages, from `note_case_pages`.
_case_pages: set[str] = set()


class WritingFailed(RuntimeError):
    """A helper process stopped on an error; it printed the error itself."""


class SharedWriter(Writer):

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        from .parallel_build import processes
        self.processes = processes(self.settings)
        self._root = os.path.abspath(self.output_path)
        self.share = 0          # which share of the files this process owns
        self.helpers: list[int] | None = None   # None: not started yet
        self.unwritten_cases = set(_case_pages)
        _case_pages.clear()
        # Processes that have written their share of the case pages.
        self.cases_done = multiprocessing.Value("i", 0)
        self.writers = self.processes  # processes that write case pages
        self.cases_announced = False
        self.hand_over = any(wanted for _receiver, wanted
                             in cores_wanted_after_case_pages.send(self))

    def writes_here(self, path: str) -> bool:
        """Whether this process writes `path` (relative to the output or not)."""
        if self.helpers is None:
            self._start()
        if self.processes < 2:
            return True
        return zlib.crc32(self._relative(path).encode()) % self.processes == self.share

    def _relative(self, path: str) -> str:
        """`path` relative to the output folder (what relpath gives, cheaper:
        this runs for every file of the site)."""
        return os.path.normpath(os.path.join(self._root, path))[len(self._root) + 1:]

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if path and not self.writes_here(path):
            return None
        with self._helper_stops_on_error():
            return super().write_feed(elements, context, path, *args, **kwargs)

    def write_file(self, name, template, context, *args, **kwargs):
        if not self.writes_here(name) and not _may_paginate(kwargs):
            # One page written elsewhere: only announced, as Pelican would.
            signals.content_written.send(sanitised_join(self.output_path, name),
                                         context={**context, **kwargs})
        else:
            with self._helper_stops_on_error():
                super().write_file(name, _OwnPagesOnly(template, self), context,
                                   *args, **kwargs)
        self._passed(name)

    def _passed(self, name: str) -> None:
        """Every process passes every page in the same order, so once this
        one has passed all case pages, it has written its share of them.
        If the cores are wanted then, helpers stop and the main process
        writes the rest alone while the search index is built beside it:
        Pagefind beside two writers took more memory than a build may (over
        500 MB at 2,000 cases) and was no faster."""
        if name in self.unwritten_cases:
            self.unwritten_cases.discard(name)
            if not self.unwritten_cases:
                with self.cases_done.get_lock():
                    self.cases_done.value += 1
                if self.hand_over:
                    if self.share:
                        self._exit(0)
                    self.writers, self.processes = self.processes, 1
        if not self.share and self.cases_done.value == self.writers:
            self._announce_cases()

    def _announce_cases(self) -> None:
        if not self.cases_announced:
            self.cases_announced = True
            case_pages_written.send(self)

    @contextmanager
    def _helper_stops_on_error(self):
        """An error in a helper ends that process here, reported as Pelican
        reports it, rather than unwinding into whatever called Pelican."""
        try:
            yield
        except Exception as error:
            if not self.share:
                raise
            logger.critical("%s: %s", type(error).__name__, error)
            self._exit(1)

    def _open_w(self, filename, encoding, override=False):
        if self.writes_here(filename):
            return super()._open_w(filename, encoding, override)
        return open(os.devnull, "w", encoding=encoding)

    def _start(self) -> None:
        self.helpers = []
        for share in range(1, self.processes):
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                self.share, self.helpers = share, []
                return
            self.helpers.append(pid)

    def finish(self) -> None:
        """Helpers exit here; the main process waits and then writes alone
        (also when nothing was written before: no helper starts after this)."""
        if self.share:
            self._exit(0)
        failed = [pid for pid in self.helpers or []
                  if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
        self.processes, self.helpers = 1, []
        if failed:
            raise WritingFailed(
                f"{len(failed)} of the processes writing the site failed (the error is "
                "printed above). Fix that error, or set BUILD_PROCESSES = 1 to build in "
                "one process.")
        self._announce_cases()  # also with no case pages at all

    @staticmethod
    def _exit(status: int) -> None:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _may_paginate(kwargs: dict) -> bool:
    """Listings (given `articles` or `dates`) may spread over pages that
    other processes own, so Pelican's writer walks them all."""
    return bool(kwargs.get("paginated") or "articles" in kwargs or "dates" in kwargs)


class _OwnPagesOnly:
    """A template that renders only the pages this process writes: the rest
    are written to the null device by `SharedWriter._open_w`."""

    def __init__(self, template, writer: SharedWriter):
        self.template, self.writer = template, writer

    def render(self, context) -> str:
        if self.writer.writes_here(context["output_file"]):
            return self.template.render(context)
        return ""


def note_case_pages(generators) -> None:
    """Which pages are case pages: those the article generator writes one by one."""
    articles = next((generator for generator in generators
                     if isinstance(generator, ArticlesGenerator)), None)
    _case_pages.clear()
    if articles:
        _case_pages.update(
            save_as for article in itertools.chain(
                articles.translations, articles.articles,
                articles.hidden_translations, articles.hidden_articles)
            if (save_as := article.save_as))


def finish(generator, writer) -> None:
    if isinstance(writer, SharedWriter):
        writer.finish()


def writes_here(writer, path: str) -> bool:
    """For plugins that write files themselves: whether this process should."""
    return writer.writes_here(path) if isinstance(writer, SharedWriter) else True
