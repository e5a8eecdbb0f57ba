"""Full-text search: run Pagefind over the finished site.

Pagefind indexes only the case bodies (`data-pagefind-body` in
article.html), reads the filters the theme marks with
`data-pagefind-filter`, and picks its Finnish stemmer from `<html lang="fi">`,
so "muuttofirmaa" finds a case that says "muuttofirmalle". The bundle goes
to `<output>/pagefind/`, beside the search page that loads it.

With SEARCH_COMPOUNDS on, Pagefind reads copies of the case pages that
also carry the parts of each Finnish compound (search_copy.py), so
"kortti" finds "lahjakortilla"; the pages readers get are not changed.

Pagefind starts as soon as the last case page is on disk, and indexes on
the other cores while Pelican writes the listings, feeds and other pages;
at `finalized` the build waits for it. With the reader cache on, it writes
into a bundle kept between builds (bundle_cache.py) and writes only what
changed.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pagefind_bin_extended import get_executable
from pelican import signals
from pelican.generators import ArticlesGenerator

from hyva.settings import Setting, settle

from .bundle_cache import BundleCache, BundleFormatChanged
from .compounds import Splitter, open_voikko, voikko_version
from .search_copy import CopyWriter

SETTINGS = {
    "SEARCH_INDEX": Setting(True, bool, "True or False"),
    "SEARCH_EXCLUDE_SELECTORS": Setting([], list, "a list of CSS selectors"),
    "SEARCH_COMPOUNDS": Setting(True, bool, "True or False"),
}


class SearchIndexFailed(SystemExit):
    """Pagefind failed: the build stops with exit status 1 and the reason,
    rather than ship a search page without an index."""


def case_pages_glob(article_save_as: str) -> str:
    """Where case pages are written, as a Pagefind glob ("{slug}/index.html"
    gives "*/index.html"). Only case pages carry `data-pagefind-body`, so
    listing pages would be parsed only to be dropped."""
    return re.sub(r"\{[^}]*\}", "*", article_save_as)


def pagefind_command(output_path: str, exclude_selectors: list[str],
                     article_save_as: str, bundle: Path | None = None) -> list[str]:
    """The binary bundled with `pagefind[extended]`, started directly
    (`python -m pagefind` would start another Python only to find it); it
    writes into `bundle`, or into `<output_path>/pagefind/` by default."""
    command = [str(get_executable()), "--site", output_path, "--silent",
               "--glob", case_pages_glob(article_save_as)]
    if bundle:
        command += ["--output-path", str(bundle)]
    for selector in exclude_selectors:
        command += ["--exclude-selectors", selector]
    return command


# Pagefind's ready-made interfaces. The search page drives Pagefind's JS API
# (theme/static/js/search.js) and never loads these; they also credit
# Pagefind's translators by email address, and no address but the site's own
# may be published.
UNUSED_UI_BUNDLES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*",
                     "pagefind-highlight.js")


def remove_unused_ui(bundle: Path) -> None:
    for pattern in UNUSED_UI_BUNDLES:
        for path in bundle.glob(pattern):
            path.unlink()


LANG = re.compile(r'<html\b[^>]*\blang="([^"]+)"')


class CopyMemo:
    """The copies the last build made, by the page they were made from: a
    case page whose text did not change gets the same copy again without
    being marked up anew. Kept in CACHE_PATH, as the bundle is; a build
    keeps only the copies it used, so the memo does not grow."""

    def __init__(self, settings: dict, excluded: list[str]):
        self.path = Path(settings["CACHE_PATH"], "search-copies.pickle") \
            if settings["CACHE_CONTENT"] else None
        self.judge = repr((excluded, voikko_version()))
        self.known: dict[str, str | None] = {}
        self.used: dict[str, str | None] = {}
        if self.path and settings["LOAD_CONTENT_CACHE"]:
            with contextlib.suppress(OSError, pickle.PickleError, EOFError, ValueError):
                judge, known = pickle.loads(self.path.read_bytes())
                if judge == self.judge:
                    self.known = known
        self.loaded = set(self.known)

    def copy(self, writer: CopyWriter, page: str, lang: str) -> str | None:
        key = hashlib.sha256(f"{lang}\0{page}".encode()).hexdigest()
        if key not in self.known:
            self.known[key] = writer.copy(page, lang)
        self.used[key] = self.known[key]
        return self.used[key]

    def save(self) -> None:
        if self.path is None or self.used.keys() == self.loaded:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".tmp-{os.getpid()}-{self.path.name}")
        temporary.write_bytes(pickle.dumps((self.judge, self.used)))
        os.replace(temporary, self.path)


def write_copies(pages: list[Path], output_path: str, settings: dict, folder: Path) -> None:
    """Pagefind's copies of `pages` (search_copy.py), each at the same path
    under `folder` as under `output_path`, so that Pagefind gives it the
    page's own URL."""
    splitter = Splitter()
    writer = CopyWriter(splitter, settings["SEARCH_EXCLUDE_SELECTORS"])
    memo = CopyMemo(settings, settings["SEARCH_EXCLUDE_SELECTORS"])
    try:
        for page in pages:
            text = page.read_text(encoding="utf-8")
            lang = LANG.search(text)
            copy = memo.copy(writer, text, lang.group(1) if lang else "fi")
            if copy is None:
                continue
            target = folder / page.relative_to(output_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(copy, encoding="utf-8")
        memo.save()
    finally:
        splitter.close()


def write_search_copies(output_path: str, settings: dict, folder: Path) -> None:
    """Pagefind's copy of each case page."""
    pages = sorted(Path(output_path).glob(case_pages_glob(settings["ARTICLE_SAVE_AS"])))
    write_copies(pages, output_path, settings, folder)


class Indexing:
    """A Pagefind run over one output, and the kept bundle it writes into
    (None: it writes straight into the output)."""

    def __init__(self, output_path: str, settings: dict):
        self.cache = None
        if settings["CACHE_CONTENT"]:
            cache = BundleCache(settings["CACHE_PATH"], reuse=settings["LOAD_CONTENT_CACHE"])
            self.cache = cache if cache.claim() else None
        self.bundle = Path(output_path, "pagefind")
        self.copies = None
        site = output_path
        if settings["SEARCH_COMPOUNDS"]:
            self.copies = tempfile.mkdtemp(prefix="search-copies-")
            write_search_copies(output_path, settings, Path(self.copies))
            site = self.copies
        command = pagefind_command(site, settings["SEARCH_EXCLUDE_SELECTORS"],
                                   settings["ARTICLE_SAVE_AS"],
                                   self.cache.folder if self.cache else self.bundle)
        # Niced: while Pelican still writes, its one process keeps a core.
        self.process = subprocess.Popen(["nice", "-n", "10", *command], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)

    def finish(self) -> str | None:
        """Wait for Pagefind and put its bundle in place; the reason if it failed."""
        try:
            stdout, stderr = self.process.communicate()
        finally:
            if self.copies:
                shutil.rmtree(self.copies, ignore_errors=True)
        if self.process.returncode != 0:
            if self.cache:
                self.cache.discard()
            last_lines = " ".join((stderr or stdout).split("\n")[-4:]).strip()
            return f"(exit {self.process.returncode}): {last_lines}"
        if not self.cache:
            remove_unused_ui(self.bundle)
            return None
        try:
            self.cache.publish(self.bundle, UNUSED_UI_BUNDLES)
        except BundleFormatChanged as error:
            return f"its bundle is laid out in a way this site does not know ({error})."
        return None

    def abandon(self) -> None:
        """Stop a run whose build failed: nothing of it is kept."""
        self.process.kill()
        self.process.communicate()
        if self.copies:
            shutil.rmtree(self.copies, ignore_errors=True)
        if self.cache:
            self.cache.discard()


class EarlyStart:
    """Starts the build's Indexing when the last case page is written
    (`content_written`), rather than at `finalized`."""

    def __init__(self):
        self.waiting: set[str] = set()
        self.site: tuple[str, dict] | None = None
        self.indexing: Indexing | None = None

    def expect(self, generators) -> None:
        """The case pages this build is about to write."""
        self.abandon()
        articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
        if not articles.settings["SEARCH_INDEX"]:
            return
        self.site = (articles.output_path, articles.settings)
        self.waiting = {os.path.abspath(os.path.join(articles.output_path, article.save_as))
                        for group in (articles.articles, articles.translations,
                                      articles.hidden_articles, articles.hidden_translations)
                        for article in group if article.save_as}

    def written(self, path: str, context: dict) -> None:
        if not self.waiting:
            return
        self.waiting.discard(path)
        if not self.waiting:
            self.indexing = Indexing(*self.site)

    def take(self, output_path: str, settings: dict) -> Indexing:
        """This build's Indexing, started now if no case page was written."""
        indexing, self.indexing, self.waiting = self.indexing, None, set()
        return indexing or Indexing(output_path, settings)

    def abandon(self) -> None:
        self.waiting = set()
        if self.indexing:
            self.indexing.abandon()
            self.indexing = None


EARLY_START = EarlyStart()


def build_index(pelican) -> None:
    if not pelican.settings["SEARCH_INDEX"]:
        return
    failure = EARLY_START.take(pelican.output_path, pelican.settings).finish()
    if failure:
        raise SearchIndexFailed(
            f"Search index failed: Pagefind could not index {pelican.output_path} {failure} "
            "Fix: check SEARCH_EXCLUDE_SELECTORS and that pagefind[extended] is installed "
            "in the version pyproject.toml names, or set SEARCH_INDEX = False")


def check_settings(pelican) -> None:
    """Settle the settings, and stop at once if the index needs Voikko and
    it is missing, before anything is built."""
    settle(pelican.settings, SETTINGS)
    if pelican.settings["SEARCH_INDEX"] and pelican.settings["SEARCH_COMPOUNDS"]:
        open_voikko().terminate()


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(EARLY_START.expect)
    signals.content_written.connect(EARLY_START.written)
    signals.finalized.connect(build_index)
    atexit.register(EARLY_START.abandon)
